use super::*;
use proptest::prelude::*;

/// Runs `f` on a fresh thread that caches, and gives its cache back after.
fn on_caching_thread<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::spawn(move || {
        enable();
        let r = f();
        flush();
        assert_eq!(held(), (0, 0), "flush gives every block back");
        r
    })
    .join()
    .expect("the test thread panicked")
}

/// Tests that cache take turns, each starting from an empty shared depot (which outlives the
/// threads that fill it): what one leaves there would be served to the next.
static DEPOT_TESTS: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn turn() -> std::sync::MutexGuard<'static, ()> {
    let turn = DEPOT_TESTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    drain_depot();
    assert_eq!(depot_held(), 0);
    turn
}

fn layout(size: usize) -> Layout {
    Layout::from_size_align(size, 8).unwrap()
}

#[test]
fn a_request_is_served_from_a_class_at_least_its_size_and_a_block_filed_below_what_it_holds() {
    for size in 1..=LARGEST {
        let class = class_up(size);
        assert!(class < CLASSES, "{size}");
        assert!(class_size(class) >= size, "{size}: class {class} of {}", class_size(class));
        assert!(class_size(class) < size + GRAIN || class_size(class) * 4 <= size * 5 + 4 * GRAIN, "{size}");
        if class > 0 {
            assert!(class_size(class - 1) < size, "the smallest class that fits: {size}");
        }
    }
    for usable in 0..=LARGEST + 100 {
        match class_down(usable) {
            None => assert!(usable < class_size(0), "{usable}"),
            Some(class) => {
                assert!(class_size(class) <= usable, "{usable}");
                assert!(class == CLASSES - 1 || class_size(class + 1) > usable, "the largest that fits: {usable}");
            }
        }
    }
    for class in 0..CLASSES {
        assert_eq!(class_down(class_size(class)), Some(class));
        assert_eq!(class_up(class_size(class)), class);
    }
}

#[test]
fn a_freed_block_serves_the_next_request_of_its_class_on_the_same_thread() {
    let _turn = turn();
    on_caching_thread(|| unsafe {
        let a = ThreadCache.alloc(layout(3000));
        a.write_bytes(7, 3000);
        ThreadCache.dealloc(a, layout(3000));
        let (blocks, bytes) = held();
        assert_eq!(blocks, 1);
        assert!(bytes >= 3072, "filed by what it holds: {bytes}");
        let b = ThreadCache.alloc(layout(2900));
        assert_eq!(a, b, "the cached block comes back");
        assert_eq!(held(), (0, 0));
        ThreadCache.dealloc(b, layout(2900));
    });
}

#[test]
fn a_zeroed_block_is_zero_even_when_it_comes_from_the_cache() {
    let _turn = turn();
    on_caching_thread(|| unsafe {
        let dirty = ThreadCache.alloc(layout(3000));
        dirty.write_bytes(0xAB, 3000);
        ThreadCache.dealloc(dirty, layout(3000));
        let zeroed = ThreadCache.alloc_zeroed(layout(3000));
        assert_eq!(zeroed, dirty, "served from the cache");
        assert!(std::slice::from_raw_parts(zeroed, 3000).iter().all(|&b| b == 0));
        ThreadCache.dealloc(zeroed, layout(3000));
        let big = Layout::from_size_align(LARGEST * 4, 8).unwrap();
        let p = ThreadCache.alloc_zeroed(big);
        assert!(std::slice::from_raw_parts(p, big.size()).iter().all(|&b| b == 0));
        ThreadCache.dealloc(p, big);
    });
}

#[test]
fn a_thread_that_does_not_cache_gives_every_block_back_at_once() {
    std::thread::spawn(|| unsafe {
        let a = ThreadCache.alloc(layout(3000));
        ThreadCache.dealloc(a, layout(3000));
        assert_eq!(held(), (0, 0));
    })
    .join()
    .unwrap();
}

#[test]
fn large_and_overaligned_blocks_are_left_to_malloc() {
    let _turn = turn();
    on_caching_thread(|| unsafe {
        for l in [layout(LARGEST + 1), layout(1 << 20), Layout::from_size_align(4096, 64).unwrap()] {
            let p = ThreadCache.alloc(l);
            assert_eq!(p as usize % l.align(), 0);
            ThreadCache.dealloc(p, l);
            assert_eq!(held(), (0, 0), "{l:?}");
        }
    });
}

#[test]
fn the_cache_and_the_depot_stay_within_their_bounds() {
    let _turn = turn();
    on_caching_thread(|| unsafe {
        let small: Vec<_> = (0..PER_CLASS * 8).map(|_| ThreadCache.alloc(layout(1500))).collect();
        for &p in &small {
            ThreadCache.dealloc(p, layout(1500));
        }
        assert_eq!(held().0, PER_CLASS, "at most {PER_CLASS} per class");
        let depot_before = depot_held();
        assert!(depot_before >= BATCH * 1500, "the surplus went to the depot: {depot_before}");
        let big: Vec<_> = (0..PER_CLASS * 4).map(|_| ThreadCache.alloc(layout(LARGEST))).collect();
        for &p in &big {
            ThreadCache.dealloc(p, layout(LARGEST));
        }
        let (_, bytes) = held();
        assert!(bytes <= MAX_BYTES, "{bytes}");
        assert!(bytes > MAX_BYTES - LARGEST - 64, "filled up to the bound: {bytes}");
        let mid: Vec<_> = (0..PER_CLASS * 8).map(|_| ThreadCache.alloc(layout(8192))).collect();
        for &p in &mid {
            ThreadCache.dealloc(p, layout(8192));
        }
        assert!(depot_held() <= DEPOT_BYTES, "{}", depot_held());
        assert!(depot_held() > DEPOT_BYTES - LARGEST - 64, "the depot filled up to its bound: {}", depot_held());
        assert!(held().1 <= MAX_BYTES);
    });
}

#[test]
fn a_surplus_freed_on_one_thread_serves_another_through_the_depot() {
    let _turn = turn();
    const SIZE: usize = 777;
    let freed: Vec<usize> = on_caching_thread(|| unsafe {
        let blocks: Vec<usize> = (0..PER_CLASS * 2).map(|_| ThreadCache.alloc(layout(SIZE)) as usize).collect();
        for &p in &blocks {
            ThreadCache.dealloc(p as *mut u8, layout(SIZE));
        }
        assert_eq!(held().0, PER_CLASS, "the rest went to the depot");
        blocks
    });
    let shelved = depot_held();
    assert!(shelved >= PER_CLASS * SIZE, "the surplus waits in the depot: {shelved}");
    on_caching_thread(move || unsafe {
        let first = ThreadCache.alloc(layout(SIZE)) as usize;
        assert_eq!(held().0, BATCH - 1, "a batch came over, one of it handed out");
        assert!(depot_held() < shelved, "taken from the depot");
        let mut got: Vec<usize> = (1..BATCH).map(|_| ThreadCache.alloc(layout(SIZE)) as usize).collect();
        got.push(first);
        assert_eq!(held().0, 0);
        assert!(got.iter().all(|p| freed.contains(p)), "the batch is the other thread's surplus");
        for p in got {
            ThreadCache.dealloc(p as *mut u8, layout(SIZE));
        }
    });
}

#[test]
fn a_block_allocated_on_one_thread_is_cached_where_it_is_freed() {
    let _turn = turn();
    // Asked for at a class's size: a block malloc gave for another size files in the class below.
    const SIZE: usize = 5120;
    let block = std::thread::spawn(|| unsafe { ThreadCache.alloc(layout(SIZE)) as usize }).join().unwrap();
    on_caching_thread(move || unsafe {
        ThreadCache.dealloc(block as *mut u8, layout(SIZE));
        assert_eq!(held().0, 1);
        assert_eq!(ThreadCache.alloc(layout(SIZE)) as usize, block);
        ThreadCache.dealloc(block as *mut u8, layout(SIZE));
    });
}

#[derive(Debug, Clone)]
enum Op {
    Alloc(usize),
    Realloc(usize, usize),
    Free(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let size = prop_oneof![1usize..2048, 1000usize..70_000, 60_000usize..140_000];
    prop_oneof![
        size.clone().prop_map(Op::Alloc),
        (any::<usize>(), size).prop_map(|(i, s)| Op::Realloc(i, s)),
        any::<usize>().prop_map(Op::Free),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every block keeps its bytes through reallocations and never overlaps another live one,
    /// whatever mix of sizes comes and goes.
    #[test]
    fn blocks_keep_their_contents_and_never_overlap(ops in proptest::collection::vec(op(), 1..200)) {
        let _turn = turn();
        let failure = on_caching_thread(move || unsafe {
            // (address, size, fill byte)
            let mut live: Vec<(usize, usize, u8)> = vec![];
            let check = |live: &[(usize, usize, u8)]| -> Option<String> {
                for &(p, n, b) in live {
                    let bytes = std::slice::from_raw_parts(p as *const u8, n);
                    if let Some(i) = bytes.iter().position(|&x| x != b) {
                        return Some(format!("block {p:#x} of {n} lost byte {i}"));
                    }
                }
                None
            };
            for (k, op) in ops.into_iter().enumerate() {
                let fill = k as u8;
                match op {
                    Op::Alloc(n) => {
                        let p = ThreadCache.alloc(layout(n));
                        p.write_bytes(fill, n);
                        live.push((p as usize, n, fill));
                    }
                    Op::Realloc(i, n) if !live.is_empty() => {
                        let (p, old, b) = live.swap_remove(i % live.len());
                        let q = ThreadCache.realloc(p as *mut u8, layout(old), n);
                        let kept = old.min(n);
                        let bytes = std::slice::from_raw_parts(q, kept);
                        if bytes.iter().any(|&x| x != b) {
                            return Some(format!("realloc {old} → {n} lost bytes"));
                        }
                        q.write_bytes(fill, n);
                        live.push((q as usize, n, fill));
                    }
                    Op::Free(i) if !live.is_empty() => {
                        let (p, n, _) = live.swap_remove(i % live.len());
                        ThreadCache.dealloc(p as *mut u8, layout(n));
                    }
                    _ => {}
                }
                if let Some(e) = check(&live) {
                    return Some(e);
                }
                let (_, bytes) = held();
                if bytes > MAX_BYTES || depot_held() > DEPOT_BYTES {
                    return Some(format!("cache holds {bytes}, the depot {}", depot_held()));
                }
            }
            for (p, n, _) in live {
                ThreadCache.dealloc(p as *mut u8, layout(n));
            }
            None
        });
        prop_assert_eq!(failure, None);
    }
}
