//! Hyperparameter search: the space ([`space`]), one ask/tell interface over
//! every method ([`study`], a file per method), and the Gaussian process
//! behind Bayesian optimization ([`gp`]). Pure: the objective (training a network)
//! is the caller's, so the methods are tested on known functions.

pub mod analysis;
pub mod comparison;
pub mod gp;
pub mod space;
pub mod study;

pub use space::{Config, Domain, Param, Space, Value};
pub use study::{Ask, Bayes, Genetic, Method, Study, Tpe, Trial, TrialState};
