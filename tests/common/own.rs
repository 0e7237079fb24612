// Shared by the tests of the user's data (tests/own_data.rs: the file
// read and the command line on it; tests/own_data_lab.rs: the data in
// links, searches, kept runs and the lab's views).
#![allow(dead_code)]

use hyperlab::engine::data::table::*;

/// Column `target` as the target, nothing left out, missing values refused.
pub fn select(target: usize) -> Selection {
    Selection { target, ignored: Vec::new(), missing: MissingRows::Refuse, task: TaskChoice::Auto }
}

/// Writes `text` to a file of its own and returns its path.
pub fn file(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("hyperlab-{}-{name}", std::process::id()));
    std::fs::write(&path, text).expect("written");
    path
}

/// Asserts that `hyperlab run` printed `spec`'s records as the library trains them, bit for bit.
pub fn printed_as_trained(out: &std::process::Output, spec: &hyperlab::experiment::ExperimentSpec) {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut trainer = spec.trainer().expect("valid");
    trainer.run_to_end();
    let expected: Vec<String> = trainer.records().iter().map(|r| r.csv_row(spec.metrics())).collect();
    let printed = String::from_utf8_lossy(&out.stdout);
    assert_eq!(printed.lines().skip(1).take(expected.len()).collect::<Vec<_>>(), expected);
}

/// Thirty rows of two features and two classes, `kept.csv`.
pub fn small_data() -> hyperlab::experiment::OwnData {
    let mut text = String::from("a,b,y\n");
    for i in 0..30 {
        text += &format!("{},{},{}\n", i % 7, (i * 3) % 11, i % 2);
    }
    let table = read_table(text.as_bytes(), ReadOptions::default()).expect("read");
    hyperlab::experiment::OwnData::from_table("kept.csv", &table, &select(2)).expect("data")
}
