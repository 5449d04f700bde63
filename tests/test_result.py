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
from escalation._result import Result


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
    assert ci["lower"].to_numpy() == pytest.approx((ci["estimate"] - z90 * ci["se"]).to_numpy(), nan_ok=True)
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
