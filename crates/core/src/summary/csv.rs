//! The overview as CSV.

use super::table;
use crate::error::Error;
use crate::model::summary::Line;

/// The lines as CSV: UTF-8 with a byte-order mark (so that Excel opens it as UTF-8), CRLF line
/// ends, a header, then one record per entity.
pub fn to_csv(lines: &[Line]) -> Result<Vec<u8>, Error> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let rows = table::row_numbers(lines)?;
    let fail = |_: csv::Error| Error::Csv;
    out.write_record(table::header(&rows)).map_err(fail)?;
    for l in lines {
        out.write_record(table::record(l, &rows)).map_err(fail)?;
    }
    out.into_inner().map_err(|_| Error::Csv)
}
