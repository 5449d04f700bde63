"""Hostile text (issue 35): terminal commands in the data are printed as text, a terminal that cannot show a
character gets an escape instead of a crash, look-alike side names are named, a name or rank given twice is
refused, and a side named like mathematics stays text in a figure."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata

import pandas as pd
import pytest

import escalation as esc
from escalation.cli import main
from escalation.errors import DataError


def test_control_sequences_in_the_data_print_as_escapes(tmp_path, capsys):
    data = tmp_path / "e.csv"
    data.write_text("date,actor,target,notes\n2020-01-01,Ha\x1b[2Jmas,B\u202e,\x1b]8;;http://x\x1b\\link\n"
                    "2020-01-02,B\u202e,Ha\x1b[2Jmas,y\n2020-01-03,nope,B,z\n", encoding="utf-8")  # fmt: skip
    assert main(["validate", str(data)]) == 0
    assert main(["chains", str(data), "-o", str(tmp_path / "l.csv")]) == 0
    out, err = capsys.readouterr()
    for text in (out, err):
        assert "\x1b" not in text and "\u202e" not in text
    assert "Ha\\x1b[2Jmas" in out and "B\\u202e" in out


def test_a_latin1_terminal_and_a_file_name_that_is_not_utf8(tmp_path):
    name = os.fsdecode(b"donn\xe9es.csv")  # Latin-1 bytes: not UTF-8, decoded with surrogates
    data = tmp_path / name
    data.write_text("date,actor,target\n2020-01-01,Ḥamās,Israel\n2020-01-02,Israel,Ḥamās\n", encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "latin-1", "LC_ALL": "C"}
    run = subprocess.run([sys.executable, "-m", "escalation", "validate", os.fsencode(data)], capture_output=True,
                         env=env, cwd=tmp_path)  # fmt: skip
    assert run.returncode == 0, run.stderr
    text = run.stdout.decode("latin-1")
    assert "2 rows read, 2 accepted" in text and "\\u1e24am\\u0101s" in text and "Traceback" not in text


def test_look_alike_side_names_are_named():
    nfd = unicodedata.normalize("NFD", "Réseau")
    table = pd.DataFrame({"date": ["2020-01-01"] * 4, "actor": ["Hamas", "Ha\u200bmas", nfd, "Réseau"], "target": "B"})
    warnings = [w for w in esc.read_events(table).warnings if "look the same" in w]
    assert len(warnings) == 2
    assert "'Ha\\u200bmas'" in warnings[0] and "'Re\\u0301seau'" in warnings[1]


def test_a_name_or_a_rank_given_twice_differently_is_refused(tmp_path):
    sides = tmp_path / "s.json"
    sides.write_text('{"Kata\'ib Hezbollah": "militias", "US": "US", "Kata\'ib Hezbollah": "Iran"}')
    with pytest.raises(DataError, match=r"the name \"Kata'ib Hezbollah\" is given twice, as 'militias' and 'Iran'"):
        esc.read_sides(sides)
    sides.write_text('{"A": "X", "A": "X"}')  # the same twice is harmless
    assert esc.read_sides(sides) == {"A": "X"}
    csv = tmp_path / "s.csv"
    csv.write_text("name,side\nA,X\nB,Y\nA,Z\n")
    with pytest.raises(DataError, match=r"rows 2, 4: the name 'A' is given two sides"):
        esc.read_sides(csv)
    ladder = tmp_path / "l.csv"
    ladder.write_text("event_type,rank\nairstrike,3\nthreat,1\nAirstrike ,4\n")
    with pytest.raises(DataError, match=r"rows 2, 4: event type 'airstrike' is ranked twice"):
        esc.Ladder.from_csv(ladder)


def test_a_side_named_like_mathematics_stays_text_in_the_report_style():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from escalation.report import figures as rf

    name = "Brigade $x^$ (sic)"  # as mathematics, invalid: drawing raised ValueError and the report failed
    fig, ax = plt.subplots()
    ax.set_title(name)
    with pytest.raises(ValueError):
        fig.canvas.draw()
    plt.close(fig)
    with plt.rc_context(rf.STYLE):
        fig, ax = plt.subplots()
        label = ax.set_title(name)
        fig.canvas.draw()
        assert label.get_text() == name
        plt.close(fig)


def test_a_long_field_a_wide_file_and_a_far_cell_end_in_seconds(tmp_path, capsys):
    import time

    import openpyxl

    long = tmp_path / "long.csv"
    long.write_text(f'date,actor,target,notes\n2020-01-01,A,B,"{"x" * 140_000}"\n2020-01-02,B,A,ok\n')
    events = esc.read_events(long)  # Python's csv module refused fields over 131,072 characters
    assert events.n_accepted == 2 and len(events.frame.set_index("actor").loc["A", "notes"]) == 140_000
    wide = tmp_path / "wide.csv"
    n = 10_000
    wide.write_text("date,actor,target," + ",".join(f"c{i}" for i in range(n)) + "\n2020-01-01,A,B," + "1," * (n - 1)
                    + "1\n")  # fmt: skip
    start = time.perf_counter()
    assert main(["validate", str(wide)]) == 1
    assert "10,003 columns" in capsys.readouterr().err and time.perf_counter() - start < 10
    book = openpyxl.Workbook()
    book.active.append(["date", "actor", "target"])
    book.active.append(["2020-01-01", "A", "B"])
    book.active["XFD1048576"] = 1  # Excel's last cell: the reader asked for 512 GiB and aborted
    far = tmp_path / "far.xlsx"
    book.save(far)
    assert main(["validate", str(far)]) == 1
    assert "reaches column 16,384" in capsys.readouterr().err


def test_many_sides_hawkes_is_refused_and_survival_groups_equal_a_plain_count(tmp_path):
    import numpy as np

    rng = np.random.default_rng(0)
    k, n = 300, 2000
    a = rng.integers(0, k, n)
    t = (a + rng.integers(1, k, n)) % k
    days = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D")
    table = pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "actor": [f"N{i}" for i in a],
                          "target": [f"N{i}" for i in t]})  # fmt: skip
    ev = esc.read_events(table)
    with pytest.raises(DataError, match=r"a Hawkes model of 299 sides has 89,701 parameters for 2,000 events"):
        esc.fit_hawkes(ev)
    # ~2,000 directions, one curve each (a groupby per direction sliced every Arrow column: minutes before)
    result = esc.time_to_response(ev, window="30D")
    summary = result.summary().set_index("group")
    plain = result.table.groupby("group")["answered"].agg(["size", "sum"])
    assert (summary["events"] == plain["size"]).all() and (summary["answered"] == plain["sum"]).all()
    assert len(summary) == result.table["group"].nunique() > 1500
