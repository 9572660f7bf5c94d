//! Helpers shared by the integration tests of both workspace members (the command line's tests
//! include this folder by path): the public benchmark data, instances, a brute-force oracle,
//! progress recording, and the process's CPU time. Each test crate uses a part of them.

#![allow(dead_code, unused_imports, reason = "each test crate uses a part of the helpers")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

mod data;
pub mod instances;
pub mod oracle;
pub mod process;
pub mod progress;

pub use data::{data_dir, shared_data};
