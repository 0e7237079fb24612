//! The network view's data (`worker::picture`): the drawn units' weights and
//! biases are the model's, their maps what the network computes at each
//! point, and a network too large to draw whole is drawn in part, bounded.

use hyperlab::experiment::from_query;
use hyperlab::worker::picture::{NetworkPicture, PICTURE_UNITS, UNIT_RES};
use hyperlab::worker::protocol::BOUNDARY_EXTENT;

fn trained(query: &str, epochs: usize) -> hyperlab::engine::train::Trainer {
    let (spec, notices) = from_query(query);
    assert!(notices.is_empty(), "{notices:?}");
    let mut t = spec.trainer().expect("valid");
    t.run_epochs(epochs);
    t
}

#[test]
fn the_picture_holds_the_models_parameters_and_each_units_map() {
    let mut t = trained("v=1&hidden=5-3&feat=x1-x2-x1sq", 5);
    let p = NetworkPicture::of(&mut t, Some(hyperlab::engine::data::Plane::STANDARD));
    assert_eq!(p.sizes, vec![3, 5, 3, 1]);
    assert_eq!(p.shown, p.sizes, "a small network is drawn whole");
    let model = t.model();
    for l in 0..3 {
        for o in 0..p.shown[l + 1] {
            for i in 0..p.shown[l] {
                assert_eq!(p.weight(l, o, i), model.weight(l, o, i), "layer {l} {o}←{i}");
            }
        }
    }
    assert_eq!(p.biases[2], vec![*model.params.last().unwrap()]);
    // Each map: the unit's value at each grid point, scaled by its largest |value|.
    let cells = UNIT_RES * UNIT_RES;
    assert_eq!(p.maps.len(), 12 * cells);
    let points: Vec<[f32; 2]> = hyperlab::engine::train::grid_points(UNIT_RES, BOUNDARY_EXTENT).collect();
    for (k, point) in points.iter().enumerate().step_by(37) {
        t.predict(point);
        let mut unit = 0;
        for l in 0..4 {
            for &v in &t.layer_values(l)[..p.shown[l]] {
                let expected = ((v / p.scales[unit]).clamp(-1.0, 1.0) * 127.5 + 128.0).floor().clamp(0.0, 255.0) as u8;
                assert_eq!(p.map(unit).unwrap()[k], expected, "unit {unit} at point {k}");
                unit += 1;
            }
        }
    }
    // The input x₁² is never negative: its map stays on the positive half.
    assert!(p.map(2).unwrap().iter().all(|&b| b >= 128));
}

#[test]
fn a_large_network_is_drawn_in_part_and_pixel_inputs_whole() {
    let mut t = trained("v=1&hidden=256-256-256&n=10&ep=1", 0);
    let p = NetworkPicture::of(&mut t, Some(hyperlab::engine::data::Plane::STANDARD));
    assert_eq!(p.shown, vec![2, PICTURE_UNITS, PICTURE_UNITS, PICTURE_UNITS, 1]);
    assert_eq!(p.weights[1].len(), PICTURE_UNITS * PICTURE_UNITS);
    assert!(p.maps.is_empty(), "its unit maps would cost too much");
    // The digits' 64 pixels are all drawn: each first-layer unit's weights are an 8 × 8 image.
    let mut t = trained("v=1&data=digits&hidden=32&ep=1", 0);
    let p = NetworkPicture::of(&mut t, None);
    assert_eq!(p.shown, vec![64, PICTURE_UNITS, 10]);
    assert_eq!(p.weights[0].len(), PICTURE_UNITS * 64);
    assert!(p.maps.is_empty(), "no plane to map");
}

/// Data without a plane (Iris): each drawn hidden unit gets a histogram of
/// its activations over training examples, equal to one made directly.
#[test]
fn other_data_get_a_histogram_of_each_hidden_units_activations() {
    use hyperlab::worker::picture::{HIST_BINS, HIST_EXAMPLES};
    let mut t = trained("v=1&data=iris&hidden=6-4&ep=3", 3);
    let p = NetworkPicture::of(&mut t, None);
    assert!(p.maps.is_empty());
    assert_eq!(p.hists.len(), (6 + 4) * HIST_BINS);
    let n = t.data().train.len();
    let examples = n.min(HIST_EXAMPLES);
    // Unit 2 of layer 2 is hidden unit 6 + 2 = 8.
    let values: Vec<f32> = (0..examples)
        .map(|k| {
            t.forward_train(k * n / examples);
            t.layer_values(2)[2]
        })
        .collect();
    let scale = values.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    assert_eq!(p.hist_scales[8], scale);
    let mut counts = [0u32; HIST_BINS];
    for v in &values {
        let t = ((v / scale).clamp(-1.0, 1.0) + 1.0) / 2.0;
        counts[((t * HIST_BINS as f32) as usize).min(HIST_BINS - 1)] += 1;
    }
    let most = *counts.iter().max().unwrap();
    let expected: Vec<u8> = counts.iter().map(|&k| (k * 255 / most) as u8).collect();
    assert_eq!(p.hist(8).unwrap(), &expected[..]);
    assert!(p.hists.chunks(HIST_BINS).all(|h| h.contains(&255)), "each histogram scaled to its tallest bin");
}

#[test]
fn every_input_of_a_bundled_set_has_its_own_name() {
    use hyperlab::experiment::DataKind;
    for kind in [DataKind::Iris, DataKind::Wine, DataKind::BreastCancer, DataKind::Digits, DataKind::Sparse] {
        let names: Vec<String> = (0..kind.n_inputs()).filter_map(|i| kind.input_name(i)).collect();
        assert_eq!(names.len(), kind.n_inputs(), "{kind:?}: a name per input");
        let distinct: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(distinct.len(), names.len(), "{kind:?}: names tell inputs apart");
        assert_eq!(kind.input_name(kind.n_inputs()), None, "{kind:?}: no name past the last input");
    }
    assert_eq!(DataKind::BreastCancer.input_name(0).as_deref(), Some("mean radius"));
    assert_eq!(DataKind::BreastCancer.input_name(29).as_deref(), Some("worst fractal dimension"));
    assert_eq!(DataKind::Digits.input_name(9).as_deref(), Some("pixel row 2, col 2"));
    assert_eq!(DataKind::Sparse.input_name(5).as_deref(), Some("rare 1"));
    assert_eq!(DataKind::Spiral.input_name(0), None);
}
