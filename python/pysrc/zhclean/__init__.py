"""Clean Chinese web text: decode legacy encodings, repair mojibake,
normalize, strip page boilerplate, convert scripts exactly as OpenCC 1.4.2.

The cleaning runs in Rust (the ``zhclean`` crate); this package is a thin
binding around it::

    import zhclean

    cleaner = zhclean.Cleaner(convert="s2t")
    cleaner.clean("广东,支持企业&nbsp;ＡＩ产业")      # '廣東，支持企業 AI產業'
    cleaner.clean_batch(texts)                         # all cores, GIL released
    zhclean.convert("鼠标", "s2twp")                    # '滑鼠'
    zhclean.repair("ä¸\xadæ–‡")                        # '中文' (UTF-8 read as cp1252)
    zhclean.detect_script("漢字")                       # 'traditional'

A :class:`Cleaner` pickles by its configuration, so it can be shipped to
Ray, Spark or multiprocessing workers.
"""

from ._zhclean import (
    CONVERT_CONFIGS,
    STAGES,
    Cleaner,
    __version__,
    convert,
    detect_script,
    repair,
)

__all__ = [
    "CONVERT_CONFIGS",
    "STAGES",
    "Cleaner",
    "__version__",
    "convert",
    "detect_script",
    "repair",
]
