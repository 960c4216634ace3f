"""Ray Data on a local Ray instance: JSONL and Parquet in, Parquet out."""

import json

import pytest

ray = pytest.importorskip("ray")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

import zhclean  # noqa: E402
from ray_clean import clean_dataset, read  # noqa: E402

RECORDS = [
    {"id": 0, "text": "广东,支持企业&nbsp;ＡＩ产业"},
    {"id": 1, "text": None},
    {"id": 2, "text": "当前位置的新闻稿，支持企业发展人工智能产业。".encode("utf-8").decode("latin-1")},
    {"id": 3, "text": "沒有要改的字"},
] + [{"id": i, "text": f"第{i}条,鼠标"} for i in range(4, 200)]


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def expected(cleaner):
    return {r["id"]: (cleaner.clean(r["text"]) if r["text"] is not None else None) for r in RECORDS}


def read_output(path):
    table = pq.read_table(str(path))
    return dict(zip(table.column("id").to_pylist(), table.column("text").to_pylist()))


def test_jsonl_to_parquet(local_ray, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    cleaner = zhclean.Cleaner(convert="s2t")
    clean_dataset(read(str(src)), cleaner, batch_size=50).write_parquet(str(tmp_path / "out"))
    got = read_output(tmp_path / "out")
    assert got == expected(cleaner)
    assert got[0] == "廣東，支持企業 AI產業"
    assert got[1] is None
    assert got[2] == "當前位置的新聞稿，支持企業發展人工智能產業。"


def test_parquet_to_parquet(local_ray, tmp_path):
    pq.write_table(pa.Table.from_pylist(RECORDS), str(tmp_path / "in.parquet"))
    cleaner = zhclean.Cleaner(stages=["repair", "normalize"])
    clean_dataset(read(str(tmp_path / "in.parquet")), cleaner).write_parquet(str(tmp_path / "out"))
    assert read_output(tmp_path / "out") == expected(cleaner)
