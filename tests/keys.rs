//! The key table (`experiment::keys`): one entry per URL key, and the only
//! place the engine's names meet the link's. These tests hold it to that:
//! every hyperparameter the engine has is reachable by a key, every key
//! reaches something, and every refusal names the key a person typed.

use hyperlab::engine::optim::OptimizerConfig;
use hyperlab::engine::schedule::ScheduleConfig;
use hyperlab::experiment::keys::{self, KEYS, Slot};
use hyperlab::experiment::{ExperimentSpec, from_query, to_query};

/// The numeric and boolean fields of a serialized configuration (its
/// hyperparameters, as the engine names them).
fn numeric_fields(value: serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (name, v) in map {
                match v {
                    serde_json::Value::Number(_) | serde_json::Value::Bool(_) => out.push(name),
                    other => numeric_fields(other, out),
                }
            }
        }
        serde_json::Value::Array(_) | serde_json::Value::String(_) | serde_json::Value::Null => {}
        serde_json::Value::Number(_) | serde_json::Value::Bool(_) => {}
    }
}

#[test]
fn names_and_fields_are_unique() {
    for (i, a) in KEYS.iter().enumerate() {
        for b in &KEYS[i + 1..] {
            assert_ne!(a.name, b.name, "two entries for `{}`", a.name);
            assert_ne!(a.field, b.field, "`{}` and `{}` name the same field", a.name, b.name);
            assert!(a.flag.is_none() || a.flag != b.flag, "two keys have the flag `{:?}`", a.flag);
        }
    }
}

/// A hyperparameter added to an optimizer or a schedule without a key fails
/// here; so does a key naming a field no choice has.
#[test]
fn every_engine_hyperparameter_has_a_key_and_every_key_reaches_one() {
    let mut seen = Vec::new();
    for name in OptimizerConfig::KEYS {
        let config = OptimizerConfig::from_key(name).unwrap();
        let mut fields = Vec::new();
        numeric_fields(serde_json::to_value(&config).unwrap(), &mut fields);
        for field in fields {
            let key = KEYS.iter().find(|k| k.field == field && matches!(k.slot, Slot::Optimizer(_)));
            let key = key.unwrap_or_else(|| panic!("{name}'s `{field}` has no key"));
            assert!(config.clone().field(&field).is_some(), "{name}: `{}` does not reach `{field}`", key.name);
            seen.push(key.name);
        }
    }
    for name in ScheduleConfig::KEYS {
        let config = ScheduleConfig::from_key(name).unwrap();
        let mut fields = Vec::new();
        numeric_fields(serde_json::to_value(&config).unwrap(), &mut fields);
        for field in fields {
            let key = KEYS.iter().find(|k| k.field == field && matches!(k.slot, Slot::Schedule(_)));
            let key = key.unwrap_or_else(|| panic!("the {name} schedule's `{field}` has no key"));
            assert!(config.clone().field(&field).is_some(), "{name}: `{}` does not reach `{field}`", key.name);
            seen.push(key.name);
        }
    }
    for key in KEYS.iter().filter(|k| !matches!(k.slot, Slot::Spec(_))) {
        assert!(seen.contains(&key.name), "`{}` reaches no optimizer's or schedule's field", key.name);
    }
}

/// A spec with `key` set out of range (a non-number, or a count past every
/// bound), on a choice of optimizer or schedule that has it.
fn out_of_range(key: &keys::Key) -> Option<ExperimentSpec> {
    let bad = |field: hyperlab::engine::field::Field<'_>| match field {
        hyperlab::engine::field::Field::Real(v) => *v = f64::NAN,
        hyperlab::engine::field::Field::Count(v) => *v = usize::MAX,
        hyperlab::engine::field::Field::Flag(_) => {}
    };
    let mut spec = ExperimentSpec::default();
    match key.slot {
        Slot::Optimizer(_) => {
            let mut config = OptimizerConfig::KEYS
                .iter()
                .filter_map(|k| OptimizerConfig::from_key(k))
                .find(|c| c.clone().field(key.field).is_some())?;
            bad(config.field(key.field)?);
            spec.optimizer = config;
        }
        Slot::Schedule(_) => {
            let mut config = ScheduleConfig::KEYS
                .iter()
                .filter_map(|k| ScheduleConfig::from_key(k))
                .find(|c| c.clone().field(key.field).is_some())?;
            bad(config.field(key.field)?);
            spec.schedule = config;
        }
        Slot::Spec(_) => return None,
    }
    Some(spec)
}

/// The engine reports its own field names (`min_lr`); the spec's validation
/// reports the link's (`lrmin`), and so does every notice of a link.
#[test]
fn refusals_name_the_url_key_never_the_engines_field() {
    let mut checked = 0;
    for key in KEYS.iter().filter(|k| {
        matches!(
            k.slot,
            Slot::Optimizer(keys::Kind::Real | keys::Kind::Count)
                | Slot::Schedule(keys::Kind::Real | keys::Kind::Count)
        )
    }) {
        let spec = out_of_range(key).unwrap_or_else(|| panic!("`{}` applies to no choice", key.name));
        let err = spec.validate().expect_err(key.name);
        assert_eq!(err.field, key.name, "{err}");
        checked += 1;
    }
    assert!(checked >= 30, "{checked}");
    for (query, named) in
        [("sched=cosine&lrmin=-1", "lrmin"), ("sched=cosine&tmax=0", "tmax"), ("sched=onecycle&fdiv=0", "fdiv")]
    {
        let (_, notices) = from_query(query);
        assert_eq!(notices.len(), 1, "{query}: {notices:?}");
        assert_eq!(notices[0].key, named, "{query}");
    }
}

/// Every key a link writes reads back to the same spec, alone on the
/// default experiment or on a choice it applies to.
#[test]
fn each_key_alone_round_trips() {
    for key in &KEYS {
        let mut spec = ExperimentSpec::default();
        match key.slot {
            Slot::Optimizer(_) => {
                spec.optimizer = OptimizerConfig::KEYS
                    .iter()
                    .filter_map(|k| OptimizerConfig::from_key(k))
                    .find(|c| c.clone().field(key.field).is_some())
                    .unwrap();
            }
            Slot::Schedule(_) => {
                spec.schedule = ScheduleConfig::KEYS
                    .iter()
                    .filter_map(|k| ScheduleConfig::from_key(k))
                    .find(|c| c.clone().field(key.field).is_some())
                    .unwrap();
            }
            Slot::Spec(_) => {}
        }
        assert!(key.applies(&spec), "{}", key.name);
        let query = to_query(&spec);
        let (back, notices) = from_query(&query);
        assert!(notices.is_empty(), "{query}: {notices:?}");
        assert_eq!(back, spec, "{query}");
    }
}

/// Changing the optimizer or the schedule drops what belonged to the old
/// choice and keeps the rest.
#[test]
fn what_belongs_to_a_choice() {
    let belongs =
        |choice: &str| -> Vec<&str> { KEYS.iter().filter(|k| k.belongs_to(choice)).map(|k| k.name).collect() };
    let opt = belongs("opt");
    assert!(opt.contains(&"mom") && opt.contains(&"b2") && opt.contains(&"eps"), "{opt:?}");
    assert!(!opt.contains(&"wd"), "every optimizer has weight decay: it stays");
    let sched = belongs("sched");
    assert!(sched.contains(&"lrmin") && sched.contains(&"ms") && sched.contains(&"anneal"), "{sched:?}");
    assert!(!sched.contains(&"wu") && !sched.contains(&"lr") && !sched.contains(&"sched"), "{sched:?}");
    assert!(belongs("lr").is_empty());
}

/// The space editor names what it offers from the table, with the choices
/// a hyperparameter applies to where that is not every one.
#[test]
fn the_space_editor_names_its_keys_from_the_table() {
    use hyperlab::experiment::search::{SHAPE_KEYS, TUNABLES};
    let label = |key: &str| TUNABLES.iter().find(|t| t.key == key).unwrap().label();
    assert_eq!(label("mom"), "momentum (SGD, RMSprop)");
    assert_eq!(label("b1"), "β₁ (Adam, AdamW)");
    assert_eq!(label("decay"), "decay (time, exp_course, exp)");
    assert_eq!(label("wd"), "weight decay (L2)", "every optimizer has it: no list");
    assert_eq!(label("lr"), "learning rate");
    for t in &TUNABLES {
        assert!(keys::get(t.key).is_some() || SHAPE_KEYS.contains(&t.key), "`{}` is not a key", t.key);
        assert_ne!(t.label(), t.key, "`{}` has no label", t.key);
    }
}

/// The page's controls change one key at a time through `keys::set`: the
/// result is what a link with that key would give, a refused value names the
/// key's label and leaves the experiment as it was, and empty text is the
/// default (for clipping and early stopping: off).
#[test]
fn setting_one_key_is_what_the_link_would_give() {
    let base = ExperimentSpec::default();
    for (name, text) in [
        ("bs", "16"),
        ("hidden", "12-4"),
        ("act", "relu"),
        ("wd", "1e-3"),
        ("drop", "0.2"),
        ("clip", "5"),
        ("es", "20"),
    ] {
        let set = keys::set(&base, name, text).unwrap_or_else(|e| panic!("{name}={text}: {e}"));
        let (linked, notices) = from_query(&format!("v=1&{name}={text}"));
        assert!(notices.is_empty(), "{name}: {notices:?}");
        assert_eq!(set, linked, "{name}={text}");
        assert_ne!(set, base, "{name}={text} changes the experiment");
        // Empty text puts it back.
        assert_eq!(keys::set(&set, name, "").expect("empty is the default"), base, "{name} emptied");
    }
    let refused = keys::set(&base, "drop", "2").expect_err("dropout 2 is out of range");
    assert!(refused.contains("dropout") && refused.contains("got 2"), "{refused}");
    let refused = keys::set(&base, "bs", "100000").expect_err("a batch larger than the training set");
    assert!(refused.starts_with("batch size: batch size must be 1..=320"), "{refused}");
    let refused = keys::set(&base, "huber", "0.5").expect_err("Huber's δ needs the Huber loss");
    assert!(refused.contains("applies only with loss=huber"), "{refused}");
    let refused = keys::set(&base, "nope", "1").expect_err("no such key");
    assert!(refused.contains("`nope` is not a setting"), "{refused}");
}
