//! Python bindings of zhclean: the native module `zhclean._zhclean`, which
//! the `zhclean` package re-exports.
//!
//! The bindings own no cleaning logic: they turn keyword arguments into a
//! [`CleanerConfig`] (through its serde shape, so every stage option of the
//! Rust crate is reachable and validated by name), hold one
//! [`zhclean::Cleaner`], and convert records between Python and Rust. Batch
//! cleaning copies the records out, releases the GIL and cleans them on a
//! rayon pool of the process (all cores, or `RAYON_NUM_THREADS`).
#![forbid(unsafe_code)]

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use pyo3::exceptions::{PyOverflowError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple,
};
use rayon::prelude::*;
use serde_json::{Map, Value};
use zhclean::convert::{Config as ConvertConfig, Script};
use zhclean::report::{Report, Stage};
use zhclean::CleanerConfig;

/// The option groups of [`CleanerConfig`] that take per-option keyword
/// dictionaries, in pipeline order.
const STAGE_OPTION_GROUPS: [&str; 4] = ["decode", "repair", "normalize", "boilerplate"];

fn value_error(message: impl Into<String>) -> PyErr {
    PyValueError::new_err(message.into())
}

/// A Python value as JSON, for serde. Accepts what a config can hold: None,
/// bool, int, float, str, list/tuple and dict with str keys.
fn py_to_json(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Value> {
    if obj.is_none() {
        Ok(Value::Null)
    } else if let Ok(b) = obj.cast::<PyBool>() {
        Ok(Value::Bool(b.is_true()))
    } else if obj.cast::<PyInt>().is_ok() {
        if let Ok(u) = obj.extract::<u64>() {
            Ok(Value::from(u))
        } else {
            let i: i64 = obj
                .extract()
                .map_err(|_| value_error(format!("{what}: integer {obj} is out of range")))?;
            Ok(Value::from(i))
        }
    } else if let Ok(f) = obj.cast::<PyFloat>() {
        serde_json::Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| value_error(format!("{what}: {obj} is not a finite number")))
    } else if let Ok(s) = obj.cast::<PyString>() {
        Ok(Value::String(s.to_cow()?.into_owned()))
    } else if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
        obj.try_iter()?
            .map(|item| py_to_json(&item?, what))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array)
    } else if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in d.iter() {
            let key: String = k
                .extract()
                .map_err(|_| value_error(format!("{what}: option names are strings, got {k}")))?;
            let value = py_to_json(&v, &format!("{what}[{key:?}]"))?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    } else {
        Err(value_error(format!(
            "{what}: a value of type {} is not a valid option value",
            obj.get_type().name()?
        )))
    }
}

/// JSON (a serialized config) as Python objects.
fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => u.into_pyobject(py)?.into_any(),
            (None, Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, None, f) => f.unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, json_to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

fn default_config_json() -> Value {
    serde_json::to_value(CleanerConfig::default()).expect("the config serializes")
}

/// Applies the options in `given` to the option group `group` of `config`,
/// one by one, so that an unknown name or a value of the wrong type is
/// reported with the option it belongs to.
fn apply_group_options(
    config: &mut Value,
    group: &str,
    given: &Map<String, Value>,
) -> PyResult<()> {
    let defaults = default_config_json();
    let known = defaults[group]
        .as_object()
        .expect("stage options are a map");
    for (name, value) in given {
        if !known.contains_key(name) {
            let names: Vec<&str> = known.keys().map(String::as_str).collect();
            return Err(value_error(format!(
                "unknown {group} option {name:?}; the {group} options are: {}",
                names.join(", ")
            )));
        }
        // Check this option alone against the default group, so the error
        // names it.
        let mut probe = known.clone();
        probe.insert(name.clone(), value.clone());
        check_group(group, Value::Object(probe))
            .map_err(|e| value_error(format!("{group} option {name:?}: {e}")))?;
        config[group][name] = value.clone();
    }
    Ok(())
}

fn check_group(group: &str, value: Value) -> Result<(), serde_json::Error> {
    use zhclean::boilerplate::StripConfig;
    use zhclean::decode::DecodeConfig;
    use zhclean::normalize::NormalizeConfig;
    use zhclean::repair::RepairConfig;
    match group {
        "decode" => serde_json::from_value::<DecodeConfig>(value).map(drop),
        "repair" => serde_json::from_value::<RepairConfig>(value).map(drop),
        "normalize" => serde_json::from_value::<NormalizeConfig>(value).map(drop),
        "boilerplate" => serde_json::from_value::<StripConfig>(value).map(drop),
        _ => unreachable!("not an option group: {group}"),
    }
}

fn build_cleaner(config: Value) -> PyResult<zhclean::Cleaner> {
    let config: CleanerConfig =
        serde_json::from_value(config).map_err(|e| value_error(format!("invalid config: {e}")))?;
    zhclean::Cleaner::from_config(config).map_err(|e| value_error(e.to_string()))
}

fn parse_stages(stages: &Bound<'_, PyAny>) -> PyResult<Vec<Stage>> {
    if stages.cast::<PyString>().is_ok() {
        return Err(PyTypeError::new_err(
            "stages is a list of stage names, e.g. [\"repair\", \"normalize\"], not a string",
        ));
    }
    let mut out = Vec::new();
    for item in stages.try_iter()? {
        let item = item?;
        let name: String = item
            .extract()
            .map_err(|_| PyTypeError::new_err(format!("a stage name is a str, got {item}")))?;
        let stage = Stage::from_name(name.trim()).ok_or_else(|| {
            let names: Vec<&str> = Stage::ALL.iter().map(|s| s.name()).collect();
            value_error(format!(
                "unknown stage {name:?}; the stages are: {}",
                names.join(", ")
            ))
        })?;
        out.push(stage);
    }
    Ok(out)
}

fn parse_convert_config(name: &str) -> PyResult<ConvertConfig> {
    ConvertConfig::from_name(name).map_err(|_| {
        let names: Vec<&str> = ConvertConfig::ALL.iter().map(|c| c.name()).collect();
        value_error(format!(
            "unknown conversion config {name:?}; the configs are: {}",
            names.join(", ")
        ))
    })
}

/// The thread pool of this process, started on first use (all cores, or
/// `RAYON_NUM_THREADS`). A process forked after the pool started (Python's
/// `multiprocessing` with the fork start method) has none of its threads,
/// so it starts its own instead of waiting forever on the parent's.
fn pool() -> PyResult<Arc<rayon::ThreadPool>> {
    static POOL: Mutex<Option<(u32, Arc<rayon::ThreadPool>)>> = Mutex::new(None);
    let mut slot = POOL.lock().unwrap_or_else(|e| e.into_inner());
    let pid = std::process::id();
    match &*slot {
        Some((owner, pool)) if *owner == pid => Ok(Arc::clone(pool)),
        _ => {
            let pool = rayon::ThreadPoolBuilder::new()
                .thread_name(|i| format!("zhclean-{i}"))
                .build()
                .map(Arc::new)
                .map_err(|e| PyRuntimeError::new_err(format!("cannot start threads: {e}")))?;
            *slot = Some((pid, Arc::clone(&pool)));
            Ok(pool)
        }
    }
}

/// A record as taken from Python: text, bytes to decode, or None.
enum Record {
    /// The text, and whether it is exactly the Python str (see
    /// [`py_str_text`]).
    Text(String, bool),
    Bytes(Vec<u8>),
    Null,
}

/// Text of a Python str, and whether it is exactly the str: a str that is
/// not valid Unicode (lone surrogates) gets U+FFFD for each bad code unit
/// instead of failing.
fn py_str_text<'a>(s: &'a Bound<'_, PyString>) -> (Cow<'a, str>, bool) {
    match s.to_cow() {
        Ok(t) => (t, true),
        Err(_) => (s.to_string_lossy(), false),
    }
}

fn record_of(obj: &Bound<'_, PyAny>, index: usize) -> PyResult<Record> {
    if let Ok(s) = obj.cast::<PyString>() {
        let (text, exact) = py_str_text(s);
        Ok(Record::Text(text.into_owned(), exact))
    } else if let Ok(b) = obj.cast::<PyBytes>() {
        Ok(Record::Bytes(b.as_bytes().to_vec()))
    } else if obj.is_none() {
        Ok(Record::Null)
    } else if let Ok(b) = obj.cast::<PyByteArray>() {
        Ok(Record::Bytes(b.to_vec()))
    } else {
        Err(PyTypeError::new_err(format!(
            "record {index}: expected str, bytes or None, got {}",
            obj.get_type().name()?
        )))
    }
}

/// What cleaning one record gave: `Same` when the output equals the input
/// text (the caller returns the input object itself).
enum Cleaned {
    Same,
    New(String),
    Null,
}

fn clean_record(cleaner: &zhclean::Cleaner, record: &Record) -> Cleaned {
    match record {
        Record::Text(t, exact) => match cleaner.clean(t) {
            Cow::Borrowed(_) if *exact => Cleaned::Same,
            out => Cleaned::New(out.into_owned()),
        },
        Record::Bytes(b) => Cleaned::New(cleaner.clean_bytes(b).into_owned()),
        Record::Null => Cleaned::Null,
    }
}

/// One report record as a dict: the keys a change and a flag share.
fn record_dict<'py>(
    py: Python<'py>,
    kind: &str,
    stage: Stage,
    rule: &str,
    span: zhclean::Span,
    detail: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("type", kind)?;
    d.set_item("stage", stage.name())?;
    d.set_item("rule", rule)?;
    d.set_item("start", span.start)?;
    d.set_item("end", span.end)?;
    d.set_item("detail", detail)?;
    Ok(d)
}

fn report_to_py<'py>(py: Python<'py>, report: &Report) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for c in &report.changes {
        let d = record_dict(py, "change", c.stage, &c.rule, c.span, c.detail.as_deref())?;
        d.set_item("before", &c.before)?;
        d.set_item("after", &c.after)?;
        d.set_item("line", c.line)?;
        out.append(d)?;
    }
    for f in &report.flags {
        let d = record_dict(py, "flag", f.stage, &f.kind, f.span, f.detail.as_deref())?;
        out.append(d)?;
    }
    Ok(out)
}

/// A string array in Arrow's layout, borrowed from its buffers and checked.
struct ArrowStrings<'a> {
    /// The `length + 1` offsets of the slice, into `data`.
    offsets: Vec<usize>,
    data: &'a [u8],
    /// The validity bitmap and the bit of the slice's first value.
    validity: Option<(&'a [u8], usize)>,
    large: bool,
}

/// A cleaned string array: its validity and offsets buffers, and the values
/// that make up its data buffer (written by [`ArrowStrings::write_data`]
/// straight into the Python bytes object, without an intermediate buffer).
struct ArrowOut {
    validity: Option<Vec<u8>>,
    offsets: Vec<u8>,
    values: Vec<Cleaned>,
    data_len: usize,
}

impl<'a> ArrowStrings<'a> {
    fn new(
        length: usize,
        offset: usize,
        offsets: &[u8],
        data: &'a [u8],
        validity: Option<&'a [u8]>,
        large: bool,
    ) -> PyResult<ArrowStrings<'a>> {
        let width = if large { 8 } else { 4 };
        let bad = |what: &str| value_error(format!("not a valid Arrow string array: {what}"));
        let end = offset
            .checked_add(length)
            .and_then(|n| n.checked_add(1))
            .ok_or_else(|| bad("length"))?;
        if offsets.len() < end.saturating_mul(width) {
            return Err(bad("offsets buffer too short"));
        }
        let offsets: Vec<usize> = offsets[offset * width..end * width]
            .chunks_exact(width)
            .map(|b| {
                let v = if large {
                    i64::from_le_bytes(b.try_into().expect("8 bytes"))
                } else {
                    i64::from(i32::from_le_bytes(b.try_into().expect("4 bytes")))
                };
                usize::try_from(v).ok().filter(|&v| v <= data.len())
            })
            .collect::<Option<_>>()
            .ok_or_else(|| bad("offset out of range"))?;
        if offsets.windows(2).any(|w| w[0] > w[1]) {
            return Err(bad("decreasing offsets"));
        }
        if let Some(v) = validity {
            if v.len() * 8 < offset + length {
                return Err(bad("validity bitmap too short"));
            }
        }
        Ok(ArrowStrings {
            offsets,
            data,
            validity: validity.map(|v| (v, offset)),
            large,
        })
    }

    /// The bytes of value `i`.
    fn raw(&self, i: usize) -> &'a [u8] {
        &self.data[self.offsets[i]..self.offsets[i + 1]]
    }

    fn is_valid(&self, i: usize) -> bool {
        self.validity
            .is_none_or(|(bits, start)| bits[(start + i) / 8] >> ((start + i) % 8) & 1 == 1)
    }

    fn clean(&self, cleaner: &zhclean::Cleaner) -> PyResult<ArrowOut> {
        let n = self.offsets.len() - 1;
        let cleaned: Vec<Cleaned> = (0..n)
            .into_par_iter()
            .map(|i| {
                if !self.is_valid(i) {
                    return Cleaned::Null;
                }
                let raw = self.raw(i);
                match simdutf8::basic::from_utf8(raw) {
                    Ok(text) => match cleaner.clean(text) {
                        Cow::Borrowed(_) => Cleaned::Same,
                        Cow::Owned(s) => Cleaned::New(s),
                    },
                    // Not UTF-8 (a producer that broke the string type's
                    // promise): decoded like bytes.
                    Err(_) => Cleaned::New(cleaner.clean_bytes(raw).into_owned()),
                }
            })
            .collect();
        let width = if self.large { 8 } else { 4 };
        let mut out = ArrowOut {
            validity: self.validity.map(|_| vec![0u8; n.div_ceil(8)]),
            offsets: Vec::with_capacity((n + 1) * width),
            values: Vec::new(),
            data_len: 0,
        };
        let push_offset = |offsets: &mut Vec<u8>, at: usize| -> PyResult<()> {
            if self.large {
                offsets.extend_from_slice(&(at as i64).to_le_bytes());
            } else {
                let at = i32::try_from(at).map_err(|_| {
                    PyOverflowError::new_err("the cleaned values do not fit a string array")
                })?;
                offsets.extend_from_slice(&at.to_le_bytes());
            }
            Ok(())
        };
        push_offset(&mut out.offsets, 0)?;
        for (i, c) in cleaned.iter().enumerate() {
            out.data_len += match c {
                Cleaned::Same => self.raw(i).len(),
                Cleaned::New(s) => s.len(),
                Cleaned::Null => 0,
            };
            if let (Some(bits), false) = (&mut out.validity, matches!(c, Cleaned::Null)) {
                bits[i / 8] |= 1 << (i % 8);
            }
            push_offset(&mut out.offsets, out.data_len)?;
        }
        out.values = cleaned;
        Ok(out)
    }

    /// Writes the data buffer of `out` (as [`ArrowStrings::clean`] gave it)
    /// into `buf`, which is `out.data_len` bytes long.
    fn write_data(&self, out: &ArrowOut, buf: &mut [u8]) {
        let mut at = 0;
        for (i, c) in out.values.iter().enumerate() {
            let bytes = match c {
                Cleaned::Same => self.raw(i),
                Cleaned::New(s) => s.as_bytes(),
                Cleaned::Null => continue,
            };
            buf[at..at + bytes.len()].copy_from_slice(bytes);
            at += bytes.len();
        }
    }
}

/// A configured cleaning pipeline: decode → repair → normalize →
/// boilerplate → convert.
///
/// Build it once and reuse it (building compiles tables and validates the
/// options); it is immutable, thread-safe, and pickles by its configuration,
/// so Ray, Spark or multiprocessing can ship it to workers.
///
/// Args:
///     stages: the stages to run, by name (default: decode, repair,
///         normalize, boilerplate; order does not matter).
///     convert: an OpenCC config name such as "s2t" or "s2twp"; switches
///         the convert stage on.
///     decode, repair, normalize, boilerplate: a dict of that stage's
///         options, e.g. ``normalize={"nfc": False}``; ``boilerplate`` also
///         takes the preset names "conservative" (default) and "strict".
///
/// Raises:
///     ValueError: an unknown stage, conversion config or option name, or an
///         option value of the wrong type or out of range.
#[pyclass(module = "zhclean", frozen)]
struct Cleaner {
    inner: zhclean::Cleaner,
}

#[pymethods]
impl Cleaner {
    #[new]
    #[pyo3(signature = (stages=None, convert=None, *, decode=None, repair=None, normalize=None, boilerplate=None))]
    fn new(
        stages: Option<&Bound<'_, PyAny>>,
        convert: Option<&str>,
        decode: Option<&Bound<'_, PyAny>>,
        repair: Option<&Bound<'_, PyAny>>,
        normalize: Option<&Bound<'_, PyAny>>,
        boilerplate: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Cleaner> {
        let mut config = default_config_json();
        if let Some(stages) = stages {
            let stages = parse_stages(stages)?;
            config["stages"] = serde_json::to_value(stages).expect("stages serialize");
        }
        if let Some(name) = convert {
            let c = parse_convert_config(name)?;
            config["convert"] = serde_json::to_value(c).expect("configs serialize");
            let list = config["stages"].as_array_mut().expect("stages are a list");
            if !list.iter().any(|s| s == "convert") {
                list.push(Value::from("convert"));
            }
        }
        let groups = [decode, repair, normalize, boilerplate];
        for (group, given) in STAGE_OPTION_GROUPS.iter().zip(groups) {
            let Some(given) = given else { continue };
            if *group == "boilerplate" {
                if let Ok(preset) = given.cast::<PyString>() {
                    let preset = match preset.to_cow()?.as_ref() {
                        "conservative" => zhclean::boilerplate::StripConfig::conservative(),
                        "strict" => zhclean::boilerplate::StripConfig::strict(),
                        other => {
                            return Err(value_error(format!(
                            "unknown boilerplate preset {other:?}; the presets are: conservative, strict"
                        )))
                        }
                    };
                    config["boilerplate"] =
                        serde_json::to_value(preset).expect("the config serializes");
                    continue;
                }
            }
            let Ok(dict) = given.cast::<PyDict>() else {
                return Err(PyTypeError::new_err(format!(
                    "{group} takes a dict of options, e.g. {group}={{...}}"
                )));
            };
            let Value::Object(map) = py_to_json(dict.as_any(), group)? else {
                unreachable!("a dict is an object")
            };
            apply_group_options(&mut config, group, &map)?;
        }
        Ok(Cleaner {
            inner: build_cleaner(config)?,
        })
    }

    /// Builds a cleaner from a configuration dict as returned by
    /// :attr:`Cleaner.config` (missing keys take their defaults).
    #[classmethod]
    fn from_config(
        _cls: &Bound<'_, pyo3::types::PyType>,
        config: &Bound<'_, PyDict>,
    ) -> PyResult<Cleaner> {
        let Value::Object(given) = py_to_json(config.as_any(), "config")? else {
            unreachable!("a dict is an object")
        };
        let mut merged = default_config_json();
        for (key, value) in given {
            if merged.get(&key).is_none() {
                return Err(value_error(format!("unknown config key {key:?}")));
            }
            if let (Some(group), Value::Object(map)) =
                (STAGE_OPTION_GROUPS.iter().find(|g| **g == key), &value)
            {
                apply_group_options(&mut merged, group, map)?;
            } else {
                merged[&key] = value;
            }
        }
        Ok(Cleaner {
            inner: build_cleaner(merged)?,
        })
    }

    /// The complete configuration (stages and every stage's options) as a
    /// dict; ``Cleaner.from_config(c.config)`` builds an equal cleaner.
    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = serde_json::to_value(self.inner.config()).expect("the config serializes");
        json_to_py(py, &value)
    }

    /// The enabled stages, in pipeline order.
    #[getter]
    fn stages(&self) -> Vec<&'static str> {
        self.inner
            .config()
            .stages
            .iter()
            .map(|s| s.name())
            .collect()
    }

    /// Cleans one record and returns the clean text.
    ///
    /// A str is cleaned as text (the decode stage does not apply); bytes are
    /// decoded first (BOM, UTF-8, or a detected legacy encoding such as GBK
    /// or Big5). Text that needs nothing is returned as the same object.
    ///
    /// Raises:
    ///     TypeError: for anything but str and bytes (including None).
    fn clean<'py>(&self, py: Python<'py>, text: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        match record_of(text, 0) {
            Ok(Record::Null) | Err(_) => Err(PyTypeError::new_err(format!(
                "clean() takes str or bytes, got {} (clean_batch passes None through)",
                text.get_type().name()?
            ))),
            Ok(record) => {
                let inner = &self.inner;
                let out = py.detach(|| clean_record(inner, &record));
                Ok(match out {
                    Cleaned::Same => text.clone(),
                    Cleaned::New(s) => PyString::new(py, &s).into_any(),
                    Cleaned::Null => unreachable!("None is rejected above"),
                })
            }
        }
    }

    /// Cleans one record and says what changed.
    ///
    /// Returns ``(text, records)``: each record is a dict with ``type``
    /// ("change" or "flag"), ``stage``, ``rule`` (for a flag, its kind, e.g.
    /// "fffd-run"), ``start`` and ``end`` (a UTF-8 byte span in the text
    /// that entered that stage), and for changes ``before``, ``after`` and
    /// ``line``; ``detail`` when the stage gives one.
    ///
    /// Raises:
    ///     TypeError: for anything but str and bytes (including None).
    fn clean_with_report<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyList>)> {
        let record = match record_of(text, 0) {
            Ok(Record::Null) | Err(_) => {
                return Err(PyTypeError::new_err(format!(
                    "clean_with_report() takes str or bytes, got {}",
                    text.get_type().name()?
                )))
            }
            Ok(r) => r,
        };
        let inner = &self.inner;
        let (out, report) = py.detach(|| match &record {
            Record::Text(t, _) => {
                let (s, r) = inner.clean_with_report(t);
                (s.into_owned(), r)
            }
            Record::Bytes(b) => {
                let (s, r) = inner.clean_bytes_with_report(b);
                (s.into_owned(), r)
            }
            Record::Null => unreachable!("None is rejected above"),
        });
        Ok((
            PyString::new(py, &out).into_any(),
            report_to_py(py, &report)?,
        ))
    }

    /// Cleans many records on all cores, with the GIL released, and returns
    /// the clean texts in order.
    ///
    /// Each record is a str (cleaned as text), bytes (decoded, then
    /// cleaned) or None (passed through as None, as a null in a dataframe
    /// column stays null). Any iterable works: a list, a tuple, a NumPy
    /// object array, a pandas Series.
    ///
    /// Raises:
    ///     TypeError: a record of another type (the message gives its
    ///         index); nothing is cleaned then.
    fn clean_batch<'py>(
        &self,
        py: Python<'py>,
        records: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let objects: Vec<Bound<'py, PyAny>> = records.try_iter()?.collect::<PyResult<Vec<_>>>()?;
        let inputs = objects
            .iter()
            .enumerate()
            .map(|(i, o)| record_of(o, i))
            .collect::<PyResult<Vec<Record>>>()?;
        let inner = &self.inner;
        let pool = pool()?;
        let cleaned: Vec<Cleaned> = py.detach(|| {
            pool.install(|| inputs.par_iter().map(|r| clean_record(inner, r)).collect())
        });
        let out = PyList::empty(py);
        for (obj, c) in objects.iter().zip(cleaned) {
            match c {
                Cleaned::Same => out.append(obj)?,
                Cleaned::New(s) => out.append(PyString::new(py, &s))?,
                Cleaned::Null => out.append(py.None())?,
            }
        }
        Ok(out)
    }

    /// Cleans the values of an Arrow string array, given as its buffers:
    /// the fast path of `zhclean.arrow` (use that module), which makes no
    /// Python str for any value.
    ///
    /// `offsets`, `data` and `validity` are the array's buffers (as Arrow
    /// lays them out, little-endian), `offset` and `length` its slice;
    /// `large` says the offsets are 64-bit. Returns the new validity bitmap
    /// (None when the input had none), offsets and data, for `length`
    /// values starting at 0. Nulls stay null.
    ///
    /// Raises:
    ///     ValueError: buffers that do not describe a string array.
    ///     OverflowError: the cleaned values do not fit 32-bit offsets.
    #[pyo3(signature = (length, offset, offsets, data, validity=None, large=false))]
    #[allow(clippy::too_many_arguments, clippy::type_complexity)]
    fn _clean_arrow_string<'py>(
        &self,
        py: Python<'py>,
        length: usize,
        offset: usize,
        offsets: &Bound<'py, PyBytes>,
        data: &Bound<'py, PyBytes>,
        validity: Option<&Bound<'py, PyBytes>>,
        large: bool,
    ) -> PyResult<(
        Option<Bound<'py, PyBytes>>,
        Bound<'py, PyBytes>,
        Bound<'py, PyBytes>,
    )> {
        let input = ArrowStrings::new(
            length,
            offset,
            offsets.as_bytes(),
            data.as_bytes(),
            validity.map(|v| v.as_bytes()),
            large,
        )?;
        let inner = &self.inner;
        let pool = pool()?;
        let out = py.detach(|| pool.install(|| input.clean(inner)))?;
        Ok((
            out.validity.as_ref().map(|v| PyBytes::new(py, v)),
            PyBytes::new(py, &out.offsets),
            PyBytes::new_with(py, out.data_len, |buf| {
                py.detach(|| input.write_data(&out, buf));
                Ok(())
            })?,
        ))
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyAny>,))> {
        let py = slf.py();
        let from_config = slf.get_type().getattr("from_config")?;
        Ok((from_config, (slf.get().config(py)?,)))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        match other.cast::<Cleaner>() {
            Ok(o) => o.get().inner.config() == self.inner.config(),
            Err(_) => false,
        }
    }

    fn __repr__(&self) -> String {
        let c = self.inner.config();
        let stages: Vec<String> = c.stages.iter().map(|s| format!("{:?}", s.name())).collect();
        match c.convert {
            Some(cfg) => format!(
                "Cleaner(stages=[{}], convert={:?})",
                stages.join(", "),
                cfg.name()
            ),
            None => format!("Cleaner(stages=[{}])", stages.join(", ")),
        }
    }
}

/// Converts the script of ``text`` exactly as OpenCC 1.4.2 does with the
/// named config (e.g. "s2t", "t2s", "s2twp", "tw2sp", "s2hk").
///
/// Raises:
///     ValueError: an unknown config name.
#[pyfunction]
fn convert<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyString>,
    config: &str,
) -> PyResult<Bound<'py, PyString>> {
    let cfg = parse_convert_config(config)?;
    let (t, exact) = py_str_text(text);
    let out = py.detach(|| match zhclean::convert::convert(&t, cfg) {
        Cow::Borrowed(_) if exact => None,
        out => Some(out.into_owned()),
    });
    Ok(match out {
        None => text.clone(),
        Some(s) => PyString::new(py, &s),
    })
}

/// Repairs mojibake (UTF-8 read as GBK, Big5, Shift_JIS, windows-1252 …)
/// and converter artifacts with the default options; text that needs no
/// repair comes back unchanged.
#[pyfunction]
fn repair<'py>(py: Python<'py>, text: &Bound<'py, PyString>) -> Bound<'py, PyString> {
    let (t, exact) = py_str_text(text);
    let out = py.detach(|| match zhclean::repair::repair(&t) {
        Cow::Borrowed(_) if exact => None,
        out => Some(out.into_owned()),
    });
    match out {
        None => text.clone(),
        Some(s) => PyString::new(py, &s),
    }
}

fn script_name(s: Script) -> &'static str {
    match s {
        Script::Simplified => "simplified",
        Script::Traditional => "traditional",
        Script::Mixed => "mixed",
        _ => "neither",
    }
}

/// Which Chinese script ``text`` is written in: "simplified",
/// "traditional", "mixed" or "neither" (no character that tells them
/// apart). With ``counts=True``, a dict with the verdict under "script" and
/// the counts "simplified_only", "traditional_only" and "han".
#[pyfunction]
#[pyo3(signature = (text, counts=false))]
fn detect_script<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyString>,
    counts: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let d = zhclean::convert::detect_script(&py_str_text(text).0);
    if !counts {
        return Ok(PyString::new(py, script_name(d.script)).into_any());
    }
    let out = PyDict::new(py);
    out.set_item("script", script_name(d.script))?;
    out.set_item("simplified_only", d.simplified_only)?;
    out.set_item("traditional_only", d.traditional_only)?;
    out.set_item("han", d.han)?;
    Ok(out.into_any())
}

/// The native part of the `zhclean` package.
#[pymodule]
fn _zhclean(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Cleaner>()?;
    m.add_function(wrap_pyfunction!(convert, m)?)?;
    m.add_function(wrap_pyfunction!(repair, m)?)?;
    m.add_function(wrap_pyfunction!(detect_script, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    let stages: Vec<&str> = Stage::ALL.iter().map(|s| s.name()).collect();
    m.add("STAGES", PyTuple::new(m.py(), stages)?)?;
    let configs: Vec<&str> = ConvertConfig::ALL.iter().map(|c| c.name()).collect();
    m.add("CONVERT_CONFIGS", PyTuple::new(m.py(), configs)?)?;
    Ok(())
}
