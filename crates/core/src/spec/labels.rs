//! The form's own name for a place in an answer set: 「(1) 事業者名」 for `target.company`,
//! 「2 確認事項 17 実施/未実施」 for `items.17.status`, the plain question for a circumstance. A
//! compliance officer knows the form, not its JSON; every name here is taken from the layout's
//! data, so that a second layout names its own fields.

use crate::error::Problem;
use crate::spec::form::{ColumnKey, FormSpec, TargetField};

/// A label's closing colon (「(1) 事業者名：」) is the form's, not the name's.
fn bare(label: &str) -> &str {
    label.trim_end_matches(['：', ':']).trim_end()
}

fn target_field<'a>(form: &'a FormSpec, key: &str) -> Option<&'a TargetField> {
    form.target.fields.iter().find(|f| f.key.as_str() == key)
}

/// 「確認者」 and its parts (「事業者名」「所属」「役職」「氏名」), read from the 確認者 label as the
/// form words it: 「確認者（事業者名、所属、役職、氏名）：」.
fn checker_parts(form: &FormSpec) -> (&str, Vec<&str>) {
    let label = bare(&form.checker.label);
    match label.split_once(['（', '(']) {
        Some((head, rest)) => (
            head.trim(),
            rest.trim_end_matches(['）', ')']).split('、').collect(),
        ),
        None => (label, Vec::new()),
    }
}

/// The keys of `checker`, in the order the form's 確認者 label lists them.
const CHECKER_KEYS: [&str; 4] = ["company", "department", "title", "name"];

/// The form's name for the JSON path `path` (`items.17.status`), or `None` where the form has
/// none (`layout`, `dates`, the whole answer set `$`, a key the layout does not know).
pub fn label(form: &FormSpec, path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        ["target"] => Some(form.target.heading.clone()),
        ["target", "subcontractor", ..] => {
            let company = target_field(form, "company").map_or("", |f| bare(&f.label));
            Some(format!("{company}{}", form.target.subcontractor_suffix))
        }
        ["target", key, ..] => target_field(form, key).map(|f| bare(&f.label).to_string()),
        ["items"] => Some(form.items.heading.clone()),
        ["items", n, rest @ ..] => {
            let row = n.parse::<u32>().ok().and_then(|n| form.row(n))?;
            let column = match rest.first() {
                Some(&"status") => Some(ColumnKey::Status),
                Some(&"detail") => Some(ColumnKey::Detail),
                _ => None,
            };
            let title = column
                .and_then(|k| form.items.columns.iter().find(|c| c.key == k))
                .map(|c| format!(" {}", c.title))
                .unwrap_or_default();
            Some(format!("{} {}{title}", form.items.heading, row.number))
        }
        ["checked_on", ..] => Some(bare(&form.checked_on.label).to_string()),
        ["checker"] => Some(checker_parts(form).0.to_string()),
        ["checker", key, ..] => {
            let (head, parts) = checker_parts(form);
            let part = CHECKER_KEYS
                .iter()
                .position(|k| k == key)
                .and_then(|i| parts.get(i))?;
            Some(format!("{head}（{part}）"))
        }
        ["circumstances"] => form.circumstances_heading.clone(),
        ["circumstances", name, ..] => {
            crate::spec::questions::question(form, name).map(|q| format!("「{}」", q.text))
        }
        ["seal", "mark", ..] => Some(form.checker.seal_mark.clone()),
        ["seal", ..] => Some(form.checker.seal_alt.clone()),
        _ => None,
    }
}

/// Gives every problem without a label the form's name of its place in the layout `layout`
/// (nothing for a layout not compiled in).
pub fn name_places(layout: &str, problems: &mut [Problem]) {
    let Ok(form) = FormSpec::get(layout) else {
        return;
    };
    for p in problems.iter_mut().filter(|p| p.label.is_none()) {
        p.label = label(form, &p.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every label is the layout's own wording: each is checked against the data it comes from.
    #[test]
    fn npa_2022_labels_come_from_its_data() {
        let form = FormSpec::get("npa-2022").unwrap();
        let l = |p: &str| label(form, p);
        assert_eq!(l("target.company").as_deref(), Some("(1) 事業者名"));
        assert!(form.target.fields[0].label.starts_with("(1) 事業者名"));
        assert_eq!(
            l("target.previous_check").as_deref(),
            Some("(4) 前回確認実施年月日")
        );
        assert_eq!(
            l("target.subcontractor").as_deref(),
            Some("(1) 事業者名(下請負者等)")
        );
        assert_eq!(l("items.17").as_deref(), Some("2 確認事項 17"));
        assert_eq!(
            l("items.17.status").as_deref(),
            Some("2 確認事項 17 実施/未実施")
        );
        assert_eq!(
            l("items.7.detail").as_deref(),
            Some("2 確認事項 7 実施状況(詳細)又は未実施の理由")
        );
        assert_eq!(l("checked_on").as_deref(), Some("確認年月日"));
        assert_eq!(l("checker.name").as_deref(), Some("確認者（氏名）"));
        assert_eq!(l("checker.department").as_deref(), Some("確認者（所属）"));
        assert_eq!(
            l("circumstances.disposal_requested").as_deref(),
            Some("「甲から業務情報の廃棄を求められましたか」")
        );
        assert_eq!(
            l("circumstances.onsite").as_deref(),
            Some("「甲の指定する場所において個別業務を行う場合」")
        );
        assert_eq!(l("seal.image").as_deref(), Some("印影"));
        // No name of the form's: the path alone says where.
        for path in [
            "$",
            "layout",
            "dates",
            "items.99",
            "items.x",
            "target.nope",
            "checker.x",
        ] {
            assert_eq!(l(path), None, "{path}");
        }
        assert_eq!(l("circumstances.nope"), None);
    }
}
