//! Chapter 15: two global allocators you can drop into a program.
//!
//! - [`ThreadCounting`] counts allocations and requested bytes per thread and in total.
//! - [`Limited`] refuses allocations past a byte budget.
//!
//! Both wrap another allocator (`System`, `tikv_jemallocator::Jemalloc`) and forward every call
//! to it unchanged, so they inherit its guarantees; neither allocates anything itself.

pub mod counting;
pub mod limited;
pub mod report;

pub use counting::{Counts, ThreadCounting};
pub use limited::Limited;
