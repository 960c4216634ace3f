"""Type stubs of the native module (re-exported by ``zhclean``)."""

from typing import Any, Dict, Iterable, List, Literal, Mapping, Optional, Tuple, Union, overload

__version__: str
STAGES: Tuple[str, ...]
CONVERT_CONFIGS: Tuple[str, ...]

StageName = Literal["decode", "repair", "normalize", "boilerplate", "convert"]
Script = Literal["simplified", "traditional", "mixed", "neither"]
Record = Union[str, bytes, bytearray, None]

class Cleaner:
    """A configured pipeline: decode → repair → normalize → boilerplate → convert.

    Build once, reuse; thread-safe; pickles by its configuration.
    Raises ValueError on an unknown stage, config or option, or a bad value.
    """

    def __init__(
        self,
        stages: Optional[Iterable[StageName]] = None,
        convert: Optional[str] = None,
        *,
        decode: Optional[Mapping[str, Any]] = None,
        repair: Optional[Mapping[str, Any]] = None,
        normalize: Optional[Mapping[str, Any]] = None,
        boilerplate: Union[Literal["conservative", "strict"], Mapping[str, Any], None] = None,
    ) -> None: ...
    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "Cleaner":
        """Builds a cleaner from a dict as returned by :attr:`config`."""
    @property
    def config(self) -> Dict[str, Any]:
        """Stages and every stage's options, as a dict."""
    @property
    def stages(self) -> List[str]:
        """The enabled stages, in pipeline order."""
    def clean(self, text: Union[str, bytes, bytearray]) -> str:
        """Cleans one record; bytes are decoded first. TypeError for other types."""
    def clean_with_report(
        self, text: Union[str, bytes, bytearray]
    ) -> Tuple[str, List[Dict[str, Any]]]:
        """Cleans one record; returns the text and one dict per change or flag."""
    def clean_batch(self, records: Iterable[Record]) -> List[Optional[str]]:
        """Cleans records on all cores with the GIL released; None stays None."""
    def __reduce__(self) -> Tuple[Any, Tuple[Dict[str, Any]]]: ...
    def __eq__(self, other: object) -> bool: ...

def convert(text: str, config: str) -> str:
    """Converts the script exactly as OpenCC 1.4.2 with ``config`` (e.g. "s2twp")."""

def repair(text: str) -> str:
    """Repairs mojibake and converter artifacts (default options)."""

@overload
def detect_script(text: str, counts: Literal[False] = ...) -> Script: ...
@overload
def detect_script(text: str, counts: Literal[True]) -> Dict[str, Any]: ...
