// Starts a worker: loads wasm-bindgen's glue (built by Trunk) and instantiates
// its module, which runs `main`. A worker named "study" runs the `study` bin
// (a search's study, the exported scripts); any other, the `worker` bin (the
// training worker, and the search's pool). The module's download starts
// first, so it overlaps the glue's.
const bin = self.name === 'study' ? 'study' : 'worker';
const module = fetch(`./${bin}_bg.wasm`);
importScripts(`./${bin}.js`);
// A module that cannot load (a dropped connection) is thrown again outside the
// promise, where it becomes an error event on the page's `Worker`: the page
// then says so instead of waiting for the worker forever.
wasm_bindgen({ module_or_path: module }).catch((e) => setTimeout(() => { throw e; }));
