"""Subsets that keep everything (issue 31): Events.where keeps the sides and the counts, drops only the stated
links to events left out, and the trigger and response filters of the CLI give the Python call's numbers."""

from __future__ import annotations

import pytest

import escalation as esc
from escalation.cli import main
from escalation.errors import UsageError
from escalation.events.schema import named_references

DATA, SIDES = esc.datasets.iraq_2019_2021_paths()


def test_where_keeps_sides_counts_and_only_the_links_it_can():
    ev = esc.datasets.load_iraq_2019_2021()
    sub = ev.where(event_type=["airstrike", "targeted killing"])
    assert sub.sides == ev.sides and sub.side_list() == ["Iran", "Iran-aligned militias", "United States"]
    assert len(sub) == 5 and sub.n_accepted + sub.n_rejected == sub.n_read == 62
    kept = set(sub.frame["event_id"])
    refs = named_references(sub.frame["responds_to"])
    assert set(refs) <= kept  # no link names an event left out
    before = named_references(ev.frame["responds_to"])
    owners = ev.frame["event_id"].to_numpy()[before.index.to_numpy()]
    to_outside = sum(o in kept and r not in kept for o, r in zip(owners, before, strict=True))
    assert to_outside == sub.provenance["links_to_outside"] == 5
    # filters compose, and the record says both
    both = sub.where(actor_side="United States")
    assert len(both) == 5 and both.subset_note().startswith("event_type in (airstrike, targeted killing); actor_side")
    # the same numbers as the hand-filtered table read again with the sides (what users did before)
    assert esc.chains(sub).links["response_id"].tolist() == esc.chains(sub.frame).links["response_id"].tolist()


def test_where_names_an_unknown_column():
    with pytest.raises(UsageError, match=r"column 'type', which the events do not have; they have event_id"):
        esc.datasets.load_iraq_2019_2021().where(type="airstrike")


def test_survival_trigger_and_response_types_from_the_command_line(tmp_path, capsys):
    km = tmp_path / "km.csv"
    argv = ["survival", str(DATA), "--sides", str(SIDES), "--trigger-type", "rocket attack", "--window", "30D",
            "--table", str(tmp_path / "t.csv"), "-o", str(km)]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "24 events, 8 answered within 30 days" in out and "only triggers: event_type = rocket attack" in out
    assert "Iran-aligned militias United States" in out and " of 24 " in out  # the chance line, same triggers
    py = esc.time_to_response(
        esc.datasets.load_iraq_2019_2021(), window="30D", triggers={"event_type": "rocket attack"}
    )
    assert f"{py.baseline['observed'].iloc[0]} of {py.baseline['responses'].iloc[0]}" in out
    assert main([*argv, "--response-type", "airstrike", "--response-type", "targeted killing"]) == 0
    out = capsys.readouterr().out
    assert "answers: event_type in (airstrike, targeted killing)" in out


def test_a_subset_says_what_it_holds_before_what_was_read():
    """The repr of a 4-event subset began "62 accepted, 0 rejected of 62 rows", which reads as the whole."""
    ev = esc.datasets.load_iraq_2019_2021()
    assert repr(ev).startswith("<Events: 62 accepted, 0 rejected of 62 rows from ")
    assert repr(ev.where(event_type="airstrike")).startswith(
        "<Events: 4 events (event_type = airstrike: 4 events kept, 58 left out; 3 stated links to events left "
        "out dropped); read: 62 accepted"
    )
    one = ev.between("2020-01-01", "2020-06-30").where(event_type="airstrike")
    assert repr(one).startswith("<Events: 1 event (2020-01-01 to 2020-06-30: 1 event in it, 42 outside it left out;")
