//! Pure helpers for the charts (axis ranges), kept out of `ui` so they are
//! tested natively.

/// The x-axis length for a run at `epoch` of `n_epochs` planned: the first of
/// 10, 20, 50, 100, 200, 500, … that reaches the current epoch, at most the
/// planned run. Early on the curve fills the chart; the axis changes rarely.
pub fn epoch_axis_extent(epoch: usize, n_epochs: usize) -> usize {
    let cap = n_epochs.max(1);
    let mut decade = 10usize;
    loop {
        for m in [1, 2, 5] {
            let nice = decade.saturating_mul(m);
            if nice >= epoch || nice >= cap {
                return nice.min(cap);
            }
        }
        decade = decade.saturating_mul(10);
    }
}

/// The 5th and 95th percentiles of `values`: a colour range that outliers do
/// not stretch. Falls back to (0, 1) for no finite values, and widens a
/// zero-width range.
pub fn robust_range(values: impl Iterator<Item = f32>) -> (f32, f32) {
    let mut v: Vec<f32> = values.filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return (0.0, 1.0);
    }
    v.sort_by(f32::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    let (lo, hi) = (at(0.05), at(0.95));
    if hi > lo { (lo, hi) } else { (lo - 0.5, lo + 0.5) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robust_range_ignores_a_few_outliers() {
        let mut v: Vec<f32> = (0..100).map(|i| i as f32 / 99.0).collect();
        v.extend([50.0, -40.0, f32::NAN]);
        let (lo, hi) = robust_range(v.into_iter());
        assert!((0.0..0.1).contains(&lo) && hi > 0.9 && hi <= 1.0, "({lo}, {hi})");
        assert_eq!(robust_range([2.0f32; 5].into_iter()), (1.5, 2.5));
        assert_eq!(robust_range(core::iter::empty()), (0.0, 1.0));
    }

    #[test]
    fn epoch_axis_grows_in_one_two_five_steps_up_to_the_plan() {
        assert_eq!(epoch_axis_extent(0, 500), 10);
        assert_eq!(epoch_axis_extent(10, 500), 10);
        assert_eq!(epoch_axis_extent(11, 500), 20);
        assert_eq!(epoch_axis_extent(41, 5000), 50);
        assert_eq!(epoch_axis_extent(51, 5000), 100);
        assert_eq!(epoch_axis_extent(201, 5000), 500);
        assert_eq!(epoch_axis_extent(260, 300), 300);
        assert_eq!(epoch_axis_extent(3, 5), 5);
        assert_eq!(epoch_axis_extent(0, 0), 1);
        assert_eq!(epoch_axis_extent(usize::MAX, usize::MAX), usize::MAX);
    }
}
