//! Test helpers shared by every listing of the Global Allocator Book.
//!
//! - [`c`]: compile a C program (a host for a Rust library) with `gcc -Wall -Wextra -Werror`.
//! - [`recorded`]: run a program, normalise its output, compare it with the recording the book shows.
//! - [`separate_workspace`]: build and test a listing that is its own Cargo workspace.
//! - [`stamp`]: skip a nested cargo run whose inputs are those of its last passing run.
//! - [`templates`]: copy a template out of the repository and test it there, as a reader would.
//! - [`msvc`]: type-check everything for Windows with MSVC (`cargo run --bin check-msvc`).
//! - [`tools`]: find an external tool (a C compiler, `nm`) or say how to install it.
//! - [`rustc`]: compile a single-file program with the pinned `rustc`, outside Cargo.
//! - [`process`]: run a child with its stdout and stderr merged in order.
//! - [`repo`]: where the repository and its target directory are.
//! - [`width`]: the widest line the book shows, and command lines broken with ` \` to fit it.

pub mod c;
pub mod cargo_run;
pub mod msvc;
pub mod process;
pub mod recorded;
pub mod repo;
pub mod rustc;
pub mod separate_workspace;
pub mod stamp;
pub mod templates;
pub mod tools;
pub mod width;

mod normalise;

pub use normalise::{for_recording, normalise};
