"""Clean a text column with zhclean in PySpark (``mapInArrow``).

    python spark_clean.py INPUT.(jsonl|parquet) OUTPUT_DIR [--column text] [--convert s2t]

Each Arrow batch of a partition goes through ``Cleaner.clean_batch`` (GIL
released, all cores of the executor); the cleaner is pickled into the
closure by its config. Other columns pass through; a null stays null.
A pandas UDF variant (``clean_udf``) is below for ``withColumn`` users.
"""

import argparse
from typing import Iterator

import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.functions import pandas_udf

import zhclean
import zhclean.arrow


def clean_dataframe(df: DataFrame, cleaner: zhclean.Cleaner, column: str = "text") -> DataFrame:
    """Cleans ``column`` with ``mapInArrow``; the schema is unchanged."""

    def clean_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return zhclean.arrow.clean_batches(cleaner, batches, column)

    return df.mapInArrow(clean_batches, df.schema)


def clean_udf(cleaner: zhclean.Cleaner):
    """A pandas UDF: ``df.withColumn("text", clean_udf(cleaner)("text"))``."""

    @pandas_udf("string")
    def clean(texts):
        import pandas as pd

        # Missing values may arrive as NaN or pd.NA (pandas 3): make them None.
        records = texts.astype(object).where(texts.notna(), None).tolist()
        return pd.Series(cleaner.clean_batch(records), index=texts.index, dtype=object)

    return clean


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--column", default="text")
    p.add_argument("--convert", default=None)
    args = p.parse_args()
    spark = SparkSession.builder.appName("zhclean").getOrCreate()
    df = spark.read.parquet(args.input) if args.input.endswith(".parquet") else spark.read.json(args.input)
    clean_dataframe(df, zhclean.Cleaner(convert=args.convert), args.column).write.parquet(args.output)


if __name__ == "__main__":
    main()
