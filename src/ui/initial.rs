//! The lab the page opens with: what its address asks for — or, with no
//! experiment in the address, what this browser saved — with the link's
//! lesson step, tools, search (and the results this browser kept of it),
//! one-knob controls and autorun, the student's progress, and what could
//! not be used, said as notices.

use std::rc::Rc;

use super::state::{KeptRun, LabState, LessonState, relabel};
use crate::experiment::search::{search_from_query, search_to_query};
use crate::experiment::{ExperimentSpec, lab_from_query};

/// Where the browser keeps the lab between visits.
pub(super) const STORAGE_KEY: &str = "hyperlab.lab.v1";
/// Where it keeps the last finished search's results (`storage::to_text`;
/// version 1 was JSON, which lost every non-finite score).
pub(super) const SEARCH_STORAGE_KEY: &str = "hyperlab.search.v2";
/// Where it keeps the student's progress in the lessons (`Progress::to_text`).
pub(super) const PROGRESS_STORAGE_KEY: &str = "hyperlab.lessons.v1";

pub(super) fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The lab the page's address asks for — or, with no experiment in the
/// address, what this browser saved — and what could not be used.
pub(super) fn initial_state() -> LabState {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let from_link = !search.trim_start_matches('?').is_empty();
    let source = if from_link {
        search
    } else {
        storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()).unwrap_or_default()
    };
    let (spec, runs, mut notices) = lab_from_query(&source);
    // A link on the user's data waits for them (this browser's storage, or the file).
    let wanted = crate::experiment::own_ref_from_query(&source).0.filter(|f| f.csv.is_none()).map(|file| {
        notices.retain(|n| n.message != crate::experiment::FILE_NOT_LOADED);
        crate::lab::Wanted { file, source: source.clone(), asked: false, problem: None, saved_search: None }
    });
    // The saved lab is read like a link, and what it could not use is said the same way.
    let mut notices: Vec<String> = notices
        .iter()
        .map(|n| if from_link { n.to_string() } else { format!("in the lab this browser saved: {n}") })
        .collect();
    let mut kept_runs = runs
        .into_iter()
        .enumerate()
        .map(|(i, spec)| KeptRun {
            key: i as u32,
            label: String::new(),
            visible: true,
            spec,
            history: Default::default(),
            view: None,
            ended: false,
            state: crate::engine::train::RunState::Training,
            initial_loss: f64::NAN,
        })
        .collect::<Vec<_>>();
    relabel(&mut kept_runs);
    // A search in the link opens the search lab with its settings, and with
    // its results if this browser kept them from an earlier visit.
    let (search, search_notices) = search_from_query(&source);
    notices.extend(search_notices.iter().map(|n| n.to_string()));
    let (tools_pending, tool_notices) = crate::experiment::tools_from_query(&source);
    notices.extend(tool_notices.iter().map(|n| n.to_string()));
    // A lesson step in the link opens beside the lab; with no experiment of
    // its own, the link means the step's (`?v=1&lesson=regimes&step=2`).
    let (place, lesson_notices) = crate::lessons::place_from_query(&source);
    notices.extend(lesson_notices.iter().map(|n| n.to_string()));
    let lesson = place.map(LessonState::new);
    let (spec, tools_pending, search) = match &lesson {
        Some(l) if spec == ExperimentSpec::default() && kept_runs.is_empty() => {
            let setup = &l.place.step().setup;
            let tools =
                if tools_pending.is_empty() { crate::experiment::tools_from_query(setup).0 } else { tools_pending };
            (l.setup.clone(), tools, search.or_else(|| search_from_query(setup).0))
        }
        _ => (spec, tools_pending, search),
    };
    // A teacher's link may keep only some controls on the page.
    let (only, only_notices) = crate::experiment::only_from_query(&source);
    notices.extend(only_notices.iter().map(|n| n.to_string()));
    let progress = storage()
        .and_then(|s| s.get_item(PROGRESS_STORAGE_KEY).ok().flatten())
        .and_then(|text| {
            crate::lessons::Progress::from_text(&text)
                .map_err(|e| {
                    notices.push(format!("Your progress in the lessons could not be read ({e}); it starts afresh."));
                    if let Some(s) = storage() {
                        let _ = s.remove_item(PROGRESS_STORAGE_KEY);
                    }
                })
                .ok()
        })
        .unwrap_or_default();
    let search_query = search.map(|s| search_to_query(&s));
    let saved = search_query.as_ref().and_then(|_| {
        let text = storage()?.get_item(SEARCH_STORAGE_KEY).ok()??;
        crate::storage::from_text::<crate::ui::state::SavedSearch>(&text)
            .map_err(|e| {
                // Damaged or foreign: said, and dropped so it is not read again.
                notices.push(format!("The search this browser kept could not be read ({e}); it was discarded."));
                if let Some(s) = storage() {
                    let _ = s.remove_item(SEARCH_STORAGE_KEY);
                }
            })
            .ok()
    });
    // On the user's data the kept search waits for them (`Action::OwnDataFound`).
    let (wanted, saved) = match wanted {
        Some(w) => (Some(crate::lab::Wanted { saved_search: saved.map(Rc::new), ..w }), None),
        None => (None, saved),
    };
    let saved_search = search_query.as_ref().zip(saved).and_then(|(q, saved)| {
        if saved.source != format!("{}&{q}", crate::experiment::to_query(&spec)) {
            return None;
        }
        // Its trials on data the link carries are read with the lab's copy of them.
        let shown = crate::ui::state::SearchState::from_saved(saved, 0, spec.data.own.as_ref());
        if shown.is_none() {
            notices.push("The search this browser kept no longer matches its link; it was not shown.".into());
        }
        shown
    });
    LabState {
        spec,
        notices,
        search_query,
        search: saved_search.map(Rc::new),
        replay_pending: !kept_runs.is_empty(),
        tools_pending,
        kept: kept_runs,
        step_holds_view: lesson.is_some(),
        lesson: lesson.map(Rc::new),
        progress: Rc::new(progress),
        only: only.map(Rc::from),
        autorun_pending: from_link && crate::experiment::autorun_from_query(&source),
        wanted,
        ..LabState::default()
    }
}
