//! The search methods on known objectives: reproducible, inside the space,
//! and better than chance where they should be.

use hyperlab::engine::rng::Rng;
use hyperlab::engine::search::{
    Ask, Bayes, Domain, Genetic, Method, Param, Space, Study, Tpe, Trial, TrialState, Value,
};

fn real(key: &str, lo: f64, hi: f64) -> Param {
    Param { key: key.into(), domain: Domain::Uniform { lo, hi }, levels: 5 }
}

fn mixed_space() -> Space {
    Space {
        params: vec![
            Param { key: "lr".into(), domain: Domain::LogUniform { lo: 1e-4, hi: 1.0 }, levels: 5 },
            Param { key: "bs".into(), domain: Domain::Int { lo: 1, hi: 128, log: true }, levels: 4 },
            Param { key: "ep".into(), domain: Domain::Int { lo: 10, hi: 20, log: false }, levels: 3 },
            Param {
                key: "opt".into(),
                domain: Domain::Choice(vec!["sgd".into(), "adam".into(), "rmsprop".into()]),
                levels: 3,
            },
            real("drop", 0.0, 0.5),
        ],
    }
}

fn methods() -> Vec<Method> {
    vec![
        Method::Grid,
        Method::Random,
        Method::Genetic(Genetic::default()),
        Method::Bayes(Bayes { candidates: 200, ..Bayes::default() }),
        Method::Tpe(Tpe::default()),
    ]
}

/// A smooth objective on the mixed space (to maximize).
fn mixed_objective(space: &Space, config: &[Value]) -> f64 {
    let u = space.encode(config);
    -(u[0] - 0.7).powi(2) - 0.5 * (u[1] - 0.3).powi(2) + if config[3] == Value::Choice(1) { 0.2 } else { 0.0 }
}

/// Runs a study to its end, `parallel` trials in flight at a time, the oldest finishing first, scoring with `f`.
fn run(study: Study, parallel: usize, f: impl Fn(&[Value]) -> f64) -> Study {
    drive(study, parallel, |_| 0, |c, _| f(c))
}

/// Runs a study to its end, `parallel` trials in flight at a time; `pick(n)`
/// says which of the `n` in flight finishes next; `f` scores a configuration
/// trained for its budget (successive halving's epochs, if any).
fn drive(
    mut study: Study,
    parallel: usize,
    mut pick: impl FnMut(usize) -> usize,
    f: impl Fn(&[Value], Option<usize>) -> f64,
) -> Study {
    let mut running: Vec<(usize, Vec<Value>)> = Vec::new();
    loop {
        while running.len() < parallel {
            match study.ask() {
                Ask::Trial { id, config } => running.push((id, config)),
                Ask::Wait | Ask::Done => break,
            }
        }
        if running.is_empty() {
            break;
        }
        let (id, config) = running.remove(pick(running.len()));
        let budget = study.trials()[id].budget;
        study.tell(id, Some(f(&config, budget)));
    }
    assert!(study.is_done());
    study
}

#[test]
fn the_same_trials_whatever_order_and_number_of_workers_results_arrive_from() {
    use hyperlab::engine::rng::Rng;
    use hyperlab::engine::search::study::Halving;
    let mut all = methods();
    for hyperband in [false, true] {
        let inner = Box::new(Method::Bayes(Bayes { candidates: 100, ..Bayes::default() }));
        all.push(Method::Halving(Halving { inner, min_epochs: 1, max_epochs: 9, eta: 3, hyperband }));
    }
    for method in all {
        let space = mixed_space();
        // `workers` trials in flight at most; each step a seeded-random one of them finishes.
        let go = |workers: usize, order: u64| {
            let study = Study::new(space.clone(), method.clone(), 24, 5).unwrap();
            let mut rng = Rng::new(order, 0);
            let study = drive(study, workers, |n| rng.below(n), |c, _| mixed_objective(&space, c));
            study.trials().iter().map(|t| (t.config.clone(), t.rung, t.score)).collect::<Vec<_>>()
        };
        let one = go(1, 0);
        assert_eq!(one.len(), 24);
        for (workers, order) in [(2, 1), (3, 2), (4, 3), (8, 4), (16, 5)] {
            assert_eq!(go(workers, order), one, "{} with {workers} workers", method.key());
        }
    }
}

/// TPE's model along a parameter: the density of the best trials peaks
/// near the objective's peak, above the density of the rest there.
#[test]
fn tpe_densities_show_where_the_best_trials_lie() {
    let space = Space { params: vec![real("x", -1.0, 1.0), real("y", -1.0, 1.0)] };
    let mut study = Study::new(space, Method::Tpe(Tpe::default()), 40, 2).unwrap();
    assert!(study.tpe_densities(0, 10).is_none(), "no model before any trial");
    while let Ask::Trial { id, config } = study.ask() {
        study.tell(id, Some(bump(&config)));
    }
    let d = study.tpe_densities(0, 81).unwrap();
    assert_eq!(d.len(), 81);
    assert!((d[0].0 + 1.0).abs() < 1e-12 && (d[80].0 - 1.0).abs() < 1e-12);
    let peak = d.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    assert!((peak.0 - 0.62).abs() < 0.2, "the good density peaks at {}", peak.0);
    assert!(peak.1 > peak.2, "good {} vs rest {} there", peak.1, peak.2);
    let other = Study::new(mixed_space(), Method::Random, 5, 1).unwrap();
    assert!(other.tpe_densities(0, 10).is_none(), "only TPE has them");
}

/// TPE models the parameters together: when the best trials lie on the
/// diagonal and the rest off it, each parameter alone looks the same among
/// the best and the rest (every value as often), yet the next ask lies on
/// the diagonal — as a good learning rate goes with the batch size. Chosen
/// one parameter at a time, the asks fall anywhere (|x − y| 0.27 on
/// average, up to 0.99, over these seeds).
#[test]
fn tpe_asks_where_the_parameters_go_well_together() {
    let space = Space { params: vec![real("x", 0.0, 1.0), real("y", 0.0, 1.0)] };
    let at = [0.1, 0.25, 0.4, 0.6, 0.75, 0.9];
    let mut seen = Vec::new();
    for (i, &x) in at.iter().enumerate() {
        for (j, &y) in at.iter().enumerate() {
            let score = if i == j { 1.0 } else { -((i as f64 - j as f64).abs()) };
            seen.push(Trial {
                id: 0,
                config: vec![Value::Real(x), Value::Real(y)],
                state: TrialState::Done,
                score: Some(score),
                generation: 0,
                rung: 0,
                budget: None,
                bracket: 0,
            });
        }
    }
    // The best sixth: the six trials on the diagonal.
    let tpe = Tpe { gamma: 0.16, ..Tpe::default() };
    let off: Vec<f64> = (1..=20)
        .map(|seed| {
            let mut study = Study::new(space.clone(), Method::Tpe(tpe.clone()), seen.len() + 1, seed).unwrap();
            study.seed_trials(&seen);
            let Ask::Trial { config, .. } = study.ask() else { panic!("a trial") };
            let (Value::Real(x), Value::Real(y)) = (config[0], config[1]) else { panic!() };
            (x - y).abs()
        })
        .collect();
    // A good trial's kernel is as wide as the gap to its neighbour (0.15).
    let mean = off.iter().sum::<f64>() / off.len() as f64;
    let worst = off.iter().copied().fold(0.0, f64::max);
    assert!(mean < 0.15 && worst < 0.35, "asks off the diagonal by {off:.2?}");
}

/// The page draws Bayesian optimization's surrogate after every ask; the
/// command line does not. Looking must not change what is asked next.
#[test]
fn drawing_the_surrogate_does_not_change_the_search() {
    let space = mixed_space();
    let go = |look: bool| {
        let mut study =
            Study::new(space.clone(), Method::Bayes(Bayes { candidates: 100, ..Bayes::default() }), 20, 3).unwrap();
        while let Ask::Trial { id, config } = study.ask() {
            if look {
                let learned = (id + 1).saturating_sub(hyperlab::engine::search::study::LAG);
                assert!(learned < 2 || study.surrogate_slice(0, 48).is_some(), "trial {id}");
                let _ = study.surrogate_map(0, 1, 20);
            }
            study.tell(id, Some(mixed_objective(&space, &config)));
        }
        study.trials().to_vec()
    };
    assert_eq!(go(true), go(false));
}

#[test]
fn the_same_seed_gives_the_same_trials_for_every_method() {
    for method in methods() {
        let space = mixed_space();
        let go = |seed| {
            let study = Study::new(space.clone(), method.clone(), 30, seed).unwrap();
            run(study, 3, |c| mixed_objective(&space, c)).trials().to_vec()
        };
        let (a, b, c) = (go(7), go(7), go(8));
        assert_eq!(a, b, "{}", method.key());
        assert_ne!(a, c, "{}: another seed, other trials", method.key());
        assert_eq!(a.len(), 30, "{}", method.key());
    }
}

#[test]
fn every_method_stays_in_the_space_with_integers_and_logs_respected() {
    for method in methods() {
        let space = mixed_space();
        let study = run(Study::new(space.clone(), method.clone(), 60, 3).unwrap(), 4, |c| mixed_objective(&space, c));
        for t in study.trials() {
            assert!(space.contains(&t.config), "{}: {:?}", method.key(), t.config);
            assert!(matches!(t.config[1], Value::Int(_)) && matches!(t.config[2], Value::Int(_)));
        }
    }
    // Log-uniform sampling: half the draws below the geometric middle, not the arithmetic one.
    let space =
        Space { params: vec![Param { key: "lr".into(), domain: Domain::LogUniform { lo: 1e-4, hi: 1.0 }, levels: 3 }] };
    let mut rng = Rng::new(1, 6);
    let draws: Vec<f64> = (0..4000)
        .map(|_| match space.sample(&mut rng)[0] {
            Value::Real(x) => x,
            v => panic!("{v:?}"),
        })
        .collect();
    let below = draws.iter().filter(|&&x| x < 1e-2).count() as f64 / draws.len() as f64;
    assert!((below - 0.5).abs() < 0.04, "{below}");
    assert!(draws.iter().all(|x| (1e-4..=1.0).contains(x)));
    assert_eq!(space.axis(0), vec![Value::Real(1e-4), Value::Real(1e-2), Value::Real(1.0)]);
    // Values print and parse back.
    let space = mixed_space();
    let mut rng = Rng::new(3, 6);
    for _ in 0..200 {
        let config = space.sample(&mut rng);
        for (i, v) in config.iter().enumerate() {
            let back = space.parse_value(i, &space.format(i, *v)).unwrap();
            let close = match (back, *v) {
                (Value::Real(a), Value::Real(b)) => (a - b).abs() <= 1e-5 * b.abs(),
                (a, b) => a == b,
            };
            assert!(close, "{v:?} -> {back:?}");
        }
    }
    assert_eq!(space.parse_value(3, "adam"), Some(Value::Choice(1)));
    // The unit-cube encoding is the inverse of decoding, on log scales too:
    // 0.01 is half-way from 1e-4 to 1; an integer owns the half-units around it.
    let u = space.encode(&[Value::Real(0.01), Value::Int(8), Value::Int(15), Value::Choice(2), Value::Real(0.25)]);
    assert!((u[0] - 0.5).abs() < 1e-12, "{u:?}");
    assert!((u[1] - 16f64.ln() / 257f64.ln()).abs() < 1e-12, "{u:?}");
    assert!((u[2] - 0.5).abs() < 1e-12, "{u:?}");
    assert_eq!(&u[3..7], &[0.0, 0.0, 1.0, 0.5]);
    for _ in 0..200 {
        let config = space.sample(&mut rng);
        let back = space.decode(&space.encode(&config));
        for (a, b) in config.iter().zip(&back) {
            let close = match (a, b) {
                (Value::Real(x), Value::Real(y)) => (x - y).abs() <= 1e-9 * x.abs().max(1e-9),
                (a, b) => a == b,
            };
            assert!(close, "{config:?} -> {back:?}");
        }
    }
    assert_eq!(space.parse_value(3, "lbfgs"), None);
}

#[test]
fn grid_search_visits_every_point_once_in_a_shuffled_order() {
    let space = mixed_space();
    let size = space.grid_size();
    assert_eq!(size, 5 * 4 * 3 * 3 * 5);
    let study = run(Study::new(space.clone(), Method::Grid, usize::MAX, 5).unwrap(), 2, |_| 0.0);
    let mut seen: Vec<Vec<Value>> = study.trials().iter().map(|t| t.config.clone()).collect();
    assert_eq!(seen.len() as u64, size, "a grid ends when it is exhausted");
    let in_order: Vec<Vec<Value>> = (0..size).map(|i| space.grid_point(i)).collect();
    assert_ne!(seen, in_order, "shuffled");
    // A grid stopped after a tenth has still seen every learning-rate level (a fair sample).
    let levels: std::collections::BTreeSet<String> =
        seen[..(size / 10) as usize].iter().map(|c| format!("{:?}", c[0])).collect();
    assert_eq!(levels.len(), 5);
    seen.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    seen.dedup();
    assert_eq!(seen.len() as u64, size, "no point twice");
}

#[test]
fn the_genetic_algorithm_breeds_whole_generations_and_keeps_its_elite() {
    let space = Space { params: vec![real("x", -3.0, 3.0), real("y", -3.0, 3.0)] };
    let g = Genetic { population: 8, elite: 2, ..Genetic::default() };
    let mut study = Study::new(space.clone(), Method::Genetic(g), 8 + 6 * 3, 1).unwrap();
    // The first generation: eight asks, then it waits for their scores.
    let first: Vec<usize> = (0..8)
        .map(|_| match study.ask() {
            Ask::Trial { id, .. } => id,
            a => panic!("{a:?}"),
        })
        .collect();
    assert_eq!(study.ask(), Ask::Wait);
    for id in first {
        study.tell(id, Some(-(id as f64)));
    }
    // The next generation: population minus the elite = six new children.
    let second = (0..6).filter(|_| matches!(study.ask(), Ask::Trial { .. })).count();
    assert_eq!(second, 6);
    assert_eq!(study.ask(), Ask::Wait);
    assert!(study.trials()[8..].iter().all(|t| t.generation == 1));
}

#[test]
fn failed_trials_rank_below_every_score() {
    let space = mixed_space();
    let mut study = Study::new(space, Method::Random, 3, 1).unwrap();
    for score in [Some(-5.0), None, Some(f64::NAN)] {
        if let Ask::Trial { id, .. } = study.ask() {
            study.tell(id, score);
        }
    }
    assert_eq!(study.best().unwrap().id, 0);
    assert_eq!(study.trials()[1].state, TrialState::Failed);
    assert_eq!(study.trials()[2].state, TrialState::Failed, "a NaN score is a failure");
    assert_eq!(study.ask(), Ask::Done);
}

/// A smooth 2-D bump with its maximum 1 at (0.62, -0.35) in [-1, 1]².
fn bump(c: &[Value]) -> f64 {
    let (Value::Real(x), Value::Real(y)) = (c[0], c[1]) else { panic!() };
    (-((x - 0.62).powi(2) + (y + 0.35).powi(2)) / 0.08).exp()
}

fn mean_best(method: &Method, budget: usize, seeds: u64) -> f64 {
    let space = Space { params: vec![real("x", -1.0, 1.0), real("y", -1.0, 1.0)] };
    let total: f64 = (0..seeds)
        .map(|seed| {
            let study = run(Study::new(space.clone(), method.clone(), budget, seed).unwrap(), 1, bump);
            study.best().unwrap().score.unwrap()
        })
        .sum();
    total / seeds as f64
}

#[test]
fn bayesian_genetic_and_tpe_search_beat_random_search_on_a_smooth_objective() {
    let (budget, seeds) = (40, 12);
    let random = mean_best(&Method::Random, budget, seeds);
    let bayes = mean_best(&Method::Bayes(Bayes::default()), budget, seeds);
    // Six generations of six (one elite): a small population for a small budget.
    let g = Genetic { population: 6, mutation: 0.5, elite: 1, tournament: 2, ..Genetic::default() };
    let genetic = mean_best(&Method::Genetic(g), budget, seeds);
    let tpe = mean_best(&Method::Tpe(Tpe::default()), budget, seeds);
    assert!(
        bayes > random && genetic > random && tpe > random,
        "best after {budget}: random {random:.3}, bayes {bayes:.3}, genetic {genetic:.3}, tpe {tpe:.3}"
    );
    assert!(bayes > 0.97, "Bayesian optimization finds the peak: {bayes:.4}");
}

/// An equal-budget comparison run as one job — many trials in flight, told
/// in any order — gives each method the same curves as running its studies
/// one after the other, and counts the epochs each trial trained.
#[test]
fn an_equal_budget_job_in_any_order_gives_the_sequential_curves() {
    use hyperlab::engine::search::comparison::{EqualBudget, repeat};
    use hyperlab::engine::search::study::Halving;
    let space = mixed_space();
    let mut methods = methods();
    methods.push(Method::Halving(Halving {
        inner: Box::new(Method::Random),
        min_epochs: 2,
        max_epochs: 18,
        eta: 3,
        hyperband: false,
    }));
    let objective = |c: &[Value]| mixed_objective(&space, c);
    let mut job = EqualBudget::new(&space, &methods, 12, 4..7).unwrap();
    assert_eq!(job.progress(), (0, 12 * 3 * methods.len()));
    let mut in_flight = Vec::new();
    let mut rounds = 0;
    while !job.is_done() {
        // Up to five at once, the newest told first.
        while in_flight.len() < 5 {
            match job.ask() {
                Some(t) => in_flight.push(t),
                None => break,
            }
        }
        let t = in_flight.pop().expect("a job that is not done has a trial in flight");
        job.tell(t.id, Some(objective(&t.config)), t.budget.unwrap_or(10));
        rounds += 1;
    }
    assert!(rounds > 0 && job.ask().is_none());
    for (m, method) in methods.iter().enumerate() {
        let sequential = repeat(&space, method, 12, 4..7, |c| Some(objective(c))).unwrap();
        let (best, spent) = job.curves(m);
        assert_eq!(best, sequential, "{}", method.key());
        for curve in &spent {
            assert_eq!(curve.len(), 12);
            assert!(curve.windows(2).all(|w| w[1] > w[0]), "epochs spent only grow");
        }
        let last = spent[0][11];
        if matches!(method, Method::Halving(_)) {
            assert!(last < 12.0 * 18.0, "halving spends less than full trainings: {last}");
        } else {
            assert_eq!(last, 120.0);
        }
    }
}

/// Hyperband: one bracket per rung, each starting its configurations on its
/// own rung and promoting only among them; new configurations split in
/// Hyperband's proportions (9 : 5 : 3 for three rungs and η = 3); the last
/// bracket trains every configuration fully.
#[test]
fn hyperband_runs_brackets_from_aggressive_to_no_early_stopping() {
    use hyperlab::engine::search::study::Halving;
    let space = Space { params: vec![real("x", -1.0, 1.0), real("y", -1.0, 1.0)] };
    let h = Halving { inner: Box::new(Method::Random), min_epochs: 3, max_epochs: 27, eta: 3, hyperband: true };
    assert_eq!(h.bracket_weights(), vec![9.0, 5.0, 3.0]);
    let objective = |c: &[Value], epochs: usize| {
        let (Value::Real(x), Value::Real(y)) = (c[0], c[1]) else { panic!() };
        (-((x - 0.62).powi(2) + (y + 0.35).powi(2)) / 0.5).exp() - 0.5 / epochs as f64
    };
    // Two trials in flight at a time, as a pool would run them.
    let run_with_budget = |study| drive(study, 2, |_| 0, |c, b| objective(c, b.unwrap()));
    let study = run_with_budget(Study::new(space.clone(), Method::Halving(h.clone()), 90, 2).unwrap());
    let trials = study.trials();
    let started: Vec<usize> = (0..3).map(|b| trials.iter().filter(|t| t.bracket == b && t.rung == b).count()).collect();
    let total: usize = started.iter().sum();
    for (b, &n) in started.iter().enumerate() {
        let share = [9.0, 5.0, 3.0][b] / 17.0;
        assert!((n as f64 / total as f64 - share).abs() < 0.08, "bracket {b}: {started:?}");
    }
    for t in trials {
        assert!(t.rung >= t.bracket, "a bracket starts on its own rung: {t:?}");
        assert_eq!(t.budget, Some(h.rungs()[t.rung]));
        if t.rung > t.bracket {
            assert!(
                trials.iter().any(|u| u.bracket == t.bracket && u.rung == t.rung - 1 && u.config == t.config),
                "trial {} was promoted from its own bracket's rung below",
                t.id
            );
        }
    }
    assert!(trials.iter().any(|t| t.bracket == 2), "the last bracket trains fully from the start");
    assert_eq!(study.best().unwrap().rung, 2);
    let again = run_with_budget(Study::new(space, Method::Halving(h), 90, 2).unwrap());
    assert_eq!(again.trials(), trials, "same seed, same trials");
}

/// Bergstra & Bengio (2012): with a budget of nine trials in a 2-D space
/// where only the first hyperparameter matters, a 3 × 3 grid tries only
/// three values of it; random search tries nine, and so finds a better one.
#[test]
fn random_search_beats_grid_search_when_few_hyperparameters_matter() {
    use hyperlab::engine::search::comparison::{repeat, summarize};
    let space = Space {
        params: vec![
            Param { key: "lr".into(), domain: Domain::LogUniform { lo: 1e-4, hi: 1.0 }, levels: 3 },
            Param { key: "wd".into(), domain: Domain::Uniform { lo: 0.0, hi: 1.0 }, levels: 3 },
        ],
    };
    // Only the learning rate matters; its best value is off the grid's three (1e-4, 1e-2, 1).
    let objective = |c: &hyperlab::engine::search::Config| match c[0] {
        Value::Real(lr) => Some(-(lr.log10() + 1.3).powi(2)),
        _ => None,
    };
    let grid = summarize(&repeat(&space, &Method::Grid, 9, 0..20, objective).unwrap());
    let random = summarize(&repeat(&space, &Method::Random, 9, 0..20, objective).unwrap());
    assert_eq!(space.grid_size(), 9);
    let (g, r) = (grid.median[8], random.median[8]);
    assert!((g - (-0.49)).abs() < 1e-9, "the grid's best is always lr = 0.01: {g}");
    assert!(r > g, "random {r} beats grid {g} after nine trials (median over 20 seeds)");
    assert!(random.q25[8] <= r && r <= random.q75[8]);
}

/// Successive halving: cheap first rungs, the best third promoted to three
/// times the epochs, the best of all found on the top rung — for less
/// training than giving every configuration the full budget.
#[test]
fn successive_halving_promotes_the_best_third_and_saves_epochs() {
    use hyperlab::engine::search::study::Halving;
    let space = Space { params: vec![real("x", -1.0, 1.0), real("y", -1.0, 1.0)] };
    let h = Halving { inner: Box::new(Method::Random), min_epochs: 3, max_epochs: 27, eta: 3, hyperband: false };
    assert_eq!(h.rungs(), vec![3, 9, 27]);
    // A multi-fidelity objective: a wide bump (peak 1 at (0.62, -0.35)), minus a penalty that shrinks with training.
    let objective = |c: &[Value], epochs: usize| {
        let (Value::Real(x), Value::Real(y)) = (c[0], c[1]) else { panic!() };
        (-((x - 0.62).powi(2) + (y + 0.35).powi(2)) / 0.5).exp() - 0.5 / epochs as f64
    };
    let mut study = Study::new(space.clone(), Method::Halving(h.clone()), 60, 4).unwrap();
    while let Ask::Trial { id, config } = study.ask() {
        let epochs = study.trials()[id].budget.unwrap();
        study.tell(id, Some(objective(&config, epochs)));
    }
    let trials = study.trials();
    for rung in 1..3 {
        for t in trials.iter().filter(|t| t.rung == rung) {
            // Promoted from the rung below, where it ranked in the top third when it was promoted.
            assert!(
                trials.iter().any(|u| u.rung == rung - 1 && u.config == t.config),
                "trial {} came from nowhere",
                t.id
            );
            assert_eq!(t.budget, Some(h.rungs()[rung]));
        }
    }
    let per_rung: Vec<usize> = (0..3).map(|r| trials.iter().filter(|t| t.rung == r).count()).collect();
    assert!(per_rung[0] > per_rung[1] && per_rung[1] > per_rung[2] && per_rung[2] > 0, "{per_rung:?}");
    let best = study.best().unwrap();
    assert_eq!(best.rung, 2, "the best is reported from the top rung");
    assert!(best.score.unwrap() > 0.8, "{best:?}");
    let spent: usize = trials.iter().map(|t| t.budget.unwrap()).sum();
    let configs = per_rung[0];
    assert!(spent < configs * 27 / 2, "{spent} epochs for {configs} configurations (full budget: {})", configs * 27);
    // Same seed, same trials; and Bayesian optimization as the inner method works the same way.
    let again = {
        let mut s = Study::new(space.clone(), Method::Halving(h.clone()), 60, 4).unwrap();
        while let Ask::Trial { id, config } = s.ask() {
            let epochs = s.trials()[id].budget.unwrap();
            s.tell(id, Some(objective(&config, epochs)));
        }
        s.trials().to_vec()
    };
    assert_eq!(again, trials);
    let hb = Halving { inner: Box::new(Method::Bayes(Bayes { candidates: 100, ..Bayes::default() })), ..h };
    let mut study = Study::new(space, Method::Halving(hb), 40, 4).unwrap();
    while let Ask::Trial { id, config } = study.ask() {
        let epochs = study.trials()[id].budget.unwrap();
        study.tell(id, Some(objective(&config, epochs)));
    }
    let b = study.best().unwrap();
    let first_rung_best =
        study.trials().iter().filter(|t| t.rung == 0).filter_map(|t| t.score).fold(f64::MIN, f64::max);
    assert!(b.score.unwrap() > 0.95 && b.rung == 2, "best {b:?}, first rung {first_rung_best}");
}

#[test]
fn importance_finds_the_hyperparameter_that_matters() {
    use hyperlab::engine::search::analysis::importance;
    let space = mixed_space();
    let mut rng = Rng::new(2, 6);
    // Only the learning rate (log scale) and the optimizer matter.
    let trials: Vec<_> = (0..300)
        .map(|_| {
            let c = space.sample(&mut rng);
            let u = space.encode(&c);
            let score = -(u[0] - 0.6).powi(2) * 4.0 + if c[3] == Value::Choice(1) { 0.3 } else { 0.0 };
            (c, score)
        })
        .collect();
    let imp = importance(&space, &trials);
    assert_eq!(imp.len(), 5);
    assert!(imp[0] > 0.5 && imp[3] > 0.12, "{imp:?}");
    for i in [1, 2, 4] {
        assert!(imp[i] < 0.05, "{imp:?}");
    }
    // Constant scores: nothing matters.
    let flat: Vec<_> = trials.iter().map(|(c, _)| (c.clone(), 1.0)).collect();
    assert!(importance(&space, &flat).iter().all(|&v| v == 0.0));
}

#[test]
fn the_pareto_front_keeps_only_the_best_trade_offs() {
    use hyperlab::engine::search::analysis::pareto_front;
    // (score, cost): larger score, smaller cost is better.
    let points = [(0.9, 100.0), (0.8, 50.0), (0.85, 120.0), (0.95, 300.0), (0.7, 50.0), (f64::NAN, 1.0), (0.6, 10.0)];
    assert_eq!(pareto_front(&points), vec![6, 1, 0, 3]);
    assert_eq!(pareto_front(&[]), Vec::<usize>::new());
    assert_eq!(pareto_front(&[(1.0, 1.0), (1.0, 1.0)]).len(), 1);
}

#[test]
fn the_surrogate_slice_follows_the_objective_and_is_sure_where_it_looked() {
    let space = Space { params: vec![real("x", -1.0, 1.0), real("y", -1.0, 1.0)] };
    let mut study = Study::new(space, Method::Bayes(Bayes::default()), 25, 3).unwrap();
    while let Ask::Trial { id, config } = study.ask() {
        study.tell(id, Some(bump(&config)));
    }
    let slice = study.surrogate_slice(0, 41).unwrap();
    assert_eq!(slice.len(), 41);
    assert!((slice[0].0 + 1.0).abs() < 1e-12 && (slice[40].0 - 1.0).abs() < 1e-12);
    // Its mean peaks near the bump's x (0.62), where the trials crowded and it is surest.
    let peak = slice.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    assert!((peak.0 - 0.62).abs() < 0.15, "{peak:?}");
    let far = slice[0].2;
    assert!(peak.2 < far, "uncertainty at the peak {} vs far away {far}", peak.2);
    // Over both parameters: the map's mean peaks near the bump (0.62, −0.35), surer there than in a far corner.
    let map = study.surrogate_map(0, 1, 21).unwrap();
    assert_eq!((map.params, map.n, map.mean.len(), map.sd.len()), ((0, 1), 21, 441, 441));
    let top = (0..441).max_by(|&a, &b| map.mean[a].total_cmp(&map.mean[b])).unwrap();
    let (x, y) = (-1.0 + 2.0 * (top % 21) as f64 / 20.0, -1.0 + 2.0 * (top / 21) as f64 / 20.0);
    assert!((x - 0.62).abs() < 0.2 && (y + 0.35).abs() < 0.2, "the map peaks at ({x}, {y})");
    let corner = 20 * 21; // x = −1, y = 1: far from the bump
    assert!(map.sd[top] < map.sd[corner], "sd at the peak {} vs the corner {}", map.sd[top], map.sd[corner]);
    assert!(study.surrogate_map(0, 0, 5).is_none(), "two different parameters");
    let random = Study::new(
        Space {
            params: vec![Param { key: "c".into(), domain: Domain::Choice(vec!["a".into(), "b".into()]), levels: 2 }],
        },
        Method::Random,
        1,
        1,
    )
    .unwrap();
    assert!(random.surrogate_slice(0, 10).is_none(), "no surrogate for a choice or without trials");
}

/// A Bayesian search of 2000 trials refitted its Gaussian process on every
/// trial so far: cubic cost per ask (issue 10, defect 11). The surrogate is
/// conditioned on at most `GP_POINTS` of them — the best half and an even
/// spread of the rest — so each ask costs what a 200-trial search's does.
#[test]
fn the_bayesian_surrogate_is_conditioned_on_a_bounded_number_of_trials() {
    use hyperlab::engine::search::study::{GP_POINTS, LAG};
    let space = mixed_space();
    let method = Method::Bayes(Bayes { candidates: 20, n_init: 600, ..Bayes::default() });
    let mut study = Study::new(space.clone(), method, 601, 1).unwrap();
    while let Ask::Trial { id, config } = study.ask() {
        if id == 600 {
            break;
        }
        study.tell(id, Some(mixed_objective(&space, &config)));
    }
    let gp = study.surrogate().expect("a surrogate");
    // (and the trials still running, as it believes they will score: at most LAG of them)
    assert!(gp.len() <= GP_POINTS + LAG, "conditioned on {} points", gp.len());
    // The best trials are among those it knows.
    let best = study.best().unwrap().score.unwrap();
    let at_best = gp.predict(&space.encode(&study.best().unwrap().config)).0;
    assert!((at_best - best).abs() < 0.05, "{at_best} vs {best}");
}
