"""Precision kept and used (issue 31): the source's precision and place fields survive reading, and an event
whose date is known only to the week or month is never linked or timed as if exact."""

from __future__ import annotations

import pandas as pd
import pytest

import escalation as esc
from escalation.cli import main

from .conftest import DATA, SAMPLES

EXPORTS = DATA / "exports"


def test_source_fields_are_kept():
    acled = esc.read_events(EXPORTS / "acled_2023_r.csv").frame
    assert {"time_precision", "geo_precision", "admin1", "admin2", "admin3", "assoc_actor_1", "assoc_actor_2",
            "interaction", "date_precision"} <= set(acled.columns)  # fmt: skip
    ucdp = esc.read_events(EXPORTS / "ucdp_ged_191.csv").frame
    assert {"date_prec", "date_end", "where_prec", "low", "high", "gwnoa", "gwnob", "priogrid_gid",
            "date_precision"} <= set(ucdp.columns)  # fmt: skip
    assert (ucdp["date_precision"] == "day").all()  # date_prec 1 and date_end == date_start


def coarse_acled(tmp_path):
    """The ACLED sample with a second, mirrored dyad so that events link, and one event's date known only to
    the month (time_precision 3)."""
    table = pd.read_csv(SAMPLES / "acled_sample.csv", dtype=str, keep_default_na=False)
    mirror = table.copy()
    mirror["event_id_cnty"] = mirror["event_id_cnty"] + "M"
    mirror[["actor1", "actor2"]] = mirror[["actor2", "actor1"]].to_numpy()
    mirror["event_date"] = (pd.to_datetime(mirror["event_date"], format="mixed") + pd.Timedelta(days=1)).dt.strftime(
        "%Y-%m-%d"
    )
    both = pd.concat([table, mirror], ignore_index=True)
    both = both[both["actor2"] != ""].reset_index(drop=True)
    path = tmp_path / "acled.csv"
    both.to_csv(path, index=False)
    coarse = both.copy()
    coarse.loc[coarse["event_id_cnty"] == "IRQ10002M", "time_precision"] = "3"  # answers IRQ10002 a day later
    coarse_path = tmp_path / "acled_month.csv"
    coarse.to_csv(coarse_path, index=False)
    return path, coarse_path, "IRQ10002M"


def test_month_precise_events_are_not_linked_or_timed(tmp_path, capsys):
    exact_path, coarse_path, coarse_id = coarse_acled(tmp_path)
    exact, coarse = esc.read_events(exact_path), esc.read_events(coarse_path)
    assert (exact.n_imprecise, coarse.n_imprecise) == (0, 1)
    linked = esc.link(exact, window="30D")
    assert coarse_id in set(linked["trigger_id"]) | set(linked["response_id"])  # linked when its day is known
    kept = esc.link(coarse, window="30D")
    assert coarse_id not in set(kept["trigger_id"]) | set(kept["response_id"])
    assert coarse_id not in set(esc.time_to_response(coarse).table["event_id"])
    assert coarse_id in set(esc.time_to_response(exact).table["event_id"])
    chains = esc.chains(coarse)
    assert chains.events.provenance["imprecise_left_out"] == 1
    assert chains.events.n_accepted + chains.events.n_rejected == chains.events.n_read
    assert main(["chains", str(coarse_path), "-o", str(tmp_path / "links.csv")]) == 0
    err_out = capsys.readouterr()
    assert "1 events dated only to the week, month or a longer span" in err_out.out + err_out.err


def test_ucdp_span_sets_the_precision():
    table = pd.DataFrame({"date_start": ["2018-01-04", "2018-01-04", "2018-01-04", "2018-01-04"],
                          "date_end": ["2018-01-04", "2018-01-09", "2018-01-30", "2018-01-04"],
                          "date_prec": ["1", "1", "1", "4"]})  # fmt: skip
    from escalation.io.ucdp import date_precision

    assert date_precision(table).tolist() == ["day", "week", "month", "month"]


@pytest.mark.parametrize("engine", ["dask"])
def test_dask_engine_leaves_them_out_too(tmp_path, engine):
    pytest.importorskip("dask")
    from escalation.engine.dask import link_dask, read_events_dask

    _, coarse_path, coarse_id = coarse_acled(tmp_path)
    links = link_dask(read_events_dask(coarse_path), window="30D").compute()
    want = esc.link(esc.read_events(coarse_path), window="30D")
    assert coarse_id not in set(links["trigger_id"]) | set(links["response_id"])
    assert len(links) == len(want)
