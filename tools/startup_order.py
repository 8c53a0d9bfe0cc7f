#!/usr/bin/env python3
"""Writes `link/startup-order.txt`: the functions a release server runs from start-up to idle,
in address order, for the linker to lay out side by side (see `build.rs`; issue 11: idle RSS).

The kernel maps a binary's code in 64 KB windows around each page touched (fault-around and
large folios), so start-up code scattered over 22 MB of text kept ~13 MB of it resident. This
script finds the 4 KB pages start-up really touches: it runs the server (webhook mode against a
fake Bot API on loopback, with the knowledge base, as `bench crm` does) with a small preloaded
library that makes the code inaccessible and records each page's first touch from the fault,
then names the functions on those pages from the linker's map of the same build.

    cargo rustc --release --bin insoles-crm -- -C link-arg=-Wl,-Map=/tmp/server.map
    tools/startup_order.py $CARGO_TARGET_DIR/release/insoles-crm /tmp/server.map
    cargo rustc --release --features bench --bin insoles-crm -- -C link-arg=-Wl,-Map=/tmp/bench.map
    tools/startup_order.py $CARGO_TARGET_DIR/release/insoles-crm /tmp/bench.map --append \
        --bench "crm --clients 20000 --orders 60000 --updates 5000 --idle-secs 1"

The server build and the `bench` build name their own functions differently (a hash of the
features), hence both, appended. `--bench` then traces a benchmark run and lists the functions
it adds (the update path under load) after start-up's. A stale list only costs memory: names
no longer in the binary are skipped by the linker (`--no-warn-symbol-ordering`).
"""
import argparse, bisect, http.server, json, os, re, shutil, signal, socket, struct, subprocess, sys, tempfile, threading, time

SHIM = r"""
/* LD_PRELOAD: records each page of the executable's code the process touches (4 KB exact).
   The code is made inaccessible at start; each first touch of a page faults here, is written
   to $STARTUP_PAGES_OUT as the page's file offset (8 bytes), and the page is opened again. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
static uintptr_t lo, hi, off; static int out = -1;
static void on_fault(int sig, siginfo_t *si, void *ctx) {
    (void)ctx; uintptr_t a = (uintptr_t)si->si_addr;
    if (a >= lo && a < hi) {
        uintptr_t page = a & ~(uintptr_t)4095; uint64_t file_off = page - lo + off;
        if (out >= 0) { ssize_t r = write(out, &file_off, 8); (void)r; }
        mprotect((void *)page, 4096, PROT_READ | PROT_EXEC);
        return;
    }
    signal(sig, SIG_DFL);
}
__attribute__((constructor)) static void start_tracing(void) {
    const char *path = getenv("STARTUP_PAGES_OUT"); if (!path) return;
    char exe[4096]; ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1); if (n <= 0) return; exe[n] = 0;
    const char *only = getenv("STARTUP_PAGES_EXE"); if (only && strcmp(only, exe)) return;
    FILE *f = fopen("/proc/self/maps", "r"); if (!f) return; char line[8192];
    while (fgets(line, sizeof line, f)) {
        unsigned long a, b, o; char perm[8]; char *p = strchr(line, '/');
        if (!p || sscanf(line, "%lx-%lx %7s %lx", &a, &b, perm, &o) != 4) continue;
        p[strcspn(p, "\n")] = 0;
        if (!strcmp(p, exe) && perm[2] == 'x') { lo = a; hi = b; off = o; }
    }
    fclose(f);
    if (!lo) return;
    out = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_sigaction = on_fault; sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, 0);
    mprotect((void *)lo, hi - lo, PROT_NONE);
}
"""


class FakeBotApi(http.server.BaseHTTPRequestHandler):
    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        result = {"id": 1, "is_bot": True, "first_name": "b", "username": "b"} if self.path.endswith("/getMe") else True
        body = json.dumps({"ok": True, "result": result}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = answer

    def log_message(self, *args):
        pass


def load_segments(path):
    out = subprocess.run(["readelf", "-lW", path], capture_output=True, text=True, check=True).stdout
    segs = []
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] == "LOAD":
            off, vaddr, filesz = int(parts[1], 16), int(parts[2], 16), int(parts[4], 16)
            segs.append((off, vaddr, filesz))
    return segs


def map_sections(map_path):
    """Input sections of .text with their address, size and symbol (from an lld map)."""
    sections = []
    pat = re.compile(r"^\s*([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+\s+\S.*:\(\.text\.(?:unlikely\.|hot\.|startup\.|exit\.|split\.)?(\S+)\)$")
    with open(map_path) as f:
        for line in f:
            m = pat.match(line)
            if m:
                sections.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3)))
    sections.sort()
    return sections


def functions_on(pages, segs, sections):
    """The functions (input sections of .text) overlapping the given file pages, by address."""
    starts = [s[0] for s in sections]
    names = []
    for off in pages:
        for so, sv, sz in segs:
            if so <= off < so + sz:
                page = (sv + off - so) & ~4095
                i = max(0, bisect.bisect_right(starts, page) - 1)
                while i < len(sections) and sections[i][0] < page + 4096:
                    st, size, name = sections[i]
                    if st + size > page:
                        names.append((st, name))
                    i += 1
    seen, ordered = set(), []
    for _, n in sorted(names):
        if n not in seen:
            seen.add(n)
            ordered.append(n)
    return ordered


def traced(cmd, env, pages_out, secs=None):
    """Runs `cmd` with the tracing library; the pages of code it touched (file offsets)."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    if secs is None:
        proc.wait()
    else:
        time.sleep(secs)
        proc.send_signal(signal.SIGTERM)
        proc.wait()
    with open(pages_out, "rb") as f:
        raw = f.read()
    os.remove(pages_out)
    return sorted(set(struct.unpack(f"{len(raw) // 8}Q", raw)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("map")
    ap.add_argument("--secs", type=float, default=20)
    ap.add_argument("--append", action="store_true")
    ap.add_argument("--bench", help="then trace `binary bench <BENCH>` (a `bench` build) and list what it adds after")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "link", "startup-order.txt"))
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="startup-order.")
    shim = os.path.join(work, "shim.so")
    with open(os.path.join(work, "shim.c"), "w") as f:
        f.write(SHIM)
    subprocess.run(["cc", "-shared", "-fPIC", "-O1", "-o", shim, os.path.join(work, "shim.c")], check=True)
    copy = os.path.abspath(a.binary)
    pages_out = os.path.join(work, "pages.bin")

    fake = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeBotApi)
    threading.Thread(target=fake.serve_forever, daemon=True).start()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    kb = os.path.join(os.path.dirname(__file__), "..", "config", "knowledge.md")
    shutil.copy(kb, os.path.join(work, "knowledge.md"))
    env = dict(os.environ, LD_PRELOAD=shim, STARTUP_PAGES_OUT=pages_out, STARTUP_PAGES_EXE=copy, DATABASE_URL=f"sqlite://{work}/db.sqlite", HTTP_ADDR=f"127.0.0.1:{port}",
               TELEGRAM_BOT_TOKEN="1:order", TELEGRAM_API_URL=f"http://127.0.0.1:{fake.server_address[1]}",
               OWNER_TELEGRAM_IDS="1", PUBLIC_URL="https://order.invalid", TELEGRAM_WEBHOOK_SECRET="order_secret",
               RUST_LOG="warn", CONFIG_DIR=work)
    pages = traced([copy, "serve"], env, pages_out, a.secs)
    fake.shutdown()
    segs = load_segments(copy)
    sections = map_sections(a.map)
    ordered = functions_on(pages, segs, sections)
    size = {n: sz for _, sz, n in sections}
    print(f"start-up: {len(pages)} pages of code touched; {len(ordered)} functions on them, "
          f"{sum(size[n] for n in ordered) / 1e6:.2f} MB of code", file=sys.stderr)
    if a.bench:
        env = dict(os.environ, LD_PRELOAD=shim, STARTUP_PAGES_OUT=pages_out, STARTUP_PAGES_EXE=copy)
        known = set(ordered)
        more = [n for n in functions_on(traced([copy, "bench"] + a.bench.split(), env, pages_out), segs, sections)
                if n not in known]
        print(f"bench: {len(more)} more functions, {sum(size[n] for n in more) / 1e6:.2f} MB", file=sys.stderr)
        ordered += more
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "a" if a.append else "w") as f:
        for n in ordered:
            f.write(n + "\n")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
