//! Why the answer set attached to a PDF could not be read, in words for the user: lopdf's own
//! errors never reach a message, and a file refused for its size is never called one without an
//! attachment.

/// Why no answer set was read from a PDF. The caps are `crate::input::pdf`'s.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AttachedError {
    #[error("PDF として読めません（壊れているか、暗号化されています）。secform で作った確認書の PDF を指定してください")]
    Unreadable,
    #[error("暗号化された PDF です。secform の確認書の PDF は暗号化されていません。暗号化を外すか、secform で作り直した PDF を指定してください")]
    Encrypted,
    #[error("PDF が大きすぎます（{size} バイト、上限 {limit} バイト）。secform の確認書の PDF は数 MB 以下です")]
    TooLarge { size: usize, limit: usize },
    /// The file's structure asks for more work than any secform PDF needs: many objects, a
    /// compressed part inflating beyond the cap, a loop in its tree of attachments.
    #[error("PDF の構造が secform の確認書の PDF の上限を超えています（{0}）。壊れているか、secform で作った PDF ではありません")]
    Structure(&'static str),
    #[error("回答セット（{0}）が添付されていない PDF です。secform で作った確認書の PDF（回答セットを添付して作ったもの）か、回答セットの JSON・ブックを指定してください")]
    NotAttached(&'static str),
    #[error("PDF に添付された回答セット（{name}）が大きすぎます（展開すると {limit} バイトを超えます）。secform の回答セットは数 KB です")]
    AttachmentTooLarge { name: &'static str, limit: usize },
    #[error("PDF に添付された回答セット（{0}）を展開できません（壊れています）")]
    AttachmentBroken(&'static str),
    #[error("PDF に添付された回答セット（{0}）が UTF-8 のテキストではありません")]
    NotUtf8(&'static str),
    #[error("PDF に添付された回答セット（{name}）が JSON として読めません{why}")]
    NotJson { name: &'static str, why: String },
}
