//! The table and the plot the chapter shows come from the committed samples of a real run
//! (rustfmt, a program nobody here wrote), through the same `report` and `svg` as a live run. A
//! new run rewrites the samples and the plot: the command is in `results/README.md`.

use allocator_try::plot::svg;
use allocator_try::{from_csv, report};

const SAMPLES: &str = "tools/allocator-try/results/rustfmt-samples.csv";
const TABLE: &str = "tools/allocator-try/results/rustfmt.txt";
const PLOT: &str = "src/img/ch21-rustfmt.svg";

#[test]
fn the_committed_table_comes_from_the_committed_samples() {
    let root = book_harness::repo::root();
    let samples = std::fs::read_to_string(root.join(SAMPLES))
        .unwrap_or_else(|err| panic!("cannot read {SAMPLES}: {err}"));
    let samples = from_csv(&samples).unwrap_or_else(|err| panic!("{SAMPLES}: {err}"));
    for (file, derived) in [(TABLE, report(&samples)), (PLOT, svg(&samples))] {
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(root.join(file), &derived)
                .unwrap_or_else(|err| panic!("cannot write {file}: {err}"));
            continue;
        }
        let committed = std::fs::read_to_string(root.join(file))
            .unwrap_or_else(|err| panic!("cannot read {file}: {err}"));
        assert_eq!(
            committed, derived,
            "{file} is not what {SAMPLES} gives; run with BLESS=1 to rewrite it"
        );
    }
}
