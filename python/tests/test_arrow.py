import pickle

import pytest

pa = pytest.importorskip("pyarrow")

import zhclean  # noqa: E402
from zhclean.arrow import CleanColumn, clean_batches, clean_column  # noqa: E402


def test_clean_column_table_and_batch():
    c = zhclean.Cleaner(convert="s2t")
    table = pa.table({"id": [1, 2, 3], "text": ["广东,支持ＡＩ", None, "沒有"]})
    out = clean_column(c, table, "text")
    assert out.column("text").to_pylist() == ["廣東，支持AI", None, "沒有"]
    assert out.column("id").to_pylist() == [1, 2, 3]
    assert out.schema == table.schema
    batch = table.to_batches()[0]
    assert clean_column(c, batch).column(1).to_pylist() == ["廣東，支持AI", None, "沒有"]
    assert [b.num_rows for b in clean_batches(c, [batch, batch])] == [3, 3]


def test_binary_column_is_decoded():
    table = pa.table({"text": pa.array(["中文,测试".encode("gbk"), None], type=pa.binary())})
    out = clean_column(zhclean.Cleaner(), table)
    assert out.schema.field("text").type == pa.string()
    assert out.column("text").to_pylist() == ["中文，测试", None]


def test_missing_column_and_pickling():
    with pytest.raises(KeyError, match="body"):
        clean_column(zhclean.Cleaner(), pa.table({"text": ["a"]}), "body")
    f = pickle.loads(pickle.dumps(CleanColumn(zhclean.Cleaner(stages=["normalize"]), "text")))
    assert f.cleaner.stages == ["normalize"]
    assert f(pa.table({"text": ["ＡＩ"]})).column(0).to_pylist() == ["AI"]
