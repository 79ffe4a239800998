//! Special contract clauses (特約条項) rendered as text.
//!
//! The wording is legal text, so it lives only in data files under `layouts/<variant>/`: a
//! handlebars template `clauses.hbs` and its metadata `clauses.json`. Keeping it out of Rust means
//! a reviewer can diff the data against the official source, and the tests can compare it with
//! the seed texts character for character.
//!
//! Every template line is one block, `kind: text`, where kind is `title`, `caption`, `article`,
//! `para`, `item` or `text`. Numbered kinds (`article`, `para`, `item`) start their text with the
//! label and one space (`第1条 …`, `2 …`, `一 …`). The parties are the placeholders `{{first}}`
//! and `{{second}}`, so one template serves 甲/乙, 委託者/受託者 or real names alike.
//!
//! With `--party-names` the text keeps its labels and a parties block at the head names who they
//! are (「甲：北海道警察本部」): a header of names, made here, never part of the template.

pub mod docx;

use std::str::FromStr;

pub use crate::error::{BlockError, ClauseError, PartiesError};
pub use crate::model::parties::Parties;
pub use crate::spec::clauses::{variant, variant_names, Variant};
use handlebars::Handlebars;

/// What a block is, so that renderers can lay out headings, paragraphs and list items differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Title,
    Caption,
    /// The first paragraph of an article, labelled 第N条.
    Article,
    /// A numbered paragraph (2, 3 …).
    Paragraph,
    /// A sub-item (一, 二 …).
    Item,
    /// An unnumbered continuation paragraph.
    Text,
    /// A line of the parties block at the head (`--party-names`): the label, then the name.
    /// Never in a template.
    Parties,
}

impl BlockKind {
    fn from_tag(tag: &str) -> Option<BlockKind> {
        Some(match tag {
            "title" => BlockKind::Title,
            "caption" => BlockKind::Caption,
            "article" => BlockKind::Article,
            "para" => BlockKind::Paragraph,
            "item" => BlockKind::Item,
            "text" => BlockKind::Text,
            _ => return None,
        })
    }

    /// Checks a label's shape, so that a template line missing its label (or its space) is
    /// caught instead of being rendered with part of the sentence as its number.
    fn label_ok(self, label: &str) -> bool {
        let digits =
            |s: &str| !s.is_empty() && s.chars().all(crate::model::charset::is_digit_either_width);
        match self {
            BlockKind::Article => label
                .strip_prefix('第')
                .and_then(|s| s.strip_suffix('条'))
                .is_some_and(digits),
            BlockKind::Paragraph => digits(label),
            BlockKind::Item => {
                !label.is_empty() && label.chars().all(|c| "一二三四五六七八九十".contains(c))
            }
            BlockKind::Title | BlockKind::Caption | BlockKind::Text => label.is_empty(),
            BlockKind::Parties => !label.is_empty(),
        }
    }
}

/// One rendered line of the clauses. The label is kept apart so that a layout engine can hang it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// 第1条, 2, 一 …; empty for titles, captions and unnumbered text.
    pub label: String,
    pub body: String,
}

impl Block {
    /// The block as it reads: label, one space, body.
    pub fn text(&self) -> String {
        if self.kind == BlockKind::Parties {
            format!("{}{PARTY_SEPARATOR}{}", self.label, self.body)
        } else if self.label.is_empty() {
            self.body.clone()
        } else {
            format!("{} {}", self.label, self.body)
        }
    }

    fn parse(line: &str) -> Result<Block, BlockError> {
        let (tag, text) = line.split_once(": ").ok_or(BlockError::NoTag)?;
        let unknown = || BlockError::UnknownTag(tag.to_owned());
        let kind = BlockKind::from_tag(tag).ok_or_else(unknown)?;
        if text.is_empty() || text.trim() != text {
            return Err(BlockError::EmptyOrPadded);
        }
        let (label, body) = match kind {
            BlockKind::Article | BlockKind::Paragraph | BlockKind::Item => {
                text.split_once(' ').ok_or(BlockError::NoSpaceAfterLabel)?
            }
            BlockKind::Title | BlockKind::Caption | BlockKind::Text => ("", text),
            BlockKind::Parties => return Err(unknown()),
        };
        if body.is_empty() || body.starts_with(char::is_whitespace) {
            return Err(BlockError::SpacesAfterLabel);
        }
        if !kind.label_ok(label) {
            return Err(BlockError::BadLabel {
                tag: tag.to_owned(),
                label: label.to_owned(),
            });
        }
        Ok(Block {
            kind,
            label: label.to_owned(),
            body: body.to_owned(),
        })
    }
}

/// Renders a variant's clauses with the given party names.
pub fn render_blocks(v: &Variant, parties: &Parties) -> Result<Vec<Block>, ClauseError> {
    parties.validate()?;
    let mut hb = Handlebars::new();
    // Strict, so that a misspelt placeholder is an error rather than a party silently left out;
    // no escaping, since the output is plain text and names such as "A&B" must stay as typed.
    hb.set_strict_mode(true);
    hb.register_escape_fn(handlebars::no_escape);
    let data = serde_json::json!({ "first": parties.first, "second": parties.second });
    let text = hb
        .render_template(v.template, &data)
        .map_err(|e| ClauseError::Template {
            variant: v.name,
            reason: e.to_string(),
        })?;
    // Names contain no line breaks (validated above), so output line n is template line n.
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            Block::parse(line).map_err(|reason| ClauseError::Malformed {
                variant: v.name,
                line: i + 1,
                reason,
            })
        })
        .collect()
}

/// Between a party's label and its name in the parties block (secform's own mark).
pub const PARTY_SEPARATOR: &str = "：";

/// The parties block (`--party-names`): a line per party, its label in the text (`labels`) and
/// its name, so that the clauses keep their 甲/乙 and the reader knows who they are.
pub fn parties_block(labels: &Parties, names: &Parties) -> Result<Vec<Block>, ClauseError> {
    labels.validate()?;
    names.validate()?;
    Ok([
        (&labels.first, &names.first),
        (&labels.second, &names.second),
    ]
    .into_iter()
    .map(|(label, name)| Block {
        kind: BlockKind::Parties,
        label: label.clone(),
        body: name.clone(),
    })
    .collect())
}

/// [`render_blocks`], headed by the parties block when `names` are given.
pub fn render_blocks_named(
    v: &Variant,
    parties: &Parties,
    names: Option<&Parties>,
) -> Result<Vec<Block>, ClauseError> {
    let mut blocks = match names {
        Some(names) => parties_block(parties, names)?,
        None => Vec::new(),
    };
    blocks.extend(render_blocks(v, parties)?);
    Ok(blocks)
}

/// Why the blank 別記様式 cannot follow `variant`'s clauses under `parties`, if it cannot.
pub fn with_form_problem(variant: &Variant, parties: &Parties) -> Option<ClauseError> {
    if !variant.has_form {
        return Some(ClauseError::NoForm {
            variant: variant.name,
        });
    }
    (parties != &variant.default_parties).then(|| ClauseError::FormNeedsItsParties {
        first: variant.default_parties.first.clone(),
        second: variant.default_parties.second.clone(),
    })
}

/// The output formats of the `clauses` command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClauseFormat {
    Pdf,
    Txt,
    Md,
    /// A Word document (src/clauses/docx.rs).
    Docx,
}

impl ClauseFormat {
    /// Every format with the name the command line gives it.
    pub const ALL: [(&'static str, ClauseFormat); 4] = [
        ("pdf", ClauseFormat::Pdf),
        ("txt", ClauseFormat::Txt),
        ("md", ClauseFormat::Md),
        ("docx", ClauseFormat::Docx),
    ];
}

impl FromStr for ClauseFormat {
    type Err = ClauseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ClauseFormat::ALL
            .iter()
            .find(|(name, _)| *name == s)
            .map(|&(_, format)| format)
            .ok_or_else(|| ClauseError::UnknownFormat {
                name: s.to_owned(),
                known: ClauseFormat::ALL.map(|(name, _)| name).join(", "),
            })
    }
}

/// Plain text: one block per line.
pub fn to_txt(blocks: &[Block]) -> String {
    blocks.iter().map(|b| b.text() + "\n").collect()
}

/// Markdown: the title and captions as headings, the items of one list on consecutive lines and
/// every other block as its own paragraph.
pub fn to_md(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut previous = None;
    for block in blocks {
        let in_list = previous == Some(BlockKind::Item) && block.kind == BlockKind::Item;
        if previous.is_some() && !in_list {
            out.push('\n');
        }
        out.push_str(match block.kind {
            BlockKind::Title => "# ",
            BlockKind::Caption => "## ",
            BlockKind::Item => "- ",
            BlockKind::Article | BlockKind::Paragraph | BlockKind::Text | BlockKind::Parties => "",
        });
        out.push_str(&escape_md(&block.text()));
        out.push('\n');
        previous = Some(block.kind);
    }
    out
}

/// The clause wording uses full-width punctuation only, but party names are user input: a `*` or
/// `_` in a company name must not turn into emphasis.
fn escape_md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>&~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_template(template: &'static str) -> Variant {
        Variant {
            template,
            ..variant("npa-2022").expect("known variant")
        }
    }

    fn render(template: &'static str) -> Result<Vec<Block>, ClauseError> {
        let parties = Parties::parse("甲,乙")?;
        render_blocks(&with_template(template), &parties)
    }

    #[test]
    fn well_formed_lines() {
        let blocks = render("title: 題\ncaption: （目的）\narticle: 第１０条 {{second}}は、\npara: 2 {{first}}は\nitem: 十一 号\ntext: なお、\n")
            .expect("renders");
        let texts: Vec<String> = blocks.iter().map(Block::text).collect();
        assert_eq!(
            texts,
            [
                "題",
                "（目的）",
                "第１０条 乙は、",
                "2 甲は",
                "十一 号",
                "なお、"
            ]
        );
        assert_eq!(blocks[2].label, "第１０条");
        assert_eq!(blocks[2].body, "乙は、");
    }

    #[test]
    fn malformed_lines() {
        for (template, line) in [
            ("title: 題\ncaption （目的）\n", 2),
            ("title: 題\nheading: 題\n", 2),
            ("title: 題\n\ntext: なお\n", 2),
            ("title: 題 \n", 1),
            ("title: \n", 1),
            ("article: 第1条\n", 1),
            ("article: 第1条  乙は\n", 1),
            ("article: 第一条 乙は\n", 1),
            ("article: 1条 乙は\n", 1),
            ("para: 第2 乙は\n", 1),
            ("item: 1 乙は\n", 1),
            ("para: 2乙は、次の 各号\n", 1),
        ] {
            match render(template) {
                Err(ClauseError::Malformed { line: l, .. }) => assert_eq!(l, line, "{template:?}"),
                other => panic!("{template:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn strict_placeholders() {
        let result = render("article: 第1条 {{thrid}}は\n");
        assert!(
            matches!(result, Err(ClauseError::Template { .. })),
            "{result:?}"
        );
    }
}
