"""Throughput of zhclean from Python against the CLI and a pure-Python baseline.

    python python/bench/bench.py [--mb 100] [--baseline-mb 10] [--skip-ray] [--cli target/release/zhclean]

Builds a JSONL corpus of about ``--mb`` MB from the project's corpus samples
(``../shared/eval/corpus``: PRC and Taiwan statutes) cut into documents of 8
to 40 lines, with damage added at fixed rates by a seeded generator: lines
of UTF-8 read as GBK (lossy, as in the wild) and as latin-1, half-width
commas, ``&nbsp;``, full-width digits and trailing spaces (1 %, 0.5 % and
5 % of the lines; ``--damage`` multiplies the rates), and breadcrumb,
share-widget and copyright/ICP lines around a third of the documents.

Every row does the same job on the ``text`` field: zhclean's default stages
plus ``s2t`` conversion; the baseline does what users run today in a Python
map step, ``ftfy.fix_encoding`` then OpenCC's ``s2t`` (the ``opencc`` wheel,
1.4.2), on the first ``--baseline-mb`` MB of the same records. MB are MB
(10^6 bytes) of UTF-8 text in the ``text`` field; times are best of
``--repeat`` runs (Ray: one run; its start-up is not timed). "MB per
CPU-second" divides by the CPU time of the process and its children (not
measured for Ray, whose workers are other processes): on a shared machine
it moves less with the load than wall-clock rates do.

Rows:
  cli            ``zhclean jsonl --convert s2t`` on the file, all cores
  clean_batch    ``Cleaner.clean_batch`` on texts in memory, 4,096 per call
                 (also with only repair + s2t, the baseline's job)
  arrow          ``zhclean.arrow.clean_column`` on pyarrow batches in memory
                 (also with only repair + s2t)
  python jsonl   JSONL file to JSONL file through ``json`` and clean_batch
  clean (1 core) ``Cleaner.clean`` one record at a time
  ray            Ray Data local, 2 tasks: read_json, map_batches, write_parquet
  baseline       ftfy + opencc, one record at a time, one core
  ray baseline   the baseline as the map step of the same Ray pipeline

The baseline and the repair + s2t row above run minutes apart, under
whatever load the machine has then, and a busy machine slows both per
CPU-second (caches shared with other processes). So the script also runs
the two (and ``clean_column`` with repair + s2t) in ``--pair-rounds``
alternating rounds on the same records (the baseline's first
``--baseline-mb`` MB) and prints the median of the per-round ratios after
the table, with the load average at start and end.
"""

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import zhclean

ROOT = Path(__file__).resolve().parents[2]
BATCH = 4096

BREADCRUMBS = ["您的位置：首页 > 新闻中心 > 正文", "当前位置：首页 > 法律法规 > 地方法规", "首頁 > 法規查詢 > 條文內容"]
FOOTERS = [
    "版权所有 © 2003-2024 某某法律网 粤ICP备12345678号",
    "分享到：微信 微博 QQ空间",
    "上一篇：关于修改部分地方性法规的决定",
    "責任編輯：王小明",
]


def gbk_mojibake(line: str) -> str:
    return line.encode("utf-8").decode("gbk", errors="replace")


def latin1_mojibake(line: str) -> str:
    return line.encode("utf-8").decode("latin-1")


def small_damage(line: str, rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return line.replace("，", ",", 2)
    if kind == 1:
        return line.replace("，", "&nbsp;", 1)
    if kind == 2:
        return line.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return line + "  "


def make_corpus(path: Path, mb: float, damage: float = 1.0, seed: int = 7) -> None:
    """Writes about ``mb`` MB of text as JSONL records {"id", "url", "text"}.

    Per line, at ``damage`` = 1: 1 % UTF-8 read as GBK, 0.5 % read as
    latin-1, 5 % small normalization damage; a third of the documents get a
    breadcrumb and two footer lines."""
    rng = random.Random(seed)
    lines = []
    for name in ("zh_hans.sample.txt", "zh_hant.sample.txt"):
        src = ROOT.parent / "shared" / "eval" / "corpus" / name
        lines += [l for l in src.read_text(encoding="utf-8").splitlines() if l.strip()]
    target = int(mb * 1e6)
    written, i, pos = 0, 0, 0
    with path.open("w", encoding="utf-8") as out:
        while written < target:
            n = rng.randint(8, 40)
            if pos + n > len(lines):
                pos = 0
            doc = []
            for line in lines[pos : pos + n]:
                r = rng.random() / damage
                if r < 0.01:
                    line = gbk_mojibake(line)
                elif r < 0.015:
                    line = latin1_mojibake(line)
                elif r < 0.065:
                    line = small_damage(line, rng)
                doc.append(line)
            pos += n
            if rng.random() < 0.33:
                doc = [rng.choice(BREADCRUMBS)] + doc + rng.sample(FOOTERS, 2)
            text = "\n".join(doc)
            out.write(json.dumps({"id": i, "url": f"https://example.com/{i}", "text": text}, ensure_ascii=False))
            out.write("\n")
            written += len(text.encode("utf-8"))
            i += 1


def load_texts(path: Path):
    with path.open(encoding="utf-8") as f:
        return [json.loads(l)["text"] for l in f]


def cpu_seconds() -> float:
    """CPU time of this process (all threads) and its finished children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def best_of(repeat: int, fn):
    """(wall seconds, CPU seconds) of the fastest of ``repeat`` runs."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        c, t = cpu_seconds(), time.perf_counter()
        fn()
        best = min(best, (time.perf_counter() - t, cpu_seconds() - c))
    return best


def alternating(rounds: int, jobs):
    """Runs the ``(fn, megabytes)`` jobs in turn, ``rounds`` times; returns,
    per job, the MB per CPU-second of every round."""
    out = [[] for _ in jobs]
    for _ in range(rounds):
        for rates, (fn, megabytes) in zip(out, jobs):
            c = cpu_seconds()
            fn()
            rates.append(megabytes / (cpu_seconds() - c))
    return out


def median(values):
    v = sorted(values)
    return (v[(len(v) - 1) // 2] + v[len(v) // 2]) / 2


def run_cli(cli: Path, path: Path, out: Path) -> None:
    with out.open("wb") as f:
        subprocess.run(
            [str(cli), "jsonl", "--field", "text", "--convert", "s2t", str(path)],
            stdout=f,
            stderr=subprocess.DEVNULL,
            check=True,
        )


def run_python_jsonl(cleaner, path: Path, out: Path) -> None:
    with path.open(encoding="utf-8") as f, out.open("w", encoding="utf-8") as w:
        while True:
            records = [json.loads(l) for _, l in zip(range(BATCH), f)]
            if not records:
                break
            for r, t in zip(records, cleaner.clean_batch([r["text"] for r in records])):
                r["text"] = t
                w.write(json.dumps(r, ensure_ascii=False))
                w.write("\n")


def baseline_fn():
    import ftfy
    import opencc

    converter = opencc.OpenCC("s2t")

    def clean(text):
        return converter.convert(ftfy.fix_encoding(text))

    return clean


class BaselineColumn:
    """The baseline as a Ray map_batches callable (pyarrow batches)."""

    def __init__(self):
        self.fn = None

    def __call__(self, batch):
        import pyarrow as pa

        if self.fn is None:
            self.fn = baseline_fn()
        i = batch.schema.get_field_index("text")
        out = [self.fn(t) for t in batch.column(i).to_pylist()]
        return batch.set_column(i, "text", pa.array(out, type=pa.string()))


def run_ray(path: Path, out: Path, fn, workers: int) -> float:
    import ray

    ds = ray.data.read_json(str(path), lines=True, override_num_blocks=workers * 4)
    t = time.perf_counter()
    ds.map_batches(
        fn, batch_format="pyarrow", batch_size=BATCH, compute=ray.data.TaskPoolStrategy(size=workers)
    ).write_parquet(str(out))
    return time.perf_counter() - t


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mb", type=float, default=100.0, help="corpus size (MB of text)")
    p.add_argument("--baseline-mb", type=float, default=10.0, help="share of it the baseline runs on")
    p.add_argument("--damage", type=float, default=1.0, help="multiplies the damage rates (see make_corpus)")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--cli", type=Path, default=ROOT / "target" / "release" / "zhclean")
    p.add_argument("--skip-ray", action="store_true")
    p.add_argument("--workers", type=int, default=2, help="Ray tasks")
    p.add_argument("--pair-rounds", type=int, default=5, help="alternating baseline / repair + s2t rounds (0: none)")
    p.add_argument("--workdir", type=Path, default=None, help="keep the corpus here (reused if present)")
    args = p.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="zhclean-bench-"))
    work = args.workdir or tmp
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / f"corpus-{args.mb:g}mb-damage{args.damage:g}.jsonl"
    load_at_start = os.getloadavg()
    try:
        if not corpus.exists():
            t = time.perf_counter()
            make_corpus(corpus, args.mb, args.damage)
            print(f"corpus: {corpus} built in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        texts = load_texts(corpus)
        n = len(texts)
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        cleaner = zhclean.Cleaner(convert="s2t")
        rows = []

        def row(name, timing, records, megabytes, note=""):
            secs, cpu = timing if isinstance(timing, tuple) else (timing, None)
            per_cpu = megabytes / cpu if cpu else None
            rows.append((name, records / secs, megabytes / secs, per_cpu, note))
            print(f"{name}: {records / secs:,.0f} records/s, {megabytes / secs:.1f} MB/s", file=sys.stderr)

        if args.cli.exists():
            row("`zhclean jsonl` CLI, all cores", best_of(args.repeat, lambda: run_cli(args.cli, corpus, tmp / "cli.jsonl")), n, mb, "file to file")
        else:
            print(f"no CLI at {args.cli}: build it with `cargo build --release --features cli`", file=sys.stderr)

        def batch_all():
            for i in range(0, n, BATCH):
                cleaner.clean_batch(texts[i : i + BATCH])

        row("`Cleaner.clean_batch`, all cores", best_of(args.repeat, batch_all), n, mb, "texts in memory")
        import pyarrow.json as pj

        from zhclean.arrow import clean_column

        batches = pj.read_json(str(corpus)).to_batches(max_chunksize=BATCH)
        row("`zhclean.arrow.clean_column`, all cores", best_of(args.repeat, lambda: [clean_column(cleaner, b) for b in batches]), n, mb, "Arrow batches in memory")
        same_job = zhclean.Cleaner(stages=["repair"], convert="s2t")
        row("`clean_column`, repair + s2t only", best_of(args.repeat, lambda: [clean_column(same_job, b) for b in batches]), n, mb, "Arrow batches in memory")
        del batches

        def same_job_all():
            for i in range(0, n, BATCH):
                same_job.clean_batch(texts[i : i + BATCH])

        row("`clean_batch`, repair + s2t only (the baseline's job)", best_of(args.repeat, same_job_all), n, mb, "texts in memory")
        row("Python JSONL → JSONL with `clean_batch`", best_of(args.repeat, lambda: run_python_jsonl(cleaner, corpus, tmp / "py.jsonl")), n, mb, "`json` module, file to file")
        one = texts[: max(1, n // 4)]
        one_mb = sum(len(t.encode("utf-8")) for t in one) / 1e6
        row("`Cleaner.clean`, one record at a time", best_of(1, lambda: [cleaner.clean(t) for t in one]), len(one), one_mb, f"one core, first {one_mb:.0f} MB")

        if not args.skip_ray:
            import ray

            from zhclean.arrow import CleanColumn

            # One rayon thread per Ray task: Ray schedules the cores.
            ray.init(num_cpus=args.workers, include_dashboard=False, log_to_driver=False,
                     runtime_env={"env_vars": {"RAYON_NUM_THREADS": "1"}})
            secs = run_ray(corpus, tmp / "ray-out", CleanColumn(cleaner, "text"), args.workers)
            row(f"Ray Data local, {args.workers} tasks", secs, n, mb, "read_json → map_batches → write_parquet")

        k, base_mb = 0, 0.0
        while k < n and base_mb < args.baseline_mb:
            base_mb += len(texts[k].encode("utf-8")) / 1e6
            k += 1
        base = baseline_fn()
        row("baseline: ftfy.fix_encoding + opencc s2t", best_of(1, lambda: [base(t) for t in texts[:k]]), k, base_mb, f"one core, first {base_mb:.0f} MB")
        paired = None
        if args.pair_rounds > 0:
            sub = texts[:k]

            def same_job_sub():
                for i in range(0, k, BATCH):
                    same_job.clean_batch(sub[i : i + BATCH])

            import pyarrow as pa

            sub_batches = pa.table({"text": sub}).to_batches(max_chunksize=BATCH)
            b, z, a = alternating(
                args.pair_rounds,
                [
                    (lambda: [base(t) for t in sub], base_mb),
                    (same_job_sub, base_mb),
                    (lambda: [clean_column(same_job, x) for x in sub_batches], base_mb),
                ],
            )
            ratio = lambda rates: sorted(r / br for br, r in zip(b, rates))  # noqa: E731
            paired = (median(b), median(z), ratio(z), median(a), ratio(a))
        if not args.skip_ray:
            sub = tmp / "baseline.jsonl"
            with corpus.open(encoding="utf-8") as f, sub.open("w", encoding="utf-8") as w:
                for _, l in zip(range(k), f):
                    w.write(l)
            secs = run_ray(sub, tmp / "ray-base-out", BaselineColumn(), args.workers)
            row(f"baseline in Ray Data local, {args.workers} tasks", secs, k, base_mb, "same pipeline")
            ray.shutdown()

        load = " → ".join(f"{a:.1f}" for a in (load_at_start[0], os.getloadavg()[0]))
        print(f"\n{n:,} records, {mb:.1f} MB of text, damage x{args.damage:g}, {os.cpu_count()} cores (`os.cpu_count()`), load average {load}\n")
        print("| run | records/s | MB/s | MB per CPU-second | note |")
        print("|---|---:|---:|---:|---|")
        for name, rps, mbps, per_cpu, note in rows:
            cpu = f"{per_cpu:.1f}" if per_cpu else "—"
            print(f"| {name} | {rps:,.0f} | {mbps:.1f} | {cpu} | {note} |")
        if paired:
            b, z, zr, a, ar = paired
            print(
                f"\nAlternating rounds on the first {base_mb:.1f} MB ({len(zr)} each), MB per CPU-second (medians): "
                f"baseline {b:.1f}, `clean_batch` repair + s2t {z:.1f}, `clean_column` repair + s2t {a:.1f}; "
                f"ratio to the baseline, median (rounds): clean_batch {median(zr):.1f}× ({zr[0]:.1f}–{zr[-1]:.1f}×), "
                f"clean_column {median(ar):.1f}× ({ar[0]:.1f}–{ar[-1]:.1f}×)"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
