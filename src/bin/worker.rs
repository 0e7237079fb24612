//! Entry point of the training Web Worker (wasm32, built by Trunk).

#[cfg(target_arch = "wasm32")]
fn main() {
    hyperlab::worker::runner::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the HyperLab worker runs in the browser only");
    std::process::exit(2);
}
