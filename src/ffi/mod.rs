//! The C ABI: the only place with `extern "C"`, raw pointers and panic catching.
//!
//! Conventions, stated once here and in the README: every function starts with `sf_`;
//! handles are opaque, made by `_new` and released by `_free`; a `const` handle is never
//! changed; every string is a pointer and a length, never NUL-terminated input; results
//! come back through out-parameters; a function returns an [`sf_result`] or a documented
//! sentinel, and [`sf_last_error`] gives the detail on the calling thread; a NULL argument
//! is an error, never a crash; a panic never crosses the boundary.

#![allow(non_camel_case_types)]

mod archive;
mod boundary;
mod bytes;
mod config;
mod handle;
mod last_error;
mod plan;
mod result;
mod version;

pub use archive::{
    sf_archive, sf_archive_add, sf_archive_free, sf_archive_new, sf_plan_archive_new,
};
pub use bytes::{sf_bytes, sf_field};
pub use config::{sf_config, sf_config_free, sf_config_new};
pub use last_error::sf_last_error;
pub use plan::{
    sf_plan, sf_plan_body_length, sf_plan_fd, sf_plan_file_size, sf_plan_free, sf_plan_header,
    sf_plan_header_count, sf_plan_new, sf_plan_segment, sf_plan_segment_count, sf_plan_segment_fd,
    sf_plan_send, sf_plan_status, sf_plan_take_fd, sf_segment_kind,
};
pub use result::{sf_result, sf_result_string};
pub use version::sf_version;
