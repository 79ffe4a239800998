//! The sheet's geometry from the measured text: column widths and row heights computed from the
//! bundled font's advance widths (the font the cells are set in), because rust_xlsxwriter's
//! autofit counts every Japanese character as 8 px and the sheet would print cut off.

use crate::fonts::FontSet;

/// The cells' font: BIZ UD明朝, the font secform prints with and measures with here, installed
/// with Windows 10 and later (and Office).
pub const FONT_NAME: &str = "BIZ UD明朝";
/// The Shift_JIS charset, as Excel marks a Japanese font.
pub const FONT_CHARSET: u8 = 128;
/// Body text size in points.
pub const SIZE: f32 = 11.0;
/// The title's size in points.
pub const TITLE_SIZE: f32 = 14.0;

/// What a cell leaves of its width for text, in pixels: Excel's and Calc's cell padding and the
/// grid line.
const CELL_PADDING_PX: f32 = 8.0;
/// Space above and below the text in a row, in points.
const ROW_PADDING_PT: f32 = 4.0;
/// Line pitch as a multiple of the size: the font's ascent and descent are 1 em; Excel and Calc
/// set lines a little apart.
const LINE_PITCH: f32 = 1.25;
/// Width of an A4 portrait page inside Excel's default margins (0.7 in each side), in points: the
/// columns together fill it, so the sheet prints at 100 % (fit to one page wide never enlarges).
pub const PAGE_WIDTH_PT: f32 = 595.28 - 2.0 * 0.7 * 72.0;

/// Points to pixels at 96 dpi, as widths are stored.
fn px(pt: f32) -> f32 {
    pt / 0.75
}

/// The text width, in points, a column `width_px` pixels wide shows.
pub fn usable_pt(width_px: u32) -> f32 {
    (width_px as f32 - CELL_PADDING_PX).max(1.0) * 0.75
}

/// The width in pixels of a column that shows text `text_pt` points wide.
pub fn column_px(text_pt: f32) -> u32 {
    (px(text_pt) + CELL_PADDING_PX).ceil() as u32
}

/// How many lines `text` takes wrapped at `width_pt` at `size` (禁則 as the PDF breaks lines; a
/// character the font lacks counts one em).
pub fn lines(fonts: &FontSet, text: &str, size: f32, width_pt: f32) -> usize {
    match crate::layout::text::break_lines(fonts, text, size, width_pt, width_pt) {
        Ok(lines) => lines.len().max(1),
        Err(_) => text
            .split('\n')
            .map(|p| ((fonts.width(p, size) / width_pt).ceil() as usize).max(1))
            .sum(),
    }
}

/// The row height, in points, that shows `lines` lines at `size`.
pub fn row_pt(lines: usize, size: f32) -> f64 {
    (lines.max(1) as f32 * size * LINE_PITCH + ROW_PADDING_PT).ceil() as f64
}

/// The row height that shows every `(text, column width in pixels, size)` of a row whole.
pub fn row_for(fonts: &FontSet, cells: &[(&str, u32, f32)]) -> f64 {
    cells
        .iter()
        .map(|&(text, width, size)| row_pt(lines(fonts, text, size, usable_pt(width)), size))
        .fold(row_pt(1, SIZE), f64::max)
}

/// The widest of `texts` at `size`, in points (each line of a text on its own).
pub fn widest(fonts: &FontSet, texts: &[&str], size: f32) -> f32 {
    texts
        .iter()
        .flat_map(|t| t.split('\n'))
        .map(|l| fonts.width(l, size))
        .fold(0.0, f32::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_lines_follow_the_font() {
        let fonts = FontSet::bundled();
        // 20 full-width characters are 220 pt at 11 pt: one line in a column made for them, two
        // in one a character narrower.
        let text = "情".repeat(20);
        let fit = column_px(220.0);
        assert_eq!(lines(&fonts, &text, SIZE, usable_pt(fit)), 1);
        assert_eq!(lines(&fonts, &text, SIZE, usable_pt(fit) - 11.0), 2);
        // Half-width characters are half as wide.
        assert_eq!(lines(&fonts, &"A".repeat(40), SIZE, usable_pt(fit)), 1);
        assert_eq!(lines(&fonts, "一\n二\n三", SIZE, 500.0), 3);
        assert!(row_pt(3, SIZE) > row_pt(2, SIZE));
    }
}
