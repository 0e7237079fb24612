//! One hyperparameter of a configuration, reached by the engine's own name
//! for it (`momentum`, `min_lr`), to read or write as a number. The names are
//! the Rust fields'; what a link calls them is `experiment::keys`' business.

/// A numeric hyperparameter, borrowed from its configuration.
#[derive(Debug)]
pub enum Field<'a> {
    Real(&'a mut f64),
    /// A whole number (epochs, steps, periods).
    Count(&'a mut usize),
    Flag(&'a mut bool),
}

impl Field<'_> {
    /// The value as a number (a flag is 0 or 1).
    pub fn get(&self) -> f64 {
        match self {
            Field::Real(v) => **v,
            Field::Count(v) => **v as f64,
            Field::Flag(v) => f64::from(u8::from(**v)),
        }
    }

    /// Writes `v`. A count that is not a whole number ≥ 0 becomes 0, which
    /// the configuration's validation then names; a huge one saturates (and
    /// is named too). A flag is set by any non-zero value.
    pub fn set(self, v: f64) {
        match self {
            Field::Real(slot) => *slot = v,
            Field::Count(slot) => *slot = if v.is_finite() && v >= 0.0 && v.fract() == 0.0 { v as usize } else { 0 },
            Field::Flag(slot) => *slot = v != 0.0,
        }
    }
}
