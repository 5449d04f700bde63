"""Words shared by the sentences of the CLI, the results and the report: possessives and articles of the
names users give their sides."""

from __future__ import annotations

from typing import Any


def counted(n: int, noun: str) -> str:
    """``"1 event"``, ``"4 events"``.

    >>> counted(1, "incident"), counted(0, "event")
    ('1 incident', '0 events')
    """
    return f"{n} {noun}{'' if n == 1 else 's'}"


def possessive(name: str) -> str:
    """``"Israel's"``, ``"Palestinians'"``, ``"United States'"``.

    >>> possessive("Israel"), possessive("Palestinians")
    ("Israel's", "Palestinians'")
    """
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def a_(noun: str) -> str:
    """``noun`` with its indefinite article: ``"an action"``, ``"a lethal incident"``.

    >>> a_("action"), a_("lethal incident")
    ('an action', 'a lethal incident')
    """
    return f"{'an' if noun[:1].lower() in tuple('aeiou') else 'a'} {noun}"


def interval_words(days: float) -> str:
    """An interval as a label: hours under a day (``"18 h"``), whole days as such (``"2 d"``), else days to one
    decimal (``"2.7 d"``); never ``"0.738889 d"``.

    >>> interval_words(0.738889), interval_words(2.0), interval_words(2.74)
    ('18 h', '2 d', '2.7 d')
    """
    if days == 0:
        return "same day"
    if days < 1:
        return f"{days * 24:.0f} h"
    return f"{days:.0f} d" if float(days).is_integer() else f"{days:.1f} d"


def duration_words(value: Any) -> str:
    """A duration for prose and reprs: ``"30D"`` or ``Timedelta("30D")`` -> ``"30 days"``, ``"12h"`` ->
    ``"12 hours"`` (never ``"30 days 00:00:00"``).

    >>> duration_words("30D"), duration_words("12h"), duration_words("1D")
    ('30 days', '12 hours', '1 day')
    """
    import pandas as pd

    td = pd.Timedelta(value)
    days = td / pd.Timedelta(days=1)
    if days >= 1 and days == int(days):
        return f"{int(days)} day{'s' if days != 1 else ''}"
    hours = td / pd.Timedelta(hours=1)
    return f"{hours:g} hour{'s' if hours != 1 else ''}"
