// Starts the training worker: loads wasm-bindgen's glue (worker.js, built by
// Trunk from the `worker` bin) and instantiates its module, which runs `main`.
// The module's download starts first, so it overlaps the glue's.
const module = fetch('./worker_bg.wasm');
importScripts('./worker.js');
// A module that cannot load (a dropped connection) is thrown again outside the
// promise, where it becomes an error event on the page's `Worker`: the page
// then says so instead of waiting for the worker forever.
wasm_bindgen({ module_or_path: module }).catch((e) => setTimeout(() => { throw e; }));
