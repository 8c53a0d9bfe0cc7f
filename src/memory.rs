//! Giving back what start-up used, once the server has settled (issue 11: idle RSS).
//!
//! Heap freed by one-off work (the assistant's model is trained on a background thread, the
//! locales and migrations are parsed) sits in glibc's per-thread arenas until `malloc_trim`
//! returns it to the system: about 3 MB of the idle server's anonymous memory.
//!
//! [`thread_cache`]: the runtime threads' cache of freed blocks in front of glibc's `malloc`.

pub mod thread_cache;

/// Resident memory before and after [`release_startup_memory`], in kB.
#[derive(Debug, Clone, Copy)]
pub struct Released {
    pub rss_before_kb: u64,
    pub rss_after_kb: u64,
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Returns freed heap to the system (Linux with glibc; elsewhere it does nothing).
pub fn release_startup_memory() -> Released {
    let rss_before_kb = rss_kb();
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory of the allocator's arenas to the system.
    unsafe {
        libc::malloc_trim(0);
    }
    Released { rss_before_kb, rss_after_kb: rss_kb() }
}

#[cfg(test)]
mod tests {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn freed_heap_goes_back_to_the_system() {
        // 20 MB freed in small pieces below a piece still in use stays in the arena (free
        // only gives back the arena's top) until trimmed.
        let pieces: Vec<Vec<u8>> = (0..20_000).map(|i| vec![i as u8; 1000]).collect();
        let pin = vec![7u8; 1000];
        let keep = pieces.iter().step_by(997).map(|p| p[0] as u64).sum::<u64>();
        drop(pieces);
        let released = super::release_startup_memory();
        assert_eq!(pin[999], 7);
        assert!(released.rss_after_kb + 4_000 < released.rss_before_kb, "{released:?} {keep}");
    }
}
