//! A user's CSV file (`hyperlab::engine::data::table`): every case the
//! lab names — delimiters, quotes, header or not, a byte-order mark,
//! decimal commas, missing values dropped or refused, text in a numeric
//! column, NaN and infinities, too many rows or columns, a binary file, an
//! unbalanced quote, a file too large — read or refused with its line and
//! column; tables written in every way read back to the same numbers; and
//! 10 000 generated files, hostile ones among them, read with no panic.
//! The command line trains on such a file (`--data-file`) exactly as on
//! the same data given to the library. (The data in links, searches, kept
//! runs and the lab's views: tests/own_data_lab.rs.)

mod common {
    pub mod own;
}

use common::own::*;
use hyperlab::engine::data::Task;
use hyperlab::engine::data::table::*;

/// A small deterministic generator (SplitMix64), so the files are the same on every run.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn read(text: &str) -> Result<Table, TableError> {
    read_table(text.as_bytes(), ReadOptions::default())
}

fn refused(text: &[u8]) -> TableError {
    read_table(text, ReadOptions::default()).expect_err("refused")
}

/// `n` rows of two features and a class, as CSV with `header`.
fn rows(n: usize) -> String {
    let mut s = String::from("x1,x2,label\n");
    for i in 0..n {
        s += &format!("{},{},{}\n", i as f64 * 0.5, -(i as f64), if i % 3 == 0 { "cat" } else { "dog" });
    }
    s
}

#[test]
fn a_good_file_becomes_the_data_the_lab_trains_on_with_its_classes_named() {
    let table = read(&rows(12)).expect("read");
    assert_eq!((table.delimiter, table.header, table.n_rows), (b',', true, 12));
    assert_eq!(table.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["x1", "x2", "label"]);
    assert_eq!(table.column("label"), Some(2));
    assert_eq!(table.column("1"), Some(0), "a column by number, from 1");
    let made = table.dataset(&select(2)).expect("a data set");
    assert_eq!(made.classes, ["cat", "dog"], "the classes in sorted order");
    assert_eq!(made.features, ["x1", "x2"]);
    assert_eq!(made.data.task, Task::Classification { n_classes: 2 });
    assert_eq!(made.data.n_features, 2);
    assert_eq!(&made.data.x[..4], &[0.0, 0.0, 0.5, -1.0]);
    assert_eq!(&made.data.y[..4], &[0.0, 1.0, 1.0, 0.0]);
    // A numeric target of whole numbers, few of them: classes; of fractions: regression.
    let numbers = "a,b\n".to_string() + &(0..12).map(|i| format!("{i},{}\n", i % 3)).collect::<String>();
    let t = read(&numbers).expect("read");
    assert!(t.looks_like_classes(1));
    assert_eq!(t.dataset(&select(1)).expect("data").classes, ["0", "1", "2"]);
    let real = "a,b\n".to_string() + &(0..12).map(|i| format!("{i},{}\n", i as f64 / 7.0)).collect::<String>();
    let made = read(&real).expect("read").dataset(&select(1)).expect("data");
    assert_eq!(made.data.task, Task::Regression);
    // … unless the user says otherwise.
    let t = read(&numbers).expect("read");
    let forced = t.dataset(&Selection { task: TaskChoice::Regression, ..select(1) }).expect("data");
    assert_eq!(forced.data.task, Task::Regression);
}

#[test]
fn delimiters_quotes_headers_and_marks_are_read_as_written() {
    let semi = read("a;b;c\n1,5;2;0\n3;4,25;1\n").expect("semicolons");
    assert_eq!(semi.delimiter, b';');
    assert_eq!(semi.columns[0].values, Values::Numbers(vec![1.5, 3.0]), "decimal commas with semicolons");
    assert_eq!(read("a\tb\tc\n1\t2\t3\n").expect("tabs").delimiter, b'\t');
    let quoted = read("\"name, full\",v,t\n\"x\"\"y\",1,2\n \"p\" ,3,4\n").expect("quoted");
    assert_eq!(quoted.columns[0].name, "name, full", "a delimiter inside quotes is text");
    assert_eq!(quoted.columns[0].values, Values::Text { levels: vec!["x\"y".into(), "p".into()], codes: vec![0, 1] });
    let multi = read("a,b\n\"two\nlines\",1\nx,2\n").expect("a quoted line break");
    assert_eq!(multi.lines, [2, 4], "each row's line in the file");
    let bom = read("\u{feff}x,y\r\n1,2\r\n3,4\r\n").expect("a BOM and CRLF");
    assert_eq!(bom.columns[0].name, "x");
    assert_eq!(bom.columns[1].values, Values::Numbers(vec![2.0, 4.0]));
    let bare = read("1,2,0\n3,4,1\n").expect("no header");
    assert!(!bare.header);
    assert_eq!(bare.columns[2].name, "column 3");
    let forced = read_table(b"1,2\n3,4\n", ReadOptions { header: Some(true), delimiter: None }).expect("read");
    assert_eq!(forced.columns[0].name, "1", "a header when the user says so");
    let blank = read("a,b\n\n1,2\n\n3,4\n\n").expect("blank lines");
    assert_eq!(blank.n_rows, 2);
}

#[test]
fn missing_values_are_found_and_dropped_or_refused_as_the_user_chooses() {
    let text = "a,b,y\n".to_string()
        + &(0..14)
            .map(|i| match i {
                3 => "1,,0\n".to_string(),
                7 => "NA,2,1\n".to_string(),
                _ => format!("{i},{i},{}\n", i % 2),
            })
            .collect::<String>();
    let t = read(&text).expect("read");
    assert_eq!((t.columns[0].missing, t.columns[1].missing), (1, 1));
    assert_eq!(t.columns[1].first_missing, Some(5));
    let e = t.dataset(&select(2)).expect_err("refused");
    assert_eq!((e.line, e.column), (Some(5), Some(2)), "{e}");
    assert!(e.message.contains("missing value in `b`"), "{e}");
    let dropped = t.dataset(&Selection { missing: MissingRows::Drop, ..select(2) }).expect("dropped");
    assert_eq!((dropped.dropped, dropped.data.len()), (2, 12));
}

#[test]
fn every_bad_file_is_refused_with_its_line_and_column() {
    // The file, the line and column named, and what the message says.
    type Case = (Vec<u8>, Option<usize>, Option<usize>, &'static str);
    let cases: Vec<Case> = vec![
        (b"".to_vec(), None, None, "empty"),
        (b"\n\n".to_vec(), None, None, "empty"),
        (b"a\n1\n2\n".to_vec(), Some(1), None, "one column"),
        (b"a,b\n".to_vec(), None, None, "no rows"),
        (b"a,b\n1,2\nNaN,3\n".to_vec(), Some(3), Some(1), "`NaN` is not a number"),
        (b"a,b\n1,2\n4,-inf\n".to_vec(), Some(3), Some(2), "`-inf` is not a number"),
        (b"a,b\n1,1e400\n".to_vec(), Some(2), Some(2), "too large"),
        (b"a,b\n1,2\n3\n".to_vec(), Some(3), None, "1 field; the header has 2"),
        (b"a,b\n1,2\n\"3,4\n5,6\n".to_vec(), Some(3), Some(1), "never closed"),
        (b"a,b\n\"x\"y,1\n".to_vec(), Some(2), Some(1), "after a closing quote"),
        (b"a,b\n1,\x00\x01\x02\n".to_vec(), Some(2), None, "not text"),
        (vec![0xFF, 0xFE, b'a', 0, b',', 0], Some(1), None, "UTF-16"),
        (b"a,b\n1,\xC3\x28\n".to_vec(), Some(2), Some(2), "not UTF-8"),
        ([b"a,".as_slice(), &[b'x'; 300], b"\n"].concat(), Some(1), Some(2), "longer than 200"),
    ];
    for (bytes, line, column, says) in cases {
        let e = refused(&bytes);
        assert!(e.message.contains(says), "{:?}: {e}", String::from_utf8_lossy(&bytes));
        assert_eq!((e.line, e.column), (line, column), "{:?}: {e}", String::from_utf8_lossy(&bytes));
    }
    // Text in a feature column: named by its first text, when the data set is made.
    let text = "a,b,y\n".to_string()
        + &(0..12)
            .map(|i| if i == 4 { "1,red,0\n".into() } else { format!("{i},{i},{}\n", i % 2) })
            .collect::<String>();
    let e = read(&text).expect("read").dataset(&select(2)).expect_err("refused");
    assert_eq!((e.line, e.column), (Some(6), Some(2)));
    assert!(e.message.contains("column `b` holds text (`red`)"), "{e}");
    let kept = read(&text).expect("read").dataset(&Selection { ignored: vec![1], ..select(2) }).expect("left out");
    assert_eq!(kept.features, ["a"]);
    // Too few rows, one class, too many classes.
    assert!(
        read("a,b\n1,0\n2,1\n").expect("read").dataset(&select(1)).expect_err("few").message.contains("at least 10")
    );
    let one = "a,b\n".to_string() + &(0..12).map(|i| format!("{i},same\n")).collect::<String>();
    assert!(read(&one).expect("read").dataset(&select(1)).expect_err("one").message.contains("one class"));
    let many = "a,b\n".to_string() + &(0..150).map(|i| format!("{i},c{i}\n")).collect::<String>();
    assert!(read(&many).expect("read").dataset(&select(1)).expect_err("many").message.contains("at most 100"));
    // A column of ids: past 200 distinct values it keeps no more (memory stays bounded), and is no target.
    let ids = "a,id\n".to_string() + &(0..5000).map(|i| format!("{i},id{i}\n")).collect::<String>();
    let t = read(&ids).expect("read");
    let Values::Text { levels, codes } = &t.columns[1].values else { panic!("text") };
    assert_eq!((levels.len(), codes.len()), (MAX_LEVELS, 5000));
    assert_eq!(codes[4999], MANY);
    let e = t.dataset(&select(1)).expect_err("no target");
    assert!(e.message.contains("over 200 distinct values"), "{e}");
    assert!(
        t.dataset(&Selection { ignored: vec![1], ..select(0) }).is_err(),
        "a lone column of numbers left: no feature"
    );
    // A column of numbers that turns to text keeps its numbers as text.
    let mixed = read("a,b\n1,2\n3,x\n").expect("read");
    assert_eq!(mixed.columns[1].values, Values::Text { levels: vec!["2".into(), "x".into()], codes: vec![0, 1] });
}

#[test]
fn the_limits_are_stated_and_enforced_early() {
    // Too many rows: refused at the first row past the limit, not after reading the rest.
    let mut reader = TableReader::default();
    reader.push(b"a,b\n").expect("header");
    let row = b"1,2\n".repeat(MAX_ROWS + 1);
    let e = reader.push(&row).expect_err("too many rows");
    assert_eq!(e.line, Some(MAX_ROWS + 2));
    assert!(e.message.contains("200000 rows"), "{e}");
    // Too many columns.
    let wide = (0..MAX_COLUMNS + 1).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",") + "\n";
    assert!(refused(wide.as_bytes()).message.contains("more than 1000 columns"));
    // Too many values in all.
    let cols = 100;
    let mut big = TableReader::default();
    big.push(((0..cols).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",") + "\n").as_bytes()).expect("header");
    let line = vec!["1"; cols].join(",") + "\n";
    let e = big.push(line.repeat(MAX_CELLS / cols + 1).as_bytes()).expect_err("too many values");
    assert!(e.message.contains("more than 4000000 values"), "{e}");
    // A 50 MB file: refused by its size before a byte is read, and a reader fed pieces stops at the limit.
    assert!(
        TableReader::check_size(50_000_000).expect_err("large").message.contains("the lab reads files up to 20 MB")
    );
    let mut pieces = TableReader::default();
    let piece = vec![b'1'; 1024 * 1024];
    let mut fed = 0;
    let e = loop {
        match pieces.push(&piece) {
            Ok(()) => fed += 1,
            Err(e) => break e,
        }
        assert!(fed < 30, "refused within the limit");
    };
    assert!(fed <= 20, "{fed} MB read before the refusal");
    assert!(!e.message.is_empty());
}

/// A table of `rows × cols` numbers and the CSV that writes it: a random
/// delimiter, header or not, fields quoted or padded at random, CRLF or LF.
fn written(g: &mut Gen, rows: usize, cols: usize) -> (Vec<Vec<f64>>, String, u8, bool) {
    let delimiter = [b',', b';', b'\t'][g.below(3)];
    let header = g.below(2) == 0;
    let eol = if g.below(2) == 0 { "\r\n" } else { "\n" };
    let values: Vec<Vec<f64>> = (0..rows)
        .map(|_| (0..cols).map(|_| ((g.next() % 2_000_001) as f64 - 1_000_000.0) / 1000.0).collect())
        .collect();
    let d = delimiter as char;
    let mut s = String::new();
    if header {
        s += &(0..cols)
            .map(|c| if g.below(3) == 0 { format!("\"col {c}\"") } else { format!("col{c}") })
            .collect::<Vec<_>>()
            .join(&d.to_string());
        s += eol;
    }
    for row in &values {
        let fields: Vec<String> = row
            .iter()
            .map(|v| {
                let text = if delimiter == b';' && g.below(2) == 0 {
                    format!("{v}").replace('.', ",")
                } else {
                    format!("{v}")
                };
                match g.below(4) {
                    0 => format!("\"{text}\""),
                    1 => format!(" {text} "),
                    _ => text,
                }
            })
            .collect();
        s += &fields.join(&d.to_string());
        s += eol;
    }
    (values, s, delimiter, header)
}

#[test]
fn tables_written_every_way_read_back_to_the_same_numbers() {
    let mut g = Gen(7);
    for case in 0..500 {
        let (rows, cols) = (2 + g.below(30), 2 + g.below(8));
        let (values, text, delimiter, header) = written(&mut g, rows, cols);
        let t = read(&text).unwrap_or_else(|e| panic!("case {case}: {e}\n{text}"));
        assert_eq!(
            (t.delimiter, t.header, t.n_rows, t.columns.len()),
            (delimiter, header, rows, cols),
            "case {case}:\n{text}"
        );
        for c in 0..cols {
            let expected: Vec<f64> = values.iter().map(|r| r[c]).collect();
            assert_eq!(t.columns[c].values, Values::Numbers(expected), "case {case}, column {c}:\n{text}");
        }
        // Read in pieces of any size: the same table.
        let mut reader = TableReader::default();
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let n = 1 + g.below(40);
            reader.push(&bytes[at..(at + n).min(bytes.len())]).expect("a piece");
            at += n;
        }
        assert_eq!(reader.finish().expect("read in pieces"), t, "case {case}");
    }
}

#[test]
fn ten_thousand_generated_files_are_read_or_refused_without_a_panic() {
    const ALPHABET: &[u8] = b"0123456789.,;\t\"\n\r -eE+NaInfxyz?\x00\xFF\xC3";
    let mut g = Gen(2026);
    let (mut read_ok, mut refused_ok) = (0, 0);
    for case in 0..10_000 {
        let bytes: Vec<u8> = match case % 4 {
            // Bytes from a CSV-like alphabet.
            0 | 1 => (0..g.below(400)).map(|_| ALPHABET[g.below(ALPHABET.len())]).collect(),
            // A good table, damaged at a few places.
            2 => {
                let (rows, cols) = (1 + g.below(20), 1 + g.below(6));
                let (_, text, _, _) = written(&mut g, rows, cols);
                let mut b = text.into_bytes();
                for _ in 0..1 + g.below(4) {
                    if !b.is_empty() {
                        let at = g.below(b.len());
                        b[at] = ALPHABET[g.below(ALPHABET.len())];
                    }
                }
                b
            }
            // Any bytes at all.
            _ => (0..g.below(300)).map(|_| g.next() as u8).collect(),
        };
        let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
        match read_table(&bytes, ReadOptions::default()) {
            Ok(t) => {
                read_ok += 1;
                assert!(t.columns.len() >= 2 && t.n_rows >= 1);
                assert!(t.columns.iter().all(|c| match &c.values {
                    Values::Numbers(v) => v.len() == t.n_rows,
                    Values::Text { codes, .. } => codes.len() == t.n_rows,
                }));
                for target in 0..t.columns.len() {
                    for task in [TaskChoice::Auto, TaskChoice::Classification, TaskChoice::Regression] {
                        for missing in [MissingRows::Drop, MissingRows::Refuse] {
                            let s = Selection { target, ignored: Vec::new(), missing, task };
                            if let Ok(d) = t.dataset(&s) {
                                assert_eq!(d.data.x.len(), d.data.len() * d.data.n_features);
                                assert!(d.data.x.iter().chain(&d.data.y).all(|v| v.is_finite()));
                            }
                        }
                    }
                }
            }
            Err(e) => {
                refused_ok += 1;
                assert!(!e.message.is_empty());
                assert!(e.line.is_none_or(|l| l >= 1 && l <= lines), "case {case}: line {:?} of {lines}", e.line);
            }
        }
    }
    assert!(read_ok > 500 && refused_ok > 500, "both kinds tried: {read_ok} read, {refused_ok} refused");
}

#[test]
fn the_command_line_trains_on_a_file_as_the_library_does_and_names_what_it_refuses() {
    let bin = env!("CARGO_BIN_EXE_hyperlab");
    let mut g = Gen(11);
    // Two classes of points in three columns, a text target, a missing value.
    let mut text = String::from("a;b;c;kind\n");
    for i in 0..80 {
        let class = i % 2;
        let x = (g.below(1000) as f64) / 500.0 - 1.0 + class as f64;
        let c = if i == 9 { String::new() } else { format!("{}", g.below(10)) };
        text += &format!(
            "{};{};{c};{}\n",
            format!("{x:.3}").replace('.', ","),
            g.below(7),
            if class == 0 { "no" } else { "yes" }
        );
    }
    let path = file("kinds.csv", &text);
    let run = |args: &[&str]| std::process::Command::new(bin).args(args).output().expect("runs");
    let p = path.to_str().expect("a path");
    let out = run(&["run", "--data-file", p, "--target", "kind", "--missing", "drop", "ep=12&opt=adam&lr=0.02"]);
    // The same data through the library: the same numbers, bit for bit.
    let table = read_table(text.as_bytes(), ReadOptions::default()).expect("read");
    let selection = Selection { missing: MissingRows::Drop, ..select(3) };
    let made = table.dataset(&selection).expect("data");
    assert_eq!((made.dropped, made.classes.clone()), (1, vec!["no".to_string(), "yes".to_string()]));
    let own = hyperlab::experiment::OwnData::from_table("kinds.csv", &table, &selection).expect("data");
    let spec = hyperlab::experiment::from_query("ep=12&opt=adam&lr=0.02").0.with_own_data(own);
    assert_eq!(spec.data.n_inputs(), 3);
    assert!(spec.features().standardize, "real data is standardised by default, as the bundled sets");
    printed_as_trained(&out, &spec);
    // What it refuses, by name, with the line and column; status 2.
    for (args, says) in [
        (vec!["run", "--data-file", p, "--target", "kind"], "line 11, column 3: a missing value in `c`"),
        (vec!["run", "--data-file", p, "--target", "size"], "argument `--target`: no column `size`"),
        (vec!["run", "--data-file", p], "argument `--target`: which column is the target?"),
        (vec!["run", "--target", "kind"], "argument `--target` needs `--data-file`"),
        (
            vec!["run", "--data-file", "/no/such/file.csv", "--target", "kind"],
            "argument `--data-file`: `/no/such/file.csv`",
        ),
        (
            vec!["run", "--data-file", p, "--target", "kind", "--missing", "drop", "--task", "regression"],
            "a regression needs numbers",
        ),
        (vec!["run", "--data-file", p, "--target", "kind", "--missing", "maybe"], "argument `--missing`: `maybe`"),
        (
            vec!["plot", "--data-file", p, "--target", "kind", "search=random&space=lr:log:0.01:1"],
            "a search's and the kept runs' charts",
        ),
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    // `inspect`: what the lab reads in the file.
    let out = run(&["inspect", p, "--target", "kind", "--missing", "drop"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8(out.stdout).expect("text");
    for line in [
        "80 rows, 4 columns, semicolon-separated, with a header",
        "3. c: numbers, 1 missing (first at line 11)",
        "4. kind: text, 2 distinct",
        "target: classification, 2 classes: no, yes; 79 examples of 3 features",
    ] {
        assert!(said.contains(line), "`{line}` in:\n{said}");
    }
    let _ = std::fs::remove_file(&path);
}

/// The classes of a target are its distinct values in order — numbers as
/// numbers, −0 and 0 one class (named −0), texts alphabetically — and each
/// row's label is its value's place among them: what sorting every row's
/// value and removing repeats gives, checked against that on random files.
#[test]
fn a_targets_classes_are_its_distinct_values_in_order() {
    let numbers = ["-0", "0", "2", "-1", "0.5", "3", "1e3", "-2.25"];
    let words = ["pear", "apple", "fig", "Banana", "kiwi", "apple2"];
    let s =
        Selection { target: 1, ignored: Vec::new(), missing: MissingRows::Refuse, task: TaskChoice::Classification };
    let mut g = Gen(11);
    for round in 0..40 {
        let n = 5 + g.below(300);
        let (pool, text_target): (Vec<&str>, bool) = if round % 2 == 0 {
            (numbers[..2 + g.below(numbers.len() - 1)].to_vec(), false)
        } else {
            (words[..2 + g.below(words.len() - 1)].to_vec(), true)
        };
        let mut csv = String::from("x,y\n");
        let mut values = Vec::new();
        for i in 0..n {
            let v = pool[g.below(pool.len())];
            values.push(v);
            csv += &format!("{i},{v}\n");
        }
        let t = read(&csv).expect("read");
        let (names, labels): (Vec<String>, Vec<f32>) = if text_target {
            let mut all: Vec<&str> = values.clone();
            all.sort();
            all.dedup();
            let labels = values.iter().map(|v| all.iter().position(|a| a == v).unwrap() as f32).collect();
            (all.iter().map(|a| a.to_string()).collect(), labels)
        } else {
            let parsed: Vec<f64> = values.iter().map(|v| v.parse().unwrap()).collect();
            let mut all = parsed.clone();
            all.sort_by(f64::total_cmp);
            all.dedup();
            let labels = parsed.iter().map(|v| all.iter().position(|a| a == v).unwrap() as f32).collect();
            (all.iter().map(|a| format!("{a}")).collect(), labels)
        };
        match t.dataset(&s) {
            Ok(made) => {
                assert_eq!(made.classes, names, "round {round}: {pool:?}");
                assert_eq!(made.data.y, labels, "round {round}");
            }
            Err(e) => assert!(names.len() < 2, "round {round}: refused ({e}) with classes {names:?}"),
        }
    }
    // Past the most classes, the message counts every distinct value.
    let mut csv = String::from("x,y\n");
    for i in 0..300 {
        csv += &format!("{i},{}\n", i % 150);
    }
    let e = read(&csv).expect("read").dataset(&s).expect_err("too many classes");
    assert!(e.to_string().contains("has 150 distinct values"), "{e}");
}
