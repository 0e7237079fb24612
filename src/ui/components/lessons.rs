//! "Lessons": the course as guided steps beside the lab — the list of
//! lessons with the student's progress, and the open step: its text, the
//! tasks the page checks (`crate::lessons::Check`, marked by the reducer from
//! what the student ran), its question with feedback, and the way on.

use std::rc::Rc;

use yew::prelude::*;

use crate::lab::LessonState;
use crate::lessons::{self, Lesson, Place, Progress};

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub lesson: Option<Rc<LessonState>>,
    /// Show the list of lessons (instead of the step).
    pub index: bool,
    pub progress: Rc<Progress>,
    pub onopen: Callback<Place>,
    pub onindex: Callback<bool>,
    pub onclose: Callback<()>,
    pub onanswer: Callback<()>,
    pub onreset: Callback<()>,
    /// The ids of the tools' panels open below the lab (`regimes`, `search`, …).
    pub tools: Vec<&'static str>,
}

#[function_component]
pub fn LessonPanel(p: &LessonPanelProps) -> Html {
    let node = use_node_ref();
    // A step opened (or the list) is read from its start: the panel's own
    // scroll back at its top, and the panel brought into view when its top
    // is out of sight or low in the window (a phone's "Next →" at the
    // bottom of a long step), after whatever the page's start holds back.
    {
        let node = node.clone();
        let shown = (p.lesson.as_ref().map(|l| l.place), p.index);
        use_effect_with(shown, move |_| {
            super::views::when_settled(move || {
                let Some(panel) = node.cast::<web_sys::HtmlElement>() else { return };
                panel.set_scroll_top(0);
                let height = web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|h| h.as_f64());
                let top = panel.get_bounding_client_rect().top();
                if top < 0.0 || height.is_some_and(|h| top > h / 2.0) {
                    super::scroll_to(&node);
                }
            });
        });
    }
    let close = p.onclose.reform(|_: MouseEvent| ());
    let body = match (&p.lesson, p.index) {
        (Some(lesson), false) => html! {
            <StepView place={lesson.place} progress={p.progress.clone()} onopen={p.onopen.clone()}
                onindex={p.onindex.clone()} onanswer={p.onanswer.clone()} tools={p.tools.clone()} />
        },
        _ => {
            html! { <LessonIndex progress={p.progress.clone()} onopen={p.onopen.clone()} onreset={p.onreset.clone()} /> }
        }
    };
    html! {
        <section class="panel lesson-panel" id="lesson" ref={node} aria-label="Lesson">
            <button class="lesson-close" id="close-lesson" title="Close the lessons (the lab stays as it is)" onclick={close}>{ "Close" }</button>
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct IndexProps {
    progress: Rc<Progress>,
    onopen: Callback<Place>,
    onreset: Callback<()>,
}

/// The list of lessons, by part of the course, with the steps done.
#[function_component]
fn LessonIndex(p: &IndexProps) -> Html {
    let confirm = use_state(|| false);
    let reset = {
        let (confirm, onreset) = (confirm.clone(), p.onreset.clone());
        Callback::from(move |_: MouseEvent| {
            if *confirm {
                onreset.emit(());
                confirm.set(false);
            } else {
                confirm.set(true);
            }
        })
    };
    html! {
        <>
            <h2>{ "Lessons" }</h2>
            <p class="hint">{ "The course, step by step: each step sets up an experiment, asks you to do something with it, \
                and checks what you ran. Your progress stays in this browser." }</p>
            <ol class="lesson-list">
                { for lessons::all().iter().map(|lesson| {
                    let done = p.progress.steps_done(lesson);
                    let total = lesson.steps.len();
                    // Where the student left off: the first step not done.
                    let step = (0..total).find(|&s| !p.progress.step_done(lesson, s)).unwrap_or(0);
                    let onopen = p.onopen.reform(move |_: MouseEvent| Place { lesson, step });
                    html! {
                        <li data-lesson={lesson.id.clone()} data-done={done.to_string()}>
                            <button class="lesson-open" onclick={onopen}>
                                <span class="part">{ format!("Part {}", lesson.part) }</span>
                                <strong>{ &lesson.title }</strong>
                                <span class="summary">{ &lesson.summary }</span>
                                <span class="steps-done">{ format!("{done} of {total} steps done") }</span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
            if !p.progress.is_empty() {
                <button id="reset-progress" onclick={reset}>
                    { if *confirm { "Really forget all progress?" } else { "Reset progress" } }
                </button>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct StepProps {
    place: Place,
    progress: Rc<Progress>,
    onopen: Callback<Place>,
    onindex: Callback<bool>,
    onanswer: Callback<()>,
    tools: Vec<&'static str>,
}

/// The tools' panels below the lab: each one's element id, and the button
/// that brings it into view.
const TOOL_JUMPS: [(&str, &str); 4] = [
    ("regimes", "The four regimes ↓"),
    ("lr-finder", "The range test ↓"),
    ("race", "The race ↓"),
    ("search", "The search ↓"),
];

#[function_component]
fn StepView(p: &StepProps) -> Html {
    let Place { lesson, step: at } = p.place;
    let step = p.place.step();
    // The answer picked, forgotten when the step changes.
    let picked = use_state(|| None::<usize>);
    {
        let picked = picked.clone();
        use_effect_with(p.place, move |_| picked.set(None));
    }
    // The feedback to an answer is brought into sight (the panel may scroll).
    let feedback = use_node_ref();
    {
        let feedback = feedback.clone();
        use_effect_with(*picked, move |_| {
            if let Some(el) = feedback.cast::<web_sys::Element>() {
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                el.scroll_into_view_with_scroll_into_view_options(&options);
            }
        });
    }
    let id = &lesson.id;
    let go = |to: usize| p.onopen.reform(move |_: MouseEvent| Place { lesson, step: to });
    let n = lesson.steps.len();
    html! {
        <>
            <p class="lesson-where">
                <button class="link" id="all-lessons" onclick={p.onindex.reform(|_: MouseEvent| true)}>{ "All lessons" }</button>
                { format!(" · Part {} · {}", lesson.part, lesson.title) }
            </p>
            { steps_bar(lesson, at, &p.progress, &p.onopen) }
            <h2 id="step-title">{ format!("{}. {}", at + 1, step.title) }</h2>
            { for step.text.iter().map(|t| html! { <p>{ t }</p> }) }
            <h3>{ "Your tasks" }</h3>
            <ul class="tasks" id="tasks">
                { for step.tasks.iter().enumerate().map(|(t, task)| {
                    let done = p.progress.task_done(id, at, t);
                    html! {
                        <li class="task" data-done={done.to_string()}>
                            <span class="mark" aria-hidden="true">{ if done { "✓" } else { "○" } }</span>
                            { &task.text }
                            <span class="visually-hidden">{ if done { " (done)" } else { " (not done yet)" } }</span>
                        </li>
                    }
                }) }
            </ul>
            <p class="jumps">
                // On a phone the settings are below the run: one tap away.
                <button class="to-settings" onclick={super::jump_to(".panel.controls")}>{ "The settings ↓" }</button>
                // The tools the step opened are below the lab, at every width.
                { for TOOL_JUMPS.iter().filter(|(id, _)| p.tools.contains(id)).map(|&(id, label)| html! {
                    <button class="to-tool" data-tool={id} onclick={super::jump_to(format!("#{id}"))}>{ label }</button>
                }) }
            </p>
            if let Some(q) = &step.question {
                { question(q, *picked, p.progress.answered(id, at), &picked, &p.onanswer, &feedback) }
            }
            <div class="step-nav">
                <button id="prev-step" disabled={at == 0} onclick={go(at.saturating_sub(1))}>{ "← Previous" }</button>
                <button id="setup-again" title="Set this step's experiment up again (the kept runs stay)" onclick={go(at)}>
                    { "Start the step again" }
                </button>
                if at + 1 < n {
                    <button id="next-step" class={classes!(p.progress.step_done(lesson, at).then_some("primary"))}
                        onclick={go(at + 1)}>{ "Next →" }</button>
                } else {
                    <button id="next-step" onclick={p.onindex.reform(|_: MouseEvent| true)}>{ "All lessons" }</button>
                }
            </div>
        </>
    }
}

/// A dot per step: done ones filled; each opens its step.
fn steps_bar(lesson: &'static Lesson, at: usize, progress: &Progress, onopen: &Callback<Place>) -> Html {
    html! {
        <ol class="steps-bar" aria-label="Steps">
            { for (0..lesson.steps.len()).map(|s| {
                let done = progress.step_done(lesson, s);
                let label = format!("Step {}: {}{}", s + 1, lesson.steps[s].title, if done { " (done)" } else { "" });
                html! {
                    <li>
                        <button class={classes!("dot-step", done.then_some("done"), (s == at).then_some("here"))}
                            aria-current={(s == at).then_some("step")} aria-label={label.clone()} title={label}
                            onclick={onopen.reform(move |_: MouseEvent| Place { lesson, step: s })}>
                            { s + 1 }
                        </button>
                    </li>
                }
            }) }
        </ol>
    }
}

fn question(
    q: &lessons::Question,
    picked: Option<usize>,
    answered: bool,
    pick: &UseStateHandle<Option<usize>>,
    onanswer: &Callback<()>,
    node: &NodeRef,
) -> Html {
    let feedback = picked.and_then(|i| q.answers.get(i));
    html! {
        <div class="question" id="question" data-answered={answered.to_string()}>
            <h3>{ "Question" }</h3>
            <p>{ &q.prompt }</p>
            <div class="answers" role="group" aria-label={q.prompt.clone()}>
                { for q.answers.iter().enumerate().map(|(i, a)| {
                    let (pick, onanswer, right) = (pick.clone(), onanswer.clone(), a.right);
                    let onclick = Callback::from(move |_: MouseEvent| {
                        pick.set(Some(i));
                        if right {
                            onanswer.emit(());
                        }
                    });
                    html! {
                        <button class={classes!("answer", (picked == Some(i)).then_some(if right { "right" } else { "wrong" }))}
                            aria-pressed={(picked == Some(i)).to_string()} {onclick}>{ &a.text }</button>
                    }
                }) }
            </div>
            if let Some(a) = feedback {
                <p class={classes!("feedback", if a.right { "right" } else { "wrong" })} role="status" ref={node.clone()}>
                    <strong>{ if a.right { "Right. " } else { "Not quite. " } }</strong>{ &a.feedback }
                </p>
            } else if answered {
                <p class="feedback right" role="status">{ "You answered this one right." }</p>
            }
        </div>
    }
}
