//! Every data set, and the lessons the course draws from data.
#![cfg(not(target_arch = "wasm32"))]

use hyperlab::engine::data::Task;
use hyperlab::engine::train::{Metric, RunState};
use hyperlab::experiment::{DataKind, ExperimentSpec, from_query};

fn spec(query: &str) -> ExperimentSpec {
    let (spec, notices) = from_query(query);
    assert!(notices.is_empty(), "{query}: {notices:?}");
    spec
}

/// Trains and returns the last record's validation value of `metric`.
fn final_val(query: &str, metric: Metric) -> f64 {
    let mut trainer = spec(query).trainer().unwrap();
    assert!(matches!(trainer.run_to_end(), RunState::Finished), "{query}");
    trainer.records().last().unwrap().val.get(metric).unwrap()
}

#[test]
fn every_data_set_is_learned() {
    let cases = [
        ("data=circle&ep=100", Metric::Accuracy, 0.95),
        ("data=xor&ep=100", Metric::Accuracy, 0.95),
        ("data=moons&ep=100", Metric::Accuracy, 0.95),
        ("data=blobs&ep=50", Metric::Accuracy, 0.95),
        ("data=blobs&classes=5&ep=80", Metric::Accuracy, 0.85),
        ("data=iris&ep=100&opt=adam&lr=0.01", Metric::Accuracy, 0.9),
        ("data=wine&ep=100&opt=adam&lr=0.01", Metric::Accuracy, 0.9),
        ("data=breast_cancer&ep=50&opt=adam&lr=0.003&hidden=16", Metric::Accuracy, 0.93),
        ("data=digits&ep=20&opt=adam&lr=0.003&hidden=32&bs=32&act=relu", Metric::Accuracy, 0.93),
        ("data=sine&ep=300&hidden=16-16&opt=adam&lr=0.01", Metric::R2, 0.95),
        ("data=plane&ep=100&hidden=none&lr=0.05", Metric::R2, 0.95),
    ];
    for (query, metric, at_least) in cases {
        let v = final_val(query, metric);
        assert!(v >= at_least, "{query}: validation {} = {v}, expected ≥ {at_least}", metric.key());
    }
}

#[test]
fn bundled_files_have_the_documented_shapes() {
    for (kind, n, features, classes) in [
        (DataKind::Iris, 150, 4, 3),
        (DataKind::Wine, 178, 13, 3),
        (DataKind::BreastCancer, 569, 30, 2),
        (DataKind::Digits, 1797, 64, 10),
    ] {
        let s = ExperimentSpec {
            data: hyperlab::experiment::DataSpec { kind, ..Default::default() },
            ..Default::default()
        };
        let data = s.data.generate(1, None).unwrap();
        assert_eq!((data.len(), data.n_features), (n, features), "{kind:?}");
        assert_eq!(data.task, Task::Classification { n_classes: classes });
        assert_eq!(kind.n_inputs(), features);
        assert_eq!(kind.bundled_size(), Some(n));
        assert!(data.class_counts().iter().all(|&c| c > 0));
        // The classes' names the lab shows are the file's header's, where they are words.
        let header = hyperlab::experiment::bundled_csv(kind).unwrap().lines().next().unwrap().to_string();
        let in_file: Vec<&str> = header.split(',').skip(2).collect();
        assert_eq!(in_file.len(), classes, "{kind:?}");
        for (c, name) in in_file.iter().enumerate() {
            let shown = s.data.class_name(c);
            let numbered = name.trim_start_matches("class_").parse::<usize>().is_ok();
            assert_eq!(shown, if numbered { c.to_string() } else { name.to_string() }, "{kind:?} class {c}");
        }
    }
}

/// "Accuracy may hide poor performance in imbalanced datasets": on a 95/5
/// circle, a model that cannot draw a circle (no hidden layer) settles on the
/// majority class and scores 95% accuracy; balanced accuracy (0.5) and F1
/// show it learned nothing. A network with hidden layers really learns it.
#[test]
fn accuracy_misleads_on_imbalanced_data() {
    let mut trainer = spec("data=circle&minority=0.05&hidden=none&ep=50&lr=0.1&n=400").trainer().unwrap();
    trainer.run_to_end();
    let counts = trainer.data().train.class_counts();
    assert!(counts[1] * 15 < counts[0], "{counts:?}");
    let val = trainer.records().last().unwrap().val;
    assert!(val.accuracy.unwrap() >= 0.94, "{val:?}");
    assert!(val.balanced_accuracy.unwrap() <= 0.55, "{val:?}");
    assert!(val.f1.unwrap() < 0.55, "{val:?}");
    let learned = final_val("data=circle&minority=0.05&ep=300&lr=0.1&n=400", Metric::BalancedAccuracy);
    assert!(learned > 0.8, "an MLP's balanced accuracy: {learned}");
}

/// "MSE may fail in datasets with many outliers": on a plane with 20%
/// outliers a linear model fitted with MSE lands farther from the true plane
/// than one fitted with MAE.
#[test]
fn mse_is_pulled_by_outliers_and_mae_is_not() {
    let truth = [0.6f32, -0.4, 0.1];
    let error = |loss: &str| {
        let q = format!("data=plane&outliers=0.2&n=400&hidden=none&loss={loss}&lr=0.02&ep=200&noise=0.02");
        let mut trainer = spec(&q).trainer().unwrap();
        trainer.run_to_end();
        trainer.model().params.iter().zip(truth).map(|(p, t)| (p - t).abs()).sum::<f32>()
    };
    let (mse, mae) = (error("mse"), error("mae"));
    assert!(mae < 0.5 * mse, "parameter error: MAE fit {mae}, MSE fit {mse}");
}

/// "Tune model and feature parameters together": a network with no hidden
/// layer cannot separate the circle from raw inputs, and can with x₁², x₂².
#[test]
fn derived_features_let_a_linear_model_solve_the_circle() {
    let raw = final_val("data=circle&hidden=none&ep=100&lr=0.3", Metric::Accuracy);
    let squared = final_val("data=circle&hidden=none&ep=100&lr=0.3&feat=x1sq-x2sq", Metric::Accuracy);
    assert!(raw < 0.75, "raw inputs: {raw}");
    assert!(squared > 0.97, "with squares: {squared}");
    let poly = final_val("data=circle&hidden=none&ep=100&lr=0.3&poly=2", Metric::Accuracy);
    assert!(poly > 0.97, "degree-2 polynomial: {poly}");
    // cos(πx) peaks at the centre: cosines alone separate the disc from the ring too.
    let cosines = final_val("data=circle&hidden=none&ep=100&lr=0.3&feat=cos1-cos2", Metric::Accuracy);
    assert!(cosines > 0.95, "with cosines: {cosines}");
}

/// Wine's features span 0.1 to 1000: without standardization SGD cannot
/// learn it; with it, it can.
#[test]
fn standardization_matters_on_wine() {
    let with = final_val("data=wine&ep=60&lr=0.05", Metric::Accuracy);
    let mut without = spec("data=wine&ep=60&lr=0.05&std=0").trainer().unwrap();
    let state = without.run_to_end();
    let acc = without.records().last().map_or(0.0, |r| r.val.accuracy.unwrap());
    assert!(with > 0.9, "standardized: {with}");
    assert!(acc < 0.7 || matches!(state, RunState::Diverged { .. }), "raw: {acc} ({state:?})");
}

#[test]
fn a_boundary_you_define_puts_each_class_on_its_side_and_the_sine_is_a_line_in_sin_features() {
    use hyperlab::engine::data::generators::Curve;
    use hyperlab::experiment::from_query;
    for curve in Curve::ALL {
        let (spec, notices) = from_query(&format!("data=boundary&curve={}&noise=0", curve.key()));
        assert!(notices.is_empty(), "{notices:?}");
        let data = spec.data.generate(spec.seed, None).expect("generated");
        assert_eq!(data.class_counts(), [200, 200], "{curve:?}: balanced");
        for i in 0..data.len() {
            let p = data.features(i);
            assert!(p.iter().all(|v| (-1.0..=1.0).contains(v)), "{curve:?}: in the square");
            let side = curve.side(f64::from(p[0]), f64::from(p[1]));
            // f32 rounding may put a point a hair across the curve.
            if side != data.y[i] as usize {
                let nudged = [-1e-6, 1e-6]
                    .iter()
                    .any(|d| curve.side(f64::from(p[0]) + d, f64::from(p[1]) + d) == data.y[i] as usize);
                assert!(nudged, "{curve:?}: point {i} on its class's side");
            }
        }
        // Noise moves some points across the curve.
        let noisy = from_query(&format!("data=boundary&curve={}&noise=0.2", curve.key())).0;
        let data = noisy.data.generate(noisy.seed, None).expect("generated");
        let crossed = (0..data.len())
            .filter(|&i| {
                curve.side(f64::from(data.features(i)[0]), f64::from(data.features(i)[1])) != data.y[i] as usize
            })
            .count();
        assert!(crossed > 10 && crossed < data.len() / 3, "{curve:?}: {crossed} points crossed");
    }
    // The course's point: a feature tuned to the data makes a linear model enough.
    let accuracy = |query: &str| {
        let (spec, notices) = from_query(query);
        assert!(notices.is_empty(), "{notices:?}");
        let mut trainer = spec.trainer().expect("valid");
        trainer.run_to_end();
        trainer.records().last().and_then(|r| r.val.accuracy).expect("accuracy")
    };
    let base = "data=boundary&curve=sine&noise=0&hidden=none&opt=adam&lr=0.05&ep=150";
    let tuned = accuracy(&format!("{base}&feat=x2-sin1"));
    let raw = accuracy(base);
    assert!(tuned >= 0.97, "sin(πx₁) and x₂: a straight line separates them ({tuned})");
    assert!(raw < 0.9, "x₁ and x₂ alone: no straight line does ({raw})");
    // A curve is refused on another data set, by its key.
    let (_, notices) = from_query("data=moons&curve=cubic");
    assert!(notices.iter().any(|n| n.key == "curve"), "{notices:?}");
}
