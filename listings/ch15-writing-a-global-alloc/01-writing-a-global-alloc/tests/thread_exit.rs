// Its own test binary, not a module of tests/ch15_writing_a_global_alloc/: it declares its own
// `#[global_allocator]`, which would serve every test of a shared binary.
//! The per-thread counter keeps counting while a thread shuts down: a thread-local's destructor
//! that allocates, run at thread exit, is counted. One test in this file: the test process's
//! global allocator is the counter.

use std::alloc::System;
use std::cell::Cell;
use std::sync::Mutex;

use ch15_writing_a_global_alloc::{Counts, ThreadCounting};

#[global_allocator]
static GLOBAL: ThreadCounting<System> = ThreadCounting::new(System);

/// What the counter saw on the exiting thread while `LateAllocation`'s destructor ran.
static SEEN_AT_EXIT: Mutex<Option<Counts>> = Mutex::new(None);

struct LateAllocation;

impl Drop for LateAllocation {
    fn drop(&mut self) {
        let before = GLOBAL.this_thread();
        drop(std::hint::black_box(vec![0u8; 321]));
        let seen = GLOBAL.this_thread().since(before);
        *SEEN_AT_EXIT.lock().expect("not poisoned") = Some(seen);
    }
}

thread_local! {
    static LATE: Cell<Option<LateAllocation>> = const { Cell::new(None) };
}

#[test]
fn allocations_in_thread_local_destructors_are_counted() {
    std::thread::spawn(|| LATE.with(|late| late.set(Some(LateAllocation))))
        .join()
        .expect("the thread does not panic");
    assert_eq!(
        *SEEN_AT_EXIT.lock().expect("not poisoned"),
        Some(Counts {
            allocations: 1,
            bytes: 321
        })
    );
}
