"""Words shared by the sentences of the CLI, the results and the report: possessives and articles of the
names users give their sides."""

from __future__ import annotations


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
