"""Reading the dates people and exports write: ISO, "3 March 2021", "March 3, 2021", and 01/03/2021 when told
which number is the day.

ISO 8601 (with or without a clock time and zone) is always read. Dates with the month as a word are never
ambiguous, so they are read without asking. All-number dates such as ``01/03/2021`` are the first of March
in Europe and the third of January in the United States: they are read only when the caller says which
(``dayfirst=True`` / ``False``) or gives ``date_format``; otherwise they are rejected with a reason that
says so, never guessed. One exception is no guess: when a number over 12 stands first somewhere in the
column (``27/12/2019``) and never second, the column is day-first, and the reverse for month-first
(:func:`infer_dayfirst`); a column with no such number, or with both, is still refused. Pandas' own inference
guesses per file from the first value, which silently swaps day and month when a file's first date happens
to be unambiguous.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from .text import clean_text

#: Dates with the month spelled out ("3 March 2021", "3 Mar 2021", "March 3, 2021", "03-Mar-2021").
TEXT_FORMATS: tuple[str, ...] = (
    "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d-%b-%Y", "%d-%B-%Y",
    "%A, %d %B %Y", "%A %d %B %Y", "%A, %B %d, %Y",
)  # fmt: skip
_NUMERIC = r"^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(\s.*)?$"
_TIMES = ("", " %H:%M", " %H:%M:%S")
TIME_PATTERN = r"\d{1,2}:\d{2}"
MIN_TS = pd.Timestamp("1678-01-01", tz="UTC")
MAX_TS = pd.Timestamp("2261-12-31", tz="UTC")

UNPARSEABLE_DATE = "unparseable date"
_EXPECTED = "expected 2021-03-01 with or without a time, 1 March 2021 or March 1, 2021; other forms: --date-format"
AMBIGUOUS_DATE = (
    "ambiguous date: is the first number the day or the month? say which with --dayfirst or --monthfirst "
    "(dayfirst=True/False), or give --date-format"
)
#: All-number dates of both orders in one column: no rule reads them all, so none is guessed.
MIXED_ORDERS = (
    "the column's all-number dates come in both orders ({day} is day first, {month} month first): correct "
    "the column, or say which with --dayfirst or --monthfirst (dayfirst=True/False)"
)


def numeric_formats(dayfirst: bool) -> tuple[str, ...]:
    """``%d/%m/%Y``-style formats (``/``, ``.``, ``-``; with or without a time), day or month first."""
    order = ("%d", "%m") if dayfirst else ("%m", "%d")
    return tuple(f"{order[0]}{s}{order[1]}{s}{y}{t}" for y in ("%Y", "%y") for s in "/.-" for t in _TIMES)


def as_formats(date_format: str | Sequence[str] | None) -> tuple[str, ...]:
    """A user's ``date_format`` (one format, several, or none) as a tuple."""
    return (date_format,) if isinstance(date_format, str) else tuple(date_format or ())


def date_formats(source_formats: Sequence[str] = (), *, dayfirst: bool | None = None) -> tuple[str, ...]:
    """The formats tried after the user's and ISO 8601, in order: day- or month-first numbers when asked for,
    the source's, then the unambiguous text forms."""
    numeric = numeric_formats(dayfirst) if dayfirst is not None else ()
    return tuple(dict.fromkeys((*numeric, *source_formats, *TEXT_FORMATS)))


def unparseable_reason(date_format: str | Sequence[str] | None = None, source_formats: Sequence[str] = ()) -> str:
    """The rejection reason for a date none of the formats read, naming what was expected."""
    given = as_formats(date_format)
    forms = given or tuple(source_formats)  # the source's own form first: GDELT's 20210301, ACLED's 01 March 2021
    if forms:
        shown = " or ".join(f"{_EXAMPLE.strftime(f)} ({f})" for f in forms)
        return f"{UNPARSEABLE_DATE} (expected {shown}, or ISO 2021-03-01)"
    return f"{UNPARSEABLE_DATE} ({_EXPECTED})"


_EXAMPLE = pd.Timestamp("2021-03-01 14:30")


def reads_numeric(formats: Sequence[str]) -> bool:
    """Does one of ``formats`` read all-number dates (day and month as numbers)? Then none is ambiguous."""
    return any("%d" in f and "%m" in f for f in formats)


def looks_numeric(text: pd.Series) -> pd.Series:
    """Cells like ``01/03/2021`` or ``1.3.2021 14:00``: day and month both numbers."""
    return text.str.match(_NUMERIC).fillna(False).astype(bool)


_LEADING_NUMBERS = r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}"


def infer_dayfirst(values: pd.Series) -> tuple[bool | None, str | None]:
    """Whether a column's all-number dates are day-first, when the column itself settles it (the caller,
    :func:`escalation.events.checks.validate`, gives only the cells no other form read).

    Returns ``(dayfirst, example)``: ``True`` when some first number is over 12 and no second one is (the
    example is such a cell), ``False`` for the reverse, ``(None, None)`` when no number settles it or the
    column has both (a mix of orders is for the user to sort out).

    >>> infer_dayfirst(pd.Series(["01/02/2020", "27/12/2019", None]))
    (True, '27/12/2019')
    >>> infer_dayfirst(pd.Series(["01/02/2020", "02/01/2020"]))
    (None, None)
    """
    text = values.dropna().astype(str)
    if text.empty or pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return None, None
    parts = text.str.extract(_LEADING_NUMBERS).dropna()
    if parts.empty:
        return None, None
    first, second = parts[0].astype(int), parts[1].astype(int)
    day_first, month_first = first > 12, second > 12
    if day_first.any() and not month_first.any():
        return True, str(text[day_first[day_first].index[0]])
    if month_first.any() and not day_first.any():
        return False, str(text[month_first[month_first].index[0]])
    return None, None


def mixed_orders(values: pd.Series) -> tuple[str, str] | None:
    """A day-first and a month-first cell of a column that has both (27/12/2019 beside 12/28/2019), or None.

    >>> mixed_orders(pd.Series(["27/12/2019", "12/28/2019", "03/01/2020"]))
    ('27/12/2019', '12/28/2019')
    """
    text = values.dropna().astype(str)
    parts = text.str.extract(_LEADING_NUMBERS).dropna()
    if parts.empty:
        return None
    day_first, month_first = parts[0].astype(int) > 12, parts[1].astype(int) > 12
    if not (day_first.any() and month_first.any()):
        return None
    return str(text[day_first[day_first].index[0]]), str(text[month_first[month_first].index[0]])


def parse_dates(
    values: pd.Series,
    extra_formats: Sequence[str] = (),
    *,
    dayfirst: bool | None = None,
    date_format: str | Sequence[str] | None = None,
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse ISO dates and datetimes, then ``date_format``, day/month-first numbers and text dates.

    Returns ``(timestamps, has_time, out_of_range)``. Time zones are converted
    to UTC and dropped. ``has_time`` is true where the source gave a clock time,
    so that "same day, unknown hour" is never mistaken for midnight.

    Examples
    --------
    >>> import pandas as pd
    >>> cells = pd.Series(["2021-03-01", "3 March 2021", "March 3, 2021", "01/03/2021"])
    >>> parse_dates(cells)[0].dt.strftime("%Y-%m-%d").tolist()
    ['2021-03-01', '2021-03-03', '2021-03-03', nan]
    >>> parse_dates(cells, dayfirst=True)[0].dt.strftime("%Y-%m-%d").tolist()[-1]
    '2021-03-01'
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        ts = pd.to_datetime(values, utc=True)
        # Parquet keeps microseconds: year 1 or 9999 is a timestamp there, and no nanosecond one
        out_of_range = ts.notna() & ((ts < MIN_TS) | (ts > MAX_TS))
        naive = ts.mask(out_of_range).dt.tz_convert(None).astype("datetime64[ns]")
        return naive, (naive != naive.dt.normalize()) & naive.notna(), out_of_range
    text = clean_text(values)
    given = as_formats(date_format)
    # A user's format comes first: "2021-03-01" read as ISO must not win over --date-format %Y-%d-%m.
    formats = [*given, "ISO8601", *date_formats(extra_formats, dayfirst=dayfirst)]
    ts = pd.to_datetime(text, format=formats[0], errors="coerce", utc=True)
    for fmt in formats[1:]:
        todo = ts.isna() & text.notna()
        if not todo.any():
            break
        ts = ts.where(~todo, pd.to_datetime(text[todo], format=fmt, errors="coerce", utc=True))
    out_of_range = ts.notna() & ((ts < MIN_TS) | (ts > MAX_TS))
    ts = ts.mask(out_of_range)
    naive = ts.dt.tz_convert(None).astype("datetime64[ns]")
    has_time = text.str.contains(TIME_PATTERN, regex=True).fillna(False).astype(bool)
    return naive, has_time & naive.notna(), out_of_range


def parse_day(value: Any, name: str) -> pd.Timestamp:
    """A date a user gave (``start``, ``end``), as the start of its day; a clear error for anything else.

    >>> parse_day("2020-01-03 14:00", "end")
    Timestamp('2020-01-03 00:00:00')
    """
    from ..errors import UsageError

    stamp: Any
    try:
        # as_unit("ns"): a clock time alone ("12h") parses as year 1, outside what the analyses can hold.
        stamp = pd.Timestamp(value).as_unit("ns")
    except (ValueError, TypeError, OverflowError):  # OutOfBoundsDatetime is a ValueError
        stamp = pd.NaT
    if pd.isna(stamp):
        raise UsageError(f"{name} must be a date such as 2005-01-15, got {value!r}")
    return stamp.tz_convert(None).normalize() if stamp.tzinfo else stamp.normalize()
