//! Objects in an S3-compatible store (AWS S3, Ceph RGW, MinIO, R2) as the source of a
//! plan: the plan names an object and hands over a presigned URL,
//! and nginx or the client fetches the bytes; the application never relays them.
//!
//! Signing is pure computation (SigV4 in the query, by rusty-s3): no network I/O, no
//! clock but the one read per plan. Only `host` is signed, so a client's `Range` and
//! conditional headers pass through and the store answers 206 or 304 itself.
//!
//! The settings are always there, so that a configuration names the store the same way in
//! every build; the rest is the `store` feature's (on by default), and without it a
//! configuration that names a store is refused.

#[cfg(feature = "store")]
mod endpoint;
#[cfg(feature = "store")]
mod key;
#[cfg(feature = "store")]
mod object_store;
mod settings;

#[cfg(feature = "store")]
pub use endpoint::{StoreTarget, store_location};
#[cfg(feature = "store")]
pub(crate) use key::{ObjectKey, object_key};
#[cfg(feature = "store")]
pub(crate) use object_store::{ObjectStore, SignedMethod};
pub use settings::{
    Addressing, DEFAULT_STORE_LIFETIME, DEFAULT_STORE_LOCATION, DEFAULT_STORE_REGION, Secret,
    StoreOptions,
};

/// Headers of the store's answers that the nginx location hides from the client: the
/// application's Content-Type, Content-Disposition, Cache-Control and Expires win over
/// the store's object metadata, the store's cookies never reach the client, and neither
/// do the `x-amz-*` headers AWS S3, Ceph RGW and MinIO send with an object (nginx cannot
/// hide headers by pattern, so they are listed; user metadata, `x-amz-meta-*`, is named
/// by whoever uploads it). Content-Length, Content-Range, ETag, Last-Modified,
/// Accept-Ranges and Content-Encoding describe the bytes sent, and come from the store.
pub const STORE_HIDDEN_HEADERS: [&str; 35] = [
    "Content-Type",
    "Content-Disposition",
    "Cache-Control",
    "Expires",
    "Set-Cookie",
    "x-amz-id-2",
    "x-amz-request-id",
    "x-amz-version-id",
    "x-amz-delete-marker",
    "x-amz-expiration",
    "x-amz-restore",
    "x-amz-storage-class",
    "x-amz-replication-status",
    "x-amz-website-redirect-location",
    "x-amz-server-side-encryption",
    "x-amz-server-side-encryption-aws-kms-key-id",
    "x-amz-server-side-encryption-bucket-key-enabled",
    "x-amz-server-side-encryption-customer-algorithm",
    "x-amz-server-side-encryption-customer-key-MD5",
    "x-amz-checksum-crc32",
    "x-amz-checksum-crc32c",
    "x-amz-checksum-crc64nvme",
    "x-amz-checksum-sha1",
    "x-amz-checksum-sha256",
    "x-amz-checksum-type",
    "x-amz-mp-parts-count",
    "x-amz-tagging-count",
    "x-amz-missing-meta",
    "x-amz-object-lock-mode",
    "x-amz-object-lock-retain-until-date",
    "x-amz-object-lock-legal-hold",
    "x-amz-request-charged",
    "x-rgw-object-type",
    "X-Minio-Deployment-Id",
    "X-Amz-Bucket-Region",
];
