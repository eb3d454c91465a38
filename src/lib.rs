//! sendfile: how a web application hands a protected file to a client.
//!
//! Once the application has decided that a client may have a file, this crate computes
//! the **plan** of the answer: the status, the headers and, where the application sends
//! the bytes itself, the open file with the byte ranges to send. Where a front server
//! (nginx, Apache with mod_xsendfile or mod_wsgi, lighttpd) sends the file, the plan is
//! the header that tells it to.
//!
//! ```no_run
//! use sendfile::{Backend, Config, FileOptions, Request};
//!
//! let config = Config::builder(Backend::Simple).root("/srv/private").build()?;
//! let request = Request::get().with_header("Range", "bytes=0-99");
//! let plan = config.plan(&request, &FileOptions::new("reports/q3.pdf").attachment())?;
//! assert_eq!(plan.status(), 206);
//! for (name, value) in plan.headers() {
//!     println!("{name}: {value}");
//! }
//! // Send plan.ranges() of plan.file(), for example with sendfile(2).
//! # Ok::<(), sendfile::Error>(())
//! ```
//!
//! The path is resolved under the root by the kernel (`openat2` with `RESOLVE_BENEATH`),
//! the file is opened once, and its size, validators and bytes all come from that one
//! descriptor. Conditional requests and ranges follow RFC 9110; `Content-Disposition`
//! follows RFC 6266 and RFC 8187; no header value ever contains CR, LF or NUL.

/// The README's Rust blocks, compiled as doctests so they keep up with the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod archive;
mod backend;
mod config;
mod error;
#[cfg(feature = "capi")]
pub mod ffi;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod handover;
mod http;
mod options;
mod path;
mod plan;
mod planner;
mod request;
mod source;
mod store;
mod sys;

pub use archive::ArchiveMember;
pub use archive::body::ArchiveBody;
pub use backend::Backend;
pub use config::{Config, ConfigBuilder};
pub use error::{Error, Escape, KeyFault, Missing, Result};
pub use http::content_type::DEFAULT_CONTENT_TYPE;
pub use http::range::ByteRange;
pub use options::OptionValue;
pub use options::config::{AccelExpires, AccelOptions, DEFAULT_MAX_RANGES, Options};
pub use options::config_by_name::OPTION_NAMES;
pub use options::file::{Disposition, DownloadName, FileOptions};
pub use options::file_by_name::FILE_OPTION_NAMES;
pub use plan::read::BodyReader;
pub use plan::{Body, Plan, Segment, SegmentFile, SegmentRef};
pub use request::{Method, PLAN_HEADERS, Request};
pub use store::{
    Addressing, DEFAULT_STORE_LIFETIME, DEFAULT_STORE_LOCATION, DEFAULT_STORE_REGION,
    STORE_HIDDEN_HEADERS, Secret, StoreOptions,
};
#[cfg(feature = "store")]
pub use store::{StoreTarget, store_location};
