from typing import Iterable, Iterator, Optional, TypeVar

import pyarrow as pa

from ._zhclean import Cleaner

_Data = TypeVar("_Data", pa.Table, pa.RecordBatch)

def clean_column(cleaner: Cleaner, data: _Data, column: str = "text") -> _Data: ...
def clean_batches(
    cleaner: Cleaner, batches: Iterable[pa.RecordBatch], column: str = "text"
) -> Iterator[pa.RecordBatch]: ...

class CleanColumn:
    cleaner: Cleaner
    column: str
    def __init__(self, cleaner: Optional[Cleaner] = None, column: str = "text") -> None: ...
    def __call__(self, batch: _Data) -> _Data: ...
