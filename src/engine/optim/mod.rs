//! Optimizers. The learning rate is an argument of every step, so any
//! schedule, or a change made live during training, composes with any optimizer.

mod sgd;

pub use sgd::Sgd;
