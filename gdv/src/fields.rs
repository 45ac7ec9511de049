//! Field positions and the typed reading of one field out of a 256-byte record. Every read
//! that fails adds an [`Error`] naming the field and gives a neutral value, so a record with a
//! bad field still yields the rest.

use crate::{Date, Encoding, Error, Problem, MAX_ERRORS};

/// One field of a record layout: its German name, first column (1-based) and length.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field {
    pub name: &'static str,
    pub column: usize,
    pub len: usize,
}

pub(crate) const fn field(name: &'static str, column: usize, len: usize) -> Field {
    Field { name, column, len }
}

pub(crate) const LINE: usize = 256;

/// Satzart, the first four columns of every record.
pub(crate) const SATZART: Field = field("Satzart", 1, 4);
/// The key fields shared by 0100, 0200, 0210 and 0220.
pub(crate) const VU_NUMMER: Field = field("VU-Nummer", 5, 5);
pub(crate) const SPARTE: Field = field("Sparte", 11, 3);
pub(crate) const VS_NUMMER: Field = field("Versicherungsschein-Nummer", 14, 17);
/// The Teildatensatz number where most records keep it.
pub(crate) const SATZNUMMER: Field = field("Satznummer", 256, 1);

/// The collected errors of a file, capped at [`MAX_ERRORS`].
#[derive(Debug, Default)]
pub(crate) struct Errors(pub Vec<Error>);

impl Errors {
    pub fn push(&mut self, error: Error) {
        if self.0.len() < MAX_ERRORS {
            self.0.push(error);
        }
    }

    pub fn full(&self) -> bool {
        self.0.len() >= MAX_ERRORS
    }
}

/// One record being read: its line number, its 256 bytes and where errors go.
pub(crate) struct Rec<'a> {
    pub line: usize,
    pub bytes: &'a [u8; LINE],
    pub encoding: Encoding,
    pub errors: &'a mut Errors,
}

impl Rec<'_> {
    pub fn raw(&self, f: Field) -> &[u8] {
        &self.bytes[f.column - 1..f.column - 1 + f.len]
    }

    pub fn error(&mut self, f: Field, problem: Problem) {
        let found = decode(self.raw(f), self.encoding);
        self.errors.push(Error {
            line: self.line,
            column: f.column,
            field: f.name.to_owned(),
            found,
            problem,
        });
    }

    /// The field as trimmed text; a control character is an error.
    pub fn text(&mut self, f: Field) -> String {
        let raw = self.raw(f);
        if let Some(offset) = raw.iter().position(|&b| !is_text(b, self.encoding)) {
            let found = decode(raw, self.encoding);
            let column = f.column + offset;
            self.errors.push(Error {
                line: self.line,
                column,
                field: f.name.to_owned(),
                found,
                problem: Problem::NotText,
            });
            return String::new();
        }
        decode(trim(raw), self.encoding)
    }

    /// The field's bytes trimmed, when they are plain ASCII (keys and codes).
    pub fn code(&mut self, f: Field) -> String {
        self.text(f)
    }

    /// An unsigned number; blank is `None`, anything else but digits an error.
    pub fn number(&mut self, f: Field) -> Option<u64> {
        let raw = trim(self.raw(f));
        if raw.is_empty() {
            return None;
        }
        let n = digits(raw);
        if n.is_none() {
            self.error(f, Problem::NotANumber);
        }
        n
    }

    /// An amount with `decimals` implied decimal places, in cents; blank is 0.
    pub fn cents(&mut self, f: Field, decimals: u32) -> i64 {
        let n = i64::try_from(self.number(f).unwrap_or(0)).unwrap_or(i64::MAX);
        match decimals {
            0 => n.saturating_mul(100),
            1 => n.saturating_mul(10),
            2 => n,
            _ => n / 10_i64.pow(decimals - 2),
        }
    }

    /// A date TTMMJJJJ; blank or all zeros is `None`.
    pub fn date(&mut self, f: Field) -> Option<Date> {
        let raw = self.raw(f);
        if raw.iter().all(|&b| b == b' ' || b == b'0') {
            return None;
        }
        let date = parse_date(raw);
        if date.is_none() {
            self.error(f, Problem::BadDate);
        }
        date
    }

    /// A single character, trimmed ('\0' when blank); non-text is an error.
    pub fn flag(&mut self, f: Field) -> u8 {
        let b = self.raw(f)[0];
        if !is_text(b, self.encoding) {
            self.error(f, Problem::NotText);
            return 0;
        }
        if b == b' ' {
            0
        } else {
            b
        }
    }
}

/// Printable in the file's character set: no C0 controls, DEL or (outside CP850) C1 controls.
pub(crate) fn is_text(b: u8, encoding: Encoding) -> bool {
    match b {
        0x00..=0x1f | 0x7f => false,
        0x80..=0x9f => encoding == Encoding::Cp850,
        _ => true,
    }
}

pub(crate) fn trim(raw: &[u8]) -> &[u8] {
    let start = raw.iter().position(|&b| b != b' ').unwrap_or(raw.len());
    let end = raw.iter().rposition(|&b| b != b' ').map_or(start, |i| i + 1);
    &raw[start..end]
}

pub(crate) fn digits(raw: &[u8]) -> Option<u64> {
    if raw.is_empty() || raw.len() > 18 {
        return None;
    }
    raw.iter().try_fold(0_u64, |n, &b| b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0')))
}

/// TTMMJJJJ; day or month "00" (unknown) become 1.
pub(crate) fn parse_date(raw: &[u8]) -> Option<Date> {
    if raw.len() != 8 || !raw.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let day = u8::try_from(digits(&raw[0..2])?).ok()?;
    let month = u8::try_from(digits(&raw[2..4])?).ok()?;
    let year = u16::try_from(digits(&raw[4..8])?).ok()?;
    if year == 0 || month > 12 {
        return None;
    }
    let month = month.max(1);
    if day > days_in_month(year, month) {
        return None;
    }
    Some(Date { year, month, day: day.max(1) })
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Bytes to text in the file's character set. Latin-1 is byte == code point.
pub(crate) fn decode(raw: &[u8], encoding: Encoding) -> String {
    if raw.is_ascii() {
        // ASCII is the same in all three; this is the common case and needs no table.
        return raw.iter().map(|&b| char::from(b)).collect();
    }
    match encoding {
        Encoding::Latin1 => raw.iter().map(|&b| char::from(b)).collect(),
        Encoding::Latin9 => encoding_rs::ISO_8859_15.decode_without_bom_handling(raw).0.into_owned(),
        Encoding::Cp850 => raw
            .iter()
            .map(|&b| {
                if b < 0x80 {
                    char::from(b)
                } else {
                    oem_cp::code_table::DECODING_TABLE_CP850[usize::from(b - 0x80)]
                }
            })
            .collect(),
    }
}
