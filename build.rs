//! How the release server binary is linked (issue 11: idle RSS). Debug and test builds (profile
//! `debug`) are linked as usual; nothing here changes how any crate is compiled.
//!
//! - **Position-dependent** (`-no-pie`): a PIE's pointers in read-only data (vtables, string
//!   tables: `.data.rel.ro`, ~1.6 MB here) are relocated by the dynamic loader at every start, so
//!   each of those pages is written and becomes private anonymous memory, and the 1.5 MB table
//!   of relocations is read whole. Linked at a fixed address they stay clean file pages, mapped
//!   only where used, and the table is gone. The price: the executable image is not randomised
//!   (shared libraries, heap and stacks still are).
//! - **Start-up code side by side** (`link/startup-order.txt`, written by
//!   `tools/startup_order.py`): the kernel maps code in 64 KB windows around each page touched,
//!   so the ~4.7 MB of code start-up runs, scattered over 22 MB, kept ~13 MB resident. The
//!   linker (rust-lld, rustc's default on x86_64 Linux) places the listed functions first, in
//!   order; names a later build no longer has are skipped, so a stale list only costs memory.
//!   A build linking with another linker (GNU ld has no such option) sets
//!   `INSOLES_NO_LINK_ORDER=1`.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=INSOLES_NO_LINK_ORDER");
    let release = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    let target = std::env::var("TARGET").unwrap_or_default();
    if !release || !target.ends_with("-linux-gnu") {
        return;
    }
    println!("cargo:rustc-link-arg-bins=-no-pie");
    // The manifest directory of this build, read when the script runs: `env!` would bake in the
    // checkout the script was first compiled in, and a target directory shared between
    // checkouts (CI's cache) then linked with another checkout's list.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
    let order = std::path::Path::new(&manifest).join("link/startup-order.txt");
    // By its absolute path: a relative one is the same in every checkout, so a shared target
    // directory kept another checkout's output (and its list's path) after that one was gone.
    println!("cargo:rerun-if-changed={}", order.display());
    let ordered = std::env::var_os("INSOLES_NO_LINK_ORDER").is_none_or(|v| v.is_empty() || v == "0");
    if target == "x86_64-unknown-linux-gnu" && ordered && order.exists() {
        println!("cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}", order.display());
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}
