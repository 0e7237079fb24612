//! The training engine: pure Rust, no web crates, no clock, no OS entropy.
//!
//! Every random choice flows from the experiment's seed through [`rng::Rng`];
//! every transcendental function through `libm` (see [`scalar`]). This is what
//! makes a run give bit-identical numbers natively and in the browser.

#[cfg(any(test, target_arch = "wasm32"))]
pub mod chacha;
pub mod data;
pub mod field;
pub mod model;
pub mod optim;
pub mod rng;
pub mod scalar;
pub mod schedule;
pub mod search;
pub mod sort;
pub mod surface;
pub mod train;
