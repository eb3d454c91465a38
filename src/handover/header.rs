//! What a handover is: the headers one front server reads, and the function that writes
//! them for a file on this machine.

use crate::config::Config;
use crate::error::Result;
use crate::source::LocalFile;

/// The headers one front server reads, after the presentation.
pub(crate) type Handover = Vec<(&'static str, String)>;

/// Writes what one front server reads, for a file on this machine.
pub(crate) type HeaderWriter = fn(&Config, &LocalFile<'_>) -> Result<Handover>;
