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
    /// Something in the document breaks a PDF/A or PDF/UA rule; the first rule broken is named.
    #[error("PDF/A・PDF/UA の規則に合わない内容があります: {0}")]
    Validation(&'static str),
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
                PdfError::Validation(errors.first().map_or("不明", |(e, _)| rule(e)))
            }
            KrillaError::Limit(_) => PdfError::Limit,
            KrillaError::Image(..) => PdfError::Image,
            _ => PdfError::Internal,
        }
    }
}

/// The rule a validation error breaks, in Japanese.
fn rule(e: &ValidationError) -> &'static str {
    use ValidationError::*;
    match e {
        ContainsNotDefGlyph(..) => "フォントにない文字があります",
        NoCodepointMapping(..) | InvalidCodepointMapping(..) => {
            "コピーしたときの文字を決められない字形があります"
        }
        TooLongString
        | TooLongName
        | TooLongArray
        | TooLongDictionary
        | TooLargeFloat
        | TooManyIndirectObjects
        | TooHighQNestingLevel => "PDF の大きさの上限を超えています",
        UnicodePrivateArea(..) => "私用領域の文字（外字）は使えません",
        MissingAltText(..) | MissingHeadingTitle | MissingDocumentOutline | NoDocumentTitle => {
            "PDF/UA に必要な情報（代替テキスト・見出し・しおり・表題）が欠けています（secform の不具合です）"
        }
        _ => "PDF/A・PDF/UA で使えない機能が使われています",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn krilla_errors_become_japanese_words() {
        let limit = PdfError::from(KrillaError::Validation(vec![]));
        assert_eq!(
            limit.to_string(),
            "PDF/A・PDF/UA の規則に合わない内容があります: 不明"
        );
        assert_eq!(
            rule(&ValidationError::TooLongString),
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
}
