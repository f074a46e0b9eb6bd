//! The book's repository and edit links. book.toml names no repository, so a local build shows no
//! link; the Pages workflow sets both from the repository it runs in, through mdbook's `MDBOOK_`
//! environment variables (`__` nests a key, `_` becomes `-`).

use std::path::Path;

fn read(path: &str) -> String {
    let path = book_harness::repo::root().join(path);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", Path::new(&path).display()))
}

/// The two `[output.html]` keys, and the variable that sets each at deploy time.
const KEYS: [(&str, &str); 2] = [
    (
        "git-repository-url",
        "MDBOOK_OUTPUT__HTML__GIT_REPOSITORY_URL",
    ),
    (
        "edit-url-template",
        "MDBOOK_OUTPUT__HTML__EDIT_URL_TEMPLATE",
    ),
];

#[test]
fn book_toml_names_no_repository_and_the_pages_workflow_sets_it_from_its_own() {
    let book: toml::Table = read("book.toml")
        .parse()
        .unwrap_or_else(|err| panic!("book.toml does not parse: {err}"));
    let html = book
        .get("output")
        .and_then(|output| output.get("html"))
        .and_then(toml::Value::as_table)
        .unwrap_or_else(|| panic!("book.toml has no [output.html] table"));
    let workflow = read(".github/workflows/pages.yml");
    for (key, variable) in KEYS {
        assert!(
            !html.contains_key(key),
            "book.toml sets output.html.{key} = {:?}; leave it out, so that a build without CI's \
             repository shows no link, and let .github/workflows/pages.yml set {variable}",
            html[key]
        );
        let line = workflow
            .lines()
            .find(|line| line.trim_start().starts_with(&format!("{variable}:")))
            .unwrap_or_else(|| {
                panic!(".github/workflows/pages.yml does not set {variable} for `mdbook build`")
            });
        assert!(
            line.contains("${{ github.server_url }}/${{ github.repository }}"),
            "expected {variable} to name the repository the workflow runs in \
             (`${{{{ github.server_url }}}}/${{{{ github.repository }}}}`); saw: {}",
            line.trim()
        );
    }
}
