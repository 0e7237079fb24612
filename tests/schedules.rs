//! Every schedule against the reference values.
//!
//! Golden data: `tests/reference/schedules.json` — PyTorch 2.15.0
//! `torch.optim.lr_scheduler` (float64), Keras 3.15.1 `InverseTimeDecay`
//! (float32, with a float64 evaluation of its formula), and the course's
//! three formulas with the indexing that reproduces its example numbers.
//! Index = 0-based epoch; value = the lr used during that epoch.
#![cfg(not(target_arch = "wasm32"))]

use hyperlab::engine::schedule::{Anneal, CyclicMode, ScheduleConfig, Scheduler, Warmup, preview};
use serde_json::Value;

/// Relative tolerance. Both sides are float64; PyTorch updates some
/// schedules recursively (measured differences up to ~1e-17 absolute).
const REL_TOL: f64 = 1e-12;

fn reference() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/schedules.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn case<'a>(data: &'a Value, name: &str) -> &'a Value {
    data["cases"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap_or_else(|| panic!("no case {name}"))
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

fn assert_close(name: &str, ours: &[f64], theirs: &[f64], rel: f64) {
    assert_eq!(ours.len(), theirs.len(), "{name}: length");
    for (e, (a, b)) in ours.iter().zip(theirs).enumerate() {
        let tol = rel * b.abs().max(1e-300) + 1e-300;
        assert!((a - b).abs() <= tol, "{name}, epoch {e}: ours {a} vs reference {b} (diff {:e})", (a - b).abs());
    }
}

#[test]
fn pytorch_schedulers() {
    let data = reference();
    let cyclic = |mode| ScheduleConfig::Cyclic { min_lr: 1e-4, up: 10, down: 10, mode };
    let one_cycle = |anneal| ScheduleConfig::OneCycle { total: 150, pct: 0.3, div: 25.0, final_div: 1e4, anneal };
    let cases: Vec<(&str, ScheduleConfig, Option<Warmup>)> = vec![
        ("torch_StepLR_20_0.5", ScheduleConfig::Step { start: 1, every: 20, rate: 0.5 }, None),
        ("torch_MultiStepLR_30_80_0.1", ScheduleConfig::MultiStep { milestones: vec![30, 80], gamma: 0.1 }, None),
        ("torch_ExponentialLR_gamma0.97", ScheduleConfig::Exponential { decay: -libm::log(0.97) }, None),
        ("torch_CosineAnnealingLR_T50_min1e-5", ScheduleConfig::Cosine { t_max: 50, min_lr: 1e-5 }, None),
        (
            "torch_CosineAnnealingWarmRestarts_T0_10_Tmult2",
            ScheduleConfig::WarmRestarts { t0: 10, t_mult: 2, min_lr: 0.0 },
            None,
        ),
        ("torch_CyclicLR_triangular", cyclic(CyclicMode::Triangular), None),
        ("torch_CyclicLR_triangular2", cyclic(CyclicMode::Triangular2), None),
        ("torch_CyclicLR_exp_range", cyclic(CyclicMode::ExpRange { gamma: 0.99 }), None),
        ("torch_OneCycleLR_cos", one_cycle(Anneal::Cos), None),
        ("torch_OneCycleLR_linear", one_cycle(Anneal::Linear), None),
        ("torch_LinearLR_warmup_0.1_10", ScheduleConfig::Constant, Some(Warmup { epochs: 10, start: 0.1 })),
        ("torch_PolynomialLR_100_p2", ScheduleConfig::Polynomial { total: 100, power: 2.0 }, None),
    ];
    for (name, config, warmup) in cases {
        config.validate().unwrap();
        let c = case(&data, name);
        let theirs = floats(&c["lr"]);
        assert_close(name, &preview(&config, warmup.as_ref(), 0.01, theirs.len()), &theirs, REL_TOL);
    }
}

/// ReduceLROnPlateau reacts to the validation losses recorded with it.
#[test]
fn pytorch_reduce_on_plateau() {
    let data = reference();
    let c = case(&data, "torch_ReduceLROnPlateau_f0.5_p5");
    let val_loss = floats(&c["val_loss"]);
    let theirs = floats(&c["lr"]);
    let config = ScheduleConfig::Plateau { factor: 0.5, patience: 5, threshold: 1e-4, cooldown: 0, min_lr: 0.0 };
    let mut s = Scheduler::new(config, None, 0.01);
    let ours: Vec<f64> = (0..theirs.len()).map(|e| s.lr(e, e.checked_sub(1).map(|p| val_loss[p]))).collect();
    assert_close("plateau", &ours, &theirs, REL_TOL);
    let dropped: Vec<u64> = (1..ours.len()).filter(|&e| ours[e] < ours[e - 1]).map(|e| e as u64).collect();
    let expected: Vec<u64> =
        c["epochs_where_lr_dropped"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    assert_eq!(dropped, expected);
}

/// Keras computes in float32: we match its formula in float64 exactly and
/// its float32 values to float32 precision.
#[test]
fn keras_inverse_time_decay() {
    let data = reference();
    for (name, rate, steps, staircase, lr0) in [
        ("keras_InverseTimeDecay_steps1_rate0.1_lr0.01", 0.1, 1, false, 0.01),
        ("keras_InverseTimeDecay_steps10_rate0.5_staircase_lr0.01", 0.5, 10, true, 0.01),
        ("keras_InverseTimeDecay_steps1_rate0.1_lr0.001", 0.1, 1, false, 0.001),
    ] {
        let c = case(&data, name);
        let config = ScheduleConfig::InverseTime { rate, steps, staircase };
        let ours = preview(&config, None, lr0, 150);
        assert_close(name, &ours, &floats(&c["lr_float64_formula"]), REL_TOL);
        assert_close(name, &ours, &floats(&c["lr"]), 2e-7);
    }
}

/// The course's formulas, with its own example numbers.
#[test]
fn course_formulas() {
    let data = reference();
    let time = case(&data, "course_time_based_decay");
    let ours = preview(&ScheduleConfig::TimeBased { decay: 0.1 }, None, 0.001, 21);
    assert_close("time-based", &ours, &floats(&time["lr"]), REL_TOL);
    for (e, quoted) in floats(&time["quoted"]["prefix"]).into_iter().enumerate() {
        // The course rounds to two or three significant figures (0.00091).
        assert!((ours[e] - quoted).abs() < 5e-3 * quoted, "epoch {e}: {} vs the course's {quoted}", ours[e]);
    }

    let step = case(&data, "course_step_decay");
    let ours = preview(&ScheduleConfig::Step { start: 0, every: 20, rate: 0.5 }, None, 0.001, 120);
    assert_close("step", &ours, &floats(&step["lr"]), REL_TOL);
    assert_eq!(ours[99], step["quoted"]["last"].as_f64().unwrap(), "a 100-epoch run ends on 3.125e-5");

    let exp = case(&data, "course_exponential_decay");
    let ours = preview(&ScheduleConfig::ExponentialCourse { decay: 0.03 }, None, 0.001, 50);
    assert_close("exponential (course)", &ours, &floats(&exp["lr"]), 1e-10);
    let usual = preview(&ScheduleConfig::Exponential { decay: 0.03 }, None, 0.001, 50);
    assert_close(
        "exponential (usual)",
        &usual,
        &floats(&exp["variants"]["standard_exponential_lr0_exp_minus_decay_e"]["lr"]),
        REL_TOL,
    );
    assert!(ours[49] < 1e-18 && usual[49] > 2e-4, "the course's form collapses, the usual one does not");
}

use hyperlab::experiment::keys::key_of_field;

#[test]
fn invalid_parameters_are_named() {
    let bad = [
        (ScheduleConfig::Step { start: 0, every: 0, rate: 0.5 }, "every"),
        (ScheduleConfig::Step { start: 0, every: 5, rate: 1.5 }, "rate"),
        (ScheduleConfig::MultiStep { milestones: vec![50, 20], gamma: 0.1 }, "ms"),
        (ScheduleConfig::OneCycle { total: 100, pct: 1.0, div: 25.0, final_div: 1e4, anneal: Anneal::Cos }, "pct"),
        (ScheduleConfig::Plateau { factor: 1.0, patience: 3, threshold: 0.0, cooldown: 0, min_lr: 0.0 }, "factor"),
        (ScheduleConfig::Cyclic { min_lr: -1.0, up: 5, down: 5, mode: CyclicMode::Triangular }, "lrmin"),
    ];
    // The engine names its own field; the key table maps it to the link's key.
    for (config, key) in bad {
        assert_eq!(key_of_field(config.validate().unwrap_err().0), key, "{config:?}");
    }
}

/// Links that froze the page or gave a NaN rate (issue 10, defects 2 and 3):
/// every rate finite and within [0, lr₀], computed in bounded time.
#[test]
fn extreme_schedule_parameters_give_finite_rates() {
    use hyperlab::experiment::from_query;
    for query in [
        // Warm restarts whose second cycle (2³²) wrapped to 0 on 32-bit wasm: an endless loop.
        "sched=restarts&t0=65536&tmult=65536&ep=100000",
        // A cycle of one epoch that never grows: 10⁵ cycles counted one by one per epoch.
        "sched=restarts&t0=1&tmult=1&ep=100000",
        "sched=restarts&t0=1000000&tmult=1000000&ep=100000",
        // One-cycle with its peak at step 0: 0/0.
        "sched=onecycle&total=10&pct=0.1",
        "sched=onecycle&pct=0.002",
        "sched=onecycle&total=1&ep=5",
        // Past its total the linear one-cycle went below zero.
        "sched=onecycle&total=10&anneal=linear&ep=500",
        "sched=cyclic&up=1000000&down=1000000&ep=100000",
        "sched=step&start=1000000&every=1&ep=1000",
    ] {
        let (spec, notices) = from_query(query);
        assert!(notices.is_empty(), "{query}: {notices:?}");
        let lrs = spec.planned_lrs();
        assert_eq!(lrs.len(), spec.n_epochs, "{query}");
        for (e, lr) in lrs.iter().enumerate() {
            assert!(lr.is_finite() && (0.0..=spec.lr).contains(lr), "{query}: epoch {e} has rate {lr}");
        }
    }
    // With its peak at step 0, one-cycle starts at the peak.
    let (spec, _) = from_query("sched=onecycle&total=10&pct=0.1&lr=0.5");
    assert_eq!(spec.planned_lrs()[0], 0.5);
    // Past its total, the final rate holds.
    let (spec, _) = from_query("sched=onecycle&total=10&anneal=linear&ep=20&lr=0.5");
    let lrs = spec.planned_lrs();
    assert!(lrs[10..].iter().all(|&lr| lr == lrs[9]), "{lrs:?}");
}

#[test]
fn schedule_counts_and_factors_are_bounded() {
    use hyperlab::engine::schedule::MAX_COUNT;
    let bad = [
        (ScheduleConfig::WarmRestarts { t0: MAX_COUNT + 1, t_mult: 2, min_lr: 0.0 }, "t0"),
        (ScheduleConfig::WarmRestarts { t0: 5, t_mult: MAX_COUNT + 1, min_lr: 0.0 }, "tmult"),
        (ScheduleConfig::Cosine { t_max: 0, min_lr: 0.0 }, "tmax"),
        (ScheduleConfig::OneCycle { total: 10, pct: 0.3, div: 25.0, final_div: 0.0, anneal: Anneal::Cos }, "fdiv"),
        (ScheduleConfig::Plateau { factor: 0.5, patience: 3, threshold: -1.0, cooldown: 0, min_lr: 0.0 }, "thr"),
        (ScheduleConfig::Step { start: usize::MAX, every: 5, rate: 0.5 }, "start"),
        (ScheduleConfig::MultiStep { milestones: (1..100).collect(), gamma: 0.5 }, "ms"),
    ];
    // The engine names its own field; the key table maps it to the link's key.
    for (config, key) in bad {
        assert_eq!(key_of_field(config.validate().unwrap_err().0), key, "{config:?}");
    }
}
