//! The Japanese guide (docs/使い方.md) cannot rot: every line of its ```sh blocks is run, in order,
//! with the built binary for `secform`, in one temporary folder holding the replies the guide
//! assumes (made from the samples); each must exit as its comment says (「終了コード N」, else 0),
//! write the files it names, and print every line of the ```text block that follows it. The
//! guide's `<!-- guide-test: … -->` comments stand for what a user does between commands (a
//! corrected workbook saved over the old one). A line the test cannot run fails the test.
//! Unix only: `secform serve` is stopped as a user stops it, with Ctrl-C (SIGINT).
#![cfg(unix)]

use crate::common;

use std::collections::BTreeMap;
use std::io::{BufRead as _, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

const BIN: &str = env!("CARGO_BIN_EXE_secform");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One thing the guide does, in its order.
#[derive(Debug)]
enum Step {
    Run {
        line: String,
        code: i32,
    },
    /// A ```text block: what the command just before printed, or, where the block follows
    /// prose, what one of the commands so far printed.
    Shown {
        lines: Vec<String>,
        after_command: bool,
    },
    Put {
        path: String,
        from: String,
    },
    Remove(String),
    Config(String),
}

/// The steps of one closed block: each line of a ```sh block a command, its exit code from
/// 「終了コード N」 in its comment (0 without).
fn block(out: &mut Vec<Step>, lang: &str, after_command: bool, body: Vec<String>) {
    match lang {
        "sh" => {
            for l in body.iter().filter(|l| !l.trim().is_empty()) {
                let (cmd, comment) = match l.find(" #") {
                    Some(i) => (&l[..i], &l[i + 2..]),
                    None => (l.as_str(), ""),
                };
                let code = comment
                    .split("終了コード")
                    .nth(1)
                    .map(|c| c.trim().split(|ch: char| !ch.is_ascii_digit()).next())
                    .map(|n| n.and_then(|n| n.parse().ok()).expect(l))
                    .unwrap_or(0);
                out.push(Step::Run {
                    line: cmd.trim().to_string(),
                    code,
                });
            }
        }
        "text" => out.push(Step::Shown {
            lines: body,
            after_command,
        }),
        "json" => out.push(Step::Config(body.join("\n"))),
        other => panic!("a ```{other} block the guide test does not know"),
    }
}

fn steps(guide: &str) -> Vec<Step> {
    let mut out = Vec::new();
    // An open block: its kind, whether it follows a ```sh block with only blank lines between, its lines.
    let mut fence: Option<(String, bool, Vec<String>)> = None;
    // The kind of the block just closed, while only blank lines follow it.
    let mut just_closed = String::new();
    for line in guide.lines() {
        if let Some(rest) = line.strip_prefix("```") {
            just_closed = match fence.take() {
                None => {
                    fence = Some((rest.trim().to_string(), just_closed == "sh", Vec::new()));
                    String::new()
                }
                Some((lang, after_command, body)) => {
                    block(&mut out, &lang, after_command, body);
                    lang
                }
            };
            continue;
        }
        if fence.is_none() && !line.trim().is_empty() {
            just_closed.clear();
        }
        if let Some((_, _, body)) = fence.as_mut() {
            body.push(line.to_string());
            continue;
        }
        if let Some(d) = line
            .trim()
            .strip_prefix("<!-- guide-test:")
            .and_then(|d| d.strip_suffix("-->"))
        {
            let words: Vec<&str> = d.split_whitespace().collect();
            match words.as_slice() {
                ["put", path, from] => out.push(Step::Put {
                    path: path.to_string(),
                    from: from.to_string(),
                }),
                ["remove", path] => out.push(Step::Remove(path.to_string())),
                _ => panic!("a guide-test comment the test does not know: {line}"),
            }
        }
    }
    assert!(fence.is_none(), "a block is left open");
    out
}

fn secform(dir: &Path, home: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("SECFORM_FALLBACK_FONT")
        .output()
        .unwrap()
}

fn ok(out: std::process::Output, what: &str) {
    assert!(
        out.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The replies and later arrivals the guide assumes: the samples' four entities, one workbook
/// first without row 12 (the error 2 shows), an old .xls and a fifth entity's workbook.
fn prepare(work: &Path, prep: &Path, home: &Path) -> BTreeMap<String, PathBuf> {
    let batch = root().join("samples/batch.json");
    ok(
        secform(
            prep,
            home,
            &["batch", batch.to_str().unwrap(), "--out-dir", "pdf", "-q"],
        ),
        "samples",
    );
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(prep.join("pdf"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pdfs.sort();
    assert_eq!(pdfs.len(), 4);
    std::fs::create_dir(work.join("回答")).unwrap();
    let convert = |from: &Path, to: &Path| {
        ok(
            secform(
                work,
                home,
                &[
                    "convert",
                    from.to_str().unwrap(),
                    "-o",
                    to.to_str().unwrap(),
                ],
            ),
            "convert",
        )
    };
    convert(&pdfs[0], &work.join("回答/00_自社.xlsx"));
    convert(&pdfs[1], &work.join("回答/テスト技研.xlsx"));
    convert(&pdfs[3], &work.join("回答/クラウド運用.xlsx"));
    let mut arrivals = BTreeMap::new();
    let fixed = prep.join("直したブック.xlsx");
    convert(&pdfs[2], &fixed);
    arrivals.insert("直したブック".to_string(), fixed.clone());
    let json = prep.join("d.json");
    convert(&fixed, &json);
    let mut answers: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    answers["items"].as_object_mut().unwrap().remove("12");
    std::fs::write(&json, answers.to_string()).unwrap();
    convert(&json, &work.join("回答/データ保守.xlsx"));
    // The start of an old Excel file (OLE2 compound document), as an .xls sent by mistake begins.
    let old = prep.join("古い形式のブック.xls");
    let mut bytes = vec![0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
    bytes.resize(512, 0);
    std::fs::write(&old, bytes).unwrap();
    arrivals.insert("古い形式のブック".to_string(), old);
    let mut fifth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("samples/subcontractor.json")).unwrap(),
    )
    .unwrap();
    fifth["target"]["company"] = "株式会社ネット工房".into();
    let fifth_json = prep.join("e.json");
    std::fs::write(&fifth_json, fifth.to_string()).unwrap();
    let again = prep.join("届き直したブック.xlsx");
    convert(&fifth_json, &again);
    arrivals.insert("届き直したブック".to_string(), again);
    arrivals
}

/// What a path holds now, to tell a file written by a command from one left as it was (the
/// outputs are byte-for-byte the same run after run, so only the time tells).
fn stamp(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn stamps(dir: &Path) -> BTreeMap<PathBuf, SystemTime> {
    std::fs::read_dir(dir)
        .map(|r| {
            r.filter_map(|e| e.ok())
                .filter_map(|e| Some((e.path(), stamp(&e.path())?)))
                .collect()
        })
        .unwrap_or_default()
}

/// Runs `secform serve …` as the guide says, with a browser that does nothing, until it prints its
/// address; the page answers there; Ctrl-C stops it cleanly.
fn serve(dir: &Path, home: &Path, args: &[&str]) {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("BROWSER", "true")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut url = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let url = url.trim();
    let rest = url
        .strip_prefix("http://")
        .unwrap_or_else(|| panic!("serve printed {url:?}"));
    let (host, path) = rest.split_once('/').unwrap();
    let mut conn = std::net::TcpStream::connect(host).unwrap();
    write!(
        conn,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.200}");
    let stopped = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    assert!(
        child.wait().unwrap().success(),
        "serve did not stop cleanly"
    );
}

#[test]
fn every_command_of_the_guide_runs_as_it_says() {
    let guide = std::fs::read_to_string(root().join("docs/使い方.md")).unwrap();
    let steps = steps(&guide);
    let tmp = tempfile::tempdir().unwrap();
    let (work, prep, home) = (
        tmp.path().join("令和8年度"),
        tmp.path().join("prep"),
        tmp.path().join("home"),
    );
    for d in [&work, &prep, &home] {
        std::fs::create_dir(d).unwrap();
    }
    let arrivals = prepare(&work, &prep, &home);
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();

    let mut last_output: Option<(String, String)> = None;
    let mut every_output = String::new();
    let mut ran = 0;
    for step in &steps {
        match step {
            Step::Put { path, from } => {
                let from = arrivals
                    .get(from)
                    .unwrap_or_else(|| panic!("the guide's {from} is not prepared"));
                std::fs::copy(from, work.join(path)).unwrap();
            }
            Step::Remove(path) => std::fs::remove_file(work.join(path)).unwrap(),
            Step::Shown {
                lines,
                after_command,
            } => {
                let (line, output) = match after_command {
                    true => last_output
                        .clone()
                        .expect("a ```text block after a command not run"),
                    false => ("the guide's commands".to_string(), every_output.clone()),
                };
                for shown in lines.iter().filter(|l| !l.trim().is_empty()) {
                    let found = match shown.strip_suffix('…') {
                        Some(prefix) => output.lines().any(|l| l.starts_with(prefix)),
                        None => output.lines().any(|l| l == shown),
                    };
                    assert!(found, "`{line}` did not print\n{shown}\nbut\n{output}");
                }
            }
            Step::Config(json) => {
                // The configuration file as the guide shows it, with a font that is here: the
                // format is one secform takes (a wrong key would stop `check`).
                let value: serde_json::Value = serde_json::from_str(json).unwrap();
                let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
                assert_eq!(keys, ["fallback_font"]);
                let dir = tmp.path().join("config-home");
                std::fs::create_dir_all(dir.join("secform")).unwrap();
                let font = root().join("fonts/BIZUDMincho-Regular.ttf");
                let text = json.replace(
                    value["fallback_font"].as_str().unwrap(),
                    font.to_str().unwrap(),
                );
                std::fs::write(dir.join("secform/config.json"), text).unwrap();
                let out = Command::new(BIN)
                    .args(["check", "回答/"])
                    .current_dir(&work)
                    .env("XDG_CONFIG_HOME", &dir)
                    .env_remove("SECFORM_FALLBACK_FONT")
                    .output()
                    .unwrap();
                ok(out, "check with the guide's configuration file");
            }
            Step::Run { line, code } => {
                ran += 1;
                if line == "cargo install --locked --path ." {
                    // Too slow for `cargo test`: CI installs exactly so (.ci/run).
                    assert!(ci.contains(line.as_str()), ".ci/run does not run `{line}`");
                    continue;
                }
                let args: Vec<&str> = line
                    .strip_prefix("secform ")
                    .unwrap_or_else(|| panic!("the guide test cannot run `{line}`"))
                    .split_whitespace()
                    .collect();
                if args.first() == Some(&"serve") {
                    assert_eq!(*code, 0, "{line}");
                    serve(&work, &home, &args);
                    continue;
                }
                let named = |opt: &str| {
                    args.iter()
                        .position(|a| *a == opt)
                        .map(|i| work.join(args[i + 1]))
                };
                let files: Vec<PathBuf> = ["-o", "--merge", "--summary"]
                    .iter()
                    .filter_map(|o| named(o))
                    .collect();
                let out_dir = named("--out-dir");
                let before: Vec<Option<SystemTime>> = files.iter().map(|f| stamp(f)).collect();
                let dir_before = out_dir.as_deref().map(stamps).unwrap_or_default();

                let out = secform(&work, &home, &args);
                let output = format!(
                    "{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
                assert_eq!(
                    out.status.code(),
                    Some(*code),
                    "`{line}` exited otherwise than the guide says:\n{output}"
                );
                // Every file named is written, but the merged PDF of a run with a gap: the
                // guide says it is not made (and an earlier one stays as it was).
                let incomplete = *code != 0 && !args.contains(&"--allow-incomplete");
                for (file, before) in files.iter().zip(&before) {
                    let written = stamp(file).is_some() && stamp(file) != *before;
                    if incomplete && named("--merge").as_ref() == Some(file) {
                        assert!(!written, "`{line}` wrote {}", file.display());
                        assert!(before.is_some(), "the guide's earlier set is gone");
                    } else {
                        assert!(written, "`{line}` did not write {}", file.display());
                    }
                }
                if let Some(dir) = &out_dir {
                    let after = stamps(dir);
                    assert!(
                        after.iter().any(|(p, t)| dir_before.get(p) != Some(t)),
                        "`{line}` wrote nothing into {}",
                        dir.display()
                    );
                }
                every_output.push_str(&output);
                last_output = Some((line.clone(), output));
            }
        }
    }
    assert!(ran >= 10, "the guide's commands were not found ({ran})");
    // What the year leaves: a form per entity, the set, the overview and next year's workbooks.
    assert_eq!(std::fs::read_dir(work.join("確認書")).unwrap().count(), 5);
    assert_eq!(std::fs::read_dir(work.join("翌年")).unwrap().count(), 5);
    // The overview the guide's last batch wrote names every entity and nothing to look into.
    let overview = common::pdf_pages(&std::fs::read(work.join("一覧.pdf")).unwrap()).concat();
    let text = overview.concat();
    for company in [
        "株式会社サンプル情報システム",
        "株式会社テスト技研",
        "有限会社データ保守サービス",
        "合同会社クラウド運用研究所",
        "株式会社ネット工房",
    ] {
        assert!(text.contains(company), "{company} not in 一覧.pdf:\n{text}");
    }
    assert!(!text.contains("要確認の内容"), "{text}");
}
