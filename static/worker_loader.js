// Starts the training worker: loads wasm-bindgen's glue (worker.js, built by
// Trunk from the `worker` bin) and instantiates its module, which runs `main`.
// The module's download starts first, so it overlaps the glue's.
const module = fetch('./worker_bg.wasm');
importScripts('./worker.js');
wasm_bindgen({ module_or_path: module });
