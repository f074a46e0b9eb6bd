//! The limiting allocator: a 64 MiB budget, then a request for 100 MiB, made fallibly
//! (`limited try`) or infallibly (`limited infallible`).

use std::alloc::System;

use ch15_writing_a_global_alloc::Limited;

// ANCHOR: global
#[global_allocator]
static GLOBAL: Limited<System> = Limited::new(System, 64 << 20);
// ANCHOR_END: global

const TOO_MUCH: usize = 100 << 20;

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    println!("budget: {} bytes", GLOBAL.budget());
    match mode.as_str() {
        "try" => fallible(),
        "infallible" => infallible(),
        _ => {
            eprintln!("usage: limited try|infallible");
            std::process::exit(2);
        }
    }
}

// ANCHOR: try
fn fallible() {
    let mut buffer: Vec<u8> = Vec::new();
    match buffer.try_reserve(TOO_MUCH) {
        Ok(()) => println!("try_reserve({TOO_MUCH}) succeeded"),
        Err(err) => println!("try_reserve({TOO_MUCH}) failed:\n  {err}"),
    }
    let small = vec![1u8; 1000];
    println!("still running: allocated {} more bytes", small.len());
}
// ANCHOR_END: try

// ANCHOR: infallible
fn infallible() {
    let buffer: Vec<u8> = Vec::with_capacity(TOO_MUCH);
    println!("with_capacity({TOO_MUCH}) succeeded: {}", buffer.capacity());
}
// ANCHOR_END: infallible
