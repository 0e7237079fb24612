//! Pure helpers for the charts (axis ranges, scales, ticks and their
//! labels), kept out of `ui` so they are tested natively.

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
    crate::engine::sort::sort_by(&mut v, f32::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    let (lo, hi) = (at(0.05), at(0.95));
    if hi > lo { (lo, hi) } else { (lo - 0.5, lo + 0.5) }
}

/// One axis of a chart: the range shown and whether it is logarithmic.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
}

impl Scale {
    /// A linear axis over `[lo, hi]`; a zero-width or non-finite range is widened.
    pub fn linear(lo: f64, hi: f64) -> Self {
        let (lo, hi) = if lo.is_finite() && hi.is_finite() { (lo.min(hi), lo.max(hi)) } else { (0.0, 1.0) };
        let (lo, hi) = if hi > lo { (lo, hi) } else { (lo - 0.5 * lo.abs().max(1e-9), hi + 0.5 * hi.abs().max(1e-9)) };
        Scale { lo, hi, log: false }
    }

    /// A logarithmic axis over `[lo, hi]`; non-positive ends are clamped to a
    /// tiny positive value and a zero-width range is widened to a decade.
    pub fn log(lo: f64, hi: f64) -> Self {
        const TINY: f64 = 1e-300;
        let ok = |v: f64| v.is_finite() && v > 0.0;
        let (lo, hi) = match (ok(lo), ok(hi)) {
            (true, true) => (lo.min(hi), lo.max(hi)),
            (false, true) => (hi / 10.0, hi),
            (true, false) => (lo, lo * 10.0),
            (false, false) => (1e-4, 1.0),
        };
        let (lo, hi) = if hi > lo { (lo.max(TINY), hi) } else { (lo / 10f64.sqrt(), hi * 10f64.sqrt()) };
        Scale { lo, hi, log: true }
    }

    /// Where `v` falls on the axis: 0 at `lo`, 1 at `hi` (outside for values outside).
    pub fn unit(&self, v: f64) -> f64 {
        if self.log {
            (v.max(f64::MIN_POSITIVE).ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln())
        } else {
            (v - self.lo) / (self.hi - self.lo)
        }
    }

    /// The value at position `u` (the inverse of [`Scale::unit`]).
    pub fn value(&self, u: f64) -> f64 {
        if self.log {
            (self.lo.ln() + u * (self.hi.ln() - self.lo.ln())).exp()
        } else {
            self.lo + u * (self.hi - self.lo)
        }
    }

    /// Round values to mark on the axis, at most about `max` of them: multiples
    /// of 1, 2 or 5 × 10ᵏ on a linear axis; powers of ten on a log axis (with
    /// 2× and 5× between them when the range is under two decades).
    pub fn ticks(&self, max: usize) -> Vec<f64> {
        let max = max.max(2);
        if self.log {
            let (a, b) = (self.lo.log10(), self.hi.log10());
            let first = a.ceil() as i32;
            let last = b.floor() as i32;
            let decades = (last - first + 1).max(0) as usize;
            if decades >= 2 {
                let every = decades.div_ceil(max).max(1) as i32;
                return (first..=last).filter(|k| (k - first) % every == 0).map(|k| 10f64.powi(k)).collect();
            }
            let mut out = Vec::new();
            for k in (a.floor() as i32)..=(b.ceil() as i32) {
                for m in [1.0, 2.0, 5.0] {
                    let v = m * 10f64.powi(k);
                    if v >= self.lo * (1.0 - 1e-9) && v <= self.hi * (1.0 + 1e-9) {
                        out.push(v);
                    }
                }
            }
            // A range under a factor of 2.5 holds one such tick at most (a
            // constant rate of 30 drawn from 20 to 45 was marked "20"
            // alone): its middle, to one significant digit, joins it.
            let middle: f64 = format!("{:.0e}", (self.lo * self.hi).sqrt()).parse().unwrap_or(f64::NAN);
            let inside = middle >= self.lo && middle <= self.hi;
            if out.len() < 2 && inside && !out.iter().any(|t| (t / middle - 1.0).abs() < 1e-9) {
                // In order (no sort: each `sort_by` compiles its own copy).
                out.insert(out.partition_point(|&t| t < middle), middle);
            }
            return out;
        }
        let (m, e) = self.step(max);
        let step = m * 10f64.powi(e);
        let first = (self.lo / step).ceil() as i64;
        let last = (self.hi / step).floor() as i64;
        // k·m·10ᵉ computed as k·m / 10⁻ᵉ for small steps, so 0.6 is 0.6, not 0.6000000000000001.
        let at = |k: i64| if e < 0 { (k as f64 * m) / 10f64.powi(-e) } else { k as f64 * step };
        (first..=last).map(at).collect()
    }

    /// The linear tick spacing `m × 10ᵉ`: the smallest with `m` 1, 2 or 5 giving at most `max` ticks.
    fn step(&self, max: usize) -> (f64, i32) {
        let raw = (self.hi - self.lo) / max.max(1) as f64;
        let e = raw.log10().floor() as i32;
        let mag = 10f64.powi(e);
        [1.0, 2.0, 5.0].into_iter().find(|&m| m * mag >= raw * (1.0 - 1e-9)).map_or((1.0, e + 1), |m| (m, e))
    }

    /// The label of tick `v` among `ticks`: as many decimals as the spacing
    /// needs on a linear axis, `1e-3` style on a log axis (plain for 0.1–1000).
    pub fn label(&self, v: f64, ticks: &[f64]) -> String {
        if self.log {
            return if (0.1..=1000.0).contains(&v) { format!("{}", round_sig(v, 3)) } else { format!("{v:.0e}") };
        }
        let step = ticks.windows(2).map(|w| w[1] - w[0]).fold(f64::INFINITY, f64::min);
        let step = if step.is_finite() && step > 0.0 { step } else { v.abs().max(1.0) };
        if step >= 1e5 || (step < 1e-4 && v != 0.0) {
            return format!("{v:.1e}");
        }
        let decimals = (-step.log10().floor()).max(0.0) as usize;
        format!("{v:.decimals$}")
    }
}

fn round_sig(v: f64, digits: i32) -> f64 {
    if v == 0.0 {
        return 0.0;
    }
    let scale = 10f64.powi(digits - 1 - v.abs().log10().floor() as i32);
    (v * scale).round() / scale
}

/// The index of the value in the ascending `xs` nearest to `x` (`None` for no values).
pub fn nearest(xs: impl Iterator<Item = f64>, x: f64) -> Option<usize> {
    xs.enumerate()
        .filter(|(_, v)| v.is_finite())
        .min_by(|(_, a), (_, b)| (a - x).abs().total_cmp(&(b - x).abs()))
        .map(|(i, _)| i)
}

/// A number for a read-out: four significant digits, exponent form below
/// 0.001 or from 100 000, zero as "0".
pub fn format_value(v: f64) -> String {
    significant(v, 4, 1e-3..1e5)
}

/// A number for a compact summary, read at a glance: two significant
/// digits, exponent form below 0.01 or from 10 000 (`8.7e-4`, `0.015`,
/// `1.3`, `81`), zero as "0".
pub fn format_short(v: f64) -> String {
    significant(v, 2, SHORT_PLAIN)
}

/// Where [`format_short`] writes a magnitude plainly.
const SHORT_PLAIN: core::ops::Range<f64> = 1e-2..1e4;

/// The range `lo`..`hi` to two significant digits ([`format_short`]), both
/// ends in one form so they compare at a glance: plainly when both are
/// plain ("0.25–1.3"), else both with exponents ("8.7e-4 to 1.5e-2", not
/// "8.7e-4–0.015"); one value when both ends read the same.
pub fn format_short_range(lo: f64, hi: f64) -> String {
    let plain = [lo, hi].iter().all(|v| *v == 0.0 || !v.is_finite() || SHORT_PLAIN.contains(&v.abs()));
    // An empty plain range: every magnitude in exponent form.
    let form = |v| if plain { format_short(v) } else { significant(v, 2, 0.0..0.0) };
    let (a, b) = (form(lo), form(hi));
    match (a == b, plain) {
        (true, _) => a,
        (false, true) => format!("{a}–{b}"),
        (false, false) => format!("{a} to {b}"),
    }
}

/// `v` to `digits` significant digits: plain within `plain` (by magnitude),
/// in exponent form outside it; "—" if it is not finite.
fn significant(v: f64, digits: usize, plain: core::ops::Range<f64>) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let a = v.abs();
    if a == 0.0 {
        // An exact zero (a layer that no longer moves, a perfect fit) has no
        // digits to show: "0", not "0.0000" nor "-0".
        return "0".into();
    }
    let exponent_digits = digits.saturating_sub(1);
    if !plain.contains(&a) {
        return format!("{v:.exponent_digits$e}");
    }
    // Rounded to its digits first, so 9.96 at two digits reads "10", not "10.0".
    let rounded: f64 = format!("{v:.exponent_digits$e}").parse().unwrap_or(v);
    let decimals = (exponent_digits as i32 - rounded.abs().log10().floor() as i32).max(0) as usize;
    format!("{rounded:.decimals$}")
}

/// Formats a learning rate as people write it: 0.0003, 0.1, 10, 1.2e-7,
/// with at most three significant digits.
pub fn format_lr(lr: f64) -> String {
    let rounded: f64 = format!("{lr:.2e}").parse().unwrap_or(lr);
    let plain = format!("{rounded}");
    if plain.len() > 8 { format!("{rounded:e}") } else { plain }
}

/// The indices of the finite `scores` by `goodness`, worst first and the
/// best last: of equal best scores the first, as the search's table and
/// its study name it (`SearchState::best`). Parallel coordinates draw
/// their lines in this order, the best on top.
pub fn worst_first(scores: impl Iterator<Item = f64>, goodness: impl Fn(f64) -> f64) -> Vec<usize> {
    let scores: Vec<f64> = scores.collect();
    let mut order: Vec<usize> = (0..scores.len()).filter(|&k| scores[k].is_finite()).collect();
    crate::engine::sort::sort_by(&mut order, |&a, &b| goodness(scores[a]).total_cmp(&goodness(scores[b])));
    if let Some(&last) = order.last() {
        let top = goodness(scores[last]);
        let first_of_best = order.partition_point(|&k| goodness(scores[k]) < top);
        let best = order.remove(first_of_best);
        order.push(best);
    }
    order
}

/// A polyline's points as few as draw the same line: `x` in pixels, `y` in
/// pixels or in any scale that maps to pixels monotonically (the data's
/// own values, so only the kept points pay for their mapping). Of the
/// points that fall in one pixel column (`columns` per pixel) it keeps the
/// first, the lowest, the highest and the last, in their order, so every
/// column's ink spans what it did. Points left or right of `[lo, hi]` count
/// as the columns just outside it (the line still leaves the area at the
/// right slope); an infinite `y` is a column's lowest or highest like any
/// other; a point whose `x` is not finite or whose `y` is NaN breaks the
/// line and is kept. A line of fewer points than columns comes back as it
/// was.
///
/// The learning-rate chart of a 100 000-epoch run drew its plan's 100 000
/// points on every update (4.4 million `lineTo` calls in 3 s, the page at
/// 29 frames/s: docs/PERFORMANCE.md).
pub fn thin_polyline(points: impl IntoIterator<Item = (f64, f64)>, lo: f64, hi: f64, columns: f64) -> Vec<(f64, f64)> {
    /// A point and its place in the line.
    type Numbered = (usize, (f64, f64));
    /// A column, and its first, lowest, highest and last points.
    type Column = Option<(i64, [Numbered; 4])>;
    let mut out = Vec::new();
    let mut run: Column = None;
    let flush = |run: &mut Column, out: &mut Vec<(f64, f64)>| {
        if let Some((_, mut kept)) = run.take() {
            // In their order along the line: an insertion sort of four (a
            // `sort_by_key` here compiled its own copy of the stable sort).
            for i in 1..kept.len() {
                let mut j = i;
                while j > 0 && kept[j - 1].0 > kept[j].0 {
                    kept.swap(j - 1, j);
                    j -= 1;
                }
            }
            for (i, k) in kept.iter().enumerate() {
                if i == 0 || k.0 != kept[i - 1].0 {
                    out.push(k.1);
                }
            }
        }
    };
    for (n, (x, y)) in points.into_iter().enumerate() {
        if !x.is_finite() || y.is_nan() {
            flush(&mut run, &mut out);
            out.push((x, y));
            continue;
        }
        let column = (x.clamp(lo - 1.0, hi + 1.0) * columns).floor() as i64;
        match &mut run {
            Some((c, kept)) if *c == column => {
                if y < kept[1].1.1 {
                    kept[1] = (n, (x, y));
                }
                if y > kept[2].1.1 {
                    kept[2] = (n, (x, y));
                }
                kept[3] = (n, (x, y));
            }
            _ => {
                flush(&mut run, &mut out);
                run = Some((column, [(n, (x, y)); 4]));
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

/// A per-epoch series as a chart draws it, made once when the series
/// changes rather than at every draw: at most `4 × columns` of its points
/// (`x` the epoch, from 1), each run of epochs keeping its first, lowest,
/// highest and last ([`thin_polyline`]; a series no longer than `columns`
/// is kept whole), and the range of its positive finite values.
#[derive(Clone, Debug, PartialEq)]
pub struct Outline {
    /// The series' length.
    pub epochs: usize,
    pub points: Vec<(f64, f64)>,
    /// The smallest positive finite value and the largest, if any.
    pub range: Option<(f64, f64)>,
}

impl Outline {
    pub fn of(values: &[f64], columns: usize) -> Outline {
        let per_epoch = (columns.max(1) as f64 / values.len().max(1) as f64).min(1.0);
        let points = values.iter().enumerate().map(|(e, &v)| ((e + 1) as f64, v));
        let points = thin_polyline(points, 1.0, values.len() as f64, per_epoch);
        let range = values
            .iter()
            .filter(|v| v.is_finite() && **v > 0.0)
            .fold(None, |r: Option<(f64, f64)>, &v| Some(r.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v)))));
        Outline { epochs: values.len(), points, range }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long plan's outline keeps every extreme, in order, within its
    /// budget; a short one is kept whole; the range is the whole series'.
    #[test]
    fn an_outline_keeps_the_extremes_of_a_long_series() {
        let short: Vec<f64> = (0..300).map(|e| 0.1 * (e as f64 * 0.1).cos().abs()).collect();
        let o = Outline::of(&short, 2048);
        assert_eq!(o.points, short.iter().enumerate().map(|(e, &v)| ((e + 1) as f64, v)).collect::<Vec<_>>());
        // 100 000 epochs of a cyclic plan with one spike and one zero.
        let mut long: Vec<f64> = (0..100_000).map(|e| 0.01 + 0.09 * ((e % 2000) as f64 / 2000.0)).collect();
        long[54_321] = 5.0;
        long[77_777] = 0.0;
        let o = Outline::of(&long, 2048);
        assert!(o.points.len() <= 4 * 2048 + 8, "{} points", o.points.len());
        assert!(o.points.windows(2).all(|w| w[0].0 < w[1].0), "in order");
        for (x, y) in [(54_322.0, 5.0), (77_778.0, 0.0), (1.0, long[0]), (100_000.0, long[99_999])] {
            assert!(o.points.contains(&(x, y)), "({x}, {y}) kept");
        }
        let positive = long.iter().copied().filter(|&v| v > 0.0);
        assert_eq!(o.range, Some((positive.clone().fold(f64::MAX, f64::min), 5.0)));
        assert_eq!(Outline::of(&[], 2048), Outline { epochs: 0, points: Vec::new(), range: None });
    }

    #[test]
    fn learning_rates_print_short() {
        for (lr, text) in
            [(0.1, "0.1"), (3e-4, "0.0003"), (1e-5, "0.00001"), (0.123456, "0.123"), (10.0, "10"), (2.5e-7, "2.5e-7")]
        {
            assert_eq!(format_lr(lr), text, "{lr}");
        }
    }

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
    #[test]
    fn linear_ticks_are_round_and_inside_the_range() {
        let s = Scale::linear(0.0, 0.83);
        let t = s.ticks(6);
        assert_eq!(t, vec![0.0, 0.2, 0.4, 0.6, 0.8]);
        assert_eq!(s.label(0.4, &t), "0.4");
        let s = Scale::linear(-3.0, 247.0);
        let t = s.ticks(6);
        assert_eq!(t, vec![0.0, 50.0, 100.0, 150.0, 200.0]);
        assert_eq!(s.label(150.0, &t), "150");
        let t = Scale::linear(0.912, 0.987).ticks(5);
        assert!(t.len() >= 3 && t.len() <= 6, "{t:?}");
        assert!(t.iter().all(|v| (0.912..=0.987).contains(v)), "{t:?}");
        assert_eq!(Scale::linear(0.912, 0.987).label(0.94, &t), "0.94");
    }

    #[test]
    fn log_ticks_are_decades_or_one_two_five() {
        let s = Scale::log(3e-6, 2.0);
        assert_eq!(s.ticks(8), vec![1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0]);
        assert_eq!(s.ticks(3), vec![1e-5, 1e-3, 1e-1]);
        assert_eq!(s.label(1e-4, &[]), "1e-4");
        assert_eq!(s.label(1.0, &[]), "1");
        let t = Scale::log(0.03, 0.9).ticks(6);
        assert_eq!(t.len(), 4, "{t:?}");
        assert!((t[0] - 0.05).abs() < 1e-12 && (t[3] - 0.5).abs() < 1e-12, "{t:?}");
    }

    #[test]
    fn a_narrow_log_range_marks_its_middle_too() {
        // A constant rate's chart: from the rate ÷ 1.5 to the rate × 1.5.
        assert_eq!(Scale::log(20.0, 45.0).ticks(5), vec![20.0, 30.0]);
        assert_eq!(Scale::log(2e-4, 4.5e-4).ticks(5), vec![2e-4, 3e-4]);
        assert_eq!(Scale::log(20.0, 45.0).label(30.0, &[20.0, 30.0]), "30");
        // Its middle is already a tick: nothing added.
        assert_eq!(Scale::log(0.1 / 1.5, 0.15).ticks(5), vec![0.1]);
        // Wider ranges keep their ticks.
        assert_eq!(Scale::log(0.03, 0.9).ticks(6).len(), 4);
    }

    #[test]
    fn scales_map_and_invert() {
        for s in [Scale::linear(-2.0, 6.0), Scale::log(1e-4, 10.0)] {
            assert!((s.unit(s.lo)).abs() < 1e-12 && (s.unit(s.hi) - 1.0).abs() < 1e-12);
            for u in [0.0, 0.25, 0.5, 0.9] {
                assert!((s.unit(s.value(u)) - u).abs() < 1e-9);
            }
        }
        assert!((Scale::log(1e-4, 1.0).unit(1e-2) - 0.5).abs() < 1e-12);
        // Degenerate ranges are widened, never divide by zero.
        for s in [Scale::linear(1.0, 1.0), Scale::linear(f64::NAN, 2.0), Scale::log(0.0, 0.0), Scale::log(5.0, 5.0)] {
            assert!(s.hi > s.lo && s.unit(s.value(0.5)).is_finite(), "{s:?}");
        }
    }

    #[test]
    fn nearest_picks_the_closest_finite_value() {
        let xs = [1.0, 2.0, f64::NAN, 4.0];
        assert_eq!(nearest(xs.into_iter(), 2.4), Some(1));
        assert_eq!(nearest(xs.into_iter(), 3.6), Some(3));
        assert_eq!(nearest(core::iter::empty(), 1.0), None);
    }

    #[test]
    fn summaries_have_two_significant_digits() {
        assert_eq!(format_short(8.701e-4), "8.7e-4");
        assert_eq!(format_short(0.01451), "0.015");
        assert_eq!(format_short(0.001580), "1.6e-3");
        assert_eq!(format_short(0.25), "0.25");
        assert_eq!(format_short(1.326), "1.3");
        assert_eq!(format_short(9.96), "10");
        assert_eq!(format_short(80.79), "81");
        assert_eq!(format_short(3.044), "3.0");
        assert_eq!(format_short(0.0), "0");
        assert_eq!(format_short(-0.5), "-0.50");
        assert_eq!(format_short(12_345.0), "1.2e4");
        assert_eq!(format_short(f64::INFINITY), "—");
    }

    #[test]
    fn a_short_range_writes_both_ends_in_one_form() {
        assert_eq!(format_short_range(8.701e-4, 0.01451), "8.7e-4 to 1.5e-2");
        assert_eq!(format_short_range(0.001580, 0.002), "1.6e-3 to 2.0e-3");
        assert_eq!(format_short_range(0.25, 1.326), "0.25–1.3");
        assert_eq!(format_short_range(0.0, 0.02), "0–0.020");
        assert_eq!(format_short_range(0.0, 5e-4), "0 to 5.0e-4");
        assert_eq!(format_short_range(0.01449, 0.01451), "0.014–0.015");
        assert_eq!(format_short_range(0.01501, 0.01504), "0.015");
        assert_eq!(format_short_range(3e-4, 3e-4), "3.0e-4");
    }

    #[test]
    fn read_out_values_have_four_significant_digits() {
        assert_eq!(format_value(0.543219), "0.5432");
        assert_eq!(format_value(12.3456), "12.35");
        assert_eq!(format_value(9.99996), "10.00");
        assert_eq!(format_value(0.0), "0");
        assert_eq!(format_value(-0.0), "0");
        assert_eq!(format_value(3e-5), "3.000e-5");
        assert_eq!(format_value(f64::NAN), "—");
    }

    /// The best last, and of equal best scores the first trial (the one the
    /// table calls best); the others worst first, ties in trial order; NaN
    /// and infinite scores (failed trials) left out.
    #[test]
    fn worst_first_puts_the_first_of_the_best_last() {
        let scores = [0.5, 0.9, f64::NAN, 0.2, 0.9, 0.9, f64::NEG_INFINITY, 0.5];
        assert_eq!(worst_first(scores.into_iter(), |v| v), vec![3, 0, 7, 4, 5, 1]);
        // Lower is better: goodness reversed, the lowest first of its ties.
        assert_eq!(worst_first(scores.into_iter(), |v| -v), vec![1, 4, 5, 0, 7, 3]);
        assert_eq!(worst_first([0.3].into_iter(), |v| v), vec![0]);
        assert!(worst_first([f64::NAN].into_iter(), |v| v).is_empty());
    }

    /// A line denser than the pixels keeps each column's first, lowest,
    /// highest and last points in order; a sparse one comes back whole;
    /// breaks stay; points outside the area collapse to its edges.
    #[test]
    fn thin_polyline_keeps_each_columns_ink_and_drops_the_rest() {
        // 100 000 points of a fast wave over 500 pixels.
        let wave: Vec<(f64, f64)> = (0..100_000).map(|i| (i as f64 / 200.0, (i as f64 * 0.37).sin())).collect();
        let thin = thin_polyline(wave.iter().copied(), 0.0, 500.0, 1.0);
        assert!(thin.len() <= 4 * 501, "{} points", thin.len());
        let envelope = |pts: &[(f64, f64)], col: usize| {
            let ys = pts.iter().filter(|p| p.0.floor() as usize == col).map(|p| p.1);
            ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)))
        };
        for col in [0, 1, 137, 499] {
            assert_eq!(envelope(&thin, col), envelope(&wave, col), "column {col}");
        }
        assert!(thin.windows(2).all(|w| w[0].0 <= w[1].0), "in order");
        assert_eq!((thin[0], *thin.last().unwrap()), (wave[0], *wave.last().unwrap()), "the ends kept");
        // Sparse: unchanged, breaks and all.
        let sparse = vec![(0.5, 1.0), (3.2, 2.0), (f64::NAN, f64::NAN), (7.9, -1.0), (12.0, 0.0)];
        let back = thin_polyline(sparse.iter().copied(), 0.0, 20.0, 1.0);
        assert_eq!(format!("{back:?}"), format!("{sparse:?}"));
        // Far outside the area: the edge columns only (two points each side here).
        let wide: Vec<(f64, f64)> = (-1000..=1000).map(|i| (i as f64, 0.0)).collect();
        let kept = thin_polyline(wide.iter().copied(), 0.0, 10.0, 1.0);
        assert_eq!(kept.len(), 2 + 11 + 2, "{kept:?}");
        assert_eq!((kept[0].0, kept[1].0, kept[13].0, kept[14].0), (-1000.0, -1.0, 11.0, 1000.0));
        // Two columns a pixel: twice the points of a dense line.
        assert!(thin_polyline(wave.iter().copied(), 0.0, 500.0, 2.0).len() > thin.len());
        // An infinite y is an extreme of its column; a NaN y or an infinite x breaks the line.
        let spikes: Vec<(f64, f64)> =
            (0..40).map(|i| (i as f64 / 10.0, [0.0, f64::INFINITY, 1.0, f64::NEG_INFINITY][i % 4])).collect();
        let kept = thin_polyline(spikes.iter().copied(), 0.0, 4.0, 1.0);
        for col in 0..4 {
            let ys: Vec<f64> = kept.iter().filter(|p| p.0.floor() as usize == col).map(|p| p.1).collect();
            assert!(
                ys.len() <= 4 && ys.contains(&f64::INFINITY) && ys.contains(&f64::NEG_INFINITY),
                "column {col}: {ys:?}"
            );
        }
        let broken = [(0.1, 1.0), (0.2, f64::NAN), (0.3, 2.0), (f64::INFINITY, 0.0), (0.4, 3.0), (0.5, 0.5)];
        let back = thin_polyline(broken.iter().copied(), 0.0, 4.0, 1.0);
        assert_eq!(format!("{back:?}"), format!("{broken:?}"));
    }
}
