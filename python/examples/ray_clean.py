"""Clean a text column with zhclean as a Ray Data map step.

    python ray_clean.py INPUT(.jsonl|.parquet) OUTPUT_DIR [--column text] [--convert s2t]

Reads JSONL or Parquet, runs ``Cleaner.clean_batch`` over one column in
``map_batches`` (each worker unpickles the cleaner once, from its config)
and writes Parquet. Other columns pass through untouched; a null stays null.
"""

import argparse

import ray

import zhclean
from zhclean.arrow import CleanColumn


def read(path: str) -> "ray.data.Dataset":
    if path.endswith(".parquet") or path.endswith("/"):
        return ray.data.read_parquet(path)
    return ray.data.read_json(path, lines=True)


def clean_dataset(
    ds: "ray.data.Dataset",
    cleaner: zhclean.Cleaner,
    column: str = "text",
    concurrency: int = 2,
    batch_size: int = 1024,
) -> "ray.data.Dataset":
    """The map step: ``concurrency`` tasks, each cleaning whole batches."""
    return ds.map_batches(
        CleanColumn(cleaner, column),
        batch_format="pyarrow",
        batch_size=batch_size,
        compute=ray.data.TaskPoolStrategy(size=concurrency),
        zero_copy_batch=True,
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--column", default="text")
    p.add_argument("--convert", default=None, help="OpenCC config, e.g. s2t")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    ray.init()
    cleaner = zhclean.Cleaner(convert=args.convert)
    clean_dataset(read(args.input), cleaner, args.column, args.workers).write_parquet(args.output)


if __name__ == "__main__":
    main()
