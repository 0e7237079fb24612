//! The Optuna study (`experiment::optuna`): each search method gives its
//! Optuna counterpart, every file compiles, the folds carry the lab's data
//! bit for bit, and what cannot be a study is refused by name. (Running it
//! with Optuna, on two processes sharing a SQLite file, is
//! `scripts/check-pytorch.sh`: optuna is not installed for the tests.)

use std::process::Command;

use hyperlab::experiment::optuna;
use hyperlab::experiment::search::{fold_splits, prepare};

fn study(query: &str) -> String {
    optuna::study("https://example.org/lab/", query, None).unwrap_or_else(|e| panic!("{query}: {e}"))
}

#[test]
fn each_method_gets_its_optuna_sampler_and_pruner() {
    let space = "space=lr:log:0.001:1:4,bs:logint:4:64:3,opt:choice:sgd|adam";
    for (method, parts) in [
        ("grid", &["optuna.samplers.GridSampler(", "\"opt\": [\"sgd\", \"adam\"]", "NopPruner()"][..]),
        ("random", &["optuna.samplers.RandomSampler(seed=seed)"]),
        ("bayes", &["optuna.samplers.GPSampler(seed=seed, n_startup_trials=6)"]),
        // Over all parameters at once, as the lab's TPE (Optuna 5's default, said for older versions).
        ("tpe", &["optuna.samplers.TPESampler(seed=seed, n_startup_trials=8, n_ei_candidates=24, multivariate=True)"]),
        ("genetic", &["optuna.samplers.NSGAIISampler(population_size="]),
        ("halving", &["optuna.pruners.SuccessiveHalvingPruner(min_resource="]),
        ("hyperband", &["optuna.pruners.HyperbandPruner(min_resource="]),
    ] {
        let text = study(&format!("data=moons&ep=20&search={method}&trials=12&{space}"));
        for part in parts {
            assert!(text.contains(part), "{method}: `{part}` is not in the study");
        }
        assert!(text.contains(r#""lr": trial.suggest_float("lr", 0.001, 1.0, log=True),"#), "{method}");
        assert!(text.contains(r#""bs": trial.suggest_int("bs", 4, 64, log=True),"#), "{method}");
        assert!(text.contains(r#""opt": trial.suggest_categorical("opt", ["sgd", "adam"]),"#), "{method}");
        assert!(!text.contains("{{"), "{method}: every slot is filled");
    }
    // The grid's budget is the grid's size when the link asks for more.
    assert!(study(&format!("data=moons&search=grid&trials=500&{space}")).contains("N_TRIALS = 24\n"));
    // What the score is: the metric and its direction.
    let loss = study("data=moons&search=random&trials=5&smetric=loss&space=lr:log:0.001:1");
    assert!(loss.contains("METRIC = \"loss\"") && loss.contains("DIRECTION = \"minimize\""));
    let r2 = study("data=sine&search=random&trials=5&space=lr:log:0.001:1");
    assert!(r2.contains("METRIC = \"r2\"") && r2.contains("DIRECTION = \"maximize\""));
}

#[test]
fn every_study_compiles() {
    let queries = [
        "data=moons&ep=20&search=random&trials=5&space=lr:log:0.001:1",
        "data=moons&ep=20&search=tpe&trials=5&space=layers:int:1:3,units:logint:2:32,act:choice:relu|tanh",
        "data=iris&ep=20&search=bayes&trials=5&folds=3&space=lr:log:0.001:1,wd:log:0.00001:0.01",
        "data=sine&ep=20&search=genetic&trials=8&space=sched:choice:constant|time|step|exp|cosine,decay:log:0.0001:0.1",
        "data=moons&ep=27&search=hyperband&trials=9&space=lr:log:0.001:1,mom:real:0:0.99&opt=sgd&mom=0.5",
        "data=moons&ep=20&search=grid&trials=9&space=hidden:choice:4|8-8|16-16,drop:real:0:0.5:3",
        "data=digits&ep=5&search=halving&trials=6&space=b1:real:0.8:0.99,b2:real:0.9:0.9999&opt=adam&sched=cosine&tmax=5",
    ];
    let dir = std::env::temp_dir().join(format!("hyperlab-optuna-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    for (i, query) in queries.iter().enumerate() {
        let text = study(query);
        assert!(!text.contains("{{"), "{query}: every slot is filled");
        let file = dir.join(format!("study{i}.py"));
        std::fs::write(&file, &text).expect("written");
        let out = Command::new("python3").args(["-m", "py_compile"]).arg(&file).output().expect("python3 runs");
        assert!(out.status.success(), "{query}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_folds_carry_the_data_each_trial_of_the_lab_trains_on() {
    for query in [
        "data=moons&ep=10&search=random&trials=4&space=lr:log:0.01:1",
        "data=iris&ep=10&search=random&trials=4&folds=3&space=lr:log:0.01:1",
    ] {
        let text = study(query);
        let region = &text[text.find("\nFOLDS = [").expect("folds")..];
        let region = &region[..region.find("\n]\n").expect("closed")];
        let joined: String = region.chars().filter(|c| !c.is_whitespace() && *c != '"').collect();
        let (base, search) = prepare(query).expect("valid");
        let splits = fold_splits(&base, search.folds, None).expect("splits");
        assert_eq!(splits.len(), search.folds.max(1), "{query}");
        assert_eq!(region.matches("\n    (").count(), splits.len(), "{query}: one entry a fold");
        for split in splits {
            let trainer = base.trainer_on(split).expect("valid");
            let d = trainer.data();
            for values in [&d.train.x, &d.train.y, &d.val.x, &d.val.y] {
                let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
                let b64 = hyperlab::base64::base64(&bytes);
                assert!(joined.contains(&b64), "{query}: a fold's data are not in the study");
            }
        }
    }
}

#[test]
fn what_cannot_be_a_study_is_refused_by_name() {
    let refused = |query: &str, field: &str, words: &str| {
        let e = optuna::study("", query, None).expect_err(query);
        assert_eq!(e.field, field, "{query}: {e}");
        assert!(e.message.contains(words), "{query}: {e}");
    };
    refused("data=moons&search=random&space=noise:real:0:0.5", "space", "`noise` changes the data");
    refused("data=moons&search=random&space=feat:choice:raw|x1-x2-x1sq", "space", "`feat`");
    refused("data=moons&search=random&space=lr:log:0.01:1&compare=random,bayes", "compare", "not one study");
    refused("data=moons&space=lr:log:0.01:1", "space", "search=");

    let bin = env!("CARGO_BIN_EXE_hyperlab");
    let query = "data=moons&ep=10&search=tpe&trials=6&space=lr:log:0.001:1";
    let out = Command::new(bin).args(["export", "optuna", &format!("https://example.org/lab/?{query}")]).output();
    let out = out.expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).expect("text"), study(query), "the page's file for the link");
    let out = Command::new(bin).args(["export", "optuna", "data=moons&search=random&space=noise:real:0:0.5"]).output();
    let out = out.expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`--space`"), "{}", String::from_utf8_lossy(&out.stderr));
}
