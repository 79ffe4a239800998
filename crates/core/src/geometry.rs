//! Lengths and boxes shared by the form's spec, the layout and the painters: points, from the
//! top-left corner of the page (krilla's convention), with one rounding tolerance for "fits".

/// Points per millimetre.
pub const MM: f32 = 72.0 / 25.4;

/// How far a length may exceed its room and still fit: sums of glyph advances and millimetre
/// conversions do not add up exactly, and a line 0.001 pt too long must not move to the next page.
pub const TOLERANCE: f32 = 0.01;

/// Whether a length fits in `room`, with the [`TOLERANCE`] every stage uses.
pub fn fits(length: f32, room: f32) -> bool {
    length <= room + TOLERANCE
}

/// A rectangle: `x`, `y` of the top-left corner, `w` wide, `h` high.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub fn new(x: f32, y: f32, w: f32, h: f32) -> Rect {
        Rect { x, y, w, h }
    }

    pub fn right(&self) -> f32 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }

    /// True when `other` lies inside `self`, allowing the rounding [`TOLERANCE`].
    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x - TOLERANCE
            && other.y >= self.y - TOLERANCE
            && other.right() <= self.right() + TOLERANCE
            && other.bottom() <= self.bottom() + TOLERANCE
    }
}

/// Horizontal placement of a line inside its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}
