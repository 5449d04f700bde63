"""read_events: a file (or DataFrame) to :class:`~escalation.Events`, in named stages.

1. check the options (:func:`_check_options`), before anything is read;
2. read the table as text, with each row's line number and the malformed records (:func:`_read_table`);
3. set aside an HXL hashtag row, blank the missing-value texts (:func:`_blank_missing`);
4. map the format's (and the user's) columns to the canonical ones (:func:`_to_canonical`);
5. validate (:func:`escalation.events.checks.validate`): every bad cell becomes a rejection with its row;
6. give back the raw cells, sort by date, add the malformed records to the rejections
   (:func:`_malformed_rejections`), apply the sides, and record where it all came from
   (:func:`_provenance`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd

from .._core.dates import as_formats
from .._core.memory import release_unused
from .._core.vocabulary import ActorLevel, Format
from ..errors import DataError, UsageError
from ..events.checks import validate
from ..events.schema import COLUMNS, REQUIRED, TEXT_DTYPE, by_date, n_rejected_rows, order_columns
from ..events.sides import SidesLike, apply_sides, read_camps, read_colours, read_sides
from ..events.table import Events
from . import acled, canonical, gdelt, ucdp
from ._files import MAX_COLUMNS, check_encoding, check_readable, is_hxl_row, read_delimited, read_head
from ._sheets import is_spreadsheet, read_sheet
from .dataset import check_options, read_converted, read_marker
from .detect import check_format, detect_format, format_of_header, text_header
from .options import NA_VALUES, ReadOptions

_MODULES: dict[str, ModuleType] = {"canonical": canonical, "acled": acled, "ucdp": ucdp, "gdelt": gdelt}
MALFORMED = "record has {fields} fields; the header has {expected}"


def _first_filled(table: pd.DataFrame, columns: list[str]) -> pd.Series:
    """``table[columns[0]]``, its missing cells filled from the next columns in turn."""
    out = table[columns[0]]
    for column in columns[1:]:
        out = out.where(out.notna(), table[column])
    return out


def read_events(
    source: str | os.PathLike[str] | pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    sides: SidesLike = None,
    format: Format = "auto",
    per_victim: bool = False,
    encoding: str = "utf-8",
    incident_keys: Sequence[str] | None = None,
    na_values: Sequence[str] = NA_VALUES,
    dayfirst: bool | None = None,
    date_format: str | Sequence[str] | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
    actor_level: ActorLevel | None = None,
) -> Events:
    """Read an event table into :class:`Events`, rejecting bad rows with their reasons.

    Parameters
    ----------
    source : path or DataFrame
        A CSV/TSV (any of ``,``, tab, ``;``, ``|``), a spreadsheet (``.xlsx``, ``.xls``, ``.ods``), a
        Parquet file or dataset folder, or a DataFrame. A dataset
        written by ``escalation convert`` is read as converted, without validating it
        again: same events, rejections and counts as its sources gave.
    columns : dict, optional
        ``{canonical name: column in the file}``, e.g. ``{"date": "date_of_event"}``.
        Overrides the format's own mapping for the names it gives. ``"ammunition|type_of_injury"`` takes,
        row by row, the first of the columns that has a value.
    sides : dict or path, optional
        Actor/target name -> side (JSON object or ``name,side`` CSV).
    format : {"auto", "canonical", "acled", "ucdp", "gdelt", "parquet"}
        ``auto`` detects the format from the file.
    per_victim : bool
        Each row is one person killed (e.g. B'Tselem): ``fatalities`` is 1 per row and
        the rows are grouped into incidents (same day, acting side, target side and
        location; see :mod:`escalation.events.incidents`), the unit every analysis works on.
        The rows stay in ``Events.members``.
    encoding : str
        Text encoding of the file.
    na_values : sequence of str
        Cell texts that mean "missing" (default :data:`NA_VALUES`: empty, ``NA``, ``N/A``, ``NULL``, ...,
        as R and spreadsheets write them). Pass ``[""]`` to keep ``NA`` as text (Namibia's ISO code).
    incident_keys : sequence of str, optional
        Group rows into incidents by these columns (default for ``per_victim``:
        ``date, actor_side, target_side, location``). Giving keys groups any table.
    dayfirst : bool, optional
        All-number dates (``01/03/2021``): ``True`` reads day first (Europe), ``False`` month first (US).
        By default they are rejected as ambiguous, never guessed. ISO dates and dates with the month as a
        word ("3 March 2021", "March 3, 2021") are always read.
    date_format : str or sequence of str, optional
        ``strftime`` format(s) of the date column, tried first (e.g. ``"%d.%m.%Y %H:%M"``).
    delimiter : str, optional
        Field delimiter of a text file; by default told from its first lines (``,``, tab, ``;``, ``|``).
    sheet : str or int, optional
        Sheet of a spreadsheet, by name or 0-based position (default: the first).
    actor_level : {"code", "name", "country"}, optional
        GDELT only: sides from ``Actor1Code`` (default), ``Actor1Name`` or ``Actor1CountryCode``.

    Returns
    -------
    Events
        ``.frame`` (accepted events), ``.rejections`` (one line per problem)
        and ``.provenance`` (file, format, rows read / accepted / rejected; an HXL hashtag row under
        the header is recognised, skipped and noted as ``hxl_row``).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"date": ["2020-01-03", "2020-01-08", "not a date"],
    ...                       "actor": ["US", "Iran", "Iran"], "target": ["Iran", "US", "US"]})
    >>> ev = read_events(table)
    >>> ev.n_read, ev.n_accepted, ev.n_rejected
    (3, 2, 1)
    >>> ev.rejections["reason"].str.split(" [(]").str[0].tolist()
    ['unparseable date']
    """
    options = ReadOptions(
        columns=columns, sides=sides, format=format, per_victim=per_victim, encoding=encoding,
        incident_keys=incident_keys, na_values=na_values, dayfirst=dayfirst, date_format=date_format,
        delimiter=delimiter, sheet=sheet, actor_level=actor_level,
    )  # fmt: skip
    user_columns = _check_options(options)
    sides_map = read_sides(sides)
    if not isinstance(source, pd.DataFrame) and Path(source).is_dir():
        record = read_marker(source)
        if record is not None:  # written by `escalation convert`: already validated
            check_options(Path(source), columns=user_columns, format=format, per_victim=per_victim)
            converted = replace(
                read_converted(Path(source), record, sides_map), camps=read_camps(sides), colours=read_colours(sides)
            )
            keys = incident_keys or record["options"].get("incident_keys")
            return converted.incidents(keys) if keys or converted.provenance["per_victim"] else converted

    name, fmt, table, rows, malformed, sheets = _read_table(source, options)
    _check_width(name, table.shape[1])  # a spreadsheet, a Parquet file or a DataFrame
    if actor_level is not None and fmt != "gdelt":
        raise UsageError(f"actor_level (--actor-level) is for GDELT files; {name} is read as {fmt}")
    hxl_row = None
    if len(table) and is_hxl_row(table.iloc[0]):  # HDX republications tag each column under the header
        hxl_row = int(rows[0])
        table, rows = table.iloc[1:].reset_index(drop=True), rows[1:]
    file_columns = [str(c) for c in table.columns]  # as the file writes them, for messages
    table, user_columns = _normalise_headers(table, fmt, user_columns)
    table, named_as = _synonym_headers(table, fmt, user_columns)
    _blank_missing(table, na_values)
    table, canon, keep, mapping, shadowed = _to_canonical(table, name, fmt, user_columns, per_victim, actor_level,
                                                          file_columns)  # fmt: skip
    if sheets is not None and any(c not in canon for c in REQUIRED):
        chosen, names = sheets
        raise DataError(
            f"{name}, sheet {chosen!r}: no column for {', '.join(c for c in REQUIRED if c not in canon)}; the sheet "
            f"has {', '.join(map(str, table.columns)) or 'no columns'}. The workbook's sheets are "
            f"{', '.join(map(repr, names))}: choose one with --sheet (sheet=), or map columns with --columns"
        )
    frame, rejections = validate(
        canon, file=name, rows=rows, date_formats=_MODULES[fmt].DATE_FORMATS, keep=keep, id_source=table,
        dayfirst=dayfirst, date_format=date_format, sort=False,
    )  # fmt: skip
    date_order = frame.attrs.pop("date_order", None)  # 27/12/2019 settled the column (checks.validate)
    n_read = len(table) + (0 if malformed is None else len(malformed))
    # The raw cells no event column shares (the dates' text, the counts' text) are given back before the events
    # are sorted: under Arrow's default pool the process held 3.2 GiB when sorting began, 1.8 GiB with this.
    del table, canon
    release_unused()
    frame = by_date(frame)
    rejections = _malformed_rejections(rejections, malformed, name)
    frame = order_columns(apply_sides(frame, sides_map))
    provenance = _provenance(
        name, fmt, n_read, len(frame), rejections, mapping, sides, per_victim,
        hxl_row=hxl_row, sheet=None if sheets is None else sheets[0], shadowed_columns=shadowed or None,
        date_order=date_order or None, columns_by_name=named_as or None,
    )  # fmt: skip
    events = Events(frame=frame, rejections=rejections, provenance=provenance, sides=sides_map, camps=read_camps(sides),
                    colours=read_colours(sides))  # fmt: skip
    release_unused()
    return events.incidents(incident_keys) if per_victim or incident_keys else events


def _check_options(options: ReadOptions) -> dict[str, str]:
    """Stage 1: every option checked before anything is read; the user's column mapping as a dict."""
    check_format(options.format)
    _check_reading_options(options.dayfirst, options.date_format, options.delimiter, options.actor_level,
                           options.encoding)  # fmt: skip
    user_columns = dict(options.columns or {})
    unknown = sorted(set(user_columns) - set(COLUMNS))
    if unknown:
        raise UsageError(
            f"column mapping names {', '.join(map(repr, unknown))}, which are not event fields; "
            f"the fields are {', '.join(COLUMNS)}"
        )
    if options.per_victim and "fatalities" in user_columns:
        raise UsageError("per_victim (--per-victim) counts one death per row: do not also map a fatalities column")
    return user_columns


def _read_table(
    source: str | os.PathLike[str] | pd.DataFrame, options: ReadOptions
) -> tuple[str, str, pd.DataFrame, np.ndarray, pd.DataFrame | None, tuple[Any, list[Any]] | None]:
    """Stage 2: the table as read (text cells), its name and format, each row's line number in the file, the
    malformed records (text files) and the sheet read with the workbook's sheets (spreadsheets)."""
    if isinstance(source, pd.DataFrame):
        table = source.reset_index(drop=True).copy()
        table.columns = [str(c) for c in table.columns]
        rows = np.arange(1, len(table) + 1, dtype=np.int64)
        return "<DataFrame>", "canonical" if options.format == "auto" else options.format, table, rows, None, None
    path, format, encoding, delimiter = Path(source), options.format, options.encoding, options.delimiter
    if is_spreadsheet(path):  # read once; the format is told from the header of the sheet read
        table, rows, malformed, sheets = _read_file(path, "canonical", encoding, sheet=options.sheet)
        fmt = format_of_header(table.columns) if format == "auto" else format
    else:
        fmt = detect_format(path, encoding, delimiter=delimiter) if format == "auto" else format
        table, rows, malformed, sheets = _read_file(path, fmt, encoding, delimiter=delimiter)
    return str(path), "canonical" if fmt == "parquet" else fmt, table, rows, malformed, sheets


def _blank_missing(table: pd.DataFrame, na_values: Sequence[str]) -> None:
    """Stage 3: the texts that mean "missing" become missing, in place, one text column at a time and only in a
    column that has one (no copy of the table)."""
    missing = [v for v in na_values if v != ""]
    if not missing or not len(table):
        return
    text = [str(c) for c, t in table.dtypes.items() if pd.api.types.is_object_dtype(t) or isinstance(t, pd.StringDtype)]
    for column in text:
        hit = table[column].isin(missing)
        if hit.any():
            table[column] = table[column].mask(hit)


def _to_canonical(
    table: pd.DataFrame,
    name: str,
    fmt: str,
    user_columns: dict[str, str],
    per_victim: bool,
    actor_level: str | None,
    file_columns: list[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, list[str], dict[str, str], dict[str, str]]:
    """Stage 4: the table as the format prepares it (validation reads its event ids), the canonical columns
    from the format's mapping and the user's (``"a|b"``: the first filled), the extra columns kept, the
    mapping used and the file columns the user's mapping shadows."""
    module = _MODULES[fmt]
    try:
        table = module.prepare(table)
    except KeyError as exc:
        raise DataError(f"{name}: not a {fmt} file, it has no column {exc}") from None
    base = gdelt.mapping(actor_level or "code") if fmt == "gdelt" else module.MAPPING
    mapping = {**{k: v for k, v in base.items() if v in table.columns}, **user_columns}
    # "ammunition|type_of_injury": the first column with a value, row by row (B'Tselem leaves one blank).
    parts = {k: v.split("|") if k in user_columns else [v] for k, v in mapping.items()}
    absent = [p for k in user_columns for p in parts[k] if p not in table.columns]
    if absent:
        headers = file_columns or [str(c) for c in table.columns]
        hint = ""
        if len(headers) == 1 and any(d in headers[0] for d in ",;\t|"):
            hint = "; the whole header was read as one column: is the delimiter right? (--delimiter, delimiter=)"
        raise DataError(
            f"{name}: no column {', '.join(repr(v) for v in absent)} in the file; "
            f"its columns are {', '.join(map(repr, headers))}{hint}"
        )
    canon = pd.DataFrame({field: _first_filled(table, cols) for field, cols in parts.items()})
    if per_victim:
        canon["fatalities"] = 1
    keep = [c for c in (gdelt.keep(actor_level or "code") if fmt == "gdelt" else module.KEEP) if c in table.columns]
    # A file column named like a field the user mapped elsewhere (--columns date=event_date beside a "date"
    # column) is not used: the explicit mapping wins, and the clash is named (Events.warnings).
    shadowed = {k: v for k, v in user_columns.items() if k in table.columns and k not in parts[k]}
    if fmt == "canonical":
        # A canonical table keeps the user's extra columns as they are (not those the mapping replaces).
        used = {c for cols in parts.values() for c in cols}
        keep = [c for c in table.columns if c not in used and c not in parts and not c.startswith("Unnamed")]
    for column in keep:
        canon[column] = table[column]
    return table, canon, keep, mapping, shadowed


def _malformed_rejections(rejections: pd.DataFrame, malformed: pd.DataFrame | None, name: str) -> pd.DataFrame:
    """Stage 6: the records a text file could not split into the header's fields join the rejections, by row."""
    if malformed is None or not len(malformed):
        return rejections
    extra = pd.DataFrame(
        {
            "file": name,
            "row": malformed["row"].to_numpy(),
            "column": "(all)",
            "value": malformed["value"].to_numpy() if "value" in malformed else pd.NA,
            "reason": [
                why or MALFORMED.format(fields=f, expected=e)
                for f, e, why in zip(malformed["fields"], malformed["expected"], malformed["reason"], strict=True)
            ],
        }
    )
    rejections = pd.concat([rejections, extra.astype(rejections.dtypes.to_dict())], ignore_index=True)
    return rejections.sort_values("row", kind="stable").reset_index(drop=True)


def _provenance(
    name: str,
    fmt: str,
    n_read: int,
    n_accepted: int,
    rejections: pd.DataFrame,
    mapping: dict[str, str],
    sides: SidesLike,
    per_victim: bool,
    **notes: Any,
) -> dict[str, Any]:
    """Stage 6: where the events came from and what was made of them; ``notes`` that are not None are added, in
    the order given (an HXL row, the sheet, shadowed columns, the date order, columns found by name)."""
    provenance: dict[str, Any] = {
        "file": name,
        "format": fmt,
        "rows_read": int(n_read),
        "accepted": n_accepted,
        "rejected": n_rejected_rows(rejections),
        "columns": dict(mapping),
        "sides": str(sides) if isinstance(sides, str | os.PathLike) else ("given" if sides else None),
        "per_victim": per_victim,
    }
    provenance.update({k: v for k, v in notes.items() if v is not None})
    return provenance


def _check_reading_options(
    dayfirst: bool | None,
    date_format: str | Sequence[str] | None,
    delimiter: str | None,
    actor_level: str | None,
    encoding: str | None = None,
) -> None:
    """Check the options that say how to read a file, before any file is opened."""
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise UsageError(f"delimiter must be one character (not a quote or line break), got {delimiter!r}")
    if actor_level is not None and actor_level not in gdelt.ACTOR_LEVELS:
        raise UsageError(f"actor_level must be one of {', '.join(gdelt.ACTOR_LEVELS)}, got {actor_level!r}")
    if dayfirst not in (None, True, False):
        raise UsageError(f"dayfirst must be True, False or None, got {dayfirst!r}")
    for fmt in as_formats(date_format):
        if "%" not in fmt:
            raise UsageError(f"date_format {fmt!r} has no strftime codes (e.g. %d/%m/%Y)")
        try:  # an unknown code ("%Q") fails here, by name, not in the middle of reading
            pd.to_datetime(pd.Series(["2021-03-01"]), format=fmt, errors="coerce")
        except ValueError as exc:
            raise UsageError(f"date_format {fmt!r}: {exc}") from None
    if encoding is not None:
        check_encoding(encoding)


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

    def spelled(name: str) -> str:
        return name if name in table.columns else by_key.get(_header_key(name), name)

    # "a|b" names several columns (the first filled is taken): each is spelled as the file spells it.
    fixed = {k: "|".join(spelled(part.strip()) for part in v.split("|")) for k, v in user_columns.items()}
    return table, fixed


#: Headers a spreadsheet uses for an event field the analyses read (compared without case, spaces or
#: punctuation). "Casualties" is left out: it may mean killed, wounded or both. Place, source and notes are
#: kept under the user's own names: nothing is computed from them.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "event_id": ("id", "no", "nr", "number", "event_no", "event_number", "incident_id", "incident_no"),
    "date": ("day", "event_date", "incident_date", "date_of_event"),
    "actor": ("perpetrator", "attacker", "actor1", "actor_1", "side_a", "by"),
    "target": ("against", "attacked", "actor2", "actor_2", "side_b", "target_actor"),
    "event_type": ("event", "type", "incident_type", "action", "attack_type", "kind"),
    "fatalities": ("deaths", "killed", "dead", "death_toll", "fatality", "number_killed"),
    "injuries": ("injured", "wounded", "injury"),
    "responds_to": ("in_response_to", "response_to", "responds", "answers", "answer_to", "retaliation_for",
                    "reply_to", "in_reply_to"),
}  # fmt: skip


def _loose_key(name: str) -> str:
    """``"No."`` -> ``"no"``, ``"In response to"`` -> ``"in_response_to"``, ``"Deaths (all)"`` -> ``"deaths_all"``."""
    return re.sub(r"\W+", "_", str(name).strip().lower()).strip("_")


def _synonym_headers(
    table: pd.DataFrame, fmt: str, user_columns: dict[str, str]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """A canonical table's ``Deaths``, ``Event``, ``No.``, ``In response to`` read as the fields they name.

    Only for a field the table lacks and the user did not map, and only when one column names it: two
    candidates (``Killed`` and ``Dead``) are left for the user. Returns the table and ``{field: column}``
    (said in the provenance, and printed with the ``--columns`` line that overrides it). A spreadsheet's
    ``Deaths`` was kept as an unused extra column, and every event counted with unknown deaths.
    """
    if fmt != "canonical":
        return table, {}
    mapped = {p.strip() for v in user_columns.values() for p in v.split("|")}
    free = [c for c in table.columns if c not in COLUMNS and c not in mapped]
    renames: dict[str, str] = {}
    for field_name, names in SYNONYMS.items():
        if field_name in table.columns or field_name in user_columns:
            continue
        hits = [c for c in free if _loose_key(c) in names and c not in renames]
        if len(hits) == 1:
            renames[hits[0]] = field_name
    if not renames:
        return table, {}
    return table.rename(columns=renames), {v: str(k) for k, v in renames.items()}


def _read_file(
    path: Path, fmt: str, encoding: str, *, delimiter: str | None = None, sheet: str | int | None = None
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame | None, tuple[str, list[str]] | None]:
    """The table, each record's row number, the malformed records, and (for a spreadsheet) the sheet read
    and the workbook's sheets."""
    if fmt == "parquet":
        if not path.is_dir():  # a folder is a Parquet dataset (escalation convert writes one)
            check_readable(path)
            _unique_parquet_columns(path)
        try:
            table = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
            why = str(exc).splitlines()[0] if str(exc) else ""  # pyarrow's messages run over many lines
            raise DataError(f"{path}: not a readable Parquet file ({type(exc).__name__}: {why})") from None
        table.columns = [str(c) for c in table.columns]
        for column in table.columns:
            if table[column].dtype == object:
                table[column] = _as_text(table[column])
        return table, np.arange(2, len(table) + 2, dtype=np.int64), None, None
    if is_spreadsheet(path):
        table, rows, broken, chosen, sheet_names = read_sheet(path, sheet)
        return table, rows, broken, (chosen, sheet_names)
    head = read_head(path, encoding)
    if fmt == "gdelt":
        names = gdelt.sniff(head.splitlines()[0] if head else "")
        if names is not None:
            return (*read_delimited(path, sep="\t", names=names, encoding=encoding), None)
        sep, header = text_header(head, delimiter)
        if format_of_header(header) != "gdelt":
            raise DataError(
                f"{path}: not a GDELT event file (expected 57, 58 or 61 tab-separated fields, or a header "
                "with GLOBALEVENTID, SQLDATE, Actor1Code)"
            )
        return (*read_delimited(path, sep=sep, encoding=encoding), None)
    sep, header = text_header(head, delimiter)
    _check_width(str(path), len(header))  # from the header line: a 10,000-column file is not read first
    return (*read_delimited(path, sep=sep, encoding=encoding), None)


def _unique_parquet_columns(path: Path) -> None:
    """Refuse a Parquet file with two columns of one name (pandas would keep either, or fail many lines long)."""
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(path).names
    except Exception:  # not Parquet at all: the reader says so next
        return
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        listed = ", ".join(f"{n!r} ({names.count(n)} times)" for n in twice)
        raise DataError(f"{path}: column names must be unique; this file repeats {listed}")


def _as_text(column: pd.Series) -> pd.Series:
    """A Parquet column of Python objects as text. Binary cells (Parquet BYTE_ARRAY without a string type)
    are decoded as UTF-8; bytes that are not UTF-8 stay visible as ``\\xNN`` escapes, so the row reaches
    validation (and its rejection table) with what it held, instead of ending the read."""
    try:  # the C conversion first: text, and binary that is UTF-8, need no look at each cell
        return column.astype(TEXT_DTYPE)
    except UnicodeDecodeError:
        pass
    values = column.to_numpy(dtype=object)
    binary = np.fromiter((isinstance(v, bytes | bytearray) for v in values), dtype=bool, count=len(values))
    values = values.copy()
    values[binary] = [bytes(v).decode("utf-8", "backslashreplace") for v in values[binary]]
    return pd.Series(values, index=column.index, name=column.name).astype(TEXT_DTYPE)


def _check_width(name: str, n_columns: int) -> None:
    if n_columns > MAX_COLUMNS:
        raise DataError(f"{name}: {n_columns:,} columns; an event table has tens (ACLED 31, UCDP GED 49, GDELT 61) "
                        f"and escalation reads at most {MAX_COLUMNS:,}: is this a wide table (one column per day "
                        "or per side)? Reshape it to one row per event")  # fmt: skip
