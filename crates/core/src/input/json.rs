//! Answer files as text: decoding, parsing, and what a JSON parser leaves unsaid.
//!
//! Every way an answer set arrives (a file, standard input, a batch file, a folder entry, a JSON
//! Lines line) goes through [`parse`], so each gets the same Japanese messages: the encoding a
//! Windows tool saved, a syntax error with its column in characters, a key written twice.

use serde_json::Value;

use crate::error::Problem;

/// The JSON of `text` (a UTF-8 byte-order mark, as Windows Notepad writes, is not part of it),
/// with the keys written twice as problems beside it; or why it is not JSON.
pub fn parse(text: &str) -> Result<(Value, Vec<Problem>), Vec<Problem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Counted before the tree is built: `[0,0,0,…]` costs 16 times its text as values.
    let walked = walk(text);
    if walked.values > MAX_VALUES {
        return Err(vec![Problem::error(
            "$",
            format!(
                "値が多すぎます（{MAX_VALUES} 個を超えています）。secform の回答セットは数百個、一括ファイルでも数十万個です"
            ),
        )]);
    }
    match serde_json::from_str::<Value>(text) {
        Ok(value) => Ok((value, walked.twice)),
        Err(e) => Err(vec![syntax_problem(&e, text)]),
    }
}

/// The most values (numbers, strings, arrays, objects…) one JSON text may hold: an answer set has
/// a few hundred, a batch file of 5,000 entities under a million. Beyond it the parsed tree alone
/// would take more memory than any real file needs (32 bytes a value and more).
pub const MAX_VALUES: usize = 1_000_000;

/// [`parse`] for a whole answer set that may not be partly read: a key written twice refuses it.
pub fn parse_strict(text: &str) -> Result<Value, Vec<Problem>> {
    match parse(text)? {
        (value, twice) if twice.is_empty() => Ok(value),
        (_, twice) => Err(twice),
    }
}

/// Describes a JSON syntax error of `text` in Japanese, with its line and column. serde_json
/// counts columns in bytes and words its reasons in English; a Japanese line holds three bytes a
/// character, so the column is recounted in characters and the common reasons are translated.
pub fn syntax_problem(e: &serde_json::Error, text: &str) -> Problem {
    use serde_json::error::Category;
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Problem::error("$", "ファイルが空です（JSON の回答がありません）");
    }
    let what = match e.classify() {
        Category::Eof => "JSON が途中で終わっています",
        Category::Syntax => "JSON の書き方に誤りがあります",
        Category::Data => "JSON の値が読めません",
        Category::Io => "JSON を読み込めません",
    };
    let english = e.to_string();
    let reason = english.split(" at line ").next().unwrap_or("");
    // serde_json reports a trailing comma where the closing bracket is, often a line later; the
    // user has to delete the comma, so that is where the message points.
    let (line, line_text, byte) = match reason
        .starts_with("trailing comma")
        .then(|| comma_before(text, e.line(), e.column()))
        .flatten()
    {
        Some(found) => found,
        None => {
            let line_text = text.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
            (e.line(), line_text, e.column())
        }
    };
    let mut byte = byte.min(line_text.len());
    while !line_text.is_char_boundary(byte) {
        byte -= 1;
    }
    let column = line_text[..byte].chars().count().max(1);
    const REASONS: [(&str, &str); 12] = [
        ("expected `,` or `}`", "「,」か「}」が足りません"),
        ("expected `,` or `]`", "「,」か「]」が足りません"),
        ("expected `:`", "「:」が足りません"),
        ("expected value", "値がありません"),
        ("expected ident", "true、false、null の綴りが違います"),
        ("trailing comma", "最後の「,」は要りません"),
        ("key must be a string", "項目名は \"…\" で囲みます"),
        (
            "control character",
            "文字列の中に改行やタブがあります（\\n、\\t と書きます）",
        ),
        (
            "invalid escape",
            "「\\」の使い方が違います（「\\」そのものは「\\\\」と書きます）",
        ),
        ("invalid number", "数値が読めません"),
        ("trailing characters", "JSON の後に余分な文字があります"),
        ("EOF while parsing", "閉じ括弧や閉じ引用符が足りません"),
    ];
    let detail = REASONS
        .iter()
        .find(|(en, _)| reason.starts_with(en))
        .map_or(String::new(), |(_, ja)| format!(": {ja}"));
    // One line (a JSON Lines entry, whose line the caller names): the column says it all.
    let place = if text.trim_end().contains('\n') {
        format!("{line} 行目 {column} 文字目")
    } else {
        format!("{column} 文字目")
    };
    Problem::error("$", format!("{what}（{place}）{detail}"))
}

/// The last `,` before line `line`, byte column `column` (1-based, as serde_json counts), with
/// only white space between: its line number, that line's text and the byte column just past it.
fn comma_before(text: &str, line: usize, column: usize) -> Option<(usize, &str, usize)> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut n = line.checked_sub(1)?;
    let mut end = column.saturating_sub(1).min(lines.get(n)?.len());
    loop {
        let candidate = lines[n].get(..end)?.trim_end();
        if let Some(before) = candidate.strip_suffix(',') {
            return Some((n + 1, lines[n], before.len() + 1));
        }
        if !candidate.is_empty() {
            return None;
        }
        n = n.checked_sub(1)?;
        end = lines[n].len();
    }
}

/// A key written twice in one object, each as a problem at its path. JSON readers keep the last
/// value silently, so a row answered twice would print an answer the user may not have meant.
pub fn duplicate_keys(json: &str) -> Vec<Problem> {
    walk(json).twice
}

/// What one pass over a JSON text finds without building its tree.
struct Walked {
    /// Values met, counted up to one past [`MAX_VALUES`] (the walk stops there).
    values: usize,
    /// Keys written twice, as problems at their paths.
    twice: Vec<Problem>,
}

fn walk(json: &str) -> Walked {
    use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
    use std::cell::{Cell, RefCell};

    struct Walk<'a> {
        path: String,
        found: &'a RefCell<Vec<Problem>>,
        values: &'a Cell<usize>,
    }
    impl<'de> DeserializeSeed<'de> for Walk<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            self.values.set(self.values.get() + 1);
            if self.values.get() > MAX_VALUES {
                return Err(D::Error::custom("too many values"));
            }
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Walk<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut i = 0;
            loop {
                let path = join(&self.path, &i.to_string());
                let walk = Walk {
                    path,
                    found: self.found,
                    values: self.values,
                };
                if seq.next_element_seed(walk)?.is_none() {
                    return Ok(());
                }
                i += 1;
            }
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                let path = key_path(&self.path, &key).unwrap_or_else(|| self.path.clone());
                if !seen.insert(key.clone()) {
                    self.found.borrow_mut().push(Problem::error(
                        path.clone(),
                        format!("項目 \"{key}\" が2回書かれています。どちらか一方にしてください"),
                    ));
                }
                map.next_value_seed(Walk {
                    path,
                    found: self.found,
                    values: self.values,
                })?;
            }
            Ok(())
        }
    }

    let found = RefCell::new(Vec::new());
    let values = Cell::new(0);
    let mut de = serde_json::Deserializer::from_str(json);
    // Syntax errors are reported by the real parse; here only what it cannot see matters.
    let _ = Walk {
        path: "$".into(),
        found: &found,
        values: &values,
    }
    .deserialize(&mut de);
    Walked {
        values: values.get(),
        twice: found.into_inner(),
    }
}

/// The path of `key` under `parent` when the key can be written in an ASCII path; otherwise the
/// parent's path (the message then quotes the key), so that paths stay ASCII and never empty.
pub(crate) fn key_path(parent: &str, key: &str) -> Option<String> {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-$".contains(c));
    plain.then(|| join(parent, key))
}

pub(crate) fn join(path: &str, key: &str) -> String {
    if path == "$" {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_of_too_many_values_is_refused_before_its_tree_is_built() {
        let many = format!("[{}0]", "0,".repeat(MAX_VALUES));
        let problems = parse(&many).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].message.starts_with("値が多すぎます"),
            "{problems:?}"
        );
        let fewer = format!("[{}0]", "0,".repeat(MAX_VALUES - 2));
        assert!(parse(&fewer).is_ok());
    }

    #[test]
    fn keys_written_twice_are_found_at_their_paths() {
        let json = r#"{"a":[{"b":1,"b":2}],"c":1,"c":{"d":1},"会社":1,"会社":2}"#;
        let paths: Vec<String> = duplicate_keys(json).into_iter().map(|p| p.path).collect();
        assert_eq!(paths, ["a.0.b", "c", "$"]);
        assert!(duplicate_keys(r#"{"a":{"b":1},"c":{"b":1}}"#).is_empty());
    }
}
