// Its own test binary, not a module of tests/ch03_probe/: it reads glibc's process-wide counters
// in this process, which tests running beside it in other threads would move.
//! Why the probe measures a batch: glibc's per-thread cache can serve a lone small block without
//! moving `mallinfo2`. One test in this file, because it reads process-wide counters.
// Linux with glibc only: it shows glibc's per-thread cache through `mallinfo2`.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::hint::black_box;

use ch03_probe::glibc::in_use;

#[test]
fn a_lone_block_after_a_free_hides_in_the_thread_cache_but_a_batch_shows() {
    // This test binary has no #[global_allocator]: System serves it, so glibc sees every Box.
    drop(black_box(Box::new([0u8; 100])));
    let before = in_use().expect("glibc reading");
    let lone = black_box(Box::new([0u8; 100]));
    let lone_delta = in_use().expect("glibc reading") as i64 - before as i64;
    assert_eq!(
        lone_delta, 0,
        "the freed chunk sat in glibc's thread cache, still counted as in use, and came back"
    );

    let before = in_use().expect("glibc reading");
    let batch: Vec<Box<[u8; 100]>> = black_box((0..64).map(|_| Box::new([0u8; 100])).collect());
    let batch_delta = in_use().expect("glibc reading") as i64 - before as i64;
    // The Vec holding the batch is one more 512 B chunk; the 64 boxes are at least 57 x 112 B.
    assert!(
        batch_delta >= 57 * 112,
        "a batch of 64 should show: grew by {batch_delta} B"
    );
    drop((lone, batch));
}
