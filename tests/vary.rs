//! "What if only one thing differed?": variants of an experiment.

use hyperlab::experiment::vary::{VARIATIONS, vary};
use hyperlab::experiment::{from_query, to_query};

fn spec(q: &str) -> hyperlab::experiment::ExperimentSpec {
    let (spec, notices) = from_query(q);
    assert!(notices.is_empty(), "{notices:?}");
    spec
}

#[test]
fn a_variant_differs_in_the_one_field_only() {
    let base = spec("data=moons&lr=0.1&ep=40&sched=step&start=5&every=5&rate=0.5&seed=7");
    let v = vary(&base, "lr", "0.03").unwrap();
    assert_eq!(v.lr, 0.03);
    let mut back = v.clone();
    back.lr = base.lr;
    assert_eq!(back, base, "nothing but the learning rate changed");
}

#[test]
fn changing_the_schedule_drops_the_old_schedules_parameters() {
    let base = spec("data=moons&sched=step&start=5&every=5&rate=0.5&ep=60");
    let v = vary(&base, "sched", "cosine").unwrap();
    // … and a schedule with a horizon spans the run.
    assert_eq!(to_query(&v), to_query(&spec("data=moons&sched=cosine&tmax=60&ep=60")));
    let v = vary(&base, "sched", "onecycle").unwrap();
    assert_eq!(to_query(&v), to_query(&spec("data=moons&sched=onecycle&total=60&ep=60")));
    // And the optimizer likewise: SGD's momentum does not follow it to Adam.
    let base = spec("data=moons&opt=sgd&mom=0.9&wd=0.001");
    let v = vary(&base, "opt", "adam").unwrap();
    assert_eq!(to_query(&v), to_query(&spec("data=moons&opt=adam&wd=0.001")));
}

#[test]
fn a_bad_or_empty_variant_is_refused_with_the_fields_name() {
    let base = spec("data=moons");
    let err = vary(&base, "lr", "-1").unwrap_err();
    assert!(err.starts_with("learning rate") && err.contains("-1") && !err.contains("default"), "{err}");
    let err = vary(&base, "opt", "newton").unwrap_err();
    assert!(err.starts_with("optimizer:") && err.contains("not an optimizer"), "{err}");
    let err = vary(&base, "bs", "").unwrap_err();
    assert!(err.starts_with("batch size:"), "{err}");
    // A value is one value: it cannot smuggle in another key.
    let err = vary(&base, "lr", "0.1&ep=3").unwrap_err();
    assert!(err.starts_with("learning rate:") && err.contains("not a valid number"), "{err}");
    let err = vary(&base, "data", "xor").unwrap_err();
    assert!(err.contains("not a field"), "{err}");
    let err = vary(&base, "lr", &format!("{}", base.lr)).unwrap_err();
    assert!(err.contains("already"), "{err}");
}

#[test]
fn every_suggested_value_makes_a_valid_variant_or_says_why_not() {
    let base = spec("data=spiral&hidden=8-8");
    for v in &VARIATIONS {
        for s in v.suggestions {
            match vary(&base, v.key, s) {
                Ok(varied) => assert!(varied.validate().is_ok(), "{}={s}", v.key),
                // Only "no change" may refuse a suggestion (the base already has it).
                Err(e) => assert!(e.contains("already"), "{}={s}: {e}", v.key),
            }
        }
    }
}
