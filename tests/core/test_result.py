"""Every analysis result follows one protocol: summary(), to_frame(), plot(ax), conf_int(), to_dict(), HTML."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import escalation as esc
from escalation._core.result import Result


@pytest.fixture(scope="module")
def results():
    ev = esc.datasets.load_iraq_2019_2021()
    hawkes_links = esc.chains(ev, method="hawkes")
    return {
        "chains": esc.chains(ev),
        "episodes": esc.episodes(ev),
        "ttr": esc.time_to_response(ev),
        "reciprocity": esc.reciprocity(ev, freq="W", measure="events", lags=1),
        "hawkes": esc.fit_hawkes(ev),
        "dyadic": hawkes_links.model,
        "trend": esc.trend(ev),
        "delay": esc.answer_delay(ev),
    }


NAMES = ["chains", "episodes", "ttr", "reciprocity", "hawkes", "dyadic", "trend", "delay"]


@pytest.mark.parametrize("name", NAMES)
def test_protocol(results, name):
    r = results[name]
    assert isinstance(r, Result)
    summary, table = r.summary(), r.to_frame()
    assert isinstance(summary, pd.DataFrame) and len(summary) > 0
    assert isinstance(summary.index, pd.RangeIndex)  # tidy: everything is in columns
    assert isinstance(table, pd.DataFrame) and len(table) > 0
    summary.iloc[0, 0] = None  # a copy: the result's own summary is not changed
    assert r.summary().iloc[0, 0] is not None
    fig, ax = plt.subplots()
    assert r.plot(ax=ax) is ax
    plt.close(fig)
    d = json.loads(json.dumps(r.to_dict()))  # plain JSON, no custom encoder needed
    assert d["result"] == type(r).__name__ and len(d["summary"]) == len(summary) and len(d["table"]) == len(table)
    assert isinstance(d["settings"], dict)
    assert r._repr_html_().startswith("<p>&lt;")


@pytest.mark.parametrize("name", ["chains", "episodes"])
def test_results_without_estimates_say_so(results, name):
    with pytest.raises(NotImplementedError, match="no estimates"):
        results[name].conf_int()


def test_hawkes_intervals_are_wald_intervals(results):
    h = results["hawkes"]
    ci = h.conf_int(alpha=0.10)
    z90 = 1.6448536269514722  # the 95th percentile of the standard normal (tables)
    # Wald, cut at 0: every parameter is a rate, an excitation or a decay
    wald = (ci["estimate"] - z90 * ci["se"]).clip(lower=0.0)
    assert ci["lower"].to_numpy() == pytest.approx(wald.to_numpy(), nan_ok=True)
    assert ci["upper"].to_numpy() == pytest.approx((ci["estimate"] + z90 * ci["se"]).to_numpy(), nan_ok=True)
    decay = ci[ci["parameter"] == "decay"].iloc[0]
    assert decay["estimate"] == h.decay


def test_settings_speak_the_time_vocabulary(results):
    assert results["chains"].settings()["window"] == pd.Timedelta("30D")
    assert results["chains"].to_dict()["settings"]["window"] == "30 days 00:00:00"
    assert results["ttr"].settings()["window"] == results["chains"].window
    assert results["reciprocity"].settings()["freq"] == "W"


def test_compare_links_counts_agreement_by_kind(results):
    h = results["hawkes"]
    parents = h.trigger_probabilities.dropna(subset=["parent_id"]).iloc[:3]
    others = h.trigger_probabilities["event_id"]
    wrong = next(e for e in others if e != parents.iloc[1]["parent_id"] and e != parents.iloc[1]["event_id"])
    links = pd.DataFrame({
        "trigger_id": [parents.iloc[0]["parent_id"], wrong, parents.iloc[2]["parent_id"]],
        "response_id": parents["event_id"].to_numpy(),
        "link_kind": pd.Categorical(["stated", "stated", "inferred"], categories=["stated", "inferred"]),
    })  # fmt: skip
    table = h.compare_links(links)
    assert table.loc["stated"].tolist() == [2, 1, 0.5]
    assert table.loc["inferred"].tolist() == [1, 1, 1.0]
    assert np.isfinite(table["share"]).all()


def test_to_frame_is_a_copy_and_reprs_say_durations_in_words():
    # issue 33: writing into chains(...).to_frame() changed result.links; reprs printed "30 days 00:00:00"
    ev = esc.datasets.load_iraq_2019_2021()
    results = [esc.chains(ev), esc.episodes(ev), esc.time_to_response(ev), esc.reciprocity(ev, draws=19)]
    for result in results:
        table = result.to_frame()
        before = result.to_frame().copy()
        table.iloc[:, 0] = table.iloc[:, 0].iloc[::-1].to_numpy()  # scramble the copy
        pd.testing.assert_frame_equal(result.to_frame(), before)
        assert "00:00:00" not in repr(result), repr(result)
    assert "window 30 days;" in repr(results[0]) and "(calm >= 3 days)" in repr(results[1])


def test_events_follow_the_protocol_and_every_entry_takes_a_dataframe():
    import json

    ev = esc.datasets.load_iraq_2019_2021()
    frame = ev.to_frame()
    frame["actor"] = "changed"
    assert (ev.frame["actor"] != "changed").all()
    d = json.loads(json.dumps(ev.to_dict()))
    assert d["counts"]["rows read"] == ev.n_read and d["counts"]["rejected"] == ev.n_rejected
    assert d["sides"] == ev.side_list() and d["colours"]["United States"] == "#cc79a7"
    assert [row["side"] for row in d["summary"]] == ev.summary()["side"].tolist()
    # trend takes a DataFrame as every other analysis does (it raised AttributeError)
    table = ev.frame[["event_id", "date", "actor_side", "target_side"]].rename(
        columns={"actor_side": "actor", "target_side": "target"}
    )
    pd.testing.assert_frame_equal(esc.trend(table).table, esc.trend(esc.read_events(table)).table)
    with pytest.raises(esc.UsageError, match="end must be a date"):
        esc.fit_hawkes(ev, end="not a date")  # was pandas' DateParseError


def test_every_summary_is_one_row_per_group_with_the_whole_last(results):
    """No key/value summaries (issue 33): chains and the Hawkes model give a row per direction or side, and a
    last row for all sides whose counts are the sums of the rows above."""
    for name in NAMES:
        assert "statistic" not in results[name].summary().columns, name
    chains = results["chains"].summary()
    assert chains.iloc[-1]["trigger_side"] == "all sides"
    for column in ("links", "stated", "inferred", "escalation", "proportional", "de-escalation", "unknown"):
        assert chains[column].iloc[:-1].sum() == chains[column].iloc[-1], column
    assert chains.iloc[-1]["links"] == len(results["chains"].links)
    hawkes = results["hawkes"]
    s = hawkes.summary()
    counts = hawkes.data.dims
    assert s["side"].tolist() == [*hawkes.sides, "all sides"]
    assert s["events"].tolist() == [int((counts == k).sum()) for k in range(len(hawkes.sides))] + [len(counts)]
    assert np.allclose(s["from_own"].iloc[:-1], np.diag(hawkes.adjacency))
    assert np.allclose(s["from_own"].iloc[:-1] + s["from_others"].iloc[:-1], hawkes.adjacency.sum(axis=1))
    assert s["branching_ratio"].iloc[-1] == hawkes.branching_ratio and s["branching_ratio"].iloc[:-1].isna().all()
