//! The training loop allocates nothing per step: after the trainer is built,
//! whole training passes run without a single heap allocation.
#![cfg(not(target_arch = "wasm32"))]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use hyperlab::experiment::from_query;

/// Counts allocations made by this thread while `COUNTING` is set.
struct CountingAllocator;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static COUNTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(|c| c.get()) {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

#[test]
fn training_passes_allocate_nothing() {
    for query in [
        "ep=10",
        "data=digits&hidden=64&act=relu&opt=adam&lr=0.001&bs=32&ep=3",
        "data=moons&drop=0.3&opt=rmsprop&centered=1&mom=0.9&l1=0.001&clip=1&ep=3",
        "data=circle&feat=x1sq-x2sq&poly=2&opt=adagrad&ep=3",
        "data=sine&loss=huber&opt=adamw&ep=3",
    ] {
        let (spec, _) = from_query(query);
        let mut trainer = spec.trainer().unwrap();
        let n = allocations_during(|| {
            for _ in 0..3 {
                trainer.train_pass();
            }
        });
        assert_eq!(n, 0, "{query}: {n} allocations in 3 training passes");
    }
    // The counter works: building a trainer does allocate.
    let n = allocations_during(|| drop(from_query("ep=2").0.trainer().unwrap()));
    assert!(n > 0);
}
