//! The course as guided lessons: each lesson a few steps, each step a text,
//! the experiment it sets up (a link's query, so it replays), tasks the page
//! checks from what the student actually ran, and a question with feedback.
//!
//! The lessons are data: one file per lesson under `lessons/` at the
//! repository's root (the format is in [`parse`]), built into the program
//! and parsed once. Pure Rust, so `tests/lessons.rs` checks every lesson
//! natively: it parses, its experiments are valid links, and each task can
//! be done (and is not done by the wrong run).

mod check;
mod parse;
mod progress;

pub use check::{Check, Cond, Facts, Op, RunFacts, SearchFacts, Subject};
pub use parse::{ParseError, parse};
pub use progress::{MAX_PROGRESS, Progress};

use crate::experiment::Notice;
use crate::experiment::query::Reader;

/// The lesson files, in the course's order.
pub const SOURCES: [(&str, &str); 7] = [
    ("lessons/1-parameters.lesson", include_str!("../../lessons/1-parameters.lesson")),
    ("lessons/2-regimes.lesson", include_str!("../../lessons/2-regimes.lesson")),
    ("lessons/3-manual.lesson", include_str!("../../lessons/3-manual.lesson")),
    ("lessons/4-schedules.lesson", include_str!("../../lessons/4-schedules.lesson")),
    ("lessons/5-adaptive.lesson", include_str!("../../lessons/5-adaptive.lesson")),
    ("lessons/6-search.lesson", include_str!("../../lessons/6-search.lesson")),
    ("lessons/7-heuristics.lesson", include_str!("../../lessons/7-heuristics.lesson")),
];

/// One lesson: a part of the course in a few steps.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// Its name in a link (`lesson=regimes`).
    pub id: String,
    /// The part of the course it belongs to (1 …).
    pub part: u32,
    pub title: String,
    /// What it is about, in a line (the lesson list shows it).
    pub summary: String,
    pub steps: Vec<Step>,
}

/// One step: read, set up, do, answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub title: String,
    /// Paragraphs of text.
    pub text: Vec<String>,
    /// The experiment the step sets up, as a link's query (empty: the
    /// default experiment). Tools to open go in `tool=`.
    pub setup: String,
    pub tasks: Vec<Task>,
    pub question: Option<Question>,
}

/// Something the student does, and how the page sees that it was done.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub text: String,
    pub check: Check,
    /// Experiments that do the task (a query each: the runs, in order; the
    /// last is the lab's own) and experiments that must not: the native
    /// test trains them and checks the check agrees.
    pub tries: Vec<String>,
    pub wrong: Vec<String>,
}

/// A question with one or more right answers; each answer has its feedback.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    pub prompt: String,
    pub answers: Vec<Answer>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub text: String,
    pub right: bool,
    pub feedback: String,
}

/// Every lesson, parsed once. The files are part of the program and a
/// native test parses them, so a failure here is a build that was never
/// tested; it is reported by leaving that lesson out rather than by a panic.
pub fn all() -> &'static [Lesson] {
    static LESSONS: std::sync::OnceLock<Vec<Lesson>> = std::sync::OnceLock::new();
    LESSONS.get_or_init(|| SOURCES.iter().filter_map(|(_, text)| parse(text).ok()).collect())
}

/// The lesson called `id`.
pub fn find(id: &str) -> Option<&'static Lesson> {
    all().iter().find(|l| l.id == id)
}

pub use crate::experiment::query::{LESSON_KEY, STEP_KEY};

/// Where a link points in the lessons.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Place {
    pub lesson: &'static Lesson,
    /// From 0.
    pub step: usize,
}

impl Place {
    pub fn step(&self) -> &'static Step {
        &self.lesson.steps[self.step]
    }

    /// `lesson=…&step=…` (steps counted from 1, as the page shows them).
    pub fn to_query(&self) -> String {
        format!("{LESSON_KEY}={}&{STEP_KEY}={}", self.lesson.id, self.step + 1)
    }
}

/// The lesson step a link names, and what in it could not be used: an
/// unknown lesson is ignored; a step out of range opens the first.
pub fn place_from_query(input: &str) -> (Option<Place>, Vec<Notice>) {
    let reader = Reader::new(input, |k| k == LESSON_KEY || k == STEP_KEY);
    let mut notices = reader.notices.clone();
    let value = |key: &str| reader.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let Some(id) = value(LESSON_KEY) else {
        if value(STEP_KEY).is_some() {
            notices.push(Notice::ignored(STEP_KEY, "a step needs a lesson (lesson=…)"));
        }
        return (None, notices);
    };
    let Some(lesson) = find(id) else {
        let ids: Vec<&str> = all().iter().map(|l| l.id.as_str()).collect();
        let shown: String = id.chars().take(32).collect();
        notices.push(Notice::ignored(
            LESSON_KEY,
            format!("`{shown}` is not a lesson; the lessons are {}", ids.join(", ")),
        ));
        return (None, notices);
    };
    let step = match value(STEP_KEY) {
        None => 0,
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=lesson.steps.len()).contains(&n) => n - 1,
            _ => {
                let shown: String = s.chars().take(12).collect();
                notices.push(Notice::ignored(
                    STEP_KEY,
                    format!("`{shown}` is not a step of this lesson (1 to {}); it opens at step 1", lesson.steps.len()),
                ));
                0
            }
        },
    };
    (Some(Place { lesson, step }), notices)
}
