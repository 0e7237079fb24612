//! Messages between the page and the training worker, sent as JSON.
//!
//! **Invariant:** every message about a run carries its `run_id`; the page
//! ignores events of any run but the current one, so a late message from a
//! reset run can never land on a new chart.

use serde::{Deserialize, Serialize};

use crate::engine::train::{EpochRecord, RunState};
use crate::experiment::ExperimentSpec;

/// Resolution of the decision-boundary grid the worker sends (cells per side).
pub const BOUNDARY_RES: usize = 64;
/// The grid covers `[-BOUNDARY_EXTENT, BOUNDARY_EXTENT]²`, the data's square plus a margin.
pub const BOUNDARY_EXTENT: f32 = 1.3;
/// Target length of one chunk of training between checks for commands.
pub const CHUNK_MS: f64 = 30.0;

/// How fast the worker trains. Pacing changes when epochs run, never their numbers.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pace {
    /// As fast as the machine allows, in chunks of about [`CHUNK_MS`].
    Max,
    /// About this many epochs per second, so a person can watch.
    EpochsPerSecond(f64),
}

/// Quantises a probability to a byte for the boundary grid.
pub fn quantise(p: f32) -> u8 {
    (p.clamp(0.0, 1.0) * 255.0 + 0.5) as u8
}

/// Page → worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case")]
pub enum Command {
    /// Start a new run (replacing any other), running until paused or done.
    Start {
        run_id: u32,
        spec: Box<ExperimentSpec>,
        pace: Pace,
    },
    /// Change how fast the current run trains (never what it computes).
    SetPace {
        pace: Pace,
    },
    Pause {
        run_id: u32,
    },
    Resume {
        run_id: u32,
    },
    /// Train exactly one epoch, then stay paused.
    Step {
        run_id: u32,
    },
    /// Drop the current run.
    Stop,
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// The worker has loaded and takes commands.
    Ready,
    /// New epoch records since the last progress event, with the current
    /// decision boundary: `BOUNDARY_RES²` probabilities of class 1, top row
    /// first, quantised to `0..=255` (the display needs no more).
    Progress { run_id: u32, records: Vec<EpochRecord>, boundary: Vec<u8>, state: RunState, paused: bool },
    /// A command could not be carried out (e.g. an invalid spec).
    Error { run_id: u32, message: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_and_events_round_trip_as_json() {
        let cmd = Command::Start { run_id: 3, spec: Box::default(), pace: Pace::EpochsPerSecond(50.0) };
        let json = serde_json::to_string(&cmd).unwrap();
        assert_eq!(serde_json::from_str::<Command>(&json).unwrap(), cmd);
        let ev = Event::Progress {
            run_id: 3,
            records: vec![],
            boundary: vec![quantise(0.5); 4],
            state: RunState::Diverged { epoch: 7 },
            paused: false,
        };
        let json = serde_json::to_string(&ev).unwrap();
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), ev);
    }

    #[test]
    fn quantise_maps_the_unit_interval_onto_bytes() {
        assert_eq!(quantise(0.0), 0);
        assert_eq!(quantise(1.0), 255);
        assert_eq!(quantise(0.5), 128);
        assert_eq!(quantise(f32::NAN), 0);
        assert_eq!(quantise(7.0), 255);
    }
}
