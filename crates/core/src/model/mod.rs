//! The answer model: what a contractor fills into the form, and the values it is made of. Nothing
//! here reads a file format or knows a page: readers are in [`crate::input`], the form's rules in
//! [`crate::rules`].

pub mod answers;
pub mod charset;
pub mod draft;
pub mod parties;
pub mod seal;
pub mod summary;
pub mod wareki;
