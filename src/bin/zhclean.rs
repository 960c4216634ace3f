//! The `zhclean` command-line program (feature `cli`).
//!
//! Bytes in (so legacy-encoded files work), UTF-8 out. Exit status: 0 on
//! success, 1 on an I/O error, 2 on a usage error.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};
use rayon::prelude::*;

use std::sync::Arc;

use zhclean::boilerplate::{RepeatedLines, StripConfig};
use zhclean::convert::{detect_script, Config as ConvertConfig};
use zhclean::decode::DecodeConfig;
use zhclean::jsonl::{self, Status};
use zhclean::{Cleaner, CleanerBuilder, Report, Stage};

#[derive(Parser)]
#[command(name = "zhclean", version, about = "Clean Chinese web text", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole pipeline over files or stdin.
    Clean(TextArgs),
    /// Decode and normalize only (Unicode, width, punctuation, whitespace, controls).
    Normalize(TextArgs),
    /// Decode and repair mojibake and converter artifacts only.
    Repair(TextArgs),
    /// Decode and strip page boilerplate and spam only.
    Strip(TextArgs),
    /// Convert between Simplified and Traditional Chinese (OpenCC 1.4.2-exact).
    Convert(ConvertArgs),
    /// Tell Simplified from Traditional: one line per input (file, verdict, counts).
    Detect(DetectArgs),
    /// Clean one string field of every JSON object in a JSON Lines stream, on all cores.
    Jsonl(JsonlArgs),
}

#[derive(Args)]
struct Common {
    /// Comma-separated stages to run (decode, repair, normalize, boilerplate, convert).
    #[arg(long, value_name = "LIST")]
    stages: Option<String>,
    /// Force the input encoding (a WHATWG label such as gbk, big5, shift_jis, utf-16le) instead of detecting it.
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,
    /// Write the output here instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also convert the script with this OpenCC config (s2t, t2s, s2twp, …).
    #[arg(long, value_name = "CFG")]
    convert: Option<String>,
    /// Use the strict preset of the boilerplate stage (removes more).
    #[arg(long)]
    strict: bool,
}

#[derive(Args)]
struct ConvertArgs {
    /// Input files; stdin when none (or `-`).
    files: Vec<PathBuf>,
    /// The OpenCC config: s2t, t2s, s2tw, tw2s, s2hk, hk2s, s2twp, tw2sp, t2tw, hk2t, t2hk, t2jp, jp2t, tw2t, s2hkp, hk2sp (a `.json` suffix is accepted).
    #[arg(short, long, value_name = "CFG")]
    config: String,
    /// Force the input encoding instead of detecting it.
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,
    /// Write the output here instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct DetectArgs {
    /// Input files; stdin when none (or `-`).
    files: Vec<PathBuf>,
}

#[derive(Args)]
struct TextArgs {
    /// Input files; stdin when none (or `-`).
    files: Vec<PathBuf>,
    #[command(flatten)]
    common: Common,
    /// Write the report of every change and flag as JSON lines to stderr.
    #[arg(long)]
    explain: bool,
    /// Write the report as JSON lines to this file (implies --explain).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

#[derive(Args)]
struct JsonlArgs {
    /// Input files; stdin when none (or `-`).
    files: Vec<PathBuf>,
    #[command(flatten)]
    common: Common,
    /// The field to clean.
    #[arg(long, default_value = "text")]
    field: String,
    /// Add a "zhclean" key with the report to every cleaned record.
    #[arg(long)]
    report: bool,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    jobs: Option<usize>,
    /// Records per parallel batch; memory is bounded by this window.
    #[arg(long, default_value_t = 4096, value_name = "N")]
    window: usize,
    /// Corpus mode: first read the inputs once and remove, as boilerplate,
    /// lines found in at least N records (site templates). Needs files, not stdin.
    #[arg(long, value_name = "N")]
    repeated_lines: Option<u32>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Clean(a) => run_text(a, None),
        Command::Normalize(a) => run_text(a, Some(&[Stage::Decode, Stage::Normalize])),
        Command::Repair(a) => run_text(a, Some(&[Stage::Decode, Stage::Repair])),
        Command::Strip(a) => run_text(a, Some(&[Stage::Decode, Stage::Boilerplate])),
        Command::Convert(a) => run_convert(a),
        Command::Detect(a) => run_detect(a),
        Command::Jsonl(a) => run_jsonl(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(msg)) => {
            eprintln!("zhclean: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Io(msg, e)) => {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("zhclean: {msg}: {e}");
            ExitCode::from(1)
        }
    }
}

enum Failure {
    Usage(String),
    Io(String, io::Error),
}

fn io_err(what: impl std::fmt::Display) -> impl FnOnce(io::Error) -> Failure {
    move |e| Failure::Io(what.to_string(), e)
}

fn usage(e: zhclean::Error) -> Failure {
    Failure::Usage(e.to_string())
}

fn builder(common: &Common, fixed: Option<&[Stage]>) -> Result<CleanerBuilder, Failure> {
    let mut b: CleanerBuilder = Cleaner::builder();
    if let Some(stages) = fixed {
        b = b.stages(stages);
    }
    if let Some(list) = &common.stages {
        b = b.stage_names(list).map_err(usage)?;
    }
    if let Some(label) = &common.encoding {
        b = b.decode_config(DecodeConfig::default().with_encoding(label.clone()));
    }
    if common.strict {
        b = b.boilerplate_config(StripConfig::strict());
    }
    if let Some(name) = &common.convert {
        b = b.convert(ConvertConfig::from_name(name).map_err(usage)?);
    }
    Ok(b)
}

fn build_cleaner(common: &Common, fixed: Option<&[Stage]>) -> Result<Cleaner, Failure> {
    builder(common, fixed)?.build().map_err(usage)
}

fn run_convert(args: ConvertArgs) -> Result<(), Failure> {
    let mut b = Cleaner::builder()
        .stages(&[Stage::Decode])
        .convert(ConvertConfig::from_name(&args.config).map_err(usage)?);
    if let Some(label) = &args.encoding {
        b = b.decode_config(DecodeConfig::default().with_encoding(label.clone()));
    }
    let cleaner = b.build().map_err(usage)?;
    let mut out = open_output(&args.output)?;
    for input in inputs(&args.files) {
        let bytes = read_all(input)?;
        out.write_all(cleaner.clean_bytes(&bytes).as_bytes())
            .map_err(io_err("output"))?;
    }
    out.flush().map_err(io_err("output"))
}

fn run_detect(args: DetectArgs) -> Result<(), Failure> {
    let decoder = zhclean::decode::Decoder::default();
    let mut out = open_output(&None)?;
    for input in inputs(&args.files) {
        let bytes = read_all(input)?;
        let text = decoder.decode(&bytes).text;
        let d = detect_script(&text);
        writeln!(
            out,
            "{}\t{:?}\tsimplified_only={}\ttraditional_only={}\than={}",
            name_of(input),
            d.script,
            d.simplified_only,
            d.traditional_only,
            d.han
        )
        .map_err(io_err("output"))?;
    }
    out.flush().map_err(io_err("output"))
}

fn open_output(path: &Option<PathBuf>) -> Result<Box<dyn Write>, Failure> {
    Ok(match path {
        Some(p) => Box::new(BufWriter::new(
            File::create(p).map_err(io_err(p.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}

fn inputs(files: &[PathBuf]) -> Vec<Option<&Path>> {
    if files.is_empty() {
        return vec![None];
    }
    files
        .iter()
        .map(|f| (f.as_os_str() != "-").then_some(f.as_path()))
        .collect()
}

fn name_of(input: Option<&Path>) -> String {
    input.map_or_else(|| "-".to_string(), |p| p.display().to_string())
}

fn read_all(input: Option<&Path>) -> Result<Vec<u8>, Failure> {
    let mut buf = Vec::new();
    match input {
        Some(p) => {
            File::open(p)
                .and_then(|mut f| f.read_to_end(&mut buf))
                .map_err(io_err(p.display()))?;
        }
        None => {
            io::stdin()
                .lock()
                .read_to_end(&mut buf)
                .map_err(io_err("stdin"))?;
        }
    }
    Ok(buf)
}

fn run_text(args: TextArgs, fixed: Option<&[Stage]>) -> Result<(), Failure> {
    let cleaner = build_cleaner(&args.common, fixed)?;
    let mut out = open_output(&args.common.output)?;
    let explain = args.explain || args.report.is_some();
    let mut report_out: Option<Box<dyn Write>> = match (&args.report, explain) {
        (Some(p), _) => Some(Box::new(BufWriter::new(
            File::create(p).map_err(io_err(p.display()))?,
        ))),
        (None, true) => Some(Box::new(io::stderr().lock())),
        (None, false) => None,
    };
    for input in inputs(&args.files) {
        let bytes = read_all(input)?;
        if let Some(w) = report_out.as_mut() {
            let (text, report) = cleaner.clean_bytes_with_report(&bytes);
            out.write_all(text.as_bytes()).map_err(io_err("output"))?;
            write_report(w, &name_of(input), &report).map_err(io_err("report"))?;
        } else {
            let text = cleaner.clean_bytes(&bytes);
            out.write_all(text.as_bytes()).map_err(io_err("output"))?;
        }
    }
    out.flush().map_err(io_err("output"))?;
    if let Some(w) = report_out.as_mut() {
        w.flush().map_err(io_err("report"))?;
    }
    Ok(())
}

/// One JSON object per change or flag, each naming its file.
fn write_report(w: &mut dyn Write, file: &str, report: &Report) -> io::Result<()> {
    for c in &report.changes {
        let mut v = serde_json::to_value(c).map_err(io::Error::other)?;
        v["file"] = file.into();
        v["type"] = "change".into();
        writeln!(w, "{v}")?;
    }
    for f in &report.flags {
        let mut v = serde_json::to_value(f).map_err(io::Error::other)?;
        v["file"] = file.into();
        v["type"] = "flag".into();
        writeln!(w, "{v}")?;
    }
    Ok(())
}

#[derive(Default)]
struct Tally {
    records: u64,
    bytes: u64,
    status: BTreeMap<&'static str, u64>,
    rules: BTreeMap<String, u64>,
    warned: u64,
}

impl Tally {
    fn warn(&mut self, file: &str, line_no: u64, why: &str) {
        self.warned += 1;
        if self.warned <= 10 {
            eprintln!("zhclean: warning: {file}:{line_no}: {why}; passed through unchanged");
        } else if self.warned == 11 {
            eprintln!("zhclean: warning: more records passed through; see the summary");
        }
    }
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Changed => "changed",
        Status::Unchanged => "unchanged",
        Status::Blank => "blank",
        Status::NotJson => "not JSON",
        Status::MissingField => "missing field",
        Status::NotAString => "field not a string",
    }
}

fn run_jsonl(args: JsonlArgs) -> Result<(), Failure> {
    if args.window == 0 {
        return Err(Failure::Usage("--window must be positive".into()));
    }
    let mut b = builder(&args.common, None)?;
    if let Some(n) = args.repeated_lines {
        b = b.repeated_lines(Arc::new(count_repeated_lines(&args, n)?));
    }
    let cleaner = b.build().map_err(usage)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .map_err(|e| Failure::Usage(format!("cannot start {:?} threads: {e}", args.jobs)))?;
    let mut out = open_output(&args.common.output)?;
    let started = Instant::now();
    let mut tally = Tally::default();
    let total: u64 = args
        .files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let bar = if io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}",
            )
            .expect("a valid template"),
        );
        Some(bar)
    } else {
        None
    };
    for input in inputs(&args.files) {
        let name = name_of(input);
        let reader: Box<dyn BufRead> = match input {
            Some(p) => Box::new(BufReader::with_capacity(
                1 << 20,
                File::open(p).map_err(io_err(p.display()))?,
            )),
            None => Box::new(BufReader::with_capacity(1 << 20, io::stdin().lock())),
        };
        jsonl_stream(
            reader,
            &name,
            &args,
            &cleaner,
            &pool,
            &mut out,
            &mut tally,
            bar.as_ref(),
        )?;
    }
    out.flush().map_err(io_err("output"))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
    let mb = tally.bytes as f64 / 1e6;
    let statuses: Vec<String> = tally
        .status
        .iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect();
    let rules: Vec<String> = tally
        .rules
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    eprintln!(
        "zhclean jsonl: {} records ({}), {mb:.1} MB in {secs:.2} s ({:.1} MB/s); changes per rule: {}",
        tally.records,
        statuses.join(", "),
        mb / secs.max(1e-9),
        if rules.is_empty() { "none".to_string() } else { rules.join(", ") }
    );
    Ok(())
}

/// The first pass of corpus mode: in how many records each line occurs.
fn count_repeated_lines(args: &JsonlArgs, min_docs: u32) -> Result<RepeatedLines, Failure> {
    if args.files.is_empty() || args.files.iter().any(|f| f.as_os_str() == "-") {
        return Err(Failure::Usage(
            "--repeated-lines reads the input twice: give files, not stdin".into(),
        ));
    }
    let mut counts = RepeatedLines::new(min_docs, RepeatedLines::DEFAULT_CAPACITY);
    for path in &args.files {
        let file = File::open(path).map_err(io_err(path.display()))?;
        for line in BufReader::with_capacity(1 << 20, file).split(b'\n') {
            let line = line.map_err(io_err(path.display()))?;
            if let Some(text) = std::str::from_utf8(&line)
                .ok()
                .and_then(|l| jsonl::field_text(l, &args.field))
            {
                counts.add_document(&text);
            }
        }
    }
    if counts.dropped() > 0 {
        eprintln!(
            "zhclean: warning: corpus-mode table full; {} lines were not counted",
            counts.dropped()
        );
    }
    Ok(counts)
}

#[allow(clippy::too_many_arguments)]
fn jsonl_stream(
    mut reader: Box<dyn BufRead>,
    name: &str,
    args: &JsonlArgs,
    cleaner: &Cleaner,
    pool: &rayon::ThreadPool,
    out: &mut dyn Write,
    tally: &mut Tally,
    bar: Option<&indicatif::ProgressBar>,
) -> Result<(), Failure> {
    let mut line_no = 0u64;
    loop {
        // Read one window of raw lines (bytes: a line may not be UTF-8).
        let mut window: Vec<Vec<u8>> = Vec::with_capacity(args.window);
        for _ in 0..args.window {
            let mut buf = Vec::new();
            let n = reader.read_until(b'\n', &mut buf).map_err(io_err(name))?;
            if n == 0 {
                break;
            }
            window.push(buf);
        }
        if window.is_empty() {
            return Ok(());
        }
        let results: Vec<LineResult> = pool.install(|| {
            window
                .par_iter()
                .map(|raw| process_line(cleaner, raw, &args.field, args.report))
                .collect()
        });
        for (raw, (bytes, status, rules)) in window.iter().zip(results) {
            line_no += 1;
            tally.records += 1;
            tally.bytes += raw.len() as u64;
            *tally.status.entry(status_name(status)).or_default() += 1;
            for (rule, n) in rules {
                *tally.rules.entry(rule).or_default() += n;
            }
            if status.is_skipped() {
                tally.warn(name, line_no, status_name(status));
            }
            out.write_all(&bytes).map_err(io_err("output"))?;
        }
        if let Some(bar) = bar {
            bar.inc(window.iter().map(|l| l.len() as u64).sum());
        }
    }
}

/// The line to write out (with its line ending), what happened, and the
/// changes per rule.
type LineResult = (Vec<u8>, Status, Vec<(String, u64)>);

/// One raw line in, the line to write out (with its line ending), what
/// happened, and the changes per rule.
fn process_line(cleaner: &Cleaner, raw: &[u8], field: &str, with_report: bool) -> LineResult {
    let (body, ending) = split_ending(raw);
    // SIMD validation: std's costs about ten instructions per byte of CJK text.
    let Ok(line) = simdutf8::basic::from_utf8(body) else {
        return (raw.to_vec(), Status::NotJson, Vec::new());
    };
    let mut out = String::with_capacity(line.len() + 16);
    let mut rules: Vec<(String, u64)> = Vec::new();
    let status =
        jsonl::clean_record_counting(cleaner, line, field, with_report, &mut out, &mut |r| {
            for (_, rule, count) in r.change_counts() {
                match rules.iter_mut().find(|(k, _)| *k == rule) {
                    Some((_, n)) => *n += count,
                    None => rules.push((rule.to_string(), count)),
                }
            }
        });
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(ending);
    (bytes, status, rules)
}

fn split_ending(raw: &[u8]) -> (&[u8], &[u8]) {
    let mut body = raw.len();
    if raw[..body].ends_with(b"\n") {
        body -= 1;
        if raw[..body].ends_with(b"\r") {
            body -= 1;
        }
    }
    (&raw[..body], &raw[body..])
}
