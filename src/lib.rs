//! HyperLab: see what hyperparameters do to a neural network.
//!
//! - [`engine`]: the pure-Rust trainer (tested natively, runs in the worker).
//! - [`experiment`]: the experiment spec, its validation and its query-string form.
//! - [`lab`]: the page's state and its reducer (pure; the `ui` holds it).
//! - [`lessons`]: the course as guided lessons, read from `lessons/`, and
//!   the checks of their tasks.
//! - [`plot`]: pure chart helpers (axis ranges).
//! - [`storage`]: what the page keeps in the browser, as text.
//! - [`worker`]: the messages between the page and its training worker, and
//!   (on wasm32) the worker loop.
//! - `ui` (wasm32 only): the Yew app.

pub mod base64;
pub mod bench;
pub mod engine;
pub mod experiment;
pub mod figure;
pub mod lab;
pub mod lessons;
pub mod palette;
pub mod plot;
pub mod storage;
pub mod worker;

#[cfg(target_arch = "wasm32")]
pub mod ui;
