//! The commands that write a file — a script that takes the lab's work
//! elsewhere (`export pytorch`, `export optuna`) or a figure (`plot`) — to
//! standard output or `--out FILE`: the files the page's buttons download
//! for the same link.

use std::io::Write;
use std::process::ExitCode;

use super::{Outcome, Unwritable, parse_run_args, run_trials, spec_error, spec_from_args, usage_error};

/// `hyperlab export pytorch|optuna [QUERY_OR_URL] [--out FILE]`: the run
/// as a self-contained PyTorch script, or the search as an Optuna study —
/// the files the page's buttons download for the same link (the header
/// names the link: a whole URL's address is kept).
pub(super) fn export_script(args: &[String]) -> Outcome {
    let Some(kind) = args.first() else {
        return Ok(usage_error("`export` needs what to export: `pytorch` or `optuna`"));
    };
    if kind != "pytorch" && kind != "optuna" {
        return Ok(usage_error(&format!("unknown export `{kind}`: expected `pytorch` or `optuna`")));
    }
    let mut rest = Vec::new();
    let mut out_file = None;
    let mut it = args[1..].iter();
    while let Some(arg) = it.next() {
        match arg.strip_prefix("--out") {
            Some("") => match it.next() {
                Some(f) => out_file = Some(f.clone()),
                None => return Ok(usage_error("argument `--out` needs a file name")),
            },
            Some(v) if v.starts_with('=') => out_file = Some(v[1..].to_string()),
            _ => rest.push(arg.clone()),
        }
    }
    // The page's address when a whole URL was given (the header names it).
    let page = rest.iter().find(|a| a.contains("://")).map_or("", |u| u.split('?').next().unwrap_or(""));
    let written = if kind == "optuna" {
        let query = match parse_run_args(&rest) {
            Ok(a) => a.query,
            Err(e) => return Ok(usage_error(&e)),
        };
        hyperlab::experiment::optuna::study(page, &query, None)
    } else {
        let (spec, _) = match spec_from_args(&rest) {
            Ok(s) => s,
            Err(exit) => return Ok(exit),
        };
        let link = hyperlab::experiment::page_link(page, &spec);
        hyperlab::experiment::pytorch::script_for(&spec, None, &link)
    };
    let text = match written {
        Ok(t) => t,
        Err(e) => return Ok(spec_error(&e)),
    };
    write_output(out_file, &text)
}

/// `plot --chart regimes`: the four regimes' training losses in one figure,
/// each labelled as `hyperlab regimes` labels it.
fn plot_regimes(page: &str, rest: &[String], out_file: Option<String>) -> Outcome {
    use hyperlab::engine::train::EpochRecord;
    use hyperlab::experiment::regimes::Regime;
    let (spec, _) = match spec_from_args(rest) {
        Ok(s) => s,
        Err(exit) => return Ok(exit),
    };
    let runs = match hyperlab::experiment::regimes::train_regimes(&spec) {
        Ok(r) => r,
        Err(e) => return Ok(spec_error(&e)),
    };
    let shown: Vec<(f64, Option<Regime>, &[EpochRecord])> =
        runs.iter().map(|r| (r.spec.lr, Some(r.regime), r.records.as_slice())).collect();
    let link = hyperlab::experiment::page_link(page, &spec);
    draw(hyperlab::figure::regimes(&shown, &runs[0].spec, &link), out_file)
}

/// `plot --chart kept[:METRIC|lr]`: the link's kept runs (`runs=`), each
/// trained to its end, overlaid as the page's comparison draws them.
fn plot_kept(page: &str, query: &str, key: &str, out_file: Option<String>) -> Outcome {
    use hyperlab::engine::train::{EpochRecord, Inside, LayerStats};
    use hyperlab::figure::RunChart;
    let (spec, runs, notices) = hyperlab::experiment::lab_from_query(query);
    if let Some(n) = notices.first() {
        return Ok(usage_error(&format!("invalid argument `--{}`: {}", n.key, n.message)));
    }
    if runs.is_empty() {
        return Ok(usage_error("argument `--chart`: `kept` needs a link that keeps runs (runs=…)"));
    }
    let inside = key.strip_prefix("kept:").and_then(|k| Inside::ALL.into_iter().find(|q| q.key() == k));
    let chart = match key.strip_prefix("kept:").map(RunChart::from_key) {
        None => RunChart::Loss,
        Some(Some(c)) => c,
        Some(None) if inside.is_some() => RunChart::Loss,
        Some(None) => {
            return Ok(usage_error(&format!(
                "argument `--chart`: `{key}`: expected kept, kept:lr, kept:METRIC or kept:weight_norm (a diagnostic)"
            )));
        }
    };
    let mut histories: Vec<Vec<EpochRecord>> = Vec::new();
    let mut diagnostics: Vec<Vec<Vec<LayerStats>>> = Vec::new();
    for run in &runs {
        let mut trainer = match run.trainer() {
            Ok(t) => t,
            Err(e) => return Ok(spec_error(&e)),
        };
        trainer.enable_diagnostics();
        trainer.run_to_end();
        histories.push(trainer.records().to_vec());
        diagnostics.push(trainer.diagnostics().to_vec());
    }
    let labels = hyperlab::lab::labels(&runs.iter().collect::<Vec<_>>());
    let link = format!("{page}?{}", hyperlab::experiment::lab_to_query(&spec, &runs));
    if let Some(inside) = inside {
        let epochs: Vec<Vec<(usize, &[LayerStats])>> = histories
            .iter()
            .zip(&diagnostics)
            .map(|(h, d)| h.iter().map(|r| r.epoch).zip(d.iter().map(Vec::as_slice)).collect())
            .collect();
        let shown: Vec<(&str, usize, &hyperlab::figure::LayerEpochs)> =
            labels.iter().zip(&epochs).enumerate().map(|(i, (l, e))| (l.as_str(), i, e.as_slice())).collect();
        return draw(hyperlab::figure::kept_inside(inside, &shown, &link), out_file);
    }
    let shown: Vec<(&str, usize, &[EpochRecord])> =
        labels.iter().zip(&histories).enumerate().map(|(i, (l, h))| (l.as_str(), i, h.as_slice())).collect();
    draw(hyperlab::figure::kept(chart, &shown, &link), out_file)
}

/// `plot --chart data|network|range|weight_norm|grad_norm|update_ratio|dead`:
/// the run trained to its end, then its data view (the map, or the
/// confusion matrix or fit of data with more inputs), its network, or one
/// per-layer diagnostic; or the LR range test of its settings.
fn plot_picture(page: &str, rest: &[String], key: &str, out_file: Option<String>) -> Outcome {
    use hyperlab::worker::protocol::View;
    let (spec, _) = match spec_from_args(rest) {
        Ok(s) => s,
        Err(exit) => return Ok(exit),
    };
    let link = hyperlab::experiment::page_link(page, &spec);
    if key == "range" {
        let config = hyperlab::engine::train::lr_finder::LrFinderConfig::default();
        return match spec.lr_range_test(&config, None) {
            Ok(result) => draw(hyperlab::figure::lr_range(&result, &spec, &link), out_file),
            Err(e) => Ok(spec_error(&e)),
        };
    }
    let mut trainer = match spec.trainer() {
        Ok(t) => t,
        Err(e) => return Ok(spec_error(&e)),
    };
    trainer.enable_diagnostics();
    trainer.run_to_end();
    let figure = match key {
        "data" => {
            let view = View::of(&mut trainer, &spec);
            let drawn = match &view {
                View::Confusion { counts } => Some(hyperlab::figure::confusion(counts, &spec, &link)),
                View::Fit { target, predicted } => Some(hyperlab::figure::fit(target, predicted, &spec, &link)),
                // The points where they lie: the trainer's are after the feature transforms.
                _ => match spec.split() {
                    Ok(split) => hyperlab::figure::data_view(&split, Some(&view), &spec, &link),
                    Err(e) => return Ok(spec_error(&e)),
                },
            };
            match drawn {
                Some(f) => f,
                None => return Ok(usage_error("argument `--chart`: this data set has no picture")),
            }
        }
        "network" => {
            let plane = (spec.data.n_inputs() == 2).then(|| spec.data.plane());
            let picture = hyperlab::worker::picture::NetworkPicture::of(&mut trainer, plane);
            hyperlab::figure::network(&picture, &spec, trainer.records().len(), &link)
        }
        _ => {
            let Some(inside) = hyperlab::engine::train::Inside::ALL.into_iter().find(|q| q.key() == key) else {
                return Ok(usage_error(&format!("argument `--chart`: `{key}` is not a chart")));
            };
            let epochs: Vec<(usize, &[hyperlab::engine::train::LayerStats])> = trainer
                .records()
                .iter()
                .map(|r| r.epoch)
                .zip(trainer.diagnostics().iter().map(Vec::as_slice))
                .collect();
            hyperlab::figure::diagnostics(inside, &epochs, &spec, &link)
        }
    };
    draw(figure, out_file)
}

/// Writes a figure as SVG.
fn draw(figure: hyperlab::figure::Figure, out_file: Option<String>) -> Outcome {
    match figure.svg() {
        Ok(svg) => write_output(out_file, &svg),
        Err(e) => {
            eprintln!("hyperlab: could not draw the figure: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

/// `plot` for a search link: runs the search as `search` does and draws its
/// best score so far (`best`, the default) or its trials against one
/// hyperparameter (`slice:KEY`).
fn plot_search(page: &str, query: &str, chart_key: Option<&str>, out_file: Option<String>) -> Outcome {
    use hyperlab::experiment::search::prepare;
    use hyperlab::figure::{SearchChart, SearchResults};
    let (base, search) = match prepare(query) {
        Ok(p) => p,
        Err(e) => return Ok(spec_error(&e)),
    };
    let bundled = base.data.kind.bundled_file().and_then(|_| hyperlab::experiment::bundled_csv(base.data.kind));
    let link = hyperlab::experiment::search::search_link(page, &base, &search);
    if !search.compare.is_empty() {
        if chart_key.is_some_and(|k| k != "compare") {
            return Ok(usage_error("argument `--chart`: a comparison of methods has one chart, `compare`"));
        }
        return match hyperlab::experiment::session::Comparison::of(base, search) {
            Ok(comparison) => {
                let metric = comparison.metric;
                draw(hyperlab::figure::comparison(&comparison.run(bundled), metric, &link), out_file)
            }
            Err(e) => Ok(spec_error(&e)),
        };
    }
    let chart = match chart_key.map(|k| SearchChart::from_key(k, &search.space)) {
        None => SearchChart::Best,
        Some(Some(c)) => c,
        Some(None) => {
            let keys: Vec<String> = search.space.params.iter().map(|p| format!("slice:{}", p.key)).collect();
            return Ok(usage_error(&format!(
                "argument `--chart`: `{}` is not a chart of this search; expected best or {}",
                chart_key.unwrap_or_default(),
                keys.join(", ")
            )));
        }
    };
    let (method, data) = (search.method.label(), base.data.label().to_string());
    let mut session = match hyperlab::experiment::session::Session::of(base, search) {
        Ok(s) => s,
        Err(e) => return Ok(spec_error(&e)),
    };
    let mut rows = Vec::new();
    run_trials(&mut session, bundled, &mut |row| {
        rows.push(row);
        Ok(())
    })?;
    let trials: Vec<(usize, &[String], Option<f64>)> =
        rows.iter().map(|r| (r.id, r.values.as_slice(), r.outcome.as_ref().ok().map(|o| o.0))).collect();
    let about = hyperlab::figure::SearchAbout::new(method, trials.len(), &data, session.metric);
    let results = SearchResults { space: &session.search.space, about, trials };
    draw(hyperlab::figure::search(chart, &results, &link), out_file)
}

/// Writes a command's file to `path`, or to standard output.
fn write_output(path: Option<String>, text: &str) -> Outcome {
    match path {
        Some(path) => {
            if let Err(e) = std::fs::write(&path, text) {
                eprintln!("hyperlab: could not write `{path}`: {e}");
                return Ok(ExitCode::from(1));
            }
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let mut out = std::io::stdout().lock();
            write!(out, "{text}").map_err(Unwritable)?;
            out.flush().map_err(Unwritable)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `hyperlab plot [QUERY_OR_URL] [--chart C] [--out FILE]`: trains the run
/// (or runs the search) and writes one of its charts as an SVG figure — the
/// file the page's "Save figure: SVG" gives for the same link. A run's
/// charts: loss, lr, a metric, regimes, kept[:METRIC]; a search's: best,
/// slice:KEY.
pub(super) fn plot(args: &[String]) -> Outcome {
    let mut rest = Vec::new();
    let mut out_file = None;
    let mut chart_key = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n == "--out" || n == "--chart" => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        if name != "--out" && name != "--chart" {
            rest.push(arg.clone());
            continue;
        }
        let Some(value) = inline.or_else(|| it.next().cloned()) else {
            return Ok(usage_error(&format!("argument `{name}` needs a value")));
        };
        if name == "--out" {
            out_file = Some(value);
        } else {
            chart_key = Some(value);
        }
    }
    let page = rest.iter().find(|a| a.contains("://")).map_or("", |u| u.split('?').next().unwrap_or(""));
    // The query alone (a data file's arguments are read with the experiment).
    let (file, plain) = match super::own::take(&rest) {
        Ok(t) => t,
        Err(e) => return Ok(usage_error(&e)),
    };
    let query = match parse_run_args(&plain) {
        Ok(a) => a.query,
        Err(e) => return Ok(usage_error(&e)),
    };
    let search = hyperlab::experiment::search::search_from_query(&query).0.is_some();
    let kept = chart_key.as_deref().is_some_and(|k| k == "kept" || k.starts_with("kept:"));
    if file.given() && (search || kept) {
        return Ok(usage_error(
            "argument `--data-file`: a search's and the kept runs' charts draw the link's data, not a file's",
        ));
    }
    if search {
        return plot_search(page, &query, chart_key.as_deref(), out_file);
    }
    match chart_key.as_deref() {
        Some(k @ ("data" | "network" | "range")) => return plot_picture(page, &rest, k, out_file),
        Some(k) if hyperlab::engine::train::Inside::ALL.iter().any(|q| q.key() == k) => {
            return plot_picture(page, &rest, k, out_file);
        }
        Some("regimes") => return plot_regimes(page, &rest, out_file),
        Some(k) if k == "kept" || k.starts_with("kept:") => return plot_kept(page, &query, k, out_file),
        _ => {}
    }
    let chart = match chart_key.as_deref().map(hyperlab::figure::RunChart::from_key) {
        None => hyperlab::figure::RunChart::Loss,
        Some(Some(c)) => c,
        Some(None) => {
            return Ok(usage_error(&format!(
                "argument `--chart`: `{}` is not a chart; expected loss, lr, a metric of the task, data, network, \
                 range, weight_norm, grad_norm, update_ratio, dead, regimes or kept",
                chart_key.unwrap_or_default()
            )));
        }
    };
    let (spec, _) = match spec_from_args(&rest) {
        Ok(s) => s,
        Err(exit) => return Ok(exit),
    };
    if let hyperlab::figure::RunChart::Metric(m) = chart {
        if !spec.metrics().contains(&m) {
            return Ok(usage_error(&format!("argument `--chart`: `{}` is not reported for this data set", m.key())));
        }
    }
    let mut trainer = match spec.trainer() {
        Ok(t) => t,
        Err(e) => return Ok(spec_error(&e)),
    };
    trainer.run_to_end();
    let link = hyperlab::experiment::page_link(page, &spec);
    draw(hyperlab::figure::run(chart, &spec, trainer.records(), &link), out_file)
}
