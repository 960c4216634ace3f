"""datatrove: the ZhClean step alone and in a local pipeline (JSONL in and out)."""

import json

import pytest

pytest.importorskip("datatrove")

import zhclean  # noqa: E402
from datatrove.data import Document  # noqa: E402
from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402
from datatrove_step import ZhClean  # noqa: E402

TEXTS = [
    "广东,支持企业&nbsp;ＡＩ产业",
    "当前位置的新闻稿，支持企业发展人工智能产业。".encode("utf-8").decode("latin-1"),
    "沒有要改的字",
] + [f"第{i}条,鼠标" for i in range(3, 2500)]


def test_step_cleans_every_document_in_order():
    step = ZhClean(batch_size=1000, convert="s2t")
    cleaner = zhclean.Cleaner(convert="s2t")
    docs = [Document(text=t, id=str(i)) for i, t in enumerate(TEXTS)]
    out = list(step.run(iter(docs)))
    assert [d.id for d in out] == [str(i) for i in range(len(TEXTS))]
    assert [d.text for d in out] == [cleaner.clean(t) for t in TEXTS]
    assert out[1].text != TEXTS[1]


def test_local_pipeline_jsonl_to_jsonl(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "part.jsonl").write_text(
        "".join(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(TEXTS)),
        encoding="utf-8",
    )
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(src)),
            ZhClean(convert="s2t"),
            JsonlWriter(str(tmp_path / "out"), compression=None),
        ],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    cleaner = zhclean.Cleaner(convert="s2t")
    got = {}
    for f in (tmp_path / "out").glob("*.jsonl"):
        for line in f.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            got[r["id"]] = r["text"]
    assert got == {str(i): cleaner.clean(t) for i, t in enumerate(TEXTS)}
