//! The row texts of a form's table broken into lines, kept between forms: they are the same for
//! every form of a layout, and breaking them was most of the layout time of a form. Owned by the
//! [`crate::Renderer`] (one per font set), not by the spec, which stays plain data.

use std::sync::OnceLock;

use crate::layout::text::Line;

/// What the row texts were broken for, and the lines. The key is checked at every use, because
/// a layout's fields are public and may be changed after a form was laid out with them.
#[derive(Debug, Default)]
pub(crate) struct RowTexts(OnceLock<(RowTextKey, Vec<Vec<Line>>)>);

/// Font size and column width (as bits, so that the key is exact), and the texts.
#[derive(Debug)]
pub(crate) struct RowTextKey {
    pub size: u32,
    pub width: u32,
    pub texts: Vec<String>,
}

impl RowTexts {
    /// The lines kept for this size, width and these texts, or none when nothing is kept or it
    /// was kept for something else. Compared in place: this runs once a form.
    pub(crate) fn get<'t>(
        &self,
        size: u32,
        width: u32,
        texts: impl ExactSizeIterator<Item = &'t str>,
    ) -> Option<&[Vec<Line>]> {
        let (key, lines) = self.0.get()?;
        let same = key.size == size
            && key.width == width
            && key.texts.len() == texts.len()
            && key.texts.iter().map(String::as_str).eq(texts);
        same.then_some(lines.as_slice())
    }

    /// Keeps `lines` for `key` unless lines are kept already (then those are the ones meant).
    pub(crate) fn keep(&self, key: RowTextKey, lines: Vec<Vec<Line>>) {
        let _ = self.0.set((key, lines));
    }
}
