//! The engine must stay free of web crates, clocks and OS entropy, so it is
//! testable natively and every run is reproducible from its seed.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

const FORBIDDEN: [&str; 12] = [
    "web_sys",
    "js_sys",
    "wasm_bindgen",
    "yew",
    "plotters",
    "getrandom",
    "std::time",
    "Instant",
    "SystemTime",
    "thread_rng",
    "from_entropy",
    "OsRng",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn engine_and_experiment_use_no_web_crate_clock_or_entropy() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root.join("engine"), &mut files);
    rust_files(&root.join("experiment"), &mut files);
    assert!(files.len() >= 10, "found only {files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap();
            for word in FORBIDDEN {
                assert!(!code.contains(word), "{}:{}: uses `{word}`: {line}", file.display(), n + 1);
            }
        }
    }
}
