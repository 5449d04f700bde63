"""Reading event tables: canonical CSV/Parquet, ACLED, UCDP GED, GDELT, or any table by mapping.

:func:`read_events` (``read.py``) is the one entry point; it returns an :class:`~escalation.Events` holding the
accepted events and a rejection table, so no input row is lost. One module per source format (``acled``,
``ucdp``, ``gdelt``, ``canonical``) holds its column mapping; ``detect`` tells the format from a header,
``_files`` and ``_sheets`` read text files and spreadsheets, ``dataset`` reads and writes what
``escalation convert`` makes, and ``_coerce`` turns a DataFrame given to an analysis into ``Events``.
"""

from .detect import FORMATS, detect_format
from .options import NA_VALUES, ReadOptions, parse_columns
from .read import read_events

__all__ = ["FORMATS", "NA_VALUES", "ReadOptions", "detect_format", "parse_columns", "read_events"]
