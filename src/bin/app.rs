//! Entry point of the web page (wasm32, built by Trunk).

#[cfg(target_arch = "wasm32")]
fn main() {
    hyperlab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the HyperLab page runs in the browser: build and serve it with `make serve`");
    std::process::exit(2);
}
