//! Which answer goes in which cell: the layout's fields, each with its JSON path and defined name,
//! made from [`FormSpec`] alone so that a second layout needs no new code here.

use crate::spec::form::FormSpec;

/// The workbook format version written to, and accepted from, the hidden meta sheet.
pub const FORMAT_VERSION: u32 = 1;
/// The hidden sheet that records the layout and the format version.
pub const META_SHEET: &str = "secform";
/// The sheet that reads like the 別記様式.
pub const FORM_SHEET: &str = "確認書";

/// What a cell holds, which decides how it is written, validated and read back.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Text,
    Date,
    /// One of these strings (a drop-down list).
    Choice(Vec<String>),
    /// はい / いいえ in the sheet, a JSON boolean.
    Bool,
}

/// One answer cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON path's segments, e.g. `["items", "7", "detail"]`.
    pub path: Vec<String>,
    pub kind: Kind,
}

impl Field {
    fn new(path: &[&str], kind: Kind) -> Field {
        Field {
            path: path.iter().map(|s| s.to_string()).collect(),
            kind,
        }
    }

    /// The JSON path as `check` prints it: `items.7.detail`.
    pub fn json_path(&self) -> String {
        self.path.join(".")
    }

    /// The workbook-level defined name: the JSON path with dots as underscores.
    pub fn defined_name(&self) -> String {
        self.path.join("_")
    }
}

/// The はい / いいえ words of a boolean cell. Not the form's wording: the answer vocabulary of the
/// spreadsheet's drop-down.
pub const YES_NO: [&str; 2] = ["はい", "いいえ"];

/// The input message of a row's 実施/未実施 cell: how to answer, shown while the cell is selected
/// (secform's own words; the starter puts no answer in the cell).
pub const STATUS_HINT: &str =
    "一覧から選びます。未実施のときは右の欄に理由を書きます。※の行は該当する場合だけ記入します";

/// The carried-over column (issue 21 §5): its title, the mark a row `next` carried over shows
/// until the clerk clears it, and the input message of a mark cell. secform's own words.
pub const CARRIED_TITLE: &str = "前年から";
pub const CARRIED_MARK: &str = "前年のまま";
pub const CARRIED_HINT: &str =
    "前年の回答のままです。今年の状況を確かめ、そのままでよければこの欄を消してください（回答を書き換えても消えます）";

/// The defined names of row `n`'s carried-over mark (on the sheet) and of last year's status
/// and detail (on the hidden sheet). Optional: a workbook without carried-over rows has none.
pub fn carried_names(n: u32) -> [String; 3] {
    let base = format!("items_{n}_carried_over");
    [
        base.clone(),
        format!("{base}_status"),
        format!("{base}_detail"),
    ]
}

/// The value `status: "auto"` takes in the sheet (row with the one-year rule only).
pub const AUTO: &str = "自動";

/// Every answer cell of `layout`, in sheet order.
pub fn fields(layout: &FormSpec) -> Vec<Field> {
    let mut out = Vec::new();
    for f in &layout.target.fields {
        let key = match f.key {
            crate::spec::form::TargetKey::Company => "company",
            crate::spec::form::TargetKey::Department => "department",
            crate::spec::form::TargetKey::ContractStart => "contract_start",
            crate::spec::form::TargetKey::PreviousCheck => "previous_check",
        };
        let kind = match f.key {
            crate::spec::form::TargetKey::ContractStart
            | crate::spec::form::TargetKey::PreviousCheck => Kind::Date,
            _ => Kind::Text,
        };
        out.push(Field::new(&["target", key], kind));
        if f.key == crate::spec::form::TargetKey::Company {
            out.push(Field::new(&["target", "subcontractor"], Kind::Bool));
        }
    }
    for row in &layout.items.rows {
        let n = row.number.to_string();
        let mut allowed = layout.items.status_values.to_vec();
        if row.one_year_rule.is_some() {
            allowed.push(AUTO.to_string());
        }
        out.push(Field::new(&["items", &n, "status"], Kind::Choice(allowed)));
        out.push(Field::new(&["items", &n, "detail"], Kind::Text));
    }
    out.push(Field::new(&["checked_on"], Kind::Date));
    for key in ["company", "department", "title", "name"] {
        out.push(Field::new(&["checker", key], Kind::Text));
    }
    for c in layout.circumstances() {
        out.push(Field::new(&["circumstances", c], Kind::Bool));
    }
    // Not on the printed form: kept on the hidden sheet (see [`on_form`]).
    out.push(Field::new(&["dates"], Kind::Text));
    out.push(Field::new(&["seal", "image"], Kind::Text));
    out.push(Field::new(&["seal", "mark"], Kind::Bool));
    out
}

/// Whether `field` has a cell on the sheet 「確認書」; the others (date style, seal) have no
/// wording on the form and live on the hidden sheet.
pub fn on_form(field: &Field) -> bool {
    !matches!(field.path[0].as_str(), "dates" | "seal")
}
