"""Reciprocity: Granger F against an independent implementation, and recovery of a known causal direction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.stattools import grangercausalitytests

import escalation as esc
from escalation.stats.reciprocity import side_series

from ..conftest import BTSELEM_COLUMNS, EXAMPLES


def simulate_counts(n: int = 3000, b12: float = 0.4, b21: float = 0.0, seed: int = 11) -> pd.DataFrame:
    """Two Poisson autoregressive count series: side A's rate rises with B's previous count (b12)."""
    rng = np.random.default_rng(seed)
    y = np.zeros((n, 2))
    for t in range(1, n):
        lam_a = np.exp(-0.7 + 0.2 * y[t - 1, 0] + b12 * y[t - 1, 1])
        lam_b = np.exp(-0.5 + 0.1 * y[t - 1, 1] + b21 * y[t - 1, 0])
        y[t] = rng.poisson([min(lam_a, 50), min(lam_b, 50)])
    return pd.DataFrame(y, columns=["A", "B"])


def as_events(counts: pd.DataFrame) -> pd.DataFrame:
    """One event per day and side with the count as fatalities (days with zero are left out)."""
    days = pd.date_range("2000-01-01", periods=len(counts), freq="D")
    rows = []
    for side, other in (("A", "B"), ("B", "A")):
        nz = counts[side] > 0
        rows.append(
            pd.DataFrame(
                {
                    "date": days[nz.to_numpy()].strftime("%Y-%m-%d"),
                    "actor": side,
                    "target": other,
                    "fatalities": counts.loc[nz, side].astype(int).astype(str).to_numpy(),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


@pytest.fixture(scope="module")
def simulated():
    counts = simulate_counts()
    return counts, esc.reciprocity(as_events(counts), freq="D", lags=2)


def test_series_are_zero_filled(simulated):
    counts, result = simulated
    first = counts.index[(counts > 0).any(axis=1)][0]
    last = counts.index[(counts > 0).any(axis=1)][-1]
    assert len(result.series) == last - first + 1
    np.testing.assert_array_equal(result.series[["A", "B"]].to_numpy(), counts.loc[first:last, ["A", "B"]].to_numpy())


def test_granger_f_matches_statsmodels_single_equation_test(simulated):
    _, result = simulated
    g = result.granger.set_index(["cause", "effect"])
    data = result.series[["A", "B"]].to_numpy()
    ref_b_to_a = grangercausalitytests(data[:, [0, 1]], maxlag=[2])[2][0]["ssr_ftest"][0]
    ref_a_to_b = grangercausalitytests(data[:, [1, 0]], maxlag=[2])[2][0]["ssr_ftest"][0]
    assert g.loc[("B", "A"), "statistic"] == pytest.approx(ref_b_to_a, rel=1e-9)
    assert g.loc[("A", "B"), "statistic"] == pytest.approx(ref_a_to_b, rel=1e-9)


def test_recovers_the_true_direction(simulated):
    _, result = simulated
    t = result.tests.set_index(["model", "cause", "effect"])
    # B drives A: every model finds it
    for model in ("var-granger", "poisson", "negbin"):
        assert t.loc[(model, "B", "A"), "pvalue"] < 1e-6
    # A does not drive B
    for model in ("var-granger", "poisson", "negbin"):
        assert t.loc[(model, "A", "B"), "pvalue"] > 0.01
    # The Poisson lag coefficients sum to about the true 0.4 (lag 1 only).
    assert t.loc[("poisson", "B", "A"), "response"] == pytest.approx(0.4, abs=0.06)
    sentences = result.sentences()
    assert any(s.startswith("A's killings rise") for s in sentences)
    assert any(s.startswith("No significant evidence that A's killings predict B's") for s in sentences)


def test_irf_bands_contain_the_estimate(simulated):
    _, result = simulated
    irf = result.irf_table
    assert ((irf["lower"] <= irf["response"]) & (irf["response"] <= irf["upper"])).all()
    ba = irf[(irf["cause"] == "B") & (irf["effect"] == "A") & (irf["horizon"] == 1)].iloc[0]
    assert ba["lower"] > 0  # the true response at lag 1 is positive


def test_sparse_sides_are_left_out_and_reported():
    result = esc.reciprocity(esc.datasets.load_iraq_2019_2021(), freq="W", measure="events")
    assert "Iran" in result.dropped_sides
    assert "Iran" not in result.series.columns
    assert "left out" in repr(result)


def test_side_series_measures():
    ev = esc.datasets.load_iraq_2019_2021()
    assert side_series(ev, freq="M", measure="events").to_numpy().sum() == 46
    total = ev.frame["fatalities"].fillna(0).sum()
    assert side_series(ev, freq="M").to_numpy().sum() == total
    with pytest.raises(esc.UsageError):
        side_series(ev, freq="Q")


def test_btselem_2000_2008_both_sides_retaliate(btselem_path):
    # Haushofer, Biletzki & Kanwisher (PNAS 2010): in daily fatality series of the second intifada,
    # each side's killings predict the other's. The VAR Granger tests here agree in both directions.
    ev = esc.read_events(btselem_path, columns=BTSELEM_COLUMNS, per_victim=True, sides=EXAMPLES / "btselem_sides.json")
    frame = ev.frame[ev.frame["date"] < "2009-01-01"].reset_index(drop=True)
    result = esc.reciprocity(esc.Events(frame=frame, rejections=ev.rejections, provenance=ev.provenance), freq="D")
    g = result.granger.set_index(["cause", "effect"])
    assert g.loc[("Palestinians", "Israel"), "pvalue"] < 0.05
    assert g.loc[("Israel", "Palestinians"), "pvalue"] < 0.05
    assert g.loc[("Palestinians", "Israel"), "response"] > 0
