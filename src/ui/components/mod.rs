//! Page components, one per file.

pub mod controls;
pub mod hover;
pub mod kept;
pub mod lr_finder;
pub mod race;
pub mod readout;
pub mod regimes;
pub mod schedule_form;
pub mod search;
pub mod space_editor;
pub mod views;
pub mod what_if;

pub use controls::Controls;
pub use kept::KeptRunsPanel;
pub use lr_finder::LrFinderPanel;
pub use race::RacePanel;
pub use readout::Readout;
pub use regimes::RegimesPanel;
pub use schedule_form::{LiveLr, ScheduleForm};
pub use views::{DataView, LossChart, LrChart};
