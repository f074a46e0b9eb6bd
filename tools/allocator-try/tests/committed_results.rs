//! The table the chapter shows comes from the committed samples of a real run (rustfmt, a program
//! nobody here wrote), through the same `report` as a live run. A new run rewrites both files:
//! the command is in `results/README.md`.

use allocator_try::{from_csv, report};

const SAMPLES: &str = "tools/allocator-try/results/rustfmt-samples.csv";
const TABLE: &str = "tools/allocator-try/results/rustfmt.txt";

#[test]
fn the_committed_table_comes_from_the_committed_samples() {
    let root = book_harness::repo::root();
    let samples = std::fs::read_to_string(root.join(SAMPLES))
        .unwrap_or_else(|err| panic!("cannot read {SAMPLES}: {err}"));
    let samples = from_csv(&samples).unwrap_or_else(|err| panic!("{SAMPLES}: {err}"));
    let derived = report(&samples);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(root.join(TABLE), &derived)
            .unwrap_or_else(|err| panic!("cannot write {TABLE}: {err}"));
        return;
    }
    let committed = std::fs::read_to_string(root.join(TABLE))
        .unwrap_or_else(|err| panic!("cannot read {TABLE}: {err}"));
    assert_eq!(
        committed, derived,
        "{TABLE} is not what {SAMPLES} gives; run with BLESS=1 to rewrite it"
    );
}
