//! Page components, one per file.

pub mod controls;
pub mod diagnostics;
pub mod draw;
pub mod export;
pub mod figure;
pub mod hover;
pub mod kept;
pub mod lessons;
pub mod lr_finder;
pub mod network;
pub mod own_data;
pub mod race;
pub mod readout;
pub mod regimes;
pub mod schedule_form;
pub mod search;
pub mod settings;
pub mod share;
pub mod space_editor;
pub mod views;
pub mod what_if;

pub use controls::{Controls, RunButtons};
pub use diagnostics::Diagnostics;
pub use kept::KeptRunsPanel;
pub use lessons::LessonPanel;
pub use lr_finder::LrFinderPanel;
pub use network::NetworkView;
pub use race::RacePanel;
pub use readout::Readout;
pub use regimes::RegimesPanel;
pub use schedule_form::{LiveLr, ScheduleForm};
pub use share::QrCodePanel;
pub use views::{DataView, Later, LossChart, LrChart};

use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// A node that is scrolled into view when the component appears, if
/// `into_view`: a tool opened from the toolbar or a link shows itself,
/// wherever the page was (once the page's start has shown all of the lab
/// above it, [`views::when_settled`]). A tool a lesson step opened does not:
/// the step's text keeps the view.
#[hook]
pub fn use_in_view(into_view: bool) -> NodeRef {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            if into_view {
                views::when_settled(move || scroll_to(&node));
            }
        });
    }
    node
}

/// A button's click that scrolls the page to the first element `selector`
/// names (on a phone the settings are far below the run: one tap away).
pub fn jump_to(selector: impl Into<String>) -> Callback<MouseEvent> {
    let selector = selector.into();
    Callback::from(move |_: MouseEvent| {
        let document = web_sys::window().and_then(|w| w.document());
        if let Some(el) = document.and_then(|d| d.query_selector(&selector).ok().flatten()) {
            el.scroll_into_view_with_bool(true);
        }
    })
}

/// Scrolls the page so that the node's top is at the window's top.
pub fn scroll_to(node: &NodeRef) {
    if let Some(el) = node.cast::<web_sys::Element>() {
        el.scroll_into_view_with_bool(true);
    }
}

/// Keeps a `<select>`'s current value equal to `value` after every change of
/// it. (Setting `selected` on the options alone does not move a select the
/// user has already used.)
#[hook]
pub fn use_select_value(value: String) -> NodeRef {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(value, move |value| {
            if let Some(select) = node.cast::<HtmlSelectElement>() {
                select.set_value(value);
            }
        });
    }
    node
}
