//! A search's keys of a link: `search=…&trials=…&space=…` and the rest.

use super::{METHOD_KEYS, SEARCH_KEYS, SearchSpec, format_space, method_from_key, parse_space};
use crate::engine::search::{Bayes, Genetic, Method};
use crate::engine::train::Metric;
use crate::experiment::query::{self, Notice};

/// The search a query describes, if it has `search=`; bad values become
/// notices and defaults stay (as for the experiment's keys).
pub fn search_from_query(input: &str) -> (Option<SearchSpec>, Vec<Notice>) {
    // The same reader as the experiment's keys: the same caps on pairs and lengths.
    let reader = query::Reader::new(input, |k| SEARCH_KEYS.contains(&k));
    let pairs = reader.pairs;
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let mut notices = reader.notices;
    // Keys that do not apply to the method, reported after the others.
    let mut not_applying: Vec<Notice> = Vec::new();
    let mut note = |key: &str, message: String| notices.push(Notice::ignored(key, message));
    let Some(method_key) = get("search") else {
        for (k, _) in &pairs {
            not_applying.push(Notice::does_not_apply(k, "applies only with search=…"));
        }
        notices.extend(not_applying);
        return (None, notices);
    };
    let mut search = SearchSpec::default();
    match method_from_key(method_key) {
        Some(m) => search.method = m,
        None => {
            note("search", format!("`{method_key}` is not a search method; expected one of {}", METHOD_KEYS.join(", ")))
        }
    }
    if let Some(v) = get("space") {
        match parse_space(v) {
            Ok(space) => search.space = space,
            Err(e) => note("space", e),
        }
    }
    let number = |key: &str, note: &mut dyn FnMut(&str, String)| -> Option<f64> {
        let v = get(key)?;
        match v.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                note(key, format!("`{v}` is not a valid number here"));
                None
            }
        }
    };
    let whole = |x: f64| x >= 0.0 && x.fract() == 0.0 && x <= 1e9;
    if let Some(x) = number("trials", &mut note) {
        if whole(x) { search.n_trials = x as usize } else { note("trials", format!("`{x}` is not a whole number")) }
    }
    // Any 64-bit seed, read as an integer: through a float, large seeds were refused (or rounded).
    if let Some(v) = get("sseed") {
        match v.trim().parse::<u64>() {
            Ok(seed) => search.seed = seed,
            Err(_) => note("sseed", format!("`{v}` is not a whole number in 0..=18446744073709551615")),
        }
    }
    if let Some(x) = number("folds", &mut note) {
        if whole(x) { search.folds = x as usize } else { note("folds", format!("`{x}` is not a whole number")) }
    }
    if let Some(v) = get("compare") {
        let methods: Vec<Option<Method>> = v.split(',').map(method_from_key).collect();
        if methods.iter().any(Option::is_none) || methods.len() < 2 {
            note("compare", format!("`{v}` is not two or more of {}", METHOD_KEYS.join(", ")));
        } else {
            search.compare = methods.into_iter().flatten().collect();
        }
    }
    if let Some(x) = number("repeats", &mut note) {
        if whole(x) && (1.0..=20.0).contains(&x) {
            search.repeats = x as usize;
        } else {
            note("repeats", format!("`{x}` is not a whole number in 1..=20"));
        }
    }
    if let Some(x) = number("beat", &mut note) {
        let max = super::MAX_BEAT;
        if whole(x) && (x == 0.0 || (2.0..=max as f64).contains(&x)) {
            search.beat = x as usize;
        } else {
            note("beat", format!("`{x}` is not 0 or a whole number in 2..={max}"));
        }
    }
    if let Some(v) = get("smetric") {
        match Metric::from_key(v) {
            Some(m) => search.metric = Some(m),
            None => note("smetric", format!("`{v}` is not a metric")),
        }
    }
    let (inner, eta, minep) = (get("inner"), number("eta", &mut note), number("minep", &mut note));
    if let Method::Halving(h) = &mut search.method {
        match inner {
            Some("bayes") => *h.inner = Method::Bayes(Bayes::default()),
            Some("tpe") => *h.inner = Method::Tpe(crate::engine::search::Tpe::default()),
            Some("random") | None => {}
            Some(v) => note("inner", format!("`{v}` is not random, bayes or tpe")),
        }
        match eta {
            Some(x) if whole(x) && (2.0..=10.0).contains(&x) => h.eta = x as usize,
            Some(x) => note("eta", format!("`{x}` is not a whole number in 2..=10")),
            None => {}
        }
        match minep {
            Some(x) if whole(x) && x >= 1.0 => h.min_epochs = x as usize,
            Some(x) => note("minep", format!("`{x}` is not a whole number of epochs")),
            None => {}
        }
    } else {
        for (key, given) in [("inner", inner.is_some()), ("eta", eta.is_some()), ("minep", minep.is_some())] {
            if given {
                not_applying.push(Notice::does_not_apply(key, "applies only to search=halving or hyperband"));
            }
        }
    }
    let genetic_keys = ["pop", "tour", "cross", "mut", "elite"].map(|k| (k, number(k, &mut note)));
    match &mut search.method {
        Method::Genetic(g) => {
            for (key, value) in genetic_keys {
                let Some(x) = value else { continue };
                let count = |lo: f64, hi: f64| whole(x) && (lo..=hi).contains(&x);
                let probability = (0.0..=1.0).contains(&x);
                match key {
                    "pop" if count(2.0, 200.0) => g.population = x as usize,
                    "tour" if count(1.0, 50.0) => g.tournament = x as usize,
                    "elite" if count(0.0, 199.0) => g.elite = x as usize,
                    "cross" if probability => g.crossover = x,
                    "mut" if probability => g.mutation = x,
                    "pop" => note(key, format!("`{x}` is not a whole number in 2..=200")),
                    "tour" => note(key, format!("`{x}` is not a whole number in 1..=50")),
                    "elite" => note(key, format!("`{x}` is not a whole number in 0..=199")),
                    _ => note(key, format!("`{x}` is not a probability in [0, 1]")),
                }
            }
        }
        _ => {
            for (key, v) in genetic_keys {
                if v.is_some() {
                    not_applying.push(Notice::does_not_apply(key, "applies only to search=genetic"));
                }
            }
        }
    }
    notices.extend(not_applying);
    (Some(search), notices)
}

/// The search in its URL form: `search=…&trials=…&space=…` and the
/// settings that differ from the defaults.
pub fn search_to_query(search: &SearchSpec) -> String {
    let mut q = vec![
        format!("search={}", search.method.key()),
        format!("trials={}", search.n_trials),
        format!("space={}", query::percent_encode(&format_space(&search.space))),
    ];
    if search.seed != 1 {
        q.push(format!("sseed={}", search.seed));
    }
    if let Some(m) = search.metric {
        q.push(format!("smetric={}", m.key()));
    }
    if search.folds != 0 {
        q.push(format!("folds={}", search.folds));
    }
    if !search.compare.is_empty() {
        q.push(format!("compare={}", search.compare.iter().map(Method::key).collect::<Vec<_>>().join(",")));
    }
    if search.repeats != 5 {
        q.push(format!("repeats={}", search.repeats));
    }
    if search.beat != 0 {
        q.push(format!("beat={}", search.beat));
    }
    if let Method::Halving(h) = &search.method {
        if !matches!(*h.inner, Method::Random) {
            q.push(format!("inner={}", h.inner.key()));
        }
        if h.eta != 3 {
            q.push(format!("eta={}", h.eta));
        }
        if h.min_epochs != 0 && h.min_epochs != (h.max_epochs / (h.eta * h.eta)).max(1) {
            q.push(format!("minep={}", h.min_epochs));
        }
    }
    if let Method::Genetic(g) = &search.method {
        let d = Genetic::default();
        if g.population != d.population {
            q.push(format!("pop={}", g.population));
        }
        if g.tournament != d.tournament {
            q.push(format!("tour={}", g.tournament));
        }
        if g.crossover != d.crossover {
            q.push(format!("cross={}", g.crossover));
        }
        if g.mutation != d.mutation {
            q.push(format!("mut={}", g.mutation));
        }
        if g.elite != d.elite {
            q.push(format!("elite={}", g.elite));
        }
    }
    q.join("&")
}
