//! Which Chinese script a text is written in.

use super::tables::script_table;

/// The verdict of [`detect_script`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum Script {
    /// Simplified Chinese.
    Simplified,
    /// Traditional Chinese.
    Traditional,
    /// Both scripts in substantial amounts.
    Mixed,
    /// No character that tells the scripts apart (no Chinese, or only
    /// characters both scripts share).
    Neither,
}

/// What [`detect_script`] counted and concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ScriptDetection {
    /// The verdict.
    pub script: Script,
    /// Characters that exist only in Simplified Chinese.
    pub simplified_only: usize,
    /// Characters that exist only in Traditional Chinese.
    pub traditional_only: usize,
    /// Han characters (CJK unified and compatibility ideographs), shared ones
    /// included.
    pub han: usize,
}

/// Share of script-specific characters a script needs for a clear verdict:
/// with `s` Simplified-only and `t` Traditional-only characters, the text is
/// [`Script::Simplified`] if `s >= 0.9 × (s + t)`, [`Script::Traditional`]
/// if `t >= 0.9 × (s + t)`, [`Script::Mixed`] otherwise, and
/// [`Script::Neither`] if `s + t = 0`.
pub const SCRIPT_THRESHOLD: f64 = 0.9;

/// Counts the characters of `text` that exist only in Simplified or only in
/// Traditional Chinese, and decides (see [`SCRIPT_THRESHOLD`]).
///
/// The character sets come from OpenCC's character tables: a character is
/// Simplified-only if it is a key of `STCharacters` or a candidate of
/// `TSCharacters` but neither a key of `TSCharacters` nor a candidate of
/// `STCharacters` (`发`, `汉`), and Traditional-only the other way round
/// (`發`, `漢`). Characters in both (`干`, `后`, `的`) count for neither.
///
/// ```
/// use zhclean::convert::{detect_script, Script};
///
/// assert_eq!(detect_script("汉字简化").script, Script::Simplified);
/// assert_eq!(detect_script("漢字簡化").script, Script::Traditional);
/// assert_eq!(detect_script("hello").script, Script::Neither);
/// ```
pub fn detect_script(text: &str) -> ScriptDetection {
    let table = script_table();
    let (mut s, mut t, mut han) = (0, 0, 0);
    for c in text.chars() {
        let cp = c as u32;
        if cp < 0x2E80 {
            continue;
        }
        if is_han(cp) {
            han += 1;
        }
        if table.simplified_only.binary_search(&cp).is_ok() {
            s += 1;
        } else if table.traditional_only.binary_search(&cp).is_ok() {
            t += 1;
        }
    }
    let total = (s + t) as f64;
    let script = if s + t == 0 {
        Script::Neither
    } else if s as f64 >= SCRIPT_THRESHOLD * total {
        Script::Simplified
    } else if t as f64 >= SCRIPT_THRESHOLD * total {
        Script::Traditional
    } else {
        Script::Mixed
    };
    ScriptDetection {
        script,
        simplified_only: s,
        traditional_only: t,
        han,
    }
}

fn is_han(cp: u32) -> bool {
    matches!(cp,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x30000..=0x323AF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        let d = detect_script("发展與汉字 abc 的");
        assert_eq!((d.simplified_only, d.traditional_only, d.han), (2, 1, 6));
        assert_eq!(d.script, Script::Mixed);
        assert_eq!(detect_script("").script, Script::Neither);
        assert_eq!(detect_script("的的的").script, Script::Neither);
    }
}
