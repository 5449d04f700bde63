"""ReadOptions: the reading options in one object, their defaults read_events' own."""

from __future__ import annotations

import pytest

from escalation.errors import UsageError
from escalation.io import ReadOptions


def test_reading_options_keep_their_defaults_in_one_place():
    """The options' defaults are read_events' own, and only options given are passed on."""
    import inspect

    from escalation import read_events

    defaults = {k: p.default for k, p in inspect.signature(read_events).parameters.items() if k != "source"}
    assert {f: getattr(ReadOptions(), f) for f in defaults} == defaults
    assert ReadOptions().keywords() == {} and ReadOptions.from_json(ReadOptions().to_json()) == ReadOptions()
    assert not ReadOptions(sides="s.json", encoding="latin-1").describes_a_file()
    assert ReadOptions(delimiter=";").describes_a_file() and ReadOptions(columns={"date": "d"}).describes_a_file()
    with pytest.raises(UsageError, match="no command-line form"):
        ReadOptions(sides={"US": "United States"}).to_arguments()
