//! Diagnostics for the memory benchmark, compiled only with
//! `--cfg tfa_alloc_stats`: counts the bytes and blocks the panel holds on its
//! wasm heap, so a leak shows as live bytes that keep growing (wasm memory
//! itself only ever grows, in 64 KiB pages, and hides what is reused).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);
static LIVE_BLOCKS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            LIVE_BYTES.fetch_add(layout.size(), Relaxed);
            LIVE_BLOCKS.fetch_add(1, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE_BYTES.fetch_sub(layout.size(), Relaxed);
        LIVE_BLOCKS.fetch_sub(1, Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE_BYTES.fetch_add(new_size, Relaxed);
            LIVE_BYTES.fetch_sub(layout.size(), Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes the panel holds on its heap now.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn tfa_live_bytes() -> u32 {
    LIVE_BYTES.load(Relaxed) as u32
}

/// Heap blocks the panel holds now.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn tfa_live_blocks() -> u32 {
    LIVE_BLOCKS.load(Relaxed) as u32
}
