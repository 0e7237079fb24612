//! Page components, one per file.

pub mod controls;
pub mod readout;
pub mod views;

pub use controls::Controls;
pub use readout::Readout;
pub use views::{DataView, LossChart};
