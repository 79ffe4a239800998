//! Temporary stand-in; replaced by the full charset module.
pub struct Offending {
    pub position: usize,
    pub ch: char,
}
pub fn outside_jis0208(_s: &str) -> Vec<Offending> {
    Vec::new()
}
pub fn codepoint(c: char) -> String {
    format!("U+{:04X}", c as u32)
}
pub fn fix_halfwidth_kana(s: &str) -> String {
    s.to_string()
}
