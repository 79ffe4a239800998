//! The map kept true, as rust-analyzer's tidy tests keep theirs: every `crate::` and `super::` path
//! of the engine (`crates/core/src`) and of the doors (`src/`) is held against the stage tables of
//! `ARCHITECTURE.md` — read from the file itself, so that the map and the code cannot drift — and
//! the engine is held to having no I/O: no file system, network, environment, process, clock,
//! thread pool or server crate outside its tests, and none in its manifest.
//!
//! The scanner is a lexer's worth, not a parser: comments (doc comments with their examples among
//! them), string and character literals and `#[cfg(test)]` items are blanked out, then each path is
//! read as a `use` tree (`crate::{a, b::c}` gives both). What it cannot see (a method defined in
//! another file's `impl`) the compiler's privacy and the review see instead.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common;

/// The one thread the engine starts: the summary's layout beside its painter, where the platform
/// has threads. Named here and in ARCHITECTURE.md; any other is a defect of the engine.
const THE_ONE_THREAD: (&str, &str, &str) = (
    "renderer.rs",
    "paint_beside_layout",
    r#"#[cfg(not(target_family = "wasm"))]"#,
);

/// What the engine never names outside its tests: the host's business (README, ARCHITECTURE.md).
/// Paths of `std::`, after it.
const HOST_PATHS: &[(&[&str], &str)] = &[
    (&["fs"], "the file system"),
    (&["net"], "the network"),
    (&["env"], "the environment"),
    (&["process"], "processes"),
    (&["time", "SystemTime"], "the clock"),
    (&["time", "Instant"], "the clock"),
];

/// Words the engine's code never holds, each with why.
const HOST_WORDS: &[(&str, &str)] = &[
    ("Local::now", "the clock (\"today\" is CheckOptions::today)"),
    ("Utc::now", "the clock (\"today\" is CheckOptions::today)"),
    (
        "Local::today",
        "the clock (\"today\" is CheckOptions::today)",
    ),
    ("Utc::today", "the clock (\"today\" is CheckOptions::today)"),
    ("SystemTime", "the clock"),
    ("Instant::now", "the clock"),
    ("rayon", "a thread pool (the host's: batch/)"),
    ("tokio", "an async runtime (the host's: serve/)"),
    ("axum", "a server (the host's: serve/)"),
];

/// Crates the engine's manifest never depends on (outside its dev-dependencies).
const HOST_CRATES: &[&str] = &[
    "tokio",
    "axum",
    "opener",
    "ctrlc",
    "indicatif",
    "rayon",
    "tempfile",
    "clap",
];

// ---- The map, as ARCHITECTURE.md writes it ----

/// The header of a stage table in ARCHITECTURE.md.
const TABLE_HEADER: &str = "| Folder | Its one job | May import |";

/// One row of a stage table: the modules it is about (`error/` → `error`, `renderer.rs` →
/// `renderer`, `main.rs` → `main`) and what they may import.
#[derive(Debug, Clone)]
struct Row {
    keys: Vec<String>,
    may: May,
    /// The row's line in ARCHITECTURE.md, for the message.
    line: usize,
    /// The "May import" column as written.
    written: String,
}

#[derive(Debug, Clone, Default)]
struct May {
    /// Module paths, each allowing every path under it (`model::charset`, `error`).
    modules: Vec<Vec<String>>,
    /// `the engine`: every path of `secform_core` (in the root crate, `crate::` paths that are not
    /// its own modules, through `pub use secform_core::*`).
    engine: bool,
    /// `the library`: `secform::` paths (the binary).
    library: bool,
}

/// The stage tables of ARCHITECTURE.md, in order: the engine's, then the doors'.
fn tables(text: &str) -> Result<Vec<Vec<Row>>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut tables = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != TABLE_HEADER {
            i += 1;
            continue;
        }
        i += 2; // the header and its |---| line
        let mut rows: Vec<Row> = Vec::new();
        while i < lines.len() && lines[i].trim_start().starts_with('|') {
            rows.push(row(lines[i], i + 1, &rows)?);
            i += 1;
        }
        tables.push(rows);
    }
    if tables.len() != 2 {
        return Err(format!(
            "ARCHITECTURE.md has {} tables headed «{TABLE_HEADER}»; the test reads two: the engine's \
             (crates/core/src), then the doors' (src/)",
            tables.len()
        ));
    }
    Ok(tables)
}

fn row(line: &str, number: usize, above: &[Row]) -> Result<Row, String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    let cells: Vec<&str> = inner.split('|').collect();
    let [folder, _job, may] = cells[..] else {
        return Err(format!(
            "ARCHITECTURE.md:{number}: a stage row has {} cells, not 3 (no `|` inside a cell)",
            cells.len()
        ));
    };
    let keys: Vec<String> = backticked(folder).map(module_of_name).collect();
    if keys.is_empty() {
        return Err(format!(
            "ARCHITECTURE.md:{number}: the row names no `folder/` or `file.rs`"
        ));
    }
    let written = may.trim().to_string();
    let mut allowed = May::default();
    if written != "—" {
        for item in written.split(',').map(str::trim) {
            match item {
                "the above" => allowed.modules.extend(
                    above
                        .iter()
                        .flat_map(|r| r.keys.iter().map(|k| vec![k.clone()])),
                ),
                "the engine" => allowed.engine = true,
                "the library" => allowed.library = true,
                _ if item.len() > 2 && item.starts_with('`') && item.ends_with('`') => {
                    allowed.modules.push(
                        module_of_name(&item[1..item.len() - 1])
                            .split("::")
                            .map(String::from)
                            .collect(),
                    )
                }
                _ => {
                    return Err(format!(
                        "ARCHITECTURE.md:{number}: «{item}» in the May import column is none of \
                         `module`, `module::inner`, the above, the engine, the library, or — alone \
                         (reasons go in the job column)"
                    ))
                }
            }
        }
    }
    Ok(Row {
        keys,
        may: allowed,
        line: number,
        written,
    })
}

/// The `code` spans of a cell.
fn backticked(cell: &str) -> impl Iterator<Item = &str> {
    cell.split('`').skip(1).step_by(2)
}

/// `error/` → `error`, `geometry.rs` → `geometry`, `model::charset` as is.
fn module_of_name(name: &str) -> String {
    let name = name.trim_end_matches('/');
    name.strip_suffix(".rs").unwrap_or(name).to_string()
}

// ---- The sources, as the scanner sees them ----

/// The code of a source file with every comment, string and character literal blanked out (each
/// byte but a newline made a space, so that offsets and lines stay the source's), and every item
/// under `#[cfg(test)]` blanked too.
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for byte in &mut out[from..to.min(b.len())] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
    };
    let ident = |i: usize| i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_');
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = src[i..].find('\n').map_or(b.len(), |n| i + n);
                blank(&mut out, i, end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let (mut depth, mut j) = (1, i + 2);
                while j < b.len() && depth > 0 {
                    if b[j..].starts_with(b"/*") {
                        depth += 1;
                        j += 2;
                    } else if b[j..].starts_with(b"*/") {
                        depth -= 1;
                        j += 2;
                    } else {
                        j += 1;
                    }
                }
                blank(&mut out, i, j);
                i = j;
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                blank(&mut out, i + 1, j);
                i = j + 1;
            }
            // A raw string (r"…", r#"…"#, br"…"), not an identifier ending in r.
            b'r' if (i == 0 || !ident(i - 1) || (b[i - 1] == b'b' && (i < 2 || !ident(i - 2))))
                && {
                    let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                    b.get(i + 1 + hashes) == Some(&b'"')
                } =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                let start = i + 2 + hashes;
                let mut close = vec![b'"'];
                close.extend(std::iter::repeat_n(b'#', hashes));
                let end = b[start..]
                    .windows(close.len())
                    .position(|w| w == close.as_slice())
                    .map_or(b.len(), |n| start + n);
                blank(&mut out, start, end);
                i = end + close.len();
            }
            b'\'' => {
                // A character literal, or a lifetime (left as it is).
                if b.get(i + 1) == Some(&b'\\') {
                    let end = b[i + 3..]
                        .iter()
                        .position(|&c| c == b'\'')
                        .map_or(b.len(), |n| i + 3 + n);
                    blank(&mut out, i + 1, end);
                    i = end + 1;
                } else {
                    let len = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                    if b.get(i + 1 + len) == Some(&b'\'') {
                        blank(&mut out, i + 1, i + 1 + len);
                        i += 2 + len;
                    } else {
                        i += 1;
                    }
                }
            }
            _ => i += 1,
        }
    }
    // Blanking only ever replaces whole characters (every delimiter above is ASCII).
    let code = String::from_utf8(out).unwrap();
    without_tests(&code)
}

/// `code` with each item under `#[cfg(test)]` blanked: from the attribute to the `;` or the `}`
/// that ends the item.
fn without_tests(code: &str) -> String {
    const ATTRIBUTE: &str = "#[cfg(test)]";
    let mut out = code.as_bytes().to_vec();
    let b = code.as_bytes();
    let mut from = 0;
    while let Some(at) = code[from..].find(ATTRIBUTE).map(|n| from + n) {
        let (mut braces, mut others, mut j) = (0i32, 0i32, at + ATTRIBUTE.len());
        let mut end = b.len();
        while j < b.len() {
            match b[j] {
                b'(' | b'[' => others += 1,
                b')' | b']' => others -= 1,
                b'{' => braces += 1,
                b'}' => {
                    braces -= 1;
                    if braces == 0 && others == 0 {
                        end = j + 1;
                        break;
                    }
                }
                b';' if braces == 0 && others == 0 => {
                    end = j + 1;
                    break;
                }
                _ => {}
            }
            j += 1;
        }
        for byte in &mut out[at..end] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
        from = end;
    }
    String::from_utf8(out).unwrap()
}

/// A path found in the code: its segments after the root it was found by, and its line.
#[derive(Debug, Clone, PartialEq)]
struct Found {
    path: Vec<String>,
    line: usize,
}

fn is_ident(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Every path that starts with `root::` (`crate`, `std`, `secform`, …) as a word of its own, each
/// leaf of a `use` tree on its own: `crate::{a, b::{c, self}}` gives `a`, `b::c` and `b`.
fn paths(code: &str, root: &str) -> Vec<Found> {
    let b = code.as_bytes();
    let starts: Vec<usize> = std::iter::once(0)
        .chain(code.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |at: usize| starts.partition_point(|&s| s <= at);
    let needle = format!("{root}::");
    let mut found = Vec::new();
    for (at, _) in code.match_indices(&needle) {
        // Not the end of a word (`$crate`, `xstd`), nor a segment inside a longer path
        // (`super::super::`); a leading `::std::` is a path of its own.
        let inside = at >= 3 && &b[at - 2..at] == b"::" && is_ident(b[at - 3]);
        if inside || (at > 0 && (is_ident(b[at - 1]) || b[at - 1] == b'$')) {
            continue;
        }
        let mut leaves = Vec::new();
        use_tree(b, at + needle.len(), Vec::new(), &mut leaves);
        found.extend(leaves.into_iter().map(|(path, at)| Found {
            path,
            line: line_of(at),
        }));
    }
    found
}

/// The leaves of the use tree at `i`, each with where its last segment starts; returns where the
/// tree ends.
fn use_tree(b: &[u8], i: usize, prefix: Vec<String>, out: &mut Vec<(Vec<String>, usize)>) -> usize {
    let skip = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let i = skip(i);
    match b.get(i) {
        Some(b'{') => {
            let mut i = i + 1;
            loop {
                i = skip(i);
                match b.get(i) {
                    None => return i,
                    Some(b'}') => return i + 1,
                    _ => {}
                }
                i = use_tree(b, i, prefix.clone(), out);
                // Past `as name` to the next leaf.
                while i < b.len() && b[i] != b',' && b[i] != b'}' {
                    i += 1;
                }
                if b.get(i) == Some(&b',') {
                    i += 1;
                }
            }
        }
        Some(b'*') => {
            out.push((prefix, i));
            i + 1
        }
        _ => {
            let mut end = i;
            while end < b.len() && is_ident(b[end]) {
                end += 1;
            }
            let mut path = prefix;
            let segment = String::from_utf8_lossy(&b[i..end]).into_owned();
            if !segment.is_empty() && segment != "self" {
                path.push(segment);
            }
            let next = skip(end);
            if b[next..].starts_with(b"::") {
                let after = skip(next + 2);
                if b.get(after) != Some(&b'<') {
                    return use_tree(b, after, path, out);
                }
            }
            out.push((path, i));
            end
        }
    }
}

/// A crate whose sources the test reads.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// `crates/core/src`: `secform_core`.
    Engine,
    /// `src/lib.rs` and its modules: `secform`.
    Library,
    /// `src/main.rs` and `src/cli/`: the binary.
    Binary,
}

/// A source file: where it is, which crate and module, and its code.
#[derive(Debug, Clone)]
struct Source {
    /// From the repository's root, for the messages.
    shown: String,
    kind: Kind,
    /// Its module path from its crate's root (`rules/dates.rs` → `rules::dates`).
    module: Vec<String>,
    code: String,
    text: String,
}

impl Source {
    fn new(shown: &str, text: String) -> Source {
        let (kind, inner) = if let Some(inner) = shown.strip_prefix("crates/core/src/") {
            (Kind::Engine, inner)
        } else {
            let inner = shown.strip_prefix("src/").unwrap_or(shown);
            let binary = inner == "main.rs" || inner.starts_with("cli/");
            (if binary { Kind::Binary } else { Kind::Library }, inner)
        };
        let mut module: Vec<String> = inner
            .trim_end_matches(".rs")
            .split('/')
            .map(String::from)
            .collect();
        if matches!(
            module.last().map(String::as_str),
            Some("mod" | "lib" | "main")
        ) {
            module.pop();
        }
        Source {
            shown: shown.to_string(),
            kind,
            module,
            code: code_only(&text),
            text,
        }
    }

    /// The row key of its module: `rules`, `renderer`; `main` for the binary's root.
    fn key(&self) -> String {
        match (self.module.first(), self.kind) {
            (Some(first), _) => first.clone(),
            (None, Kind::Binary) => "main".into(),
            (None, _) => String::new(),
        }
    }

    fn is_root(&self) -> bool {
        self.module.is_empty() && self.kind != Kind::Binary
    }
}

/// What a crate's root declares: its modules and the items it re-exports (by their path).
#[derive(Debug, Default)]
struct Root {
    modules: BTreeSet<String>,
    reexports: BTreeMap<String, Vec<String>>,
}

impl Root {
    fn of(source: &Source) -> Root {
        let mut root = Root::default();
        for line in source.code.lines() {
            let line = line.trim();
            let line = line
                .strip_prefix("pub(crate) ")
                .or_else(|| line.strip_prefix("pub "))
                .unwrap_or(line);
            if let Some(name) = line.strip_prefix("mod ").and_then(|l| l.strip_suffix(';')) {
                root.modules.insert(name.trim().to_string());
            }
        }
        for (at, _) in source.code.match_indices("pub use ") {
            let mut leaves = Vec::new();
            use_tree(
                source.code.as_bytes(),
                at + "pub use ".len(),
                Vec::new(),
                &mut leaves,
            );
            for (path, _) in leaves {
                if let Some(last) = path.last() {
                    root.reexports.insert(last.clone(), path.clone());
                }
            }
        }
        root
    }
}

/// What a path names, as the tables speak of it.
#[derive(Debug, PartialEq)]
enum Target {
    /// A module path of the file's own crate (`main` for the binary's root).
    Module(Vec<String>),
    /// The engine, from the root crate.
    Engine,
    /// The library, from the binary.
    Library,
    /// A `crate::` name the crate's root neither declares nor re-exports.
    Unknown,
}

/// A path of a source as written (`crate::rules::Charset`), its line, and what it names.
struct Named {
    written: String,
    line: usize,
    target: Target,
}

/// What the roots of the three crates declare.
struct Roots {
    engine: Root,
    library: Root,
    binary: Root,
}

/// Every path of `source` that names a module of its crate (by `crate::` or `super::`) or another
/// crate of the house (`secform_core::`, `secform::`), each with what it names.
fn targets(source: &Source, roots: &Roots) -> Vec<Named> {
    let mut named: Vec<(String, usize, Vec<String>)> = paths(&source.code, "crate")
        .into_iter()
        .map(|f| (format!("crate::{}", f.path.join("::")), f.line, f.path))
        .collect();
    // `super::…`, once or more, resolved from the file's module.
    for found in paths(&source.code, "super") {
        let mut up = 1;
        let mut rest = found.path.clone();
        while rest.first().map(String::as_str) == Some("super") {
            up += 1;
            rest.remove(0);
        }
        if up > source.module.len() {
            continue;
        }
        let mut path = source.module[..source.module.len() - up].to_vec();
        path.extend(rest);
        named.push((
            format!("super::{}", found.path.join("::")),
            found.line,
            path,
        ));
    }
    let mut out = Vec::new();
    for (written, line, path) in named {
        let Some(first) = path.first() else { continue };
        let target = match source.kind {
            Kind::Engine if roots.engine.modules.contains(first) => Target::Module(path),
            Kind::Engine => match roots.engine.reexports.get(first) {
                Some(full) => Target::Module(full.iter().chain(&path[1..]).cloned().collect()),
                None => Target::Unknown,
            },
            Kind::Library if roots.library.modules.contains(first) => Target::Module(path),
            Kind::Library => Target::Engine,
            Kind::Binary if roots.binary.modules.contains(first) => Target::Module(path),
            Kind::Binary => Target::Module(std::iter::once("main".into()).chain(path).collect()),
        };
        out.push(Named {
            written,
            line,
            target,
        });
    }
    // The other crates of the house, by name: the engine from the root crate, the library from
    // the binary.
    let others: &[&str] = match source.kind {
        Kind::Engine => &[],
        Kind::Library => &["secform_core"],
        Kind::Binary => &["secform_core", "secform"],
    };
    for root in others {
        out.extend(paths(&source.code, root).into_iter().map(|f| Named {
            written: format!("{root}::{}", f.path.join("::")),
            line: f.line,
            target: if *root == "secform" {
                Target::Library
            } else {
                Target::Engine
            },
        }));
    }
    out
}

/// Every source file under `crates/core/src` and `src`, by its path from the repository's root.
fn sources(repo: &Path) -> Vec<Source> {
    fn walk(dir: &Path, repo: &Path, out: &mut Vec<Source>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, repo, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let shown = path
                    .strip_prefix(repo)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = std::fs::read_to_string(&path).unwrap();
                out.push(Source::new(&shown, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&repo.join("crates/core/src"), repo, &mut out);
    walk(&repo.join("src"), repo, &mut out);
    out
}

/// Every import of `sources` that the tables forbid, and every file or row the tables and the tree
/// disagree on, as messages naming file, line and rule.
fn broken_rules(tables: &[Vec<Row>], sources: &[Source]) -> Vec<String> {
    let root_of = |shown: &str| {
        sources
            .iter()
            .find(|s| s.shown == shown)
            .map(Root::of)
            .unwrap_or_default()
    };
    let roots = Roots {
        engine: root_of("crates/core/src/lib.rs"),
        library: root_of("src/lib.rs"),
        binary: root_of("src/main.rs"),
    };
    let mut broken = Vec::new();
    let table_of = |kind: Kind| match kind {
        Kind::Engine => (&tables[0], "the engine's table"),
        Kind::Library | Kind::Binary => (&tables[1], "the doors' table"),
    };
    for source in sources.iter().filter(|s| !s.is_root()) {
        let (table, table_name) = table_of(source.kind);
        let key = source.key();
        let Some(row) = table.iter().find(|r| r.keys.contains(&key)) else {
            broken.push(format!(
                "{}: its module `{key}` has no row in ARCHITECTURE.md's {table_name}",
                source.shown
            ));
            continue;
        };
        for Named {
            written,
            line,
            target,
        } in targets(source, &roots)
        {
            let allowed = match &target {
                Target::Module(path) => {
                    path[0] == key || row.may.modules.iter().any(|m| path.starts_with(m))
                }
                Target::Engine => row.may.engine,
                Target::Library => row.may.library,
                Target::Unknown => false,
            };
            if allowed {
                continue;
            }
            let what = match &target {
                Target::Module(path) => {
                    format!("is in `{}`, which `{key}` may not import", path[0])
                }
                Target::Engine => format!("is the engine, which `{key}` may not import"),
                Target::Library => format!("is the library, which `{key}` may not import"),
                Target::Unknown => "names nothing the crate's root declares or re-exports".into(),
            };
            let above: Vec<&str> = table
                .iter()
                .take_while(|r| r.line != row.line)
                .flat_map(|r| r.keys.iter().map(String::as_str))
                .collect();
            let may = match row.written.as_str() {
                "—" => "nothing".to_string(),
                written => {
                    written.replace("the above", &format!("the above ({})", above.join(", ")))
                }
            };
            broken.push(format!(
                "{}:{line}: `{written}` {what}: ARCHITECTURE.md:{}, {table_name}, lets `{key}` import {may}",
                source.shown, row.line,
            ));
        }
    }
    // No row about a module that is not there.
    let modules_of = |kind: Kind| -> BTreeSet<String> {
        sources
            .iter()
            .filter(|s| s.kind == kind || (kind == Kind::Library && s.kind == Kind::Binary))
            .map(Source::key)
            .filter(|k| !k.is_empty())
            .collect()
    };
    for (table, kind, name) in [
        (&tables[0], Kind::Engine, "the engine's"),
        (&tables[1], Kind::Library, "the doors'"),
    ] {
        let present = modules_of(kind);
        for row in table {
            for key in row.keys.iter().filter(|k| !present.contains(*k)) {
                broken.push(format!(
                    "ARCHITECTURE.md:{}: {name} table has a row for `{key}`, which has no file",
                    row.line
                ));
            }
        }
    }
    broken
}

/// The engine's code naming what only a host has: file system, network, environment, processes,
/// clock, threads (but the one named), thread pools, servers, and the root crate.
fn host_in_engine(sources: &[Source]) -> Vec<String> {
    let mut found = Vec::new();
    let mut the_thread_seen = false;
    for source in sources.iter().filter(|s| s.kind == Kind::Engine) {
        let lines: Vec<&str> = source.text.lines().collect();
        for path in paths(&source.code, "std") {
            let full: Vec<&str> = path.path.iter().map(String::as_str).collect();
            if let Some((_, what)) = HOST_PATHS.iter().find(|(p, _)| full.starts_with(p)) {
                found.push(format!(
                    "{}:{}: `std::{}`: {what} is the host's, never the engine's",
                    source.shown,
                    path.line,
                    full.join("::")
                ));
            }
            if full.starts_with(&["thread"]) {
                if is_the_one_thread(source, &lines, path.line) {
                    the_thread_seen = true;
                } else {
                    found.push(format!(
                        "{}:{}: `std::{}`: the engine starts one thread only, in {}'s `{}` under {}",
                        source.shown,
                        path.line,
                        full.join("::"),
                        THE_ONE_THREAD.0,
                        THE_ONE_THREAD.1,
                        THE_ONE_THREAD.2
                    ));
                }
            }
        }
        for (word, what) in HOST_WORDS {
            for line in word_lines(&source.code, word) {
                found.push(format!(
                    "{}:{line}: `{word}`: {what}, never the engine's",
                    source.shown
                ));
            }
        }
        for path in paths(&source.code, "secform") {
            found.push(format!(
                "{}:{}: `secform::{}`: the engine never names the root crate (its doors import it, never the other way)",
                source.shown,
                path.line,
                path.path.join("::")
            ));
        }
    }
    if !the_thread_seen {
        found.push(format!(
            "crates/core/src/{}: `{}` under {} starts no std::thread any more: drop THE_ONE_THREAD here and its sentence in ARCHITECTURE.md",
            THE_ONE_THREAD.0, THE_ONE_THREAD.1, THE_ONE_THREAD.2
        ));
    }
    found
}

/// Whether line `line` of `source` is inside the one function allowed a thread, under its `cfg`.
fn is_the_one_thread(source: &Source, lines: &[&str], line: usize) -> bool {
    let (file, function, cfg) = THE_ONE_THREAD;
    if source.shown != format!("crates/core/src/{file}") {
        return false;
    }
    // The item the line is in: the nearest `fn` at the start of a line above it.
    let Some(start) = (0..line).rev().find(|&i| {
        let l = lines[i];
        l.starts_with("fn ") || l.starts_with("pub fn ") || l.starts_with("pub(crate) fn ")
    }) else {
        return false;
    };
    let named = lines[start]
        .split("fn ")
        .nth(1)
        .is_some_and(|rest| rest.starts_with(&format!("{function}(")));
    let attributes = lines[..start]
        .iter()
        .rev()
        .take_while(|l| l.starts_with("#[") || l.starts_with("///"));
    named && attributes.into_iter().any(|l| l.trim() == cfg)
}

/// The lines where `word` stands as a word of its own.
fn word_lines(code: &str, word: &str) -> Vec<usize> {
    let b = code.as_bytes();
    code.match_indices(word)
        .filter(|(at, _)| {
            let before = *at == 0 || !is_ident(b[at - 1]);
            let after = b.get(at + word.len()).is_none_or(|&c| !is_ident(c));
            before && after
        })
        .map(|(at, _)| code[..at].matches('\n').count() + 1)
        .collect()
}

/// The crates the engine's manifest depends on where it is built (every section but the
/// dev-dependencies), each with its line.
fn manifest_dependencies(toml: &str) -> Vec<(String, usize)> {
    let mut section = String::new();
    let mut deps = Vec::new();
    for (n, line) in toml.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.starts_with('[') {
            section = line.trim_matches(|c| c == '[' || c == ']').to_string();
            // `[dependencies.name]`
            if let Some((table, name)) = section.rsplit_once('.') {
                if table.ends_with("dependencies") && !table.ends_with("dev-dependencies") {
                    deps.push((name.trim_matches('"').to_string(), n + 1));
                }
            }
            continue;
        }
        let in_deps = section.ends_with("dependencies") && !section.ends_with("dev-dependencies");
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        if in_deps {
            deps.push((name.trim().trim_matches('"').to_string(), n + 1));
            // A renamed one: `zip2 = { package = "zip", … }`.
            if let Some(package) = value.split("package").nth(1) {
                let package = package.split('"').nth(1).unwrap_or("");
                deps.push((package.to_string(), n + 1));
            }
        }
    }
    deps
}

fn architecture() -> Vec<Vec<Row>> {
    tables(&common::read("ARCHITECTURE.md")).unwrap_or_else(|e| panic!("{e}"))
}

fn fail_with(what: &str, broken: &[String]) {
    assert!(broken.is_empty(), "{what}:\n  {}\n", broken.join("\n  "));
}

#[test]
fn every_import_is_one_the_map_allows() {
    let broken = broken_rules(&architecture(), &sources(&common::root()));
    fail_with(
        "imports ARCHITECTURE.md's stage tables forbid (move the code, or change the table if the code is right)",
        &broken,
    );
}

#[test]
fn the_engine_does_no_io() {
    fail_with(
        "the engine (crates/core/src) names what only a host has",
        &host_in_engine(&sources(&common::root())),
    );
}

#[test]
fn the_engine_depends_on_no_host_crate() {
    let toml = common::read("crates/core/Cargo.toml");
    let broken: Vec<String> = manifest_dependencies(&toml)
        .into_iter()
        .filter(|(name, _)| HOST_CRATES.contains(&name.as_str()))
        .map(|(name, line)| {
            format!("crates/core/Cargo.toml:{line}: `{name}` is a host's crate (the root crate's)")
        })
        .collect();
    fail_with("the engine's manifest", &broken);
    // The scan sees what it looks for: the engine's own dependencies, and not its dev-dependencies.
    let names: Vec<String> = manifest_dependencies(&toml)
        .into_iter()
        .map(|d| d.0)
        .collect();
    assert!(names.contains(&"krilla".to_string()), "{names:?}");
    assert!(!names.contains(&"tempfile".to_string()), "{names:?}");
}

/// The browser tab's door (`crates/web`) is the engine and what a page gives it: it depends on
/// `secform-core`, never on the root crate (which brings tokio, axum and rayon) nor on a host's
/// crate, and its code names `secform_core`, never `secform::`.
#[test]
fn the_tab_is_the_engine_alone() {
    let toml = common::read("crates/web/Cargo.toml");
    let deps = manifest_dependencies(&toml);
    let broken: Vec<String> = deps
        .iter()
        .filter(|(name, _)| name == "secform" || HOST_CRATES.contains(&name.as_str()))
        .map(|(name, line)| format!("crates/web/Cargo.toml:{line}: `{name}`"))
        .collect();
    fail_with("the tab's manifest names a door's crate", &broken);
    assert!(deps.iter().any(|d| d.0 == "secform-core"), "{deps:?}");
    let mut code = Vec::new();
    for entry in std::fs::read_dir(common::root().join("crates/web/src")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let uses_root = code_only(&text)
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .any(|w| w.starts_with("secform::"));
        code.push((path.display().to_string(), uses_root));
    }
    assert!(code.len() >= 2, "{code:?}");
    let broken: Vec<String> = code
        .into_iter()
        .filter(|c| c.1)
        .map(|c| format!("{}: names `secform::` (the root crate)", c.0))
        .collect();
    fail_with("the tab's code", &broken);
}

// ---- The scanner itself ----

#[test]
fn the_scanner_reads_use_trees_and_skips_comments_strings_and_tests() {
    let code = code_only(
        "use crate::{error::Error, model::{self, charset::codepoint as cp}};\n\
         /// [`crate::layout::document::Document`] in a doc comment\n\
         // crate::paint in a comment\n\
         fn f() -> &'static str { let _ = crate::rules::resolve::<u8>(1); \"crate::spec\" }\n\
         #[cfg(test)]\n\
         mod tests { use crate::input::answers; }\n\
         const R: &str = r#\"crate::export\"#; const C: char = '\"'; use crate::fonts;\n",
    );
    let found: Vec<(String, usize)> = paths(&code, "crate")
        .into_iter()
        .map(|f| (f.path.join("::"), f.line))
        .collect();
    assert_eq!(
        found,
        [
            ("error::Error".to_string(), 1),
            ("model".to_string(), 1),
            ("model::charset::codepoint".to_string(), 1),
            ("rules::resolve".to_string(), 4),
            ("fonts".to_string(), 7),
        ]
    );
}

#[test]
fn a_forbidden_import_is_named_with_its_file_line_and_rule() {
    let tables = architecture();
    let mut sources = sources(&common::root());
    // The layout is below the rules: the rules may not measure a laid-out document.
    let dates = sources
        .iter_mut()
        .find(|s| s.shown == "crates/core/src/rules/dates.rs")
        .unwrap();
    *dates = Source::new(
        &dates.shown.clone(),
        format!("use crate::layout::document::Document;\n{}", dates.text),
    );
    let broken = broken_rules(&tables, &sources);
    assert_eq!(broken.len(), 1, "{broken:#?}");
    assert!(
        broken[0].starts_with(
            "crates/core/src/rules/dates.rs:1: `crate::layout::document::Document` is in `layout`, \
             which `rules` may not import: ARCHITECTURE.md:"
        ),
        "{}",
        broken[0]
    );
    // And the engine reaching for the file system is named too.
    let model = sources
        .iter_mut()
        .find(|s| s.shown == "crates/core/src/model/seal.rs")
        .unwrap();
    *model = Source::new(
        &model.shown.clone(),
        format!(
            "{}\nfn f() {{ let _ = std::fs::read(\"x\"); }}\n",
            model.text
        ),
    );
    let io = host_in_engine(&sources);
    assert_eq!(io.len(), 1, "{io:#?}");
    assert!(
        io[0].contains("crates/core/src/model/seal.rs:")
            && io[0].contains("`std::fs::read`: the file system"),
        "{}",
        io[0]
    );
}
