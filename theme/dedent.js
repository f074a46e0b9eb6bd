// Removes the indentation that every shown line of a code block shares. mdbook includes an
// anchored snippet with the indentation it has in its source file, so a snippet taken from inside
// a function or a module would otherwise start several columns in, and keep that indentation when
// you copy it. Hidden lines (mdbook's "boring" lines, shown with the eye button) lose the same
// amount where they have it, so they stay aligned with the rest when shown.
(function () {
    "use strict";
    const leading = (line) => line.length - line.trimStart().length;
    for (const code of document.querySelectorAll("main pre > code")) {
        const texts = [];
        const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            texts.push(node);
        }
        const shown = texts
            .filter((node) => !node.parentElement.closest(".boring"))
            .map((node) => node.nodeValue)
            .join("");
        const lines = shown.split("\n").filter((line) => line.trim() !== "");
        if (lines.length === 0) {
            continue;
        }
        const common = Math.min(...lines.map(leading));
        if (common === 0) {
            continue;
        }
        // Drop up to `common` spaces at the start of every line, across the highlighter's spans.
        let drop = common;
        for (const node of texts) {
            let out = "";
            for (const ch of node.nodeValue) {
                if (ch === "\n") {
                    drop = common;
                    out += ch;
                } else if (drop > 0 && ch === " ") {
                    drop -= 1;
                } else {
                    drop = 0;
                    out += ch;
                }
            }
            node.nodeValue = out;
        }
    }
})();
