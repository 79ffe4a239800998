//! The overview as an Excel workbook: one sheet, the CSV's columns under the PDF's title, its 元請
//! line and its legend. It prints as the PDF does: A4 landscape, one page wide, the header row
//! repeated on every page, ruled cells, the page number in the footer; on screen the header row
//! and the 区分 and 事業者名 columns stay put. Dated as the PDF is, so the same lines give the same
//! bytes.

use chrono::Datelike;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

use super::table;
use crate::error::Error;
use crate::export::measure;
use crate::model::summary::Line;
use crate::spec::summary::wording;

/// Column widths in pixels: the text columns wide, the rows' marks narrow (a mark, and the title
/// 「行26」 broken over two lines).
fn width(col: usize, rows: usize) -> u32 {
    match col {
        0 => 75,
        1 => 210,
        2 => 110,
        c if c < 3 + rows => 28,
        c if c < 3 + rows + 2 => 62,
        _ => 280,
    }
}

/// The font size of the sheet: the PDF's table size is too small to read on screen, Excel's 11 pt
/// too large for 26 row columns on one page's width.
const SIZE: f32 = 9.0;

/// The first row below the table's header: above it the title, the 元請's line, the legend and
/// the header.
const TABLE_TOP: u32 = 4;

/// The lines as `.xlsx` bytes.
pub fn to_xlsx(lines: &[Line], date: chrono::NaiveDate) -> Result<Vec<u8>, Error> {
    build(lines, date).map_err(|_: XlsxError| Error::Xlsx)
}

fn build(lines: &[Line], date: chrono::NaiveDate) -> Result<Vec<u8>, XlsxError> {
    let rows = table::row_numbers(lines).map_err(|_| XlsxError::ParameterError(String::new()))?;
    let mut wb = Workbook::new();
    let created =
        ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(&wording().title)
            .set_creation_datetime(&created),
    );
    let w = wording();
    let font = Format::new()
        .set_font_name(measure::FONT_NAME)
        .set_font_charset(measure::FONT_CHARSET)
        .set_font_size(SIZE as f64)
        .set_align(FormatAlign::Top);
    let fonts = crate::fonts::FontSet::bundled();
    // The height that shows each cell of a row whole (Calc does not fit wrapped rows itself).
    let height = |cells: &[String]| {
        let measured: Vec<(&str, u32, f32)> = cells
            .iter()
            .enumerate()
            .map(|(c, text)| (text.as_str(), width(c, rows.len()), SIZE))
            .collect();
        measure::row_for(&fonts, &measured)
    };
    let cell = font.clone().set_border(FormatBorder::Thin);
    let header_format = cell
        .clone()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xF2F2F2));
    let wrap = cell.clone().set_text_wrap();
    let title = font.clone().set_bold().set_font_size(SIZE as f64 + 4.0);
    let ws = wb.add_worksheet();
    ws.set_name(&w.title)?;
    let header = table::header(&rows);
    let last = header.len().saturating_sub(1) as u16;
    ws.write_string_with_format(0, 0, &w.title, &title)?;
    ws.set_row_height(0, measure::row_pt(1, SIZE + 4.0))?;
    if let Some(l) = lines.iter().find(|l| !l.subcontractor) {
        ws.write_string_with_format(
            1,
            0,
            w.contractor_line.replace("{company}", &l.company),
            &font,
        )?;
    }
    ws.write_string_with_format(2, 0, &w.legend, &font)?;
    let top = TABLE_TOP - 1;
    for (c, text) in header.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, text, &header_format)?;
        ws.set_column_width_pixels(c as u16, width(c, rows.len()))?;
    }
    ws.set_row_height(top, height(&header))?;
    // On screen: the header and who each line is stay in view. On paper: the header on every page.
    ws.set_freeze_panes(TABLE_TOP, 2)?;
    ws.set_repeat_rows(top, top)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_margins(0.4, 0.4, 0.5, 0.5, 0.2, 0.3);
    let footer = w
        .page
        .footer
        .text
        .replace("{page}", "&P")
        .replace("{pages}", "&N");
    ws.set_footer(format!("&C{footer}"));
    let wrapped = header.len() - 2;
    for (r, l) in lines.iter().enumerate() {
        let r = TABLE_TOP + r as u32;
        let record = table::record(l, &rows);
        for (c, text) in record.iter().enumerate() {
            let format = if c >= wrapped { &wrap } else { &cell };
            ws.write_string_with_format(r, c as u16, text, format)?;
        }
        ws.set_row_height(r, height(&record))?;
    }
    ws.set_print_area(0, 0, top + lines.len() as u32, last)?;
    wb.save_to_buffer()
}
