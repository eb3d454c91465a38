//! The answer for many files as one ZIP archive, sent by the application under every
//! backend: no front server this library drives can make an archive of files it is handed.
//!
//! Each member is found and opened under the root as a single file is (the same
//! kernel-enforced containment; a directory or device is not found), the archive is laid
//! out from what was measured, and the HTTP answer is the one a file of the archive's
//! length gets: preconditions, `If-Range`, ranges and `HEAD` alike.

use std::os::unix::fs::MetadataExt;
use std::sync::Arc;
use std::time::SystemTime;

use xxhash_rust::xxh3::Xxh3;

use crate::archive::body::{ArchiveBody, Selected};
use crate::archive::{Archive, ArchiveMember, KEPT_OPEN, MeasuredMember};
use crate::config::Config;
#[cfg(feature = "store")]
use crate::error::Error;
use crate::error::Result;
use crate::http::disposition::{Disposition, content_disposition};
use crate::http::validators::Validators;
use crate::options::file::FileOptions;
use crate::path::open::RootDir;
use crate::plan::{Body, Plan, Segment};
use crate::planner::presentation::Presentation;
use crate::planner::served;
use crate::request::Request;
use crate::source::LocalFile;

/// The media type of a ZIP archive.
const ZIP_TYPE: &str = "application/zip";

/// Changes whenever the same members would give other bytes, so that no entity tag
/// outlives the layout it was made for.
const LAYOUT_VERSION: &[u8] = b"sendfile-zip-stored-1";

impl Config {
    /// Plans the answer to `request` for the files `members` as one ZIP archive offered
    /// for download as `download_name`.
    ///
    /// The archive is the same bytes for the same members (names, sizes, modification
    /// times, order), so its `Content-Length`, a strong `ETag` and `Last-Modified` (the
    /// newest member's) are known at once, and a download resumes with `Range` and
    /// `If-Range`. The members' data goes out by `sendfile(2)` ([`Plan::send_to`]); a
    /// member's CRC-32 is read just before its header is sent, unless given.
    ///
    /// Errors: as [`Config::plan`] for each member (missing, outside the root, not a
    /// regular file: the path in the message is the member's); [`crate::Error::InvalidArgument`]
    /// for a name inside the archive that is unsafe to unpack, or two members with one
    /// name; [`crate::Error::Configuration`] for a configuration that names an object store.
    pub fn plan_archive(
        &self,
        request: &Request,
        members: &[ArchiveMember],
        download_name: &str,
    ) -> Result<Plan> {
        #[cfg(feature = "store")]
        if self.store.is_some() {
            return Err(Error::Configuration(
                "an archive is made of files under the root: a configuration of objects in \
                 a store cannot plan one"
                    .to_owned(),
            ));
        }
        let root = RootDir::open(&self.root)?;
        let keep_open = members.len() <= KEPT_OPEN;
        let measured = members
            .iter()
            .map(|member| measure(self, &root, member, keep_open))
            .collect::<Result<Vec<_>>>()?;
        let validators = validators(self, &measured);
        let archive = Archive::lay_out(measured, root, self.crcs.clone())?;
        let length = archive.length();
        let presentation = Presentation {
            content_type: ZIP_TYPE.to_owned(),
            content_disposition: content_disposition(Disposition::Attachment, Some(download_name)),
            content_encoding: None,
        };
        let answered = served::answer(self, request, length, &validators, presentation)?;
        Ok(Plan {
            status: answered.status,
            headers: answered.headers,
            body: archive_body(archive, answered.body),
            file: None,
            file_size: Some(length),
            path: None,
        })
    }
}

/// Finds and opens one member under the root, as a single file is.
fn measure(
    config: &Config,
    root: &RootDir,
    member: &ArchiveMember,
    keep_open: bool,
) -> Result<MeasuredMember> {
    let file = LocalFile::locate(config, &FileOptions::new(&member.path))?;
    let relative = file.relative().clone();
    let opened = root.open_file(&relative)?;
    let name = member
        .name
        .clone()
        .unwrap_or_else(|| relative.file_name().to_owned());
    MeasuredMember::new(name, relative, opened, member.crc32, keep_open)
}

/// The archive's validators: `Last-Modified` from the newest member, and an entity tag
/// from everything that decides the archive's bytes (the names, the order, each member's
/// size and nanosecond modification time, the CRCs given), never from an inode, which
/// differs between the machines behind a load balancer.
fn validators(config: &Config, members: &[MeasuredMember]) -> Validators {
    let options = &config.options;
    let newest = members
        .iter()
        .map(|member| (member.metadata.mtime(), member.metadata.mtime_nsec()))
        .max();
    let (seconds, nanos) = newest.unwrap_or((0, 0));
    let mut validators = Validators::new(
        0,
        seconds,
        nanos,
        SystemTime::now(),
        false,
        options.last_modified && newest.is_some(),
    );
    if options.etag {
        let mut hash = Xxh3::new();
        hash.update(LAYOUT_VERSION);
        for member in members {
            let metadata = &member.metadata;
            hash.update(&(member.name.len() as u64).to_le_bytes());
            hash.update(member.name.as_bytes());
            hash.update(&metadata.len().to_le_bytes());
            hash.update(&metadata.mtime().to_le_bytes());
            hash.update(&metadata.mtime_nsec().to_le_bytes());
            hash.update(&member.crc32.map_or(u64::MAX, u64::from).to_le_bytes());
        }
        validators.etag = Some(format!("\"zip-{:032x}\"", hash.digest128()));
    }
    validators
}

/// The body that sends from `archive` what `selection` selects of its bytes.
fn archive_body(archive: Archive, selection: Body) -> Body {
    let selected = match selection {
        Body::File(range) => vec![Selected::Run(range)],
        Body::Multipart(segments) => segments
            .into_iter()
            .map(|segment| match segment {
                Segment::Literal(bytes) => Selected::Literal(bytes),
                Segment::File(range) => Selected::Run(range),
            })
            .collect(),
        Body::Empty | Body::Archive(_) => return Body::Empty,
    };
    Body::Archive(ArchiveBody::new(Arc::new(archive), selected))
}
