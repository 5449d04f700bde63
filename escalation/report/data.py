"""The report's data section and sources: where the data came from, what was read and rejected, and the
sources behind each event, so that a colleague can check them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..events.table import Events
from .text import esc_html, source_name, table_html


def provenance_html(
    events: Events, publisher: dict[str, str] | None = None, tables: Any = None, command: str | None = None
) -> str:
    """Where the data came from: publisher, file, format, counts, mapping, and the rejection table (through
    ``tables``, a :class:`~escalation.report.tables.Tables`, with ``command`` under it, when given)."""
    p = events.provenance
    publisher = publisher or {}
    rows: list[tuple[str, object]] = [
        (label, publisher[key])
        for key, label in (("name", "source"), ("url", "source URL"), ("note", "citation / coverage note"))
        if publisher.get(key)
    ]
    rows += [
        ("data", source_name(events)),
        ("format", p.get("format")),
        ("rows read", events.n_read),
        ("accepted", events.n_accepted),
        ("rejected", events.n_rejected),
        *([("stated links dropped (events kept)", events.n_dropped_links)] if events.n_dropped_links else []),
        ("sides mapping", Path(str(p["sides"])).name if p.get("sides") else "none (each name is its own side)"),
        ("one row per victim", "yes" if p.get("per_victim") else "no"),
        *([("period analysed", events.period_note())] if events.period_note() else []),
        (f"one-sided {events.unit}s (no target; not linked)", events.n_one_sided),
        (
            "unit of analysis",
            f"incident ({len(events.frame)}; rows with equal {', '.join(p.get('incident_keys', []))})"
            if events.members is not None
            else f"event ({len(events.frame)})",
        ),
    ]
    head = pd.DataFrame(rows, columns=["", "value"])
    out = table_html(head) + target_side_note(events)
    if events.n_rejected or events.n_dropped_links:
        rejected = events.rejections[["row", "column", "value", "reason"]]
        title = "Rejected rows" if not events.n_dropped_links else "Rejected rows and dropped stated links"
        out += f"<h3>{title}</h3>" + (
            table_html(rejected, max_rows=40)
            if tables is None
            else tables.html(rejected, "rejections", command=command, max_rows=40)
        )
    return out


def target_side_note(events: Events, share: float = 0.01) -> str:
    """Sides that are only ever targets, in under ``share`` of the events: with one row per victim they are
    usually the victims' nationalities (a Jordanian killed in an attack on Israelis), not parties."""
    f = events.frame
    if not len(f):
        return ""
    actors = set(f["actor_side"].dropna().astype(str))
    counts = f["target_side"].dropna().astype(str).value_counts()
    small = counts[(counts < share * len(f)) & ~counts.index.isin(actors)]
    if small.empty:
        return ""
    listed = ", ".join(f"{esc_html(side)} ({n} {events.unit}{'s' if n != 1 else ''})" for side, n in small.items())
    column = esc_html(events.provenance.get("columns", {}).get("target", "target"))
    return (f"<p class='warning'>Sides that never act and are the target of fewer than {share:.0%} of the "
            f"{events.unit}s: {listed}. They come from the column <code>{column}</code>"
            + (", which names each victim's nationality: they are probably not parties to the conflict. Map "
               "them to the side they were attacked as in the sides file (--sides), or read their rows as such."
               if events.provenance.get("per_victim") else "; check that they are parties to the conflict.")
            + "</p>")  # fmt: skip


def source_table(events: Events, per_event: int = 200) -> pd.DataFrame:
    """The sources behind the data, keyed so that a colleague can check each event.

    Up to ``per_event`` events with ids: one row per event in date order (``event_id``, ``date``,
    ``source`` and, where the data state links, ``link_basis``). More events than that: one row per
    distinct source with the number of events citing it and their first and last dates (most cited first,
    ties by name, so that two runs print the same list). Empty when the data have no ``source`` column.
    """
    f = events.frame
    if "source" not in f.columns or f["source"].isna().all():
        return pd.DataFrame(columns=["source", "events"])
    if "event_id" in f.columns and f["event_id"].notna().all() and len(f) <= per_event:
        columns = ["event_id", "date", "source"] + (["link_basis"] if "link_basis" in f.columns else [])
        return f[columns].sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)
    cited = f[f["source"].notna()]
    table = cited.groupby(cited["source"].astype(str), sort=False)["date"].agg(events="size", first="min", last="max")
    return table.reset_index().sort_values(["events", "source"], ascending=[False, True], kind="stable")


def sources_html(events: Events, publisher: dict[str, str] | None = None, limit: int = 60) -> str:
    """The data's sources: the publisher or the dataset's citation, then :func:`source_table`."""
    p = events.provenance
    parts = []
    if publisher and publisher.get("name"):
        url = publisher.get("url")
        # Only web addresses become links: a "javascript:" address in a shared report would run on a click.
        web = bool(url) and str(url).lower().startswith(("https://", "http://"))
        link = f' (<a href="{esc_html(url)}">{esc_html(url)}</a>)' if web else f" ({esc_html(url)})" if url else ""
        note = f" {esc_html(publisher['note'])}" if publisher.get("note") else ""
        parts.append(f"<p>Data published by {esc_html(publisher['name'])}{link}.{note}</p>")
    if p.get("dataset") == "iraq_2019_2021":
        parts.append(
            "<p>Bundled dataset <code>iraq_2019_2021</code>, compiled from public reporting and checked field by "
            "field; see <code>escalation/datasets/README.md</code>. The sources of each event, and the statement "
            "behind each stated link:</p>"
        )
    else:
        parts.append(f"<p>Data file: <code>{esc_html(source_name(events))}</code> ({esc_html(p.get('format'))} "
                     "format).</p>")  # fmt: skip
    table = source_table(events)
    if table.empty:
        parts.append("<p>The data carry no per-event source column.</p>")
    elif "event_id" in table.columns:
        has_basis = "link_basis" in table.columns
        head = "<tr><th>event</th><th>sources</th>" + ("<th>stated link: the statement</th>" if has_basis else "")
        rows = []
        for row in table.itertuples(index=False):
            basis = getattr(row, "link_basis", None) if has_basis else None
            cells = (f"<td><code>{esc_html(row.event_id)}</code><br>{row.date:%Y-%m-%d}</td>"
                     f"<td>{esc_html(row.source)}</td>")  # fmt: skip
            if has_basis:
                cells += f"<td>{esc_html(basis) if isinstance(basis, str) else ''}</td>"
            rows.append(f"<tr>{cells}</tr>")
        parts.append(f"<table class='sources'>{head}</tr>{''.join(rows)}</table>")
    else:
        items = "".join(
            f"<li>{esc_html(r.source)} ({r.events} {events.unit}{'s' if r.events != 1 else ''}, "
            f"{r.first:%Y-%m-%d} to {r.last:%Y-%m-%d})</li>"
            for r in table.head(limit).itertuples(index=False)
        )
        more = f"<p class='more'>... and {len(table) - limit} more sources.</p>" if len(table) > limit else ""
        parts.append(f"<ul class='sources'>{items}</ul>{more}")
    return "".join(parts)
