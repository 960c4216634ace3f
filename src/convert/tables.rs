//! The embedded OpenCC tables, loaded lazily once per table.

use std::sync::OnceLock;

use super::generated::{CONFIGS, SCRIPT_TABLE, SCRIPT_VERSION, TABLES, TRIE_VERSION};
use super::trie::Trie;

/// One compiled dictionary as embedded in the binary.
pub(crate) struct TableSource {
    /// The dictionary as the configs describe it, e.g.
    /// `short_circuit[TSPhrases, TSCharactersExt, TSCharacters]`.
    pub(crate) spec: &'static str,
    /// File names of the dictionaries of each rank.
    pub(crate) ranks: &'static [&'static str],
    /// The serialized trie.
    pub(crate) bytes: &'static [u8],
    /// The values the trie points into (UTF-8 checked at compile time).
    pub(crate) values: &'static str,
}

/// One OpenCC config: indexes into [`TABLES`].
pub(crate) struct ConfigSpec {
    pub(crate) name: &'static str,
    pub(crate) description: &'static str,
    /// Conversions applied to the whole text first.
    pub(crate) normalization: &'static [usize],
    /// The dictionary that splits the text into segments, if any. For a
    /// fused config this is the first conversion's table, whose rank 0 is
    /// the segmentation dictionary.
    pub(crate) segmentation: Option<usize>,
    /// The segmentation dictionary as the config describes it.
    pub(crate) segmentation_spec: &'static str,
    /// Conversions applied, in turn, to each segment.
    pub(crate) chain: &'static [usize],
    /// Segmentation and the first conversion can run as one pass (the
    /// generator checked the conditions; see `engine::fused_segments`);
    /// `segmentation` then names the first conversion's table.
    pub(crate) fused: bool,
}

static LOADED: [OnceLock<Trie>; TABLES.len()] = [const { OnceLock::new() }; TABLES.len()];

/// The trie of table `i`, deserialized on first use.
pub(crate) fn table(i: usize) -> &'static Trie {
    LOADED[i].get_or_init(|| {
        Trie::from_bytes(TABLES[i].bytes, TABLES[i].values, TRIE_VERSION)
            .expect("embedded OpenCC table is well-formed (checked by tests)")
    })
}

/// The per-character entries of a fused config whose chain is two
/// conversions (see `engine::composed_entries`), and their images
/// (`trie::images_of`).
pub(crate) struct Composed {
    pub(crate) entries: Vec<u64>,
    pub(crate) images: Box<super::trie::Images>,
    /// The ASCII bytes whose entry is not 0 (bit `b` for byte `b`).
    pub(crate) ascii_starts: u128,
}

static COMPOSED: [OnceLock<Composed>; CONFIGS.len()] = [const { OnceLock::new() }; CONFIGS.len()];

/// The [`Composed`] entries of fused config `i` whose chain is `first`
/// then `second`, built on first use.
pub(crate) fn composed(i: usize, first: &Trie, second: &Trie) -> &'static Composed {
    COMPOSED[i].get_or_init(|| {
        let entries = super::engine::composed_entries(first, second);
        let keyed = first.first_chars().chain(second.first_chars());
        let images = super::trie::images_of(&entries, keyed);
        let ascii_starts = (0..128)
            .zip(&entries)
            .fold(0u128, |set, (c, &e)| set | u128::from(e != 0) << c);
        Composed {
            entries,
            images,
            ascii_starts,
        }
    })
}

/// The spec of config `i` (index into `Config::ALL`).
pub(crate) fn config_spec(i: usize) -> &'static ConfigSpec {
    &CONFIGS[i]
}

/// Number of embedded configs.
#[cfg(test)]
pub(crate) const N_CONFIGS: usize = CONFIGS.len();

/// The source of table `i`.
pub(crate) fn table_source(i: usize) -> &'static TableSource {
    &TABLES[i]
}

/// Characters that exist only in Simplified / only in Traditional Chinese,
/// each sorted.
pub(crate) struct ScriptTable {
    pub(crate) simplified_only: Vec<u32>,
    pub(crate) traditional_only: Vec<u32>,
}

pub(crate) fn script_table() -> &'static ScriptTable {
    static T: OnceLock<ScriptTable> = OnceLock::new();
    T.get_or_init(|| {
        let b = SCRIPT_TABLE;
        let words: Vec<u32> = b
            .chunks_exact(4)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            .collect();
        let ok = b.len().is_multiple_of(4)
            && words.len() >= 4
            && b[..4] == *b"ZHCS"
            && words[1] == SCRIPT_VERSION
            && words.len() == 4 + words[2] as usize + words[3] as usize;
        assert!(
            ok,
            "embedded script table is well-formed (checked by tests)"
        );
        let ns = words[2] as usize;
        ScriptTable {
            simplified_only: words[4..4 + ns].to_vec(),
            traditional_only: words[4 + ns..].to_vec(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_loads() {
        for source in &TABLES {
            let t = Trie::from_bytes(source.bytes, source.values, TRIE_VERSION).unwrap();
            assert_eq!(t.check(), Ok(()), "{}", source.spec);
            let mut n = 0;
            t.for_each_entry(|k, v, r| {
                assert!(
                    !k.is_empty() && (r as usize) < source.ranks.len(),
                    "{k} {v}"
                );
                n += 1;
            });
            assert!(n > 0, "{}", source.spec);
        }
        let s = script_table();
        assert!(!s.simplified_only.is_empty() && !s.traditional_only.is_empty());
        assert!(s.simplified_only.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn wrong_version_is_rejected() {
        assert!(Trie::from_bytes(TABLES[0].bytes, TABLES[0].values, TRIE_VERSION + 1).is_err());
    }
}
