import pickle
import struct

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


def test_fast_path_slices_large_strings_and_chunks():
    c = zhclean.Cleaner(convert="s2t")
    values = ["广东,支持ＡＩ", None, "沒有", "", "汉字\r\n"] * 50
    expected = [c.clean(v) if v is not None else None for v in values]
    for t in (pa.string(), pa.large_string()):
        arr = pa.array(values, type=t)
        for start, length in [(0, len(values)), (3, 17), (7, 0), (9, 100)]:
            sliced = arr.slice(start, length)
            out = clean_column(c, pa.RecordBatch.from_arrays([sliced], names=["text"]))
            assert out.schema.field("text").type == t
            col = out.column(0)
            col.validate(full=True)
            assert col.to_pylist() == expected[start : start + length]
            assert col.null_count == sum(v is None for v in values[start : start + length])
    table = pa.Table.from_batches([pa.RecordBatch.from_pydict({"text": values[:10]}),
                                   pa.RecordBatch.from_pydict({"text": values[10:]})])
    out = clean_column(c, table)
    assert out.column("text").num_chunks == 2
    assert out.column("text").to_pylist() == expected


def test_fast_path_without_nulls_and_invalid_buffers():
    c = zhclean.Cleaner()
    arr = pa.array(["ＡＩ", "中文,测试"])
    assert arr.buffers()[0] is None  # no validity bitmap
    assert clean_column(c, pa.table({"text": arr})).column(0).to_pylist() == ["AI", "中文，测试"]
    with pytest.raises(ValueError, match="not a valid Arrow string array"):
        c._clean_arrow_string(2, 0, b"\x00" * 4, b"", None, False)
    with pytest.raises(ValueError, match="offset out of range"):
        c._clean_arrow_string(1, 0, b"\x00\x00\x00\x00\x09\x00\x00\x00", b"abc", None, False)


def test_fast_path_decodes_values_that_are_not_utf8():
    # A producer that broke the string type's promise: the second value is
    # GBK. It is decoded like bytes; the first value is cleaned as text.
    c = zhclean.Cleaner()
    gbk = "中文,测试".encode("gbk")
    data = "ＡＩ".encode() + gbk
    offsets = struct.pack("<3i", 0, 6, len(data))
    validity, o, d = c._clean_arrow_string(2, 0, offsets, data, None, False)
    assert validity is None
    arr = pa.Array.from_buffers(pa.string(), 2, [None, pa.py_buffer(o), pa.py_buffer(d)])
    arr.validate(full=True)
    assert arr.to_pylist() == ["AI", c.clean(gbk)] == ["AI", "中文，测试"]
