//! HTTP semantics: header values, dispositions, validators, preconditions and ranges.

pub(crate) mod content_type;
pub(crate) mod disposition;
pub(crate) mod field;
pub(crate) mod multipart;
pub(crate) mod preconditions;
pub(crate) mod range;
pub(crate) mod validators;
