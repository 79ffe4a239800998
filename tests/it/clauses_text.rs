//! The clause templates against their sources. The seed texts are the oracle: the expected
//! blocks are derived from them here, never copied, so a single wrong character (or a wrong
//! block kind) in a template fails a test.

use std::fs;
use std::path::Path;

use secform::clauses::{
    render_blocks, to_md, to_txt, variant, variant_names, Block, BlockKind, ClauseError,
    ClauseFormat, Parties, PartiesError,
};

const NPA_SEED: &str = "004_faaeaf0efdfc754c.txt";
const ITAKU_SEED: &str = "000_760a909466f38e7d.txt";
const NPA_START: &str = "## 情報セキュリティの確保に関する特約条項";
const NPA_END: &str = "## 情報セキュリティ対策履行状況確認書";
const COMPANY: &str = "株式会社サンプル情報システム";
const AGENCY: &str = "国立研究開発法人テスト機構";

fn seed(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seeds")
        .join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parties(first: &str, second: &str) -> Parties {
    Parties {
        first: first.to_owned(),
        second: second.to_owned(),
    }
}

fn blocks(name: &str, first: &str, second: &str) -> Vec<Block> {
    let v = variant(name).expect("known variant");
    render_blocks(&v, &parties(first, second)).expect("renders")
}

fn txt(name: &str, first: &str, second: &str) -> String {
    to_txt(&blocks(name, first, second))
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn without_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The block a normalised source line stands for, classified by its shape alone.
fn expected_block(line: &str, is_title: bool) -> Block {
    let is_caption = (line.starts_with('(') && line.ends_with(')'))
        || (line.starts_with('（') && line.ends_with('）'));
    let digits = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    };
    let numbered = line.split_once(' ').and_then(|(label, body)| {
        let kind = if label.starts_with('第') && label.ends_with('条') {
            BlockKind::Article
        } else if digits(label) {
            BlockKind::Paragraph
        } else if label.chars().all(|c| "一二三四五六七八九十".contains(c)) {
            BlockKind::Item
        } else {
            return None;
        };
        Some((kind, label, body))
    });
    let (kind, label, body) = match numbered {
        _ if is_title => (BlockKind::Title, "", line),
        _ if is_caption => (BlockKind::Caption, "", line),
        Some(numbered) => numbered,
        None => (BlockKind::Text, "", line),
    };
    Block {
        kind,
        label: label.to_owned(),
        body: body.to_owned(),
    }
}

/// Seed 004's clause section, with the Markdown markers, blank lines and extra spaces removed.
fn npa_seed_lines() -> Vec<String> {
    let text = seed(NPA_SEED);
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| *l == NPA_START)
        .expect("section start");
    let end = lines
        .iter()
        .position(|l| *l == NPA_END)
        .expect("section end");
    lines[start..end]
        .iter()
        .map(|line| {
            let line = line.trim().trim_start_matches('#').trim_start();
            let line = line.strip_prefix("- ").unwrap_or(line);
            collapse_whitespace(line)
        })
        .filter(|line| !line.is_empty())
        .collect()
}

/// Seed 000's blocks. In this PDF extraction the last line of every block (and only it) ends
/// with a space, while a line broken mid-sentence does not; the whole-text comparison in
/// `itaku_matches_seed_000_text` does not rely on this.
fn itaku_seed_blocks() -> Vec<String> {
    let text = seed(ITAKU_SEED);
    let mut blocks = Vec::new();
    let mut current = String::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        current.push_str(line.trim());
        if line.ends_with(char::is_whitespace) {
            blocks.push(collapse_whitespace(&current));
            current.clear();
        }
    }
    assert_eq!(current, "", "seed 000 ends inside a block");
    blocks
}

/// Compares line by line first, so that a failure names the first differing block.
fn assert_same_lines(actual: &[String], expected: &[String]) {
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert_eq!(a, e, "block {} differs", i + 1);
    }
    assert_eq!(actual.len(), expected.len(), "number of blocks");
}

/// Title first, each article right after its caption, articles numbered 1..=count in order.
fn assert_structure(blocks: &[Block], title: &str, count: usize, label: fn(usize) -> String) {
    assert_eq!(blocks[0].kind, BlockKind::Title);
    assert_eq!(blocks[0].body, title);
    assert_eq!(
        blocks.iter().filter(|b| b.kind == BlockKind::Title).count(),
        1
    );
    let articles: Vec<usize> = (0..blocks.len())
        .filter(|&i| blocks[i].kind == BlockKind::Article)
        .collect();
    let labels: Vec<&str> = articles.iter().map(|&i| blocks[i].label.as_str()).collect();
    let expected: Vec<String> = (1..=count).map(label).collect();
    assert_eq!(labels, expected);
    for &i in &articles {
        assert_eq!(
            blocks[i - 1].kind,
            BlockKind::Caption,
            "before {}",
            blocks[i].label
        );
    }
    let captions = blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Caption)
        .count();
    assert_eq!(captions, count, "one caption per article");
}

fn full_width(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
        .collect()
}

#[test]
fn npa_matches_seed_004() {
    let seed_lines = npa_seed_lines();
    let txt = txt("npa-2022", "甲", "乙");
    assert!(txt.ends_with('\n'));
    let lines: Vec<String> = txt.lines().map(str::to_owned).collect();
    assert_same_lines(&lines, &seed_lines);

    let expected: Vec<Block> = seed_lines
        .iter()
        .enumerate()
        .map(|(i, line)| expected_block(line, i == 0))
        .collect();
    let actual = blocks("npa-2022", "甲", "乙");
    assert_eq!(actual, expected);
    let v = variant("npa-2022").expect("known variant");
    assert_structure(&actual, &v.title, 12, |n| format!("第{n}条"));
    let text_blocks: Vec<&str> = actual
        .iter()
        .filter(|b| b.kind == BlockKind::Text)
        .map(|b| b.body.as_str())
        .collect();
    assert_eq!(
        text_blocks,
        ["なお、乙が予め当該計画を有する場合には、これに代えることができる。"]
    );
}

#[test]
fn itaku_matches_seed_000_text() {
    let rendered = txt("itaku-14", "委託者", "受託者");
    assert_eq!(
        without_whitespace(&rendered),
        without_whitespace(&seed(ITAKU_SEED))
    );
}

#[test]
fn itaku_matches_seed_000_blocks() {
    let seed_blocks = itaku_seed_blocks();
    let actual = blocks("itaku-14", "委託者", "受託者");
    let lines: Vec<String> = actual.iter().map(Block::text).collect();
    assert_same_lines(&lines, &seed_blocks);

    let expected: Vec<Block> = seed_blocks
        .iter()
        .enumerate()
        .map(|(i, line)| expected_block(line, i == 0))
        .collect();
    assert_eq!(actual, expected);
    let v = variant("itaku-14").expect("known variant");
    assert_structure(&actual, &v.title, 14, |n| format!("第{}条", full_width(n)));
    let items: Vec<&str> = actual
        .iter()
        .filter(|b| b.kind == BlockKind::Item)
        .map(|b| b.label.as_str())
        .collect();
    assert_eq!(items, ["一", "二", "三", "一", "二", "三", "四"]);
}

#[test]
fn metadata() {
    assert_eq!(variant_names(), ["itaku-14", "npa-2022"]);
    let npa = variant("npa-2022").expect("known variant");
    assert_eq!(npa.name, "npa-2022");
    assert_eq!(npa.title, "情報セキュリティの確保に関する特約条項");
    assert_eq!(npa.default_parties, parties("甲", "乙"));
    assert!(npa.has_form);
    let itaku = variant("itaku-14").expect("known variant");
    assert_eq!(itaku.name, "itaku-14");
    assert_eq!(itaku.title, "情報セキュリティ要件に関する事項");
    assert_eq!(itaku.default_parties, parties("委託者", "受託者"));
    assert!(!itaku.has_form);
}

/// Replaces every occurrence of `a` by `b` and vice versa.
fn swap(text: &str, a: &str, b: &str) -> String {
    const HOLE: &str = "\u{0}";
    text.replace(a, HOLE).replace(b, a).replace(HOLE, b)
}

#[test]
fn swapped_labels() {
    for name in variant_names() {
        let v = variant(name).expect("known variant");
        let (first, second) = (
            v.default_parties.first.as_str(),
            v.default_parties.second.as_str(),
        );
        let default = txt(name, first, second);
        let swapped = txt(name, second, first);
        assert_ne!(swapped, default, "{name}");
        assert_eq!(
            swapped.matches(first).count(),
            default.matches(second).count()
        );
        assert_eq!(
            swapped.matches(second).count(),
            default.matches(first).count()
        );
        assert_eq!(swap(&swapped, first, second), default, "{name}");
    }
}

#[test]
fn real_names() {
    for name in variant_names() {
        let v = variant(name).expect("known variant");
        let (first, second) = (
            v.default_parties.first.as_str(),
            v.default_parties.second.as_str(),
        );
        let default = txt(name, first, second);
        assert!(default.matches(first).count() > 10, "{name}");
        assert!(default.matches(second).count() > 10, "{name}");
        for (a, b) in [(COMPANY, AGENCY), (AGENCY, COMPANY)] {
            let named = txt(name, a, b);
            for label in [first, second, "甲", "乙", "託者", "{", "}"] {
                assert!(!named.contains(label), "{name}: {label} left in\n{named}");
            }
            assert_eq!(named.matches(a).count(), default.matches(first).count());
            assert_eq!(named.matches(b).count(), default.matches(second).count());
            assert_eq!(
                named.replace(a, first).replace(b, second),
                default,
                "{name}"
            );
        }
    }
}

#[test]
fn names_are_inserted_verbatim() {
    // No HTML escaping, and a name that looks like a placeholder is not expanded again.
    let default = txt("npa-2022", "甲", "乙");
    let named = txt("npa-2022", "A&B <株式会社>", "{{first}}");
    assert_eq!(
        named
            .replace("A&B <株式会社>", "甲")
            .replace("{{first}}", "乙"),
        default
    );
}

fn parse_err(input: &str) -> PartiesError {
    match Parties::parse(input) {
        Ok(p) => panic!("{input:?} accepted as {p:?}"),
        Err(e) => e,
    }
}

#[test]
fn parties_accepted() {
    let ok = |s: &str| Parties::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
    assert_eq!(ok("甲,乙"), parties("甲", "乙"));
    assert_eq!(ok(" 委託者 ,\t受託者 "), parties("委託者", "受託者"));
    assert_eq!(ok(&format!("{COMPANY},{AGENCY}")), parties(COMPANY, AGENCY));
    assert_eq!(
        ok("株式会社 サンプル,乙"),
        parties("株式会社 サンプル", "乙")
    );
}

#[test]
fn parties_rejected() {
    assert!(matches!(parse_err(" "), PartiesError::Missing));
    for input in ["甲", "甲，乙", "甲、乙"] {
        let e = parse_err(input);
        assert!(matches!(e, PartiesError::Single { .. }), "{input:?}: {e:?}");
        assert!(
            !e.to_string().contains("--"),
            "a library message names no option: {e}"
        );
    }
    let e = parse_err("甲,乙,丙");
    assert!(matches!(e, PartiesError::TooMany { count: 3 }), "{e:?}");
    assert!(
        e.to_string().contains("カンマを含む名前は使えません"),
        "{e}"
    );
    for (input, position) in [(",乙", 1), ("甲,", 2), ("　,乙", 1), (" , ", 1)] {
        let e = parse_err(input);
        assert!(
            matches!(e, PartiesError::Empty { position: p } if p == position),
            "{input:?}: {e:?}"
        );
        assert_eq!(e.to_string(), format!("{position}番目の当事者名が空です"));
    }
    for input in ["甲,甲", " 甲 ,甲"] {
        let e = parse_err(input);
        assert_eq!(e.to_string(), "当事者名が同じです（甲）");
    }
    for (input, position) in [
        ("株式会社\nサンプル,乙", 1),
        ("甲,国立\r\n機構", 2),
        ("甲,乙\u{2028}丙", 2),
    ] {
        let e = parse_err(input);
        assert!(
            matches!(e, PartiesError::Control { position: p } if p == position),
            "{input:?}: {e:?}"
        );
        assert!(e.to_string().contains("改行"), "{e}");
    }
}

#[test]
fn render_rechecks_parties() {
    // The fields are public, so render_blocks must not trust them.
    let v = variant("npa-2022").expect("known variant");
    for bad in [
        parties("甲\n乙", "丙"),
        parties("甲", "甲"),
        parties("", "乙"),
        parties(" 甲", "乙"),
    ] {
        assert!(render_blocks(&v, &bad).is_err(), "{bad:?}");
    }
}

#[test]
fn unknown_variant() {
    let Err(e) = variant("foo") else {
        panic!("foo accepted")
    };
    assert!(matches!(e, ClauseError::UnknownVariant { .. }));
    assert_eq!(
        e.to_string(),
        "不明な条項の種類です: foo（使用できるもの: itaku-14, npa-2022）"
    );
}

#[test]
fn formats() {
    assert_eq!("pdf".parse::<ClauseFormat>().ok(), Some(ClauseFormat::Pdf));
    assert_eq!("txt".parse::<ClauseFormat>().ok(), Some(ClauseFormat::Txt));
    assert_eq!("md".parse::<ClauseFormat>().ok(), Some(ClauseFormat::Md));
    assert_eq!(
        "docx".parse::<ClauseFormat>().ok(),
        Some(ClauseFormat::Docx)
    );
    for bad in ["odt", "PDF", "", " txt"] {
        let Err(e) = bad.parse::<ClauseFormat>() else {
            panic!("{bad:?} accepted")
        };
        assert_eq!(
            e.to_string(),
            format!("不明な出力形式です: {bad}（使用できるもの: pdf, txt, md, docx）")
        );
    }
}

#[test]
fn markdown() {
    for name in variant_names() {
        let v = variant(name).expect("known variant");
        let (first, second) = (
            v.default_parties.first.as_str(),
            v.default_parties.second.as_str(),
        );
        let blocks = blocks(name, first, second);
        let md = to_md(&blocks);
        let lines: Vec<&str> = md.lines().collect();
        assert_eq!(lines[0], format!("# {}", v.title));
        let headings: Vec<&str> = lines.iter().filter_map(|l| l.strip_prefix("## ")).collect();
        let captions: Vec<&str> = blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Caption)
            .map(|b| b.body.as_str())
            .collect();
        assert_eq!(headings, captions, "{name}");
        assert_eq!(lines.iter().filter(|l| l.starts_with("# ")).count(), 1);

        // Every block is its own Markdown block, except that list items stay together.
        let mut expected = String::new();
        for (i, b) in blocks.iter().enumerate() {
            let continues_list =
                i > 0 && b.kind == BlockKind::Item && blocks[i - 1].kind == BlockKind::Item;
            if i > 0 && !continues_list {
                expected.push('\n');
            }
            let marker = match b.kind {
                BlockKind::Title => "# ",
                BlockKind::Caption => "## ",
                BlockKind::Item => "- ",
                _ => "",
            };
            expected.push_str(&format!("{marker}{}\n", b.text()));
        }
        assert_eq!(md, expected, "{name}");
    }
    let md = to_md(&blocks("npa-2022", "甲", "乙"));
    assert!(md.contains("\n## (目的)\n\n第1条 乙は、"), "{md}");
    assert!(md.contains("\n\n- 一 甲が秘密区分"), "{md}");
    assert!(
        md.contains("\n- 二 甲が秘密区分の指定をした秘密に属する物件\n- 三 "),
        "{md}"
    );
}

#[test]
fn markdown_escapes_names() {
    let md = to_md(&blocks("npa-2022", "*甲*", "乙_社_"));
    assert!(md.contains("\\*甲\\*"), "{md}");
    assert!(md.contains("乙\\_社\\_"), "{md}");
    let txt = txt("npa-2022", "*甲*", "乙_社_");
    assert!(txt.contains("*甲*が秘密区分"), "{txt}");
}

/// `--party-names` keeps the labels: the txt starts with the parties block 「甲：…」「乙：…」 and the
/// rest is the output without the option, character for character; md the same, as paragraphs; a
/// bad name is refused as `--parties` refuses it; with `--parties` the block uses those labels.
#[test]
fn party_names_add_a_parties_block_and_keep_the_labels() {
    let run = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("secform")
            .unwrap()
            .arg("clauses")
            .args(args)
            .output()
            .unwrap()
    };
    let names = "北海道警察本部,株式会社北辰情報システムズ";
    for format in ["txt", "md"] {
        let plain = run(&["--format", format]);
        let named = run(&["--format", format, "--party-names", names]);
        assert!(named.status.success());
        let (plain, named) = (
            String::from_utf8(plain.stdout).unwrap(),
            String::from_utf8(named.stdout).unwrap(),
        );
        let head = match format {
            "txt" => "甲：北海道警察本部\n乙：株式会社北辰情報システムズ\n",
            _ => "甲：北海道警察本部\n\n乙：株式会社北辰情報システムズ\n\n",
        };
        assert_eq!(named, format!("{head}{plain}"), "{format}");
    }
    let relabelled = run(&[
        "--format",
        "txt",
        "--parties",
        "委託者,受託者",
        "--party-names",
        names,
    ]);
    let text = String::from_utf8(relabelled.stdout).unwrap();
    assert!(text.starts_with("委託者：北海道警察本部\n受託者：株式会社北辰情報システムズ\n"));
    for (bad, needle) in [
        ("北海道警察本部", "1つしかありません"),
        ("北海道警察本部,北海道警察本部", "同じです"),
        ("北海道警察本部, ", "空です"),
    ] {
        let out = run(&["--format", "txt", "--party-names", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("--party-names") && stderr.contains(needle),
            "{bad}: {stderr}"
        );
    }
    // The library checks the names too: its fields are public.
    let v = variant("npa-2022").unwrap();
    let same = Parties {
        first: "A".into(),
        second: "A".into(),
    };
    assert!(secform::clauses::render_blocks_named(&v, &v.default_parties, Some(&same)).is_err());
}
