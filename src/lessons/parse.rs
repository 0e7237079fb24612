//! The lesson file format. A file is a header, then steps:
//!
//! ```text
//! lesson: regimes                 # its name in a link
//! part: 2                         # the part of the course
//! title: The four regimes
//! summary: What a learning rate does, in the course's four words.
//!
//! step: Make the loss rise
//! setup: data=spiral&lr=3&ep=60   # the experiment, as a link's query
//! Text of the step. Lines run on into a paragraph;
//! a blank line starts the next one.
//! task: Train until the run is labelled "fails to learn". | run regime=diverged
//! try: data=spiral&lr=10&ep=60    # an experiment that does the task
//! wrong: data=spiral&lr=0.1&ep=60 # one that must not (tested natively)
//! question: What did the loss do?
//! - It rose after the updates | right | Yes: …
//! - It fell slowly | wrong | That is a low rate: …
//! ```
//!
//! A task is its text, `|`, and its check (see [`super::check`]). Lines
//! starting with `#` are comments. Every error names its line.

use super::check::Check;
use super::{Answer, Lesson, Question, Step, Task};

/// Why a lesson file does not read, and on which line (from 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl core::fmt::Display for ParseError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Reads a lesson file.
pub fn parse(text: &str) -> Result<Lesson, ParseError> {
    let mut lesson =
        Lesson { id: String::new(), part: 0, title: String::new(), summary: String::new(), steps: Vec::new() };
    let mut paragraph = String::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let err = |message: String| ParseError { line: line_no, message };
        let line = raw.trim();
        if line.starts_with('#') {
            continue;
        }
        let step = lesson.steps.last_mut();
        if line.is_empty() {
            if let Some(step) = step {
                flush(&mut paragraph, step);
            }
            continue;
        }
        let field = line.split_once(':').filter(|(k, _)| {
            matches!(
                *k,
                "lesson" | "part" | "title" | "summary" | "step" | "setup" | "task" | "try" | "wrong" | "question"
            )
        });
        if let Some(step) = step.filter(|_| field.is_some() || line.starts_with("- ")) {
            flush(&mut paragraph, step);
        }
        match field {
            Some(("lesson", v)) => lesson.id = v.trim().to_string(),
            Some(("part", v)) => {
                lesson.part = v.trim().parse().map_err(|_| err(format!("part `{}` is not a number", v.trim())))?
            }
            Some(("title", v)) => lesson.title = v.trim().to_string(),
            Some(("summary", v)) => lesson.summary = v.trim().to_string(),
            Some(("step", v)) => lesson.steps.push(Step {
                title: v.trim().to_string(),
                text: Vec::new(),
                setup: String::new(),
                tasks: Vec::new(),
                question: None,
            }),
            Some((key, v)) => {
                let Some(step) = lesson.steps.last_mut() else {
                    return Err(err(format!("`{key}:` before the first `step:`")));
                };
                match key {
                    "setup" => step.setup = v.trim().to_string(),
                    "task" => {
                        let (text, check) =
                            v.rsplit_once('|').ok_or_else(|| err("a task is `text | check`".to_string()))?;
                        let check = Check::parse(check.trim()).map_err(err)?;
                        step.tasks.push(Task { text: text.trim().to_string(), check, tries: vec![], wrong: vec![] });
                    }
                    "try" | "wrong" => {
                        let task = step.tasks.last_mut().ok_or_else(|| err(format!("`{key}:` before its `task:`")))?;
                        let list = if key == "try" { &mut task.tries } else { &mut task.wrong };
                        list.push(v.trim().to_string());
                    }
                    _ => step.question = Some(Question { prompt: v.trim().to_string(), answers: Vec::new() }),
                }
            }
            None if line.starts_with("- ") => {
                let question = lesson
                    .steps
                    .last_mut()
                    .and_then(|s| s.question.as_mut())
                    .ok_or_else(|| err("an answer (`- …`) before its `question:`".to_string()))?;
                let parts: Vec<&str> = line[2..].splitn(3, '|').map(str::trim).collect();
                let [text, verdict, feedback] = parts[..] else {
                    return Err(err("an answer is `- text | right or wrong | feedback`".to_string()));
                };
                let right = match verdict {
                    "right" => true,
                    "wrong" => false,
                    other => return Err(err(format!("`{other}`: an answer is right or wrong"))),
                };
                question.answers.push(Answer { text: text.into(), right, feedback: feedback.into() });
            }
            None => {
                if lesson.steps.is_empty() {
                    return Err(err("text before the first `step:`".to_string()));
                }
                if !paragraph.is_empty() {
                    paragraph.push(' ');
                }
                paragraph.push_str(line);
            }
        }
    }
    if let Some(step) = lesson.steps.last_mut() {
        flush(&mut paragraph, step);
    }
    let end = text.lines().count();
    let err = |message: &str| Err(ParseError { line: end, message: message.into() });
    if lesson.id.is_empty() || !lesson.id.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
        return err("a lesson needs `lesson:` with a name of lower-case letters and dashes");
    }
    if lesson.title.is_empty() || lesson.steps.is_empty() {
        return err("a lesson needs a `title:` and at least one `step:`");
    }
    for step in &lesson.steps {
        if let Some(q) = &step.question {
            if !q.answers.iter().any(|a| a.right) || q.answers.len() < 2 {
                return err(&format!("the question of step `{}` needs two answers or more, one right", step.title));
            }
        }
    }
    Ok(lesson)
}

/// Ends the paragraph being read, if any.
fn flush(paragraph: &mut String, step: &mut Step) {
    if !paragraph.is_empty() {
        step.text.push(std::mem::take(paragraph));
    }
}
