//! Stable sorts that share one copy of the standard library's sort.
//!
//! `slice::sort_by` is generic over the element and the comparison, so every
//! call site compiles its own copy of the sort (driftsort, several KB of
//! code each): 66 KB of the page's module and 71 KB of the worker's were
//! sort code (docs/PERFORMANCE.md, "Download"). These sort a permutation of
//! indices through one non-generic function instead, then apply it: the same
//! order as `slice::sort_by` (stable: equal elements keep their order), one
//! copy of the sort in each module. For the searches', charts' and tables'
//! sorts (thousands of elements at most); not for a training loop.

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, stably, as `v.sort_by(cmp)` does.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut order, &mut |i, j| cmp(&v[i], &v[j]));
    permute(v, &mut order);
}

/// Sorts `v` by `key`, stably, as `v.sort_by_key(key)` does.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// The one copy of the sort: indices, compared through `cmp`.
#[inline(never)]
fn sort_indices(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&i, &j| cmp(i, j));
}

/// Puts `v[order[k]]` at `k` for every `k`, following each cycle of the
/// permutation with swaps (`order` is used up: each entry becomes its index).
fn permute<T>(v: &mut [T], order: &mut [usize]) {
    for start in 0..v.len() {
        let mut j = start;
        loop {
            let k = std::mem::replace(&mut order[j], j);
            if k == start || k == j {
                break;
            }
            v.swap(j, k);
            j = k;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::Rng;

    #[test]
    fn gives_the_standard_stable_sort_order_ties_included() {
        let mut rng = Rng::new(11, 0);
        for n in [0, 1, 2, 3, 7, 20, 33, 100, 1000] {
            // Few distinct keys, so many ties: stability is what is checked.
            let v: Vec<(u32, usize)> = (0..n).map(|i| ((rng.uniform() * 5.0) as u32, i)).collect();
            let mut ours = v.clone();
            let mut want = v.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            want.sort_by_key(|t| t.0);
            assert_eq!(ours, want, "n = {n}");
            let mut by_key = v.clone();
            sort_by_key(&mut by_key, |t| std::cmp::Reverse(t.0));
            want.sort_by_key(|t| std::cmp::Reverse(t.0));
            assert_eq!(by_key, want, "n = {n}, by key");
        }
    }

    #[test]
    fn floats_sort_as_total_cmp_sorts_them() {
        let mut v = vec![3.0, f64::NAN, -0.0, 0.0, f64::NEG_INFINITY, 1.5, -2.0, f64::INFINITY];
        let mut want = v.clone();
        sort_by(&mut v, f64::total_cmp);
        want.sort_by(f64::total_cmp);
        assert_eq!(
            v.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            want.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
    }
}
