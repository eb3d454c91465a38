//! The ZIP records of an archive of stored members (APPNOTE 6.3.10), byte for byte.
//!
//! Every member is stored (method 0): its data is the file's bytes, so their length is
//! known before they are read and they can go out by `sendfile(2)`. The CRC-32 is always
//! in the local header, never in a data descriptor after the data: Java's
//! `ZipInputStream` refuses a stored member whose sizes and CRC come after its data, and
//! a descriptor would save no reading, since the CRC is of the same bytes either way.
//! Zip64 fields appear exactly where a size, an offset or the member count does not fit
//! the classic ones, so small archives read everywhere and large ones still read.

/// The largest value of a classic 32-bit field; at or above it the Zip64 field holds it.
const MAX_U32: u64 = 0xFFFF_FFFF;
/// The largest classic member count; at or above it the Zip64 end record holds it.
const MAX_U16: u64 = 0xFFFF;

/// "Version needed to extract" of a member without Zip64 fields (2.0), and with them (4.5).
const VERSION_CLASSIC: u16 = 20;
const VERSION_ZIP64: u16 = 45;
/// "Version made by": Unix (3) in the high byte, so that readers apply the permissions of
/// the external attributes, and the specification version 4.5.
const MADE_BY_UNIX: u16 = (3 << 8) | VERSION_ZIP64;
/// External attributes: a regular file, rw-r--r--.
const EXTERNAL_ATTRIBUTES: u32 = 0o100644 << 16;
/// General purpose flag bit 11: the name is UTF-8.
const FLAG_UTF8: u16 = 1 << 11;

const LOCAL_HEADER_SIGNATURE: u32 = 0x0403_4b50;
const CENTRAL_HEADER_SIGNATURE: u32 = 0x0201_4b50;
const ZIP64_END_SIGNATURE: u32 = 0x0606_4b50;
const ZIP64_LOCATOR_SIGNATURE: u32 = 0x0706_4b50;
const END_SIGNATURE: u32 = 0x0605_4b50;

const LOCAL_HEADER_FIXED: u64 = 30;
const CENTRAL_HEADER_FIXED: u64 = 46;
const ZIP64_END_LENGTH: u64 = 56;
const ZIP64_LOCATOR_LENGTH: u64 = 20;
const END_LENGTH: u64 = 22;

/// Extra field 0x0001 (Zip64), and 0x5455 (Info-ZIP's extended timestamp: the
/// modification time in Unix seconds, which the DOS fields hold only to two seconds in
/// local time).
const ZIP64_TAG: u16 = 0x0001;
const TIMESTAMP_TAG: u16 = 0x5455;
/// The timestamp field's flags: the modification time follows.
const TIMESTAMP_HAS_MTIME: u8 = 1;

/// What a member's records say about it, but for its CRC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry<'a> {
    /// The name inside the archive, already checked.
    pub name: &'a str,
    /// The data's length: the file's size.
    pub size: u64,
    /// The modification time in Unix seconds.
    pub mtime: i64,
    /// Where the member's local header starts in the archive.
    pub offset: u64,
}

impl Entry<'_> {
    fn size_needs_zip64(&self) -> bool {
        self.size >= MAX_U32
    }

    fn offset_needs_zip64(&self) -> bool {
        self.offset >= MAX_U32
    }

    fn version_needed(&self) -> u16 {
        if self.size_needs_zip64() || self.offset_needs_zip64() {
            VERSION_ZIP64
        } else {
            VERSION_CLASSIC
        }
    }

    fn flags(&self) -> u16 {
        if self.name.is_ascii() { 0 } else { FLAG_UTF8 }
    }

    /// The extended timestamp, where the time fits its signed 32 bits.
    fn unix_time(&self) -> Option<u32> {
        u32::try_from(self.mtime)
            .ok()
            .filter(|&seconds| seconds <= i32::MAX as u32)
    }

    fn timestamp_extra_length(&self) -> u64 {
        if self.unix_time().is_some() { 9 } else { 0 }
    }

    fn local_extra_length(&self) -> u64 {
        let zip64 = if self.size_needs_zip64() { 4 + 16 } else { 0 };
        zip64 + self.timestamp_extra_length()
    }

    fn central_zip64_length(&self) -> u64 {
        let sizes = if self.size_needs_zip64() { 16 } else { 0 };
        let offset = if self.offset_needs_zip64() { 8 } else { 0 };
        match sizes + offset {
            0 => 0,
            fields => 4 + fields,
        }
    }

    /// The length of the local header, known without the CRC.
    pub fn local_header_length(&self) -> u64 {
        LOCAL_HEADER_FIXED + self.name.len() as u64 + self.local_extra_length()
    }

    /// The length of the member's central directory header.
    pub fn central_header_length(&self) -> u64 {
        CENTRAL_HEADER_FIXED
            + self.name.len() as u64
            + self.central_zip64_length()
            + self.timestamp_extra_length()
    }

    /// The local header, which precedes the member's data.
    pub fn local_header(&self, crc: u32) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.local_header_length() as usize);
        let (time, date) = dos_time(self.mtime);
        let size32 = self.size.min(MAX_U32) as u32;
        put32(&mut out, LOCAL_HEADER_SIGNATURE);
        put16(&mut out, self.version_needed());
        put16(&mut out, self.flags());
        put16(&mut out, 0); // stored
        put16(&mut out, time);
        put16(&mut out, date);
        put32(&mut out, crc);
        put32(&mut out, size32); // compressed
        put32(&mut out, size32); // uncompressed
        put16(&mut out, self.name.len() as u16);
        put16(&mut out, self.local_extra_length() as u16);
        out.extend_from_slice(self.name.as_bytes());
        if self.size_needs_zip64() {
            put16(&mut out, ZIP64_TAG);
            put16(&mut out, 16);
            put64(&mut out, self.size);
            put64(&mut out, self.size);
        }
        self.put_timestamp(&mut out);
        debug_assert_eq!(out.len() as u64, self.local_header_length());
        out
    }

    /// The member's header in the central directory.
    pub fn central_header(&self, crc: u32, out: &mut Vec<u8>) {
        let start = out.len();
        let (time, date) = dos_time(self.mtime);
        let size32 = self.size.min(MAX_U32) as u32;
        put32(out, CENTRAL_HEADER_SIGNATURE);
        put16(out, MADE_BY_UNIX);
        put16(out, self.version_needed());
        put16(out, self.flags());
        put16(out, 0); // stored
        put16(out, time);
        put16(out, date);
        put32(out, crc);
        put32(out, size32);
        put32(out, size32);
        put16(out, self.name.len() as u16);
        put16(
            out,
            (self.central_zip64_length() + self.timestamp_extra_length()) as u16,
        );
        put16(out, 0); // comment length
        put16(out, 0); // disk number
        put16(out, 0); // internal attributes
        put32(out, EXTERNAL_ATTRIBUTES);
        put32(out, self.offset.min(MAX_U32) as u32);
        out.extend_from_slice(self.name.as_bytes());
        if self.central_zip64_length() > 0 {
            put16(out, ZIP64_TAG);
            put16(out, (self.central_zip64_length() - 4) as u16);
            // In the order the specification lists them, only those that overflowed.
            if self.size_needs_zip64() {
                put64(out, self.size);
                put64(out, self.size);
            }
            if self.offset_needs_zip64() {
                put64(out, self.offset);
            }
        }
        self.put_timestamp(out);
        debug_assert_eq!((out.len() - start) as u64, self.central_header_length());
    }

    fn put_timestamp(&self, out: &mut Vec<u8>) {
        if let Some(seconds) = self.unix_time() {
            put16(out, TIMESTAMP_TAG);
            put16(out, 5);
            out.push(TIMESTAMP_HAS_MTIME);
            put32(out, seconds);
        }
    }
}

/// Where the central directory lies and what it holds: enough to write the end records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Directory {
    /// The number of members.
    pub entries: u64,
    /// Where the central directory starts.
    pub offset: u64,
    /// The central directory's length, end records excluded.
    pub length: u64,
}

impl Directory {
    fn needs_zip64(&self) -> bool {
        self.entries >= MAX_U16 || self.offset >= MAX_U32 || self.length >= MAX_U32
    }

    /// The length of the end records after the central directory.
    pub fn end_length(&self) -> u64 {
        if self.needs_zip64() {
            ZIP64_END_LENGTH + ZIP64_LOCATOR_LENGTH + END_LENGTH
        } else {
            END_LENGTH
        }
    }

    /// The end records: the Zip64 end record and its locator where needed, then the
    /// classic end record, its overflowing fields at their maximum.
    pub fn end_records(&self, out: &mut Vec<u8>) {
        let zip64_end_offset = self.offset + self.length;
        if self.needs_zip64() {
            put32(out, ZIP64_END_SIGNATURE);
            put64(out, ZIP64_END_LENGTH - 12);
            put16(out, MADE_BY_UNIX);
            put16(out, VERSION_ZIP64);
            put32(out, 0); // this disk
            put32(out, 0); // the directory's disk
            put64(out, self.entries);
            put64(out, self.entries);
            put64(out, self.length);
            put64(out, self.offset);
            put32(out, ZIP64_LOCATOR_SIGNATURE);
            put32(out, 0); // the Zip64 end record's disk
            put64(out, zip64_end_offset);
            put32(out, 1); // disks
        }
        let entries16 = self.entries.min(MAX_U16) as u16;
        put32(out, END_SIGNATURE);
        put16(out, 0);
        put16(out, 0);
        put16(out, entries16);
        put16(out, entries16);
        put32(out, self.length.min(MAX_U32) as u32);
        put32(out, self.offset.min(MAX_U32) as u32);
        put16(out, 0); // comment length
    }
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put64(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// The MS-DOS time and date of Unix time `seconds`, in UTC (a DOS time has no zone; UTC
/// makes the archive the same on every machine), to the even second below, within the
/// years 1980 to 2107 that the format can hold.
pub(crate) fn dos_time(seconds: i64) -> (u16, u16) {
    const FIRST: i64 = 315_532_800; // 1980-01-01T00:00:00Z
    const LAST: i64 = 4_354_819_198; // 2107-12-31T23:59:58Z
    let seconds = seconds.clamp(FIRST, LAST);
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    let time = ((second_of_day / 3600) << 11)
        | ((second_of_day % 3600 / 60) << 5)
        | ((second_of_day % 60) / 2);
    let date = ((year - 1980) << 9) | (month << 5) | day;
    (time as u16, date as u16)
}

/// The proleptic Gregorian (year, month, day) of a count of days since 1970-01-01
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(size: u64, offset: u64) -> Entry<'static> {
        Entry {
            name: "a.txt",
            size,
            mtime: 1_700_000_000,
            offset,
        }
    }

    #[test]
    fn dos_times_are_utc_to_the_even_second_and_clamped() {
        // 2023-11-14T22:13:20Z
        let (time, date) = dos_time(1_700_000_000);
        assert_eq!(
            (time >> 11, (time >> 5) & 63, (time & 31) * 2),
            (22, 13, 20)
        );
        assert_eq!(
            (1980 + (date >> 9), (date >> 5) & 15, date & 31),
            (2023, 11, 14)
        );
        assert_eq!(dos_time(0), (0, 1 << 5 | 1)); // 1980-01-01
        assert_eq!(dos_time(-5), dos_time(0));
        let (time, date) = dos_time(i64::MAX);
        assert_eq!((date >> 9, (date >> 5) & 15, date & 31), (127, 12, 31));
        assert_eq!(time, 23 << 11 | 59 << 5 | 29);
        // A leap day.
        let (_, date) = dos_time(951_782_400); // 2000-02-29
        assert_eq!(
            (1980 + (date >> 9), (date >> 5) & 15, date & 31),
            (2000, 2, 29)
        );
    }

    #[test]
    fn a_small_member_has_classic_records_only() {
        let small = entry(10, 0);
        let header = small.local_header(0xDEAD_BEEF);
        assert_eq!(header.len() as u64, small.local_header_length());
        assert_eq!(header.len(), 30 + 5 + 9);
        assert_eq!(&header[4..6], &20u16.to_le_bytes());
        assert_eq!(&header[14..18], &0xDEAD_BEEFu32.to_le_bytes());
        assert_eq!(&header[18..22], &10u32.to_le_bytes());
        let mut central = Vec::new();
        small.central_header(0xDEAD_BEEF, &mut central);
        assert_eq!(central.len(), 46 + 5 + 9);
    }

    #[test]
    fn zip64_fields_appear_only_for_what_overflows() {
        let big = entry(MAX_U32, 0);
        assert_eq!(big.local_header_length(), 30 + 5 + 20 + 9);
        let header = big.local_header(1);
        assert_eq!(&header[18..26], &[0xFF; 8]);
        assert_eq!(&header[4..6], &45u16.to_le_bytes());
        let far = entry(1, MAX_U32);
        assert_eq!(far.local_header_length(), 30 + 5 + 9);
        assert_eq!(far.central_header_length(), 46 + 5 + 12 + 9);
        let mut central = Vec::new();
        far.central_header(1, &mut central);
        assert_eq!(&central[42..46], &[0xFF; 4]);
        assert_eq!(&central[51..55], &[1, 0, 8, 0]);
        assert_eq!(&central[55..63], &MAX_U32.to_le_bytes());
    }

    #[test]
    fn utf8_names_are_flagged() {
        let named = Entry {
            name: "café.txt",
            ..entry(1, 0)
        };
        assert_eq!(&named.local_header(0)[6..8], &FLAG_UTF8.to_le_bytes());
        assert_eq!(&entry(1, 0).local_header(0)[6..8], &[0, 0]);
    }

    #[test]
    fn times_beyond_32_bits_have_no_extended_timestamp() {
        let late = Entry {
            mtime: 1 << 31,
            ..entry(1, 0)
        };
        assert_eq!(late.local_header_length(), 30 + 5);
    }

    #[test]
    fn end_records_go_zip64_at_65535_members() {
        let few = Directory {
            entries: MAX_U16 - 1,
            offset: 10,
            length: 20,
        };
        assert_eq!(few.end_length(), 22);
        let many = Directory {
            entries: MAX_U16,
            ..few
        };
        assert_eq!(many.end_length(), 56 + 20 + 22);
        let mut out = Vec::new();
        many.end_records(&mut out);
        assert_eq!(out.len() as u64, many.end_length());
        assert_eq!(&out[24..32], &MAX_U16.to_le_bytes());
        // The locator points at the Zip64 end record, right after the directory.
        assert_eq!(&out[64..72], &30u64.to_le_bytes());
        assert_eq!(&out[76 + 8..76 + 12], &[0xFF, 0xFF, 0xFF, 0xFF]);
    }
}
