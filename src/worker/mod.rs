//! The page ↔ worker protocol, and (on wasm32) the worker loop itself.

pub mod picture;
pub mod protocol;

#[cfg(target_arch = "wasm32")]
mod coordinator;
#[cfg(target_arch = "wasm32")]
mod port;
#[cfg(target_arch = "wasm32")]
pub mod runner;
