//! Points drawn by hand (`data=drawn&pts=…`): they travel in the link
//! exactly, bad drawings are named and refused, and a drawing trains like
//! any data set — twenty points of two classes, separated.

use hyperlab::experiment::drawn::{self, DrawnPoint, MAX_DRAWN};
use hyperlab::experiment::{DataKind, from_query, to_query};

/// Ten points of class 0 on the left and ten of class 1 on the right.
fn twenty() -> Vec<DrawnPoint> {
    (0..20)
        .map(|i| {
            let class = (i % 2) as u8;
            let x = if class == 0 { -0.8 + 0.05 * (i / 2) as f32 } else { 0.35 + 0.05 * (i / 2) as f32 };
            DrawnPoint::at([x, -0.9 + 0.18 * (i / 2) as f32], class)
        })
        .collect()
}

#[test]
fn drawn_points_travel_in_the_link_exactly() {
    let points = twenty();
    let spec = from_query("ep=50&lr=0.3").0.with_drawn(points.clone());
    assert_eq!(spec.validate(), Ok(()));
    let link = to_query(&spec);
    assert!(link.contains("data=drawn&") && link.contains("pts="), "{link}");
    // 4 bytes a point: 20 points in 107 characters.
    let pts = link.split('&').find_map(|p| p.strip_prefix("pts=")).expect("pts");
    assert_eq!(pts.len(), (20 * 4 * 8usize).div_ceil(6));
    let (back, notices) = from_query(&link);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(back, spec);
    assert_eq!(back.data.drawn, points);
    // A point is placed on the grid; placed again it stays.
    for p in &points {
        assert_eq!(DrawnPoint::at(p.position(), p.class), *p);
    }
    // Every grid corner and class survives the text.
    let corners: Vec<DrawnPoint> = [(0, 0, 0), (4095, 4095, 3), (4095, 0, 1), (1, 4094, 2), (2048, 7, 0)]
        .map(|(x, y, class)| DrawnPoint { x, y, class })
        .to_vec();
    assert_eq!(drawn::decode(&drawn::encode(&corners)), Ok(corners));
    let most = vec![DrawnPoint { x: 9, y: 4000, class: 1 }; MAX_DRAWN];
    assert_eq!(drawn::decode(&drawn::encode(&most)).map(|p| p.len()), Ok(MAX_DRAWN));
}

#[test]
fn bad_drawings_are_named_and_the_link_keeps_its_other_settings() {
    let good = drawn::encode(&twenty());
    let too_many = drawn::encode(&vec![DrawnPoint { x: 1, y: 1, class: 0 }; MAX_DRAWN + 1]);
    let lonely = drawn::encode(&twenty()[..5]);
    let class_9 = drawn::encode(&[twenty(), vec![DrawnPoint { x: 5, y: 5, class: 9 }; 3]].concat());
    for (pts, says) in [
        ("ab$d", "URL-safe base64"),
        ("abcde", "4 bytes a point"),
        (good.as_str(), ""),
        (&lonely[..], "draw at least 3 of each class"),
        (&class_9[..], "at most 4 classes"),
        (&too_many[..], "more than 500 points"),
    ] {
        let (spec, notices) = from_query(&format!("data=drawn&lr=0.3&pts={pts}"));
        assert!(spec.validate().is_ok());
        assert_eq!(spec.lr, 0.3, "the rest of the link is kept");
        if says.is_empty() {
            assert!(notices.is_empty(), "{notices:?}");
            assert_eq!(spec.data.kind, DataKind::Drawn);
        } else {
            assert!(notices.iter().any(|n| n.message.contains(says)), "{pts}: {notices:?}");
            assert_ne!(spec.data.kind, DataKind::Drawn, "an unusable drawing falls back to the default data");
        }
    }
    // Points without data=drawn do not apply.
    let (spec, notices) = from_query(&format!("data=moons&pts={good}"));
    assert!(spec.data.drawn.is_empty() && notices.iter().any(|n| n.key == "pts"), "{notices:?}");
}

#[test]
fn twenty_drawn_points_of_two_classes_train_to_a_boundary_between_them() {
    let spec = from_query("ep=60&lr=0.3&opt=adam&hidden=4&val=0.2").0.with_drawn(twenty());
    assert_eq!(spec.data.n_total(), 20);
    assert_eq!(
        spec.n_train(),
        spec.split().expect("a split").train.len(),
        "the batch size's bound is the training set"
    );
    assert!(!spec.features().standardize, "drawn points are on the view's plane already");
    let mut trainer = spec.trainer().expect("valid");
    trainer.run_to_end();
    let last = trainer.records().last().expect("epochs");
    assert_eq!(last.train.accuracy, Some(1.0), "every drawn training point on its side");
    assert_eq!(last.val.accuracy, Some(1.0));
    // The boundary lies between the two groups: left is class 0, right is class 1.
    assert!(trainer.predict(&[-0.9, 0.0])[0] < 0.0 && trainer.predict(&[0.9, 0.0])[0] > 0.0);
}

#[test]
fn a_drawn_regression_is_a_curve_of_values_that_trains_and_travels() {
    use hyperlab::engine::data::Task;
    // Twelve values on the line y = 0.5x − 0.2.
    let line: Vec<DrawnPoint> = (0..12)
        .map(|i| {
            let x = -1.0 + i as f32 * (2.0 / 11.0);
            DrawnPoint::at([x, 0.5 * x - 0.2], drawn::REGRESSION)
        })
        .collect();
    let spec = from_query("ep=300&lr=0.05&opt=adam&hidden=none").0.with_drawn(line.clone());
    assert_eq!(spec.validate(), Ok(()));
    assert_eq!((spec.data.task(), spec.data.n_inputs()), (Task::Regression, 1));
    let (back, notices) = from_query(&to_query(&spec));
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(back, spec);
    let mut trainer = spec.trainer().expect("valid");
    trainer.run_to_end();
    let r2 = trainer.records().last().and_then(|r| r.val.r2).expect("r2");
    assert!(r2 > 0.99, "a straight line of values is learned by a linear model: R² {r2}");
    // Classes and values do not mix; a curve needs five values.
    let mixed = [line.clone(), vec![DrawnPoint { x: 9, y: 9, class: 0 }]].concat();
    assert!(drawn::check(&mixed).is_err_and(|e| e.contains("not both")));
    assert!(drawn::check(&line[..4]).is_err_and(|e| e.contains("at least 5")));
}
