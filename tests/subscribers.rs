//! Regression test for the leak fixed in `vendor/reactive_graph` (see
//! vendor/README.md): views and memos that read long-lived state and are then
//! disposed must not leave anything behind on the heap, even when that state
//! never changes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering::Relaxed};

use leptos::prelude::*;
use leptos::reactive::owner::Owner;

struct Counting;

static LIVE_BLOCKS: AtomicIsize = AtomicIsize::new(0);

thread_local! {
    /// Only the test's own thread is counted: the test harness's threads
    /// allocate too (output capture, timing), and a busy machine makes their
    /// blocks land inside the measured window.
    static COUNTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn counted() -> bool {
    COUNTED.try_with(|c| c.get()).unwrap_or(false)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if counted() {
            LIVE_BLOCKS.fetch_add(1, Relaxed);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if counted() {
            LIVE_BLOCKS.fetch_sub(1, Relaxed);
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

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
    COUNTED.with(|c| c.set(true));
    let source = RwSignal::new(1u32);
    // Warm up: first-use allocations (arena slots, thread-locals).
    mount_and_dispose(source, 50);
    let before = LIVE_BLOCKS.load(Relaxed);
    mount_and_dispose(source, 500);
    let grown = LIVE_BLOCKS.load(Relaxed) - before;
    assert!(
        grown <= 0,
        "500 disposed readers left {grown} heap blocks behind (one per reader is the leak)"
    );
}
