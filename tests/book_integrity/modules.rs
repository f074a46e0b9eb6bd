//! Each crate's module graph, from its source files alone: which module file imports which. A
//! module file imports another when it names it through a path that starts with `crate::`,
//! `$crate::`, `super::` or `self::` (in a `use` tree or anywhere in the code). Paths that start
//! with a child module's bare name are not counted: a parent declares its children, so counting
//! them would make every `use super::...` in a child a cycle.
//!
//! Nodes are module files (`src/lib.rs`, `src/report.rs`, `src/workloads/mod.rs`); a module
//! written inline (`mod tests { ... }`) belongs to its file, so `use super::*` inside it is an
//! edge from the file to itself, which is no cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

/// A crate: its root file and every module file reachable from it through `mod name;`.
#[derive(Debug)]
pub struct Crate {
    pub root: PathBuf,
    /// Module path (`["report"]`, `["workloads", "pairs"]`; the root is `[]`) to its file.
    pub files: BTreeMap<Vec<String>, PathBuf>,
    /// Edges between module paths, each with the path text that made it.
    pub edges: BTreeMap<Vec<String>, BTreeMap<Vec<String>, String>>,
}

/// Every directory under `root` that holds a `Cargo.toml` with a `[package]`, skipping build
/// output, the rendered book and hidden directories.
pub fn packages(root: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() {
                if !(name.starts_with('.') || name == "target" || name == "book") {
                    walk(&path, out);
                }
            } else if name == "Cargo.toml"
                && std::fs::read_to_string(&path).is_ok_and(|t| t.contains("[package]"))
            {
                out.push(dir.to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(root, &mut out);
    out
}

/// The crate roots of a package: its library, main, binaries, tests, benches, examples and build
/// script, as Cargo finds them by convention.
pub fn crate_roots(package: &Path) -> Vec<PathBuf> {
    let mut roots = Vec::new();
    for file in ["src/lib.rs", "src/main.rs", "build.rs"] {
        let path = package.join(file);
        if path.is_file() {
            roots.push(path);
        }
    }
    for dir in ["src/bin", "tests", "benches", "examples"] {
        let Ok(entries) = std::fs::read_dir(package.join(dir)) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            if path.extension().is_some_and(|e| e == "rs") {
                roots.push(path);
            } else if path.join("main.rs").is_file() {
                roots.push(path.join("main.rs"));
            }
        }
    }
    roots
}

/// `text` with comments, string literals and character literals blanked out (newlines kept), so
/// that braces and paths inside them are not read as code.
pub fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !chars[..i]
                .last()
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string: r"..." or r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let closing: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let rest: String = chars[j + 1..].iter().collect();
            let end = rest.find(&closing).map_or(chars.len(), |at| {
                j + 1 + rest[..at].chars().count() + closing.len()
            });
            for &k in &chars[i..end] {
                out.push(blank(k));
            }
            i = end;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{7f}'), not a lifetime ('a).
            let end = if next == Some('\\') {
                chars[i + 2..]
                    .iter()
                    .position(|&k| k == '\'')
                    .map(|at| i + 2 + at + 1)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 3)
            } else {
                None
            };
            match end {
                Some(end) => {
                    for _ in i..end {
                        out.push(' ');
                    }
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The full paths a `use` tree names, flattened: `crate::{a::{self, B}, c}` gives `crate::a`,
/// `crate::a::B` and `crate::c`.
pub fn flatten_use(tree: &str) -> Vec<String> {
    static AS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s+as\s+").expect("valid regex"));
    // `a as b` becomes `a@b` before white space goes; the part after `@` is the local name.
    let tree = AS.replace_all(tree, "@");
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
        // Split `tree` at top-level commas.
        let mut depth = 0;
        let mut start = 0;
        let mut parts = Vec::new();
        for (i, c) in tree.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(&tree[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        parts.push(&tree[start..]);
        for part in parts.into_iter().filter(|p| !p.is_empty()) {
            let join = |rest: &str| {
                if prefix.is_empty() {
                    rest.to_owned()
                } else if rest == "self" {
                    prefix.to_owned()
                } else {
                    format!("{prefix}::{rest}")
                }
            };
            match part.find('{') {
                Some(open) => {
                    let head = part[..open].trim_end_matches("::");
                    let inner = &part[open + 1..part.rfind('}').unwrap_or(part.len())];
                    let prefix = if head.is_empty() {
                        prefix.to_owned()
                    } else {
                        join(head)
                    };
                    expand(&prefix, inner, out);
                }
                None => {
                    let path = part.split('@').next().unwrap_or(part);
                    out.push(join(path));
                }
            }
        }
    }
    let mut out = Vec::new();
    expand("", &tree, &mut out);
    out
}

/// One path found in a file, with how many inline modules enclose it there.
struct Found {
    path: String,
    inline_depth: usize,
}

/// The module paths a file's code names (`use` trees flattened), and the `mod name;` declarations
/// it makes at file level with their `#[path]` attributes.
fn scan(text: &str) -> (Vec<Found>, Vec<(String, Option<String>)>) {
    static MOD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*([;{])").expect("valid regex")
    });
    static PATH_ATTR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"#\[path\s*=\s*"([^"]+)"\]"#).expect("valid regex"));
    static USE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?s)\buse\s+((?:\$crate|crate|super|self)\b[^;]*);").expect("valid regex")
    });
    static PATH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:\$crate|\bcrate|\bsuper|\bself)(?:::(?:super|\w+))+").expect("valid regex")
    });
    let code = code_only(text);
    // The inline depth at each byte: which `mod name {` blocks are open there.
    let mut depth_at = vec![0usize; code.len() + 1];
    let mut open: Vec<usize> = Vec::new(); // brace depth at which each inline module opened
    let mut braces = 0usize;
    let mut declared = Vec::new();
    let mut offset = 0;
    for line in code.split_inclusive('\n') {
        if let Some(caps) = MOD.captures(line) {
            if &caps[2] == ";" && open.is_empty() {
                // The #[path] attribute, if any, sits in the original text just before.
                let attr = text[..offset]
                    .lines()
                    .rev()
                    .take_while(|l| l.trim_start().starts_with("#[") || l.trim().is_empty())
                    .find_map(|l| PATH_ATTR.captures(l).map(|c| c[1].to_owned()));
                declared.push((caps[1].to_owned(), attr));
            } else if &caps[2] == "{" {
                open.push(braces);
            }
        }
        for (i, c) in line.char_indices() {
            depth_at[offset + i] = open.len();
            match c {
                '{' => braces += 1,
                '}' => {
                    braces = braces.saturating_sub(1);
                    if open.last() == Some(&braces) {
                        open.pop();
                    }
                }
                _ => {}
            }
        }
        offset += line.len();
    }
    let mut found = Vec::new();
    let mut in_use = Vec::new();
    for caps in USE.captures_iter(&code) {
        let at = caps.get(0).map_or(0, |m| m.start());
        in_use.push(caps.get(0).map_or(0..0, |m| m.range()));
        for path in flatten_use(&caps[1]) {
            found.push(Found {
                path,
                inline_depth: depth_at[at],
            });
        }
    }
    for m in PATH.find_iter(&code) {
        if in_use.iter().any(|r| r.contains(&m.start())) {
            continue;
        }
        found.push(Found {
            path: m.as_str().to_owned(),
            inline_depth: depth_at[m.start()],
        });
    }
    (found, declared)
}

/// Where `mod name;` in `file` (module path `module`) finds its file, or `None`.
fn child_file(file: &Path, is_dir_owner: bool, name: &str, attr: Option<&str>) -> Option<PathBuf> {
    let dir = file.parent()?;
    if let Some(attr) = attr {
        return Some(dir.join(attr)).filter(|p| p.is_file());
    }
    let base = if is_dir_owner {
        dir.to_path_buf()
    } else {
        dir.join(file.file_stem()?)
    };
    [
        base.join(format!("{name}.rs")),
        base.join(name).join("mod.rs"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

impl Crate {
    /// Reads the crate whose root file is `root`.
    pub fn read(root: &Path) -> Crate {
        let mut files = BTreeMap::new();
        let mut found_in: BTreeMap<Vec<String>, Vec<Found>> = BTreeMap::new();
        let mut queue = vec![(Vec::<String>::new(), root.to_path_buf(), true)];
        while let Some((module, file, is_dir_owner)) = queue.pop() {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let (found, declared) = scan(&text);
            for (name, attr) in declared {
                if let Some(child) = child_file(&file, is_dir_owner, &name, attr.as_deref()) {
                    let owner = attr.is_none() && child.file_name().is_some_and(|n| n == "mod.rs");
                    let mut path = module.clone();
                    path.push(name);
                    queue.push((path, child, owner));
                }
            }
            found_in.insert(module.clone(), found);
            files.insert(module, file);
        }
        let mut edges: BTreeMap<Vec<String>, BTreeMap<Vec<String>, String>> = BTreeMap::new();
        for (module, found) in &found_in {
            for f in found {
                if let Some(target) = resolve(module, f, &files)
                    && &target != module
                {
                    edges
                        .entry(module.clone())
                        .or_default()
                        .entry(target)
                        .or_insert_with(|| f.path.clone());
                }
            }
        }
        Crate {
            root: root.to_path_buf(),
            files,
            edges,
        }
    }

    /// Every cycle among module files, each as the files in order (the first repeated at the end).
    pub fn cycles(&self) -> Vec<Vec<PathBuf>> {
        // Strongly connected components (Tarjan); each of two or more nodes holds a cycle, which a
        // search inside the component then names.
        let nodes: Vec<&Vec<String>> = self.files.keys().collect();
        let index_of: BTreeMap<&Vec<String>, usize> =
            nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let next: Vec<Vec<usize>> = nodes
            .iter()
            .map(|n| {
                self.edges
                    .get(*n)
                    .map(|targets| {
                        targets
                            .keys()
                            .filter_map(|t| index_of.get(t).copied())
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect();
        let components = tarjan(&next);
        let mut cycles = Vec::new();
        for component in components.into_iter().filter(|c| c.len() > 1) {
            let members: BTreeSet<usize> = component.iter().copied().collect();
            let start = *members.iter().next().expect("non-empty");
            // Shortest way back to `start` inside the component (breadth first).
            let mut previous: BTreeMap<usize, usize> = BTreeMap::new();
            let mut frontier = vec![start];
            let mut back = None;
            'search: while !frontier.is_empty() {
                let mut following = Vec::new();
                for &n in &frontier {
                    for &m in &next[n] {
                        if !members.contains(&m) {
                            continue;
                        }
                        if m == start {
                            back = Some(n);
                            break 'search;
                        }
                        if let std::collections::btree_map::Entry::Vacant(e) = previous.entry(m) {
                            e.insert(n);
                            following.push(m);
                        }
                    }
                }
                frontier = following;
            }
            let mut path = vec![start];
            let mut at = back.unwrap_or(start);
            while at != start {
                path.push(at);
                at = previous[&at];
            }
            path[1..].reverse();
            path.push(start);
            cycles.push(path.iter().map(|&i| self.files[nodes[i]].clone()).collect());
        }
        cycles
    }

    /// The path text that makes `from` import `to`, for the message.
    pub fn why(&self, from: &Path, to: &Path) -> String {
        let module = |file: &Path| {
            self.files
                .iter()
                .find(|(_, f)| f.as_path() == file)
                .map(|(m, _)| m.clone())
        };
        match (module(from), module(to)) {
            (Some(a), Some(b)) => self
                .edges
                .get(&a)
                .and_then(|e| e.get(&b))
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        }
    }
}

/// The module file a path names, seen from `module`: the deepest module file along the path.
fn resolve(
    module: &[String],
    found: &Found,
    files: &BTreeMap<Vec<String>, PathBuf>,
) -> Option<Vec<String>> {
    let segments: Vec<&str> = found.path.split("::").collect();
    let mut at: Vec<String>;
    let mut rest = &segments[..];
    match segments.first() {
        Some(&"crate") | Some(&"$crate") => {
            at = Vec::new();
            rest = &rest[1..];
        }
        Some(&"self") => {
            at = module.to_vec();
            rest = &rest[1..];
        }
        Some(&"super") => {
            at = module.to_vec();
            // Each `super` first leaves an inline module of this file, then a file module.
            let mut inline = found.inline_depth;
            while rest.first() == Some(&"super") {
                if inline > 0 {
                    inline -= 1;
                } else {
                    at.pop()?;
                }
                rest = &rest[1..];
            }
            if inline > 0 {
                // Still inside an inline module of this file: the path names this file.
                return Some(module.to_vec());
            }
        }
        _ => return None,
    }
    for segment in rest {
        let mut deeper = at.clone();
        deeper.push((*segment).to_owned());
        if files.contains_key(&deeper) {
            at = deeper;
        } else {
            break;
        }
    }
    Some(at)
}

/// Tarjan's strongly connected components of the graph `next`.
fn tarjan(next: &[Vec<usize>]) -> Vec<Vec<usize>> {
    struct State<'a> {
        next: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        counter: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(s: &mut State, v: usize) {
        s.index[v] = Some(s.counter);
        s.low[v] = s.counter;
        s.counter += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for &w in &s.next[v] {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                component.push(w);
                if w == v {
                    break;
                }
            }
            s.out.push(component);
        }
    }
    let mut s = State {
        next,
        index: vec![None; next.len()],
        low: vec![0; next.len()],
        on_stack: vec![false; next.len()],
        stack: Vec::new(),
        counter: 0,
        out: Vec::new(),
    };
    for v in 0..next.len() {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.out
}

/// Each cycle in every crate under `root`, as one line naming its files and the paths that close
/// it.
pub fn cycles_under(root: &Path) -> (Vec<String>, usize) {
    let mut problems = Vec::new();
    let mut crates = 0;
    let relative = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    for package in packages(root) {
        for crate_root in crate_roots(&package) {
            crates += 1;
            let krate = Crate::read(&crate_root);
            for cycle in krate.cycles() {
                let steps: Vec<String> = cycle
                    .windows(2)
                    .map(|pair| {
                        format!(
                            "{} -> {} (`{}`)",
                            relative(&pair[0]),
                            relative(&pair[1]),
                            krate.why(&pair[0], &pair[1])
                        )
                    })
                    .collect();
                problems.push(format!(
                    "crate {}: {}",
                    relative(&krate.root),
                    steps.join(", ")
                ));
            }
        }
    }
    (problems, crates)
}
