//! The answer set a form PDF carries: one associated file of the document (PDF/A-3), so that the
//! PDF that reaches 甲 or comes back from a subcontractor is the record itself, not only its
//! picture. Read back by [`crate::input::pdf`].

use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::metadata::DateTime;

pub use crate::model::answers::{ATTACHMENT_MIME as MIME, ATTACHMENT_NAME as FILE_NAME};
/// What a PDF reader shows beside it (PDF/A-3 wants a description).
const DESCRIPTION: &str = "secform の回答セット（この確認書の記入内容）";

/// The embedded file of `json`, dated `date` (the form's date, so that the bytes stay the same).
pub(super) fn embedded(json: &[u8], date: DateTime) -> Option<EmbeddedFile> {
    Some(EmbeddedFile {
        path: FILE_NAME.to_string(),
        mime_type: Some(MimeType::new(MIME)?),
        description: Some(DESCRIPTION.to_string()),
        association_kind: AssociationKind::Data,
        data: json.to_vec().into(),
        modification_date: Some(date),
        compress: Some(true),
        location: None,
    })
}
