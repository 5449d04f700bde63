"""Reciprocity: Granger F against an independent implementation, and recovery of a known causal direction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.stattools import grangercausalitytests

import escalation as esc
from escalation.stats.reciprocity.analysis import side_series

from ..conftest import BTSELEM_COLUMNS, EXAMPLES


def simulate_counts(
    n: int = 3000, b12: float = 0.4, b21: float = 0.0, seed: int = 11, transform=np.log1p
) -> pd.DataFrame:
    """Two Poisson autoregressive count series: side A's log rate rises by b12 per unit of B's previous
    log(1 + count) (or raw count, ``transform=None``)."""
    rng = np.random.default_rng(seed)
    f = transform or (lambda v: v)
    y = np.zeros((n, 2))
    for t in range(1, n):
        lam_a = np.exp(-0.7 + 0.2 * f(y[t - 1, 0]) + b12 * f(y[t - 1, 1]))
        lam_b = np.exp(-0.5 + 0.1 * f(y[t - 1, 1]) + b21 * f(y[t - 1, 0]))
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
    return counts, esc.reciprocity(as_events(counts), freq="D", lags=2, measure="fatalities")


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
    # B drives A: every model finds it, no shift of B comes close (the smallest possible p: 1 / 200)
    for model in ("var-granger", "poisson", "negbin"):
        assert t.loc[(model, "B", "A"), "pvalue"] == pytest.approx(1 / 200)
        assert t.loc[(model, "B", "A"), "pvalue_asymptotic"] < 1e-6
        assert t.loc[(model, "B", "A"), "draws"] == 199
    # A does not drive B
    for model in ("var-granger", "poisson", "negbin"):
        assert t.loc[(model, "A", "B"), "pvalue"] > 0.01
    # The Poisson lag coefficients sum to about the true 0.4 (lag 1 only), on log(1 + count).
    assert t.loc[("poisson", "B", "A"), "response"] == pytest.approx(0.4, abs=0.08)
    sentences = result.sentences()
    assert any(s.startswith("Consistent with A's killings responding to B's killings: they rise") for s in sentences)
    assert any(s.startswith("No evidence at the 5% level") and "B's killings predict" not in s for s in sentences)
    # with room for one direction, the one with evidence is told and the other counted
    short = result.sentences(most=1)
    assert len(short) == 2 and short[0].startswith("Consistent with A's killings responding to B's killings")
    assert short[1].startswith("The 1 other direction (in the table): 0 with evidence at the 5% level, 1 without")


def test_raw_count_lags_recover_a_raw_count_process():
    counts = simulate_counts(transform=None)
    result = esc.reciprocity(as_events(counts), freq="D", lags=2, transform="none", measure="fatalities")
    t = result.tests.set_index(["model", "cause", "effect"])
    assert t.loc[("poisson", "B", "A"), "response"] == pytest.approx(0.4, abs=0.06)


def test_irf_bands_are_statsmodels_errors_at_the_level_asked(simulated):
    from scipy.stats import norm

    _, result = simulated
    irf = result.conf_int()
    # statsmodels' asymptotic standard errors of the same VAR, computed afresh: half-width z * se
    se = result.var.irf(result.irfs.shape[0] - 1).stderr()
    sides = list(result.series.columns)
    row = irf[(irf["cause"] == "B") & (irf["effect"] == "A") & (irf["horizon"] == 2)].iloc[0]
    expected = norm.ppf(0.975) * se[2, sides.index("A"), sides.index("B")]
    assert (row["upper"] - row["lower"]) / 2 == pytest.approx(expected, rel=1e-9)
    narrow = result.conf_int(alpha=0.32)  # one standard error either side
    ratio = (narrow["upper"] - narrow["lower"]) / (irf["upper"] - irf["lower"])
    assert ratio[irf["upper"] > irf["lower"]].to_numpy() == pytest.approx(norm.ppf(0.84) / norm.ppf(0.975), rel=1e-9)
    ba = irf[(irf["cause"] == "B") & (irf["effect"] == "A") & (irf["horizon"] == 1)].iloc[0]
    assert ba["lower"] > 0  # the true response at lag 1 is positive


def test_sparse_sides_are_left_out_and_reported():
    result = esc.reciprocity(esc.datasets.load_iraq_2019_2021(), freq="W", measure="events")
    assert "Iran" in result.dropped_sides
    assert "Iran" not in result.series.columns
    assert "left out" in repr(result)


def test_side_series_measures():
    ev = esc.datasets.load_iraq_2019_2021()
    assert side_series(ev, freq="M", measure="events").to_numpy().sum() == 62
    total = ev.frame["fatalities"].fillna(0).sum()
    assert side_series(ev, freq="M").to_numpy().sum() == total
    with pytest.raises(esc.UsageError):
        side_series(ev, freq="Q")


def test_adjusted_pvalues_are_holm_over_the_whole_table(simulated):
    _, result = simulated
    t = result.tests
    p = t["pvalue"].to_numpy()
    # Holm by hand: sort, multiply the i-th smallest by (m - i), carry the running maximum, cap at 1.
    order = np.argsort(p, kind="stable")
    m = len(p)
    stepped = np.minimum(1, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    expected = np.empty(m)
    expected[order] = stepped
    np.testing.assert_allclose(t["pvalue_adjusted"].to_numpy(), expected, rtol=1e-12)
    from statsmodels.stats.multitest import multipletests

    counts = simulate_counts(n=600)
    bh = esc.reciprocity(as_events(counts), freq="D", lags=2, adjust="fdr_bh", measure="fatalities").tests
    np.testing.assert_allclose(bh["pvalue_adjusted"], multipletests(bh["pvalue"], method="fdr_bh")[1], rtol=1e-12)


def test_score_statistic_matches_statsmodels_score_test():
    import statsmodels.api as sm

    from escalation.chance.shift import fit_restricted, score_statistic
    from escalation.stats.reciprocity.count_models import lag_builder

    counts = simulate_counts(n=800, b12=0.2, seed=5)
    build = lag_builder([(1, 1), (2, 7)], "log1p")
    y = counts["A"].to_numpy(float)[7:]
    xr = np.column_stack([np.ones(len(y)), build(counts["A"].to_numpy(float))])
    xc = build(counts["B"].to_numpy(float))
    restricted = fit_restricted("poisson", y, xr)
    reference = sm.GLM(y, xr, family=sm.families.Poisson()).fit(tol=1e-12).score_test(exog_extra=xc, cov_type="HC0")
    # HC0 is the HAC variance with bandwidth 0; statsmodels' differs from the textbook sandwich by ~2e-4
    assert score_statistic(restricted, xc, 0) == pytest.approx(float(reference[0]), rel=1e-3)


def test_shift_statistic_of_a_var_equation_is_the_granger_f(simulated):
    from escalation.chance.shift import fit_restricted, score_statistic
    from escalation.stats.reciprocity.count_models import lag_builder

    _, result = simulated
    build = lag_builder([(1, 1), (2, 2)], "none")
    a, b = (result.series[c].to_numpy(float) for c in ("A", "B"))
    restricted = fit_restricted("ols", a[2:], np.column_stack([np.ones(len(a) - 2), build(a)]))
    f = score_statistic(restricted, build(b), 0, kind="f")
    assert f == pytest.approx(result.granger.set_index(["cause", "effect"]).loc[("B", "A"), "statistic"], rel=1e-9)


def test_a_model_that_cannot_be_estimated_says_so():
    # B kills on 6 days, each the day after A did: the logit of B on A's lags separates perfectly.
    days = pd.date_range("2020-01-01", periods=400, freq="D")
    rng = np.random.default_rng(3)
    a_days = np.sort(rng.choice(np.arange(5, 390), size=120, replace=False))
    b_days = a_days[::20] + 1
    rows = [{"date": days[d], "actor": "A", "target": "B", "fatalities": 1} for d in a_days]
    rows += [{"date": days[d], "actor": "B", "target": "A", "fatalities": 1} for d in b_days]
    rows += [{"date": days[d], "actor": "C", "target": "A", "fatalities": 0} for d in range(0, 400, 7)]
    result = esc.reciprocity(pd.DataFrame(rows), measure="any", lags=1, min_active_periods=5)
    t = result.tests
    never = t[(t["effect"] == "C") & (t["model"] == "logit")]  # C never kills: its 0/1 outcome never varies
    assert never["statistic"].isna().all() and never["pvalue"].isna().all()
    assert never["note"].str.startswith("not estimable: the outcome never varies").all()
    assert never["pvalue_adjusted"].isna().all()  # and it is not counted in the adjustment
    assert any("logit: not estimable" in s for s in result.sentences())


def test_start_and_end_zero_fill_the_requested_window():
    ev = esc.datasets.load_iraq_2019_2021()
    s = side_series(ev, measure="events", start="2019-12-01", end="2020-01-31")
    assert s.index[0] == pd.Period("2019-12-01", "D") and s.index[-1] == pd.Period("2020-01-31", "D")
    inside = ev.frame[(ev.frame["date"] >= "2019-12-01") & (ev.frame["date"] < "2020-02-01")]
    assert s.to_numpy().sum() == len(inside)
    assert s.loc[pd.Period("2019-12-01", "D")].sum() == 0  # before the first event: zeros, not left out
    with pytest.raises(esc.UsageError):
        side_series(ev, start="2020-02-01", end="2020-01-01")


def test_lag_criteria_groups_and_controls(simulated):
    counts, _ = simulated
    events = as_events(counts)
    bic = esc.reciprocity(events, lags="bic", count_models=False)
    aic = esc.reciprocity(events, lags="aic", count_models=False)
    assert bic.lags_chosen_by == "bic" and bic.lags <= aic.lags
    grouped = esc.reciprocity(events, lags=[1, (2, 7), (8, 14)], draws=19)
    assert grouped.lags == 14 and set(grouped.tests["lags"]) == {"14", "L1,L2-7,L8-14"}
    monthly = esc.reciprocity(events, lags=2, controls=["month", "dow"], draws=19)
    assert monthly.var.exog is not None and monthly.var.exog.shape[1] == monthly.controls.shape[1]
    t = monthly.tests.set_index(["model", "cause", "effect"])
    assert t.loc[("poisson", "B", "A"), "pvalue"] == pytest.approx(1 / 20)  # the effect survives the controls
    for bad in ({"lags": "best"}, {"lags": [(3, 2)]}, {"controls": ["week"]}, {"adjust": "sidak2"},
                {"draws": 5}, {"measure": "killed"}):  # fmt: skip
        with pytest.raises(esc.UsageError):
            esc.reciprocity(events, **bad)


def test_btselem_published_specifications(btselem_path):
    # Jaeger & Paserman (AER 2008), second intifada 2000-09-29 .. 2005-01-15: Israeli killings follow
    # Palestinian ones (Granger F = 6.41, p < 1e-4 in the replication); the reverse is not found.
    # The asymptotic F reproduces. Against the tide-keeping null (each 14-day block of the cause rotated on its
    # own) the count models find it too, the negative binomial after Holm's adjustment; the VAR's robust
    # statistic does not, and the reverse direction is found by no test.
    # docs/statistics.md states both; examples/btselem_published_specs.py prints every specification.
    ev = esc.read_events(btselem_path, columns=BTSELEM_COLUMNS, per_victim=True, sides=EXAMPLES / "btselem_sides.json")
    jp = esc.reciprocity(ev, freq="D", start="2000-09-29", end="2005-01-15", lags=[1, (2, 7), (8, 14)],
                         measure="fatalities")  # fmt: skip
    assert jp.series.index[0] == pd.Period("2000-09-29", "D") and jp.series.index[-1] == pd.Period("2005-01-15", "D")
    t = jp.tests.set_index(["model", "cause", "effect"])
    var = t.loc[("var-granger", "Palestinians", "Israel")]
    assert var["statistic"] == pytest.approx(6.43, abs=0.05) and var["pvalue_asymptotic"] < 1e-4
    assert t.loc[("var-granger", "Israel", "Palestinians"), "pvalue_asymptotic"] > 0.2
    assert t.loc[("poisson", "Palestinians", "Israel"), "pvalue"] == pytest.approx(0.015, abs=0.001)
    assert t.loc[("negbin", "Palestinians", "Israel"), "pvalue_adjusted"] == pytest.approx(0.03, abs=0.001)
    assert (t.xs("Israel", level="cause")["pvalue_adjusted"] > 0.5).all()


def test_stationarity_tells_a_random_walk_from_noise():
    rng = np.random.default_rng(2)
    n = 600
    walk = np.abs(np.cumsum(rng.normal(0, 1, n))).round()  # non-stationary level
    noise = rng.poisson(2.0, n).astype(float)
    counts = pd.DataFrame({"A": walk, "B": noise})
    result = esc.reciprocity(as_events(counts), lags=1, count_models=False, inference="asymptotic",
                             measure="fatalities")  # fmt: skip
    st = result.stationarity.set_index("side")
    assert st.loc["A", "adf_pvalue"] > 0.1 and st.loc["A", "kpss_pvalue"] <= 0.01  # unit root, not stationary
    assert st.loc["B", "adf_pvalue"] < 0.01 and st.loc["B", "kpss_pvalue"] >= 0.1  # stationary
    assert "Stationarity" in result._repr_html_()


def test_dyad_series_leave_out_attacks_on_third_parties():
    # A attacks B every day; C answers A (C -> A) the day after; B never answers.
    days = pd.date_range("2020-01-01", periods=300, freq="D").strftime("%Y-%m-%d")
    rng = np.random.default_rng(8)
    rows = []
    for i, day in enumerate(days):
        if rng.random() < 0.4:
            rows.append({"date": day, "actor": "A", "target": "B", "fatalities": 1})
            if i + 1 < len(days):
                rows.append({"date": days[i + 1], "actor": "C", "target": "A", "fatalities": 1})
        if rng.random() < 0.3:
            rows.append({"date": day, "actor": "B", "target": "A", "fatalities": 1})
    table = pd.DataFrame(rows)
    by_actor = esc.reciprocity(table, lags=1, draws=39)
    by_dyad = esc.reciprocity(table, lags=1, draws=39, by="dyad")
    assert "A -> B" in by_dyad.series.columns and "C -> A" in by_dyad.series.columns
    # each dyad is tested against its reverse only: C -> A has no reverse dyad, so it is not tested
    assert set(map(tuple, by_dyad.tests[["cause", "effect"]].drop_duplicates().to_numpy())) == {
        ("A -> B", "B -> A"), ("B -> A", "A -> B")}  # fmt: skip
    # by actor, A's attacks on B look answered (by C); by dyad, B does not answer A
    actor = by_actor.tests.set_index(["model", "cause", "effect"])
    dyad = by_dyad.tests.set_index(["model", "cause", "effect"])
    assert actor.loc[("poisson", "A", "C"), "pvalue"] == pytest.approx(1 / 40)
    assert dyad.loc[("poisson", "A -> B", "B -> A"), "pvalue"] > 0.05
    assert any("A's actions against B" in s for s in by_dyad.sentences())


def test_irf_order_and_monte_carlo_bands(simulated):
    counts, result = simulated
    events = as_events(counts)
    ab = esc.reciprocity(events, lags=2, orthogonal=True, irf_order=["A", "B"], count_models=False, draws=19)
    ba = esc.reciprocity(events, lags=2, orthogonal=True, irf_order=["B"], count_models=False, draws=19)
    assert list(ab.series.columns) == ["A", "B"] and list(ba.series.columns) == ["B", "A"]
    first = ab.irf_table.set_index(["cause", "effect", "horizon"]).sort_index()
    second = ba.irf_table.set_index(["cause", "effect", "horizon"]).sort_index()
    # Cholesky: the first side's shock moves the second in the same period, never the reverse
    assert first.loc[("B", "A", 0), "response"] == 0.0 and second.loc[("A", "B", 0), "response"] == 0.0
    import inspect

    from statsmodels.tsa.vector_ar.irf import IRAnalysis

    if "rng" not in inspect.signature(IRAnalysis.errband_mc).parameters:  # statsmodels 0.14: refused, said why
        with pytest.raises(esc.UsageError, match=r"statsmodels >= 0\.15"):
            esc.reciprocity(events, lags=2, irf_bands="bootstrap", count_models=False, draws=19)
        return
    mc = esc.reciprocity(events, lags=2, irf_bands="bootstrap", irf_draws=200, count_models=False, draws=19)
    table = mc.irf_table.set_index(["cause", "effect", "horizon"]).sort_index()
    asym = result.irf_table.set_index(["cause", "effect", "horizon"]).sort_index()
    width = (table["upper"] - table["lower"]).loc[("B", "A")].iloc[1:4]
    asym_width = (asym["upper"] - asym["lower"]).loc[("B", "A")].iloc[1:4]
    np.testing.assert_allclose(width, asym_width, rtol=0.35)  # 3,000 days: both bands of one size
    assert table.loc[("B", "A", 1), "lower"] > 0  # the true lag-1 response is positive
    with pytest.raises(esc.UsageError):
        esc.reciprocity(events, irf_order=["C"])


def test_lag_order_is_chosen_from_own_pasts_not_cross_lags():
    """B copies A five days later: the VAR's AIC picks 5 lags because of the cross term; the series' own pasts
    (each white noise) give 1. An order that never looks at cross lags cannot favour a relation."""
    from statsmodels.tsa.api import VAR

    from escalation.stats.reciprocity.spec import criterion_order

    rng = np.random.default_rng(4)
    a = rng.normal(size=1005)
    data = pd.DataFrame({"A": a[5:], "B": a[:-5] + 0.3 * rng.normal(size=1000)})
    assert VAR(data).select_order(10).selected_orders["aic"] == 5
    assert criterion_order(data, 10, "aic") == 1
    # with own dynamics (an AR(3) series) the choice follows them
    ar = np.zeros(1000)
    for t in range(3, 1000):
        ar[t] = 0.5 * ar[t - 3] + rng.normal()
    assert criterion_order(pd.DataFrame({"A": ar, "B": rng.normal(size=1000)}), 10, "bic") == 3


def test_one_sided_events_belong_to_no_dyad_series():
    ev = esc.datasets.load_iraq_2019_2021()  # 4 one-sided events (B-52 flights, the election)
    assert ev.n_one_sided == 4
    dyads = side_series(ev, freq="M", measure="events", by="dyad")
    assert not any("nan" in c or "<NA>" in c or c.endswith("-> ") for c in dyads.columns)
    assert dyads.to_numpy().sum() == len(ev.frame) - ev.n_one_sided


@pytest.mark.parametrize("model", ["ols", "poisson", "negbin"])
def test_batched_resampled_statistics_equal_one_at_a_time(model):
    # score_statistics (all draws in one solve) and score_statistic (one draw) are the same numbers
    from escalation.chance.series import rotation_indices
    from escalation.chance.shift import CHUNK, fit_restricted, score_statistic, score_statistics
    from escalation.stats.reciprocity.count_models import lag_builder

    rng = np.random.default_rng(5)
    n = 400
    effect, cause = rng.poisson(1.0, n).astype(float), rng.poisson(0.8, n).astype(float)
    build = lag_builder([(1, 1), (2, 4)], "log1p")
    y = effect[4:]
    x = np.column_stack([np.ones(n - 4), build(effect)])
    restricted = fit_restricted(model, y, x)
    indices = rotation_indices(n, 14, CHUNK + 5, seed=1)  # more draws than one chunk
    batched = score_statistics(restricted, build(cause[indices]), 6)
    single = np.array([score_statistic(restricted, build(cause[idx]), 6) for idx in indices])
    np.testing.assert_allclose(batched, single, rtol=1e-10)
    assert build(cause[indices]).shape == (len(indices), n - 4, 2)
