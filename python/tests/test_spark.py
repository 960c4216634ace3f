"""PySpark in local mode: mapInArrow and a pandas UDF."""

import os
import shutil
import sys

import pytest

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("PySpark needs Java", allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402

import zhclean  # noqa: E402
from spark_clean import clean_dataframe, clean_udf  # noqa: E402

ROWS = [
    (0, "广东,支持企业&nbsp;ＡＩ产业"),
    (1, None),
    (2, "当前位置的新闻稿，支持企业发展人工智能产业。".encode("utf-8").decode("latin-1")),
] + [(i, f"第{i}条,鼠标") for i in range(3, 300)]


@pytest.fixture(scope="module")
def spark():
    # Executors run the Python that has the wheel installed (this one).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    s = (
        SparkSession.builder.master("local[2]")
        .appName("zhclean-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield s
    s.stop()


def expected(cleaner):
    return {i: (cleaner.clean(t) if t is not None else None) for i, t in ROWS}


def test_map_in_arrow(spark, tmp_path):
    cleaner = zhclean.Cleaner(convert="s2t")
    df = spark.createDataFrame(ROWS, "id long, text string").repartition(3)
    out = clean_dataframe(df, cleaner)
    assert out.schema == df.schema
    out.write.parquet(str(tmp_path / "out"))
    got = {r["id"]: r["text"] for r in spark.read.parquet(str(tmp_path / "out")).collect()}
    assert got == expected(cleaner)
    assert got[0] == "廣東，支持企業 AI產業"
    assert got[1] is None


def test_pandas_udf(spark):
    cleaner = zhclean.Cleaner()
    df = spark.createDataFrame(ROWS, "id long, text string")
    got = {r["id"]: r["text"] for r in df.withColumn("text", clean_udf(cleaner)("text")).collect()}
    assert got == expected(cleaner)
