//! Models: the multilayer perceptron, its activations and losses.

pub mod activation;
pub mod loss;
mod mlp;

pub use activation::Activation;
pub use mlp::{Mlp, MlpConfig, Workspace};
