//! Damage that cannot be undone: flagged, never edited.
//!
//! * `replacement-characters`: U+FFFD runs, typically GBK or Big5 bytes that
//!   were decoded as UTF-8 with replacement. The original bytes are gone.
//! * `kunjinkao`: `锟斤拷`, the GBK reading of UTF-8 `EF BF BD EF BF BD`,
//!   i.e. replacement characters that went through one more wrong decode.
//! * `uninitialized-memory`: `烫烫烫` / `屯屯屯`, the GBK reading of the
//!   0xCC / 0xCD fill bytes of Microsoft debug runtimes.
//!
//! Neighbouring findings less than [`GAP`] characters apart are merged into
//! one flag.

/// Characters of clean text that still belong to the same damaged region.
const GAP: usize = 4;

/// A damaged region: kind and byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Damage {
    pub kind: &'static str,
    pub start: usize,
    pub end: usize,
    pub count: usize,
}

/// Finds damaged regions in `text`.
pub(crate) fn find(text: &str, out: &mut Vec<Damage>) {
    let mut cur: Option<(Damage, usize)> = None; // (region, chars since its end)
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (off, c) = chars[i];
        let hit: Option<(&'static str, usize)> = match c {
            '\u{FFFD}' => Some(("replacement-characters", 1)),
            '锟' if matches!(chars.get(i + 1), Some((_, '斤' | '拷'))) => {
                let n = if matches!(chars.get(i + 2), Some((_, '拷'))) {
                    3
                } else {
                    2
                };
                Some(("kunjinkao", n))
            }
            '烫' | '屯' => {
                let n = chars[i..].iter().take_while(|&&(_, d)| d == c).count();
                (n >= 3).then_some(("uninitialized-memory", n))
            }
            _ => None,
        };
        match hit {
            Some((kind, n)) => {
                let end = chars.get(i + n).map_or(text.len(), |&(o, _)| o);
                match &mut cur {
                    Some((d, gap)) if d.kind == kind && *gap < GAP => {
                        d.end = end;
                        d.count += 1;
                    }
                    _ => {
                        if let Some((d, _)) = cur.take() {
                            out.push(d);
                        }
                        cur = Some((
                            Damage {
                                kind,
                                start: off,
                                end,
                                count: 1,
                            },
                            0,
                        ));
                    }
                }
                if let Some((_, gap)) = &mut cur {
                    *gap = 0;
                }
                i += n;
            }
            None => {
                if let Some((_, gap)) = &mut cur {
                    *gap += 1;
                }
                i += 1;
            }
        }
    }
    if let Some((d, _)) = cur {
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_kind() {
        let mut v = Vec::new();
        find("ab\u{FFFD}\u{FFFD}c\u{FFFD}d 锟斤拷锟斤拷 烫烫烫烫", &mut v);
        let kinds: Vec<_> = v.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [
                "replacement-characters",
                "kunjinkao",
                "uninitialized-memory"
            ]
        );
        assert_eq!(v[0].count, 3);
    }

    #[test]
    fn clean_text_has_no_damage() {
        let mut v = Vec::new();
        find("烫烫的汤，锟铻之剑。", &mut v);
        assert!(v.is_empty());
    }
}
