// Shapes the tests the book names, which it writes as
// <code title="path/from/the/root/file.rs::test_name">test_name</code>
// (tests/book_integrity/verified.rs checks that form; the title shows the file on hover):
//
// - a long name may wrap after an underscore, never inside a word, on a narrow screen;
// - when the book is published from a repository, the name links to its file there.
//
// book.toml names no repository, so a local build keeps the names as plain text. The Pages
// workflow sets output.html.git-repository-url, and mdbook then renders the "Git repository"
// button in the menu bar; its address, followed by /blob/HEAD/ and the file's path, is the file on
// the repository's default branch.
(function () {
    "use strict";
    const button = document.querySelector('a[aria-label="Git repository"]');
    const repository = button ? button.href.replace(/\/+$/, "") : null;
    const test = /^([\w./-]+\.rs)::(\w+)$/;
    for (const code of document.querySelectorAll("main code[title]")) {
        const named = test.exec(code.title);
        if (!named || code.textContent !== named[2]) {
            continue;
        }
        const words = named[2].split("_");
        code.replaceChildren();
        words.forEach((word, i) => {
            code.append(i + 1 < words.length ? `${word}_` : word);
            if (i + 1 < words.length) {
                code.append(document.createElement("wbr"));
            }
        });
        if (repository && !code.closest("a")) {
            const link = document.createElement("a");
            link.href = `${repository}/blob/HEAD/${named[1]}`;
            link.className = "test-link";
            code.replaceWith(link);
            link.appendChild(code);
        }
    }
})();
