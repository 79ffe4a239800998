//! The subcontractor flag and the suffix of the company's name (下請負者等): warned about where
//! they disagree or the suffix is typed another way than the form prints it.

use crate::error::Problem;
use crate::model::answers::{ends_with_suffix, suffix_variant};
use crate::model::draft::Draft;
use crate::spec::form::FormSpec;
use crate::spec::labels;
use crate::spec::workbook::YES_NO;

/// A name ending in the suffix on a contractor, and the suffix written another way on a
/// subcontractor (printed once, as the form writes it).
pub(super) fn check(d: &Draft, form: &FormSpec, problems: &mut Vec<Problem>) {
    let suffix = &form.target.subcontractor_suffix;
    let Some(company) = d.target.company.as_deref() else {
        return;
    };
    // A workbook's empty 下請負者等 cell reads as `false`: the name then says more than the flag.
    if d.target.subcontractor == Some(false) && ends_with_suffix(company, suffix) {
        problems.push(Problem::warning(
            "target.subcontractor",
            format!(
                "事業者名が「{suffix}」で終わっていますが、「{}」が「{}」ではありません（元請として扱い、事業者名は書かれたとおりに印字します）。下請負者等なら「{}」に、元請なら事業者名の末尾を消してください",
                labels::label(form, "target.subcontractor").unwrap_or_default(),
                YES_NO[0],
                YES_NO[0]
            ),
        ));
    }
    if d.target.subcontractor == Some(true) {
        if let Some(written) = suffix_variant(company, suffix) {
            problems.push(Problem::warning(
                "target.company",
                format!("事業者名の末尾の「{written}」は「{suffix}」として印字します（二重には付けません）"),
            ));
        }
    }
}
