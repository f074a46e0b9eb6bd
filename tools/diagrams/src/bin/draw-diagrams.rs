//! Writes `src/img/<name>.svg` for every `tools/diagrams/sources/<name>.diag`.
//! Run from the repository root: `cargo run -p book-diagrams --bin draw-diagrams`.

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = book_diagrams::source_dir(&root);
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "diag"))
        .collect();
    entries.sort();
    for path in entries {
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
        let diagram =
            book_diagrams::parse(&source).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        let stem = path.file_stem().expect("a .diag file has a stem");
        let out = root.join("src/img").join(stem).with_extension("svg");
        std::fs::write(&out, diagram.to_svg(&book_diagrams::title(&source)))
            .unwrap_or_else(|err| panic!("cannot write {}: {err}", out.display()));
        println!("wrote {}", out.display());
    }
}
