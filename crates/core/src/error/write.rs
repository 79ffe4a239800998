//! Why a workbook could not be written (`export::workbook`): the writer's own failure, or (from
//! JSON text) an answer set that is none. Here, below every stage, so that the library's `Error`
//! carries it with the file's name ([`super::Error::Export`]).

use super::{format_problems, Error, Problem};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The writer's words are English and not shown.
    #[error("Excel ブックを作成できませんでした")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The JSON text's problems, a line each.
    #[error("{}", format_problems(.0))]
    Invalid(Vec<Problem>),
    /// The layout the answer set names is not compiled in.
    #[error(transparent)]
    Layout(Box<Error>),
}
