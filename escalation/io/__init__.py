"""Reading event tables: canonical CSV/Parquet, ACLED, UCDP GED, GDELT, or any table by mapping.

:func:`read_events` is the one entry point; it returns an :class:`~escalation.Events`
holding the accepted events and a rejection table, so no input row is lost.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

from ..errors import DataError, UsageError
from ..events import Events
from ..schema import COLUMNS, TEXT_DTYPE, order_columns, validate
from ..sides import SidesLike, apply_sides, read_sides
from . import acled, canonical, gdelt, ucdp
from ._files import check_readable, read_delimited, read_head
from .dataset import check_options, read_converted, read_marker
from .detect import FORMATS, check_format, detect_format

__all__ = ["FORMATS", "detect_format", "parse_columns", "read_events"]

_MODULES: dict[str, ModuleType] = {"canonical": canonical, "acled": acled, "ucdp": ucdp, "gdelt": gdelt}
MALFORMED = "record has {fields} fields; the header has {expected}"
#: Cell texts read as missing: files that passed through R, Excel or a database write these for "no value".
NA_VALUES: tuple[str, ...] = ("", "NA", "N/A", "n/a", "NULL", "null", "#N/A", "NaN", "nan", "None")


def parse_columns(text: str | None) -> dict[str, str]:
    """Parse a CLI column mapping ``date=date_of_event,actor=killed_by`` into a dict."""
    if not text:
        return {}
    mapping: dict[str, str] = {}
    for item in text.split(","):
        if "=" not in item:
            raise UsageError(f"--columns: {item!r} is not NAME=COLUMN (e.g. date=date_of_event)")
        name, column = (part.strip() for part in item.split("=", 1))
        mapping[name] = column
    return mapping


def read_events(
    source: str | os.PathLike[str] | pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    sides: SidesLike = None,
    format: str = "auto",
    per_victim: bool = False,
    encoding: str = "utf-8",
    engine: str = "pandas",
    incident_keys: Sequence[str] | None = None,
    na_values: Sequence[str] = NA_VALUES,
) -> Events:
    """Read an event table into :class:`Events`, rejecting bad rows with their reasons.

    Parameters
    ----------
    source : path or DataFrame
        A CSV/TSV/Parquet file, a Parquet dataset folder, or a DataFrame. A dataset
        written by ``escalation convert`` is read as converted, without validating it
        again: same events, rejections and counts as its sources gave.
    columns : dict, optional
        ``{canonical name: column in the file}``, e.g. ``{"date": "date_of_event"}``.
        Overrides the format's own mapping for the names it gives.
    sides : dict or path, optional
        Actor/target name -> side (JSON object or ``name,side`` CSV).
    format : {"auto", "canonical", "acled", "ucdp", "gdelt", "parquet"}
        ``auto`` detects the format from the file.
    per_victim : bool
        Each row is one person killed (e.g. B'Tselem): ``fatalities`` is 1 per row and
        the rows are grouped into incidents (same day, acting side, target side and
        location; see :mod:`escalation.incidents`), the unit every analysis works on.
        The rows stay in ``Events.members``.
    encoding : str
        Text encoding of the file.
    engine : {"pandas", "dask"}
        ``"dask"`` reads many files (a folder, a glob or a list) lazily and returns a
        :class:`escalation.engine.dask.DaskEvents` instead (needs the ``dask`` extra).
    na_values : sequence of str
        Cell texts that mean "missing" (default :data:`NA_VALUES`: empty, ``NA``, ``N/A``, ``NULL``, ...,
        as R and spreadsheets write them). Pass ``[""]`` to keep ``NA`` as text (Namibia's ISO code).
    incident_keys : sequence of str, optional
        Group rows into incidents by these columns (default for ``per_victim``:
        ``date, actor_side, target_side, location``). Giving keys groups any table.

    Returns
    -------
    Events
        ``.frame`` (accepted events), ``.rejections`` (one line per problem)
        and ``.provenance`` (file, format, rows read / accepted / rejected).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"date": ["2020-01-03", "2020-01-08", "not a date"],
    ...                       "actor": ["US", "Iran", "Iran"], "target": ["Iran", "US", "US"]})
    >>> ev = read_events(table)
    >>> ev.n_read, ev.n_accepted, ev.n_rejected
    (3, 2, 1)
    >>> ev.rejections["reason"].tolist()
    ['unparseable date']
    """
    check_format(format)
    if engine == "dask":
        if per_victim or incident_keys:
            raise UsageError(
                "the Dask engine does not group rows into incidents; read a per-victim table with the "
                "pandas engine (such tables are small), or convert it and read the dataset back"
            )
        if isinstance(source, pd.DataFrame):
            raise UsageError("engine='dask' reads files; pass a path, a folder or a glob")
        try:
            from ..engine.dask import read_events_dask
        except ImportError:
            raise UsageError("engine='dask' needs Dask: pip install 'escalation[dask]'") from None
        return read_events_dask(  # type: ignore[return-value]
            source, columns=columns, sides=sides, format=format, per_victim=per_victim, encoding=encoding
        )
    if engine != "pandas":
        raise UsageError(f"engine must be 'pandas' or 'dask', got {engine!r}")
    user_columns = dict(columns or {})
    unknown = sorted(set(user_columns) - set(COLUMNS))
    if unknown:
        raise UsageError(
            f"column mapping names {', '.join(map(repr, unknown))}, which are not event fields; "
            f"the fields are {', '.join(COLUMNS)}"
        )
    if per_victim and "fatalities" in user_columns:
        raise UsageError("per_victim counts one death per row; do not also map a fatalities column")
    sides_map = read_sides(sides)
    if not isinstance(source, pd.DataFrame) and Path(source).is_dir():
        record = read_marker(source)
        if record is not None:  # written by `escalation convert`: already validated
            check_options(Path(source), columns=user_columns, format=format, per_victim=per_victim)
            converted = read_converted(Path(source), record, sides_map)
            keys = incident_keys or record["options"].get("incident_keys")
            return converted.incidents(keys) if keys or converted.provenance["per_victim"] else converted

    if isinstance(source, pd.DataFrame):
        name, fmt = "<DataFrame>", "canonical" if format == "auto" else format
        table = source.reset_index(drop=True).copy()
        table.columns = [str(c) for c in table.columns]
        rows = np.arange(1, len(table) + 1, dtype=np.int64)
        malformed = None
    else:
        path = Path(source)
        name = str(path)
        fmt = detect_format(path, encoding) if format == "auto" else format
        table, rows, malformed = _read_file(path, fmt, encoding)
        if fmt == "parquet":
            fmt = "canonical"

    module = _MODULES[fmt]
    table, user_columns = _normalise_headers(table, fmt, user_columns)
    missing = [v for v in na_values if v != ""]
    if missing and len(table):
        text = [
            str(c) for c, t in table.dtypes.items() if pd.api.types.is_object_dtype(t) or isinstance(t, pd.StringDtype)
        ]
        if text:
            table[text] = table[text].mask(table[text].isin(missing))
    try:
        table = module.prepare(table)
    except KeyError as exc:
        raise DataError(f"{name}: not a {fmt} file, it has no column {exc}") from None
    mapping = {**{k: v for k, v in module.MAPPING.items() if v in table.columns}, **user_columns}
    absent = {k: v for k, v in user_columns.items() if v not in table.columns}
    if absent:
        raise DataError(
            f"{name}: no column {', '.join(repr(v) for v in absent.values())} in the file; "
            f"its columns are {', '.join(table.columns)}"
        )
    canon = pd.DataFrame({field: table[column] for field, column in mapping.items()})
    if per_victim:
        canon["fatalities"] = 1
    keep = [c for c in module.KEEP if c in table.columns]
    if fmt == "canonical":
        # A canonical table keeps the user's extra columns as they are.
        keep = [c for c in table.columns if c not in mapping.values() and not c.startswith("Unnamed")]
    for column in keep:
        canon[column] = table[column]

    frame, rejections = validate(
        canon, file=name, rows=rows, date_formats=module.DATE_FORMATS, keep=keep, id_source=table
    )
    if malformed is not None and len(malformed):
        extra = pd.DataFrame(
            {
                "file": name,
                "row": malformed["row"].to_numpy(),
                "column": "(all)",
                "value": pd.NA,
                "reason": [
                    why or MALFORMED.format(fields=f, expected=e)
                    for f, e, why in zip(malformed["fields"], malformed["expected"], malformed["reason"], strict=True)
                ],
            }
        )
        rejections = pd.concat([rejections, extra.astype(rejections.dtypes.to_dict())], ignore_index=True)
        rejections = rejections.sort_values("row", kind="stable").reset_index(drop=True)
    frame = order_columns(apply_sides(frame, sides_map))
    n_read = len(table) + (0 if malformed is None else len(malformed))
    provenance = {
        "file": name,
        "format": fmt,
        "rows_read": int(n_read),
        "accepted": len(frame),
        "rejected": int(rejections["row"].nunique()),
        "columns": dict(mapping),
        "sides": sides if isinstance(sides, str | os.PathLike) else ("given" if sides else None),
        "per_victim": per_victim,
    }
    if isinstance(provenance["sides"], os.PathLike):
        provenance["sides"] = str(provenance["sides"])
    events = Events(frame=frame, rejections=rejections, provenance=provenance, sides=sides_map)
    return events.incidents(incident_keys) if per_victim or incident_keys else events


def _header_key(name: str) -> str:
    """``"Event ID"``, ``"event-id"``, ``" EVENT_ID "`` -> ``"event_id"``."""
    return "_".join(str(name).strip().lower().replace("-", " ").split())


def _normalise_headers(
    table: pd.DataFrame, fmt: str, user_columns: dict[str, str]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Header names as the format spells them, whatever their case and spacing.

    Older ACLED exports write ``EVENT_DATE``, ``ACTOR1``; a spreadsheet says ``Date``, ``Event ID``. ACLED and
    UCDP headers are lower-cased; a canonical table's headers that match a canonical field once case and
    spaces are ignored take the field's name (unless the exact name is there too). A user's column mapping
    may name a column in any case.
    """
    if fmt in ("acled", "ucdp"):
        table = table.rename(columns={c: _header_key(c) for c in table.columns})
    elif fmt == "canonical":
        present = set(table.columns)
        renames = {
            c: _header_key(c) for c in table.columns if _header_key(c) in COLUMNS and _header_key(c) not in present
        }
        if len(set(renames.values())) == len(renames):  # two headers for one field: leave both as they are
            table = table.rename(columns=renames)
    by_key = {_header_key(c): c for c in table.columns}
    fixed = {k: v if v in table.columns else by_key.get(_header_key(v), v) for k, v in user_columns.items()}
    return table, fixed


def _read_file(path: Path, fmt: str, encoding: str) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame | None]:
    if fmt == "parquet":
        if not path.is_dir():  # a folder is a Parquet dataset (escalation convert writes one)
            check_readable(path)
        try:
            table = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
            raise DataError(f"{path}: not a readable Parquet file ({type(exc).__name__}: {exc})") from None
        table.columns = [str(c) for c in table.columns]
        for column in table.columns:
            if table[column].dtype == object:
                table[column] = table[column].astype(TEXT_DTYPE)
        return table, np.arange(2, len(table) + 2, dtype=np.int64), None
    if fmt == "gdelt":
        head = read_head(path, encoding)
        names = gdelt.sniff(head.splitlines()[0] if head else "")
        if names is None:
            raise DataError(f"{path}: not a GDELT event file (expected 57, 58 or 61 tab-separated fields)")
        return read_delimited(path, sep="\t", names=names, encoding=encoding)
    head = read_head(path, encoding)
    first = head.splitlines()[0] if head else ""
    sep = "\t" if "\t" in first and "," not in first else ","
    return read_delimited(path, sep=sep, encoding=encoding)
