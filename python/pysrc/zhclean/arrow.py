"""Clean one text column of Arrow data: the map step for Ray Data, Spark's
``mapInArrow`` and anything else that hands out pyarrow batches.

Needs ``pyarrow`` (imported on first use). Everything here is importable on
a worker that has the wheel installed, so the callables pickle by reference.
"""

from typing import Iterable, Iterator, Union

from ._zhclean import Cleaner

__all__ = ["CleanColumn", "clean_column", "clean_batches"]


def clean_column(cleaner: Cleaner, data, column: str = "text"):
    """Returns ``data`` (a ``pyarrow.Table`` or ``RecordBatch``) with
    ``column`` cleaned by ``cleaner.clean_batch``; other columns and the
    schema are unchanged, a null stays null. A binary column is decoded
    (decode stage) and comes back as a string column."""
    import pyarrow as pa

    i = data.schema.get_field_index(column)
    if i < 0:
        raise KeyError(f"no column {column!r} in {data.schema.names}")
    cleaned = pa.array(cleaner.clean_batch(data.column(i).to_pylist()), type=pa.string())
    field = data.schema.field(i).with_type(pa.string())
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
