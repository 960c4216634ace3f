//! The conversion algorithm of OpenCC 1.4, over [`Trie`]s.
//!
//! For a config, OpenCC 1.4.2 does, in order:
//!
//! 1. **normalization** (where the config has one): each conversion of the
//!    normalization chain is applied to the whole text;
//! 2. **segmentation** (where the config has one): forward maximum matching
//!    with the segmentation dictionary; a matched key is a segment of its own,
//!    and consecutive characters where nothing matches accumulate into one
//!    segment. Without segmentation the whole text is one segment;
//! 3. **the conversion chain**, applied to each segment on its own: each
//!    conversion is forward maximum matching inside the segment, the output
//!    of one conversion being the input of the next.
//!
//! Each maximum-matching pass ([`step`]) walks the text left to right: where
//! the dictionary matches, the key is replaced by its value and skipped;
//! where it does not, one character is copied, or, if it begins a complete
//! ideographic description sequence (`⿰氵发`), the whole sequence is copied
//! untouched.

use super::tables::Composed;
use super::trie::{
    char_len, decode, decode3, first, starts_three3, u64_at, Gate, Images, Match, Trie,
    IMAGE_MULTI, IMAGE_SECOND, IMAGE_SLOW, NO_RANK,
};

/// Receives the output of a conversion piece by piece, in input order.
pub(crate) trait Sink {
    /// `text[start..end]` is copied unchanged.
    fn keep(&mut self, text: &str, start: usize, end: usize);
    /// `text[start..end]` becomes `out`; `rank` is the dictionary of the
    /// table that produced it (`None` for a whole segment).
    fn replace(&mut self, text: &str, start: usize, end: usize, out: &str, rank: Option<u8>);
    /// The string a sink only appends to, if that is all it does (then a
    /// pass can write to it directly).
    #[inline]
    fn string(&mut self) -> Option<&mut String> {
        None
    }
    /// `text[start..end]` (a whole segment) becomes what `produce` appends
    /// to a string; `scratch` is a reusable buffer for sinks that need one.
    #[inline]
    fn replace_with(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        scratch: &mut String,
        produce: impl FnOnce(&mut String),
    ) {
        scratch.clear();
        produce(scratch);
        self.replace(text, start, end, scratch, None);
    }
}

/// Where the appending passes write: a `String`, or bytes checked as UTF-8
/// once at the end (cheaper per character than `String::push`).
pub(crate) trait Out {
    /// Appends `s`.
    fn put_str(&mut self, s: &str);
    /// Appends code point `cp` (U+FFFD if it is no character; the tables
    /// hold only characters).
    fn put_cp(&mut self, cp: u32);
}

impl Out for String {
    #[inline(always)]
    fn put_str(&mut self, s: &str) {
        self.push_str(s);
    }
    #[inline(always)]
    fn put_cp(&mut self, cp: u32) {
        self.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
    }
}

/// An [`Out`] that also takes whole words.
pub(crate) trait Words {
    /// Appends the `n` (at most 8) first bytes of `w` (little-endian).
    fn put_word(&mut self, w: u64, n: usize);

    /// [`quiet_run3`] from byte `i` of `b`, appending here.
    #[inline(always)]
    fn quiet_run3(
        &mut self,
        b: &[u8],
        i: usize,
        images: &Images,
        gate: Gate<'_>,
        slow: impl Fn(u32, u64, u64) -> Option<u32>,
    ) -> usize {
        quiet_run3(b, i, images, gate, slow, |image| {
            self.put_word(u64::from(image), 3);
            true
        })
    }
}

impl Words for String {
    #[inline(always)]
    fn put_word(&mut self, w: u64, n: usize) {
        let b = w.to_le_bytes();
        self.push_str(std::str::from_utf8(&b[..n]).unwrap_or("\u{fffd}"));
    }
}

/// A byte buffer written at a cursor: the vector is kept longer than what
/// was written, so that the common writes (a character of up to four
/// bytes, eight ASCII bytes) are one store of a whole word after one length
/// check, bytes past the cursor being scratch that later writes overwrite.
pub(crate) struct Bytes {
    buf: Vec<u8>,
    at: usize,
}

impl Bytes {
    /// A buffer with room for about `n` bytes.
    pub(crate) fn with_room(n: usize) -> Bytes {
        Bytes {
            buf: vec![0; n + 16],
            at: 0,
        }
    }

    /// The bytes written so far.
    pub(crate) fn written(&self) -> &[u8] {
        &self.buf[..self.at]
    }

    /// Makes room for `n` more bytes past the cursor.
    #[inline(always)]
    fn room(&mut self, n: usize) -> &mut [u8] {
        if self.buf.len() - self.at < n {
            grow(&mut self.buf, self.at + n);
        }
        &mut self.buf[self.at..self.at + n]
    }
}

/// Lengthens `buf` to at least `need` bytes (at least doubling it).
#[cold]
#[inline(never)]
fn grow(buf: &mut Vec<u8>, need: usize) {
    let len = (buf.len() * 2).max(need + 64);
    buf.resize(len, 0);
}

impl Words for Bytes {
    #[inline(always)]
    fn put_word(&mut self, w: u64, n: usize) {
        let w = w.to_le_bytes();
        match self.buf.get_mut(self.at..self.at + 8) {
            Some(d) => d.copy_from_slice(&w),
            None => self.room(8).copy_from_slice(&w),
        }
        self.at += n;
    }

    /// Writes into the buffer through a local slice and cursor (kept in
    /// registers), with room made once for the whole rest of the text.
    #[inline(always)]
    fn quiet_run3(
        &mut self,
        b: &[u8],
        i: usize,
        images: &Images,
        gate: Gate<'_>,
        slow: impl Fn(u32, u64, u64) -> Option<u32>,
    ) -> usize {
        let window = self.room(b.len().saturating_sub(i) + 8);
        let mut at = 0;
        let next = quiet_run3(b, i, images, gate, slow, |image| {
            let Some(d) = window.get_mut(at..at + 8) else {
                return false;
            };
            d.copy_from_slice(&u64::from(image).to_le_bytes());
            at += 3;
            true
        });
        self.at += at;
        next
    }
}

impl Out for Bytes {
    #[inline(always)]
    fn put_str(&mut self, s: &str) {
        self.room(s.len()).copy_from_slice(s.as_bytes());
        self.at += s.len();
    }
    #[inline(always)]
    fn put_cp(&mut self, cp: u32) {
        let (w, n) = utf8_word(cp);
        self.put_word(w, n);
    }
}

/// The UTF-8 bytes of code point `cp` as a little-endian word, and their
/// count ([`super::gate::utf8_bits`], which fit in a word).
#[inline(always)]
pub(crate) fn utf8_word(cp: u32) -> (u64, usize) {
    let (w, n) = super::gate::utf8_bits(cp);
    (w as u64, n)
}

/// Runs a pass over `text` into a byte buffer (`to_bytes`) and appends the
/// result to `out` once it is checked as UTF-8: each piece a pass writes is a
/// whole character, a copy of the text or a dictionary value, so the check
/// cannot fail; should it ever, the pass is redone into `out` directly
/// (`to_string`), as it is for texts under 64 bytes, where setting up the
/// buffer would cost more than it saves.
#[inline(always)]
fn through_bytes<S>(
    text: &str,
    out: &mut String,
    state: &mut S,
    to_string: impl Fn(&mut String, &mut S),
    to_bytes: impl FnOnce(&mut Bytes, &mut S),
) {
    if text.len() < 64 {
        return to_string(out, state);
    }
    let mut v = Bytes::with_room(text.len() + text.len() / 4);
    to_bytes(&mut v, state);
    match simdutf8::basic::from_utf8(v.written()) {
        Ok(s) => out.push_str(s),
        Err(_) => to_string(out, state),
    }
}

/// A sink that only collects the output.
pub(crate) struct StringSink<'a>(pub(crate) &'a mut String);

impl Sink for StringSink<'_> {
    #[inline]
    fn keep(&mut self, text: &str, start: usize, end: usize) {
        self.0.push_str(&text[start..end]);
    }
    #[inline]
    fn replace(&mut self, _: &str, _: usize, _: usize, out: &str, _: Option<u8>) {
        self.0.push_str(out);
    }
    #[inline]
    fn string(&mut self) -> Option<&mut String> {
        Some(self.0)
    }
    #[inline]
    fn replace_with(
        &mut self,
        _: &str,
        _: usize,
        _: usize,
        _: &mut String,
        produce: impl FnOnce(&mut String),
    ) {
        produce(self.0);
    }
}

/// One forward-maximum-matching pass of `trie` over `text`
/// (OpenCC's `Conversion::AppendConverted`).
#[inline]
pub(crate) fn step<S: Sink>(trie: &Trie, text: &str, sink: &mut S) {
    if let Some(out) = sink.string() {
        gated_into(trie, text, out)
    } else if trie.is_sparse() {
        step_impl::<S, true>(trie, text, sink)
    } else {
        step_impl::<S, false>(trie, text, sink)
    }
}

#[inline(always)]
fn step_impl<S: Sink, const SPARSE: bool>(trie: &Trie, text: &str, sink: &mut S) {
    let b = text.as_bytes();
    let mut i = 0;
    let mut kept = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 && !trie.ascii_starts(c) {
            i += 1;
            continue;
        }
        if SPARSE {
            let j = trie.skip_unmatchable(b, i);
            if j > i {
                i = j;
                continue;
            }
        }
        match trie.longest(&b[i..]) {
            Some(m) => {
                if kept < i {
                    sink.keep(text, kept, i);
                }
                sink.replace(text, i, i + m.len, m.value, Some(m.rank));
                i += m.len;
                kept = i;
            }
            None => i += unmatched_len(&b[i..]),
        }
    }
    if kept < b.len() {
        sink.keep(text, kept, b.len());
    }
}

/// Length of the run of ASCII bytes at the start of `b` that are `quiet`
/// (begin no key), up to the first other byte.
#[inline(always)]
fn quiet_ascii_run(b: &[u8], quiet: impl Fn(u8) -> bool) -> usize {
    b.iter()
        .position(|&c| c >= 0x80 || !quiet(c))
        .unwrap_or(b.len())
}

/// The head of the passes that append to a string: at byte `*i` (a
/// character boundary before the end of `text`), copies the run of ASCII
/// bytes that are `quiet` to `out` and returns `None` with `*i` past it, or
/// returns the character there and its length.
#[inline(always)]
fn quiet_run_or_char<O: Out>(
    text: &str,
    i: &mut usize,
    out: &mut O,
    quiet: impl Fn(u8) -> bool,
) -> Option<(u32, usize)> {
    let b = text.as_bytes();
    match b[*i..] {
        [c, ..] if c < 0x80 => {
            if quiet(c) {
                let run = quiet_ascii_run(&b[*i..], quiet);
                out.put_str(&text[*i..*i + run]);
                *i += run;
                return None;
            }
            Some((u32::from(c), 1))
        }
        [c0, c1, c2, ..] if (0xE0..0xF0).contains(&c0) => Some((decode3(c0, c1, c2), 3)),
        _ => Some(decode(&b[*i..])),
    }
}

/// [`step`] appending to a string, through bytes ([`through_bytes`]).
fn gated_into(trie: &Trie, text: &str, out: &mut String) {
    through_bytes(
        text,
        out,
        &mut (),
        |out, _| gated_pass(trie, text, out),
        |v, _| gated_pass(trie, text, v),
    );
}

/// The pass of [`gated_into`].
///
/// Where 16 bytes of text remain, two cases take a short path: ASCII that
/// begins no key (up to eight bytes at a time), and a three-byte character,
/// whose entry in the trie's per-character table says what it becomes on
/// its own and whether longer keys begin with it; only then does the gate
/// ([`Trie::may_match_long3`]) decide whether to walk the trie. Everything
/// else (and the last 15 bytes) goes through [`gated_position`].
#[inline(always)]
fn gated_pass<O: Out + Words>(trie: &Trie, text: &str, v: &mut O) {
    let b = text.as_bytes();
    let images = trie.images();
    let gate = trie.gate();
    let ascii_starts = trie.ascii_start_set();
    let mut i = 0;
    while let Some(w) = b.get(i..i + 16) {
        let lo = u64_at(w, 0);
        if lo & 0x80 == 0 {
            let n = quiet_ascii_len(lo, ascii_starts);
            if n > 0 {
                v.put_word(lo, n);
                i += n;
                continue;
            }
        } else if lo & 0xF0 == 0xE0 {
            i = v.quiet_run3(b, i, images, gate, |_, _, _| None);
            let Some(w) = b.get(i..i + 16) else {
                break;
            };
            let lo = u64_at(w, 0);
            if lo & 0xF0 != 0xE0 {
                continue;
            }
            let cp = decode3_word(lo);
            let image = images[cp as usize & 0xFFFF];
            if image & IMAGE_SLOW == 0 {
                // The run stopped here: where three three-byte characters
                // begin, because the gate let this one through (or, rarely,
                // the buffer needs room: the walk decides then too).
                if image & IMAGE_MULTI != 0 && (starts_three3(lo) || trie.may_match_long(b, i, 3)) {
                    if let Some(m) = gated_walk(trie, b, i, cp, 3) {
                        v.put_str(m.value);
                        i += m.len;
                        continue;
                    }
                }
                // The character's own value: three bytes (and a flag byte
                // that the next write overwrites).
                v.put_word(u64::from(image), 3);
                i += 3;
                continue;
            }
        }
        let (next, piece) = gated_position(trie, text, i);
        piece.put(v);
        i = next;
    }
    while i < b.len() {
        let (next, piece) = gated_position(trie, text, i);
        piece.put(v);
        i = next;
    }
}

/// From byte `i` of `b` (a three-byte character), passes to `put` the image
/// of each three-byte character that the gate says begins no longer key,
/// and returns where it stopped: at another character, one that may begin
/// a longer key, one whose image is slow and that `slow` (given the image
/// and the 16 bytes from the character) cannot decide, within 16 bytes of
/// the end, or where `put` said no. A loop with little state, so that it
/// keeps it in registers.
#[inline(always)]
fn quiet_run3(
    b: &[u8],
    mut i: usize,
    images: &Images,
    gate: Gate<'_>,
    slow: impl Fn(u32, u64, u64) -> Option<u32>,
    mut put: impl FnMut(u32) -> bool,
) -> usize {
    while let Some(w) = b.get(i..i + 16) {
        let lo = u64_at(w, 0);
        if lo & 0xF0 != 0xE0 {
            break;
        }
        let mut image = images[decode3_word(lo) as usize & 0xFFFF];
        // The gate is asked in both branches rather than once before them:
        // asked first, it costs s2t about 1 % more instructions and tw2sp
        // 1.6 % (measured), for the rare slow characters.
        if image & IMAGE_SLOW != 0 {
            let hi = u64_at(w, 8);
            if image & IMAGE_MULTI != 0 && (!starts_three3(lo) || gate.may_match_long3(lo, hi)) {
                break;
            }
            match slow(image, lo, hi) {
                Some(decided) => image = decided,
                None => break,
            }
        } else if image & IMAGE_MULTI != 0
            && (!starts_three3(lo) || gate.may_match_long3(lo, u64_at(w, 8)))
        {
            break;
        }
        if !put(image) {
            break;
        }
        i += 3;
    }
    i
}

/// The key of two or more characters that matches at byte `i` of `b`, where
/// the character `cp` (`len` bytes) begins and the gate let it through.
#[inline(never)]
fn gated_walk<'t>(trie: &'t Trie, b: &[u8], i: usize, cp: u32, len: usize) -> Option<Match<'t>> {
    let e = trie.first_entry(cp);
    let rank1 = if e & first::ONE != 0 {
        first::rank(e)
    } else {
        NO_RANK
    };
    trie.longer(&b[i..], cp, len, rank1)
}

/// How many of the eight bytes `lo` (little-endian), the first of which is
/// ASCII, are ASCII before the first that is not or that is in `starts` (the
/// set of ASCII bytes that begin a key).
#[inline(always)]
fn quiet_ascii_len(lo: u64, starts: u128) -> usize {
    let high = lo & 0x8080_8080_8080_8080;
    let n = if high == 0 {
        8
    } else {
        (high.trailing_zeros() / 8) as usize
    };
    if starts == 0 {
        return n;
    }
    (0..n)
        .find(|&k| starts >> (lo >> (8 * k) & 0x7F) & 1 != 0)
        .unwrap_or(n)
}

/// The code point of the three-byte character that begins the bytes `lo`
/// (little-endian). (Also used on image words: UTF-8 bytes in bits 0..24.)
#[inline(always)]
fn decode3_word(lo: u64) -> u32 {
    decode3(lo as u8, (lo >> 8) as u8, (lo >> 16) as u8)
}

/// What a position outputs.
enum Piece<'a> {
    Str(&'a str),
    Char(u32),
}

impl Piece<'_> {
    #[inline(always)]
    fn put<O: Out>(self, v: &mut O) {
        match self {
            Piece::Str(s) => v.put_str(s),
            Piece::Char(c) => v.put_cp(c),
        }
    }
}

/// One position of [`gated_pass`], at byte `i`, any character: where the
/// next position begins, and what this one outputs.
#[inline(never)]
fn gated_position<'a>(trie: &'a Trie, text: &'a str, i: usize) -> (usize, Piece<'a>) {
    let b = text.as_bytes();
    let (cp, len) = decode(&b[i..]);
    if cp < 0x80 && !trie.ascii_starts(cp as u8) {
        return (i + 1, Piece::Char(cp));
    }
    let e = trie.first_entry(cp);
    if e & first::SLOW == 0 {
        if e & first::MULTI != 0 && trie.may_match_long(b, i, len) {
            if let Some(m) = gated_walk(trie, b, i, cp, len) {
                return (i + m.len, Piece::Str(m.value));
            }
        }
        return (i + len, Piece::Char(first::image(e, cp)));
    }
    match trie.longest(&b[i..]) {
        Some(m) => (i + m.len, Piece::Str(m.value)),
        None => {
            let n = unmatched_len(&b[i..]);
            (i + n, Piece::Str(&text[i..i + n]))
        }
    }
}

/// [`step`] appending to a string: the per-character entries of the trie
/// decide most positions with one load (no key begins here; only a
/// one-character key with a one-character value does; or longer keys may
/// match too), and unchanged text is copied in runs.
fn step_into<O: Out>(trie: &Trie, text: &str, out: &mut O) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // A run of ASCII that begins no key is copied at once.
        let Some((cp, len)) = quiet_run_or_char(text, &mut i, out, |c| !trie.ascii_starts(c))
        else {
            continue;
        };
        let e = trie.first_entry(cp);
        if e & (first::SLOW | first::MULTI) == 0 {
            // No key, or a one-character key only: one character out.
            let c = first::image(e, cp);
            out.put_cp(c);
            i += len;
            continue;
        }
        if e & first::SLOW == 0 {
            let one = e & first::ONE != 0;
            let next = match b[i + len..] {
                [c0, c1, c2, ..] if (0xE0..0xF0).contains(&c0) => Some((decode3(c0, c1, c2), 3)),
                [] => None,
                ref rest => Some(decode(rest)),
            };
            if let Some((c2, len2)) = next {
                if first::may_follow(e, c2) {
                    let rank1 = if one { first::rank(e) } else { NO_RANK };
                    if let Some(m) = trie.longer_pair(&b[i..], cp, len, c2, len2, rank1) {
                        out.put_str(m.value);
                        i += m.len;
                        continue;
                    }
                }
            }
            let c = first::image(e, cp);
            out.put_cp(c);
            i += len;
            continue;
        }
        match trie.longest(&b[i..]) {
            Some(m) => {
                out.put_str(m.value);
                i += m.len;
            }
            None => {
                let n = unmatched_len(&b[i..]);
                out.put_str(&text[i..i + n]);
                i += n;
            }
        }
    }
}

/// The per-character entries of a fused config whose chain is `first`,
/// `second` (see [`fused_into`]): `first`'s entry, except that the output
/// character is the one after both conversions, and
/// [`first::SECOND_SLOW`] marks characters whose output after `first` (then
/// the entry's character) may begin a longer key of `second`. A one-character key of `first`'s rank 0
/// (which would be a segment of its own) takes the general path. The rank
/// bits hold the rank of `first`'s one-character key, 127 if none.
pub(crate) fn composed_entries(first: &Trie, second: &Trie) -> Vec<u64> {
    let compose = |cp: u32| {
        let e1 = first.first_entry(cp);
        let one = e1 & first::ONE != 0;
        if e1 & first::SLOW != 0 || (one && first::rank(e1) == 0) {
            return e1 | first::SLOW;
        }
        let mid = first::image(e1, cp);
        let e2 = second.first_entry(mid);
        let mut e = e1 & !(first::CHAR_MASK | first::ONE);
        if !one {
            // No one-character key: every longer key beats "rank 127".
            e |= 0x7F << first::RANK_SHIFT;
        }
        let out = if e2 & (first::SLOW | first::MULTI) != 0 {
            // The output after `first`; `second` is asked at the time.
            e |= first::SECOND_SLOW;
            mid
        } else {
            first::image(e2, mid)
        };
        if one || out != cp || e & first::SECOND_SLOW != 0 {
            e |= first::ONE | u64::from(out);
        }
        e
    };
    // Only characters with an entry in either table differ from the empty
    // entry (`compose` of any other character is 0 but for the rank bits,
    // which only matter with `MULTI`).
    let mut table = vec![0u64; 0x1_0000];
    for cp in first.first_chars().chain(second.first_chars()) {
        if let Some(slot) = table.get_mut(cp as usize) {
            *slot = compose(cp);
        }
    }
    table
}

/// Segmentation fused with the first conversion (see [`fused_segments`]),
/// then `second` over each segment, appending to `out`, with the
/// per-character entries of [`composed_entries`]. A segment that is a key
/// is converted by `second` straight from `first`'s value. Text between
/// keys goes through `second` character by character as long as no output
/// character of `first` may begin a longer key of `second` (there `second`
/// can only match that one character, so its output is the composed
/// entry); from the first one that may, the rest of the run is collected in
/// `run` and converted by `second` at once, as OpenCC does.
pub(crate) fn fused_into(
    first_trie: &Trie,
    second: &Trie,
    composed: &Composed,
    text: &str,
    out: &mut String,
    run: &mut String,
) {
    through_bytes(
        text,
        out,
        run,
        |out, run| fused_pass(first_trie, second, composed, text, out, run),
        |v, run| fused_pass(first_trie, second, composed, text, v, run),
    );
}

/// The pass of [`fused_into`], with the composed entries and their images:
/// as [`gated_pass`], a three-byte character whose composed image is simple
/// and where the gate says no key of the first conversion longer than one
/// character begins takes a short path; everything else goes through
/// [`fused_position`].
#[inline(always)]
fn fused_pass<O: Out + Words>(
    first_trie: &Trie,
    second: &Trie,
    composed: &Composed,
    text: &str,
    out: &mut O,
    run: &mut String,
) {
    let b = text.as_bytes();
    let (entries, images) = (&composed.entries[..], &*composed.images);
    let ascii_starts = composed.ascii_starts;
    let gate = first_trie.gate();
    let mut i = 0;
    while let Some(w) = b.get(i..i + 16) {
        let lo = u64_at(w, 0);
        if lo & 0x80 == 0 {
            let n = quiet_ascii_len(lo, ascii_starts);
            if n > 0 {
                out.put_word(lo, n);
                i += n;
                continue;
            }
        } else if lo & 0xF0 == 0xE0 {
            let decide = |image, lo, hi| {
                let can = image & IMAGE_SECOND != 0 && starts_three3(lo);
                can.then(|| second_alone(first_trie, second, image, lo, hi))
                    .flatten()
            };
            i = out.quiet_run3(b, i, images, gate, decide);
            let Some(w) = b.get(i..i + 16) else {
                break;
            };
            let lo = u64_at(w, 0);
            if lo & 0xF0 != 0xE0 {
                continue;
            }
            let cp = decode3_word(lo);
            let image = images[cp as usize & 0xFFFF];
            let hi = u64_at(w, 8);
            let three3 = starts_three3(lo);
            // Where the run stopped at a simple character that longer keys
            // begin with, among three-byte ones, the gate let it through
            // already (or the buffer needs room: the walk decides then too).
            if image & IMAGE_MULTI != 0
                && (if three3 {
                    image & IMAGE_SLOW == 0 || gate.may_match_long3(lo, hi)
                } else {
                    first_trie.may_match_long(b, i, 3)
                })
            {
                let e = entries.get(cp as usize).copied().unwrap_or(first::SLOW);
                match first_trie.longer(&b[i..], cp, 3, first::rank(e)) {
                    // A key of the segmentation dictionary: a segment.
                    Some(m) if m.rank == 0 => {
                        step_into(second, m.value, out);
                        i += m.len;
                        continue;
                    }
                    Some(_) => {
                        i = fused_position(first_trie, second, entries, text, i, out, run);
                        continue;
                    }
                    None => {}
                }
            }
            // No key longer than one character begins here.
            if image & IMAGE_SLOW == 0 {
                out.put_word(u64::from(image), 3);
                i += 3;
                continue;
            }
            if image & IMAGE_SECOND != 0 && three3 {
                if let Some(image) = second_alone(first_trie, second, image, lo, hi) {
                    out.put_word(u64::from(image), 3);
                    i += 3;
                    continue;
                }
            }
        }
        i = fused_position(first_trie, second, entries, text, i, out, run);
    }
    while i < b.len() {
        i = fused_position(first_trie, second, entries, text, i, out, run);
    }
}

/// At a character of a run (no key of the first conversion longer than
/// one character begins there) whose composed `image` is the first
/// conversion's output `mid` and has [`IMAGE_SECOND`], followed by two more
/// three-byte characters (`lo`, `hi`: the 16 bytes from there): the second
/// conversion's output for `mid`, as three UTF-8 bytes, if `second` can
/// only match `mid` alone here, else `None`. In a run the first conversion
/// makes each character its one-character value (a fused config has no
/// longer keys after its segmentation dictionary), so `second` sees `mid`
/// then the images of the next two characters, and its gate decides; where
/// the run ends sooner, `second` can match even less.
#[inline(always)]
fn second_alone(first_trie: &Trie, second: &Trie, image: u32, lo: u64, hi: u64) -> Option<u32> {
    let mid = image & 0xFF_FFFF;
    let mid_cp = decode3_word(u64::from(mid));
    let out = second.images()[mid_cp as usize & 0xFFFF];
    if out & IMAGE_SLOW != 0 {
        return None;
    }
    if out & IMAGE_MULTI != 0 {
        let firsts = first_trie.images();
        let cp2 = decode3_word(lo >> 24);
        let cp3 = decode3_word(lo >> 48 | hi << 16);
        let m2 = firsts[cp2 as usize & 0xFFFF];
        let m3 = firsts[cp3 as usize & 0xFFFF];
        if (m2 | m3) & IMAGE_SLOW != 0 {
            return None;
        }
        let (m2, m3) = (u64::from(m2 & 0xFF_FFFF), u64::from(m3 & 0xFF_FFFF));
        let lo2 = u64::from(mid) | m2 << 24 | m3 << 48;
        if second.gate().may_match_long3(lo2, m3 >> 16) {
            return None;
        }
    }
    Some(out)
}

/// One position of [`fused_pass`], at byte `i`: writes its output and
/// returns where the next position begins.
#[inline(never)]
fn fused_position<O: Out>(
    first_trie: &Trie,
    second: &Trie,
    entries: &[u64],
    text: &str,
    mut i: usize,
    out: &mut O,
    run: &mut String,
) -> usize {
    let b = text.as_bytes();
    let Some((cp, len)) = quiet_run_or_char(text, &mut i, out, |c| entries[usize::from(c)] == 0)
    else {
        return i;
    };
    let e = entries.get(cp as usize).copied().unwrap_or(first::SLOW);
    let simple = e & (first::SLOW | first::MULTI | first::SECOND_SLOW) == 0;
    if !simple {
        let key = if e & first::SLOW != 0 {
            first_trie.longest(&b[i..])
        } else if e & first::MULTI != 0 && first_trie.may_match_long(b, i, len) {
            let rank1 = first::rank(e);
            match b[i + len..] {
                [] => None,
                [c0, c1, c2, ..] if (0xE0..0xF0).contains(&c0) => {
                    let c2 = decode3(c0, c1, c2);
                    first::may_follow(e, c2)
                        .then(|| first_trie.longer_pair(&b[i..], cp, len, c2, 3, rank1))
                        .flatten()
                }
                _ => first_trie.longer(&b[i..], cp, len, rank1),
            }
        } else {
            None
        };
        match key {
            Some(m) if m.rank == 0 => {
                step_into(second, m.value, out);
                i += m.len;
                return i;
            }
            None if e & first::SLOW == 0 => {
                if e & first::SECOND_SLOW == 0 {
                    // fall through to the one-character output
                } else if let Some(c) = second_single(first_trie, second, b, i + len, e) {
                    out.put_cp(u32::from(c));
                    i += len;
                    return i;
                } else {
                    match run_match(first_trie, second, b, i, len, e, run) {
                        RunMatch::Key { len, value } => {
                            out.put_str(value);
                            i += len;
                        }
                        RunMatch::Unmatched(c) => {
                            out.put_cp(u32::from(c));
                            i += len;
                        }
                        RunMatch::General => {
                            i = collect_run(first_trie, text, i, run);
                            step_into(second, run, out);
                        }
                    }
                    return i;
                }
            }
            _ => {
                i = collect_run(first_trie, text, i, run);
                step_into(second, run, out);
                return i;
            }
        }
    }
    let c = first::image(e, cp);
    out.put_cp(c);
    i + len
}

/// For a character of a run whose output `mid` after `first` (in the
/// composed entry `e`) may begin a longer key of `second`, with the next
/// character of the text at byte `next`: the output after `second` if
/// `second` can only match `mid` alone here (no key of `second` begins with
/// `mid` followed by what `first` makes of the next character, were it in
/// the run), else `None`.
#[inline(always)]
fn second_single(first_trie: &Trie, second: &Trie, b: &[u8], next: usize, e: u64) -> Option<char> {
    let mid = (e & first::CHAR_MASK) as u32;
    let e2 = second.first_entry(mid);
    if e2 & first::SLOW != 0 {
        return None;
    }
    if e2 & first::MULTI != 0 && next < b.len() {
        let (c, _) = decode(&b[next..]);
        let e1 = first_trie.first_entry(c);
        if e1 & first::SLOW != 0 {
            return None;
        }
        let mid2 = first::image(e1, c);
        if first::may_follow(e2, mid2) {
            return None;
        }
    }
    let out = first::image(e2, mid);
    char::from_u32(out)
}

/// Longest keys `run_match` looks ahead for.
const LOOKAHEAD: usize = 16;

enum RunMatch<'t> {
    /// `len` bytes of the text become `value`.
    Key { len: usize, value: &'t str },
    /// Nothing matches: the character becomes this.
    Unmatched(char),
    /// Take the general path.
    General,
}

/// The match of `second` at a run character (byte `i`, `len` bytes,
/// composed entry `e`) whose output after `first` may begin a longer key of
/// `second`: `second` matches over what `first` makes of this and the
/// following characters of the run (collected in `buf`), up to the end of
/// the run. `General` where a character needs `first`'s general path or
/// `second` has keys longer than [`LOOKAHEAD`].
#[inline(never)]
fn run_match<'t>(
    first_trie: &Trie,
    second: &'t Trie,
    b: &[u8],
    i: usize,
    len: usize,
    e: u64,
    buf: &mut String,
) -> RunMatch<'t> {
    let max = second.max_key_chars();
    if max > LOOKAHEAD {
        return RunMatch::General;
    }
    let mut ends = [0usize; LOOKAHEAD];
    buf.clear();
    let Some(mid) = char::from_u32((e & first::CHAR_MASK) as u32) else {
        return RunMatch::General;
    };
    buf.push(mid);
    ends[0] = i + len;
    let mut n = 1;
    let mut q = i + len;
    while n < max && q < b.len() {
        let (c, l) = decode(&b[q..]);
        let e1 = first_trie.first_entry(c);
        if e1 & first::SLOW != 0 {
            return RunMatch::General;
        }
        let one = e1 & first::ONE != 0;
        let rank1 = first::rank(e1);
        if one && rank1 == 0 {
            break; // a one-character segment: the run ends
        }
        if e1 & first::MULTI != 0 {
            let rank1 = if one { rank1 } else { NO_RANK };
            match first_trie.longer(&b[q..], c, l, rank1) {
                Some(m) if m.rank == 0 => break, // a segment begins: the run ends
                Some(_) => return RunMatch::General,
                None => {}
            }
        }
        let image = first::image(e1, c);
        let Some(image) = char::from_u32(image) else {
            return RunMatch::General;
        };
        buf.push(image);
        if !second.has_prefix(buf.as_bytes()) {
            buf.truncate(buf.len() - image.len_utf8());
            break;
        }
        q += l;
        ends[n] = q;
        n += 1;
    }
    match second.longest(buf.as_bytes()) {
        Some(m) => {
            let k = buf[..m.len].chars().count();
            RunMatch::Key {
                len: ends[k - 1] - i,
                value: m.value,
            }
        }
        None => RunMatch::Unmatched(mid),
    }
}

/// From byte `start` of `text`, where no key of `first`'s rank 0 begins,
/// to the end of the run of text where none begins: its conversion by
/// `first` goes to `run`; returns where the run ends.
fn collect_run(first: &Trie, text: &str, start: usize, run: &mut String) -> usize {
    let b = text.as_bytes();
    run.clear();
    let mut i = start;
    while i < b.len() {
        match first.longest(&b[i..]) {
            Some(m) if m.rank == 0 && i > start => break,
            Some(m) => {
                run.push_str(m.value);
                i += m.len;
            }
            None => {
                let n = unmatched_len(&b[i..]);
                run.push_str(&text[i..i + n]);
                i += n;
            }
        }
    }
    i
}

/// Splits `text` by forward maximum matching with `trie` (OpenCC's
/// `MaxMatchSegmentation`), calling `f(start, end)` for each segment.
/// With `rank0_only`, only keys of the trie's rank-0 dictionary segment.
#[inline]
pub(crate) fn segment(trie: &Trie, rank0_only: bool, text: &str, f: impl FnMut(usize, usize)) {
    if trie.is_sparse() {
        segment_impl::<true>(trie, rank0_only, text, f)
    } else {
        segment_impl::<false>(trie, rank0_only, text, f)
    }
}

#[inline(always)]
fn segment_impl<const SPARSE: bool>(
    trie: &Trie,
    rank0_only: bool,
    text: &str,
    mut f: impl FnMut(usize, usize),
) {
    let b = text.as_bytes();
    let mut i = 0;
    let mut run = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 && !trie.ascii_starts(c) {
            i += 1;
            continue;
        }
        if SPARSE {
            let j = trie.skip_unmatchable(b, i);
            if j > i {
                i = j;
                continue;
            }
        }
        // The lowest rank wins, so a rank-0 key matches here exactly when
        // the match is of rank 0.
        match trie.longest(&b[i..]) {
            Some(m) if !rank0_only || m.rank == 0 => {
                if run < i {
                    f(run, i);
                }
                f(i, i + m.len);
                i += m.len;
                run = i;
            }
            _ => i += unmatched_len(&b[i..]),
        }
    }
    if run < b.len() {
        f(run, b.len());
    }
}

/// Segmentation and the first conversion in one pass, for configs whose
/// first conversion is `short_circuit[segmentation dictionary, ...]` with
/// single-character keys only after the first (rank 0) dictionary.
///
/// Where the rank-0 dictionary matches, the key is a segment (exactly what
/// the segmentation finds, as both take its longest key) and its first
/// conversion is the key's value. Elsewhere the position belongs to a run of
/// unmatched text, and there the first conversion can only match a single
/// character of a later dictionary: no rank-0 key can match inside the run,
/// since it would have matched on the whole text too. Calls `f(start, end,
/// first_conversion_output)` per segment; `run` is a reused buffer.
#[inline]
pub(crate) fn fused_segments(
    first: &Trie,
    text: &str,
    run: &mut String,
    mut f: impl FnMut(usize, usize, &str),
) {
    let b = text.as_bytes();
    let mut i = 0;
    let mut run_start = 0;
    let mut kept = 0;
    run.clear();
    while i < b.len() {
        let c = b[i];
        if c < 0x80 && !first.ascii_starts(c) {
            i += 1;
            continue;
        }
        match first.longest(&b[i..]) {
            Some(m) if m.rank == 0 => {
                if run_start < i {
                    run.push_str(&text[kept..i]);
                    f(run_start, i, run);
                    run.clear();
                }
                f(i, i + m.len, m.value);
                i += m.len;
                run_start = i;
                kept = i;
            }
            Some(m) => {
                run.push_str(&text[kept..i]);
                run.push_str(m.value);
                i += m.len;
                kept = i;
            }
            None => i += unmatched_len(&b[i..]),
        }
    }
    if run_start < b.len() {
        run.push_str(&text[kept..]);
        f(run_start, b.len(), run);
    }
}

/// How far an unmatched position advances: a complete ideographic
/// description sequence, or else one character.
#[inline(always)]
fn unmatched_len(b: &[u8]) -> usize {
    // IDS operators U+2FF0..=U+2FFF are E2 BF B0..=E2 BF BF.
    if b[0] == 0xE2 && b.len() >= 3 && b[1] == 0xBF && b[2] >= 0xB0 {
        if let Some(n) = ids_len(b) {
            return n;
        }
    }
    char_len(b[0])
}

enum Ids {
    Complete(usize),
    Incomplete,
    Invalid,
}

/// Operands of an ideographic description operator (0: not an operator).
fn ids_arity(cp: u32) -> usize {
    match cp {
        0x2FF2 | 0x2FF3 => 3,
        0x2FFE | 0x2FFF => 1,
        0x2FF0 | 0x2FF1 | 0x2FF4..=0x2FFD => 2,
        _ => 0,
    }
}

/// Byte length of the complete IDS at the start of `b`, as OpenCC bounds it
/// (nesting depth 16, 64 code points).
fn ids_len(b: &[u8]) -> Option<usize> {
    let mut code_points = 0;
    match consume_ids(b, 16, &mut code_points) {
        Ids::Complete(n) => Some(n),
        Ids::Incomplete | Ids::Invalid => None,
    }
}

fn consume_ids(b: &[u8], depth_left: usize, code_points: &mut usize) -> Ids {
    if b.is_empty() {
        return Ids::Incomplete;
    }
    if depth_left == 0 || *code_points >= 64 {
        return Ids::Invalid;
    }
    *code_points += 1;
    let (cp, len) = decode(b);
    let arity = ids_arity(cp);
    if arity == 0 {
        return Ids::Complete(len);
    }
    let mut at = len;
    for _ in 0..arity {
        if at >= b.len() {
            return Ids::Incomplete;
        }
        match consume_ids(&b[at..], depth_left - 1, code_points) {
            Ids::Complete(n) => at += n,
            other => return other,
        }
    }
    Ids::Complete(at)
}

/// Applies `chain` to one segment, writing the result to `out`. `scratch`
/// buffers are reused between calls.
#[inline]
pub(crate) fn convert_segment(
    chain: &[&Trie],
    seg: &str,
    out: &mut String,
    scratch: &mut [String; 2],
) {
    match chain {
        [] => out.push_str(seg),
        [only] => step(only, seg, &mut StringSink(out)),
        [first, middle @ .., last] => {
            let [a, b] = scratch;
            a.clear();
            step(first, seg, &mut StringSink(a));
            for t in middle {
                b.clear();
                step(t, a, &mut StringSink(b));
                std::mem::swap(a, b);
            }
            step(last, a, &mut StringSink(out));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_grouping() {
        assert_eq!(ids_len("⿰氵发x".as_bytes()), Some(9));
        assert_eq!(ids_len("⿲氵发".as_bytes()), None); // incomplete
        assert_eq!(ids_len("⿱⿰口口木".as_bytes()), Some(15));
        assert_eq!(unmatched_len("⿰".as_bytes()), 3);
        // Depth bound: 17 nested unary operators are not complete.
        let deep = "⿾".repeat(17) + "木";
        assert_eq!(ids_len(deep.as_bytes()), None);
        let ok = "⿾".repeat(15) + "木";
        assert_eq!(ids_len(ok.as_bytes()), Some(ok.len()));
    }

    #[test]
    fn step_and_segment() {
        let t = Trie::from_entries([("发展", "發展", 0), ("发", "發", 1)]);
        let mut out = String::new();
        step(&t, "a发展b⿰氵发c发", &mut StringSink(&mut out));
        assert_eq!(out, "a發展b⿰氵发c發");
        let text = "ab发展c发";
        // Restricted to rank 0, the single-character key does not segment.
        let mut segs = Vec::new();
        segment(&t, true, text, |s, e| segs.push(&text[s..e]));
        assert_eq!(segs, ["ab", "发展", "c发"]);
        let mut segs = Vec::new();
        segment(&t, false, text, |s, e| segs.push(&text[s..e]));
        assert_eq!(segs, ["ab", "发展", "c", "发"]);
    }
}
