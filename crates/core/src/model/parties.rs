//! The two contracting parties of the clauses, as the user names them (甲/乙, 委託者/受託者, real
//! names).

pub use crate::error::PartiesError;

/// The two contracting parties, as they should appear in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parties {
    pub first: String,
    pub second: String,
}

impl Parties {
    /// Parses `--parties` input: two names separated by an ASCII comma. Only ',' separates, since
    /// '、' and '，' occur in real Japanese names and titles.
    pub fn parse(s: &str) -> Result<Parties, PartiesError> {
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        let parties = match parts.as_slice() {
            [first, second] => Parties {
                first: (*first).to_owned(),
                second: (*second).to_owned(),
            },
            [""] => return Err(PartiesError::Missing),
            [given] => {
                return Err(PartiesError::Single {
                    given: (*given).to_owned(),
                })
            }
            _ => return Err(PartiesError::TooMany { count: parts.len() }),
        };
        parties.validate()?;
        Ok(parties)
    }

    /// Checked again at render time because the fields are public: a line break in a name would
    /// split a block in two and an empty or duplicate name would make the contract ambiguous.
    pub(crate) fn validate(&self) -> Result<(), PartiesError> {
        for (position, name) in [(1, &self.first), (2, &self.second)] {
            if name.trim().is_empty() {
                return Err(PartiesError::Empty { position });
            }
            if name.trim() != name {
                return Err(PartiesError::Padded { position });
            }
            if name
                .chars()
                .any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
            {
                return Err(PartiesError::Control { position });
            }
            if let Some(c) = name
                .chars()
                .find(|&c| crate::model::charset::is_private_use(c))
            {
                return Err(PartiesError::PrivateUse {
                    position,
                    codepoint: crate::model::charset::codepoint(c),
                });
            }
        }
        if self.first == self.second {
            return Err(PartiesError::Same {
                name: self.first.clone(),
            });
        }
        Ok(())
    }
}
