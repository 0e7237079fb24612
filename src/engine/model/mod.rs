//! Models: the multilayer perceptron, its activations, initializers and heads.

pub mod activation;
pub mod init;
mod kernel;
pub mod loss;
mod mlp;

pub use activation::Activation;
pub use init::Init;
pub use loss::{Head, RegressionLoss};
pub use mlp::{Mlp, MlpConfig, Workspace};
