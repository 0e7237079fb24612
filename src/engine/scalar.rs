//! The floating-point type the engine computes in.
//!
//! Training runs in `f32`; gradient checks run the *same* code in `f64`.
//! Every transcendental function goes through the `libm` crate, a portable
//! software implementation, so a native build and a wasm build produce
//! bit-identical results (the basic operations `+ - * / sqrt` are exactly
//! rounded IEEE 754 on both, and Rust never fuses them behind our back).

use core::fmt::Debug;
use core::ops::{Add, AddAssign, Div, Mul, MulAssign, Neg, Sub, SubAssign};

/// A real number type: implemented for `f32` and `f64`.
pub trait Real:
    Copy
    + Debug
    + Default
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + Send
    + Sync
    + 'static
{
    const ZERO: Self;
    const ONE: Self;

    fn from_f64(x: f64) -> Self;
    fn to_f64(self) -> f64;
    fn exp(self) -> Self;
    fn ln_1p(self) -> Self;
    fn ln(self) -> Self;
    fn tanh(self) -> Self;
    fn abs(self) -> Self;
    fn sqrt(self) -> Self;
    fn erf(self) -> Self;
    fn is_finite(self) -> bool;

    fn max(self, other: Self) -> Self {
        if self > other { self } else { other }
    }

    /// The logistic function, computed without overflow for large `|x|`.
    fn sigmoid(self) -> Self {
        if self >= Self::ZERO {
            Self::ONE / (Self::ONE + (-self).exp())
        } else {
            let e = self.exp();
            e / (Self::ONE + e)
        }
    }
}

impl Real for f32 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    fn from_f64(x: f64) -> Self {
        x as f32
    }
    fn to_f64(self) -> f64 {
        self as f64
    }
    fn exp(self) -> Self {
        libm::expf(self)
    }
    fn ln_1p(self) -> Self {
        libm::log1pf(self)
    }
    fn ln(self) -> Self {
        libm::logf(self)
    }
    fn tanh(self) -> Self {
        libm::tanhf(self)
    }
    fn abs(self) -> Self {
        f32::abs(self)
    }
    fn sqrt(self) -> Self {
        libm::sqrtf(self)
    }
    fn erf(self) -> Self {
        libm::erff(self)
    }
    fn is_finite(self) -> bool {
        f32::is_finite(self)
    }
}

impl Real for f64 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    fn from_f64(x: f64) -> Self {
        x
    }
    fn to_f64(self) -> f64 {
        self
    }
    fn exp(self) -> Self {
        libm::exp(self)
    }
    fn ln_1p(self) -> Self {
        libm::log1p(self)
    }
    fn ln(self) -> Self {
        libm::log(self)
    }
    fn tanh(self) -> Self {
        libm::tanh(self)
    }
    fn abs(self) -> Self {
        f64::abs(self)
    }
    fn sqrt(self) -> Self {
        libm::sqrt(self)
    }
    fn erf(self) -> Self {
        libm::erf(self)
    }
    fn is_finite(self) -> bool {
        f64::is_finite(self)
    }
}
