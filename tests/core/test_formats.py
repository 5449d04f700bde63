"""Tables written in the format their name asks for (issue 32): each read back by the library that reads that
format, values compared with the table written; an unknown extension refused with the list, before work."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from escalation import datasets
from escalation._core.formats import TABLE_FORMATS, write_table
from escalation.cli import main
from escalation.cli.read import FORMATS_HELP
from escalation.errors import UsageError

DATA, SIDES = datasets.iraq_2019_2021_paths()


def sample() -> pd.DataFrame:
    """Every kind of column an escalation table has: text with NA and non-ASCII, dates, durations,
    nullable counts, booleans, floats, and a name Stata does not allow."""
    return pd.DataFrame({
        "trigger_id": pd.array(["IRQ-1", "Ḥamās 2", None], dtype="string"),
        "trigger_date": pd.to_datetime(["2020-01-03 00:00", "2020-01-08 23:45", "2020-02-01 00:00"]),
        "interval": pd.to_timedelta([1.5, 2.0, np.nan], unit="D"),
        "fatalities": pd.array([7, None, 0], dtype="Int64"),
        "escalated": [True, False, True],
        "share": [0.25, np.nan, 1.0],
        "chance p (one-sided)": [0.04, 0.5, 1.0],
    })  # fmt: skip


def test_every_listed_format_is_in_the_cli_help():
    assert FORMATS_HELP.split(": ")[1].split() == list(TABLE_FORMATS)


@pytest.mark.parametrize("suffix", [s for s in TABLE_FORMATS if s != ".tex"])
def test_each_format_reads_back_with_its_library(tmp_path, suffix):
    frame = sample()
    path = write_table(frame, tmp_path / f"t{suffix}")
    if suffix in (".csv", ".tsv"):
        back = pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",")
    elif suffix == ".parquet":
        back = pd.read_parquet(path)
    elif suffix == ".xlsx":
        back = pd.read_excel(path, engine="calamine")
    elif suffix == ".dta":
        reader = pd.io.stata.StataReader(path)
        with reader:
            back = reader.read()
            labels = reader.variable_labels()
        # the name Stata does not allow is shortened, and the label keeps it
        assert "chance p (one-sided)" in labels.values()
        back.columns = list(frame.columns)
    else:
        back = pd.DataFrame(json.loads(path.read_text(encoding="utf-8")))
    assert list(back.columns) == list(frame.columns)
    text = back["trigger_id"].astype(object).where(back["trigger_id"].notna(), "").astype(str).str.strip()
    assert text.tolist()[:2] == ["IRQ-1", "Ḥamās 2"] and text.iloc[2] in ("", "nan", "None")
    assert pd.to_datetime(back["trigger_date"]).tolist()[:2] == frame["trigger_date"].tolist()[:2]
    if suffix in (".parquet",):
        assert back["interval"].iloc[:2].tolist() == frame["interval"].iloc[:2].tolist()
    elif suffix not in (".csv", ".tsv"):  # durations become days
        assert back["interval"].astype(float).iloc[:2].tolist() == [1.5, 2.0] and pd.isna(back["interval"].iloc[2])
    assert back["fatalities"].iloc[0] == 7 and pd.isna(back["fatalities"].iloc[1])
    assert back["escalated"].astype(bool).tolist() == [True, False, True]
    assert np.allclose(back["share"].astype(float), frame["share"], equal_nan=True)


def test_latex_is_a_tabular_fragment(tmp_path):
    text = write_table(sample().assign(note=["50% of $x & y_1", "#2", ""]), tmp_path / "t.tex").read_text()
    assert text.startswith("\\begin{tabular}") and "\\toprule" in text and text.rstrip().endswith("\\end{tabular}")
    assert "50\\% of \\$x \\& y\\_1" in text and "\\#2" in text and "0.25" in text


def test_unknown_extension_is_refused_with_the_list(tmp_path, capsys):
    with pytest.raises(UsageError, match=r"\.csv, \.tsv, \.parquet, \.dta, \.xlsx, \.json, \.tex"):
        write_table(sample(), tmp_path / "t.xls")
    for argv in (["chains", str(DATA), "-o", str(tmp_path / "links.txt")],
                 ["survival", str(DATA), "--table", str(tmp_path / "t.sav")],
                 ["hawkes", str(DATA), "-o", str(tmp_path / "params")]):  # fmt: skip
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("escalation: error: ") and "must end in .csv" in err and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


def test_cli_writes_the_named_formats(tmp_path, capsys):
    links = tmp_path / "links.dta"
    assert main(["chains", str(DATA), "--sides", str(SIDES), "-o", str(links)]) == 0
    back = pd.read_stata(links)
    csv = tmp_path / "links.csv"
    assert main(["chains", str(DATA), "--sides", str(SIDES), "-o", str(csv)]) == 0
    want = pd.read_csv(csv)
    assert len(back) == len(want) and back["response_id"].tolist() == want["response_id"].tolist()
    episodes = tmp_path / "episodes.xlsx"
    assert main(["episodes", str(DATA), "--sides", str(SIDES), "-o", str(episodes)]) == 0
    assert len(pd.read_excel(episodes, engine="calamine")) > 0
    params = tmp_path / "params.csv"
    assert main(["hawkes", str(DATA), "--sides", str(SIDES), "-o", str(params)]) == 0
    table = pd.read_csv(params)
    assert {"parameter", "estimate", "se"} <= set(table.columns) and (table["parameter"] == "baseline").sum() == 4
    rec = tmp_path / "rec.tex"
    assert main(["reciprocity", str(DATA), "--sides", str(SIDES), "-o", str(rec)]) == 0
    assert rec.read_text().startswith("\\begin{tabular}")
    capsys.readouterr()


def test_every_cli_table_carries_its_provenance(tmp_path, capsys):
    import hashlib

    data = tmp_path / "events.csv"
    data.write_text("date,actor,target\n2020-01-01,A,B\n2020-01-03,B,A\n2020-01-05,A,B\n")
    out = tmp_path / "links.parquet"
    assert main(["chains", str(data), "-o", str(out), "--window", "10D"]) == 0
    record = json.loads((tmp_path / "links.parquet.provenance.json").read_text())
    assert record["command"] == f"escalation chains {data} -o {out} --window 10D"
    assert record["inputs"] == [{"path": str(data.resolve()), "sha256": hashlib.sha256(data.read_bytes()).hexdigest()}]
    assert record["versions"]["statsmodels"] and record["versions"]["pandas"] == pd.__version__ and record["seed"] == 0
    import pyarrow.parquet as pq

    assert json.loads(pq.read_schema(out).metadata[b"escalation"])["command"] == record["command"]
    # the bundled data: its file and its sides file are the inputs
    assert main(["hawkes", "-o", str(tmp_path / "p.json")]) == 0
    inputs = json.loads((tmp_path / "p.json.provenance.json").read_text())["inputs"]
    assert [Path(i["path"]).name for i in inputs] == ["iraq_2019_2021.csv", "iraq_2019_2021_sides.json"]
    # a stream gets none, and the Python API writes no file of its own
    assert main(["chains", str(data), "-o", "/dev/null"]) == 0
    assert not Path("/dev/null.provenance.json").exists()
    write_table(sample(), tmp_path / "api.csv")
    assert not (tmp_path / "api.csv.provenance.json").exists()
    capsys.readouterr()
