//! The `hyperlab` command line, run as a real process.
#![cfg(not(target_arch = "wasm32"))]

use std::process::{Command, Output};

use hyperlab::engine::train::EpochRecord;
use hyperlab::experiment::ExperimentSpec;

fn hyperlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hyperlab")).args(args).output().expect("hyperlab runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn run_prints_a_header_and_the_engine_records() {
    let out = hyperlab(&["run", "--epochs", "5"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("epoch,lr,train_loss,val_loss,train_accuracy,val_accuracy,"), "{}", lines[0]);
    let spec = ExperimentSpec { n_epochs: 5, ..ExperimentSpec::default() };
    assert_eq!(lines[0], EpochRecord::csv_header(spec.metrics()));
    assert!(lines[0].ends_with("train_roc_auc,val_roc_auc"));
    let mut trainer = spec.trainer().unwrap();
    trainer.run_to_end();
    let expected: Vec<String> = trainer.records().iter().map(|r| r.csv_row(spec.metrics())).collect();
    assert_eq!(lines[1..], expected.iter().map(String::as_str).collect::<Vec<_>>()[..]);
    assert!(lines[1..].iter().all(|l| l.split(',').count() == lines[0].split(',').count()));
}

#[test]
fn json_lines_carry_every_score_and_the_final_state() {
    let out = hyperlab(&["run", "--epochs", "3", "--json", "--test-ratio", "0.1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["epoch"], 1);
    assert!(lines[2]["val"]["roc_auc"].as_f64().unwrap() > 0.0);
    assert_eq!(lines[3]["state"]["kind"], "finished");
    assert!(lines[3]["test"]["accuracy"].as_f64().is_some());
}

#[test]
fn optimizer_flags_aliases_and_keys_agree() {
    let a = stdout(&hyperlab(&["run", "--optimizer", "adam", "--lr", "0.01", "--b2", "0.99", "--epochs", "3"]));
    let b = stdout(&hyperlab(&["run", "opt=adam&lr=0.01&b2=0.99&ep=3"]));
    assert_eq!(a, b);
    assert_eq!(a.lines().count(), 4);
    let sgd = stdout(&hyperlab(&["run", "--lr", "0.01", "--epochs", "3"]));
    assert_ne!(a, sgd);
}

#[test]
fn early_stopping_and_test_split_are_reported_in_closing_lines() {
    let out = hyperlab(&["run", "lr=3&es=5&test=0.1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let closing: Vec<&str> = text.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(closing.len(), 2, "{text}");
    assert!(closing[0].starts_with("# stopped early at epoch"));
    assert!(closing[1].starts_with("# test: loss="));
}

#[test]
fn no_arguments_run_the_pages_default_experiment() {
    let out = hyperlab(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let rows = text.lines().count() - 1;
    assert_eq!(rows, ExperimentSpec::default().n_epochs);
    assert!(text.lines().nth(1).unwrap().starts_with("1,0.1,"));
}

#[test]
fn query_string_url_and_flags_give_the_same_numbers() {
    let a = stdout(&hyperlab(&["run", "lr=0.3&seed=7&ep=4"]));
    let b = stdout(&hyperlab(&["run", "http://127.0.0.1:8080/?v=1&lr=0.3&seed=7&ep=4"]));
    let c = stdout(&hyperlab(&["run", "--lr", "0.3", "--seed=7", "--epochs", "4"]));
    assert_eq!(a.lines().count(), 5);
    assert_eq!(a, b);
    assert_eq!(a, c);
    // A flag after a query overrides it.
    let d = stdout(&hyperlab(&["run", "lr=0.3&seed=7&ep=4", "--seed", "8"]));
    assert_ne!(a, d);
}

#[test]
fn bad_arguments_exit_2_naming_the_argument() {
    let cases: [(&[&str], &str); 10] = [
        (&["run", "--lr", "abc"], "--lr"),
        (&["run", "--optimizer", "lbfgs"], "--optimizer"),
        (&["run", "--b1", "0.9"], "--b1"),
        (&["run", "--momentum", "1.5"], "--momentum"),
        (&["run", "--lr", "-1"], "--lr"),
        (&["run", "--epochs", "0"], "--epochs"),
        (&["run", "--batch-size", "100000"], "--batch-size"),
        (&["run", "--bogus", "1"], "--bogus"),
        (&["run", "lr=0.1&zz=3"], "zz"),
        (&["fly"], "fly"),
    ];
    for (args, named) in cases {
        let out = hyperlab(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(named), "{args:?}: {err}");
        assert!(stdout(&out).is_empty(), "{args:?} printed to stdout");
    }
    let out = hyperlab(&["run", "--lr"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("needs a value"));
    assert_eq!(hyperlab(&[]).status.code(), Some(2));
}

#[test]
fn a_diverging_run_says_so_in_its_last_line_and_exit_status() {
    // Learning rate 100 on this network: the run blows up or saturates;
    // either way it must end cleanly with no NaN printed.
    let out = hyperlab(&["run", "--lr", "100", "--epochs", "40"]);
    let text = stdout(&out);
    assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");
    match out.status.code() {
        Some(0) => assert_eq!(text.lines().count(), 41),
        Some(1) => assert!(text.lines().last().unwrap().starts_with("# diverged at epoch")),
        other => panic!("unexpected exit {other:?}"),
    }
}

#[test]
fn schedule_prints_the_planned_rates() {
    let out = hyperlab(&["schedule", "sched=step&start=0&every=20&rate=0.5&lr=0.001&ep=100"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "epoch,lr");
    assert_eq!(lines.len(), 101);
    assert_eq!(lines[19], "19,0.001");
    assert_eq!(lines[20], "20,0.0005");
    assert_eq!(lines[100], "100,0.00003125", "the course's 3.125e-5 at the end of a 100-epoch run");
    // Hand-set rates override the schedule from their epoch on.
    let text = stdout(&hyperlab(&["schedule", "sched=cosine&tmax=10&ep=12&lrc=5:0.5"]));
    assert_eq!(text.lines().nth(5).unwrap(), "5,0.5");
    assert_eq!(text.lines().nth(12).unwrap(), "12,0.5");
    let out = hyperlab(&["schedule", "--sched", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--sched"));
}

#[test]
fn regimes_labels_the_four_runs() {
    let out = hyperlab(&["regimes", "data=circle"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let labels: Vec<&str> = text.lines().skip(1).map(|l| l.split(',').nth(1).unwrap()).collect();
    assert_eq!(labels, ["diverged", "oscillating", "converged", "too_slow"]);
    assert!(text.contains("Good: smooth convergence"));
}

/// The race path from the command line equals PyTorch's Adam on Rosenbrock
/// (tests/reference/optimizer_traces.json), step for step.
#[test]
fn trace_prints_the_optimizer_path_on_the_surface() {
    let out = hyperlab(&["trace", "surf=rosenbrock&opt=adam&lr=0.1&rsteps=100"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let rows: Vec<Vec<f64>> =
        text.lines().skip(1).map(|l| l.split(',').map(|v| v.parse().unwrap()).collect()).collect();
    assert_eq!(text.lines().next().unwrap(), "step,x,y,loss");
    assert_eq!(rows.len(), 101);
    let reference: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/optimizer_traces.json"))
            .unwrap(),
    )
    .unwrap();
    let case = reference["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["optimizer"] == "Adam" && c["lr"] == 0.1 && c["function"] == "rosenbrock")
        .unwrap();
    for (k, (row, expected)) in rows.iter().zip(case["trace"].as_array().unwrap()).enumerate() {
        for j in 0..3 {
            let e = expected[j].as_f64().unwrap();
            assert!((row[j + 1] - e).abs() <= 1e-9 * e.abs().max(1.0), "step {k}: {row:?} vs {expected}");
        }
    }
    let out = hyperlab(&["trace", "--surf", "moon"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--surf"));
}

#[test]
fn search_prints_a_row_per_trial_the_best_and_its_url_and_replays_exactly() {
    let url = "data=moons&ep=15&search=bayes&trials=9&space=lr:log:0.001:1,opt:choice:sgd|adam&folds=3&sseed=4";
    let out = hyperlab(&["search", url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "trial,lr,opt,accuracy,spread,status,epochs");
    let rows: Vec<Vec<&str>> = lines[1..10].iter().map(|l| l.split(',').collect()).collect();
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r[0], i.to_string());
        let lr: f64 = r[1].parse().unwrap();
        assert!((0.001..=1.0).contains(&lr), "{lr}");
        assert!(r[2] == "sgd" || r[2] == "adam");
        assert_eq!(r[5], "done");
        assert_eq!(r[6], "45", "three folds of 15 epochs");
        let spread: f64 = r[4].parse().unwrap();
        assert!((0.0..0.3).contains(&spread));
    }
    // The best row is the one named, and its experiment link trains to that configuration.
    // The best: the highest accuracy, the earliest of equals.
    let score = |r: &Vec<&str>| r[3].parse::<f64>().unwrap();
    let top = rows.iter().map(score).fold(f64::MIN, f64::max);
    let best = rows.iter().find(|r| score(r) == top).unwrap();
    assert!(
        lines[10].starts_with(&format!("# best: trial {} (lr={} opt={})", best[0], best[1], best[2])),
        "{}",
        lines[10]
    );
    let test: f64 = lines[11].strip_prefix("# test accuracy: ").unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!((0.5..=1.0).contains(&test), "{}", lines[11]);
    let experiment = lines[12].strip_prefix("# experiment: ?").unwrap();
    assert!(experiment.contains(&format!("lr={}", best[1])), "{experiment}");
    // The search's own link gives the same trials.
    let again = hyperlab(&["search", lines[13].strip_prefix("# search: ?").unwrap()]);
    assert_eq!(stdout(&again), text);
}

#[test]
fn a_bad_search_exits_2_naming_the_field() {
    for (args, field) in [
        (vec!["search", "search=annealing"], "--search"),
        (vec!["search", "search=random&space=lr:log:0:1"], "--space"),
        (vec!["search", "search=random&space=lr:cubic:1:2"], "--space"),
        (vec!["search", "search=random&trials=0"], "--trials"),
        (vec!["search", "search=grid&folds=1"], "--folds"),
        (vec!["search", "search=random&space=data:choice:xor|moons"], "--space"),
        (vec!["search", "data=sine&search=random&smetric=accuracy"], "--smetric"),
        (vec!["search", "lr=0.1"], "--search"),
    ] {
        let out = hyperlab(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stdout(&out));
        assert!(stderr(&out).contains(field), "{args:?}: {}", stderr(&out));
    }
}

/// Bergstra & Bengio's observation on real trainings: nine trials, a space
/// where only the learning rate matters (weight decay between 1e-7 and 1e-6
/// changes nothing); the 3 × 3 grid tries three learning rates, random
/// search nine — and ends with the lower validation loss (median of 10 seeds).
#[test]
fn search_compare_reproduces_random_beating_grid() {
    let url = "data=moons&ep=40&search=random&trials=9&space=lr:log:0.001:10:3,wd:log:0.0000001:0.000001:3\
               &compare=grid,random&repeats=10&smetric=loss";
    let out = hyperlab(&["search", url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "method,trial,loss_median,loss_q25,loss_q75,epochs_median");
    assert_eq!(lines.len(), 1 + 2 * 9);
    let at = |method: &str, trial: &str| -> Vec<f64> {
        let row = lines.iter().find(|l| l.starts_with(&format!("{method},{trial},"))).unwrap();
        row.split(',').skip(2).map(|v| v.parse().unwrap()).collect()
    };
    let (grid, random) = (at("grid", "9"), at("random", "9"));
    assert!(random[0] < grid[0] / 5.0, "random {random:?} vs grid {grid:?}");
    // Best so far never gets worse, and the quartiles bracket the median.
    for method in ["grid", "random"] {
        let medians: Vec<f64> = (1..=9).map(|t| at(method, &t.to_string())[0]).collect();
        assert!(medians.windows(2).all(|w| w[1] <= w[0]), "{method}: {medians:?}");
        let r = at(method, "5");
        assert!(r[1] <= r[0] && r[0] <= r[2], "{r:?}");
        // Every trial trains the 40 epochs (none diverges at these rates on the moons): 5 trials, 200 epochs.
        assert_eq!(r[3], 200.0, "{method}: epochs spent after 5 trials");
    }
}

/// `hyperlab search … | head -3` (issue 10, defect 13): a reader that goes
/// away ends the command quietly — no panic, no message — for every command
/// that prints progressively.
#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    for args in [
        vec!["search", "search=random&trials=200&ep=3"],
        vec!["search", "search=random&trials=20&ep=3&compare=grid,random&repeats=2&space=lr:log:0.01:1:3"],
        vec!["regimes", "ep=5"],
        vec!["run", "ep=5000"],
        vec!["schedule", "ep=100000"],
        vec!["lrfind"],
        vec!["trace", "rsteps=10000"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hyperlab"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("hyperlab runs");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        for _ in 0..3 {
            assert!(lines.next().is_some_and(|l| l.is_ok()), "{args:?} printed fewer than 3 lines");
        }
        drop(lines);
        let out = child.wait_with_output().unwrap();
        let err = stderr(&out);
        assert!(err.is_empty(), "{args:?} wrote to stderr: {err}");
        assert!(matches!(out.status.code(), Some(0 | 141)), "{args:?}: {:?}", out.status);
    }
}

#[test]
fn diagnostics_add_per_layer_columns_equal_to_the_engines() {
    let out = hyperlab(&["run", "v=1&ep=4&hidden=5", "--diagnostics"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let spec = hyperlab::experiment::from_query("v=1&ep=4&hidden=5").0;
    assert_eq!(
        lines[0],
        format!(
            "{},weight_norm_1,grad_norm_1,update_ratio_1,dead_1,weight_norm_2,grad_norm_2,update_ratio_2",
            EpochRecord::csv_header(spec.metrics())
        )
    );
    let mut trainer = spec.trainer().unwrap();
    trainer.enable_diagnostics();
    trainer.run_to_end();
    for (line, (r, d)) in lines[1..].iter().zip(trainer.records().iter().zip(trainer.diagnostics())) {
        let fields: Vec<&str> = line.split(',').collect();
        let n = EpochRecord::csv_header(spec.metrics()).split(',').count();
        assert_eq!(fields[..n].join(","), r.csv_row(spec.metrics()), "the records are unchanged");
        assert_eq!(fields[n].parse::<f64>().unwrap(), d[0].weight_norm);
        assert_eq!(fields[n + 2].parse::<f64>().unwrap(), d[0].update_ratio);
        assert_eq!(fields[n + 3].parse::<f64>().unwrap(), d[0].dead);
        assert_eq!(fields.len(), n + 7);
    }
    assert_eq!(lines.len(), 5);
}

#[test]
fn weights_prints_the_parameters_after_an_epoch() {
    let out = hyperlab(&["weights", "v=1&ep=3&hidden=4&seed=7", "--epoch", "2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(doc["epoch"], 2);
    assert_eq!(doc["sizes"], serde_json::json!([2, 4, 1]));
    let mut trainer = hyperlab::experiment::from_query("v=1&ep=3&hidden=4&seed=7").0.trainer().unwrap();
    trainer.run_epochs(2);
    let model = trainer.model();
    assert_eq!(doc["layers"][0]["weights"][3][1].as_f64().unwrap(), model.weight(0, 3, 1) as f64);
    assert_eq!(doc["layers"][1]["biases"][0].as_f64().unwrap(), *model.params.last().unwrap() as f64);
    assert_eq!(doc["n_params"], 17);
    // Epoch 0 is the initial network; past the run's epochs is refused, naming the argument.
    let initial: serde_json::Value =
        serde_json::from_str(stdout(&hyperlab(&["weights", "v=1&seed=7&hidden=4", "--epoch=0"])).trim()).unwrap();
    assert_eq!(initial["epoch"], 0);
    assert_ne!(initial["layers"][0], doc["layers"][0]);
    let bad = hyperlab(&["weights", "v=1&ep=3", "--epoch", "9"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("`--epoch`: 9 is past the run's 3 epochs"), "{}", stderr(&bad));
}
