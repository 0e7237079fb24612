// Starts the training worker: loads wasm-bindgen's glue (worker.js, built by
// Trunk from the `worker` bin) and instantiates its module, which runs `main`.
importScripts('./worker.js');
wasm_bindgen({ module_or_path: './worker_bg.wasm' });
