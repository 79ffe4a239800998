//! Where each answer of a workbook was read from, so that a problem found in the answer set (by the
//! JSON reader or the rules, which know only JSON paths) names the cell the user has to fix.

use crate::error::Problem;

/// JSON path (`items.7.detail`) → cell (`確認書!D24`), in the order the cells were read (the
/// order of the sheet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CellMap {
    cells: Vec<(String, String)>,
}

impl CellMap {
    pub fn insert(&mut self, path: impl Into<String>, cell: impl Into<String>) {
        let (path, cell) = (path.into(), cell.into());
        match self.cells.iter_mut().find(|(p, _)| *p == path) {
            Some(entry) => entry.1 = cell,
            None => self.cells.push((path, cell)),
        }
    }

    /// The cell of exactly `path`.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.cells
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, c)| c.as_str())
    }

    /// The cell a problem at `path` is best looked for in: its own; else the first cell inside it
    /// (`items.7` → the row's 実施/未実施 cell); else the cell of the nearest part holding it. The
    /// whole answer set (`$`) has none.
    pub fn nearest(&self, path: &str) -> Option<&str> {
        if path == "$" || path.is_empty() {
            return None;
        }
        if let Some(cell) = self.get(path) {
            return Some(cell);
        }
        let inside = format!("{path}.");
        if let Some((_, cell)) = self.cells.iter().find(|(p, _)| p.starts_with(&inside)) {
            return Some(cell);
        }
        let mut outer = path;
        while let Some((parent, _)) = outer.rsplit_once('.') {
            if let Some(cell) = self.get(parent) {
                return Some(cell);
            }
            outer = parent;
        }
        None
    }

    /// Gives every problem the cell its path was read from (see [`CellMap::nearest`]).
    pub fn locate(&self, problems: &mut [Problem]) {
        for p in problems {
            if p.cell.is_none() {
                p.cell = self.nearest(&p.path).map(str::to_string);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Every path and its cell, in sheet order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.cells.iter().map(|(p, c)| (p.as_str(), c.as_str()))
    }
}

impl std::ops::Index<&str> for CellMap {
    type Output = str;

    fn index(&self, path: &str) -> &str {
        self.get(path)
            .unwrap_or_else(|| panic!("no cell for {path}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> CellMap {
        let mut m = CellMap::default();
        m.insert("target.company", "確認書!C4");
        m.insert("items.7.status", "確認書!C24");
        m.insert("items.7.detail", "確認書!D24");
        m
    }

    #[test]
    fn a_path_without_a_cell_of_its_own_names_the_nearest() {
        let m = map();
        assert_eq!(m.nearest("items.7.detail"), Some("確認書!D24"));
        assert_eq!(m.nearest("items.7"), Some("確認書!C24"));
        assert_eq!(m.nearest("items.7.detail.extra"), Some("確認書!D24"));
        assert_eq!(m.nearest("target"), Some("確認書!C4"));
        assert_eq!(m.nearest("items.70"), None);
        assert_eq!(m.nearest("$"), None);
        let mut problems = vec![
            Problem::error("items.7", "x"),
            Problem::warning("$", "y"),
            Problem::error("items.7.detail", "z"),
        ];
        m.locate(&mut problems);
        let cells: Vec<_> = problems.iter().map(|p| p.cell.as_deref()).collect();
        assert_eq!(cells, [Some("確認書!C24"), None, Some("確認書!D24")]);
        assert_eq!(
            problems[2].to_string(),
            "エラー: items.7.detail（確認書!D24）: z"
        );
    }
}
