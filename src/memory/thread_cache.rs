//! A per-thread cache of freed heap blocks of up to 64 KiB, in front of glibc's `malloc`, on the
//! server's runtime threads (issue 11: lean per message).
//!
//! Why: glibc keeps at most seven freed blocks of a size, and none over 1,032 bytes, in a
//! per-thread cache (its tcache); the rest go back to the arena they came from, under that
//! arena's lock. The runtime's two worker threads hand tasks to each other (work stealing), so
//! an update's buffers (the webhook's body, the `Update`, the card's keyboard, the outgoing
//! request's JSON, hyper's buffers) are often freed on the other thread than the one that
//! allocated them, while that thread is in `malloc` on the same arena. The lock is a plain futex:
//! the loser sleeps, and the winner makes a system call to wake it. Recorded with `perf record -e
//! sched:sched_switch` during 20,000 sustained card opens, these waits were 44–49 % of the
//! server's context switches; on a VM each costs a wake-up of the other vCPU.
//!
//! Here a block freed on a runtime thread waits in that thread's cache and serves the next
//! request of its size class there: no lock, no system call. What one thread frees more of than
//! it allocates goes, a batch at a time, to a shared depot, where the other thread takes it (one
//! short lock per batch instead of the arena's per block). Everything is bounded ([`PER_CLASS`]
//! blocks per class and [`MAX_BYTES`] per thread, [`DEPOT_BYTES`] in the depot); beyond that,
//! blocks go back to glibc as before. Only threads that [`enable`] it cache (the runtime's, from
//! its `on_thread_start`), and [`flush`] (its `on_thread_stop`) gives the thread's blocks back
//! before it ends. Everywhere else (sqlx's threads, the model's training, the benchmarks' own
//! processes, tests) this is `malloc` itself. mimalloc removed the same waits but cost ~19 MB of
//! idle RSS (`docs/operations.md`); this holds at most a few hundred KiB, and almost none at idle.
//!
//! Why it is sound: every block is glibc's (`malloc`, via [`System`]), so any block can be
//! freed or reallocated by glibc on any thread; a block is filed by what glibc says it holds
//! (`malloc_usable_size`), never by the size it was asked for, so a block taken from a class
//! always holds at least the class's size.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Blocks up to this size are cached; larger ones are `malloc`'s.
const LARGEST: usize = 64 * 1024;
/// Up to [`FINE`] bytes the classes are 16 bytes apart (glibc's own granularity); above, four
/// classes per doubling (1.25, 1.5, 1.75 and 2 × a power of two): at most a quarter wasted.
const FINE: usize = 256;
const GRAIN: usize = 16;
const FINE_CLASSES: usize = FINE / GRAIN;
const STEPS: usize = 4;
const CLASSES: usize = FINE_CLASSES + 8 * STEPS;
/// Blocks kept per class and bytes kept in all, per thread.
const PER_CLASS: usize = 32;
const MAX_BYTES: usize = 256 * 1024;
/// Blocks moved between a thread's cache and the shared depot at a time.
const BATCH: usize = PER_CLASS / 2;
/// The shared depot: blocks per class, bytes in all.
const DEPOT_PER_CLASS: usize = 4 * BATCH;
const DEPOT_BYTES: usize = 512 * 1024;
/// Alignment glibc's `malloc` guarantees on 64-bit Linux; stricter requests bypass the cache.
const MALLOC_ALIGN: usize = 16;

/// The global allocator of the `insoles-crm` binary: glibc's `malloc` with [`enable`]d threads'
/// caches in front.
pub struct ThreadCache;

struct Bins {
    on: bool,
    bytes: usize,
    len: [usize; CLASSES],
    blocks: [[*mut u8; PER_CLASS]; CLASSES],
}

thread_local! {
    // Const-initialized and without a destructor: a plain thread-local, usable from the
    // allocator at any point of a thread's life.
    static BINS: UnsafeCell<Bins> = const {
        UnsafeCell::new(Bins {
            on: false,
            bytes: 0,
            len: [0; CLASSES],
            blocks: [[std::ptr::null_mut(); PER_CLASS]; CLASSES],
        })
    };
}

/// Where one thread's surplus of a class waits for another thread that lacks it: blocks freed
/// on one worker and allocated on the other flow through here, in batches under a lock held for
/// a copy of [`BATCH`] pointers, instead of one by one under the arena's.
struct Shelf {
    len: usize,
    blocks: [*mut u8; DEPOT_PER_CLASS],
}

// SAFETY: the shelf only holds addresses of free blocks, owned by whoever takes them.
unsafe impl Send for Shelf {}

static DEPOT: [Mutex<Shelf>; CLASSES] =
    [const { Mutex::new(Shelf { len: 0, blocks: [std::ptr::null_mut(); DEPOT_PER_CLASS] }) }; CLASSES];
static DEPOT_HELD: AtomicUsize = AtomicUsize::new(0);

/// The class a request of `size` bytes (1..=[`LARGEST`]) is served from: the smallest class
/// size ≥ `size`.
fn class_up(size: usize) -> usize {
    debug_assert!(size > 0 && size <= LARGEST);
    if size <= FINE {
        return (size - 1) / GRAIN;
    }
    let octave = (usize::BITS - 1 - (size - 1).leading_zeros()) as usize; // 2^octave < size
    let step = 1 << (octave - 2);
    let quarter = (size - 1) / step + 1; // 5..=8
    FINE_CLASSES + (octave - 8) * STEPS + quarter - (STEPS + 1)
}

/// The class a block holding `usable` bytes is filed in: the largest class size ≤ `usable`.
fn class_down(usable: usize) -> Option<usize> {
    if usable < GRAIN {
        return None;
    }
    if usable >= LARGEST {
        return Some(CLASSES - 1);
    }
    if usable <= FINE {
        return Some(usable / GRAIN - 1);
    }
    let octave = (usize::BITS - 1 - usable.leading_zeros()) as usize; // 2^octave ≤ usable
    let step = 1 << (octave - 2);
    // 4..=7; 4 quarters of 2^octave is the last class of the octave below.
    let quarter = usable / step;
    Some(FINE_CLASSES + (octave - 8) * STEPS + quarter - (STEPS + 1))
}

fn class_size(class: usize) -> usize {
    if class < FINE_CLASSES {
        return (class + 1) * GRAIN;
    }
    let c = class - FINE_CLASSES;
    let (octave, quarter) = (8 + c / STEPS, c % STEPS + STEPS + 1);
    quarter << (octave - 2)
}

fn cached(layout: &Layout) -> bool {
    layout.size() <= LARGEST && layout.size() > 0 && layout.align() <= MALLOC_ALIGN
}

fn usable_size(ptr: *mut u8) -> usize {
    // SAFETY: `ptr` is a live block of glibc's malloc (every block here is).
    unsafe { libc::malloc_usable_size(ptr.cast()) }
}

/// Whether this thread caches.
fn caching() -> bool {
    with_bins(|_| Some(())).is_some()
}

/// Runs `f` on this thread's bins when it caches.
fn with_bins<R>(f: impl FnOnce(&mut Bins) -> Option<R>) -> Option<R> {
    BINS.try_with(|bins| {
        // SAFETY: the bins are this thread's own, and nothing below re-enters the allocator
        // (glibc's malloc and free are called directly), so this is the only reference.
        let bins = unsafe { &mut *bins.get() };
        if bins.on {
            f(bins)
        } else {
            None
        }
    })
    .ok()
    .flatten()
}

fn depot(class: usize) -> std::sync::MutexGuard<'static, Shelf> {
    DEPOT[class].lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Bins {
    fn push(&mut self, class: usize, block: *mut u8, usable: usize) {
        self.blocks[class][self.len[class]] = block;
        self.len[class] += 1;
        self.bytes += usable;
    }

    fn pop(&mut self, class: usize) -> Option<*mut u8> {
        let n = self.len[class].checked_sub(1)?;
        self.len[class] = n;
        let block = self.blocks[class][n];
        self.bytes -= usable_size(block);
        Some(block)
    }

    /// Takes up to a batch of `class` from the depot.
    fn refill(&mut self, class: usize) {
        let mut guard = depot(class);
        let shelf = &mut *guard;
        for _ in 0..BATCH {
            let Some(top) = shelf.len.checked_sub(1) else { break };
            let block = shelf.blocks[top];
            let usable = usable_size(block);
            if self.len[class] == PER_CLASS || self.bytes + usable > MAX_BYTES {
                break;
            }
            shelf.len = top;
            DEPOT_HELD.fetch_sub(usable, Ordering::Relaxed);
            self.push(class, block, usable);
        }
    }

    /// Moves up to a batch of `class` to the depot, as far as it has room.
    fn spill(&mut self, class: usize) {
        let mut guard = depot(class);
        let shelf = &mut *guard;
        let keep = self.len[class].saturating_sub(BATCH);
        while self.len[class] > keep && shelf.len < DEPOT_PER_CLASS {
            let block = self.blocks[class][self.len[class] - 1];
            let usable = usable_size(block);
            // Reserved in one step: threads spilling other classes at once hold other locks.
            let room = |held: usize| (held + usable <= DEPOT_BYTES).then_some(held + usable);
            if DEPOT_HELD.fetch_update(Ordering::Relaxed, Ordering::Relaxed, room).is_err() {
                break;
            }
            self.len[class] -= 1;
            self.bytes -= usable;
            shelf.blocks[shelf.len] = block;
            shelf.len += 1;
        }
    }
}

/// Lets this thread cache freed blocks (a runtime's `on_thread_start`).
pub fn enable() {
    let _ = BINS.try_with(|bins| {
        // SAFETY: as in `with_bins`.
        unsafe { (*bins.get()).on = true }
    });
}

/// Gives this thread's cached blocks back to glibc and stops caching (a runtime's
/// `on_thread_stop`, before the thread ends).
pub fn flush() {
    let _ = BINS.try_with(|bins| {
        // SAFETY: as in `with_bins`.
        let bins = unsafe { &mut *bins.get() };
        bins.on = false;
        for class in 0..CLASSES {
            for &block in &bins.blocks[class][..bins.len[class]] {
                // SAFETY: a cached block is a live glibc block nobody else holds.
                unsafe { libc::free(block.cast()) };
            }
            bins.len[class] = 0;
        }
        bins.bytes = 0;
    });
}

/// Blocks and bytes this thread holds in its cache.
#[cfg(test)]
fn held() -> (usize, usize) {
    BINS.try_with(|bins| {
        // SAFETY: as in `with_bins`.
        let bins = unsafe { &*bins.get() };
        (bins.len.iter().sum(), bins.bytes)
    })
    .unwrap_or((0, 0))
}

/// Bytes waiting in the shared depot.
#[cfg(test)]
fn depot_held() -> usize {
    DEPOT_HELD.load(Ordering::Relaxed)
}

/// Gives every block in the shared depot back to glibc (tests start from an empty depot).
#[cfg(test)]
fn drain_depot() {
    for class in 0..CLASSES {
        let mut shelf = depot(class);
        while let Some(top) = shelf.len.checked_sub(1) {
            shelf.len = top;
            let block = shelf.blocks[top];
            DEPOT_HELD.fetch_sub(usable_size(block), Ordering::Relaxed);
            // SAFETY: a block in the depot is a live glibc block nobody else holds.
            unsafe { libc::free(block.cast()) };
        }
    }
}

unsafe impl GlobalAlloc for ThreadCache {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if cached(&layout) {
            let class = class_up(layout.size());
            let taken = with_bins(|bins| {
                if bins.len[class] == 0 {
                    bins.refill(class);
                }
                // Asked of glibc at the class's size, so that freed it files back into this class.
                // SAFETY: a non-zero size, an alignment glibc's malloc gives.
                Some(bins.pop(class).unwrap_or_else(|| unsafe {
                    System.alloc(Layout::from_size_align_unchecked(class_size(class), layout.align()))
                }))
            });
            if let Some(block) = taken {
                return block;
            }
        }
        // SAFETY: the caller's contract, passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if cached(&layout) && caching() {
            // SAFETY: the caller's contract, passed on; the block holds `layout.size()` bytes.
            let block = unsafe { self.alloc(layout) };
            if !block.is_null() {
                // SAFETY: as above.
                unsafe { block.write_bytes(0, layout.size()) };
            }
            return block;
        }
        // glibc's calloc, which leaves fresh pages from the system untouched (and so not resident).
        // SAFETY: the caller's contract, passed on.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if cached(&layout) {
            let kept = with_bins(|bins| {
                let usable = usable_size(ptr);
                let class = class_down(usable)?;
                let full = |bins: &Bins| bins.len[class] == PER_CLASS || bins.bytes + usable > MAX_BYTES;
                if full(bins) {
                    bins.spill(class);
                    if full(bins) {
                        return None;
                    }
                }
                bins.push(class, ptr, usable);
                Some(())
            });
            if kept.is_some() {
                return;
            }
        }
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract: `layout` is the block's, `new_size` is valid for it.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if !caching() || !(cached(&layout) || cached(&new)) {
            // SAFETY: the caller's contract, passed on.
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        // glibc's realloc takes the block's arena's lock, which is what this cache avoids: a
        // block that still fits and is not mostly empty stays; otherwise a move via the cache.
        let usable = usable_size(ptr);
        if new_size <= usable && new_size > usable / 2 {
            return ptr;
        }
        // SAFETY: `new` is a valid non-zero layout (the caller's contract for `new_size`).
        let moved = unsafe { self.alloc(new) };
        if !moved.is_null() {
            // SAFETY: both blocks are live, distinct, and hold at least the bytes copied.
            unsafe {
                std::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        moved
    }
}

#[cfg(test)]
#[path = "thread_cache_tests.rs"]
mod tests;
