//! Regression tests for the leaks fixed in `vendor/reactive_graph` (see
//! vendor/README.md): views and memos that read long-lived state and are then
//! disposed must not leave anything behind on the heap, even when that state
//! never changes; nor may a long-lived owner keep every child owner, or every
//! value, it ever had (the owner leaks fixed upstream in leptos-rs/leptos#4734).
//!
//! Each fix prunes when a list would grow its allocation (amortized O(1)), so
//! a few dead entries may wait for the next prune: the bounds below are a few
//! blocks or bytes, where the leaks grow with every round.

use std::alloc::{GlobalAlloc, Layout, System};

use leptos::prelude::*;
use leptos::reactive::owner::Owner;

struct Counting;

use std::cell::Cell;

thread_local! {
    /// Only the test's own thread is counted: the test harness's threads
    /// allocate too (output capture, timing), and a busy machine makes their
    /// blocks land inside the measured window. Each test counts its own.
    static COUNTED: Cell<bool> = const { Cell::new(false) };
    static LIVE_BLOCKS: Cell<isize> = const { Cell::new(0) };
    static LIVE_BYTES: Cell<isize> = const { Cell::new(0) };
}

fn count(blocks: isize, bytes: isize) {
    let _ = COUNTED.try_with(|c| {
        if c.get() {
            let _ = LIVE_BLOCKS.try_with(|b| b.set(b.get() + blocks));
            let _ = LIVE_BYTES.try_with(|b| b.set(b.get() + bytes));
        }
    });
}

/// Heap blocks and bytes this thread holds (counted since `start_counting`).
fn live() -> (isize, isize) {
    (LIVE_BLOCKS.with(Cell::get), LIVE_BYTES.with(Cell::get))
}

fn start_counting() {
    COUNTED.with(|c| c.set(true));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(1, layout.size() as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-1, -(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(0, new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The heap blocks and bytes `round(rounds)` leaves behind on this thread,
/// after `round(warm_up)` has made the first-use allocations (arena slots,
/// thread-locals).
fn growth(round: impl Fn(usize), warm_up: usize, rounds: usize) -> (isize, isize) {
    start_counting();
    round(warm_up);
    let (blocks, bytes) = live();
    round(rounds);
    let (after_blocks, after_bytes) = live();
    (after_blocks - blocks, after_bytes - bytes)
}

/// Builds and disposes, `rounds` times, a child owner whose memo reads `source`.
fn mount_and_dispose(source: RwSignal<u32>, rounds: usize) {
    for _ in 0..rounds {
        let child = Owner::new();
        child.with(|| {
            let doubled = Memo::new(move |_| source.get() * 2);
            assert_eq!(doubled.get_untracked(), 2);
        });
        child.cleanup();
    }
}

#[test]
fn disposed_readers_of_a_source_that_never_changes_are_freed() {
    // The source has no owner: it lives for the whole test, like the panel's
    // app-wide state. Each reader's owner is a root of its own, so nothing
    // but the source knows of it.
    let source = RwSignal::new(1u32);
    let (grown, _) = growth(|n| mount_and_dispose(source, n), 50, 500);
    assert!(
        grown <= 4,
        "500 disposed readers left {grown} heap blocks behind (one per reader is the leak)"
    );
}

#[test]
fn a_long_lived_owner_forgets_its_disposed_children() {
    // Like a view rebuilt on every change, or a `<For>` row: each round makes
    // a child of the same long-lived owner and disposes of it.
    let parent = Owner::new();
    let round = |n: usize| {
        for _ in 0..n {
            let child = parent.child();
            child.with(|| {
                let value = RwSignal::new(2u32);
                assert_eq!(value.get_untracked(), 2);
            });
            child.cleanup();
            drop(child);
        }
    };
    let (grown, _) = growth(round, 50, 500);
    assert!(
        grown <= 4,
        "500 disposed child owners left {grown} heap blocks behind (one per child is the leak)"
    );
}

#[test]
fn a_long_lived_owner_forgets_its_disposed_values() {
    // A value made in a long-lived owner and disposed before it (a handler
    // that stores a value for a while, say) must not leave its id behind.
    let owner = Owner::new();
    let round = |n: usize| {
        owner.with(|| {
            for _ in 0..n {
                let value = StoredValue::new(7u64);
                assert_eq!(value.get_value(), 7);
                value.dispose();
            }
        })
    };
    let (_, grown) = growth(round, 64, 4096);
    assert!(
        grown <= 256,
        "4096 disposed values left {grown} bytes behind (the id of each, kept, is the leak)"
    );
}
