//! The experiment as a query string: `v=1&opt=adam&lr=0.001&seed=7`.
//!
//! Short keys, defaults omitted, the version first; the format is specified
//! in `docs/url-format.md`. Decoding is tolerant: an unknown key, a bad value
//! or an out-of-range one becomes a [`Notice`] and the default stays, so a
//! damaged link still opens. Callers that must be strict (the command line)
//! treat any notice as an error.
//!
//! This file reads and writes the text: pairs, percent escapes, the caps on
//! what is read, the compared runs of a lab link. What each key means —
//! where its value goes, how it is written, its default — is the key
//! table's ([`super::keys`]).

pub use super::keys::{QUERY_VERSION, SEARCH_KEYS, format_num};
pub use super::notice::{Notice, NoticeKind};
use super::own::{MAX_EMBEDDED, OwnData, OwnRef};
use super::{ExperimentSpec, keys};
use crate::engine::data::table::TaskChoice;

/// Longest value looked at; longer ones are rejected before parsing.
pub const MAX_VALUE_LEN: usize = 128;
/// Longest `space=` value (a search space of many hyperparameters).
pub const MAX_SPACE_LEN: usize = 2048;
/// Most pairs looked at in one query.
pub const MAX_PAIRS: usize = 200;

/// The longest value of `key` that is looked at.
fn max_value_len(key: &str) -> usize {
    match key {
        "space" | IGNORE_KEY => MAX_SPACE_LEN,
        // Percent-encoded: a character may take three.
        CSV_KEY => 3 * MAX_EMBEDDED,
        // Deflated (at worst a few bytes over the text) in base64: 4 characters for 3 bytes.
        CSVZ_KEY => (MAX_EMBEDDED + 64) * 4 / 3 + 4,
        // 4 bytes a point in base64, and a margin.
        "pts" => crate::experiment::drawn::MAX_DRAWN * 16 / 3 + 8,
        _ => MAX_VALUE_LEN,
    }
}

/// The largest char boundary of `s` at or below `i`.
fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Decodes `%XX` escapes and `+` (a space); invalid escapes stay as written.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' => match (bytes.get(i + 1).and_then(|&b| hex(b)), bytes.get(i + 2).and_then(|&b| hex(b))) {
                (Some(hi), Some(lo)) => {
                    out.push((hi * 16 + lo) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The pairs of a query, with what was wrong with them. Bounded whatever
/// the input: at most [`MAX_PAIRS`] pairs, keys of 32 characters, values of
/// [`MAX_VALUE_LEN`] ([`MAX_SPACE_LEN`] for `space`).
pub(crate) struct Reader {
    pub(crate) pairs: Vec<(String, String)>,
    pub(crate) notices: Vec<Notice>,
}

impl Reader {
    /// Reads the pairs whose key `wanted` accepts; the others are skipped
    /// silently (another reader of the same link reports them), though they
    /// count towards [`MAX_PAIRS`].
    pub(crate) fn new(input: &str, wanted: impl Fn(&str) -> bool) -> Self {
        let query = input.find('?').map_or(input, |i| &input[i + 1..]);
        let query = query.split('#').next().unwrap_or("");
        let mut reader = Reader { pairs: Vec::new(), notices: Vec::new() };
        let mut seen = std::collections::HashSet::new();
        for (n, pair) in query.split('&').filter(|p| !p.is_empty()).enumerate() {
            if n == MAX_PAIRS {
                reader
                    .notices
                    .push(Notice::ignored("…", format!("more than {MAX_PAIRS} settings; the rest were ignored")));
                break;
            }
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key: String = percent_decode(&key[..floor_char_boundary(key, 96)]).chars().take(32).collect();
            if !wanted(&key) {
                continue;
            }
            let max = max_value_len(&key);
            if value.len() > max {
                reader.notices.push(Notice::ignored(&key, format!("value longer than {max} characters, ignored")));
                continue;
            }
            let value = percent_decode(value);
            if seen.insert(key.clone()) {
                reader.pairs.push((key, value));
            } else if let Some(slot) = reader.pairs.iter_mut().find(|(k, _)| *k == key) {
                slot.1 = value;
                reader.notices.push(Notice::ignored(&key, "given more than once; the last one counts"));
            }
        }
        reader
    }
}

/// The key of a lab link's compared runs (beside the experiment's own keys).
pub const RUNS_KEY: &str = "runs";

/// The key of the tools a lab link opens (see [`Tool`]).
pub const TOOL_KEY: &str = "tool";

/// The keys of a lesson link (`lesson=regimes&step=2`; `crate::lessons`
/// reads them): the page's, not the experiment's.
pub const LESSON_KEY: &str = "lesson";
pub const STEP_KEY: &str = "step";

/// The key of the page's embedded mode (`embed=1`: no header or toolbar, for
/// an iframe in a course page).
pub const EMBED_KEY: &str = "embed";

/// Whether a link asks for the embedded page.
pub fn embed_from_query(input: &str) -> bool {
    Reader::new(input, |k| k == EMBED_KEY).pairs.iter().any(|(_, v)| v == "1" || v == "true")
}

/// The key of a search link that starts its search on opening (`autorun=1`:
/// a teacher's link shows what they showed). Read once; not written back, so
/// a reload does not start it again.
pub const AUTORUN_KEY: &str = "autorun";

/// Whether a link asks to start its search on opening.
pub fn autorun_from_query(input: &str) -> bool {
    Reader::new(input, |k| k == AUTORUN_KEY).pairs.iter().any(|(_, v)| v == "1" || v == "true")
}

/// The key of a link that shows only some controls (`only=lr`: a class gets
/// one knob; the rest stays as the link sets it).
pub const ONLY_KEY: &str = "only";

/// The experiment keys a link's `only=` keeps on the page (`None`: all), and
/// what in it is not an experiment key.
pub fn only_from_query(input: &str) -> (Option<Vec<String>>, Vec<Notice>) {
    let reader = Reader::new(input, |k| k == ONLY_KEY);
    let Some((_, value)) = reader.pairs.first() else { return (None, reader.notices) };
    let mut notices = reader.notices.clone();
    let mut keys = Vec::new();
    for name in value.split(',').filter(|n| !n.is_empty()) {
        match keys::get(name) {
            Some(k) if !keys.contains(&k.name.to_string()) => keys.push(k.name.to_string()),
            Some(_) => {}
            None => notices.push(Notice::ignored(ONLY_KEY, format!("`{name}` is not a setting of the lab"))),
        }
    }
    (Some(keys), notices)
}

/// A tool of the page that a link can open (the search lab has its own keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    /// The four regimes, trained again.
    Regimes,
    /// The learning-rate range test, run again.
    LrFinder,
    /// The optimizer race on the experiment's surface.
    Race,
}

impl Tool {
    pub const ALL: [Tool; 3] = [Tool::Regimes, Tool::LrFinder, Tool::Race];

    pub fn key(self) -> &'static str {
        match self {
            Tool::Regimes => "regimes",
            Tool::LrFinder => "lrfind",
            Tool::Race => "race",
        }
    }
}

/// `tool=regimes,race` for the tools open (in [`Tool::ALL`]'s order), or
/// nothing when none is.
pub fn tools_to_query(open: &[Tool]) -> Option<String> {
    let keys: Vec<&str> = Tool::ALL.iter().filter(|t| open.contains(t)).map(|t| t.key()).collect();
    (!keys.is_empty()).then(|| format!("{TOOL_KEY}={}", keys.join(",")))
}

/// The tools a link opens (each once, in [`Tool::ALL`]'s order), and what
/// in `tool=` was not a tool.
pub fn tools_from_query(input: &str) -> (Vec<Tool>, Vec<Notice>) {
    let reader = Reader::new(input, |k| k == TOOL_KEY);
    let mut named = Vec::new();
    let mut notices = Vec::new();
    for (_, value) in &reader.pairs {
        for name in value.split(',').filter(|n| !n.is_empty()) {
            match Tool::ALL.iter().find(|t| t.key() == name) {
                Some(t) => named.push(*t),
                None => notices.push(Notice::ignored(
                    TOOL_KEY,
                    format!("`{name}` is not a tool; expected regimes, lrfind or race"),
                )),
            }
        }
    }
    (Tool::ALL.into_iter().filter(|t| named.contains(t)).collect(), notices)
}

/// Most compared runs a link carries.
pub const MAX_LINK_RUNS: usize = 12;

/// Percent-encodes what would break a query value (`&`, `=`, `%`, `~`, `#`, `+`, space).
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            // What a URL would split, strip (line breaks, tabs) or quote.
            '&' | '=' | '%' | '~' | '#' | '+' | ' ' | '?' | '"' | '<' | '>' | '\\' | '`' | '{' | '}' | '^' => {
                out.push_str(&format!("%{:02X}", c as u32))
            }
            c if c.is_ascii_control() => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The whole lab as a query: the experiment, then `runs=` with each compared
/// run's own query, percent-encoded, separated by `~`.
pub fn lab_to_query(spec: &ExperimentSpec, runs: &[ExperimentSpec]) -> String {
    let mut q = to_query(spec);
    if !runs.is_empty() {
        let encoded: Vec<String> = runs.iter().take(MAX_LINK_RUNS).map(|r| percent_encode(&to_query(r))).collect();
        q.push_str("&runs=");
        q.push_str(&encoded.join("~"));
    }
    q
}

/// Decodes a lab link: the experiment and the compared runs, with notices for
/// whatever was ignored (a run's own notices are prefixed with its number).
pub fn lab_from_query(input: &str) -> (ExperimentSpec, Vec<ExperimentSpec>, Vec<Notice>) {
    lab_from_query_on(input, None)
}

/// [`lab_from_query`] with the user's data at hand (see [`from_query_on`]).
pub fn lab_from_query_on(input: &str, own: Option<&OwnData>) -> (ExperimentSpec, Vec<ExperimentSpec>, Vec<Notice>) {
    let query = input.find('?').map_or(input, |i| &input[i + 1..]);
    let query = query.split('#').next().unwrap_or("");
    let (mut rest, mut runs_value) = (Vec::new(), None);
    for pair in query.split('&') {
        match pair.strip_prefix(RUNS_KEY).and_then(|rest| rest.strip_prefix('=')) {
            Some(v) => runs_value = Some(v),
            None => rest.push(pair),
        }
    }
    let (spec, mut notices) = from_query_on(&rest.join("&"), own);
    let mut runs = Vec::new();
    if let Some(value) = runs_value {
        for (i, encoded) in value.split('~').filter(|r| !r.is_empty()).enumerate() {
            if i == MAX_LINK_RUNS {
                notices
                    .push(Notice::ignored(RUNS_KEY, format!("more than {MAX_LINK_RUNS} runs; the rest were ignored")));
                break;
            }
            let (run, run_notices) = from_query_on(&percent_decode(encoded), own);
            for n in run_notices {
                notices.push(Notice { key: format!("runs[{}].{}", i + 1, n.key), ..n });
            }
            runs.push(run);
        }
    }
    (spec, runs, notices)
}

/// Encodes the fields that differ from the default, in the key table's
/// order; on the user's data, then the keys that name it ([`OWN_KEYS`]).
pub fn to_query(spec: &ExperimentSpec) -> String {
    let mut pairs: Vec<String> = keys::encode(spec).into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    if let Some(own) = &spec.data.own {
        pairs.push(own_ref_to_query(&own.file));
    }
    pairs.join("&")
}

/// The keys that name the user's data in a link (beside `data=own`): its
/// content hash, the file's name, the target column, the columns left out
/// and the task when it was chosen — and the data themselves only when the
/// user put them in the link.
pub const OWN_KEYS: [&str; 7] = ["file", "fname", "target", IGNORE_KEY, "task", CSVZ_KEY, CSV_KEY];
const IGNORE_KEY: &str = "ignore";
/// The data themselves, when the user put them in the link: the CSV text
/// deflated (RFC 1951) and in URL-safe base64 — about half the length of
/// the text percent-encoded (docs/url-format.md has the measurements).
const CSVZ_KEY: &str = "csvz";
/// The same as plain CSV text, percent-encoded (read, never written).
const CSV_KEY: &str = "csv";

/// The CSV text deflated for a link.
fn deflate(csv: &str) -> String {
    crate::base64::base64url(&miniz_oxide::deflate::compress_to_vec(csv.as_bytes(), 9))
}

/// The CSV text of a `csvz=` value, never more than [`MAX_EMBEDDED`] bytes
/// of it, or why not.
fn inflate(value: &str) -> Result<String, String> {
    let bytes = crate::base64::unbase64url(value).ok_or("they are not URL-safe base64")?;
    let text = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_EMBEDDED).map_err(|e| {
        if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput {
            format!("they are over {} KB of text", MAX_EMBEDDED / 1024)
        } else {
            "they are damaged (not deflated text)".to_string()
        }
    })?;
    String::from_utf8(text).map_err(|_| "they are not text".to_string())
}

/// `file=…&fname=…&target=…[&ignore=a,b][&task=…]`; each ignored column's
/// name is percent-encoded before the list is, so a comma in a name survives.
pub fn own_ref_to_query(r: &OwnRef) -> String {
    let mut q = format!("file={}&fname={}&target={}", r.hash, percent_encode(&r.name), percent_encode(&r.target));
    if !r.ignore.is_empty() {
        let names: Vec<String> = r.ignore.iter().map(|n| percent_encode(n)).collect();
        q.push_str(&format!("&{IGNORE_KEY}={}", percent_encode(&names.join(","))));
    }
    if r.task != TaskChoice::Auto {
        q.push_str(&format!("&task={}", r.task.key()));
    }
    if let Some(csv) = &r.csv {
        q.push_str(&format!("&{CSVZ_KEY}={}", deflate(csv)));
    }
    q
}

/// The user's data a link names (`None`: it names none), and what in its
/// keys could not be used. Bounded like every link: the values are capped
/// by the [`Reader`], the hash must be 16 hexadecimal digits.
pub fn own_ref_from_query(input: &str) -> (Option<OwnRef>, Vec<Notice>) {
    let reader = Reader::new(input, |k| OWN_KEYS.contains(&k));
    let mut notices = reader.notices;
    let get = |key: &str| reader.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let Some(hash) = get("file") else {
        notices
            .extend(reader.pairs.iter().map(|(k, _)| Notice::ignored(k, "applies only with file (your data's hash)")));
        return (None, notices);
    };
    if hash.len() != 16 || !hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        notices.push(Notice::ignored("file", format!("`{hash}` is not a data file's hash (16 hexadecimal digits)")));
        return (None, notices);
    }
    let Some(target) = get("target").filter(|t| !t.is_empty()) else {
        notices.push(Notice::ignored("file", "a data file needs its target column (target=)"));
        return (None, notices);
    };
    let task = match get("task") {
        None => TaskChoice::Auto,
        Some(v) => match TaskChoice::from_key(&v) {
            Some(t) => t,
            None => {
                notices.push(Notice::ignored("task", format!("`{v}`: expected classification or regression")));
                TaskChoice::Auto
            }
        },
    };
    let ignore = get(IGNORE_KEY)
        .map(|v| v.split(',').filter(|n| !n.is_empty()).map(percent_decode).collect())
        .unwrap_or_default();
    let name = get("fname").unwrap_or_else(|| "your data".into());
    let csv = match (get(CSVZ_KEY), get(CSV_KEY)) {
        (Some(z), _) => {
            inflate(&z).map_err(|e| notices.push(Notice::ignored(CSVZ_KEY, format!("the data in the link: {e}")))).ok()
        }
        (None, Some(csv)) if csv.len() > MAX_EMBEDDED => {
            notices.push(Notice::ignored(
                CSV_KEY,
                format!("the data in the link are over {} KB of text", MAX_EMBEDDED / 1024),
            ));
            None
        }
        (None, csv) => csv,
    };
    (Some(OwnRef { hash, name, target, ignore, task, csv }), notices)
}

/// Decodes a query string (with or without a leading `?`, or a whole URL).
/// Returns a valid spec and what was ignored: a value that does not parse, or
/// parses but is out of range, is reported and reset to its default (see
/// [`keys::decode`]). A search's keys belong to it
/// (`search::search_from_query`): they are skipped here.
pub fn from_query(input: &str) -> (ExperimentSpec, Vec<Notice>) {
    from_query_on(input, None)
}

/// [`from_query`] with the user's data at hand: a link naming `own` (by its
/// hash) trains on it; a link naming other data, or none, ignores it.
pub fn from_query_on(input: &str, own: Option<&OwnData>) -> (ExperimentSpec, Vec<Notice>) {
    // The search's keys, the page's tools and its lessons are not the experiment's.
    let reader = Reader::new(input, |k| {
        !SEARCH_KEYS.contains(&k)
            && !OWN_KEYS.contains(&k)
            && ![TOOL_KEY, LESSON_KEY, STEP_KEY, EMBED_KEY, ONLY_KEY, AUTORUN_KEY].contains(&k)
    });
    let (named, mut all) = own_ref_from_query(input);
    let own = own.filter(|o| named.as_ref().is_some_and(|n| n.hash == o.file.hash)).cloned();
    // The data the link carries, when it carries them and none were given.
    // (Read only when no data were given: a link's carried data are a CSV text to parse.)
    let carried = match (&own, own.is_none().then(|| named.as_ref().and_then(OwnRef::carried)).flatten()) {
        (None, Some(Ok(data))) => Some(data),
        (None, Some(Err(e))) => {
            let key = if Reader::new(input, |k| k == CSVZ_KEY).pairs.is_empty() { CSV_KEY } else { CSVZ_KEY };
            all.push(Notice::ignored(key, format!("the data in the link: {e}")));
            None
        }
        _ => None,
    };
    let (spec, notices) = keys::decode_on(reader.pairs, own.as_ref().or(carried.as_ref()));
    all.extend(reader.notices);
    all.extend(notices);
    (spec, all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::Activation;
    use crate::engine::optim::{AdamConfig, OptimizerConfig};
    use crate::engine::train::LrChange;

    #[test]
    fn default_encodes_to_version_only() {
        assert_eq!(to_query(&ExperimentSpec::default()), "v=1");
    }

    #[test]
    fn numbers_are_short_and_exact() {
        for (v, text) in [(0.1, "0.1"), (1e-8, "1e-8"), (300.0, "300"), (0.0003, "3e-4"), (0.999, "0.999")] {
            assert_eq!(format_num(v), text);
            assert_eq!(text.parse::<f64>().unwrap(), v);
        }
    }

    #[test]
    fn optimizer_keys_are_relative_to_that_optimizers_defaults() {
        let spec = ExperimentSpec { optimizer: OptimizerConfig::AdamW(AdamConfig::adamw()), ..Default::default() };
        assert_eq!(to_query(&spec), "v=1&opt=adamw");
        let (back, notices) = from_query("opt=adam&b2=0.99&mom=0.9");
        assert_eq!(back.optimizer, OptimizerConfig::Adam(AdamConfig { beta2: 0.99, ..Default::default() }));
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].key, "mom");
        assert!(notices[0].message.contains("Adam"));
    }

    #[test]
    fn hostile_queries_give_a_valid_spec_and_notices() {
        let long = "9".repeat(100_000);
        let many = "x=1&".repeat(1000);
        for q in [
            "lr=abc",
            "lr=NaN",
            "lr=-1",
            "lr=1e400",
            "bs=-3",
            "ep=99999999999999999999999",
            "hidden=8-x",
            "act=swish",
            "zzz=1",
            "v=7",
            &format!("seed={long}"),
            &many,
            "n=1",
            "opt=lbfgs",
            "opt=sgd&nesterov=1",
            "drop=1",
            "init=uniform:-3",
            "%zz=%",
            "es=0",
            "esm=r2&es=3",
        ] {
            let (spec, notices) = from_query(q);
            assert!(!notices.is_empty(), "{q}");
            spec.validate().unwrap();
        }
        let (spec, notices) = from_query("lr=0.1&bogus=1");
        assert_eq!(spec.lr, 0.1);
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].key, "bogus");
        let (spec, _) = from_query("lr=-1");
        assert_eq!(spec.lr, ExperimentSpec::default().lr);
    }

    #[test]
    fn truncated_and_empty_queries_decode() {
        for q in ["", "?", "&&", "lr", "lr=", "v=1&lr=0.", "=5", "opt=", "act=tanh-"] {
            let (spec, _) = from_query(q);
            spec.validate().unwrap();
        }
    }

    #[test]
    fn percent_escapes_are_decoded() {
        let (spec, notices) = from_query("hidden=4%2C4&act=relu%2Ctanh");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(spec.hidden, [4, 4]);
        assert_eq!(spec.activations, [Activation::Relu, Activation::Tanh]);
    }

    #[test]
    fn lab_links_carry_the_compared_runs() {
        let spec = ExperimentSpec { lr: 0.3, ..ExperimentSpec::default() };
        let runs = vec![
            ExperimentSpec { lr: 0.03, ..ExperimentSpec::default() },
            ExperimentSpec {
                optimizer: OptimizerConfig::Adam(AdamConfig::default()),
                lr_changes: vec![LrChange { epoch: 5, lr: 1e-3 }],
                ..ExperimentSpec::default()
            },
        ];
        let q = lab_to_query(&spec, &runs);
        assert!(q.starts_with("v=1&lr=0.3&runs=v%3D1%26lr%3D0.03~"), "{q}");
        let (back, back_runs, notices) = lab_from_query(&format!("https://x/?{q}"));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back, spec);
        assert_eq!(back_runs, runs);
        // A damaged run is reported under its number, and the others still open.
        let (_, runs, notices) = lab_from_query("v=1&runs=lr%3Dabc~lr%3D0.5");
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[1].lr, 0.5);
        assert_eq!(notices[0].key, "runs[1].lr");
        assert_eq!(lab_from_query("v=1").1, vec![]);
    }
}
