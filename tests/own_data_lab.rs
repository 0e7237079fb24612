//! The user's data in the lab: a link names them by their hash (and the
//! command line checks the file given against it), carries small ones
//! deflated, brings back kept runs and a kept search on them; the data view
//! shows them where they lie and the 2-D features read them there. (The
//! file itself, read or refused: tests/own_data.rs.)

mod common {
    pub mod own;
}

use common::own::*;
use hyperlab::engine::data::table::*;

#[test]
fn a_link_names_the_users_data_by_its_hash_and_the_command_line_checks_the_file_given() {
    use hyperlab::experiment::{OwnData, from_query, from_query_on, own_ref_from_query, to_query};
    let bin = env!("CARGO_BIN_EXE_hyperlab");
    let mut text = String::from("id,x,y,label\n");
    for i in 0..60 {
        text += &format!("{i},{},{},{}\n", (i * 7 % 13) as f64 / 6.0 - 1.0, (i * 5 % 11) as f64 / 5.0 - 1.0, i % 3);
    }
    let table = read_table(text.as_bytes(), ReadOptions::default()).expect("read");
    let selection = Selection { ignored: vec![0], task: TaskChoice::Classification, ..select(3) };
    let own = OwnData::from_table("my, data.csv", &table, &selection).expect("data");
    assert_eq!((own.file.target.as_str(), own.file.ignore.clone()), ("label", vec!["id".to_string()]));
    let spec = from_query("ep=8&opt=adam&lr=0.03&hidden=6").0.with_own_data(own.clone());
    let link = to_query(&spec);
    assert!(link.contains("data=own") && link.contains(&format!("file={}", own.file.hash)), "{link}");
    // The link names the data (and how to make it from the file), never carries it.
    assert!(link.len() < 200, "{link}");
    assert_eq!(own_ref_from_query(&link).0.as_ref(), Some(&own.file));
    // With the data at hand the link is the experiment; without it, the data is refused by name.
    let (back, notices) = from_query_on(&link, Some(&own));
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(back, spec);
    let (without, notices) = from_query(&link);
    assert_eq!(notices.first().map(|n| n.key.as_str()), Some("data"), "{notices:?}");
    assert!(without.data.own.is_none() && without.validate().is_ok());
    // Other data at hand is not taken for the link's.
    let other =
        OwnData::from_table("b.csv", &table, &Selection { ignored: vec![], ..selection.clone() }).expect("data");
    assert_ne!(other.file.hash, own.file.hash);
    assert!(from_query_on(&link, Some(&other)).0.data.own.is_none());
    // The made-again data from the file equals the link's.
    let made = own.file.make(&table).expect("the same file");
    assert_eq!((made.file.hash.as_str(), made.data.x.len()), (own.file.hash.as_str(), own.data.x.len()));
    // What the browser keeps reads back the same; damaged or edited, it is refused.
    let bytes = own.to_bytes();
    assert_eq!(OwnData::from_bytes(&bytes).expect("read back"), own);
    assert!(OwnData::from_bytes(&bytes[..bytes.len() / 2]).is_err());
    let mut edited = own.clone();
    std::sync::Arc::make_mut(&mut edited.data).x[3] += 1.0;
    assert_eq!(OwnData::from_bytes(&edited.to_bytes()).err().as_deref(), Some("its content does not match its hash"));
    std::sync::Arc::make_mut(&mut edited.data).x.push(0.0);
    assert_eq!(OwnData::from_bytes(&edited.to_bytes()).err().as_deref(), Some("its shape is not one the lab reads"));
    // A hostile hash is refused, not used.
    for bad in ["file=zz&target=label", "file=0123456789abcdef0&target=label", "file=0123456789abcdef"] {
        let (named, notices) = own_ref_from_query(&format!("data=own&{bad}"));
        assert!(named.is_none() && notices.iter().any(|n| n.key == "file"), "{bad}: {notices:?}");
    }

    // The command line: the link with the file trains the same numbers, bit for bit.
    let path = file("my, data.csv", &text);
    let p = path.to_str().expect("a path");
    let run = |args: &[&str]| std::process::Command::new(bin).args(args).output().expect("runs");
    printed_as_trained(&run(&["run", "--data-file", p, &link]), &spec);
    // A search on the data: every trial trains on it, natively and on the command line.
    let searched = format!("{link}&search=random&trials=3&space=lr:log:0.01:0.3");
    let mut session = hyperlab::experiment::session::Session::new(&searched, Some(&own)).expect("a search");
    for _ in 0..3 {
        match session.ask() {
            hyperlab::experiment::session::Next::Trial(asked) => {
                let hash = asked.spec.data.own.as_ref().map(|o| o.file.hash.clone());
                assert_eq!(hash.as_deref(), Some(own.file.hash.as_str()));
            }
            other => panic!("a trial, not {other:?}"),
        }
    }
    let out = run(&["search", "--data-file", p, &searched]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8(out.stdout).expect("text");
    assert_eq!(printed.lines().filter(|l| !l.starts_with('#')).count(), 4, "{printed}");
    assert!(printed.contains(&format!("file={}", own.file.hash)), "the best trial's link names the data: {printed}");
    // Without the file, or with another, it says which and exits 2.
    let edited = file("edited.csv", &text.replacen("0,", "9,", 2));
    let e = edited.to_str().expect("a path");
    for (args, says) in [
        (vec!["run", link.as_str()], "this link trains on a data file (`my, data.csv`"),
        (vec!["run", "--data-file", e, link.as_str()], "the link's file is"),
        (vec!["run", "--data-file", p, "--target", "x", link.as_str()], "give other data than the link's"),
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(&edited);
}

#[test]
fn the_data_view_shows_the_square_where_the_users_data_lie() {
    use hyperlab::engine::data::Plane;
    use hyperlab::experiment::{OwnData, from_query};
    // Two inputs far from the generated sets' square: x in [0, 10], y in [100, 200].
    let mut text = String::from("x,y,c\n");
    for i in 0..40 {
        text += &format!("{},{},{}\n", (i % 11) as f64, 100.0 + (i * 37 % 101) as f64, i % 2);
    }
    let table = read_table(text.as_bytes(), ReadOptions::default()).expect("read");
    let own = OwnData::from_table("far.csv", &table, &select(2)).expect("data");
    let spec = from_query("ep=3").0.with_own_data(own.clone());
    let plane = spec.data.plane();
    assert_eq!(plane.centre, [5.0, 150.0]);
    assert!((plane.half - 65.0).abs() < 1e-4, "half the larger side, with the standard margin: {}", plane.half);
    let ((x0, x1), (y0, y1)) = (plane.x_range(), plane.y_range());
    for i in 0..own.data.len() {
        let p = own.data.features(i);
        assert!(x0 < p[0] && p[0] < x1 && y0 < p[1] && p[1] < y1, "{p:?} inside the view");
    }
    // The worker's grid covers that square, top row first.
    let grid: Vec<[f32; 2]> = plane.grid(4).collect();
    assert_eq!((grid[0], grid[15]), ([x0, y1], [x1, y0]));
    // Generated sets keep their square, and its grid, bit for bit.
    assert_eq!(from_query("data=moons").0.data.plane(), Plane::STANDARD);
    let old: Vec<[f32; 2]> = (0..64)
        .flat_map(|row| (0..64).map(move |col| [-1.3 + col as f32 * (2.6 / 63.0), 1.3 - row as f32 * (2.6 / 63.0)]))
        .collect();
    assert_eq!(Plane::STANDARD.grid(64).collect::<Vec<_>>(), old);
}

#[test]
fn a_small_data_set_travels_in_its_link_when_asked_and_is_checked_like_a_file() {
    use hyperlab::experiment::{OwnData, from_query, to_query};
    let bin = env!("CARGO_BIN_EXE_hyperlab");
    // Awkward names: a comma and a quote in a class, a feature named with spaces.
    let mut text = String::from("id,\" width \",height,kind\n");
    for i in 0..40 {
        let kind = ["\"a, b\"", "\"say \"\"hi\"\"\"", "c"][i % 3];
        text += &format!("{i},{},{},{kind}\n", 0.1 * i as f64 + 1e-7, (i * 7 % 13) as f64 / 3.0);
    }
    let table = read_table(text.as_bytes(), ReadOptions::default()).expect("read");
    let own = OwnData::from_table("odd.csv", &table, &Selection { ignored: vec![0], ..select(3) }).expect("data");
    let carried = own.embedded().expect("small enough");
    assert_eq!(carried.file.hash, own.file.hash);
    let spec = from_query("ep=6&opt=adam&lr=0.03").0.with_own_data(carried.clone());
    let link = to_query(&spec);
    assert!(link.contains("&csvz=") && !link.contains("ignore="), "{link}");
    assert!(!link.contains(['\n', '"', ' ', '%']), "deflated in URL-safe base64, nothing to escape: {link}");
    let csv = carried.file.csv.clone().expect("the text");
    let csvz = link.split("&csvz=").nth(1).unwrap().split('&').next().unwrap();
    assert!(csvz.len() * 2 < csv.len(), "deflated: {} characters for {} of text", csvz.len(), csv.len());
    // Opened without the file: the link's own data, checked by their hash.
    let (back, notices) = from_query(&link);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(back, spec);
    assert_eq!(back.data.own.as_ref().map(|o| o.data.x.clone()), Some(own.data.x.clone()), "bit for bit");
    assert_eq!(to_query(&back), link, "and written again the same");
    // Named again, the link carries no data.
    let named = to_query(&spec.with_own_data(carried.named()));
    assert!(!named.contains("&csvz=") && !named.contains("&csv="), "{named}");
    // The same text undeflated (csv=, percent-encoded) is read the same.
    let escape = |t: &str| {
        t.replace('%', "%25").replace('\n', "%0A").replace('"', "%22").replace(' ', "%20").replace('&', "%26")
    };
    let plain = link.replace(&format!("&csvz={csvz}"), &format!("&csv={}", escape(&csv)));
    assert_eq!(from_query(&plain), (spec.clone(), vec![]));
    // Edited in the link: refused by the hash, said, and the default data used.
    let edited = plain.replacen("0.1000001,", "0.1000002,", 1);
    assert_ne!(edited, plain);
    let (fallback, notices) = from_query(&edited);
    assert!(notices.iter().any(|n| n.key == "csv" && n.message.contains("not the link's")), "{notices:?}");
    assert!(fallback.data.own.is_none() && fallback.validate().is_ok());
    // With the data at hand (a kept search's trials, say) they are used, whatever the carried copy says.
    let (given, notices) = hyperlab::experiment::from_query_on(&edited, Some(&carried));
    assert!(notices.is_empty() && given.data.own.as_ref() == Some(&carried), "{notices:?}");
    // Damaged deflated data, or deflated data too long, are said by their key.
    let too_long = hyperlab::base64::base64url(&miniz_oxide::deflate::compress_to_vec(&[b'1'; 70_000], 9));
    for (bad, why) in [("A-_", "damaged"), ("AAAA", "damaged"), ("*", "base64"), (too_long.as_str(), "over 64 KB")] {
        let (fallback, notices) = from_query(&link.replace(csvz, bad));
        assert!(notices.iter().any(|n| n.key == "csvz" && n.message.contains(why)), "{bad}: {notices:?}");
        assert!(fallback.data.own.is_none() && fallback.validate().is_ok());
    }
    // The command line trains it without a file, the same numbers.
    printed_as_trained(&std::process::Command::new(bin).args(["run", &link]).output().expect("runs"), &spec);
    // A large data set stays out of the link, said so.
    let big: String = std::iter::once("a,b,c,d,y\n".to_string())
        .chain((0..4000).map(|i| format!("{},{},{},{},{}\n", i as f64 / 7.0, i % 13, i % 17, i as f64 / 3.0, i % 2)))
        .collect();
    let table = read_table(big.as_bytes(), ReadOptions::default()).expect("read");
    let large = OwnData::from_table("big.csv", &table, &select(4)).expect("data");
    assert!(large.embedded().is_err_and(|e| e.contains("too many to travel in a link")));
}

#[test]
fn a_links_kept_runs_on_the_users_data_come_back_on_it() {
    use hyperlab::experiment::{from_query, lab_from_query, lab_from_query_on, lab_to_query};
    let own = small_data();
    let lab = from_query("ep=5").0.with_own_data(own.clone());
    let runs = vec![from_query("ep=5&lr=0.3").0.with_own_data(own.clone()), from_query("data=moons&ep=7").0];
    let link = lab_to_query(&lab, &runs);
    // With the data at hand: the lab and both kept runs as they were.
    let (spec, kept, notices) = lab_from_query_on(&link, Some(&own));
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!((spec, kept), (lab, runs));
    // Without them, each run on the data is said, by its number.
    let (_, kept, notices) = lab_from_query(&link);
    assert!(kept[0].data.own.is_none() && kept[1].data.kind == hyperlab::experiment::DataKind::Moons);
    assert!(notices.iter().any(|n| n.key == "runs[1].data"), "{notices:?}");
}

/// A reload of a search's link on the user's data shows the search this
/// browser kept once the data are here (its trials are experiments on them),
/// and not a search kept of another link.
#[test]
fn a_kept_search_on_the_users_data_comes_back_when_the_data_do() {
    use hyperlab::experiment::search::{search_from_query, search_to_query};
    use hyperlab::experiment::{from_query, to_query};
    use hyperlab::lab::{Action, LabState, SavedSearch, SavedTrial, SearchPhase, Status, Wanted};
    use std::rc::Rc;
    let own = small_data();
    let lab = from_query("ep=5").0.with_own_data(own.clone());
    let search = search_to_query(&search_from_query("search=random&trials=2&space=lr:log:0.01:1").0.unwrap());
    let link = format!("{}&{search}", to_query(&lab));
    let trial = |id: usize, lr: &str| SavedTrial {
        id,
        generation: 0,
        rung: 0,
        bracket: 0,
        values: vec![lr.into()],
        spec: Some(to_query(&from_query(&format!("ep=5&lr={lr}")).0.with_own_data(own.clone()))),
        scored: Some((0.5, 0.0, 5, vec![0.4, 0.5])),
        failed: None,
    };
    let saved = SavedSearch {
        source: link.clone(),
        cancelled: false,
        metric: None,
        budget: 2,
        population: None,
        test: None,
        trials: vec![trial(0, "0.1"), trial(1, "0.5")],
    };
    // The page as it opens the link: the data awaited, the kept search with them.
    let waiting = |saved: SavedSearch| {
        let (spec, _) = from_query(&link);
        Rc::new(LabState {
            spec,
            status: Status::Ready,
            search_query: Some(search.clone()),
            wanted: Some(Wanted {
                file: own.file.clone(),
                source: link.clone(),
                asked: false,
                problem: None,
                saved_search: Some(Rc::new(saved)),
            }),
            ..LabState::default()
        })
    };
    let s = waiting(saved.clone()).reduce(Action::OwnDataFound(Box::new(own.clone())), 1.0);
    assert_eq!(s.spec, lab);
    let shown = s.search.as_ref().expect("the kept search is shown");
    assert!(shown.restored && shown.phase == SearchPhase::Done);
    assert_eq!(shown.own.as_ref(), Some(&own));
    for t in &shown.trials {
        assert_eq!(t.spec.as_ref().unwrap().data.own.as_ref(), Some(&own), "trial {} on the user's data", t.id);
    }
    // A search kept of another link (another target) stays unshown.
    let other = SavedSearch { source: link.replace("target=", "target=x"), ..saved };
    let s = waiting(other).reduce(Action::OwnDataFound(Box::new(own)), 1.0);
    assert!(s.search.is_none());
}

/// The 2-D features read the user's data where they lie: `sin(πx₁)` makes
/// one period across the data's square, as it does across the generated
/// sets', so the course's sine boundary moved to x in [1, 9] is still split
/// by a straight line in x₂ and sin(πx₁). The generated sets' features are
/// unchanged.
#[test]
fn the_2d_features_read_the_users_data_in_their_square() {
    use hyperlab::experiment::{OwnData, from_query};
    let sine = from_query("data=boundary&curve=sine&noise=0&n=300").0.data.generate(7, None).expect("data");
    let mut text = String::from("a,b,side\n");
    for i in 0..sine.len() {
        let p = sine.features(i);
        text += &format!("{},{},{}\n", 5.0 + 4.0 * p[0], -3.0 + 4.0 * p[1], sine.y[i]);
    }
    let table = read_table(text.as_bytes(), ReadOptions::default()).expect("read");
    let own = OwnData::from_table("moved sine.csv", &table, &select(2)).expect("data");
    let accuracy = |query: &str| {
        let spec = from_query(query).0.with_own_data(own.clone());
        let mut trainer = spec.trainer().expect("valid");
        trainer.run_to_end();
        trainer.records().last().and_then(|r| r.val.accuracy).expect("accuracy")
    };
    let base = "hidden=none&opt=adam&lr=0.05&ep=150";
    let tuned = accuracy(&format!("{base}&feat=x2-sin1"));
    let raw = accuracy(base);
    assert!(tuned >= 0.95, "sin(πx₁) over the data's square and x₂: a straight line separates them ({tuned})");
    assert!(raw < 0.9, "x₁ and x₂ alone: no straight line does ({raw})");
    // The generated sets read their inputs as they are.
    assert_eq!(from_query("data=moons&feat=x2-sin1").0.features().plane, None);
}

/// A figure of the user's data names their columns on its axes and their
/// classes in the confusion matrix; the generated sets keep x₁ and x₂.
#[test]
fn figures_of_the_users_data_name_its_columns_and_classes() {
    use hyperlab::experiment::from_query;
    let own = small_data();
    let spec = from_query("ep=2").0.with_own_data(own.clone());
    let split = spec.split().expect("split");
    let fig = hyperlab::figure::data_view(&split, None, &spec, "").expect("a 2-D picture");
    assert_eq!((fig.x_label.as_str(), fig.y_label.as_str()), ("a", "b"));
    let text: String = std::iter::once("width,height,kind\n".to_string())
        .chain((0..20).map(|i| format!("{},{},{}\n", i, i % 5, if i % 2 == 0 { "no" } else { "yes" })))
        .collect();
    let table = read_table(text.as_bytes(), ReadOptions::default()).expect("read");
    let named = hyperlab::experiment::OwnData::from_table("k.csv", &table, &select(2)).expect("data");
    let fig = hyperlab::figure::confusion(&[vec![3, 1], vec![0, 4]], &spec.with_own_data(named), "");
    assert_eq!(fig.x_categories, ["no", "yes"]);
    assert_eq!(fig.y_categories, ["yes", "no"], "named, the first on top");
    let generated = from_query("data=moons").0;
    let fig = hyperlab::figure::data_view(&generated.split().expect("split"), None, &generated, "").expect("2-D");
    assert_eq!((fig.x_label.as_str(), fig.y_label.as_str()), ("x₁", "x₂"));
}
