//! The house keeps its shape: no dependency cycle between the top-level modules of `src/` (read
//! from the `crate::<module>` paths each one uses outside its tests and comments), and no
//! production file over 600 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The code of a file without its test module and its comment lines.
fn production_code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    code.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(SRC);
    let modules: BTreeMap<String, PathBuf> = std::fs::read_dir(src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let name = p.file_stem()?.to_string_lossy().to_string();
            (!matches!(name.as_str(), "main" | "lib")).then_some((name, p))
        })
        .collect();
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, path) in &modules {
        let mut files = if path.is_dir() { rust_files(path) } else { vec![path.clone()] };
        if path.is_dir() && path.with_extension("rs").exists() {
            files.push(path.with_extension("rs"));
        }
        let entry = deps.entry(name.clone()).or_default();
        for file in files {
            let code = production_code(&file);
            for (i, _) in code.match_indices("crate::") {
                let used: String = code[i + 7..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                if used != *name && modules.contains_key(&used) {
                    entry.insert(used);
                }
            }
        }
    }
    deps
}

/// A cycle through `from`, if any (depth-first search).
fn cycle(
    deps: &BTreeMap<String, BTreeSet<String>>,
    at: &str,
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if let Some(i) = path.iter().position(|p| p == at) {
        let mut c = path[i..].to_vec();
        c.push(at.to_string());
        return Some(c);
    }
    if done.contains(at) {
        return None;
    }
    path.push(at.to_string());
    for next in deps.get(at).into_iter().flatten() {
        if let Some(c) = cycle(deps, next, path, done) {
            return Some(c);
        }
    }
    path.pop();
    done.insert(at.to_string());
    None
}

#[test]
fn top_level_modules_depend_on_each_other_one_way_only() {
    let deps = graph();
    assert!(deps.len() > 10, "the scan found the modules: {deps:?}");
    assert!(deps["core"].contains("store"), "the scan sees real dependencies: {deps:?}");
    let mut done = BTreeSet::new();
    for module in deps.keys() {
        if let Some(c) = cycle(&deps, module, &mut vec![], &mut done) {
            panic!("dependency cycle: {}\nfull graph: {deps:#?}", c.join(" → "));
        }
    }
}

#[test]
fn no_production_file_is_over_600_lines() {
    let long: Vec<String> = rust_files(Path::new(SRC))
        .into_iter()
        .filter_map(|p| {
            let n = std::fs::read_to_string(&p).unwrap().lines().count();
            (n > 600).then(|| format!("{} ({n} lines)", p.display()))
        })
        .collect();
    assert!(long.is_empty(), "{long:?}");
}

/// The server build carries no test fake: the fake Bot API and the benchmark that drives it are
/// compiled only with their features (the tests turn them on through the self dev-dependency).
#[test]
fn the_fake_bot_api_and_the_benchmark_are_not_in_the_server_build() {
    let lib = std::fs::read_to_string(format!("{SRC}/lib.rs")).unwrap();
    for (module, feature) in [("fake_telegram", "fakes"), ("bench", "bench")] {
        let line = lib.lines().position(|l| l.trim() == format!("pub mod {module};")).expect(module);
        let above = lib.lines().nth(line.saturating_sub(1)).unwrap_or_default();
        assert_eq!(above.trim(), format!("#[cfg(feature = \"{feature}\")]"), "{module} is gated");
    }
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    let features = manifest.split("[features]").nth(1).unwrap().split("\n[").next().unwrap();
    assert!(!features.contains("default"), "no default feature brings them back: {features}");
}

/// The store writes the jobs its callers made; it never decides them (no `JobSpec` in `store/`).
#[test]
fn the_store_never_builds_job_specs() {
    let builds: Vec<String> = rust_files(&Path::new(SRC).join("store"))
        .into_iter()
        .filter(|p| {
            let code = production_code(p);
            code.contains("JobSpec") || code.contains("work::spec")
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(builds.is_empty(), "{builds:?}");
}

/// A file name that appears twice names one feature at two layers (`store/clients.rs` and
/// `core/clients.rs`); a second meaning needs a name of its own. A new repeated name fails here
/// until it is checked and added to the list.
#[test]
fn repeated_file_names_are_one_feature_at_different_layers() {
    const SAME_FEATURE: [&str; 20] = [
        "assistant",
        "backup",
        "callback",
        "campaign",
        "card",
        "golden",
        "clients",
        "content",
        "export",
        "identity",
        "import",
        "instagram",
        "jobs",
        "listmonk",
        "marketing",
        "orders",
        "payments",
        "referrals",
        "schedule",
        "tasks",
    ];
    let mut seen: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for file in rust_files(Path::new(SRC)) {
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        if stem != "mod" {
            seen.entry(stem).or_default().push(file);
        }
    }
    assert!(seen.len() > 50, "the scan found the files: {}", seen.len());
    for (stem, files) in seen.iter().filter(|(_, f)| f.len() > 1) {
        assert!(SAME_FEATURE.contains(&stem.as_str()), "`{stem}.rs` names different things: {files:?}");
    }
}
