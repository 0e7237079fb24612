//! The lab's JSON lines (`experiment::json`, written without `serde_json`
//! so the page's module does without it) are `serde_json`'s, byte for byte:
//! floats of every kind (random bit patterns, decimals, integers, the
//! edges of `ryu`'s layouts, NaN, ±∞, −0), strings with quotes, escapes,
//! control characters and non-ASCII text, and whole records, closing lines
//! and kept runs against the `serde_json` code they replaced.
#![cfg(not(target_arch = "wasm32"))]

use hyperlab::engine::rng::Rng;
use hyperlab::engine::train::{EpochRecord, Metric, RunState, Scores};
use hyperlab::experiment::export::{self, KeptRecords};
use hyperlab::experiment::json;

/// Floats that exercise every layout: random bits, random decimals at
/// every scale, integers, and the thresholds between layouts.
fn floats(rng: &mut Rng) -> Vec<f64> {
    let mut v = vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.1,
        0.3,
        1e-5,
        1e-4,
        1.5e-5,
        0.00012,
        1e15,
        1e16,
        1e17,
        1.2e16,
        9_007_199_254_740_993.0,
        123_456_789_012_345_680.0,
        5e-324,
        f64::MIN_POSITIVE,
        f64::MAX,
        f64::MIN,
        f64::EPSILON,
        1e21,
        1e22,
        1e100,
        1.5e300,
        2.5e-300,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.5,
        100.0,
        1234.5,
    ];
    for _ in 0..20_000 {
        v.push(f64::from_bits(rng.next_u64()));
    }
    for _ in 0..20_000 {
        let exp = rng.below(60) as i32 - 30;
        let digits = 1 + rng.below(17) as u32;
        let m = (rng.next_u64() % 10u64.pow(digits)) as f64;
        v.push(m * 10f64.powi(exp) * if rng.below(2) == 0 { 1.0 } else { -1.0 });
    }
    for _ in 0..5_000 {
        v.push(rng.uniform() as f32 as f64);
        v.push((rng.next_u64() >> rng.below(64)) as f64);
    }
    v
}

#[test]
fn every_float_is_written_as_serde_json_writes_it() {
    let mut rng = Rng::new(7, 0);
    let mut mismatches = Vec::new();
    let all = floats(&mut rng);
    for &v in &all {
        let (ours, theirs) = (json::number(v), serde_json::to_string(&v).unwrap());
        if ours != theirs {
            mismatches.push(format!("{v:e} ({:#x}): {ours} ≠ {theirs}", v.to_bits()));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {}: {:?}",
        mismatches.len(),
        all.len(),
        &mismatches[..mismatches.len().min(10)]
    );
}

#[test]
fn every_string_is_escaped_as_serde_json_escapes_it() {
    let mut rng = Rng::new(8, 0);
    let alphabet: Vec<char> = ('\0'..='\u{7f}').chain("éπ—€😀\u{2028}\u{fffd}".chars()).collect();
    for _ in 0..5_000 {
        let s: String = (0..rng.below(24)).map(|_| alphabet[rng.below(alphabet.len())]).collect();
        assert_eq!(json::string(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
    }
}

fn scores(rng: &mut Rng, floats: &[f64]) -> Scores {
    // The loss always, each other metric half the time.
    let mut pick = |always: bool| (always || rng.below(2) == 0).then(|| floats[rng.below(floats.len())]);
    Scores {
        loss: pick(true).unwrap(),
        accuracy: pick(false),
        balanced_accuracy: pick(false),
        precision: pick(false),
        recall: pick(false),
        f1: pick(false),
        roc_auc: pick(false),
        mse: pick(false),
        rmse: pick(false),
        mae: pick(false),
        r2: pick(false),
    }
}

// What the lab wrote with `serde_json` before (2026-12-02), kept here as the reference.
fn serde_scores(s: &Scores) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for m in Metric::ALL {
        if let Some(v) = s.get(m) {
            map.insert(m.key().to_string(), v.into());
        }
    }
    serde_json::Value::Object(map)
}

fn serde_record(r: &EpochRecord) -> serde_json::Value {
    serde_json::json!({ "epoch": r.epoch, "lr": r.lr, "train": serde_scores(&r.train), "val": serde_scores(&r.val) })
}

fn serde_closing(state: RunState, test: Option<&Scores>) -> serde_json::Value {
    let mut kind = serde_json::json!({ "kind": state.key() });
    match state {
        RunState::Stopped { best_epoch } => kind["best_epoch"] = best_epoch.into(),
        RunState::Diverged { epoch } => kind["epoch"] = epoch.into(),
        RunState::Training | RunState::Finished => {}
    }
    let mut end = serde_json::json!({ "state": kind });
    if let Some(t) = test {
        end["test"] = serde_scores(t);
    }
    end
}

#[test]
fn records_closings_and_kept_runs_are_the_lines_serde_json_wrote() {
    let mut rng = Rng::new(9, 0);
    let pool = floats(&mut rng);
    let records: Vec<EpochRecord> = (0..400)
        .map(|i| EpochRecord {
            epoch: if i % 50 == 0 { usize::MAX - i } else { i },
            lr: pool[rng.below(pool.len())],
            train: scores(&mut rng, &pool),
            val: scores(&mut rng, &pool),
        })
        .collect();
    for r in &records {
        assert_eq!(export::json_record(r), serde_record(r).to_string());
    }
    let states = [
        RunState::Training,
        RunState::Finished,
        RunState::Stopped { best_epoch: 17 },
        RunState::Diverged { epoch: usize::MAX },
    ];
    for state in states {
        let test = scores(&mut rng, &pool);
        assert_eq!(export::json_closing(state, Some(&test)), serde_closing(state, Some(&test)).to_string());
        assert_eq!(export::json_closing(state, None), serde_closing(state, None).to_string());
    }
    let metrics = [Metric::Loss, Metric::Accuracy];
    let kept: Vec<KeptRecords> = states
        .iter()
        .enumerate()
        .map(|(k, &state)| KeptRecords {
            label: ["run 1", "a \"quoted\", name", "tab\there", "π\n2"][k],
            query: format!("v=1&lr=0.{k}&data=spiral"),
            metrics: &metrics,
            records: records[k * 10..k * 10 + 10].iter().collect(),
            state,
        })
        .collect();
    let mut reference = String::new();
    for r in &kept {
        let tag = |mut v: serde_json::Value| {
            v["run"] = r.label.into();
            v["link"] = r.query.clone().into();
            format!("{v}\n")
        };
        for rec in &r.records {
            reference.push_str(&tag(serde_record(rec)));
        }
        reference.push_str(&tag(serde_closing(r.state, None)));
    }
    assert_eq!(export::kept_json(&kept), reference);
}

#[test]
fn an_object_keeps_one_member_per_key_in_sorted_order() {
    let o = json::Object::new()
        .int("b", 2)
        .number("a", 0.5)
        .text("b", "x")
        .raw("c", json::array(["1".into(), "null".into()]));
    assert_eq!(o.write(), r#"{"a":0.5,"b":"x","c":[1,null]}"#);
    assert_eq!(json::Object::new().write(), "{}");
}
