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

#[cfg(test)]
mod tests {
    use super::*;

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
