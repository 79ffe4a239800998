//! What can go wrong while painting a PDF, in words for the user: krilla's own errors are mapped
//! here, so that neither its `Debug` text nor its English reaches a message.

use krilla::configure::ValidationError;
use krilla::error::KrillaError;

/// Why a PDF could not be written.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PdfError {
    /// The PDF/A and PDF/UA settings krilla was given do not fit together: a defect of secform.
    #[error("PDF/A・PDF/UA の設定が正しくありません（secform の不具合です）")]
    Configuration,
    #[error("フォントを PDF に埋め込めません（{0}）")]
    Font(String),
    /// Something in the document breaks PDF/A or PDF/UA rules: one entry for each error krilla
    /// reported, in its order (none: krilla named none). The message names each rule once.
    #[error("PDF/A・PDF/UA の規則に合わない内容があります: {}", rules(.0))]
    Validation(Vec<BrokenRule>),
    #[error("PDF の上限を超えました（文字・ページ・図形が多すぎます）")]
    Limit,
    #[error("画像を PDF に入れられません（印影の画像を確認してください）")]
    Image,
    /// Another of krilla's failures (a duplicate destination, a tag): a defect of secform.
    #[error("PDF を組み立てられません（secform の不具合です）")]
    Internal,
    #[error("ページの大きさが正しくありません")]
    PageSize,
    #[error("結合する様式がありません")]
    NothingToMerge,
    /// krilla refused the answer set as the PDF's associated file.
    #[error("回答セットを添付できません")]
    Attachment,
}

impl From<KrillaError> for PdfError {
    fn from(e: KrillaError) -> PdfError {
        match e {
            KrillaError::Font(_, _) => PdfError::Font("フォントのデータを読めません".into()),
            KrillaError::Validation(errors) => {
                PdfError::Validation(errors.iter().map(|(e, _)| BrokenRule::of(e)).collect())
            }
            KrillaError::Limit(_) => PdfError::Limit,
            KrillaError::Image(..) => PdfError::Image,
            _ => PdfError::Internal,
        }
    }
}

/// A PDF/A or PDF/UA rule krilla's validator found broken, as a user is told it. Grouped: krilla
/// names some forty, and what a user can do about them comes in these few kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BrokenRule {
    #[error("フォントにない文字があります")]
    MissingGlyph,
    #[error("コピーしたときの文字を決められない字形があります")]
    NoText,
    #[error("PDF の大きさの上限を超えています")]
    TooLarge,
    #[error("私用領域の文字（外字）は使えません")]
    PrivateUse,
    /// What secform itself gives every PDF; missing, it is a defect of secform.
    #[error("PDF/UA に必要な情報（代替テキスト・見出し・しおり・表題）が欠けています（secform の不具合です）")]
    MissingAccessibility,
    #[error("PDF/A・PDF/UA で使えない機能が使われています")]
    Feature,
}

impl BrokenRule {
    /// The kind of rule `e` breaks.
    fn of(e: &ValidationError) -> BrokenRule {
        use ValidationError::*;
        match e {
            ContainsNotDefGlyph(..) => BrokenRule::MissingGlyph,
            NoCodepointMapping(..) | InvalidCodepointMapping(..) => BrokenRule::NoText,
            TooLongString
            | TooLongName
            | TooLongArray
            | TooLongDictionary
            | TooLargeFloat
            | TooManyIndirectObjects
            | TooHighQNestingLevel => BrokenRule::TooLarge,
            UnicodePrivateArea(..) => BrokenRule::PrivateUse,
            MissingAltText(..) | MissingHeadingTitle | MissingDocumentOutline | NoDocumentTitle => {
                BrokenRule::MissingAccessibility
            }
            _ => BrokenRule::Feature,
        }
    }
}

/// Each rule of `broken` once, in the order first reported: a page of missing glyphs is one
/// thing to fix, not a hundred.
fn rules(broken: &[BrokenRule]) -> String {
    let mut named: Vec<BrokenRule> = Vec::new();
    for &rule in broken {
        if !named.contains(&rule) {
            named.push(rule);
        }
    }
    if named.is_empty() {
        return "不明".into();
    }
    named
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("。")
}

#[cfg(test)]
mod tests {
    use super::*;
    use krilla::configure::Validators;

    #[test]
    fn krilla_errors_become_japanese_words() {
        let limit = PdfError::from(KrillaError::Validation(vec![]));
        assert_eq!(
            limit.to_string(),
            "PDF/A・PDF/UA の規則に合わない内容があります: 不明"
        );
        assert_eq!(
            BrokenRule::of(&ValidationError::TooLongString).to_string(),
            "PDF の大きさの上限を超えています"
        );
        for e in [
            PdfError::Configuration,
            PdfError::Limit,
            PdfError::Image,
            PdfError::Internal,
        ] {
            assert!(!e.to_string().is_ascii(), "{e:?}");
        }
    }

    /// Every error krilla reports is kept; the message names each rule once, first come first.
    #[test]
    fn every_validation_error_is_kept_and_each_rule_named_once() {
        let validators = Validators::default();
        let e = PdfError::from(KrillaError::Validation(vec![
            (ValidationError::TooLongString, validators),
            (ValidationError::NoDocumentLanguage, validators),
            (ValidationError::TooLongName, validators),
        ]));
        assert_eq!(
            e,
            PdfError::Validation(vec![
                BrokenRule::TooLarge,
                BrokenRule::Feature,
                BrokenRule::TooLarge
            ])
        );
        assert_eq!(
            e.to_string(),
            "PDF/A・PDF/UA の規則に合わない内容があります: PDF の大きさの上限を超えています。PDF/A・PDF/UA で使えない機能が使われています"
        );
        // One error reads as it always did.
        let one = PdfError::from(KrillaError::Validation(vec![(
            ValidationError::MissingHeadingTitle,
            validators,
        )]));
        assert_eq!(
            one.to_string(),
            "PDF/A・PDF/UA の規則に合わない内容があります: PDF/UA に必要な情報（代替テキスト・見出し・しおり・表題）が欠けています（secform の不具合です）"
        );
    }
}
