//! Exported figures (`hyperlab::figure`, drawn with plotters): a run's chart
//! carries exactly its records, with a title, axis labels, a legend and its
//! link; `hyperlab plot` writes it as SVG and refuses what it cannot draw.
//! (The page's SVG and PNG, and their equality with the command line's, are
//! checked in Chromium by `tests/e2e/figures.test.mjs`.)

use std::process::Command;

use hyperlab::experiment::from_query;
use hyperlab::figure::{self, RunChart};

fn trained(query: &str) -> (hyperlab::experiment::ExperimentSpec, Vec<hyperlab::engine::train::EpochRecord>) {
    let (spec, notices) = from_query(query);
    assert!(notices.is_empty(), "{notices:?}");
    let mut trainer = spec.trainer().expect("valid");
    trainer.run_to_end();
    (spec, trainer.records().to_vec())
}

/// The `points` of each polyline of more than two points (a series; the
/// legend's samples and the ticks have two), as pixel pairs.
fn polylines(svg: &str) -> Vec<Vec<(f64, f64)>> {
    svg.split("<polyline")
        .skip(1)
        .map(|p| {
            let points = p.split("points=\"").nth(1).expect("points").split('"').next().expect("closed");
            points
                .split_whitespace()
                .map(|xy| {
                    let (x, y) = xy.split_once(',').expect("x,y");
                    (x.parse().expect("x"), y.parse().expect("y"))
                })
                .collect::<Vec<_>>()
        })
        .filter(|l| l.len() > 2)
        .collect()
}

#[test]
fn a_runs_chart_carries_its_records_and_says_what_it_shows() {
    let (spec, records) = trained("data=moons&ep=25&lr=0.1");
    let fig = figure::run(RunChart::Loss, &spec, &records, "https://example.org/lab/?v=1&data=moons");
    assert_eq!(fig.series.len(), 2);
    let train: Vec<(f64, f64)> = records.iter().map(|r| (r.epoch as f64, r.train.loss)).collect();
    let val: Vec<(f64, f64)> = records.iter().map(|r| (r.epoch as f64, r.val.loss)).collect();
    assert_eq!((fig.series[0].points.clone(), fig.series[1].points.clone()), (train, val));
    assert_eq!((fig.series[0].name.as_str(), fig.series[1].name.as_str()), ("training", "validation"));
    let svg = fig.svg().expect("drawn");
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    for text in [
        "Loss — two moons, SGD at 0.1, 25 epochs",
        "epoch",
        "loss (binary cross-entropy)",
        "training",
        "validation",
        "https://example.org/lab/?v=1&amp;data=moons",
    ] {
        assert!(svg.contains(text), "the figure says `{text}`");
    }
    // One polyline a series, a point an epoch, left to right.
    let lines = polylines(&svg);
    assert_eq!(lines.iter().map(Vec::len).collect::<Vec<_>>(), [25, 25]);
    assert!(lines.iter().all(|l| l.windows(2).all(|w| w[1].0 > w[0].0)));
    // The higher loss is drawn higher (smaller y) at every epoch.
    for (i, (t, v)) in records.iter().map(|r| (r.train.loss, r.val.loss)).enumerate() {
        if (t - v).abs() > 1e-3 {
            assert_eq!(lines[0][i].1 < lines[1][i].1, t > v, "epoch {}", i + 1);
        }
    }
}

#[test]
fn the_learning_rate_figure_shows_the_plan_and_what_was_used_on_a_log_axis_when_it_spans_decades() {
    let (spec, records) = trained("data=moons&ep=40&sched=exp&decay=0.2");
    let fig = figure::run(RunChart::Lr, &spec, &records, "");
    let planned: Vec<(f64, f64)> = spec.planned_lrs().iter().enumerate().map(|(e, &lr)| ((e + 1) as f64, lr)).collect();
    assert_eq!(fig.series[0].points, planned);
    assert_eq!(fig.series[0].mark, hyperlab::figure::Mark::Dashed, "the plan is dashed");
    assert_eq!(fig.series[1].points, records.iter().map(|r| (r.epoch as f64, r.lr)).collect::<Vec<_>>());
    assert!(fig.log_y, "0.1 to 0.1·e^-7.8: a log axis");
    let flat = figure::run(RunChart::Lr, &trained("data=moons&ep=5").0, &trained("data=moons&ep=5").1, "");
    assert!(!flat.log_y, "a constant rate: a linear axis");
    // A metric: its training and validation values.
    let acc = figure::run(RunChart::Metric(hyperlab::engine::train::Metric::Accuracy), &spec, &records, "");
    assert_eq!(
        acc.series[1].points,
        records.iter().map(|r| (r.epoch as f64, r.val.accuracy.unwrap())).collect::<Vec<_>>()
    );
    assert!(acc.title.starts_with("Accuracy — "));
}

#[test]
fn hyperlab_plot_writes_the_figure_and_names_what_it_refuses() {
    let bin = env!("CARGO_BIN_EXE_hyperlab");
    let url = "https://example.org/lab/?v=1&data=moons&ep=20";
    let out = Command::new(bin).args(["plot", url, "--chart", "accuracy"]).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let svg = String::from_utf8(out.stdout).expect("text");
    let (spec, records) = trained("data=moons&ep=20");
    let link = hyperlab::experiment::page_link("https://example.org/lab/", &spec);
    let expected = figure::run(RunChart::Metric(hyperlab::engine::train::Metric::Accuracy), &spec, &records, &link);
    assert_eq!(svg, expected.svg().expect("drawn"), "the figure of the link's run");

    let file = std::env::temp_dir().join(format!("hyperlab-plot-{}.svg", std::process::id()));
    let out = Command::new(bin).args(["plot", "data=moons&ep=5", "--out"]).arg(&file).output().expect("runs");
    assert!(out.status.success());
    assert!(std::fs::read_to_string(&file).expect("written").contains("<polyline"));
    let _ = std::fs::remove_file(&file);

    let refuse = |args: &[&str], names: &str| {
        let out = Command::new(bin).args(args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(names), "{args:?}: {err}");
    };
    refuse(&["plot", "data=moons", "--chart", "weights"], "`--chart`: `weights` is not a chart");
    refuse(&["plot", "data=moons", "--chart", "r2"], "`r2` is not reported for this data set");
    refuse(&["plot", "data=moons&ep=0"], "`--epochs`");
    refuse(&["plot", "data=moons", "--out"], "`--out` needs a value");
}

#[test]
fn a_searchs_figures_show_every_trial_the_best_so_far_and_each_setting() {
    use hyperlab::engine::search::Space;
    use hyperlab::experiment::search::parse_space;
    use hyperlab::figure::{SearchChart, SearchResults};
    let space: Space = parse_space("lr:log:0.001:1,opt:choice:sgd|adam").expect("a space");
    let values: Vec<Vec<String>> = [["0.01", "sgd"], ["0.3", "adam"], ["0.002", "adam"], ["0.1", "sgd"]]
        .iter()
        .map(|v| v.iter().map(|s| s.to_string()).collect())
        .collect();
    let scores = [Some(0.8), Some(0.9), None, Some(0.9)];
    let about = |metric| hyperlab::figure::SearchAbout::new("random search", 4, "two moons", metric);
    let results = SearchResults {
        space: &space,
        about: about(hyperlab::engine::train::Metric::Accuracy),
        trials: (0..4).map(|i| (i, values[i].as_slice(), scores[i])).collect(),
    };
    let best = figure::search(SearchChart::Best, &results, "");
    assert_eq!(
        best.series[0].points,
        [(1.0, 0.8), (2.0, 0.9), (4.0, 0.9)],
        "every scored trial; the failed one left out"
    );
    assert_eq!(
        best.series[1].points,
        [(1.0, 0.8), (2.0, 0.9), (3.0, 0.9), (4.0, 0.9)],
        "the best so far, after each trial"
    );
    assert_eq!(best.title, "Best so far — random search, 4 trials, two moons");
    let lr = figure::search(SearchChart::Slice(0), &results, "");
    assert!(lr.log_x && lr.x_label == "lr (log scale)");
    assert_eq!(lr.series[0].points, [(0.01, 0.8), (0.3, 0.9), (0.1, 0.9)]);
    assert_eq!(lr.series[1].points, [(0.3, 0.9)], "the best: the first of equals");
    let opt = figure::search(SearchChart::Slice(1), &results, "");
    assert_eq!(opt.x_categories, ["sgd", "adam"]);
    assert_eq!(opt.series[0].points, [(0.0, 0.8), (1.0, 0.9), (0.0, 0.9)]);
    let svg = opt.svg().expect("drawn");
    for name in [">\nsgd\n<", ">\nadam\n<"] {
        assert!(svg.contains(name), "the choices name the ticks: {name:?}");
    }
    // Lower is better for a loss: the best so far falls.
    let loss = SearchResults { about: about(hyperlab::engine::train::Metric::Loss), ..results };
    let falling = figure::search(SearchChart::Best, &loss, "");
    assert_eq!(falling.series[1].points, [(1.0, 0.8), (2.0, 0.8), (3.0, 0.8), (4.0, 0.8)]);

    // `hyperlab plot` runs a search link and draws it.
    let bin = env!("CARGO_BIN_EXE_hyperlab");
    let query = "data=moons&ep=5&search=random&trials=5&space=lr:log:0.001:1";
    let out = Command::new(bin).args(["plot", query]).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let svg = String::from_utf8(out.stdout).expect("text");
    assert_eq!(svg.matches("<circle").count(), 1 + 5, "the legend's point and one a trial");
    assert_eq!(polylines(&svg).iter().map(Vec::len).collect::<Vec<_>>(), [5], "the best so far, a point a trial");
    let refused = Command::new(bin).args(["plot", query, "--chart", "slice:bs"]).output().expect("runs");
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("expected best or slice:lr"));
}

/// Parallel coordinates outline the best trial's line in dark ink and draw
/// it last: of trials tied at the best score, the first (the one the
/// table and `hyperlab search` call best; it was the last of them).
#[test]
fn parallel_coordinates_outline_the_first_of_the_best() {
    use hyperlab::engine::search::Value::{Choice, Real};
    use hyperlab::experiment::search::parse_space;
    let space = parse_space("lr:log:0.001:1,opt:choice:sgd|adam").expect("a space");
    let trials = vec![
        (vec![Real(0.01), Choice(0)], 0.8),
        (vec![Real(0.3), Choice(1)], 0.9),
        (vec![Real(0.002), Choice(1)], f64::NAN),
        (vec![Real(0.1), Choice(0)], 0.9),
    ];
    for (metric, best) in [(hyperlab::engine::train::Metric::Accuracy, 1), (hyperlab::engine::train::Metric::Loss, 0)] {
        let about = hyperlab::figure::SearchAbout::new("random search", 4, "two moons", metric);
        let fig = figure::parallel(&space, &trials, &about, "");
        let lines: Vec<_> = fig.series.iter().skip(3).collect();
        assert_eq!(lines.len(), 3 + 1, "{metric:?}: a line per scored trial, and the best's outline");
        let (outline, top) = (lines[2], lines[3]);
        assert_eq!((outline.color, outline.width, top.width), ((40, 44, 52), 6.0, 3.5), "{metric:?}");
        assert_eq!(top.name, format!("best: {}", hyperlab::plot::format_value(trials[best].1)));
        let on_lr = hyperlab::figure::parallel(&space, &trials[best..=best], &about, "").series[3].points[0];
        assert_eq!((outline.points[0], top.points[0]), (on_lr, on_lr), "{metric:?}: trial {best}'s line");
    }
}

#[test]
fn hyperlab_plot_draws_the_regimes_the_kept_runs_and_a_comparison() {
    let bin = env!("CARGO_BIN_EXE_hyperlab");
    let plot = |args: &[&str]| {
        let out = Command::new(bin).arg("plot").args(args).output().expect("runs");
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("text")
    };
    // The four regimes, labelled as `hyperlab regimes` labels them.
    let svg = plot(&["data=moons", "--chart", "regimes"]);
    let runs = hyperlab::experiment::regimes::train_regimes(&from_query("data=moons").0).expect("trained");
    for (place, run) in ["very high", "high", "good", "low"].iter().zip(&runs) {
        let name = format!("{place} · lr {}: {}", hyperlab::plot::format_lr(run.spec.lr), run.regime.key());
        assert!(svg.contains(&name), "the legend names `{name}`");
    }
    assert_eq!(
        polylines(&svg).iter().map(Vec::len).collect::<Vec<_>>(),
        runs.iter().map(|r| r.records.len()).collect::<Vec<_>>()
    );
    // The kept runs of a link: each run's training curve, a point an epoch.
    let link = hyperlab::experiment::lab_to_query(
        &from_query("data=moons").0,
        &[from_query("data=moons&ep=12&lr=0.1").0, from_query("data=moons&ep=12&lr=0.3").0],
    );
    let svg = plot(&[&link, "--chart", "kept"]);
    assert!(svg.contains("Loss of 2 kept runs") && svg.contains("lr 0.1") && svg.contains("lr 0.3"));
    assert!(polylines(&svg).iter().filter(|l| l.len() == 12).count() >= 2);
    let refused = Command::new(bin).args(["plot", "data=moons", "--chart", "kept"]).output().expect("runs");
    assert_eq!(refused.status.code(), Some(2), "a link with no kept runs");
    // A comparison: each method's median and quartiles, a point a trial.
    let svg = plot(&["data=moons&ep=5&search=random&trials=3&space=lr:log:0.01:1:3&compare=grid,random&repeats=2"]);
    assert!(svg.contains("Search methods on equal budgets"));
    // Each median is one line of a point a trial; the quartiles are dashed (drawn as segments).
    assert!(polylines(&svg).iter().filter(|l| l.len() == 3).count() >= 2, "two methods' medians");
    assert!(svg.contains(">\ngrid\n<") && svg.contains(">\nrandom\n<"), "the legend names the methods");
}
