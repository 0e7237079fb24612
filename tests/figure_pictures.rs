//! The figures of the lab's other charts (`hyperlab::figure`): the data view
//! over the network's map, the confusion matrix and the fit, the network, the
//! optimizer race, the LR range test, the per-layer diagnostics and a
//! search's analyses. Each carries the numbers its chart shows, from real
//! runs where the lab makes them, and draws as SVG. (Their download from the
//! page, SVG parsed and PNG decoded, is `tests/e2e/figures.test.mjs`.)
//!
//! With `HYPERLAB_FIGURES=dir` set, each figure is also written there, to
//! look at.

use hyperlab::engine::search::{Config, Space, Value};
use hyperlab::engine::train::{Inside, Metric};
use hyperlab::experiment::{ExperimentSpec, from_query};
use hyperlab::figure::{self, Figure, Mark, SearchAbout};
use hyperlab::worker::protocol::{BOUNDARY_RES, RACE_RES, Race, View};

fn spec(query: &str) -> ExperimentSpec {
    let (spec, notices) = from_query(query);
    assert!(notices.is_empty(), "{notices:?}");
    spec
}

/// Draws `fig` as SVG (and writes it where `HYPERLAB_FIGURES` says) and
/// returns the document.
fn drawn(fig: &Figure, name: &str) -> String {
    let svg = fig.svg().expect("drawn");
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{name}: an SVG document");
    if let Ok(dir) = std::env::var("HYPERLAB_FIGURES") {
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.svg")), &svg).expect("written");
    }
    svg
}

#[test]
fn the_data_view_figure_is_the_pages_map_under_every_point() {
    let spec = spec("data=spiral&ep=30&opt=adam&lr=0.01");
    let mut trainer = spec.trainer().expect("valid");
    trainer.run_to_end();
    let view = View::of(&mut trainer, &spec);
    let split = spec.split().expect("data");
    let fig = figure::data_view(&split, Some(&view), &spec, "").expect("a 2-D picture");
    let colours = figure::map_colours(&view, 2).expect("a map");
    assert_eq!(fig.cells.len(), BOUNDARY_RES * BOUNDARY_RES);
    assert_eq!(fig.cells.iter().map(|c| c.fill).collect::<Vec<_>>(), colours, "the page's colours, cell for cell");
    // The first grid point is the top-left corner of the data's square.
    let e = f64::from(hyperlab::worker::protocol::BOUNDARY_EXTENT);
    let first = &fig.cells[0];
    assert!(((first.x.0 + first.x.1) / 2.0 + e).abs() < 1e-9 && ((first.y.0 + first.y.1) / 2.0 - e).abs() < 1e-9);
    // Every example once: training filled, validation hollow, by class.
    let count = |mark| fig.series.iter().filter(|s| s.mark == mark).map(|s| s.points.len()).sum::<usize>();
    assert_eq!((count(Mark::Points), count(Mark::Rings)), (split.train.len(), split.val.len()));
    let class1: Vec<(f64, f64)> = (0..split.train.len())
        .filter(|&i| split.train.y[i] == 1.0)
        .map(|i| (f64::from(split.train.features(i)[0]), f64::from(split.train.features(i)[1])))
        .collect();
    assert!(fig.series.iter().any(|s| s.name == "class 1" && s.points == class1));
    let svg = drawn(&fig, "data-view");
    assert!(svg.matches("<rect").count() > BOUNDARY_RES * BOUNDARY_RES, "each cell a rectangle");
    assert!(svg.contains("probability of class 1"));

    // 1-D regression: the points and the network's fitted curve.
    let spec = spec_1d();
    let mut trainer = spec.trainer().expect("valid");
    trainer.run_to_end();
    let View::Curve { y } = View::of(&mut trainer, &spec) else { panic!("a curve") };
    let split = spec.split().expect("data");
    let fig = figure::data_view(&split, Some(&View::Curve { y: y.clone() }), &spec, "").expect("a picture");
    let fit = fig.series.iter().find(|s| s.name == "the network's fit").expect("the curve");
    assert_eq!(fit.points.iter().map(|p| p.1 as f32).collect::<Vec<_>>(), y);
    drawn(&fig, "data-view-1d");
}

fn spec_1d() -> ExperimentSpec {
    spec("data=sine&ep=20&opt=adam&lr=0.01")
}

#[test]
fn the_confusion_matrix_figure_counts_each_cell_and_shades_it_by_its_rows_share() {
    let counts = vec![vec![8, 2, 0], vec![1, 9, 0], vec![0, 5, 5]];
    let fig = figure::confusion(&counts, &spec("data=spiral"), "");
    assert_eq!(fig.cells.len(), 9);
    assert_eq!(fig.x_categories, ["0", "1", "2"]);
    assert_eq!(fig.y_categories, ["2", "1", "0"], "the first class at the top, as the page's table");
    // True class 0 is the top row (y = 2); its diagonal says 8.
    let cell = |x: f64, y: f64| fig.cells.iter().find(|c| (c.x.0 + c.x.1) / 2.0 == x && (c.y.0 + c.y.1) / 2.0 == y);
    assert_eq!(cell(0.0, 2.0).expect("cell").label, "8");
    assert_eq!(cell(1.0, 0.0).expect("cell").label, "5");
    // Shaded by the share of the row: 9 of 10 darker than 5 of 10 on the diagonal.
    let ink = |c: (u8, u8, u8)| u32::from(c.0) + u32::from(c.1) + u32::from(c.2);
    assert!(ink(cell(1.0, 1.0).expect("cell").fill) < ink(cell(2.0, 0.0).expect("cell").fill));
    assert!(fig.title.contains("22 of 30 right"), "{}", fig.title);
    let svg = drawn(&fig, "confusion");
    assert!(svg.contains("predicted class") && svg.contains("true class"));

    let fit = figure::fit(&[1.0, 2.0, 3.0], &[1.5, 2.0, 2.0], &spec("data=wine"), "");
    assert_eq!(fit.series[0].points, [(1.0, 1.5), (2.0, 2.0), (3.0, 2.0)]);
    assert_eq!(fit.series[1].points, [(1.0, 1.0), (3.0, 3.0)], "the diagonal over the targets");
    drawn(&fit, "fit");
}

#[test]
fn the_network_figure_draws_each_weight_its_sign_and_its_size() {
    let spec = spec("data=moons&hidden=4,3&ep=10");
    let mut trainer = spec.trainer().expect("valid");
    trainer.run_to_end();
    let picture =
        hyperlab::worker::picture::NetworkPicture::of(&mut trainer, Some(hyperlab::engine::data::Plane::STANDARD));
    let fig = figure::network(&picture, &spec, 10, "");
    assert_eq!(fig.x_categories, ["inputs (2)", "hidden 1 (4)", "hidden 2 (3)", "outputs (1)"]);
    let units = fig.series.last().expect("units");
    assert_eq!(units.points.len(), 2 + 4 + 3 + 1);
    let edges: Vec<_> = fig.series.iter().filter(|s| s.name.is_empty() && s.points.len() == 2).collect();
    let drawn_weights: usize = (0..picture.weights.len())
        .map(|l| {
            let max = picture.weights[l].iter().fold(0f32, |m, w| m.max(w.abs()));
            picture.weights[l].iter().filter(|w| w.abs() >= 0.02 * max).count()
        })
        .sum();
    assert_eq!(edges.len(), drawn_weights, "a line per weight of 2 % of its layer's largest or more");
    // The first layer's first weight: from input 0 (top) to hidden unit 0, its sign its colour.
    let w = picture.weight(0, 0, 0);
    let first = edges.iter().find(|s| s.points == [(0.0, 0.5), (1.0, 1.5)]).expect("input 0 → unit 0");
    let colour = if w >= 0.0 { hyperlab::palette::TRAINING } else { hyperlab::palette::VALIDATION };
    assert_eq!(first.color, colour);
    drawn(&fig, "network");
}

#[test]
fn the_race_figure_draws_the_surface_and_each_path_while_it_stays_in_the_picture() {
    let surface = hyperlab::engine::surface::Surface::Rosenbrock;
    let race = Race::run(surface, [-1.5, 2.0], 200, Some(&spec("opt=adam&lr=0.05")));
    let fig = figure::race(&race, "");
    assert_eq!(fig.cells.len(), RACE_RES * RACE_RES);
    let (x0, x1, y0, y1) = surface.domain();
    for path in &race.paths {
        let series = fig.series.iter().find(|s| s.name.starts_with(&path.name)).expect("a line a path");
        assert!(!series.points.is_empty());
        assert!(series.points.iter().all(|&(x, y)| (x0..=x1).contains(&x) && (y0..=y1).contains(&y)));
        let prefix: Vec<(f64, f64)> =
            path.points.iter().take(series.points.len()).map(|p| (f64::from(p[0]), f64::from(p[1]))).collect();
        assert_eq!(series.points, prefix, "{}: the path from its start", path.name);
        let dashed = path.name == hyperlab::worker::protocol::YOURS;
        assert_eq!(series.mark == Mark::Dashed, dashed, "{}: only the lab's own settings dashed", path.name);
    }
    let minima = fig.series.iter().find(|s| s.name == "minimum").expect("the minima");
    assert_eq!(minima.points, [(1.0, 1.0)]);
    drawn(&fig, "race");
}

#[test]
fn the_range_test_and_diagnostics_figures_carry_their_charts_numbers() {
    use hyperlab::engine::train::lr_finder::{LrFinderConfig, lr_range_test};
    let spec = spec("data=moons&opt=sgd");
    let mut trainer = spec.trainer().expect("valid");
    let result = lr_range_test(&mut trainer, &LrFinderConfig::default());
    let fig = figure::lr_range(&result, &spec, "");
    assert!(fig.log_x);
    let low = result.smoothed.iter().copied().fold(f64::INFINITY, f64::min);
    let curve = &fig.series[0].points;
    assert!(curve.len() > 50 && curve.iter().all(|p| p.1 <= 2.5 * low), "the curve up to where it explodes");
    assert!(curve.iter().all(|&(lr, s)| result.lrs.iter().zip(&result.smoothed).any(|(&a, &b)| a == lr && b == s)));
    assert_eq!(fig.series.len(), 1 + result.suggestions.len());
    for (s, line) in result.suggestions.iter().zip(&fig.series[1..]) {
        assert!(line.points.iter().all(|p| p.0 == s.lr), "a vertical line at the suggestion");
        assert!(line.name.contains(&s.rule));
    }
    drawn(&fig, "lr-range");

    let spec = self::spec("data=moons&ep=8&hidden=6,4");
    let mut trainer = spec.trainer().expect("valid");
    trainer.enable_diagnostics();
    trainer.run_to_end();
    let epochs: Vec<(usize, Vec<hyperlab::engine::train::LayerStats>)> =
        trainer.records().iter().map(|r| r.epoch).zip(trainer.diagnostics().iter().cloned()).collect();
    assert_eq!(epochs.len(), 8);
    let borrowed: Vec<(usize, &[hyperlab::engine::train::LayerStats])> =
        epochs.iter().map(|(e, d)| (*e, d.as_slice())).collect();
    let fig = figure::diagnostics(Inside::UpdateRatio, &borrowed, &spec, "");
    assert_eq!(fig.series.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["layer 1", "layer 2", "output"]);
    assert_eq!(fig.series[2].points, epochs.iter().map(|(e, d)| (*e as f64, d[2].update_ratio)).collect::<Vec<_>>());
    assert!(fig.log_y);
    assert!(!figure::diagnostics(Inside::Dead, &borrowed, &spec, "").log_y, "a share: linear");
    drawn(&fig, "diagnostics");
}

fn about() -> SearchAbout {
    SearchAbout { about: "random search, 6 trials, two moons".into(), metric: Metric::Accuracy }
}

fn trials(space: &Space, rows: &[(&[&str], f64)]) -> Vec<(Config, f64)> {
    rows.iter()
        .map(|(values, score)| {
            let config = values.iter().enumerate().map(|(i, v)| space.parse_value(i, v).expect("a value")).collect();
            (config, *score)
        })
        .collect()
}

#[test]
fn a_searchs_analyses_leave_as_figures_with_their_numbers() {
    let space = hyperlab::experiment::search::parse_space("lr:log:0.001:1,opt:choice:sgd|adam").expect("a space");
    let rows = trials(
        &space,
        &[(&["0.01", "sgd"], 0.8), (&["0.3", "adam"], 0.95), (&["0.002", "adam"], 0.6), (&["0.1", "sgd"], 0.9)],
    );
    // Generations: each child in its column, the best and median per generation.
    let fig = figure::generations(&[vec![0.5, 0.7, 0.6], vec![0.9, 0.8]], &about(), "");
    assert_eq!(fig.series[0].points, [(-0.3, 0.5), (0.0, 0.7), (0.3, 0.6), (0.7, 0.9), (1.3, 0.8)]);
    assert_eq!(fig.series[2].points, [(0.0, 0.7), (1.0, 0.9)], "each generation's best");
    assert_eq!(fig.series[1].points, [(0.0, 0.6), (1.0, (0.8 + 0.9) / 2.0)], "each generation's median");
    drawn(&fig, "generations");
    // Pareto: every trial, the front joined.
    let points = [(100.0, 0.8), (5000.0, 0.95), (300.0, 0.7)];
    let fig = figure::pareto(&points, &[0, 1], "parameters (network size)", &about(), "");
    assert_eq!(fig.series[1].points, [(100.0, 0.8), (5000.0, 0.95)]);
    assert!(fig.log_x, "sizes spanning 50×");
    drawn(&fig, "pareto");
    // The best trials' curves.
    let fig = figure::curves(&[(3, &[0.5, 0.7, 0.9][..]), (1, &[0.4, 0.8][..])], &about(), "");
    assert_eq!(fig.series[0].name, "trial 3");
    assert_eq!(fig.series[1].points, [(1.0, 0.4), (2.0, 0.8)]);
    drawn(&fig, "curves");
    // A heat map: a labelled cell per grid point, grey where none was tried.
    let labels = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let cells = [Some(0.8), None, Some(0.6), Some(0.9)];
    let fig = figure::heatmap(("lr", &labels(&["0.01", "0.1"])), ("bs", &labels(&["8", "32"])), &cells, &about(), "");
    assert_eq!(
        fig.cells.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(),
        ["0.8000", "not tried", "0.6000", "0.9000"],
        "as the page labels them"
    );
    assert_eq!(fig.cells[3].fill, {
        let [r, g, b] = hyperlab::palette::viridis(1.0);
        (r, g, b)
    });
    drawn(&fig, "heatmap");
    // Parallel coordinates: a line a trial through its settings to its score; the best named, outlined and on top.
    let fig = figure::parallel(&space, &rows, &about(), "");
    let lines: Vec<_> = fig.series.iter().filter(|s| s.points.len() == 3).collect();
    assert_eq!(lines.len(), 4 + 1, "a line a trial, and the best's dark outline under it");
    let best = lines.last().expect("the best, drawn last");
    assert_eq!(lines[3].points, best.points, "the outline follows the best");
    assert_eq!(best.name, format!("best: {}", hyperlab::plot::format_value(0.95)));
    assert_eq!(best.points[1], (1.0, 0.75), "adam: the second of two choices");
    assert_eq!(best.points[2], (2.0, 1.0), "the best score at the top of its axis");
    assert!((best.points[0].1 - space.encode_param(0, Value::Real(0.3))).abs() < 1e-12);
    assert!(fig.cells.iter().any(|c| c.label == "adam"), "the choices named on their axis");
    drawn(&fig, "parallel");
    // What mattered: a bar a setting, on 0–1.
    let fig = figure::importance(&space, &[0.62, 0.1], &about(), "");
    assert_eq!(
        fig.cells.iter().map(|c| (c.y.1, c.label.as_str())).collect::<Vec<_>>(),
        [(0.62, "62 %"), (0.1, "10 %")]
    );
    assert_eq!(fig.y_range, Some((0.0, 1.0)));
    drawn(&fig, "importance");
    // The surrogate: cells spanning the domains (log where they are), the trials and the best.
    let map = hyperlab::engine::search::study::SurrogateMap {
        params: (0, 1),
        n: 3,
        mean: vec![0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
        sd: vec![0.0; 9],
    };
    let space2 = hyperlab::experiment::search::parse_space("lr:log:0.001:1,mom:real:0:0.99").expect("a space");
    let fig = figure::surrogate(
        (&space2.params[0], &space2.params[1]),
        &map,
        &[(0.01, 0.5)],
        Some((0.01, 0.5)),
        &about(),
        "",
    );
    assert!(fig.log_x && !fig.log_y);
    assert_eq!(fig.cells.len(), 9);
    let near = |a: f64, b: f64| (a / b - 1.0).abs() < 1e-12;
    assert!(near(fig.cells[0].x.0, 0.001) && near(fig.cells[8].x.1, 1.0), "the cells span the domain");
    assert!(
        fig.cells[8].fill == {
            let [r, g, b] = hyperlab::palette::viridis(1.0);
            (r, g, b)
        }
    );
    drawn(&fig, "surrogate");
}

#[test]
fn hyperlab_plot_draws_the_pictures_the_range_test_and_each_diagnostic() {
    let bin = env!("CARGO_BIN_EXE_hyperlab");
    let plot = |query: &str, chart: &str| {
        let out = std::process::Command::new(bin).args(["plot", query, "--chart", chart]).output().expect("runs");
        assert!(out.status.success(), "{chart}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("text")
    };
    // The same figures as the library draws for the run trained to its end.
    let spec = spec("data=moons&ep=6&hidden=3");
    let mut trainer = spec.trainer().expect("valid");
    trainer.enable_diagnostics();
    trainer.run_to_end();
    let link = hyperlab::experiment::page_link("", &spec);
    let view = View::of(&mut trainer, &spec);
    let expected = figure::data_view(&spec.split().unwrap(), Some(&view), &spec, &link).expect("a picture");
    assert_eq!(plot("data=moons&ep=6&hidden=3", "data"), expected.svg().expect("drawn"));
    // The points where they lie, not as the network reads them after its feature transforms.
    let query = "data=moons&ep=6&hidden=3&std=1&feat=x1sq-x2";
    let featured = from_query(query).0;
    let mut trainer_f = featured.trainer().expect("valid");
    trainer_f.run_to_end();
    let view_f = View::of(&mut trainer_f, &featured);
    let raw = figure::data_view(&featured.split().unwrap(), Some(&view_f), &featured, "").expect("a picture");
    let transformed = figure::data_view(trainer_f.data(), Some(&view_f), &featured, "").expect("a picture");
    assert_ne!(raw.series[0].points, transformed.series[0].points, "the transforms move the points");
    let drawn = plot(query, "data");
    let link_f = hyperlab::experiment::page_link("", &featured);
    let expected = figure::data_view(&featured.split().unwrap(), Some(&view_f), &featured, &link_f).expect("a picture");
    assert_eq!(drawn, expected.svg().expect("drawn"));
    let picture =
        hyperlab::worker::picture::NetworkPicture::of(&mut trainer, Some(hyperlab::engine::data::Plane::STANDARD));
    let expected = figure::network(&picture, &spec, 6, &link);
    assert_eq!(plot("data=moons&ep=6&hidden=3", "network"), expected.svg().expect("drawn"));
    let epochs: Vec<(usize, &[hyperlab::engine::train::LayerStats])> =
        trainer.records().iter().map(|r| r.epoch).zip(trainer.diagnostics().iter().map(Vec::as_slice)).collect();
    for inside in Inside::ALL {
        let expected = figure::diagnostics(inside, &epochs, &spec, &link);
        assert_eq!(plot("data=moons&ep=6&hidden=3", inside.key()), expected.svg().expect("drawn"), "{}", inside.key());
    }
    // Data with more inputs: the confusion matrix, or a regression's fit; the range test.
    assert!(plot("data=iris&ep=5", "data").contains("confusion matrix of the validation set"));
    assert!(plot("data=sparse&ep=5", "data").contains("validation predictions against their targets"));
    assert!(plot("data=moons", "range").contains("Learning-rate range test — two moons"));
}
