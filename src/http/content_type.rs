//! The media type of a file, from its name.
//!
//! The table is compiled in (mime_guess), so every machine gives the same answer whatever
//! its `/etc/mime.types` says. A compressed file downloaded as itself is labelled with the
//! compression's own type: `backup.tar.gz` is `application/gzip`, never `application/x-tar`
//! with `Content-Encoding: gzip`, which would make a browser unpack it on the way.

use std::path::Path;

/// The type of anything the table does not know.
pub const DEFAULT_CONTENT_TYPE: &str = "application/octet-stream";

/// Compression formats whose files are served as themselves; mime_guess lacks some of
/// them and labels others inconsistently, so they are fixed here.
const COMPRESSED: [(&str, &str); 5] = [
    ("gz", "application/gzip"),
    ("bz2", "application/x-bzip2"),
    ("xz", "application/x-xz"),
    ("br", "application/x-brotli"),
    ("zst", "application/zstd"),
];

/// Guesses the media type of `path` from its extension (case-insensitive), looking first in
/// `overrides` (extension without the dot, lowercase, and media type).
pub(crate) fn guess(path: &Path, overrides: &[(String, String)]) -> String {
    let Some(extension) = path.extension().and_then(|e| e.to_str()) else {
        return DEFAULT_CONTENT_TYPE.to_owned();
    };
    let extension = extension.to_ascii_lowercase();
    if let Some((_, media_type)) = overrides.iter().find(|(ext, _)| *ext == extension) {
        return media_type.clone();
    }
    if let Some((_, media_type)) = COMPRESSED.iter().find(|(ext, _)| *ext == extension) {
        return (*media_type).to_owned();
    }
    mime_guess::from_ext(&extension)
        .first_raw()
        .unwrap_or(DEFAULT_CONTENT_TYPE)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess_name(name: &str) -> String {
        guess(Path::new(name), &[])
    }

    #[test]
    fn common_types_come_from_the_table() {
        assert_eq!(guess_name("notes.txt"), "text/plain");
        assert_eq!(guess_name("movie.mp4"), "video/mp4");
        assert_eq!(guess_name("doc.PDF"), "application/pdf");
        assert_eq!(guess_name("dir/page.html"), "text/html");
    }

    #[test]
    fn compressed_files_are_labelled_as_themselves() {
        assert_eq!(guess_name("backup.tar.gz"), "application/gzip");
        assert_eq!(guess_name("a.bz2"), "application/x-bzip2");
        assert_eq!(guess_name("a.tar.xz"), "application/x-xz");
        assert_eq!(guess_name("a.js.br"), "application/x-brotli");
        assert_eq!(guess_name("a.zst"), "application/zstd");
    }

    #[test]
    fn unknown_or_missing_extension_is_octet_stream() {
        assert_eq!(guess_name("README"), DEFAULT_CONTENT_TYPE);
        assert_eq!(guess_name("data.unknownext"), DEFAULT_CONTENT_TYPE);
        assert_eq!(guess_name(".bashrc"), DEFAULT_CONTENT_TYPE);
    }

    #[test]
    fn overrides_win_over_the_table() {
        let overrides = vec![("txt".to_owned(), "text/plain; charset=utf-8".to_owned())];
        assert_eq!(
            guess(Path::new("a.TXT"), &overrides),
            "text/plain; charset=utf-8"
        );
    }
}
