"""How to read an event file, said once: :class:`ReadOptions`.

The same dozen options reach :func:`escalation.read_events` from four places: a Python call, the command line
(``--columns``, ``--dayfirst``, ...), a report (whose tables print the command that reproduces them, and whose
notebook reads the file again) and the Dask engine (each file read by ``read_events``, the options kept in a
converted dataset's marker). :class:`ReadOptions` holds them, and alone knows their command-line spelling
(:meth:`ReadOptions.from_arguments`, :meth:`ReadOptions.to_arguments`) and their JSON form; every option keeps
its default in one place, this class, and ``read_events`` checks them (stage 1 of :mod:`escalation.io.read`).
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from .._core.vocabulary import ActorLevel, Format
from ..errors import UsageError
from ..events.sides import SidesLike

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


def _listed(text: str | None) -> list[str] | None:
    """``"a, b,"`` -> ``["a", "b"]``; None or nothing listed -> None."""
    items = [k.strip() for k in text.split(",") if k.strip()] if text else []
    return items or None


@dataclass(frozen=True)
class ReadOptions:
    """Every option of :func:`escalation.read_events` besides the source, with its default.

    Parameters are those of :func:`escalation.read_events`, which documents them. ``sides`` is a mapping or a
    file's path; the JSON form keeps a path as text.

    Examples
    --------
    >>> from escalation.io.options import ReadOptions
    >>> options = ReadOptions(columns={"date": "date_of_event"}, per_victim=True, dayfirst=True)
    >>> options.keywords()
    {'columns': {'date': 'date_of_event'}, 'per_victim': True, 'dayfirst': True}
    >>> options.to_arguments()
    ['--columns', 'date=date_of_event', '--per-victim', '--dayfirst']
    """

    columns: Mapping[str, str] | None = None
    sides: SidesLike = None
    format: Format = "auto"
    per_victim: bool = False
    encoding: str = "utf-8"
    incident_keys: Sequence[str] | None = None
    na_values: Sequence[str] = field(default=NA_VALUES)
    dayfirst: bool | None = None
    date_format: str | Sequence[str] | None = None
    delimiter: str | None = None
    sheet: str | int | None = None
    actor_level: ActorLevel | None = None

    def keywords(self) -> dict[str, Any]:
        """The options not at their default, as :func:`escalation.read_events` keywords."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value != f.default and not (f.name in ("columns", "incident_keys") and not value):
                out[f.name] = value
        return out

    def describes_a_file(self) -> bool:
        """Whether an option other than ``sides`` and ``encoding`` is given: those need a file to read."""
        return bool(set(self.keywords()) - {"sides", "encoding"})

    def to_json(self) -> str:
        """The options not at their default, as JSON (a path of ``sides`` as text)."""
        given = self.keywords()
        if isinstance(given.get("sides"), os.PathLike):
            given["sides"] = os.fspath(given["sides"])
        return json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in given.items()})

    @classmethod
    def from_json(cls, text: str | None) -> ReadOptions:
        """The options :meth:`to_json` wrote."""
        return cls(**json.loads(text or "{}"))

    @classmethod
    def from_arguments(cls, args: argparse.Namespace) -> ReadOptions:
        """The options given on a command line (``escalation.cli``'s ``DATA`` and reading options)."""
        given: dict[str, Any] = {
            "columns": parse_columns(getattr(args, "columns", None)) or None,
            "sides": getattr(args, "sides", None),
            "format": getattr(args, "format", "auto"),
            "per_victim": getattr(args, "per_victim", False),
            "encoding": getattr(args, "encoding", "utf-8"),
            "incident_keys": _listed(getattr(args, "incident_keys", None)),
            "dayfirst": getattr(args, "dayfirst", None),
            "date_format": getattr(args, "date_format", None),
            "delimiter": getattr(args, "delimiter", None),
            "sheet": getattr(args, "sheet", None),
            "actor_level": getattr(args, "actor_level", None),
        }
        na = getattr(args, "na_values", None)
        if na is not None:  # "''" alone: nothing but an empty cell is missing
            given["na_values"] = [""] + [v.strip() for v in na.split(",") if v.strip() and v.strip() != "''"]
        return cls(**{k: v for k, v in given.items() if v is not None})

    def to_arguments(self) -> list[str]:
        """The command-line options that read a file as these options do (:meth:`from_arguments` back)."""
        args: list[str] = []
        if self.columns:
            args += ["--columns", ",".join(f"{k}={v}" for k, v in self.columns.items())]
        if self.sides is not None:
            if not isinstance(self.sides, str | os.PathLike):
                raise UsageError("sides given as a mapping have no command-line form; write them to a file")
            args += ["--sides", os.fspath(self.sides)]
        if self.format != "auto":
            args += ["--format", self.format]
        if self.per_victim:
            args.append("--per-victim")
        if self.incident_keys:
            args += ["--incident-keys", ",".join(self.incident_keys)]
        if self.encoding != "utf-8":
            args += ["--encoding", self.encoding]
        if self.dayfirst is not None:
            args.append("--dayfirst" if self.dayfirst else "--monthfirst")
        for fmt in [self.date_format] if isinstance(self.date_format, str) else self.date_format or []:
            args += ["--date-format", fmt]
        for key in ("delimiter", "sheet", "actor_level"):
            if getattr(self, key) is not None:
                args += [f"--{key.replace('_', '-')}", str(getattr(self, key))]
        if tuple(self.na_values) != NA_VALUES:
            values = [v for v in self.na_values if v != ""]
            args += ["--na-values", ",".join(values) if values else "''"]
        return args
