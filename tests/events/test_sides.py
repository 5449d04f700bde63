from __future__ import annotations

import pandas as pd
import pytest

import escalation as esc
from escalation import DataError, UsageError, read_events, read_sides


def test_json_and_csv_give_the_same_mapping(tmp_path):
    js = tmp_path / "s.json"
    js.write_text('{"Kata\'ib Hezbollah": "Iran-aligned militias", "US": "United States"}', encoding="utf-8")
    cs = tmp_path / "s.csv"
    cs.write_text("name,side\nKata'ib Hezbollah,Iran-aligned militias\nUS,United States\n", encoding="utf-8")
    assert read_sides(js) == read_sides(cs) == {"Kata'ib Hezbollah": "Iran-aligned militias", "US": "United States"}


def test_unmapped_names_are_their_own_side():
    table = pd.DataFrame({"date": ["2020-01-01"], "actor": ["KH"], "target": ["Somebody"]})
    ev = read_events(table, sides={"KH": "Militias"})
    assert ev.frame.loc[0, ["actor_side", "target_side"]].tolist() == ["Militias", "Somebody"]


@pytest.mark.parametrize(
    ("text", "name", "error"),
    [
        ("[1, 2]", "s.json", DataError),
        ("{not json", "s.json", DataError),
        ("name,side,camp,extra\na,b,c,d\n", "s.csv", DataError),
        ("name,side\na,\n", "s.csv", DataError),
        ('{"a": 3}', "s.json", UsageError),
    ],
)
def test_bad_sides_files(tmp_path, text, name, error):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(error, match=name):
        read_sides(path)


def test_missing_sides_file(tmp_path):
    with pytest.raises(DataError, match="sides file not found"):
        read_sides(tmp_path / "nope.json")


# ---- camps (issue 31): a patron and the groups it backs read as one party ----------------------------------


def test_camps_from_json_and_csv(tmp_path):
    from escalation.events.sides import read_camps, read_sides

    bundled = esc.datasets.iraq_2019_2021_paths()[1]
    assert read_camps(bundled) == {"Iran": "Iran and aligned militias",
                                   "Iran-aligned militias": "Iran and aligned militias"}  # fmt: skip
    assert "camps" not in read_sides(bundled) and read_sides(bundled)["Kata'ib Hezbollah"] == "Iran-aligned militias"
    table = tmp_path / "sides.csv"
    table.write_text("name,side,camp\nKata'ib Hezbollah,militias,Iran camp\nIRGC,Iran,Iran camp\nUS,US,\n")
    assert read_camps(table) == {"militias": "Iran camp", "Iran": "Iran camp"}
    assert read_sides(table) == {"Kata'ib Hezbollah": "militias", "IRGC": "Iran", "US": "US"}
    twice = tmp_path / "twice.json"
    twice.write_text('{"a": "A", "camps": {"X": ["A"], "Y": ["A"]}}')
    with pytest.raises(DataError, match=r"side 'A' is in two camps, 'X' and 'Y'"):
        read_camps(twice)
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": "A", "camps": ["A"]}')
    with pytest.raises(DataError, match=r'"camps" must be an object'):
        read_sides(bad)


def test_at_the_camp_level_a_strike_on_the_patron_answers_the_proxies():
    ev = esc.datasets.load_iraq_2019_2021()
    side = esc.time_to_response(ev, window="30D").table.set_index("event_id")
    camp = esc.time_to_response(ev.at_level("camp"), window="30D").table.set_index("event_id")
    # the embassy storming (militias -> US, 31 Dec 2019): at the camp level the next US action against the camp
    # is the Soleimani strike (US -> IRGC, 3 Jan 2020), which the side level cannot see (US -> Iran)
    assert camp.loc["IRQ-2019-12-31-EMB", "response_id"] == "IRQ-2020-01-03-SOL"
    assert side.loc["IRQ-2019-12-31-EMB", "response_id"] != "IRQ-2020-01-03-SOL"
    # and the comparison with chance runs on the camps too
    baseline = esc.time_to_response(ev.at_level("camp"), window="30D").baseline
    assert set(baseline["trigger_side"]) == {"Iran and aligned militias", "Iraq", "United States"}
    # events within one camp (Iran -> its militias) are one party's: no dyad
    assert ev.at_level("camp").at_level("camp").side_list() == ["Iran and aligned militias", "Iraq", "United States"]


def test_level_on_the_command_line(tmp_path, capsys):
    from escalation.cli import main

    assert main(["survival", "--level", "camp", "--trigger-type", "rocket attack", "-o", str(tmp_path / "k.csv")]) == 0
    out = capsys.readouterr().out
    assert "United States answering Iran and aligned militias" in out and "24 events, 11 answered" in out
    data = tmp_path / "e.csv"
    data.write_text("date,actor,target\n2020-01-01,A,B\n2020-01-02,B,A\n")
    assert main(["chains", str(data), "--level", "camp", "-o", str(tmp_path / "l.csv")]) == 2
    assert "no camps: the sides file names none" in capsys.readouterr().err
    assert main(["chains", str(data), "--level", "camp", "--engine", "dask", "-o", str(tmp_path / "l.csv")]) == 2
    assert "not available with --engine dask" in capsys.readouterr().err


def test_patterns_map_families_of_names(tmp_path):
    sides = tmp_path / "sides.json"
    sides.write_text('{"re:^(Military|Police) Forces of Iraq": "Iraq", "Police Forces of Iraq (2020-)": "Police",'
                     ' "re:Hezbollah": "militias"}')  # fmt: skip
    data = tmp_path / "e.csv"
    data.write_text("date,actor,target\n2020-01-01,Military Forces of Iraq (2020-) Army,Kata'ib Hezbollah\n"
                    "2020-01-02,Kata'ib Hezbollah,Police Forces of Iraq (2020-)\n")  # fmt: skip
    ev = read_events(data, sides=sides)
    # an exact name wins over a pattern; a name takes the first pattern it contains
    assert ev.frame["actor_side"].tolist() == ["Iraq", "militias"]
    assert ev.frame["target_side"].tolist() == ["militias", "Police"]
    bad = tmp_path / "bad.json"
    bad.write_text('{"re:(unclosed": "x"}')
    with pytest.raises(DataError, match=r"'re:\(unclosed' is not a valid regular expression"):
        read_events(data, sides=bad)


def test_sides_command_drafts_a_file_that_reads_back(tmp_path, capsys):
    import json

    from escalation.cli import main

    from ..conftest import DATA

    acled = DATA / "exports" / "acled_2023_r.csv"
    out = tmp_path / "sides.json"
    assert main(["sides", str(acled), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    draft = json.loads(out.read_text(encoding="utf-8"))
    names = read_events(acled).frame
    assert set(draft) == set(names["actor"].dropna()) | set(names["target"].dropna())  # every name, none invented
    state = {k: v for k, v in draft.items() if k.startswith(("Military Forces of", "Police Forces of"))}
    assert state and all(v.endswith("(state forces)") for v in state.values())
    assert f"{len(draft)} names -> {len(set(draft.values()))} sides" in printed
    back = read_events(acled, sides=out)
    assert back.frame["actor_side"].map(lambda s: s in set(draft.values())).all()
    assert main(["sides", str(acled), "-o", str(tmp_path / "sides.csv")]) == 2


def test_a_sides_file_fixes_colours_that_survive_cuts_levels_and_incidents(tmp_path):
    import json
    from pathlib import Path

    from escalation.events.sides import read_colours
    from escalation.plotting.style import side_colours

    ev = esc.datasets.load_iraq_2019_2021()
    assert ev.palette()["United States"] == "#cc79a7" and ev.colours["Iran and aligned militias"] == "#d55e00"
    # the US keeps its colour in data without Iran (sorted, it would move up a place and change colour)
    two = ["United States", "Iran-aligned militias"]
    cut = ev.where(actor_side=two, target_side=two)
    assert "Iran" not in cut.side_list()
    assert side_colours(cut.side_list(), cut.palette())["United States"] == "#cc79a7"
    assert side_colours(cut.side_list(), cut.side_list())["United States"] != "#cc79a7"  # what it was before
    camps = ev.at_level("camp")
    assert side_colours(camps.side_list(), camps.palette())["Iran and aligned militias"] == "#d55e00"
    # sides without a fixed colour take the palette's, skipping those fixed: no two sides share one
    colours = side_colours(["A", "B", "C"], {"A": None, "B": "#0072b2", "C": None})
    assert colours["B"] == "#0072b2" and len(set(map(str.lower, colours.values()))) == 3
    bad = tmp_path / "sides.json"
    bad.write_text(json.dumps({"X": "Y", "colours": {"Y": "blue"}}), encoding="utf-8")
    with pytest.raises(esc.DataError, match=r"the colour of 'Y' must be a hex colour #rrggbb, got 'blue'"):
        read_colours(bad)
    per_victim = tmp_path / "victims.csv"
    per_victim.write_text("date,actor,target\n2020-01-01,Iran,United States\n2020-01-01,Iran,United States\n",
                          encoding="utf-8")  # fmt: skip
    sides = Path(esc.datasets.__file__).parent / "iraq_2019_2021_sides.json"
    grouped = esc.read_events(per_victim, per_victim=True, sides=sides)
    assert grouped.colours["Iran"] == "#0072b2" and grouped.camps["Iran"] == "Iran and aligned militias"
