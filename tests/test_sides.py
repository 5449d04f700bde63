from __future__ import annotations

import pandas as pd
import pytest

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
        ("name,side,extra\na,b,c\n", "s.csv", DataError),
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
