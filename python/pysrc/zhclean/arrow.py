"""Clean one text column of Arrow data: the map step for Ray Data, Spark's
``mapInArrow`` and anything else that hands out pyarrow batches.

Needs ``pyarrow`` (imported on first use). Everything here is importable on
a worker that has the wheel installed, so the callables pickle by reference.
"""

from typing import Iterable, Iterator, Union

from ._zhclean import Cleaner

__all__ = ["CleanColumn", "clean_column", "clean_batches"]


def _clean_array(cleaner: Cleaner, arr):
    """A cleaned copy of one Arrow array of strings (or binary, decoded)."""
    import pyarrow as pa

    t = arr.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        validity, offsets, data = arr.buffers()
        try:
            v, o, d = cleaner._clean_arrow_string(
                len(arr),
                arr.offset,
                offsets.to_pybytes(),
                data.to_pybytes() if data is not None else b"",
                validity.to_pybytes() if validity is not None else None,
                pa.types.is_large_string(t),
            )
        except OverflowError:
            return pa.array(cleaner.clean_batch(arr.to_pylist()), type=pa.large_string()).cast(t)
        buffers = [pa.py_buffer(v) if v is not None else None, pa.py_buffer(o), pa.py_buffer(d)]
        return pa.Array.from_buffers(t, len(arr), buffers, null_count=arr.null_count)
    return pa.array(cleaner.clean_batch(arr.to_pylist()), type=pa.string())


def clean_column(cleaner: Cleaner, data, column: str = "text"):
    """Returns ``data`` (a ``pyarrow.Table`` or ``RecordBatch``) with
    ``column`` cleaned by ``cleaner``; other columns are unchanged, a null
    stays null. A string or large_string column keeps its type and is
    cleaned straight from its Arrow buffers (no Python str per value, all
    cores, GIL released); any other column (binary: decoded by the decode
    stage) goes through ``clean_batch`` and comes back as strings."""
    import pyarrow as pa

    i = data.schema.get_field_index(column)
    if i < 0:
        raise KeyError(f"no column {column!r} in {data.schema.names}")
    col = data.column(i)
    if isinstance(col, pa.ChunkedArray):
        chunks = [_clean_array(cleaner, c) for c in col.chunks]
        out_type = chunks[0].type if chunks else col.type
        cleaned = pa.chunked_array(chunks, type=out_type)
    else:
        cleaned = _clean_array(cleaner, col)
    field = data.schema.field(i).with_type(cleaned.type)
    if isinstance(data, pa.RecordBatch):
        cols = list(data.columns)
        cols[i] = cleaned
        return pa.RecordBatch.from_arrays(cols, schema=data.schema.set(i, field))
    return data.set_column(i, field, cleaned)


def clean_batches(cleaner: Cleaner, batches: Iterable, column: str = "text") -> Iterator:
    """:func:`clean_column` over an iterator of record batches (the shape of
    Spark's ``mapInArrow``)."""
    for batch in batches:
        yield clean_column(cleaner, batch, column)


class CleanColumn:
    """A picklable callable for ``map_batches(..., batch_format="pyarrow")``
    or ``mapInArrow``: ``CleanColumn(cleaner, "text")(batch)``.

    The cleaner travels by its config and is rebuilt once per worker.
    """

    def __init__(self, cleaner: Union[Cleaner, None] = None, column: str = "text"):
        self.cleaner = cleaner if cleaner is not None else Cleaner()
        self.column = column

    def __call__(self, batch):
        return clean_column(self.cleaner, batch, self.column)

    def __repr__(self) -> str:
        return f"CleanColumn({self.cleaner!r}, column={self.column!r})"
