//! Entry point of the study Web Worker (wasm32, built by Trunk): a search's
//! study and the exported scripts, apart from the training worker.

#[cfg(target_arch = "wasm32")]
fn main() {
    hyperlab::worker::coordinator::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the HyperLab study worker runs in the browser only");
    std::process::exit(2);
}
