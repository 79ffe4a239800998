//! File names for the PDFs of a batch: `NN_事業者名.pdf`, safe to create on any common file system
//! whatever the company name holds, and, on request, acceptable to e-Gov.

use std::collections::HashSet;

use unicode_normalization::UnicodeNormalization;

use crate::model::charset;

/// Which file names to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NameStyle {
    /// The company name as written, minus what a file system refuses or misreads.
    #[default]
    Plain,
    /// Only what e-Gov accepts in an attachment's name: JIS X 0208 kanji and kana, ASCII letters
    /// and digits, `-_.()`; no spaces, no full-width minus or wave dash, no half-width katakana, no
    /// machine-dependent characters (①, ㈱, Ⅳ, ㍻ …).
    Egov,
}

/// Characters of a company name kept in a file name (the rest is cut, at a character boundary).
const MAX_STEM_CHARS: usize = 60;
/// Bytes of the kept name: file systems count bytes (255 on ext4, APFS), and a kanji takes three.
const MAX_STEM_BYTES: usize = 180;
/// The stem used when nothing of the name survives.
const EMPTY: &str = "名称なし";

/// Names the files of one batch: numbered by position, each name used once.
#[derive(Debug)]
pub struct Namer {
    style: NameStyle,
    /// Digits of the position: at least two, more when the batch is larger, so that names sort.
    width: usize,
    /// Names given so far, folded as a case-insensitive file system would compare them.
    used: HashSet<String>,
}

impl Namer {
    pub fn new(style: NameStyle, total: usize) -> Namer {
        Namer {
            style,
            width: total.to_string().len().max(2),
            used: HashSet::new(),
        }
    }

    /// Marks `file_name` as taken (the merged PDF, when it goes to the same folder).
    pub fn reserve(&mut self, file_name: &str) {
        self.used.insert(fold(file_name));
    }

    /// The file name of the entry at `position` (1-based) for `company`, never one given before.
    pub fn name(&mut self, position: usize, company: &str) -> String {
        let stem = format!(
            "{position:0width$}_{}",
            safe_stem(company, self.style),
            width = self.width
        );
        let mut name = format!("{stem}.pdf");
        let mut n = 2;
        while !self.used.insert(fold(&name)) {
            name = format!("{stem}_{n}.pdf");
            n += 1;
        }
        name
    }
}

/// How macOS and Windows compare names: without case, and with composed and decomposed kana equal.
fn fold(name: &str) -> String {
    name.nfc().collect::<String>().to_lowercase()
}

/// `name` made safe as (part of) a file name: no path separators or characters Windows refuses, no
/// `..`, no control or invisible direction characters, no leading or trailing dots and spaces, not
/// a Windows device name (`CON`, `NUL`, `COM1` …), not empty, and of bounded length.
pub fn safe_stem(name: &str, style: NameStyle) -> String {
    let mapped: String = match style {
        NameStyle::Plain => name.nfc().map(plain_char).collect(),
        NameStyle::Egov => name
            .chars()
            .map(egov_variant)
            .collect::<String>()
            .nfkc()
            .map(egov_char)
            .collect(),
    };
    let mut stem = tidy(&mapped);
    truncate(&mut stem);
    if stem.is_empty() {
        stem = EMPTY.to_string();
    }
    if is_device_name(&stem) {
        stem.insert(0, '_');
    }
    stem
}

/// Characters that would be read as something other than part of a name become `_`; invisible ones
/// (controls, direction overrides that make `txt.exe` look like `exe.txt`) become nothing.
fn plain_char(c: char) -> char {
    match c {
        '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
        c if c.is_control() || ignorable(c) => '\u{0}',
        c if c.is_whitespace() => ' ',
        c => c,
    }
}

/// Characters that show as nothing in a file name: the invisible ones an answer refuses
/// ([`charset::is_invisible`]), variation selectors (葛󠄀 is 葛 and U+E0100: the answer keeps the
/// 異体字 for the PDF, the name only the base character), and the rest of Unicode's default
/// ignorable code points (Hangul fillers, Mongolian selectors, tag characters …). A name holding
/// one would look like another name and could not be typed.
fn ignorable(c: char) -> bool {
    charset::is_invisible(c)
        || matches!(
            c,
            '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFF8}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// Variants that JIS X 0208 lacks but names often use, as the form e-Gov takes (its own advice).
fn egov_variant(c: char) -> char {
    match c {
        '髙' => '高',
        '﨑' => '崎',
        '德' => '徳',
        '𠮷' => '吉',
        '濵' => '浜',
        '瀨' => '瀬',
        c => c,
    }
}

/// One character (already NFKC-normalised, which turns ① into 1, ㈱ into (株) and half-width into
/// full-width katakana) as e-Gov accepts it.
fn egov_char(c: char) -> char {
    match c {
        'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '_' | '.' | '(' | ')' => c,
        // Dashes and wave dashes: e-Gov refuses the full-width ones, which map differently on
        // Windows and elsewhere.
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FF0D}' | '\u{301C}' | '\u{FF5E}' | '~' => '-',
        'ぁ'..='ゖ'
        | 'ゝ'
        | 'ゞ'
        | 'ァ'..='ヶ'
        | 'ー'
        | 'ヽ'
        | 'ヾ'
        | '・'
        | '々'
        | '〆'
        | '〇' => c,
        c if c.is_control() || ignorable(c) => '\u{0}',
        c if is_jis0208_kanji(c) => c,
        _ => '_',
    }
}

/// A kanji of JIS X 0208 levels 1 and 2 (Shift_JIS rows 16 to 84); not the NEC and IBM extensions
/// that Windows adds to Shift_JIS, which are the "machine-dependent" ones.
fn is_jis0208_kanji(c: char) -> bool {
    if !('\u{4E00}'..='\u{9FFF}').contains(&c) {
        return false;
    }
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut buf));
    match (unmappable, bytes.as_ref()) {
        (false, [lead, trail]) => {
            (*lead == 0x88 && *trail >= 0x9F)
                || (0x89..=0x9F).contains(lead)
                || (0xE0..=0xEA).contains(lead)
        }
        _ => false,
    }
}

/// Drops the removed characters, turns runs of dots (`..`) into `_`, squeezes repeated separators
/// and trims separators, dots and spaces from both ends (Windows drops trailing dots and spaces).
fn tidy(mapped: &str) -> String {
    let mut out = String::with_capacity(mapped.len());
    let mut chars = mapped.chars().filter(|&c| c != '\u{0}').peekable();
    while let Some(mut c) = chars.next() {
        if c == '.' && chars.peek() == Some(&'.') {
            while chars.next_if_eq(&'.').is_some() {}
            c = '_';
        }
        if (c == '_' || c == ' ') && out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    trim_ends(&out).to_string()
}

fn trim_ends(s: &str) -> &str {
    s.trim_matches(|c: char| c == '_' || c == '.' || c == ' ')
}

/// Cuts `stem` to the bounds, at a character boundary, and trims what the cut exposed.
fn truncate(stem: &mut String) {
    let mut end = 0;
    for (count, (i, c)) in stem.char_indices().enumerate() {
        if count == MAX_STEM_CHARS || i + c.len_utf8() > MAX_STEM_BYTES {
            break;
        }
        end = i + c.len_utf8();
    }
    stem.truncate(end);
    let kept = trim_ends(stem).len();
    stem.truncate(kept);
}

/// Names Windows reserves for devices, also with any extension (`CON.pdf` opens the console).
fn is_device_name(stem: &str) -> bool {
    let base = stem.split('.').next().unwrap_or(stem).trim_end();
    let upper = base.to_ascii_uppercase();
    match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => {
            let (head, tail) = (upper.get(..3), upper.get(3..));
            matches!(head, Some("COM" | "LPT"))
                && matches!(
                    tail.unwrap_or(""),
                    "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
                )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> String {
        safe_stem(s, NameStyle::Plain)
    }

    fn egov(s: &str) -> String {
        safe_stem(s, NameStyle::Egov)
    }

    /// A variation selector or another character that shows as nothing never reaches a file name:
    /// 葛󠄀城 (葛 U+E0100) is named 葛城, in both styles.
    #[test]
    fn variation_selectors_and_invisible_characters_are_left_out() {
        let name = "株式会社葛\u{E0100}城\u{FE0F}\u{180B}\u{034F}\u{3164}\u{E0041}";
        assert_eq!(plain(name), "株式会社葛城");
        assert_eq!(egov(name), "株式会社葛城");
        let mut namer = Namer::new(NameStyle::Plain, 5);
        assert_eq!(namer.name(5, "葛\u{E0100}城"), "05_葛城.pdf");
    }

    /// What every name must be, whatever it was made from.
    fn assert_safe(name: &str) {
        assert!(!name.is_empty());
        assert!(
            !name.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']),
            "{name}"
        );
        assert!(!name.contains(".."), "{name}");
        assert!(
            !name
                .chars()
                .any(|c| c.is_control() || charset::is_invisible(c)),
            "{name}"
        );
        assert!(
            !name.starts_with(['.', ' ']) && !name.ends_with(['.', ' ']),
            "{name}"
        );
        assert!(name.len() <= 255, "{} bytes", name.len());
    }

    #[test]
    fn hostile_names_become_harmless() {
        assert_eq!(plain("../../etc/passwd"), "etc_passwd");
        assert_eq!(plain("..\\..\\Windows\\win.ini"), "Windows_win.ini");
        assert_eq!(plain("/"), EMPTY);
        assert_eq!(plain(" . "), EMPTY);
        assert_eq!(plain("a\u{0}b\nc\u{202E}fdp.exe"), "abcfdp.exe");
        assert_eq!(plain("株式会社 A:B*C?"), "株式会社 A_B_C");
        assert_eq!(plain("Example Co., Ltd."), "Example Co., Ltd");
        for hostile in [
            "../../etc/passwd",
            "..",
            "CON",
            "a/../../b",
            "\u{202E}gpj.exe",
        ] {
            assert_safe(&plain(hostile));
            assert_safe(&egov(hostile));
        }
    }

    #[test]
    fn windows_device_names_are_never_produced() {
        for device in [
            "CON", "con", "Nul", "COM1", "lpt9", "AUX.txt", "PRN ", "CONIN$",
        ] {
            let stem = plain(device);
            assert!(stem.starts_with('_'), "{device} -> {stem}");
        }
        assert_eq!(plain("CONSOLE"), "CONSOLE");
        assert_eq!(plain("COM10"), "COM10");
    }

    #[test]
    fn long_names_are_cut_at_a_character_boundary() {
        let long = "株".repeat(300);
        let stem = plain(&long);
        assert_eq!(stem.chars().count(), MAX_STEM_CHARS);
        assert!(stem.len() <= MAX_STEM_BYTES);
        let emoji = "😀".repeat(300);
        assert!(plain(&emoji).len() <= MAX_STEM_BYTES);
        let mut namer = Namer::new(NameStyle::Plain, 300);
        let name = namer.name(300, &long);
        assert_safe(&name);
        assert!(name.starts_with("300_株"));
    }

    #[test]
    fn the_same_company_twice_gets_two_names() {
        let mut namer = Namer::new(NameStyle::Plain, 4);
        let a = namer.name(1, "株式会社テスト");
        let b = namer.name(2, "株式会社テスト");
        assert_eq!(a, "01_株式会社テスト.pdf");
        assert_eq!(b, "02_株式会社テスト.pdf");
        // Even the same position twice (or a reserved name) never gives a name twice.
        assert_eq!(namer.name(1, "株式会社テスト"), "01_株式会社テスト_2.pdf");
        namer.reserve("03_ABC.pdf");
        assert_eq!(namer.name(3, "abc"), "03_abc_2.pdf");
    }

    #[test]
    fn position_width_grows_with_the_batch() {
        assert_eq!(Namer::new(NameStyle::Plain, 9).name(3, "A"), "03_A.pdf");
        assert_eq!(
            Namer::new(NameStyle::Plain, 1000).name(3, "A"),
            "0003_A.pdf"
        );
    }

    #[test]
    fn egov_names_use_only_what_egov_accepts() {
        assert_eq!(egov("株式会社 サンプル"), "株式会社_サンプル");
        assert_eq!(egov("㈱サンプル①"), "(株)サンプル1");
        assert_eq!(egov("ｻﾝﾌﾟﾙｼｽﾃﾑ"), "サンプルシステム");
        assert_eq!(egov("第Ⅳ期－２０２６～"), "第IV期-2026-");
        assert_eq!(egov("髙橋﨑山工業"), "高橋崎山工業");
        assert_eq!(egov("A&B #1 [本社]"), "A_B_1_本社");
        assert_eq!(egov("テスト技研(下請負者等)"), "テスト技研(下請負者等)");
        assert_eq!(egov("㍻商事"), "平成商事");
        for name in ["株式会社　サンプル", "ｱｲｳ①㈱", "－～%#^?\\∥", "髙﨑"]
        {
            let stem = egov(name);
            assert_safe(&stem);
            assert!(
                !stem.contains([' ', '　', '－', '～', '―', '∥', '%', '#', '^']),
                "{stem}"
            );
            assert!(
                !stem.chars().any(|c| ('\u{FF61}'..='\u{FF9F}').contains(&c)),
                "{stem}"
            );
        }
    }

    #[test]
    fn jis0208_kanji_are_told_from_extensions() {
        assert!(is_jis0208_kanji('亜') && is_jis0208_kanji('熙') && is_jis0208_kanji('崎'));
        // NEC/IBM extensions and JIS X 0213 kanji are machine-dependent.
        assert!(!is_jis0208_kanji('髙') && !is_jis0208_kanji('﨑') && !is_jis0208_kanji('𠮷'));
    }
}
