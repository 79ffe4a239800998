//! Why a workbook's zip archive was refused before it was opened, in words for the user: the
//! archive asks for more than any secform workbook needs (`crate::input::archive`'s caps).

/// What the archive of a workbook has beyond the caps, or why it cannot be read as one.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ArchiveError {
    #[error("ブックが大きすぎます（{size} バイト、上限 {limit} バイト）。secform のブックは 1 MB 未満です")]
    TooLarge { size: usize, limit: usize },
    #[error("ブックの ZIP を読めません（壊れています）")]
    Broken,
    #[error("ブックの中のファイルが多すぎます（{count} 個、上限 {limit} 個）")]
    TooManyEntries { count: usize, limit: usize },
    #[error("ブックの中の {name} が展開すると大きすぎます（上限 {limit} バイト）。壊れているか、secform のブックではありません")]
    EntryTooLarge { name: String, limit: u64 },
    #[error("ブックの中のファイルが展開すると合わせて大きすぎます（上限 {limit} バイト）。壊れているか、secform のブックではありません")]
    TotalTooLarge { limit: u64 },
    #[error("ブックの中の {name} の圧縮率が異常です（{ratio} 倍、上限 {limit} 倍）。壊れているか、secform のブックではありません")]
    Ratio {
        name: String,
        ratio: u64,
        limit: u64,
    },
    #[error("ブックの共有文字列の数 {claimed} が多すぎます（上限 {limit}）。壊れているか、secform のブックではありません")]
    TooManyStrings { claimed: String, limit: usize },
}
