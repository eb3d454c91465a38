//! Paths: from what the application asked for to an open descriptor under the root.

pub(crate) mod normalize;
mod open;
mod walk;

pub(crate) use open::open_beneath;
