//! The search space: which hyperparameters to tune, each with its range and
//! distribution, and the mappings the methods need — sampling, a grid, and
//! an encoding into the unit cube (log-scaled where the range is, one-hot
//! for choices) for the genetic operators and the Gaussian process.

use libm::{exp, log as ln};

use crate::engine::rng::Rng;

/// How one hyperparameter's values are distributed.
#[derive(Clone, Debug, PartialEq)]
pub enum Domain {
    /// Real, uniform on `[lo, hi]`.
    Uniform { lo: f64, hi: f64 },
    /// Real, uniform in `ln` on `[lo, hi]` (`lo > 0`): learning rates, weight decay.
    LogUniform { lo: f64, hi: f64 },
    /// Integer in `lo..=hi`, uniform (or uniform in `ln` when `log`).
    Int { lo: i64, hi: i64, log: bool },
    /// One of these (URL values such as `adam`, `16-16`, `relu`).
    Choice(Vec<String>),
}

/// One tuned hyperparameter: its URL key (the search changes an experiment
/// through the same keys a link uses), domain and grid resolution.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub key: String,
    pub domain: Domain,
    /// Values per axis on a grid (choices always use all of theirs).
    pub levels: usize,
}

/// A value of one hyperparameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Real(f64),
    Int(i64),
    /// An index into the choices.
    Choice(usize),
}

/// One point of the space: a value per parameter, in the space's order.
pub type Config = Vec<Value>;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Space {
    pub params: Vec<Param>,
}

impl Domain {
    /// Checks the domain itself: finite, ordered bounds, positive for log, some choices.
    pub fn check(&self) -> Result<(), String> {
        match self {
            Domain::Uniform { lo, hi } if !(lo.is_finite() && hi.is_finite() && lo < hi) => {
                Err(format!("needs lo < hi, got {lo} and {hi}"))
            }
            Domain::LogUniform { lo, hi } if !(lo.is_finite() && hi.is_finite() && *lo > 0.0 && lo < hi) => {
                Err(format!("needs 0 < lo < hi on a log scale, got {lo} and {hi}"))
            }
            Domain::Int { lo, hi, log } if lo > hi || (*log && *lo < 1) => {
                Err(format!("needs lo ≤ hi{}, got {lo} and {hi}", if *log { " and lo ≥ 1 on a log scale" } else { "" }))
            }
            Domain::Choice(c) if c.is_empty() => Err("needs at least one choice".into()),
            _ => Ok(()),
        }
    }

    /// Columns of the unit-cube encoding: one per number, one per choice.
    pub(crate) fn width(&self) -> usize {
        match self {
            Domain::Choice(c) => c.len(),
            _ => 1,
        }
    }

    /// Where a number falls in `[0, 1]` (in `ln` for log domains).
    fn to_unit(&self, v: f64) -> f64 {
        let (lo, hi, log) = match *self {
            Domain::Uniform { lo, hi } => (lo, hi, false),
            Domain::LogUniform { lo, hi } => (lo, hi, true),
            // An integer owns the half-units around it; on a log scale from at least ½ (as `at_unit`).
            Domain::Int { lo, hi, log } => {
                ((lo as f64 - 0.5).max(if log { 0.5 } else { f64::MIN }), hi as f64 + 0.5, log)
            }
            Domain::Choice(_) => return 0.0,
        };
        let u = if log { (ln(v.max(lo)) - ln(lo)) / (ln(hi) - ln(lo)) } else { (v - lo) / (hi - lo) };
        u.clamp(0.0, 1.0)
    }

    /// The number at `u ∈ [0, 1]` on the domain's continuous scale (an
    /// integer domain's half-units around its ends included; not rounded):
    /// where a chart puts `u`.
    pub fn value_at(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        let (lo, hi, log) = match *self {
            Domain::Uniform { lo, hi } => (lo, hi, false),
            Domain::LogUniform { lo, hi } => (lo, hi, true),
            Domain::Int { lo, hi, log } => {
                ((lo as f64 - 0.5).max(if log { 0.5 } else { f64::MIN }), hi as f64 + 0.5, log)
            }
            Domain::Choice(ref c) => return u * c.len() as f64,
        };
        if log { exp(ln(lo) + u * (ln(hi) - ln(lo))) } else { lo + u * (hi - lo) }
    }

    /// The number at `u ∈ [0, 1]` (the inverse of `to_unit`), rounded for integers.
    pub(crate) fn at_unit(&self, u: f64) -> Value {
        let u = u.clamp(0.0, 1.0);
        match *self {
            Domain::Uniform { lo, hi } => Value::Real(lo + u * (hi - lo)),
            Domain::LogUniform { lo, hi } => Value::Real(exp(ln(lo) + u * (ln(hi) - ln(lo))).clamp(lo, hi)),
            Domain::Int { lo, hi, log } => {
                let (a, b) = (lo as f64 - 0.5, hi as f64 + 0.5);
                let x = if log {
                    let a = a.max(0.5);
                    exp(ln(a) + u * (ln(b) - ln(a)))
                } else {
                    a + u * (b - a)
                };
                Value::Int((x.round() as i64).clamp(lo, hi))
            }
            Domain::Choice(_) => Value::Choice(0),
        }
    }
}

impl Space {
    pub fn check(&self) -> Result<(), String> {
        if self.params.is_empty() {
            return Err("the space has no hyperparameters".into());
        }
        let mut keys = std::collections::BTreeSet::new();
        for p in &self.params {
            p.domain.check().map_err(|e| format!("{}: {e}", p.key))?;
            if !keys.insert(p.key.as_str()) {
                return Err(format!("{}: listed twice", p.key));
            }
        }
        Ok(())
    }

    /// The dimension of the unit-cube encoding.
    pub fn width(&self) -> usize {
        self.params.iter().map(|p| p.domain.width()).sum()
    }

    /// A configuration drawn from every parameter's distribution.
    pub fn sample(&self, rng: &mut Rng) -> Config {
        self.params
            .iter()
            .map(|p| match &p.domain {
                Domain::Choice(c) => Value::Choice(rng.below(c.len())),
                d => d.at_unit(rng.uniform()),
            })
            .collect()
    }

    /// The unit-cube encoding: numbers in `[0, 1]` (log-scaled where the
    /// domain is), choices one-hot.
    pub fn encode(&self, config: &[Value]) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.width());
        for (p, v) in self.params.iter().zip(config) {
            match (&p.domain, *v) {
                (Domain::Choice(c), Value::Choice(i)) => {
                    out.extend((0..c.len()).map(|j| if j == i { 1.0 } else { 0.0 }))
                }
                (d, Value::Real(x)) => out.push(d.to_unit(x)),
                (d, Value::Int(n)) => out.push(d.to_unit(n as f64)),
                (d, Value::Choice(_)) => out.extend(std::iter::repeat_n(0.0, d.width())),
            }
        }
        out
    }

    /// One numeric parameter's value in `[0, 1]` (in `ln` for log domains).
    pub fn encode_param(&self, param: usize, value: Value) -> f64 {
        match value {
            Value::Real(x) => self.params[param].domain.to_unit(x),
            Value::Int(n) => self.params[param].domain.to_unit(n as f64),
            Value::Choice(_) => 0.0,
        }
    }

    /// The configuration nearest to a point of the cube: clamped, integers
    /// rounded, each choice the largest of its columns.
    pub fn decode(&self, u: &[f64]) -> Config {
        let mut at = 0;
        self.params
            .iter()
            .map(|p| {
                let w = p.domain.width();
                let cols = &u[at..(at + w).min(u.len())];
                at += w;
                match &p.domain {
                    Domain::Choice(_) => {
                        Value::Choice(cols.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map_or(0, |(i, _)| i))
                    }
                    d => d.at_unit(cols.first().copied().unwrap_or(0.0)),
                }
            })
            .collect()
    }

    /// Whether `config` is a point of the space (right kinds, within bounds).
    pub fn contains(&self, config: &[Value]) -> bool {
        config.len() == self.params.len()
            && self.params.iter().zip(config).all(|(p, v)| match (&p.domain, *v) {
                (Domain::Uniform { lo, hi } | Domain::LogUniform { lo, hi }, Value::Real(x)) => {
                    (*lo..=*hi).contains(&x)
                }
                (Domain::Int { lo, hi, .. }, Value::Int(n)) => (*lo..=*hi).contains(&n),
                (Domain::Choice(c), Value::Choice(i)) => i < c.len(),
                _ => false,
            })
    }

    /// The values of one parameter on the grid: `levels` evenly spaced (in
    /// `ln` for log domains), distinct integers, or every choice.
    pub fn axis(&self, param: usize) -> Vec<Value> {
        let p = &self.params[param];
        let n = p.levels.max(1);
        match &p.domain {
            Domain::Choice(c) => (0..c.len()).map(Value::Choice).collect(),
            Domain::Int { lo, hi, .. } if (hi - lo + 1) as usize <= n => (*lo..=*hi).map(Value::Int).collect(),
            d => {
                let mut out: Vec<Value> = Vec::new();
                for k in 0..n {
                    let u = if n == 1 { 0.5 } else { k as f64 / (n - 1) as f64 };
                    // Grid values are shown and put in links: six significant digits, exact ends.
                    let v = match d {
                        Domain::Uniform { lo, hi } => Value::Real(round6(lo + u * (hi - lo))),
                        Domain::LogUniform { lo, hi } => Value::Real(round6(exp(ln(*lo) + u * (ln(*hi) - ln(*lo))))),
                        Domain::Int { lo, hi, log } => {
                            let x = if *log {
                                exp(ln(*lo as f64) + u * (ln(*hi as f64) - ln(*lo as f64)))
                            } else {
                                *lo as f64 + u * (hi - lo) as f64
                            };
                            Value::Int((x.round() as i64).clamp(*lo, *hi))
                        }
                        Domain::Choice(_) => unreachable!("handled above"),
                    };
                    if !out.contains(&v) {
                        out.push(v);
                    }
                }
                out
            }
        }
    }

    /// How many points the full grid has (saturating): the combinatorial
    /// explosion, shown before anything runs.
    pub fn grid_size(&self) -> u64 {
        (0..self.params.len()).fold(1u64, |n, i| n.saturating_mul(self.axis(i).len() as u64))
    }

    /// The `index`-th point of the grid (mixed-radix, the last parameter fastest).
    pub fn grid_point(&self, mut index: u64) -> Config {
        let axes: Vec<Vec<Value>> = (0..self.params.len()).map(|i| self.axis(i)).collect();
        let mut config = vec![Value::Choice(0); axes.len()];
        for (i, axis) in axes.iter().enumerate().rev() {
            let n = axis.len() as u64;
            config[i] = axis[(index % n) as usize];
            index /= n;
        }
        config
    }

    /// The value of parameter `param` written as `text` (the inverse of
    /// [`Space::format`]); `None` if it is not one.
    pub fn parse_value(&self, param: usize, text: &str) -> Option<Value> {
        match &self.params.get(param)?.domain {
            Domain::Choice(c) => c.iter().position(|x| x == text).map(Value::Choice),
            Domain::Int { .. } => text.parse().ok().map(Value::Int),
            _ => text.parse().ok().filter(|x: &f64| x.is_finite()).map(Value::Real),
        }
    }

    /// A value as its URL text.
    pub fn format(&self, param: usize, value: Value) -> String {
        match (&self.params[param].domain, value) {
            (Domain::Choice(c), Value::Choice(i)) => c.get(i).cloned().unwrap_or_default(),
            (_, Value::Real(x)) => format_real(x),
            (_, Value::Int(n)) => n.to_string(),
            (_, Value::Choice(i)) => i.to_string(),
        }
    }
}

/// `x` to six significant digits (through its shortest text, so it prints cleanly).
fn round6(x: f64) -> f64 {
    format!("{x:.5e}").parse().unwrap_or(x)
}

/// A real for a URL or a table: six significant digits, no trailing zeros.
pub fn format_real(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = (5 - libm::floor(libm::log10(x.abs())) as i32).max(0) as usize;
    let s = format!("{x:.digits$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    if s.len() > 12 { format!("{x:.5e}") } else { s }
}
