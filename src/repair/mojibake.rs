//! Finding and undoing wrong decodes inside one line.
//!
//! For each [`Codec`], the line's characters are mapped back to the bytes the
//! wrong decoder read (characters it never produces split the line into
//! runs). Each run is then decoded again, as UTF-8 (or, for the single-byte
//! code page, also as GBK and Big5), by a scanner that
//!
//! * keeps going through *holes* (bytes the wrong decoder lost, seen as
//!   U+FFFD or as a CP936 `?`) and puts exactly one U+FFFD where each lost
//!   character was,
//! * cuts the run into *segments* at the points where a correctly decoded
//!   character ends on the boundary of a damaged character, and
//! * stops at the first byte sequence that cannot be what a wrong decode of
//!   real text left behind.
//!
//! Every segment has a gain: the cost of its damaged text minus the cost of
//! its repair under the plausibility model. The best-scoring stretches of
//! consecutive segments (maximum-sum subarrays) are the candidate repairs;
//! the caller accepts only clearly plausible ones. The work is linear in the
//! line's length: each scan stops at most a fixed number of units past the
//! last segment boundary.

use super::codec::{is_hole, unit_bytes, Codec, Unit, HOLE_1, HOLE_2};
use super::score::{chars_cost, text_cost_after, Costs, Pair};

/// Least gain of the first and last segment of a repaired stretch.
const EDGE_MIN_GAIN: f32 = 4.0;

/// How far a scan may run past the last segment boundary.
const MAX_UNALIGNED: usize = 1024;

/// One step of a repair: which wrong decode was undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// UTF-8 bytes had been decoded with this codec.
    Utf8As(Codec),
    /// GBK bytes had been decoded with windows-1252/latin-1.
    GbkAsWindows1252,
    /// Big5 bytes had been decoded with windows-1252/latin-1.
    Big5AsWindows1252,
}

impl Step {
    pub(crate) fn describe(self) -> String {
        match self {
            Step::Utf8As(c) => format!("utf-8 read as {}", c.name()),
            Step::GbkAsWindows1252 => "gbk read as windows-1252".to_string(),
            Step::Big5AsWindows1252 => "big5 read as windows-1252".to_string(),
        }
    }

    /// Whether the step decodes bytes of a legacy Chinese encoding.
    pub(crate) fn is_legacy(self) -> bool {
        !matches!(self, Step::Utf8As(_))
    }
}

/// What the search may use.
#[derive(Debug, Clone)]
pub(crate) struct Params {
    pub codecs: Vec<Codec>,
    pub legacy: bool,
    pub levels: Levels,
}

/// A proposed repair of `line[start..end]`.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
    /// Cost of the damaged text minus cost of the replacement, in bits.
    pub gain: f32,
    /// U+FFFD put where lost characters were (all rounds).
    pub lost: usize,
    /// Of those, the ones whose bytes were dropped without a trace (a
    /// sequence cut short), not marked by U+FFFD or `?`.
    pub dropped: usize,
    /// Wrong decodes undone, outermost first.
    pub chain: Vec<Step>,
    /// [`Stats`] of `replacement`, when already computed.
    pub stats: Option<Stats>,
}

/// What [`acceptable`] needs to know of a replacement.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stats {
    /// A character a repair must not produce.
    forbidden: bool,
    /// Hangul syllables: forbidden too, but two or more may come from
    /// undoing a single-byte code page (`í•œêµ\u{AD}ì–´` for `한국어`; one
    /// is a coincidence: `Brontë…”`).
    hangul: usize,
    /// Non-ASCII characters.
    n: usize,
    /// U+FFFD among them.
    fffd: usize,
    /// Their cost.
    cost: f32,
    /// The cost of the ASCII characters.
    ascii_cost: f32,
}

impl Stats {
    const EMPTY: Stats = Stats {
        forbidden: false,
        hangul: 0,
        n: 0,
        fffd: 0,
        cost: 0.0,
        ascii_cost: 0.0,
    };

    #[inline(never)]
    fn of(s: &str) -> Stats {
        let costs = Costs::get();
        let mut st = Stats::EMPTY;
        for ch in s.chars() {
            st.add(&costs, ch);
        }
        st
    }

    /// Counts one more character.
    #[inline(always)]
    fn add(&mut self, costs: &Costs, ch: char) {
        let v = costs.allowed_cost(ch);
        if v.is_none() {
            if ('\u{AC00}'..='\u{D7A3}').contains(&ch) {
                self.hangul += 1;
            } else {
                self.forbidden = true;
            }
        }
        let v = v.unwrap_or_else(|| costs.cost(ch));
        if ch.is_ascii() {
            self.ascii_cost += v;
            return;
        }
        self.fffd += usize::from(ch == '\u{FFFD}');
        self.n += 1;
        self.cost += v;
    }
}

/// A finished segment of a scan: chars `..char_end` of the run, output
/// `..out_end`.
#[derive(Debug, Clone, Copy)]
struct Seg {
    char_end: usize,
    out_end: usize,
    lost: usize,
    dropped: usize,
}

/// Lines longer than this with at most [`FEW_SUSPECTS`] suspicious
/// characters are searched only around them.
const WINDOW_MIN_LINE: usize = 256;
/// See [`WINDOW_MIN_LINE`].
const FEW_SUSPECTS: usize = 3;
/// Characters searched on each side of a lone suspicious character. A GBK
/// misreading leaves a fingerprint for every other hanzi (fewer where common
/// Traditional characters are left out of the fingerprint set), so damage
/// longer than a window leaves more than [`FEW_SUSPECTS`] of them and the
/// whole line is searched.
const WINDOW_CHARS: usize = 48;

/// Candidate repairs of one line: of the whole line, or, in a long line
/// with few suspicious characters, of windows around them.
pub(crate) fn line_candidates(line: &str, p: &Params, rounds: u8, out: &mut Vec<Candidate>) {
    let mut pos = [0; FEW_SUSPECTS];
    let found = if line.len() < WINDOW_MIN_LINE {
        None
    } else {
        super::scan::suspicious_positions(line, &mut pos)
    };
    let Some(found) = found else {
        candidates(line, p, rounds, out);
        return;
    };
    let mut windows: Vec<(usize, usize)> = Vec::new();
    for &at in &pos[..found] {
        let a = line[..at]
            .char_indices()
            .rev()
            .nth(WINDOW_CHARS - 1)
            .map_or(0, |(i, _)| i);
        let b = line[at..]
            .char_indices()
            .nth(WINDOW_CHARS)
            .map_or(line.len(), |(i, _)| at + i);
        match windows.last_mut() {
            Some(w) if a <= w.1 => w.1 = w.1.max(b),
            _ => windows.push((a, b)),
        }
    }
    for (a, b) in windows {
        let first = out.len();
        candidates(&line[a..b], p, rounds, out);
        for c in &mut out[first..] {
            c.start += a;
            c.end += a;
        }
    }
}

/// All candidate repairs of `line` (overlapping, unfiltered), each refined by
/// up to `rounds - 1` further rounds.
pub(crate) fn candidates(line: &str, p: &Params, rounds: u8, out: &mut Vec<Candidate>) {
    if rounds == 0 {
        return;
    }
    let mut units: Vec<Unit> = Vec::new();
    // For each char of the current run: (first unit, byte offset in line).
    let mut bounds: Vec<(usize, usize)> = Vec::new();
    // A single-byte reading leaves Latin-1 characters (`Ã`, `ä`, C1
    // controls); a CJK reading leaves characters from U+3000 up. A codec
    // whose traces are absent cannot find a repair worth making.
    // (Each looked for once, when a codec first asks.)
    let bytes = line.as_bytes();
    let has_latin1 = || memchr::memchr2(0xC2, 0xC3, bytes).is_some();
    let has_wide = || bytes.iter().any(|b| (0xE3..0xF8).contains(b));
    // (E2 80 is General Punctuation, “” — … of clean Chinese text, but for
    // `‚`, Mac OS Roman's E2; symbols past it such as `√` and box drawing
    // are Mac OS Roman and codepage 437 traces.) Latin-1 letters (not the
    // symbols such as `·` of clean Chinese text) that windows-1252 could not
    // explain may be windows-1257 or Mac OS Roman (`ÄÆ` for `į`).
    let has_other = || {
        bytes
            .windows(2)
            .any(|w| (0xC4..=0xDF).contains(&w[0]) || (w[0] == 0xE2 && w[1] != 0x80))
            || memchr::memmem::find(bytes, "‚".as_bytes()).is_some()
            || memchr::memchr(0xC3, bytes).is_some()
    };
    let (mut latin1, mut wide, mut other) = (None, None, None);
    for &codec in &p.codecs {
        let relevant = match codec {
            Codec::Windows1252 => *latin1.get_or_insert_with(has_latin1),
            Codec::Gbk | Codec::Big5 | Codec::ShiftJis => *wide.get_or_insert_with(has_wide),
            // Other code pages leave letters outside Latin-1 (`Р`, `Ă`)
            // or symbols (`√`, `‚`).
            _ => *other.get_or_insert_with(has_other),
        };
        if !relevant {
            continue;
        }
        let first = out.len();
        // A whole-line reading that is no repair (say for a private-use
        // character in it) leaves the line to the scan by segments; bytes
        // that are UTF-8 as a whole are no GBK or Big5 text.
        let mut legacy = p.legacy;
        if codec == Codec::Windows1252 && whole_line_single_byte(line, p, rounds, out) {
            if explains_line(line, &mut out[first..]) {
                return;
            }
            legacy = false;
        }
        let run = Run {
            line,
            codec,
            legacy,
        };
        units.clear();
        bounds.clear();
        // (No codec makes more units or characters than the line's bytes.)
        units.reserve(line.len());
        bounds.reserve(line.len() + 1);
        for (off, c) in line.char_indices() {
            let before = units.len();
            if codec.encode_char(c, &mut units) {
                bounds.push((before, off));
                continue;
            }
            flush_run(&run, p, rounds, &mut units, &mut bounds, off, out);
        }
        flush_run(&run, p, rounds, &mut units, &mut bounds, line.len(), out);
        // Codecs are tried most common first; once one explains the whole
        // line, the others need not look.
        if explains_line(line, &mut out[first..]) {
            return;
        }
    }
}

/// Whether one of `cands` repairs (nearly) all of `line` with a clear gain.
fn explains_line(line: &str, cands: &mut [Candidate]) -> bool {
    let (a, b) = non_ascii_extent(line);
    let span = b.saturating_sub(a);
    let levels = Levels {
        lines: true,
        fragments: true,
        lost_only: false,
    };
    cands.iter_mut().any(|c| {
        if c.gain < LINE_MIN_GAIN || (c.end - c.start) * 10 < span * 9 || c.start > a + span / 10 {
            return false;
        }
        // (Kept for the final choice.)
        if c.stats.is_none() {
            c.stats = Some(Stats::of(&c.replacement));
        }
        acceptable(line, (a, b), c, &levels) == Verdict::Sure
    })
}

/// What a run of one line is scanned for.
struct Run<'a> {
    line: &'a str,
    codec: Codec,
    /// Also read windows-1252 runs as GBK and Big5 bytes.
    legacy: bool,
}

fn flush_run(
    run: &Run<'_>,
    p: &Params,
    rounds: u8,
    units: &mut Vec<Unit>,
    bounds: &mut Vec<(usize, usize)>,
    end_off: usize,
    out: &mut Vec<Candidate>,
) {
    let (line, codec) = (run.line, run.codec);
    if bounds.is_empty() || units.iter().all(|&u| u < 0x80) {
        units.clear();
        bounds.clear();
        return;
    }
    bounds.push((units.len(), end_off));
    if codec == Codec::Gbk && units.contains(&0x80) {
        resolve_euro(units, bounds);
    }
    let before = out.len();
    scan_run_utf8(line, codec, units, bounds, p, rounds, out);
    // A run that reads as UTF-8 almost whole is no GBK or Big5 text.
    let run_len = bounds[bounds.len() - 1].1 - bounds[0].1;
    let utf8_whole = out[before..]
        .iter()
        .any(|c| c.gain > 0.0 && (c.end - c.start) * 10 >= run_len * 9);
    if codec == Codec::Windows1252 && run.legacy && !utf8_whole {
        scan_run_legacy(line, units, bounds, Step::GbkAsWindows1252, out);
        scan_run_legacy(line, units, bounds, Step::Big5AsWindows1252, out);
    }
    units.clear();
    bounds.clear();
}

#[inline]
pub(crate) fn is_cont(u: Unit) -> bool {
    (0x80..=0xBF).contains(&u)
}

/// The common case of a damaged document: the whole line (ASCII aside) is
/// UTF-8 read as windows-1252 or latin-1, without loss. Decodes it in one
/// pass and pushes the candidate; `false` (nothing pushed) if the line is
/// not such a line, and the general scan must look at it.
fn whole_line_single_byte(line: &str, p: &Params, rounds: u8, out: &mut Vec<Candidate>) -> bool {
    let start = line.len() - line.trim_start_matches(|c: char| c.is_ascii()).len();
    let end = line.trim_end_matches(|c: char| c.is_ascii()).len();
    if start >= end {
        return false;
    }
    let damaged = &line[start..end];
    let Some((bytes, damaged_cost)) = windows1252_bytes(damaged) else {
        return false;
    };
    let Ok(decoded) = String::from_utf8(bytes) else {
        return false;
    };
    let stats = Stats::of(&decoded);
    let mut c = Candidate {
        start,
        end,
        gain: damaged_cost - stats.cost - stats.ascii_cost,
        replacement: decoded,
        lost: 0,
        dropped: 0,
        chain: vec![Step::Utf8As(Codec::Windows1252)],
        stats: Some(stats),
    };
    if rounds > 1 {
        refine(&mut c, p, rounds - 1);
    }
    out.push(c);
    true
}

/// The costs of the characters a windows-1252 or latin-1 decoder makes:
/// U+0000..=U+00FF at their code point, then windows-1252's characters for
/// bytes 0x80..=0x9F (see [`WINDOWS1252_HIGH`]) at `256 + byte - 0x80`.
///
/// [`WINDOWS1252_HIGH`]: super::codec::WINDOWS1252_HIGH
fn windows1252_costs() -> &'static [f32; 288] {
    static T: std::sync::OnceLock<[f32; 288]> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let costs = Costs::get();
        let mut t = [0.0; 288];
        for (b, slot) in t[..256].iter_mut().enumerate() {
            *slot = costs.cost(char::from(b as u8));
        }
        for (&c, slot) in super::codec::WINDOWS1252_HIGH.iter().zip(&mut t[256..]) {
            *slot = costs.cost(c);
        }
        t
    })
}

/// The windows-1252 (or latin-1) bytes `damaged` was decoded from, and the
/// cost of `damaged`; `None` if a character of it is no such byte.
#[inline(never)]
fn windows1252_bytes(damaged: &str) -> Option<(Vec<u8>, f32)> {
    use super::codec::{WINDOWS1252_E2_80, WINDOWS1252_HIGH, WINDOWS1252_TWO_BYTE};
    let src = damaged.as_bytes();
    let costs = windows1252_costs();
    let mut cost = 0.0;
    let mut pair = Pair::default();
    // Each character gives one byte. Not `vec![0; n]`: calloc takes no
    // block from malloc's cache of freed ones (measured: 2 % more
    // instructions on damaged documents); nor `push`, whose capacity check
    // costs more (12 %).
    #[allow(clippy::slow_vector_initialization)]
    let mut bytes = {
        let mut v = Vec::with_capacity(src.len());
        v.resize(src.len(), 0u8);
        v
    };
    let mut n = 0;
    let mut i = 0;
    while let Some(&x) = src.get(i) {
        // `damaged` is UTF-8: a lead byte has its continuation bytes. `k`
        // indexes `costs`.
        let (b, c, k, len) = match x {
            0x00..=0x7F => (x, char::from(x), usize::from(x), 1),
            // U+0080..=U+00FF, whose byte is the code point.
            0xC2 | 0xC3 => {
                let b = (src[i + 1] & 0x3F) | (x & 0x03) << 6;
                (b, char::from(b), usize::from(b), 2)
            }
            // The rest of windows-1252's punctuation and letters, by table.
            0xC4..=0xDF => {
                let b = WINDOWS1252_TWO_BYTE[usize::from(x - 0xC4)][usize::from(src[i + 1] & 0x3F)];
                if b == 0 {
                    return None;
                }
                let k = usize::from(b - 0x80);
                (b, WINDOWS1252_HIGH[k], 256 + k, 2)
            }
            0xE2 => {
                let b = match (src[i + 1], src[i + 2]) {
                    (0x80, z) => WINDOWS1252_E2_80[usize::from(z & 0x3F)],
                    (0x82, 0xAC) => 0x80,
                    (0x84, 0xA2) => 0x99,
                    _ => 0,
                };
                if b == 0 {
                    return None;
                }
                let k = usize::from(b - 0x80);
                (b, WINDOWS1252_HIGH[k], 256 + k, 3)
            }
            _ => return None,
        };
        cost += costs[k] + pair.next(c);
        bytes[n] = b;
        n += 1;
        i += len;
    }
    bytes.truncate(n);
    Some((bytes, cost))
}

/// Length of the UTF-8 sequence a lead byte starts, 0 if it is no lead.
#[inline]
pub(crate) fn seq_len(u: Unit) -> usize {
    match u {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

/// Whether `second` may follow `lead` (no overlongs, surrogates or values
/// past U+10FFFF).
#[inline]
pub(crate) fn second_ok(lead: Unit, second: Unit) -> bool {
    match lead {
        0xE0 => (0xA0..=0xBF).contains(&second),
        0xED => (0x80..=0x9F).contains(&second),
        0xF0 => (0x90..=0xBF).contains(&second),
        0xF4 => (0x80..=0x8F).contains(&second),
        _ => is_cont(second),
    }
}

/// How many characters a damaged stretch held: `known` bytes survive
/// (starting with a lead byte of a `lead_len`-byte sequence if known), and
/// between `hmin` and `hmax` bytes were lost. CJK text is made of 3-byte
/// sequences, so the byte count that divides evenly is preferred.
fn lost_chars(lead_len: Option<usize>, known: usize, hmin: usize, hmax: usize) -> usize {
    for t in known + hmin..=known + hmax {
        match lead_len {
            Some(n) if t >= n && (t - n) % 3 == 0 => return 1 + (t - n) / 3,
            None if t > 0 && t % 3 == 0 => return t / 3,
            _ => {}
        }
    }
    let t = known + hmax;
    match lead_len {
        Some(n) => 1 + t.saturating_sub(n).div_ceil(3),
        None => t.div_ceil(3).max(1),
    }
}

/// Whether a two-byte UTF-8 character is plausible in a repair of a CJK
/// wrong decode.
pub(crate) fn two_byte_ok(c: char) -> bool {
    super::codec::windows1252_byte(c).is_some() || Codec::Gbk.units(c).is_some()
}

/// How a scan treats what it meets.
#[derive(Debug, Clone, Copy)]
struct Mode {
    /// Sequences may be cut short (windows-1252 dropped undefined bytes).
    truncation_ok: bool,
    /// A `?` where a continuation byte was due is a CP936 hole.
    qmark: bool,
    /// A `?` where the last byte of a three-byte sequence was due is one
    /// lost byte (a lossy single-byte decoder wrote `?` for it: `â€?`).
    qmark_one: bool,
    /// The wrong decoder was a CJK code page.
    cjk: bool,
    /// The wrong decoder was a single-byte code page: CESU-8 surrogate
    /// pairs are undone.
    single_byte: bool,
    /// Its byte A0 is a no-break space, which a process may have turned into
    /// an ASCII space: undone where UTF-8 needs the A0 back.
    a0_nbsp: bool,
}

/// A supplementary character written in CESU-8 (each UTF-16 surrogate as a
/// three-byte sequence, `ED A0 BD ED B8 8D` for `😍`) at the start of
/// `units`.
fn cesu8_pair(units: &[Unit]) -> Option<char> {
    let u: [Unit; 6] = units.get(..6)?.try_into().ok()?;
    let ok = u[0] == 0xED
        && (0xA0..=0xAF).contains(&u[1])
        && is_cont(u[2])
        && u[3] == 0xED
        && (0xB0..=0xBF).contains(&u[4])
        && is_cont(u[5]);
    if !ok {
        return None;
    }
    let hi = 0xD000 | (u32::from(u[1] & 0x3F) << 6) | u32::from(u[2] & 0x3F);
    let lo = 0xD000 | (u32::from(u[4] & 0x3F) << 6) | u32::from(u[5] & 0x3F);
    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
}

/// Whether the space at `pos` of the sequence starting `units` stands for
/// byte A0, which a process took for a no-break space and turned into an
/// ASCII one (`Ã ` for `à`, `Â ` for a no-break space, `à¸ ` for `ภ`). As
/// ftfy does, only after the lead bytes that make common characters of A0
/// and where the rest of the sequence is intact.
fn space_for_a0(units: &[Unit], pos: usize) -> bool {
    let at = |k: usize| units.get(k).copied().unwrap_or(0);
    // Continuation bytes other than 0x85 (`…`) and A0 itself.
    let cont_not_space = |v: Unit| is_cont(v) && v != 0x85 && v != 0xA0;
    match (units[0], pos) {
        (0xC2 | 0xC3 | 0xC5 | 0xCE | 0xD0 | 0xD9, 1) => true,
        (0xE2 | 0xE3, 1) => cont_not_space(at(2)),
        (0xE0..=0xE3, 2) => cont_not_space(at(1)),
        (0xF0, 1..=3) => (1..4).all(|k| k == pos || is_cont(at(k))),
        _ => false,
    }
}

/// Whether the `?` at `pos` of the sequence starting `units` stands for one
/// byte that a lossy single-byte decoder could not decode, as ftfy takes it:
/// second byte after `Â` or `Ã`, second or third of a three-byte sequence
/// whose other byte is intact (`â€?` for `”`, `â?¬` for `€`).
fn lossy_qmark(units: &[Unit], pos: usize) -> bool {
    let at = |k: usize| units.get(k).copied().unwrap_or(0);
    match (units[0], pos) {
        (0xC2 | 0xC3, 1) => true,
        (0xE0..=0xEF, 1) => is_cont(at(2)),
        (0xE0..=0xEF, 2) => is_cont(at(1)),
        _ => false,
    }
}

/// Whether `Ã` followed by `rest` is the word `à` whose byte A0 and the
/// following space merged into one space: a space follows, and not another
/// space or the rest of a word (`Ã quele` is `àquele`, `Ã s ` is `às`).
fn a_grave_word(rest: &[Unit]) -> bool {
    if rest.first() != Some(&0x20) {
        return false;
    }
    let after = &rest[1..];
    let starts =
        |w: &[u8]| after.len() >= w.len() && after.iter().zip(w).all(|(&a, &b)| a == Unit::from(b));
    !(starts(b" ") || starts(b"quele") || starts(b"quela") || starts(b"quilo") || starts(b"s "))
}

/// `€` in a GBK reading of UTF-8 comes from byte 0x80 (WHATWG, CP936) or
/// from the pair A2 E3 (GB18030-2005). Picks, for each, the bytes the UTF-8
/// around it needs: A2 E3 when A2 completes a sequence and E3 is followed by
/// two continuation bytes, 0x80 otherwise.
fn resolve_euro(units: &mut Vec<Unit>, bounds: &mut [(usize, usize)]) {
    let old = std::mem::take(units);
    let mut need = 0usize;
    let n = bounds.len();
    for k in 0..n {
        let (a, off) = bounds[k];
        let b = if k + 1 < n {
            bounds[k + 1].0
        } else {
            old.len()
        };
        bounds[k] = (units.len(), off);
        if k + 1 == n {
            break;
        }
        let span = &old[a..b];
        if span == [0x80] {
            let next_cont = old
                .get(b..b + 2)
                .is_some_and(|x| x.iter().all(|&u| is_cont(u) || is_hole(u)));
            if need == 1 && next_cont {
                units.extend_from_slice(&[0xA2, 0xE3]);
                need = 2;
            } else {
                units.push(0x80);
                need = need.saturating_sub(1);
            }
            continue;
        }
        for &u in span {
            units.push(u);
            need = match seq_len(u) {
                0 if is_cont(u) => need.saturating_sub(1),
                0 => 0,
                len => len - 1,
            };
        }
    }
}

/// Scans one run of units as UTF-8 and pushes candidates.
fn scan_run_utf8(
    line: &str,
    codec: Codec,
    units: &[Unit],
    bounds: &[(usize, usize)],
    p: &Params,
    rounds: u8,
    out: &mut Vec<Candidate>,
) {
    let mode = Mode {
        truncation_ok: codec.is_single_byte(),
        qmark: codec == Codec::Gbk,
        qmark_one: codec.is_single_byte(),
        cjk: !codec.is_single_byte(),
        single_byte: codec.is_single_byte(),
        // Code pages whose byte A0 is a no-break space.
        a0_nbsp: codec.is_single_byte() && !matches!(codec, Codec::MacRoman | Codec::Cp437),
    };
    let nchars = bounds.len() - 1;
    let mut decoded = String::with_capacity(units.len());
    let mut segs: Vec<Seg> = Vec::new();
    let mut start = 0;
    while start < nchars {
        decoded.clear();
        segs.clear();
        let stop = scan_from(units, bounds, start, mode, &mut decoded, &mut segs);
        if !segs.is_empty() {
            emit(
                line,
                bounds,
                start,
                &segs,
                &decoded,
                Step::Utf8As(codec),
                p,
                rounds,
                out,
            );
        }
        start = if stop.0 > start {
            stop.0
        } else if stop.1 > start + 8 {
            // A long scan without a boundary: do not rescan it char by char.
            stop.1
        } else {
            start + 1
        };
    }
}

/// Decodes from char `start` until the units stop making sense; records a
/// segment at each aligned boundary. Returns the char index of the last one
/// and the char index where the scan stopped.
fn scan_from(
    units: &[Unit],
    bounds: &[(usize, usize)],
    start: usize,
    mode: Mode,
    out: &mut String,
    segs: &mut Vec<Seg>,
) -> (usize, usize) {
    let end = bounds[bounds.len() - 1].0;
    let mut i = bounds[start].0;
    let mut k = start;
    let mut last_char = start;
    let mut since = 0usize;
    let mut lost = 0usize;
    let mut dropped = 0usize;
    loop {
        while k < bounds.len() && bounds[k].0 < i {
            k += 1;
        }
        if k < bounds.len() && bounds[k].0 == i {
            if k > last_char {
                segs.push(Seg {
                    char_end: k,
                    out_end: out.len(),
                    lost,
                    dropped,
                });
                lost = 0;
                dropped = 0;
                last_char = k;
            }
            since = 0;
        }
        if i >= end || since > MAX_UNALIGNED {
            break;
        }
        let u = units[i];
        if u < 0x80 {
            out.push(u as u8 as char);
            i += 1;
            since += 1;
            continue;
        }
        if mode.single_byte && u == 0xED {
            if let Some(c) = cesu8_pair(&units[i..end]) {
                out.push(c);
                i += 6;
                since += 6;
                continue;
            }
        }
        if mode.a0_nbsp && u == 0xC3 && a_grave_word(&units[i + 1..end]) {
            // `à` as a word, its byte A0 and the space after it merged.
            out.push_str("à ");
            i += 2;
            since += 2;
            continue;
        }
        let (lead_len, mut j) = if is_hole(u) {
            (None, i)
        } else {
            let n = seq_len(u);
            if n == 0 {
                break;
            }
            // Try the complete sequence.
            let mut buf = [0u8; 4];
            buf[0] = u as u8;
            let mut j = i + 1;
            let mut damaged = false;
            let mut spaced = false;
            while j < i + n {
                if j >= end {
                    break;
                }
                let mut v = units[j];
                let qmark_hole = v == u16::from(b'?')
                    && (mode.qmark || (mode.qmark_one && lossy_qmark(&units[i..end], j - i)));
                if is_hole(v) || qmark_hole {
                    damaged = true;
                    break;
                }
                if mode.a0_nbsp && v == 0x20 && !spaced && space_for_a0(&units[i..end], j - i) {
                    v = 0xA0;
                    spaced = true;
                }
                if !is_cont(v) || (j == i + 1 && !second_ok(u, v)) {
                    break;
                }
                buf[j - i] = v as u8;
                j += 1;
            }
            if j == i + n {
                // The lead, second and continuation bytes are checked:
                // the sequence is UTF-8.
                let cp = buf[1..n]
                    .iter()
                    .fold(u32::from(buf[0]) & (0x7F >> n), |cp, &b| {
                        cp << 6 | u32::from(b & 0x3F)
                    });
                match char::from_u32(cp) {
                    // Text read as a CJK code page holds two-byte
                    // characters only from the repertoire of the wrong
                    // decoders themselves (Latin-1, windows-1252, the Greek,
                    // Cyrillic and pinyin letters of GBK): any other is a
                    // misreading, not a repair.
                    Some(c) if mode.cjk && n == 2 && !two_byte_ok(c) => break,
                    Some(c) => out.push(c),
                    None => break,
                }
                since += n;
                i = j;
                continue;
            }
            if !damaged {
                // Truncated: bytes were dropped without a trace. A lone lead
                // byte is one only before a sequence that goes on.
                let lone_ok = j - i == 1
                    && j + 1 < end
                    && (0xE1..=0xEF).contains(&u)
                    && seq_len(units[j]) > 0
                    && is_cont(units[j + 1]);
                if mode.truncation_ok && (j - i >= 2 || lone_ok) && j < end {
                    out.push('\u{FFFD}');
                    lost += 1;
                    dropped += 1;
                    since += j - i;
                    i = j;
                    continue;
                }
                break;
            }
            (Some(n), j)
        };
        // A damaged stretch: collect holes and stray continuation bytes.
        let mut known = j - i;
        let (mut hmin, mut hmax) = (0, 0);
        while j < end {
            let v = units[j];
            let h = if is_hole(v) {
                v
            } else if mode.qmark && v == u16::from(b'?') && (lead_len.is_some() || hmax > 0) {
                // CP936 swallowed the byte after the dangling lead byte,
                // except at the end of the input.
                if j + 1 == end {
                    HOLE_1
                } else {
                    HOLE_2
                }
            } else if mode.qmark_one
                && v == u16::from(b'?')
                && hmin == 0
                && lead_len.is_some()
                && lossy_qmark(&units[i..end], known)
            {
                HOLE_1
            } else if is_cont(v) {
                // Stray continuation bytes finish the damaged characters;
                // once those are complete, a further one belongs to clean
                // text and ends the damage.
                let cur = known + hmin;
                let target = match lead_len {
                    Some(n) if cur <= n => n,
                    Some(n) => n + (cur - n).div_ceil(3) * 3,
                    None => cur.div_ceil(3).max(1) * 3,
                };
                if hmin > 0 && cur >= target {
                    break;
                }
                known += 1;
                j += 1;
                continue;
            } else {
                break;
            };
            let (a, b) = unit_bytes(h);
            hmin += a;
            hmax += b;
            j += 1;
        }
        let n = lost_chars(lead_len, known, hmin, hmax);
        for _ in 0..n {
            out.push('\u{FFFD}');
        }
        lost += n;
        since += j - i;
        i = j;
    }
    let at = k.min(bounds.len() - 1);
    (last_char, at)
}

/// Turns a scan's segments into candidates: the maximum-gain stretches of
/// consecutive segments and, when those do not cover it, the whole stretch
/// (a wrong decode under another one may only pay off after the next round).
#[allow(clippy::too_many_arguments)]
fn emit(
    line: &str,
    bounds: &[(usize, usize)],
    start: usize,
    segs: &[Seg],
    decoded: &str,
    step: Step,
    p: &Params,
    rounds: u8,
    out: &mut Vec<Candidate>,
) {
    let mut gains = Vec::with_capacity(segs.len());
    let mut prev_char = start;
    let mut prev_out = 0;
    for s in segs {
        let orig = &line[bounds[prev_char].1..bounds[s.char_end].1];
        let rep = &decoded[prev_out..s.out_end];
        let g = if orig == rep {
            0.0
        } else if step.is_legacy() {
            // The pair cost marks misread UTF-8, not legacy bytes.
            chars_cost(orig) - chars_cost(rep)
        } else {
            // Each side after the character before it (`voilÃ` costs more
            // than `Ã`).
            let at = bounds[prev_char].1;
            let before_orig = line[..at].chars().next_back();
            let before_rep = decoded[..prev_out].chars().next_back().or(before_orig);
            text_cost_after(before_orig, orig) - text_cost_after(before_rep, rep)
        };
        gains.push(g);
        prev_char = s.char_end;
        prev_out = s.out_end;
    }
    // Maximum-sum stretches, one per block between resets of the running sum.
    let mut blocks: Vec<(f32, usize, usize)> = Vec::new();
    let mut best: Option<(f32, usize, usize)> = None;
    let mut run = 0.0f32;
    let mut run_start = 0;
    for (idx, &g) in gains.iter().enumerate() {
        if run <= 0.0 {
            blocks.extend(best.take());
            run = 0.0;
            run_start = idx;
        }
        run += g;
        if run > 0.0 && best.is_none_or(|(bg, _, _)| run > bg) {
            best = Some((run, run_start, idx + 1));
        }
    }
    blocks.extend(best.take());
    // A block does not start or end with a segment of little gain: that is
    // clean text the scan ran into (路 read as `·`), not damage.
    let trim_edges = matches!(step, Step::Utf8As(c) if !c.is_single_byte());
    for blk in blocks.iter_mut().filter(|_| trim_edges) {
        let (ref mut g, ref mut a, ref mut b) = *blk;
        while *a < *b && gains[*a] < EDGE_MIN_GAIN {
            *g -= gains[*a];
            *a += 1;
        }
        while *b > *a && gains[*b - 1] < EDGE_MIN_GAIN {
            *g -= gains[*b - 1];
            *b -= 1;
        }
    }
    blocks.retain(|&(_, a, b)| a < b);
    let mut inside = vec![false; segs.len()];
    for &(_, a, b) in &blocks {
        inside[a..b].iter_mut().for_each(|x| *x = true);
    }
    let uncovered = gains.iter().zip(&inside).any(|(&g, &i)| !i && g != 0.0);
    if rounds > 1 && segs.len() >= 2 && uncovered {
        blocks.push((gains.iter().sum(), 0, segs.len()));
    }
    for (g, a, b) in blocks {
        let char_a = if a == 0 { start } else { segs[a - 1].char_end };
        let out_a = if a == 0 { 0 } else { segs[a - 1].out_end };
        let char_b = segs[b - 1].char_end;
        let out_b = segs[b - 1].out_end;
        let lost = segs[a..b].iter().map(|s| s.lost).sum();
        let dropped = segs[a..b].iter().map(|s| s.dropped).sum();
        let mut c = Candidate {
            start: bounds[char_a].1,
            end: bounds[char_b].1,
            replacement: decoded[out_a..out_b].to_string(),
            gain: g,
            lost,
            dropped,
            chain: vec![step],
            stats: None,
        };
        trim_ascii(line, &mut c);
        if rounds > 1 && !step.is_legacy() {
            refine(&mut c, p, rounds - 1);
        }
        out.push(c);
    }
}

/// Drops ASCII that the damaged text and its repair share at both ends.
fn trim_ascii(line: &str, c: &mut Candidate) {
    let orig = &line[c.start..c.end];
    let rep = c.replacement.as_str();
    let lead = orig
        .bytes()
        .zip(rep.bytes())
        .take_while(|(a, b)| a == b && a.is_ascii())
        .count();
    let (o, r) = (&orig[lead..], &rep[lead..]);
    let tail = o
        .bytes()
        .rev()
        .zip(r.bytes().rev())
        .take_while(|(a, b)| a == b && a.is_ascii())
        .count();
    let keep = lead..rep.len() - tail;
    c.start += lead;
    c.end -= tail;
    c.replacement.truncate(keep.end);
    c.replacement.drain(..keep.start);
}

/// Further rounds: if the replacement is itself mojibake, repair it too. It
/// is searched as a line of the text would be: only if it holds a trace of
/// damage, and if it is long with few suspicious characters, only around
/// them.
fn refine(c: &mut Candidate, p: &Params, rounds: u8) {
    if super::scan::next_trace(&c.replacement, 0, &p.codecs).is_none() {
        return;
    }
    let text = std::mem::take(&mut c.replacement);
    let mut inner = Vec::new();
    line_candidates(&text, p, rounds, &mut inner);
    let levels = Levels {
        lost_only: false,
        ..p.levels
    };
    choose(&text, &mut inner, &levels);
    let chosen = inner;
    if chosen.is_empty() {
        c.replacement = text;
        return;
    }
    let mut s = String::with_capacity(text.len());
    let mut at = 0;
    let mut gain = 0.0;
    let (mut lost, mut dropped) = (0, 0);
    let mut chain: Vec<Step> = Vec::new();
    for k in &chosen {
        s.push_str(&text[at..k.start]);
        s.push_str(&k.replacement);
        at = k.end;
        gain += k.gain;
        lost += k.lost;
        dropped += k.dropped;
        if chain.is_empty() || k.chain.len() > chain.len() {
            chain = k.chain.clone();
        }
    }
    s.push_str(&text[at..]);
    c.replacement = s;
    c.stats = None;
    c.gain += gain;
    c.lost += lost;
    c.dropped += dropped;
    c.chain.extend(chain);
}

/// Least gain, in bits, for repairing a whole line.
const LINE_MIN_GAIN: f32 = 10.0;
/// Least gain, in bits, for repairing a fragment inside an otherwise clean line.
const FRAGMENT_MIN_GAIN: f32 = 16.0;
/// Most cost per non-ASCII character a repair may have.
const MAX_COST_PER_CHAR: f32 = 17.0;

/// Which levels of damage may be repaired.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Levels {
    pub lines: bool,
    pub fragments: bool,
    /// Whether a line whose damage is all lost characters may be repaired
    /// (see [`acceptable`]): the first round only, on a line of the text.
    pub lost_only: bool,
}

/// Byte range from the first non-ASCII character of `line` to the end of its
/// last one (`(len, 0)` if there is none).
pub(crate) fn non_ascii_extent(line: &str) -> (usize, usize) {
    let b = line.as_bytes();
    match b.iter().position(|&x| x >= 0x80) {
        None => (line.len(), 0),
        Some(first) => {
            // The last non-ASCII byte ends a character.
            let last = b.iter().rposition(|&x| x >= 0x80).unwrap_or(first);
            (first, last + 1)
        }
    }
}

/// How sure a candidate is to be a repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// No repair.
    No,
    /// A repair if another repair of the line is [`Verdict::Sure`].
    Corroborated,
    /// Clearly a repair.
    Sure,
}

/// Whether a candidate is clearly a repair of a line whose non-ASCII
/// characters span `extent` (see [`non_ascii_extent`]).
fn acceptable(line: &str, extent: (usize, usize), c: &Candidate, levels: &Levels) -> Verdict {
    let fragment = extent.0 < c.start || extent.1 > c.end;
    if fragment && !levels.fragments || !fragment && !levels.lines {
        return Verdict::No;
    }
    let min_gain = if fragment {
        FRAGMENT_MIN_GAIN
    } else {
        LINE_MIN_GAIN
    };
    // Only a whole line that is nothing but lost characters may gain less
    // (see `lost_only` below).
    let may_be_lost_only =
        levels.lost_only && c.lost > 0 && c.chain == [Step::Utf8As(Codec::Windows1252)];
    if c.gain < min_gain && (fragment || c.gain <= 0.0 || !may_be_lost_only) {
        return Verdict::No;
    }
    // No forbidden characters, every U+FFFD explained by a hole, enough real
    // characters, plausible on average.
    let st = c.stats.unwrap_or_else(|| Stats::of(&c.replacement));
    let single_byte_only = single_byte_chain(c);
    if st.forbidden || (st.hangul > 0 && !(single_byte_only && st.hangul >= 2)) {
        return Verdict::No;
    }
    let (fffd, n, cost) = (st.fffd, st.n, st.cost);
    let damaged = &line[c.start..c.end];
    // A U+FFFD misread as windows-1252 (`ï¿½`) stands for itself: a lost
    // character that is certain.
    let misread = if fffd > 0 && c.chain == [Step::Utf8As(Codec::Windows1252)] {
        damaged.matches("ï¿½").count().min(fffd)
    } else {
        0
    };
    let fffd = fffd - misread;
    let real = n - fffd;
    let first = match c.chain.first() {
        Some(Step::Utf8As(k)) => Some(*k),
        _ => None,
    };
    // Fragments, and any repair through the rarer code pages, need two real
    // characters: one (`√π` → `ù` in Mac OS Roman) is too easily a
    // coincidence.
    let rare_codepage = first.is_some_and(|k| k.is_single_byte() && k != Codec::Windows1252);
    let single_byte = first.is_some_and(Codec::is_single_byte);
    let mut verdict = Verdict::Sure;
    let min_real = if (fragment || rare_codepage) && real == 1 && single_byte {
        match unmistakable(line, c.start, damaged) {
            Verdict::No => 2,
            v => {
                verdict = v;
                1
            }
        }
    } else if fragment || rare_codepage {
        2
    } else {
        1
    };
    // A single-byte decoder that dropped bytes without a trace did so for few
    // characters: a repair made mostly of such guesses is no repair.
    if single_byte_only && c.dropped > real {
        return Verdict::No;
    }
    // Words of letters cased as words are text, not mojibake read through a
    // rarer code page (`ВІКІ`, `HÅØYA`).
    if rare_codepage && plain_words(damaged) {
        return Verdict::No;
    }
    // A windows-1252 decoder writes U+FFFD for the bytes it leaves undefined
    // (81 8D 8F 90 9D): `Ä�` is `č` (C4 8D) with its second byte lost, one
    // lost character. Where such characters are all the damage, nothing
    // real is left, but the leads are still mojibake: as ftfy does, each
    // sequence becomes one U+FFFD (`SlovenÄ�ina` → `Sloven�ina`, `â€�` →
    // `�`), if each is whole with one U+FFFD standing for one byte (not
    // `Café�`) and no U+FFFD stands next to them (a run of U+FFFD is text
    // destroyed otherwise, to be flagged). Fragments still need their gain.
    let lost_only = may_be_lost_only
        && real == 0
        && fffd == c.lost
        && holed_sequences(damaged) == Some(fffd)
        && !line[..c.start].ends_with('\u{FFFD}')
        && !line[c.end..].starts_with('\u{FFFD}');
    if c.gain < min_gain && !lost_only {
        return Verdict::No;
    }
    if fffd <= c.lost && (real >= min_real || lost_only) && cost <= MAX_COST_PER_CHAR * n as f32 {
        verdict
    } else {
        Verdict::No
    }
}

/// The number of UTF-8 sequences of `damaged` if its non-ASCII characters
/// are whole sequences read by a windows-1252 decoder that wrote U+FFFD for
/// a byte it does not define, each with one such U+FFFD standing for one
/// byte (`Ä�`, `â€�`); `None` otherwise.
fn holed_sequences(damaged: &str) -> Option<usize> {
    let mut it = damaged.chars().filter(|ch| !ch.is_ascii());
    let mut n = 0;
    while let Some(ch) = it.next() {
        let lead = super::codec::windows1252_byte(ch)?;
        let len = seq_len(Unit::from(lead));
        if len == 0 {
            return None;
        }
        let mut holed = false;
        for k in 1..len {
            match it.next()? {
                '\u{FFFD}' if !holed => holed = true,
                ch => {
                    let b = Unit::from(super::codec::windows1252_byte(ch)?);
                    if !(if k == 1 {
                        second_ok(Unit::from(lead), b)
                    } else {
                        is_cont(b)
                    }) {
                        return None;
                    }
                }
            }
        }
        if !holed {
            return None;
        }
        n += 1;
    }
    Some(n)
}

/// Whether single-byte damage `damaged` (at byte `start` of `line`) is
/// unmistakable although it stands for one character: it holds a C1
/// control, three characters or more stand for the one repaired (`вЂ“` →
/// `–`), a Mac OS Roman `√` (byte C3) sits inside a word (`wei√ü` →
/// `weiß`), or, in a line with other repairs, a lead letter is followed by
/// a symbol (`barÃ¨me` → `barème`; alone, `DrÃ¥ber` may be Latin text).
fn unmistakable(line: &str, start: usize, damaged: &str) -> Verdict {
    let c1 = damaged
        .chars()
        .any(|ch| ('\u{80}'..='\u{9F}').contains(&ch));
    let mid_word = damaged.starts_with('√')
        && line[..start]
            .chars()
            .next_back()
            .is_some_and(|ch| ch.is_ascii_alphabetic());
    if c1 || mid_word || damaged.chars().filter(|ch| !ch.is_ascii()).count() >= 3 {
        return Verdict::Sure;
    }
    let mut pair = Pair::default();
    if damaged.chars().any(|ch| pair.next(ch) > 0.0) {
        Verdict::Corroborated
    } else {
        Verdict::No
    }
}

/// Whether the non-ASCII words of `s` are all letters with the casing of
/// real words: all capitals, all small, or one capital then small ones.
fn plain_words(s: &str) -> bool {
    s.split(|ch: char| ch.is_ascii())
        .filter(|w| !w.is_empty())
        .all(|w| {
            let mut it = w.chars();
            let first = it.next();
            let rest: Vec<char> = it.collect();
            first.is_some_and(char::is_alphabetic)
                && rest.iter().all(|ch| ch.is_alphabetic())
                && (rest.iter().all(|ch| ch.is_lowercase())
                    || (first.is_some_and(char::is_uppercase)
                        && rest.iter().all(|ch| ch.is_uppercase())))
        })
}

/// The repairs of `line` among `cands`: the [acceptable] ones, and, once
/// one is, those whose single repaired character needs such corroboration.
pub(crate) fn choose(line: &str, cands: &mut Vec<Candidate>, levels: &Levels) {
    let extent = non_ascii_extent(line);
    let mut sure = false;
    cands.retain(|c| {
        let v = if c.start < c.end {
            acceptable(line, extent, c, levels)
        } else {
            Verdict::No
        };
        sure |= v == Verdict::Sure;
        v != Verdict::No
    });
    // A repair explains at least its own characters, so only where more
    // characters of the line are left unexplained than it repairs can it be
    // a piece of a garble: the line is counted once, the stretches only then
    // (none is left unexplained if one candidate spans all that is not
    // ASCII).
    let is_fragment = |c: &Candidate| extent.0 < c.start || extent.1 > c.end;
    let uncovered = if cands.iter().all(is_fragment) && cands.iter().any(single_byte_chain) {
        unexplained_garble(line, cands)
    } else {
        0
    };
    if uncovered > 0 {
        let garble: Vec<bool> = cands
            .iter()
            .map(|c| {
                single_byte_chain(c)
                    && is_fragment(c)
                    && uncovered
                        > line[c.start..c.end]
                            .chars()
                            .filter(|ch| !ch.is_ascii())
                            .count()
                    && within_garble(line, c, cands)
            })
            .collect();
        if garble.contains(&true) {
            let mut k = 0;
            cands.retain(|_| {
                k += 1;
                !garble[k - 1]
            });
            sure = cands
                .iter()
                .any(|c| acceptable(line, extent, c, levels) == Verdict::Sure);
        }
    }
    if !sure {
        cands.clear();
        return;
    }
    select(cands);
}

/// Whether every wrong decode `c` undoes is through a single-byte code page.
fn single_byte_chain(c: &Candidate) -> bool {
    c.chain
        .iter()
        .all(|s| matches!(s, Step::Utf8As(k) if k.is_single_byte()))
}

/// Whether a character may belong to single-byte mojibake: a non-ASCII
/// letter, mark, symbol or punctuation below the CJK blocks, not a space.
fn garble_char(ch: char) -> bool {
    !ch.is_ascii() && ch < '\u{2E80}' && !ch.is_whitespace()
}

/// The [`garble_char`]s of `line` outside every one of `cands`.
fn unexplained_garble(line: &str, cands: &[Candidate]) -> usize {
    let mut spans: Vec<(usize, usize)> = cands.iter().map(|c| (c.start, c.end)).collect();
    spans.sort_unstable();
    let mut spans = spans.into_iter().peekable();
    let mut n = 0;
    for (i, ch) in line.char_indices() {
        while spans.next_if(|&(_, end)| end <= i).is_some() {}
        if garble_char(ch) && spans.peek().is_none_or(|&(start, _)| start > i) {
            n += 1;
        }
    }
    n
}

/// Whether the fragment repair `c` explains only a small part of the
/// unbroken stretch of non-ASCII Latin, Greek, Cyrillic or symbol
/// characters it sits in (see [`garble_char`]): more characters of that
/// stretch are left as they are than any of `cands` repair. A wrong decode
/// of real text leaves all of its stretch explained (`cafÃ©`, `中文â€œ`);
/// pieces that read as UTF-8 inside a longer garble that does not
/// (`ã†â€™ãƒâ€`) are a coincidence, and ftfy too leaves such text alone.
fn within_garble(line: &str, c: &Candidate, cands: &[Candidate]) -> bool {
    let start = line[..c.start]
        .char_indices()
        .rev()
        .take_while(|&(_, ch)| garble_char(ch))
        .last()
        .map_or(c.start, |(i, _)| i);
    let end = line[c.end..]
        .char_indices()
        .find(|&(_, ch)| !garble_char(ch))
        .map_or(line.len(), |(i, _)| c.end + i);
    let (mut covered, mut left) = (0usize, 0usize);
    for (i, ch) in line[start..end].char_indices() {
        let i = start + i;
        if ch.is_ascii() {
            continue;
        }
        if cands.iter().any(|k| k.start <= i && i < k.end) {
            covered += 1;
        } else {
            left += 1;
        }
    }
    left > covered
}

/// Keeps the highest-gain candidates that do not overlap, picked greedily,
/// in text order.
fn select(cands: &mut Vec<Candidate>) {
    cands.sort_by(|a, b| b.gain.total_cmp(&a.gain).then(a.start.cmp(&b.start)));
    // The chosen ones are moved to the front, in the order they are chosen.
    let mut chosen = 0;
    for k in 0..cands.len() {
        let (start, end) = (cands[k].start, cands[k].end);
        if cands[..chosen]
            .iter()
            .all(|c| end <= c.start || c.end <= start)
        {
            cands.swap(chosen, k);
            chosen += 1;
        }
    }
    cands.truncate(chosen);
    cands.sort_by_key(|c| c.start);
}

/// GBK or Big5 bytes read as windows-1252: decode the run's bytes pairwise.
fn scan_run_legacy(
    line: &str,
    units: &[Unit],
    bounds: &[(usize, usize)],
    step: Step,
    out: &mut Vec<Candidate>,
) {
    let enc = match step {
        Step::GbkAsWindows1252 => encoding_rs::GBK,
        _ => encoding_rs::BIG5,
    };
    let big5 = step == Step::Big5AsWindows1252;
    let nchars = bounds.len() - 1;
    let mut decoded = String::new();
    let mut segs: Vec<Seg> = Vec::new();
    let mut i = 0;
    let flush =
        |decoded: &mut String, segs: &mut Vec<Seg>, start: usize, out: &mut Vec<Candidate>| {
            if !segs.is_empty() {
                emit(
                    line,
                    bounds,
                    start,
                    segs,
                    decoded,
                    step,
                    &Params {
                        codecs: Vec::new(),
                        legacy: false,
                        levels: Levels {
                            lines: true,
                            fragments: true,
                            lost_only: false,
                        },
                    },
                    1,
                    out,
                );
            }
            decoded.clear();
            segs.clear();
        };
    let mut start = 0;
    while i < nchars {
        let u = units[i];
        if is_hole(u) {
            flush(&mut decoded, &mut segs, start, out);
            i += 1;
            start = i;
            continue;
        }
        if u < 0x80 {
            decoded.push(u as u8 as char);
            i += 1;
            segs.push(Seg {
                char_end: i,
                out_end: decoded.len(),
                lost: 0,
                dropped: 0,
            });
            continue;
        }
        if !big5 && u == 0x80 {
            decoded.push('€');
            i += 1;
            segs.push(Seg {
                char_end: i,
                out_end: decoded.len(),
                lost: 0,
                dropped: 0,
            });
            continue;
        }
        let ok_pair = i + 1 < nchars && !is_hole(units[i + 1]) && (0x81..=0xFE).contains(&u);
        let c = if ok_pair {
            super::codec::decode_pair(enc, u as u8, units[i + 1] as u8)
        } else {
            None
        };
        match c {
            Some(ch) => {
                decoded.push(ch);
                i += 2;
                segs.push(Seg {
                    char_end: i,
                    out_end: decoded.len(),
                    lost: 0,
                    dropped: 0,
                });
            }
            None => {
                flush(&mut decoded, &mut segs, start, out);
                i += 1;
                start = i;
            }
        }
    }
    flush(&mut decoded, &mut segs, start, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_char_counts() {
        // E5 9C + one lost byte: one character.
        assert_eq!(lost_chars(Some(3), 2, 1, 1), 1);
        // E6 98, `?` (two bytes), 86 92: two characters.
        assert_eq!(lost_chars(Some(3), 4, 2, 2), 2);
        // E4 B8, `?` eating an ASCII byte: the character and the ASCII one.
        assert_eq!(lost_chars(Some(3), 2, 2, 2), 2);
        // A hole of one or two bytes, then two continuation bytes.
        assert_eq!(lost_chars(None, 2, 1, 2), 1);
    }
}
