//! The search space editor: one row per tuned hyperparameter (its
//! distribution, range and grid levels, or its choices), a list to add
//! more from, and the space's text form as the link carries it.
//!
//! Every edit goes through the space's text form and its parser, so the
//! editor accepts exactly what a link does and names what it refuses.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::engine::search::{Domain, Param, Space};
use crate::experiment::search::{TUNABLES, format_space, parse_space, tunable_of};

/// The distributions, by their key in the space's text form.
const KINDS: [(&str, &str); 5] =
    [("real", "uniform"), ("log", "log-uniform"), ("int", "integer"), ("logint", "log-integer"), ("choice", "choice")];

#[derive(Properties, PartialEq)]
pub struct SpaceEditorProps {
    pub space: Space,
    pub disabled: bool,
    /// The search is a grid search: each row says how many values its axis has.
    #[prop_or(true)]
    pub grid: bool,
    /// A new, valid space.
    pub onchange: Callback<Space>,
}

/// A row's fields in text form: kind, lo, hi, levels, choices.
#[derive(Clone, Debug, PartialEq)]
struct Fields {
    kind: &'static str,
    lo: String,
    hi: String,
    levels: usize,
    choices: Vec<String>,
}

impl Fields {
    fn of(param: &Param) -> Fields {
        let real = crate::engine::search::space::format_real;
        let (kind, lo, hi, choices) = match &param.domain {
            Domain::Uniform { lo, hi } => ("real", real(*lo), real(*hi), Vec::new()),
            Domain::LogUniform { lo, hi } => ("log", real(*lo), real(*hi), Vec::new()),
            Domain::Int { lo, hi, log } => {
                (if *log { "logint" } else { "int" }, lo.to_string(), hi.to_string(), Vec::new())
            }
            Domain::Choice(c) => ("choice", String::new(), String::new(), c.clone()),
        };
        Fields { kind, lo, hi, levels: param.levels, choices }
    }

    /// The row in the space's text form.
    fn item(&self, key: &str) -> String {
        match self.kind {
            "choice" => format!("{key}:choice:{}", self.choices.join("|")),
            kind => format!("{key}:{kind}:{}:{}:{}", self.lo.trim(), self.hi.trim(), self.levels),
        }
    }

    /// The same row with another distribution: a range becomes its grid's
    /// values as choices; numeric choices become their range.
    fn with_kind(&self, param: &Param, space: &Space, index: usize, kind: &'static str) -> Result<Fields, String> {
        let mut f = self.clone();
        f.kind = kind;
        match (self.kind, kind) {
            (from, "choice") if from != "choice" => {
                f.choices = space.axis(index).into_iter().map(|v| space.format(index, v)).collect();
            }
            ("choice", _) => {
                let numbers: Option<Vec<f64>> = self.choices.iter().map(|c| c.parse::<f64>().ok()).collect();
                let numbers = numbers
                    .filter(|n| !n.is_empty())
                    .ok_or_else(|| format!("{}: its choices are not all numbers, so they have no range", param.key))?;
                let (lo, hi) =
                    numbers.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
                f.lo = crate::engine::search::space::format_real(lo);
                f.hi = crate::engine::search::space::format_real(hi);
                f.levels = numbers.len().clamp(2, 50);
            }
            _ => {}
        }
        if matches!(kind, "int" | "logint") {
            for v in [&mut f.lo, &mut f.hi] {
                if let Ok(x) = v.parse::<f64>() {
                    *v = (x.round() as i64).to_string();
                }
            }
        }
        Ok(f)
    }
}

#[function_component]
pub fn SpaceEditor(p: &SpaceEditorProps) -> Html {
    let error = use_state(|| None::<(String, String)>);
    // Replaces row `i` by `item` (or removes it), and emits the space if it parses.
    let apply = {
        let (space, on, error) = (p.space.clone(), p.onchange.clone(), error.clone());
        Callback::from(move |(key, item): (String, Option<String>)| {
            let mut items: Vec<String> = space
                .params
                .iter()
                .filter(|q| q.key != key || item.is_some())
                .map(|q| {
                    if q.key == key {
                        item.clone().unwrap_or_default()
                    } else {
                        format_space(&Space { params: vec![q.clone()] })
                    }
                })
                .collect();
            if item.is_some() && !space.params.iter().any(|q| q.key == key) {
                items.extend(item.clone());
            }
            match parse_space(&items.join(",")) {
                Ok(new) => {
                    error.set(None);
                    on.emit(new);
                }
                Err(e) => error.set(Some((key.clone(), e))),
            }
        })
    };
    let on_add = {
        let apply = apply.clone();
        Callback::from(move |e: Event| {
            let select = e.target_unchecked_into::<HtmlSelectElement>();
            if let Some(t) = tunable_of(&select.value()) {
                apply.emit((t.key.to_string(), Some(t.default.to_string())));
            }
            select.set_value("");
        })
    };
    let groups: Vec<&str> = TUNABLES.iter().fold(Vec::new(), |mut g, t| {
        if !g.contains(&t.group) {
            g.push(t.group);
        }
        g
    });
    let rows = p.space.params.iter().enumerate().map(|(i, param)| {
        let fields = Fields::of(param);
        let key = param.key.clone();
        let label = tunable_of(&key).map_or(key.clone(), |t| t.label());
        let set = |change: fn(&mut Fields, String)| {
            let (apply, fields, key) = (apply.clone(), fields.clone(), key.clone());
            Callback::from(move |e: Event| {
                let mut f = fields.clone();
                change(&mut f, e.target_unchecked_into::<HtmlInputElement>().value());
                apply.emit((key.clone(), Some(f.item(&key))));
            })
        };
        let on_kind = {
            let (apply, error, fields, param, space, key) =
                (apply.clone(), error.clone(), fields.clone(), param.clone(), p.space.clone(), key.clone());
            Callback::from(move |e: Event| {
                let value = e.target_unchecked_into::<HtmlSelectElement>().value();
                let Some(&(kind, _)) = KINDS.iter().find(|(k, _)| *k == value) else { return };
                match fields.with_kind(&param, &space, i, kind) {
                    Ok(f) => apply.emit((key.clone(), Some(f.item(&key)))),
                    Err(message) => error.set(Some((key.clone(), message))),
                }
            })
        };
        let on_remove = {
            let (apply, key) = (apply.clone(), key.clone());
            Callback::from(move |_: MouseEvent| apply.emit((key.clone(), None)))
        };
        let row_error = error.as_ref().filter(|(k, _)| *k == key).map(|(_, m)| m.clone());
        let disabled = p.disabled;
        html! {
            <div class="space-row" data-key={key.clone()} role="group" aria-label={label.clone()}>
                <span class="space-key">{ label }<code>{ key.clone() }</code></span>
                <select class="space-kind" aria-label="distribution" onchange={on_kind} {disabled}>
                    { for KINDS.iter().map(|(k, l)| html! { <option value={*k} selected={fields.kind == *k}>{ *l }</option> }) }
                </select>
                if fields.kind == "choice" {
                    <input class="space-choices" aria-label="choices, separated by |" value={fields.choices.join(" | ")}
                        spellcheck="false" autocomplete="off" {disabled}
                        onchange={set(|f, v| f.choices = v.split('|').map(|c| c.trim().to_string()).collect())} />
                } else {
                    <input class="space-lo" aria-label="from" inputmode="decimal" value={fields.lo.clone()} {disabled}
                        onchange={set(|f, v| f.lo = v)} />
                    <span class="space-to">{ "to" }</span>
                    <input class="space-hi" aria-label="to" inputmode="decimal" value={fields.hi.clone()} {disabled}
                        onchange={set(|f, v| f.hi = v)} />
                    if p.grid {
                        <label class="space-levels" title="Values of this hyperparameter in a grid search">
                            <input type="number" min="1" max="50" aria-label="grid levels" value={fields.levels.to_string()} {disabled}
                                onchange={set(|f, v| f.levels = v.parse().unwrap_or(0))} />
                            <span>{ "in a grid" }</span>
                        </label>
                    }
                }
                <button class="space-remove" title="Stop tuning this" aria-label={format!("Remove {key}")}
                    onclick={on_remove} {disabled}>{ "✕" }</button>
                if let Some(m) = row_error {
                    <p class="error" role="alert">{ m }</p>
                }
            </div>
        }
    });
    let tuned = |k: &str| p.space.params.iter().any(|q| q.key == k);
    html! {
        <div class="space-editor" id="space-editor">
            { for rows }
            if let Some((key, m)) = (*error).clone().filter(|(k, _)| !tuned(k)) {
                <p class="error" role="alert" data-key={key}>{ m }</p>
            }
            <select id="space-add" aria-label="Add a hyperparameter to tune" onchange={on_add} disabled={p.disabled}>
                <option value="" selected=true>{ "+ Tune another hyperparameter…" }</option>
                { for groups.into_iter().map(|g| html! {
                    <optgroup label={g}>
                        { for TUNABLES.iter().filter(|t| t.group == g).map(|t| html! {
                            <option value={t.key} disabled={tuned(t.key)}>{ t.label() }</option>
                        }) }
                    </optgroup>
                }) }
            </select>
        </div>
    }
}
