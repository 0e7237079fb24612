//! The page ↔ worker protocol, and (on wasm32) the workers' loops: the
//! training worker (`runner`, the `worker` bin, started with the page; it
//! also trains a search's trials in the pool) and the study worker
//! (`coordinator`, the `study` bin, started when a search or an export needs it).

pub mod picture;
pub mod protocol;
pub mod view;

#[cfg(target_arch = "wasm32")]
pub mod coordinator;
#[cfg(target_arch = "wasm32")]
mod data;
#[cfg(target_arch = "wasm32")]
mod port;
#[cfg(target_arch = "wasm32")]
pub mod runner;
