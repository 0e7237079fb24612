//! The page's state as the Yew app holds it: [`crate::lab`]'s state and
//! reducer, driven by the browser's clock.

use std::rc::Rc;

use yew::Reducible;

pub use crate::lab::*;

impl Reducible for LabState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        LabState::reduce(self, action, now_ms())
    }
}

/// The page's clock in ms.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}
