//! The JSON Lines record path: clean one string field of one JSON object,
//! leaving every other byte of the record as it was.
//!
//! This is what `zhclean jsonl` runs for every line; it is public so that
//! other programs (and the fuzzer) can run exactly the same code.
//!
//! The field's value is replaced in place: keys, their order, numbers,
//! spacing and escapes elsewhere in the record are untouched, and a record
//! whose field comes out unchanged is written back byte for byte. A line that
//! is not a JSON object, lacks the field, or whose field is not a string is
//! passed through unchanged, and the returned [`Status`] says why.
//!
//! ```
//! use zhclean::{jsonl, Cleaner};
//!
//! let cleaner = Cleaner::new();
//! let mut out = String::new();
//! let st = jsonl::clean_record(&cleaner, r#"{"id": 7, "text": "广东,支持"}"#, "text", false, &mut out);
//! assert_eq!(st, jsonl::Status::Changed);
//! assert_eq!(out, r#"{"id": 7, "text": "广东，支持"}"#);
//! ```

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::value::RawValue;

use crate::{Cleaner, Report};

/// What happened to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The field was cleaned and changed.
    Changed,
    /// The field was cleaned and nothing changed.
    Unchanged,
    /// The line is empty or whitespace only.
    Blank,
    /// The line is not a JSON object.
    NotJson,
    /// The object has no such field.
    MissingField,
    /// The field is not a string.
    NotAString,
}

impl Status {
    /// Whether the record was passed through because it could not be
    /// cleaned (not JSON, no field, not a string).
    pub fn is_skipped(self) -> bool {
        matches!(
            self,
            Status::NotJson | Status::MissingField | Status::NotAString
        )
    }
}

/// Cleans `field` of the JSON object on `line` and writes the record to
/// `out` (cleared first, no newline added). With `with_report`, a
/// `"zhclean"` key holding the [`Report`] is appended to cleaned records.
pub fn clean_record(
    cleaner: &Cleaner,
    line: &str,
    field: &str,
    with_report: bool,
    out: &mut String,
) -> Status {
    record(cleaner, line, field, with_report, out, None)
}

/// [`clean_record`], also handing the report of every cleaned record to
/// `seen`, e.g. to count changes per rule with [`Report::change_counts`].
/// Without `with_report` that is a counting report ([`Report::counting`]):
/// it costs much less than a full one, and its `changes` stay empty.
pub fn clean_record_counting(
    cleaner: &Cleaner,
    line: &str,
    field: &str,
    with_report: bool,
    out: &mut String,
    seen: &mut dyn FnMut(&Report),
) -> Status {
    record(cleaner, line, field, with_report, out, Some(seen))
}

fn record(
    cleaner: &Cleaner,
    line: &str,
    field: &str,
    with_report: bool,
    out: &mut String,
    seen: Option<&mut dyn FnMut(&Report)>,
) -> Status {
    out.clear();
    let (status, splice) = locate(line, field);
    let Some((start, end, value)) = splice else {
        out.push_str(line);
        return status;
    };
    let (cleaned, report) = if with_report || seen.is_some() {
        let mut r = if with_report {
            Report::new()
        } else {
            Report::counting()
        };
        let c = cleaner.clean_reporting(&value, &mut r);
        if let Some(seen) = seen {
            seen(&r);
        }
        (c, with_report.then_some(r))
    } else {
        (cleaner.clean(&value), None)
    };
    let changed = matches!(cleaned, Cow::Owned(ref s) if *s != *value);
    if !changed && !with_report {
        out.push_str(line);
        return Status::Unchanged;
    }
    out.reserve(line.len() + cleaned.len() / 8 + 2);
    out.push_str(&line[..start]);
    if changed {
        push_json_string(out, &cleaned);
    } else {
        out.push_str(&line[start..end]);
    }
    let rest = &line[end..];
    match report {
        Some(r) => {
            // Insert the report before the object's closing brace.
            let close = rest.rfind('}').expect("a JSON object ends with }");
            out.push_str(&rest[..close]);
            out.push_str(",\"zhclean\":");
            out.push_str(&serde_json::to_string(&r).expect("a report serializes"));
            out.push_str(&rest[close..]);
        }
        None => out.push_str(rest),
    }
    if changed {
        Status::Changed
    } else {
        Status::Unchanged
    }
}

/// Appends `s` as a JSON string literal, escaped exactly as `serde_json`
/// escapes it (`\"`, `\\`, `\b \t \n \f \r`, other controls as
/// `\u00xx`), skipping runs of plain bytes eight at a time.
fn push_json_string(out: &mut String, s: &str) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    /// Whether some byte of `w` is below 0x20, a quote or a backslash.
    fn any_special(w: u64) -> bool {
        let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
        let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
        (below_space | has_zero(w ^ (ONES * 0x22)) | has_zero(w ^ (ONES * 0x5C))) != 0
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let b = s.as_bytes();
    out.push('"');
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        if let Some(chunk) = b.get(i..i + 8) {
            let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            if !any_special(w) {
                i += 8;
                continue;
            }
        }
        let x = b[i];
        let short = match x {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            b'\t' => "\\t",
            b'\n' => "\\n",
            0x0C => "\\f",
            b'\r' => "\\r",
            0..=0x1F => "",
            _ => {
                i += 1;
                continue;
            }
        };
        // `x` is ASCII: `i` is a char boundary.
        out.push_str(&s[start..i]);
        if short.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(x >> 4)]));
            out.push(char::from(HEX[usize::from(x & 0xF)]));
        } else {
            out.push_str(short);
        }
        i += 1;
        start = i;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// The text of `field` in the JSON object on `line`, if it has one that is
/// a string.
pub fn field_text<'a>(line: &'a str, field: &str) -> Option<Cow<'a, str>> {
    locate(line, field).1.map(|(_, _, text)| text)
}

/// Finds the field's string value: its byte range in `line` and its decoded
/// text, or why there is none.
fn locate<'a>(line: &'a str, field: &str) -> (Status, Option<(usize, usize, Cow<'a, str>)>) {
    if line.trim().is_empty() {
        return (Status::Blank, None);
    }
    let map: HashMap<Cow<'a, str>, &'a RawValue> = match serde_json::from_str(line) {
        Ok(m) => m,
        Err(_) => {
            // Valid JSON that is not an object is "not an object", not "not JSON".
            return match serde_json::from_str::<serde::de::IgnoredAny>(line) {
                Ok(_) => (Status::MissingField, None),
                Err(_) => (Status::NotJson, None),
            };
        }
    };
    let Some(raw) = map.get(field) else {
        return (Status::MissingField, None);
    };
    let raw = raw.get();
    let value: Cow<'a, str> = match serde_json::from_str::<Cow<'a, str>>(raw) {
        Ok(v) => v,
        Err(_) => return (Status::NotAString, None),
    };
    // `raw` borrows from `line`: its offset is the distance between them.
    let start = raw.as_ptr() as usize - line.as_ptr() as usize;
    (Status::Unchanged, Some((start, start + raw.len(), value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str, report: bool) -> (Status, String) {
        let mut out = String::new();
        let st = clean_record(&Cleaner::new(), line, "text", report, &mut out);
        (st, out)
    }

    #[test]
    fn only_the_field_changes() {
        let line = r#"{"a":1.50, "text" : "ＡＢ\u00a0c",  "z":[1,2]}"#;
        let (st, out) = run(line, false);
        assert_eq!(st, Status::Changed);
        assert_eq!(out, r#"{"a":1.50, "text" : "AB c",  "z":[1,2]}"#);
    }

    #[test]
    fn unchanged_records_are_byte_identical() {
        let line = r#"{"text":"中文\u4e2d","n":1e5}"#;
        assert_eq!(run(line, false), (Status::Unchanged, line.to_string()));
    }

    #[test]
    fn strings_are_escaped_as_serde_json_does() {
        let mut all: String = (0..0x80u8).map(char::from).collect();
        all.push_str("中文\u{7f}\u{2028}😀");
        let mut cases = vec![all, String::new(), "a\"b".into()];
        // Every special byte at every offset of a chunk.
        for x in [0u8, 0x08, b'\t', b'\n', 0x1F, b'"', b'\\', b' ', 0x7F] {
            for at in 0..17 {
                for unit in ["x", "中"] {
                    let mut t = unit.repeat(at);
                    t.push(char::from(x));
                    t.push_str("ab中");
                    cases.push(t);
                }
            }
        }
        for s in cases {
            let mut out = String::new();
            push_json_string(&mut out, &s);
            assert_eq!(out, serde_json::to_string(&s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn bad_records_pass_through() {
        for (line, st) in [
            ("not json", Status::NotJson),
            ("{\"text\": 1}", Status::NotAString),
            ("{\"other\": \"x\"}", Status::MissingField),
            ("[1,2]", Status::MissingField),
            ("   ", Status::Blank),
            ("{\"text\": \"unterminated", Status::NotJson),
        ] {
            assert_eq!(run(line, false), (st, line.to_string()), "{line}");
            assert!(st == Status::Blank || st.is_skipped());
        }
    }

    #[test]
    fn report_is_appended() {
        let (st, out) = run(r#"{"text":"ＡＢ"}"#, true);
        assert_eq!(st, Status::Changed);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["text"], "AB");
        assert_eq!(v["zhclean"]["changes"][0]["rule"], "fullwidth-alnum");
        assert_eq!(v["zhclean"]["format_version"], 1);
    }
}
