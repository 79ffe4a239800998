//! The circumstances as a person is asked them: the layout's plain question for one, or else the
//! parenthesised condition of the first row it decides. The page of `secform serve`, the workbook
//! and the messages of `check` ask with these same words, all taken from the layout's data.

use crate::spec::form::{Applies, FormSpec, RowSpec};

/// One circumstance as it is asked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Question {
    /// The key under `circumstances`.
    pub name: String,
    /// The question: the layout's plain question for it, or else the parenthesised condition of
    /// the first row it decides (「甲の指定する場所において個別業務を行う場合」).
    pub text: String,
    /// The rows it decides.
    pub rows: Vec<u32>,
}

/// The parenthesised condition a row text starts its sentence with: 「(情報システムを使用する場合)」.
fn condition(text: &str) -> Option<&str> {
    let open = text.find(['(', '（'])?;
    let rest = &text[open + text[open..].chars().next()?.len_utf8()..];
    let close = rest.find([')', '）'])?;
    Some(rest[..close].trim()).filter(|c| !c.is_empty())
}

/// Every circumstance the layout's rows name, in row order, with its question; `None` for a name
/// the layout gives no way to ask (a layout defect its tests catch).
pub fn questions(form: &FormSpec) -> Vec<Option<Question>> {
    form.circumstances()
        .into_iter()
        .map(|name| question(form, name))
        .collect()
}

/// The question of the circumstance `name` (see [`questions`]).
pub fn question(form: &FormSpec, name: &str) -> Option<Question> {
    let rows: Vec<&RowSpec> = form
        .items
        .rows
        .iter()
        .filter(|r| matches!(&r.applies, Some(Applies::Circumstance(n)) if n == name))
        .collect();
    let text = form
        .plain_questions
        .get(name)
        .map(String::as_str)
        .or_else(|| rows.first().and_then(|r| condition(&r.text)))?;
    Some(Question {
        name: name.to_string(),
        text: text.to_string(),
        rows: rows.iter().map(|r| r.number).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_are_read_from_row_texts() {
        assert_eq!(
            condition("6.1 (情報システムを使用する場合) 当該情報システムの"),
            Some("情報システムを使用する場合")
        );
        assert_eq!(condition("（全角の場合）です"), Some("全角の場合"));
        assert_eq!(condition("5.5 業務情報について"), None);
        assert_eq!(condition("()"), None);
    }

    /// Every circumstance of every layout can be asked, and a plain question is given only for a
    /// circumstance the layout names.
    #[test]
    fn every_circumstance_has_a_question() {
        for name in crate::spec::names() {
            let form = FormSpec::get(name).unwrap();
            let qs = questions(form);
            assert!(!qs.is_empty());
            for (q, n) in qs.iter().zip(form.circumstances()) {
                let q = q
                    .as_ref()
                    .unwrap_or_else(|| panic!("{name}: {n} has no question"));
                assert!(!q.text.is_empty() && !q.rows.is_empty());
                // A question is a question of ours or the form's condition, never a key.
                assert!(!q.text.is_ascii(), "{name}: {n}: {}", q.text);
            }
            for key in form.plain_questions.keys().filter(|k| !k.starts_with('$')) {
                assert!(
                    form.circumstances().contains(&key.as_str()),
                    "{name}: plain_questions.{key} is no circumstance"
                );
            }
        }
    }

    #[test]
    fn npa_2022_questions() {
        let form = FormSpec::get("npa-2022").unwrap();
        let qs: Vec<Question> = questions(form).into_iter().flatten().collect();
        let by = |n: &str| qs.iter().find(|q| q.name == n).unwrap().clone();
        assert_eq!(
            by("onsite").text,
            "甲の指定する場所において個別業務を行う場合"
        );
        assert_eq!(by("onsite").rows, [13, 14]);
        assert_eq!(
            by("disposal_requested").text,
            form.plain_questions["disposal_requested"]
        );
        assert_eq!(by("disposal_requested").rows, [17]);
        assert_eq!(by("return_requested").rows, [19]);
        assert_eq!(by("information_system").rows, [20, 21, 22]);
    }
}
