//! What a student has done, kept in the browser: a set of marks, one per
//! task done (`regimes/2/1`: lesson, step and task, from 1) and per question
//! answered right (`regimes/2/q`). Read back from storage like a link:
//! bounded, and what does not fit is dropped.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// Most marks kept (far more than every task and question of every lesson).
pub const MAX_PROGRESS: usize = 2000;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    marks: BTreeSet<String>,
}

impl Progress {
    fn task_mark(lesson: &str, step: usize, task: usize) -> String {
        format!("{lesson}/{}/{}", step + 1, task + 1)
    }

    fn question_mark(lesson: &str, step: usize) -> String {
        format!("{lesson}/{}/q", step + 1)
    }

    pub fn task_done(&self, lesson: &str, step: usize, task: usize) -> bool {
        self.marks.contains(&Self::task_mark(lesson, step, task))
    }

    pub fn answered(&self, lesson: &str, step: usize) -> bool {
        self.marks.contains(&Self::question_mark(lesson, step))
    }

    /// Marks a task done; `false` if it already was (or the progress is full).
    pub fn mark_task(&mut self, lesson: &str, step: usize, task: usize) -> bool {
        self.marks.len() < MAX_PROGRESS && self.marks.insert(Self::task_mark(lesson, step, task))
    }

    pub fn mark_answered(&mut self, lesson: &str, step: usize) -> bool {
        self.marks.len() < MAX_PROGRESS && self.marks.insert(Self::question_mark(lesson, step))
    }

    /// Whether every task and the question of a step are done.
    pub fn step_done(&self, lesson: &super::Lesson, step: usize) -> bool {
        let s = &lesson.steps[step];
        (0..s.tasks.len()).all(|t| self.task_done(&lesson.id, step, t))
            && (s.question.is_none() || self.answered(&lesson.id, step))
    }

    /// Steps of a lesson done.
    pub fn steps_done(&self, lesson: &super::Lesson) -> usize {
        (0..lesson.steps.len()).filter(|&s| self.step_done(lesson, s)).count()
    }

    pub fn is_empty(&self) -> bool {
        self.marks.is_empty()
    }

    /// The progress as storage text.
    pub fn to_text(&self) -> String {
        crate::storage::to_text(self).unwrap_or_default()
    }

    /// Progress from storage text: marks too long or past [`MAX_PROGRESS`]
    /// are dropped; text that does not read is an error (the page says so
    /// and starts afresh).
    pub fn from_text(text: &str) -> Result<Progress, String> {
        if text.len() > 200_000 {
            return Err("it is larger than any progress could be".into());
        }
        let read: Progress = crate::storage::from_text(text)?;
        Ok(Progress { marks: read.marks.into_iter().filter(|m| m.len() <= 64).take(MAX_PROGRESS).collect() })
    }
}
