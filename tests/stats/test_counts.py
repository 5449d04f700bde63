"""The panel for one's own models (issue 32): counts equal a hand-made groupby, zeros included, on the bundled
data and on B'Tselem (per victim, grouped into incidents), from Python and from the command line."""

from __future__ import annotations

import pandas as pd
import pytest

import escalation as esc
from escalation.cli import main

from ..conftest import BTSELEM_COLUMNS, EXAMPLES


def hand_panel(frame: pd.DataFrame, columns: list[str], code: str, periods: pd.PeriodIndex) -> pd.DataFrame:
    """The same panel by hand: a groupby, then every unit crossed with every period (itertools-free)."""
    f = frame.dropna(subset=columns)
    f = f.assign(period=f["date"].dt.to_period(code))
    f = f[f["period"].isin(periods)]
    got = f.groupby(["period", *columns]).agg(events=("date", "size"), fatalities=("fatalities", "sum"))
    units = f[columns].drop_duplicates()
    full = pd.MultiIndex.from_frame(pd.merge(pd.DataFrame({"period": periods}), units, how="cross"))
    return got.reindex(full, fill_value=0).sort_index()


def compare(panel: pd.DataFrame, want: pd.DataFrame, columns: list[str], code: str) -> None:
    got = panel.assign(period=panel["period"].dt.to_period(code)).set_index(["period", *columns]).sort_index()
    assert len(got) == len(want)
    assert got.index.to_list() == want.index.to_list()  # values: the level dtypes differ across pandas versions
    assert (got["events"].to_numpy() == want["events"].to_numpy()).all()
    assert (got["fatalities"].to_numpy() == want["fatalities"].to_numpy()).all()


def test_bundled_panels_equal_a_groupby_with_zeros():
    ev = esc.datasets.load_iraq_2019_2021()
    f = ev.frame
    for by, columns in (("side", ["actor_side"]), ("location", ["location"])):
        for code in ("W", "M", "Y"):
            panel = esc.counts(ev, by=by, freq=code)
            periods = pd.period_range(f["date"].min().to_period(code), f["date"].max().to_period(code), freq=code)
            compare(panel, hand_panel(f, columns, code, periods), columns, code)
            assert (panel["events"] == 0).any()  # the zeros are rows
    dyadic = f[f["target_side"].notna() & (f["actor_side"] != f["target_side"])]
    panel = esc.counts(ev, by="dyad", freq="M", start="2020-01-01", end="2020-12-31")
    periods = pd.period_range("2020-01", "2020-12", freq="M")
    compare(panel, hand_panel(dyadic, ["actor_side", "target_side"], "M", periods), ["actor_side", "target_side"], "M")
    assert panel["period"].min() == pd.Timestamp("2020-01-01") and panel["period"].nunique() == 12


def test_unknown_counts_are_counted_apart():
    table = pd.DataFrame({"date": ["2020-01-01", "2020-01-02", "2020-01-20"], "actor": "A", "target": "B",
                          "fatalities": [3, None, 1], "injuries": [None, None, 2]})  # fmt: skip
    panel = esc.counts(table, freq="M")
    assert panel[["events", "fatalities", "fatalities_unknown", "injuries", "injuries_unknown"]].iloc[0].tolist() == [
        3, 4, 1, 2, 2]  # fmt: skip
    with pytest.raises(esc.UsageError, match="by must be side, target, dyad or columns"):
        esc.counts(table, by="region")


def test_btselem_incidents_panel(btselem_path):
    ev = esc.read_events(btselem_path, columns=BTSELEM_COLUMNS, per_victim=True, sides=EXAMPLES / "btselem_sides.json")
    panel = esc.counts(ev, by="side", freq="Y")
    f = ev.frame
    periods = pd.period_range(f["date"].min().to_period("Y"), f["date"].max().to_period("Y"), freq="Y")
    compare(panel, hand_panel(f, ["actor_side"], "Y", periods), ["actor_side"], "Y")
    assert panel["fatalities"].sum() == ev.n_accepted  # one death per row, rows grouped into incidents
    assert panel.attrs["unit"] == "incident"


def test_counts_command_writes_the_panel(tmp_path, capsys):
    out = tmp_path / "panel.dta"
    assert main(["counts", "--by", "dyad", "--freq", "M", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    back = pd.read_stata(out)
    api = esc.counts(esc.datasets.load_iraq_2019_2021(), by="dyad", freq="M")
    assert len(back) == len(api) and back["events"].tolist() == api["events"].tolist()
    assert f"{len(api)} rows: 8 units x 25 periods (M), 58 events" in printed
    assert main(["counts", "--by", "nope", "-o", str(tmp_path / "p.csv")]) == 2
