from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import escalation as esc
from escalation.cli import main
from escalation.errors import UsageError
from escalation.io._coerce import as_events

from ..conftest import BTSELEM_COLUMNS, EXAMPLES


def victims():
    # Six people killed in one attack in Tel Aviv, one more the same day in Jenin by the other side,
    # two the next day in Gaza (one row with an unknown location).
    return pd.DataFrame(
        {
            "event_id": [f"v{i}" for i in range(1, 10)],
            "date": ["2001-06-01"] * 7 + ["2001-06-02"] * 2,
            "actor": ["P"] * 6 + ["I", "I", "I"],
            "target": ["I"] * 6 + ["P", "P", "P"],
            "event_type": ["bomb"] * 5 + ["gunfire", "gunfire", "missile", "missile"],
            "location": ["Tel Aviv"] * 6 + ["Jenin", "Gaza", None],
        }
    )


def test_victims_become_incidents_by_hand():
    rows = victims()
    ev = esc.read_events(rows.assign(fatalities=1)).incidents()
    f = ev.frame
    assert len(f) == 4 and ev.unit == "incident"
    by_place = f.set_index(f["location"].fillna("?"))
    assert by_place.loc["Tel Aviv", "fatalities"] == 6 and by_place.loc["Tel Aviv", "n_rows"] == 6
    assert by_place.loc["Tel Aviv", "event_type"] == "bomb"  # 5 bombs and 1 gunfire: the most frequent
    assert by_place.loc["Tel Aviv", "event_id"] == "v1"  # the first row's id
    assert by_place.loc["Jenin", "fatalities"] == 1
    assert by_place.loc["Gaza", "fatalities"] == 1 and by_place.loc["?", "fatalities"] == 1
    # nothing lost: rows read = accepted + rejected, and every row is a member of one incident
    assert ev.n_read == 9 and ev.n_accepted == 9 and ev.n_rejected == 0
    assert set(ev.members["incident_id"]) == set(f["event_id"])
    assert ev.members.groupby("incident_id").size().sum() == 9
    assert "-> 4 incidents" in repr(ev)


def test_per_victim_reading_groups_rows(tmp_path):
    path = tmp_path / "victims.csv"
    victims().to_csv(path, index=False)
    ev = esc.read_events(path, per_victim=True)
    assert len(ev.frame) == 4 and ev.frame["fatalities"].sum() == 9
    assert ev.provenance["incidents"] == 4
    assert ev.provenance["incident_keys"] == ["date", "actor_side", "target_side", "location"]
    # other keys: without location the two Gaza rows are one incident
    ev2 = esc.read_events(path, per_victim=True, incident_keys=["date", "actor_side", "target_side"])
    assert len(ev2.frame) == 3


def test_links_are_between_incidents_not_victims():
    rows = victims().assign(fatalities=1)
    as_rows = esc.link(rows, window="30D")
    as_incidents = esc.link(esc.read_events(rows).incidents(), window="30D")
    # Victim rows: each of the 2 + 1 Israeli rows on later/same days answers... the victims of one bomb
    # would each be a trigger; as incidents the Jenin killing cannot answer the same-day bombing (no order)
    # and the next day's Gaza incidents each answer the bombing once.
    assert len(as_incidents) == 2
    assert set(as_incidents["trigger_id"]) == {"v1"}
    assert len(as_rows) == 2  # the same two responses, but the trigger is the latest victim row
    assert set(as_rows["trigger_id"]) == {"v6"}


def test_stated_links_follow_their_rows_into_incidents():
    t = pd.DataFrame(
        {
            "event_id": ["a1", "a2", "b1", "b2"],
            "date": ["2020-01-01", "2020-01-01", "2020-01-03", "2020-01-03"],
            "actor": ["A", "A", "B", "B"],
            "target": ["B", "B", "A", "A"],
            "location": ["x", "x", "y", "y"],
            "responds_to": [None, None, "a2", "a1;b1"],
        }
    )
    ev = esc.read_events(t).incidents()
    assert ev.frame.set_index("event_id").loc["b1", "responds_to"] == "a1"  # a2 is in incident a1; b1 is itself
    links = esc.link(ev)
    assert links[["trigger_id", "response_id", "link_kind"]].values.tolist() == [["a1", "b1", "stated"]]


def test_new_sides_regroup_the_rows():
    rows = victims().assign(fatalities=1)
    ev = esc.read_events(rows).incidents()
    merged = as_events(ev, sides={"I": "Israel", "P": "Israel"})  # one side: nothing is dyadic
    assert merged.members is not None and merged.n_accepted == 9
    assert set(merged.frame["actor_side"]) == {"Israel"}


def test_incident_keys_must_name_sides():
    ev = esc.read_events(victims())
    with pytest.raises(UsageError, match="actor_side and target_side"):
        ev.incidents(["date", "location"])
    with pytest.raises(UsageError, match="not columns"):
        ev.incidents(["date", "actor_side", "target_side", "nowhere"])
    with pytest.raises(UsageError, match="incidents already"):
        ev.incidents().incidents()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from("AB"), st.sampled_from(["x", "y", None]), st.integers(0, 3)),
        min_size=1,
        max_size=30,
    )
)
def test_grouping_loses_no_row_and_no_death(rows):
    t = pd.DataFrame(
        {
            "date": [str(pd.Timestamp("2020-01-01") + pd.Timedelta(days=d))[:10] for d, *_ in rows],
            "actor": [a for _, a, _, _ in rows],
            "target": ["B" if a == "A" else "A" for _, a, _, _ in rows],
            "location": [loc for _, _, loc, _ in rows],
            "fatalities": [f for *_, f in rows],
        }
    )
    ev = esc.read_events(t)
    inc = ev.incidents()
    assert inc.n_read == ev.n_read == inc.n_accepted + inc.n_rejected
    assert inc.frame["n_rows"].sum() == len(t)
    assert inc.frame["fatalities"].sum() == t["fatalities"].sum()
    keys = t.assign(location=t["location"].fillna("<none>"))[["date", "actor", "location"]].drop_duplicates()
    assert len(inc.frame) == len(keys)
    assert (inc.frame["date"].to_numpy()[1:] >= inc.frame["date"].to_numpy()[:-1]).all()


def test_btselem_incidents(btselem_path):
    ev = esc.read_events(btselem_path, columns=BTSELEM_COLUMNS, per_victim=True, sides=EXAMPLES / "btselem_sides.json")
    # The shared README counts 4,420 incidents by date, perpetrator and place; with the target side too, 4,417.
    assert 4_380 <= len(ev.frame) <= 4_450
    assert ev.n_accepted == 11_124 and ev.frame["fatalities"].sum() == 11_124
    links = esc.link(ev, window="30D")
    assert links["response_id"].is_unique  # one trigger per response, and no victim answers its own attack
    # before grouping, the largest attack's victims were separate events
    assert ev.frame["n_rows"].max() > 50


def test_cli_per_victim_reports_incidents(tmp_path, capsys):
    path = tmp_path / "victims.csv"
    victims().to_csv(path, index=False)
    assert main(["chains", str(path), "--per-victim", "-o", str(tmp_path / "links.csv")]) == 0
    captured = capsys.readouterr()
    assert "9 rows read, 9 accepted, 0 rejected -> 4 incidents" in captured.err
    assert "between 4 incidents" in captured.out
    assert main(["chains", str(path), "--incident-keys", "date,actor_side,target_side",
                 "-o", str(tmp_path / "l2.csv")]) == 0  # fmt: skip
    assert "-> 3 incidents" in capsys.readouterr().err
