//! The user's own data: a CSV file chosen or dropped, read in slices,
//! shown as the lab understood it (first rows, each column's type and
//! missing values), with the target, the task, the columns left out and
//! what to do with missing values chosen before it is used; and the notice
//! of a link whose data file this browser does not have.

use std::cell::Cell;
use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::engine::data::Task;
use crate::engine::data::table::{MissingRows, Selection, Table, TaskChoice, Values};
use crate::experiment::{ExperimentSpec, OwnData, OwnRef};
use crate::ui::own_file;

/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 6;
/// Columns shown in the preview (the rest are counted).
const PREVIEW_COLUMNS: usize = 12;

/// A table read, shared: equal when it is the same reading (comparing two
/// tables of a million values on every render would cost a frame).
#[derive(Clone, Debug)]
struct Shared(Rc<Table>);

impl PartialEq for Shared {
    fn eq(&self, other: &Shared) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Shared {
    type Target = Table;
    fn deref(&self) -> &Table {
        &self.0
    }
}

/// Where the reading of a file stands.
#[derive(Clone, PartialEq)]
enum Stage {
    Empty,
    Reading { name: String, share: f64 },
    Failed { name: String, message: String },
    Read { name: String, table: Shared },
}

/// Reads the file the user gave, unless another was given since (`epoch`).
fn start_reading(file: web_sys::File, stage: UseStateHandle<Stage>, epoch: Rc<Cell<u32>>) {
    let mine = epoch.get() + 1;
    epoch.set(mine);
    let name = file.name();
    stage.set(Stage::Reading { name: name.clone(), share: 0.0 });
    wasm_bindgen_futures::spawn_local(async move {
        let progress = {
            let (stage, epoch, name) = (stage.clone(), epoch.clone(), name.clone());
            move |share: f64| {
                if epoch.get() == mine {
                    stage.set(Stage::Reading { name: name.clone(), share });
                }
            }
        };
        let read = own_file::read_table(&file, progress).await;
        if epoch.get() != mine {
            return;
        }
        stage.set(match read {
            Ok(table) => Stage::Read { name, table: Shared(Rc::new(table)) },
            Err(message) => Stage::Failed { name, message },
        });
    });
}

/// The first file of a file input's change, or of a drop.
fn input_file(e: &Event) -> Option<web_sys::File> {
    e.target_dyn_into::<HtmlInputElement>()?.files()?.get(0)
}

fn dropped_file(e: &DragEvent) -> Option<web_sys::File> {
    e.data_transfer()?.files()?.get(0)
}

/// The first choices of the preview: the last column as the target, every
/// other column a feature (a text column among them is named, with its
/// place, until it is left out: it may be a typo in a column of numbers,
/// which leaving it out silently would hide).
fn first_selection(table: &Table) -> Selection {
    let target = table.columns.len().saturating_sub(1);
    Selection { target, ignored: Vec::new(), missing: MissingRows::Refuse, task: TaskChoice::Auto }
}

#[derive(Properties, PartialEq)]
pub struct OwnDataProps {
    pub spec: ExperimentSpec,
    pub onspec: Callback<ExperimentSpec>,
    /// A problem keeping the data in this browser (`None`: kept).
    pub onstorage: Callback<Option<String>>,
}

/// "Your data": the file picker and drop zone, the reading, the preview and
/// its choices, and "Train on this data".
#[function_component]
pub fn OwnDataPanel(p: &OwnDataProps) -> Html {
    let stage = use_state(|| Stage::Empty);
    let selection = use_state(|| None::<Selection>);
    let epoch = (*use_memo((), |_| Rc::new(Cell::new(0u32)))).clone();
    let dragging = use_state(|| false);
    // A new table gets the first choices.
    {
        let selection = selection.clone();
        use_effect_with((*stage).clone(), move |stage| {
            selection.set(match stage {
                Stage::Read { table, .. } => Some(first_selection(table)),
                _ => None,
            });
        });
    }
    let read = {
        let (stage, epoch) = (stage.clone(), epoch.clone());
        move |file: web_sys::File| start_reading(file, stage.clone(), epoch.clone())
    };
    let onchange = {
        let read = read.clone();
        Callback::from(move |e: Event| {
            if let Some(file) = input_file(&e) {
                read(file);
            }
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let (read, dragging) = (read.clone(), dragging.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = dropped_file(&e) {
                read(file);
            }
        })
    };
    let using = p.spec.data.own.as_ref().map(|o| o.file.name.clone());
    let carry_problem = use_state(|| None::<String>);
    let carry = p.spec.data.own.as_ref().map(|own| {
        let carried = own.file.csv.is_some();
        let onclick = {
            let (own, spec, onspec, problem) = (own.clone(), p.spec.clone(), p.onspec.clone(), carry_problem.clone());
            Callback::from(move |_: MouseEvent| {
                let next = if carried { Ok(own.named()) } else { own.embedded() };
                match next {
                    Ok(next) => {
                        problem.set(None);
                        onspec.emit(spec.with_own_data(next));
                    }
                    Err(e) => problem.set(Some(e)),
                }
            })
        };
        html! {
            <div class="own-carry">
                <button id="own-carry" class="chip" aria-pressed={carried.to_string()} {onclick}>
                    { if carried { "The link carries the data" } else { "Put the data in the link" } }
                </button>
                <p class="hint">{ if carried {
                    "Whoever opens the link trains on these data, without the file (press again to name the file instead)."
                } else {
                    "The link names the data by their content; whoever opens it needs the file. A small data set can travel in the link instead."
                } }</p>
                if let Some(e) = (*carry_problem).clone() {
                    <p class="field-error" role="alert" id="own-carry-error">{ e }</p>
                }
            </div>
        }
    });
    html! {
        <details class="group" id="own-data" open={*stage != Stage::Empty}>
            <summary>{ "Your data (CSV)" }<span class="summary-note">{
                match &using { Some(name) => format!("training on {name}"), None => "read here, never uploaded".into() }
            }</span></summary>
            { carry.unwrap_or_default() }
            <div class={classes!("drop-zone", dragging.then_some("over"))} id="own-drop" {ondragover} {ondragleave} {ondrop}>
                <p>{ "Drop a CSV file here, or " }
                    <input type="file" id="own-file" class="visually-hidden" accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values" {onchange} />
                    <label class="file-button" for="own-file">{ "choose a file" }</label>
                </p>
                <p class="hint">{ "Comma, semicolon (decimal commas) or tab separated, header optional. Numbers in the feature \
                    columns; the target may be text (classes) or numbers. Up to 20 MB, 200 000 rows and 1 000 columns: \
                    about what trains here in reasonable time. The file is read in this browser and never leaves it." }</p>
            </div>
            { match &*stage {
                Stage::Empty => html! {},
                Stage::Reading { name, share } => html! {
                    <p class="own-reading" role="status" id="own-reading">
                        { format!("Reading {name}… {:.0} %", share * 100.0) }
                        <progress max="1" value={share.to_string()}></progress>
                    </p>
                },
                Stage::Failed { name, message } => html! {
                    <p class="field-error" role="alert" id="own-error">{ format!("{name} could not be used: {message}.") }</p>
                },
                Stage::Read { name, table } => match (*selection).clone() {
                    Some(sel) => html! {
                        <Preview name={AttrValue::from(name.clone())} table={table.clone()} selection={sel}
                            onselection={{ let s = selection.clone(); Callback::from(move |x| s.set(Some(x))) }}
                            spec={p.spec.clone()} onspec={p.onspec.clone()} onstorage={p.onstorage.clone()} />
                    },
                    None => html! {},
                },
            } }
        </details>
    }
}

#[derive(Properties, PartialEq)]
struct PreviewProps {
    name: AttrValue,
    table: Shared,
    selection: Selection,
    onselection: Callback<Selection>,
    spec: ExperimentSpec,
    onspec: Callback<ExperimentSpec>,
    onstorage: Callback<Option<String>>,
}

/// A column's type and missing values, in a few words.
fn column_kind(t: &Table, i: usize) -> String {
    let c = &t.columns[i];
    let kind = match &c.values {
        Values::Numbers(_) if t.looks_like_classes(i) => "whole numbers".to_string(),
        Values::Numbers(_) => "numbers".to_string(),
        Values::Text { levels, .. } => format!("text, {} values", levels.len()),
    };
    if c.missing > 0 { format!("{kind}, {} missing", c.missing) } else { kind }
}

/// Row `r` of column `i`, as the preview shows it.
fn cell(t: &Table, i: usize, r: usize) -> String {
    match &t.columns[i].values {
        Values::Numbers(v) => v.get(r).map_or(String::new(), |x| if x.is_nan() { "–".into() } else { format!("{x}") }),
        Values::Text { levels, codes } => {
            codes.get(r).and_then(|&c| levels.get(c as usize)).cloned().unwrap_or_else(|| "–".into())
        }
    }
}

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

/// The data set the preview's choices make, or why not.
type Made = Rc<Result<OwnData, String>>;

/// The data set of the preview's current choices (`current`), and the last
/// one made for this table while the current one is being made (`last`).
#[derive(Clone)]
struct Making {
    current: Option<Made>,
    last: Option<Made>,
}

impl Making {
    /// What the preview shows: the current data set, else the last one.
    fn shown(&self) -> Option<&Result<OwnData, String>> {
        self.current.as_deref().or(self.last.as_deref())
    }

    /// The choices changed and their data set is not made yet.
    fn pending(&self) -> bool {
        self.current.is_none()
    }
}

/// Makes the data set of `table` for `selection` a task after the render
/// that shows the choices, and names it (its content hash) a task later:
/// for 190 000 rows the two take 50–75 ms together, too long for one task
/// of the page (nor need the table and its checkboxes wait for them).
/// Choices changed again in between cancel the work for the old ones.
#[hook]
fn use_made(table: &Shared, selection: &Selection, name: &AttrValue) -> Making {
    type Key = (Shared, Selection, AttrValue);
    let done = use_state(|| None::<(Key, Made)>);
    let key: Key = (table.clone(), selection.clone(), name.clone());
    {
        let done = done.clone();
        use_effect_with(key.clone(), move |key| {
            let (first, key) = (key.clone(), key.clone());
            super::views::in_two_tasks(
                move || first.0.dataset(&first.1),
                move |data| {
                    let (table, sel, name) = &key;
                    let made = data.map(|d| OwnData::from_made(name, table, sel, d)).map_err(|e| e.to_string());
                    done.set(Some((key, Rc::new(made))));
                },
            )
        });
    }
    match &*done {
        Some((k, made)) if *k == key => Making { current: Some(made.clone()), last: None },
        Some((k, made)) if k.0 == key.0 => Making { current: None, last: Some(made.clone()) },
        _ => Making { current: None, last: None },
    }
}

/// What the lab understood of the file, the choices, and the way on.
#[function_component]
fn Preview(p: &PreviewProps) -> Html {
    let t = &p.table;
    let sel = &p.selection;
    let made = use_made(&p.table, sel, &p.name);
    let delimiter = match t.delimiter {
        b';' => "semicolon",
        b'\t' => "tab",
        _ => "comma",
    };
    let shown = t.columns.len().min(PREVIEW_COLUMNS);
    let change = |f: fn(&mut Selection, &str)| {
        let (sel, on) = (sel.clone(), p.onselection.clone());
        Callback::from(move |e: Event| {
            let mut next = sel.clone();
            f(&mut next, &select_value(&e));
            on.emit(next);
        })
    };
    let on_target = change(|s, v| {
        if let Ok(i) = v.parse::<usize>() {
            s.target = i;
            s.ignored.retain(|&j| j != i);
        }
    });
    let on_task = change(|s, v| s.task = TaskChoice::from_key(v).unwrap_or(TaskChoice::Auto));
    let on_missing = change(|s, v| s.missing = if v == "drop" { MissingRows::Drop } else { MissingRows::Refuse });
    let missing_used = t.columns.iter().enumerate().any(|(i, c)| c.missing > 0 && !sel.ignored.contains(&i));
    let guess = if t.looks_like_classes(sel.target) { "classification" } else { "regression" };
    let toggles = (0..t.columns.len()).filter(|&i| i != sel.target).map(|i| {
        let left_out = sel.ignored.contains(&i);
        let onchange = {
            let (sel, on) = (sel.clone(), p.onselection.clone());
            Callback::from(move |_: Event| {
                let mut next = sel.clone();
                if left_out {
                    next.ignored.retain(|&j| j != i);
                } else {
                    // Kept in order (inserted in place: a sort here compiled one more copy of the sort).
                    next.ignored.insert(next.ignored.partition_point(|&j| j < i), i);
                }
                on.emit(next);
            })
        };
        html! {
            <label class="own-column"><input type="checkbox" id={format!("own-use-{}", i + 1)} checked={!left_out} {onchange} />
                { t.columns[i].name.clone() }</label>
        }
    });
    let onuse = {
        let (made, spec, onspec, onstorage) = (made.clone(), p.spec.clone(), p.onspec.clone(), p.onstorage.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(Ok(own)) = made.current.as_deref() else { return };
            onspec.emit(spec.with_own_data(own.clone()));
            keep(own.clone(), onstorage.clone());
        })
    };
    // The same data (carried in the link or named by it).
    let in_use = p
        .spec
        .data
        .own
        .as_ref()
        .zip(made.shown().and_then(|m| m.as_ref().ok()))
        .is_some_and(|(a, b)| a.file.hash == b.file.hash);
    html! {
        <div class="own-preview" id="own-preview">
            <p id="own-facts">{ format!(
                "{}: {} rows, {} columns, {delimiter}-separated, {}.",
                p.name, t.n_rows, t.columns.len(), if t.header { "with a header" } else { "no header (columns numbered)" }
            ) }</p>
            <div class="own-table-wrap">
                <table id="own-table">
                    <thead><tr>{ for (0..shown).map(|i| html! {
                        <th class={classes!((i == sel.target).then_some("target"), sel.ignored.contains(&i).then_some("left-out"))}>
                            { t.columns[i].name.clone() }<br /><small>{ column_kind(t, i) }</small>
                        </th>
                    }) }</tr></thead>
                    <tbody>{ for (0..t.n_rows.min(PREVIEW_ROWS)).map(|r| html! {
                        <tr>{ for (0..shown).map(|i| html! { <td>{ cell(t, i, r) }</td> }) }</tr>
                    }) }</tbody>
                </table>
            </div>
            if t.columns.len() > shown {
                <p class="hint">{ format!("and {} more columns", t.columns.len() - shown) }</p>
            }
            <label class="field"><span>{ "Target" }</span>
                <select id="own-target" onchange={on_target}>
                    { for t.columns.iter().enumerate().map(|(i, c)| html! {
                        <option value={i.to_string()} selected={i == sel.target}>{ c.name.clone() }</option>
                    }) }
                </select>
            </label>
            <label class="field"><span>{ "Task" }</span>
                <select id="own-task" onchange={on_task}>
                    <option value="auto" selected={sel.task == TaskChoice::Auto}>{ format!("as read: {guess}") }</option>
                    <option value="classification" selected={sel.task == TaskChoice::Classification}>{ "classification" }</option>
                    <option value="regression" selected={sel.task == TaskChoice::Regression}>{ "regression" }</option>
                </select>
            </label>
            if missing_used {
                <label class="field"><span>{ "Missing values" }</span>
                    <select id="own-missing" onchange={on_missing}>
                        <option value="refuse" selected={sel.missing == MissingRows::Refuse}>{ "refuse the file" }</option>
                        <option value="drop" selected={sel.missing == MissingRows::Drop}>{ "drop those rows" }</option>
                    </select>
                </label>
            }
            <fieldset class="own-columns"><legend>{ "Features (uncheck to leave a column out)" }</legend>{ for toggles }</fieldset>
            { match made.shown() {
                // The first choices' data, still being made.
                None => html! { <p id="own-making" role="status">{ "Making the data set…" }</p> },
                // Until the new choices' data are made, the last ones' line
                // stays (greyed, its button off) rather than blinking.
                Some(Ok(own)) => html! {
                    <>
                        <p id="own-result" role="status" class={classes!(made.pending().then_some("stale"))}
                            aria-busy={made.pending().to_string()}>{ understood(own, t) }</p>
                        <button id="own-use" class="primary" disabled={in_use || made.pending()} onclick={onuse}>
                            { if in_use { "Training on this data" } else { "Train on this data" } }
                        </button>
                    </>
                },
                Some(Err(message)) => html! {
                    <p class={classes!("field-error", made.pending().then_some("stale"))} role="alert" id="own-problem"
                        aria-busy={made.pending().to_string()}>{ message.clone() }</p>
                },
            } }
        </div>
    }
}

/// "Classification into 3 classes (setosa, versicolor, virginica): 150
/// examples of 4 features; 2 rows dropped for a missing value."
fn understood(own: &OwnData, t: &Table) -> String {
    let d = &own.data;
    let task = match d.task {
        Task::Regression => "Regression".to_string(),
        Task::Classification { n_classes } => {
            let mut names: Vec<String> = own.classes.iter().take(8).cloned().collect();
            if own.classes.len() > 8 {
                names.push("…".into());
            }
            format!("Classification into {n_classes} classes ({})", names.join(", "))
        }
    };
    let dropped = t.n_rows - d.len();
    let dropped = if dropped > 0 { format!("; {dropped} rows dropped for a missing value") } else { String::new() };
    format!("{task}: {} examples of {} features{dropped}.", d.len(), d.n_features)
}

#[derive(Properties, PartialEq)]
pub struct WantedProps {
    /// The data the link names.
    pub file: OwnRef,
    /// Why the last file given was not it.
    pub problem: Option<AttrValue>,
    pub onfound: Callback<OwnData>,
    pub onproblem: Callback<String>,
    pub ondismiss: Callback<()>,
    pub onstorage: Callback<Option<String>>,
}

/// "This link uses a data file you do not have: load it." The file given
/// is read and must make exactly the link's data (its hash).
/// Keeps the user's data in this browser's storage under their hash, and
/// says through `onstorage` whether it could (a link will ask for the file
/// again where it could not).
fn keep(own: OwnData, onstorage: Callback<Option<String>>) {
    wasm_bindgen_futures::spawn_local(async move {
        onstorage.emit(own_file::save(&own).await.err().map(|e| {
            format!("This browser could not keep your data file ({e}); a link to it will ask for the file again.")
        }));
    });
}

#[function_component]
pub fn WantedFile(p: &WantedProps) -> Html {
    let stage = use_state(|| Stage::Empty);
    let epoch = (*use_memo((), |_| Rc::new(Cell::new(0u32)))).clone();
    {
        // A file read: made into the link's data, or why not.
        let (file, onfound, onproblem, onstorage) =
            (p.file.clone(), p.onfound.clone(), p.onproblem.clone(), p.onstorage.clone());
        // Made a task after the reading ends and named a task later
        // (`OwnRef::make` in its steps), as the preview's data set is.
        use_effect_with((*stage).clone(), move |stage| -> Box<dyn FnOnce()> {
            match stage {
                Stage::Read { table, .. } => {
                    let (table, file2, table2) = (table.clone(), file.clone(), table.clone());
                    Box::new(super::views::in_two_tasks(
                        move || {
                            let sel = file2.selection_in(&table2)?;
                            table2.dataset(&sel).map(|data| (sel, data)).map_err(|e| e.to_string())
                        },
                        move |made| match made
                            .and_then(|(sel, data)| file.accept(OwnData::from_made(&file.name, &table, &sel, data)))
                        {
                            Ok(own) => {
                                onfound.emit(own.clone());
                                keep(own, onstorage);
                            }
                            Err(e) => onproblem.emit(e),
                        },
                    ))
                }
                Stage::Failed { message, .. } => {
                    onproblem.emit(message.clone());
                    Box::new(|| ())
                }
                _ => Box::new(|| ()),
            }
        });
    }
    let onchange = {
        let (stage, epoch) = (stage.clone(), epoch.clone());
        Callback::from(move |e: Event| {
            if let Some(file) = input_file(&e) {
                start_reading(file, stage.clone(), epoch.clone());
            }
        })
    };
    let f = &p.file;
    let ignored = if f.ignore.is_empty() { String::new() } else { format!(", leaving out {}", f.ignore.join(", ")) };
    html! {
        <div class="notice" role="alert" id="wanted-file">
            <strong>{ "This link uses a data file you do not have: load it." }</strong>
            <p>{ format!("It trains on {} (target column {}{ignored}). Files stay on each machine, so the link names the data \
                by its content ({}); load the same file to see the experiment.", f.name, f.target, f.hash) }</p>
            <p>
                <input type="file" id="wanted-input" class="visually-hidden" accept=".csv,.tsv,.txt,text/csv" {onchange} />
                <label class="file-button" for="wanted-input">{ format!("Load {}", f.name) }</label>
                <button id="wanted-dismiss" onclick={p.ondismiss.reform(|_: MouseEvent| ())}>{ "Use the lab's data instead" }</button>
            </p>
            if let Stage::Reading { share, .. } = &*stage {
                <p role="status">{ format!("Reading… {:.0} %", share * 100.0) }</p>
            }
            if let Some(problem) = p.problem.clone() {
                <p class="field-error" id="wanted-problem">{ problem }</p>
            }
        </div>
    }
}
