//! Opens every page of the built book in headless Chromium, at 1280 px and at 390 px, and fails
//! on what a reader would trip over: a console error, a missing image, a code block or table
//! wider than its column at 1280 px (unless `wide-blocks.txt` lists it, with its reason; at most
//! five entries), a page that scrolls sideways at 390 px, or a search for a word the book is
//! about that finds nothing.
//! It saves a screenshot of every page at both widths under `target/browser-check/`.
//!
//! Build the book first (`mdbook build`); this test serves `book/html` (or `book/`) on loopback.
//! It needs Chromium from the distribution (Debian package `chromium`); it never downloads one.
//! `BLESS=1` rewrites `wide-blocks.txt` with today's over-wide blocks, keeping the reasons of the
//! entries that still apply; a new block's entry asks for its reason, and fails until it has one.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::Emulation::SetDeviceMetricsOverride;
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::{Browser, LaunchOptions, Tab};

/// The repository root (this crate is `tools/browser-check`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Where `mdbook build` wrote the HTML: `book/html` with the optional link-check backend
/// configured, `book/` otherwise.
fn book_dir() -> PathBuf {
    let html = root().join("book/html");
    let dir = if html.join("index.html").exists() {
        html
    } else {
        root().join("book")
    };
    assert!(
        dir.join("index.html").exists(),
        "no built book in {}: run `mdbook build` in the repository root first",
        dir.display()
    );
    dir
}

/// The allowlist of code blocks and tables that are wider than the column, each with its reason.
const ALLOWLIST: &str = "wide-blocks.txt";
/// The reason `BLESS=1` writes for a new entry, which the check refuses until it is replaced.
const REASON: &str = "REASON: say why this block cannot fit";
/// The most entries the allowlist may hold.
const MOST_ALLOWED: usize = 5;

/// Serves `dir` over HTTP on 127.0.0.1, on a port the system picks, from a background thread.
fn serve(dir: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("can bind a loopback port");
    let port = listener
        .local_addr()
        .expect("a bound socket has an address")
        .port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || answer(stream, &dir));
        }
    });
    port
}

fn answer(mut stream: TcpStream, dir: &Path) {
    let mut request_line = String::new();
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(stream) => stream,
        Err(_) => return,
    });
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // Drain the headers.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    };
    let file = dir.join(path.trim_start_matches('/'));
    let inside = !path.contains("..");
    let (status, body) = match std::fs::read(&file) {
        Ok(body) if inside => ("200 OK", body),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let kind = match file.extension().and_then(OsStr::to_str) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        _ => "application/octet-stream",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

/// Every page a reader opens: the chapters' HTML files, without mdbook's print, 404 and table
/// of contents pages.
fn pages(dir: &Path) -> Vec<String> {
    let mut pages: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".html"))
        .filter(|name| !["print.html", "404.html", "toc.html"].contains(&name.as_str()))
        .collect();
    pages.sort();
    pages
}

/// Chromium from the distribution, or a failure that names the package.
fn chromium() -> PathBuf {
    for name in ["chromium", "chromium-browser"] {
        let found = std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(name))
                .find(|path| path.is_file())
        });
        if let Some(path) = found {
            return path;
        }
    }
    panic!(
        "needs chromium (Debian package chromium): install it with `apt-get install chromium`; \
         this check never downloads a browser"
    );
}

fn launch(width: u32, height: u32, profile: &Path) -> Browser {
    let _ = std::fs::remove_dir_all(profile);
    std::fs::create_dir_all(profile)
        .unwrap_or_else(|err| panic!("cannot create {}: {err}", profile.display()));
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let options = LaunchOptions {
        headless: true,
        sandbox: false,
        window_size: Some((width, height)),
        path: Some(chromium()),
        user_data_dir: Some(profile.to_owned()),
        args,
        idle_browser_timeout: Duration::from_secs(120),
        ..LaunchOptions::default()
    };
    Browser::new(options).unwrap_or_else(|err| panic!("cannot start chromium: {err}"))
}

/// Runs a script that returns a string, and gives the string.
fn run(tab: &Tab, script: &str) -> String {
    let result = tab
        .evaluate(script, false)
        .unwrap_or_else(|err| panic!("the page could not run a script: {err}"));
    match result.value {
        Some(serde_json::Value::String(text)) => text,
        other => panic!("expected a string from the page's script; got {other:?}"),
    }
}

fn open(tab: &Tab, url: &str) {
    tab.navigate_to(url)
        .and_then(|tab| tab.wait_until_navigated())
        .unwrap_or_else(|err| panic!("cannot open {url}: {err}"));
    let start = Instant::now();
    while run(tab, "document.readyState") != "complete" && start.elapsed() < Duration::from_secs(20)
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    // Let images decode and late scripts log.
    std::thread::sleep(Duration::from_millis(300));
}

/// A script returning, as lines `kind<TAB>first line`, the code blocks and tables wider than
/// their column.
const WIDE_BLOCKS: &str = r#"(() => {
  const main = document.querySelector('main');
  const column = main.clientWidth;
  const out = [];
  const first = (el) => (el.innerText || '').split('\n').map(s => s.trim()).find(s => s) || '';
  for (const pre of main.querySelectorAll('pre')) {
    const code = pre.querySelector('code') || pre;
    const wide = Math.max(code.scrollWidth - code.clientWidth, pre.scrollWidth - pre.clientWidth) > 1
      || pre.getBoundingClientRect().width > column + 1;
    if (wide) out.push('pre\t' + first(pre).slice(0, 60));
  }
  for (const table of main.querySelectorAll('table')) {
    const wrapper = table.parentElement;
    const wide = table.getBoundingClientRect().width > column + 1
      || (wrapper && wrapper !== main && wrapper.scrollWidth - wrapper.clientWidth > 1);
    if (wide) out.push('table\t' + first(table.querySelector('tr') || table).replace(/\t/g, ' ').slice(0, 60));
  }
  return out.join('\n');
})()"#;

const MISSING_IMAGES: &str = r#"Array.from(document.images)
  .filter(img => !img.complete || img.naturalWidth === 0)
  .map(img => img.getAttribute('src')).join('\n')"#;

/// A script returning the first shown line of each code block whose shown lines all start with
/// a space: a snippet still indented as in its source file (theme/dedent.js removes that).
const INDENTED_BLOCKS: &str = r#"Array.from(document.querySelectorAll('main pre > code'))
  .map(code => {
    const copy = code.cloneNode(true);
    copy.querySelectorAll('.boring').forEach(hidden => hidden.remove());
    return copy.textContent.split('\n').filter(line => line.trim() !== '');
  })
  .filter(lines => lines.length > 0 && lines.every(line => line.startsWith(' ')))
  .map(lines => lines[0].trim().slice(0, 60)).join('\n')"#;

const PAGE_SCROLLS: &str = r#"(() => {
  const width = document.documentElement.scrollWidth;
  return width > window.innerWidth + 1 ? `${width} px wide in a ${window.innerWidth} px window` : '';
})()"#;

/// The allowlist: `page<TAB>kind<TAB>first line` keys, each with its reason. A key
/// `page<TAB>*<TAB>*` stands for every block of the page.
fn allowlist() -> BTreeMap<String, String> {
    read_allowlist(true)
}

/// The allowlist's entries; `strict` refuses an entry whose reason is still [`REASON`].
fn read_allowlist(strict: bool) -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(ALLOWLIST);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert!(
                fields.len() == 4
                    && !fields[3].trim().is_empty()
                    && (!strict || fields[3] != REASON),
                "{ALLOWLIST}: each entry is `page<TAB>kind<TAB>first line<TAB>reason`, with a \
                 real reason; saw {line:?}"
            );
            (fields[..3].join("\t"), fields[3].to_owned())
        })
        .collect()
}

/// Whether the allowlist key `entry` covers the over-wide `block`.
fn covers(entry: &str, block: &str) -> bool {
    entry == block
        || entry
            .strip_suffix("\t*\t*")
            .is_some_and(|page| block.split('\t').next() == Some(page))
}

/// Rewrites the allowlist with the blocks found: entries that still cover a block keep their
/// reason; a new block gets [`REASON`], which the check refuses until someone writes the real one.
fn write_allowlist(found: &BTreeSet<String>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(ALLOWLIST);
    let old = read_allowlist(false);
    let mut entries: BTreeMap<String, String> = old
        .iter()
        .filter(|(entry, _)| found.iter().any(|block| covers(entry, block)))
        .map(|(entry, reason)| (entry.clone(), reason.clone()))
        .collect();
    for block in found {
        if !entries.keys().any(|entry| covers(entry, block)) {
            entries.insert(block.clone(), REASON.to_owned());
        }
    }
    let mut text = String::from(
        "# Code blocks and tables wider than the text column at 1280 px, by page. Each line:\n\
         # page<TAB>pre or table<TAB>the block's first line (60 characters)<TAB>reason, or\n\
         # page<TAB>*<TAB>*<TAB>reason for every block of the page. At most five entries.\n\
         # A block not listed here fails tests/browser.rs; so does an entry that covers none.\n",
    );
    for (entry, reason) in entries {
        text.push_str(&format!("{entry}\t{reason}\n"));
    }
    std::fs::write(&path, text)
        .unwrap_or_else(|err| panic!("cannot write {}: {err}", path.display()));
}

/// Console errors and exceptions the tab reported, collected by its listener.
type Errors = Arc<Mutex<Vec<String>>>;

fn listen_for_errors(tab: &Tab) -> Errors {
    use headless_chrome::protocol::cdp::types::Event;
    let errors: Errors = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&errors);
    tab.enable_log()
        .and_then(|tab| tab.enable_runtime())
        .unwrap_or_else(|err| panic!("cannot enable the page's log: {err}"));
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let message = match event {
            Event::LogEntryAdded(entry) => {
                let entry = &entry.params.entry;
                (format!("{:?}", entry.level) == "Error")
                    .then(|| format!("{} {}", entry.text, entry.url.clone().unwrap_or_default()))
            }
            Event::RuntimeConsoleAPICalled(call) => (format!("{:?}", call.params.Type) == "Error")
                .then(|| {
                    call.params
                        .args
                        .iter()
                        .map(|arg| format!("{:?}", arg.value))
                        .collect::<Vec<_>>()
                        .join(" ")
                }),
            Event::RuntimeExceptionThrown(thrown) => Some(format!(
                "exception: {}",
                thrown.params.exception_details.text
            )),
            _ => None,
        };
        if let Some(message) = message {
            sink.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(message);
        }
    }))
    .unwrap_or_else(|err| panic!("cannot listen to the page's console: {err}"));
    errors
}

fn screenshot(tab: &Tab, dir: &Path, page: &str, width: u32) {
    let png = tab
        .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
        .unwrap_or_else(|err| panic!("cannot take a screenshot of {page}: {err}"));
    let name = format!("{}-{width}.png", page.trim_end_matches(".html"));
    std::fs::write(dir.join(&name), png).unwrap_or_else(|err| panic!("cannot write {name}: {err}"));
}

#[test]
fn every_page_reads_cleanly_in_chromium_at_1280_and_390_px() {
    let book = book_dir();
    let port = serve(book.clone());
    let base = format!("http://127.0.0.1:{port}");
    let pages = pages(&book);
    assert!(
        pages.len() >= 20,
        "expected the book's pages in {}; found {pages:?}",
        book.display()
    );
    let out = root().join("target/browser-check");
    let shots = out.join("screenshots");
    std::fs::create_dir_all(&shots)
        .unwrap_or_else(|err| panic!("cannot create {}: {err}", shots.display()));
    let mut problems = Vec::new();
    let mut wide = BTreeSet::new();

    for (width, height) in [(1280, 900), (390, 844)] {
        let browser = launch(width, height, &out.join(format!("profile-{width}")));
        let tab = browser
            .new_tab()
            .unwrap_or_else(|err| panic!("cannot open a tab: {err}"));
        // A headless window has a minimum width above 390 px; the device metrics set the
        // viewport exactly, as a phone's would be.
        tab.call_method(SetDeviceMetricsOverride {
            width,
            height,
            device_scale_factor: 1.0,
            mobile: width < 600,
            scale: None,
            screen_width: None,
            screen_height: None,
            position_x: None,
            position_y: None,
            dont_set_visible_size: None,
            screen_orientation: None,
            viewport: None,
            display_feature: None,
            device_posture: None,
        })
        .unwrap_or_else(|err| panic!("cannot set the viewport to {width} px: {err}"));
        let errors = listen_for_errors(&tab);
        for page in &pages {
            errors
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clear();
            open(&tab, &format!("{base}/{page}"));
            let inner = run(&tab, "String(window.innerWidth)");
            assert_eq!(
                inner,
                width.to_string(),
                "the viewport of {page} is not {width} px wide"
            );
            for error in errors
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .iter()
            {
                problems.push(format!("{page} at {width} px: console error: {error}"));
            }
            for image in run(&tab, MISSING_IMAGES).lines() {
                problems.push(format!(
                    "{page} at {width} px: the image {image} does not load"
                ));
            }
            for block in run(&tab, INDENTED_BLOCKS).lines() {
                problems.push(format!(
                    "{page} at {width} px: a code block keeps the indentation of its source: \
                     {block}"
                ));
            }
            if width == 1280 {
                wide.extend(
                    run(&tab, WIDE_BLOCKS)
                        .lines()
                        .map(|block| format!("{page}\t{block}")),
                );
            } else {
                let scrolls = run(&tab, PAGE_SCROLLS);
                if !scrolls.is_empty() {
                    problems.push(format!(
                        "{page} at 390 px scrolls sideways: the page is {scrolls}"
                    ));
                }
            }
            screenshot(&tab, &shots, page, width);
        }
        if width == 1280 {
            for term in ["jemalloc", "static TLS", "mallinfo2"] {
                let query: String = term.replace(' ', "%20");
                open(&tab, &format!("{base}/index.html?search={query}"));
                let start = Instant::now();
                let mut found = 0;
                while found == 0 && start.elapsed() < Duration::from_secs(15) {
                    found = run(
                        &tab,
                        "String(document.querySelectorAll('#mdbook-searchresults li').length)",
                    )
                    .parse()
                    .unwrap_or(0);
                    std::thread::sleep(Duration::from_millis(200));
                }
                if found == 0 {
                    problems.push(format!("a search for \"{term}\" finds nothing"));
                }
            }
        }
    }

    if std::env::var_os("BLESS").is_some_and(|value| value == "1") {
        write_allowlist(&wide);
    } else {
        let allowed = allowlist();
        if allowed.len() > MOST_ALLOWED {
            problems.push(format!(
                "tools/browser-check/{ALLOWLIST} has {} entries; at most {MOST_ALLOWED} may be",
                allowed.len()
            ));
        }
        for block in wide
            .iter()
            .filter(|block| !allowed.keys().any(|entry| covers(entry, block)))
        {
            problems.push(format!(
                "wider than the column at 1280 px, and not in tools/browser-check/{ALLOWLIST}: {block}"
            ));
        }
        for entry in allowed
            .keys()
            .filter(|entry| !wide.iter().any(|block| covers(entry, block)))
        {
            problems.push(format!(
                "tools/browser-check/{ALLOWLIST} lists a block that fits now (or is gone); \
                 remove its line: {entry}"
            ));
        }
    }
    let by_page: BTreeMap<&str, usize> = wide.iter().fold(BTreeMap::new(), |mut map, block| {
        *map.entry(block.split('\t').next().unwrap_or_default())
            .or_default() += 1;
        map
    });
    eprintln!("over-wide blocks at 1280 px, by page: {by_page:?}");
    eprintln!("screenshots: {}", shots.display());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
