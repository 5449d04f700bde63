"""Hawkes: the kernel sums and likelihood against slow direct formulas, the gradient against finite
differences, and recovery of known parameters from our simulator and from tick's."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import escalation as esc
from escalation.cli import main
from escalation.stats.hawkes import simulate_hawkes, simulate_times
from escalation.stats.hawkes._kernel import compensator_terms, excitation, slow_excitation
from escalation.stats.hawkes._likelihood import negloglik
from escalation.stats.hawkes.model import prepare

from ..conftest import reference

MU = np.array([0.4, 0.4])
ADJ = np.array([[0.35, 0.3], [0.3, 0.35]])
DECAY = 1.5
END = 8750.0  # stationary rates 1.14 + 1.14 per day: about 20,000 events
TRUTH = np.r_[MU, ADJ.ravel(), DECAY]


def slow_loglik(times, dims, n_dims, mu, adj, beta, end):
    """The log-likelihood written out pair by pair (O(n^2))."""
    ll = 0.0
    for k, (t, i) in enumerate(zip(times, dims, strict=True)):
        lam = mu[i]
        for t2, j in zip(times[:k], dims[:k], strict=True):
            if t2 < t:
                lam += adj[i, j] * beta * np.exp(-beta * (t - t2))
        ll += np.log(lam)
    for i in range(n_dims):
        ll -= mu[i] * end
        for t2, j in zip(times, dims, strict=True):
            ll -= adj[i, j] * (1 - np.exp(-beta * (end - t2)))
    return ll


def as_table(times, dims, names=("a", "b")):
    actor = np.asarray(names)[dims]
    target = np.asarray(names[::-1])[dims]
    return pd.DataFrame({"date": pd.Timestamp("2000-01-01") + pd.to_timedelta(times, unit="D"),
                         "actor": actor, "target": target})  # fmt: skip


def estimates(fit):
    return np.r_[fit.baseline, fit.adjacency.ravel(), fit.decay]


@pytest.mark.parametrize("beta", [0.05, 1.0, 30.0])
def test_excitation_matches_direct_sums_with_ties(beta):
    rng = np.random.default_rng(1)
    times = np.sort(np.round(rng.uniform(0, 80, 400), 1))  # rounding makes simultaneous events
    dims = rng.integers(0, 3, 400)
    r, counts = excitation(times, dims, 3, beta)
    np.testing.assert_allclose(r, slow_excitation(times, dims, 3, beta), rtol=1e-10, atol=1e-12)
    earlier = times[None, :] < times[:, None]
    for j in range(3):
        np.testing.assert_array_equal(counts[:, j], (earlier & (dims[None, :] == j)).sum(axis=1))


def test_excitation_of_segments_equals_each_segment_alone():
    rng = np.random.default_rng(2)
    parts = [np.sort(np.round(rng.uniform(0, 3000, 150), 0)) for _ in range(3)]  # sparse, long, with ties
    dims = [rng.integers(0, 2, 150) for _ in range(3)]
    beta = 40.0  # thousands of chunks of 12.5 time units, most of them empty
    r, counts = excitation(np.concatenate(parts), np.concatenate(dims), 2, beta, segments=np.repeat([5, 6, 9], 150))
    for k, (t, d) in enumerate(zip(parts, dims, strict=True)):
        alone_r, alone_counts = excitation(t, d, 2, beta)
        np.testing.assert_allclose(r[150 * k : 150 * (k + 1)], alone_r, rtol=1e-12, atol=0)
        np.testing.assert_array_equal(counts[150 * k : 150 * (k + 1)], alone_counts)
        np.testing.assert_allclose(alone_r, slow_excitation(t, d, 2, beta), rtol=1e-10, atol=1e-300)


def test_loglik_matches_slow_formula():
    times, dims = simulate_times([0.5, 0.3], [[0.3, 0.2], [0.4, 0.1]], 1.2, 60.0, seed=4)
    mu, adj, beta, end = np.array([0.45, 0.35]), np.array([[0.25, 0.15], [0.3, 0.2]]), 0.9, 60.0
    r, _ = excitation(times, dims, 2, beta)
    g = compensator_terms(times, dims, 2, beta, end)
    total = 0.0
    for i in range(2):
        mine = dims == i
        x = np.column_stack([np.ones(mine.sum()), beta * r[mine]])
        total -= negloglik(np.r_[mu[i], adj[i]], x, np.r_[end, g])[0]
    assert total == pytest.approx(slow_loglik(times, dims, 2, mu, adj, beta, end), rel=1e-12)


def test_gradient_matches_finite_differences():
    times, dims = simulate_times([0.5, 0.3], [[0.3, 0.2], [0.4, 0.1]], 1.2, 300.0, seed=5)
    r, _ = excitation(times, dims, 2, 1.2)
    g = compensator_terms(times, dims, 2, 1.2, 300.0)
    mine = dims == 1
    x = np.column_stack([np.ones(mine.sum()), 1.2 * r[mine]])
    comp = np.r_[300.0, g]
    theta = np.array([0.3, 0.35, 0.12])
    h = 1e-6
    numeric = np.array(
        [(negloglik(theta + h * e, x, comp)[0] - negloglik(theta - h * e, x, comp)[0]) / (2 * h)
         for e in np.eye(3)]
    )  # fmt: skip
    np.testing.assert_allclose(negloglik(theta, x, comp)[1], numeric, rtol=1e-7)


@pytest.fixture(scope="module")
def own_fit():
    sim = simulate_hawkes(MU, ADJ, DECAY, length=END, seed=0, sides=["a", "b"])
    # the data have a constant background: the model that generated them is the one checked
    return sim, esc.fit_hawkes(sim, jitter_seed=None, background="constant")


def test_recovers_parameters_from_own_simulator(own_fit):
    sim, fit = own_fit
    assert 18_000 < len(sim) < 22_000
    rel = np.abs(estimates(fit) - TRUTH) / TRUTH
    assert rel.max() < 0.10, dict(zip(["mu0", "mu1", "a00", "a01", "a10", "a11", "decay"], rel.round(3), strict=True))
    # The standard errors are honest: every estimate within 4 of them from the truth.
    se = np.r_[fit.baseline_se, fit.adjacency_se.ravel(), fit.decay_se]
    assert (np.abs(estimates(fit) - TRUTH) < 4 * se).all()


def test_recovers_parameters_from_tick_simulator():
    hawkes = reference("tick.hawkes")
    sim = hawkes.SimuHawkesExpKernels(adjacency=ADJ, decays=DECAY, baseline=MU, end_time=END, seed=0, verbose=False)
    sim.simulate()
    times = np.concatenate(sim.timestamps)
    dims = np.concatenate([np.full(len(t), i) for i, t in enumerate(sim.timestamps)])
    fit = esc.fit_hawkes(as_table(times, dims), jitter_seed=None, background="constant")
    assert 18_000 < len(times) < 22_000
    rel = np.abs(estimates(fit) - TRUTH) / TRUTH
    assert rel.max() < 0.10


def test_cluster_simulator_agrees_with_thinning():
    # Two exact simulators of the same process: the fitted parameters agree within sampling error.
    times, dims = simulate_times(MU, ADJ, DECAY, END, seed=2, method="cluster")
    fit = esc.fit_hawkes(as_table(times, dims), jitter_seed=None, background="constant")
    assert (np.abs(estimates(fit) - TRUTH) / TRUTH).max() < 0.12


def test_fixed_decay_is_kept(own_fit):
    sim, _ = own_fit
    fit = esc.fit_hawkes(sim.iloc[:3000], decay=DECAY, jitter_seed=None)
    assert fit.decay == DECAY and np.isnan(fit.decay_se)


def test_trigger_probabilities(own_fit):
    _, fit = own_fit
    tp = fit.trigger_probabilities
    p = tp[["p_background", "p_a", "p_b"]].to_numpy()
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-12)
    assert tp["p_background"].iloc[0] == pytest.approx(1.0)  # the first event has no past
    has_parent = tp["parent_id"].notna()
    assert (tp.loc[has_parent, "parent_prob"] <= 1 - tp.loc[has_parent, "p_background"] + 1e-12).all()
    # In a process with branching ratio 0.65 about 65% of events are triggered on average.
    assert 1 - tp["p_background"].mean() == pytest.approx(0.65, abs=0.05)


def test_goodness_of_fit_on_correct_model(own_fit):
    _, fit = own_fit
    gof = fit.goodness_of_fit.set_index("side")
    assert (gof["ks_pvalue"] > 0.01).all()
    assert gof.loc["all sides", "mean_gap"] == pytest.approx(1.0, abs=0.03)


def test_goodness_of_fit_rejects_a_wrong_decay(own_fit):
    sim, _ = own_fit
    wrong = esc.fit_hawkes(sim, decay=DECAY * 20, jitter_seed=None, background="constant")
    assert wrong.goodness_of_fit.set_index("side").loc["all sides", "ks_pvalue"] < 0.01


def test_explosive_fit_warns():
    # A process simulated with spectral radius 1.3 on a short window: the fit must say it is explosive.
    sim = simulate_hawkes([0.5, 0.5], [[0.7, 0.6], [0.6, 0.7]], 2.0, length=12, seed=0)
    with pytest.warns(RuntimeWarning, match="branching ratio"):
        fit = esc.fit_hawkes(sim, jitter_seed=None)
    assert fit.branching_ratio >= 1


def test_untimed_events_are_jittered_reproducibly_only_when_asked():
    ev = esc.datasets.load_iraq_2019_2021()
    a = prepare(ev, jitter_seed=3, resolution="continuous")
    b = prepare(ev, jitter_seed=3, resolution="continuous")
    np.testing.assert_array_equal(a.times, b.times)
    assert (np.diff(a.times) > 0).all()
    daily = prepare(ev)  # dates only: counted per day, no invented order
    assert daily.daily and (daily.times == np.floor(daily.times)).all()
    with pytest.raises(esc.UsageError, match="time_unit must be 'D'"):
        prepare(ev, time_unit="h")


def test_daily_fit_recovers_known_parameters():
    from escalation.stats.hawkes import simulate_daily

    mu, adj, decay = [0.3, 0.2], np.array([[0.25, 0.35], [0.3, 0.2]]), 0.6
    sim = simulate_daily(mu, adj, decay, days=8000, seed=1, sides=["a", "b"])
    fit = esc.fit_hawkes(sim, background="constant")
    assert fit.resolution == "daily" and not fit.decay_at_bound
    z = np.abs(fit.adjacency - adj) / fit.adjacency_se
    assert (z < 4).all() and (np.abs(fit.adjacency - adj) < 0.06).all()
    assert abs(fit.decay - decay) < 4 * fit.decay_se
    np.testing.assert_allclose(fit.baseline, mu, rtol=0.15)
    assert (fit.goodness_of_fit["ks_pvalue"] > 0.01).all()  # the right model is not rejected
    tp = fit.trigger_probabilities
    np.testing.assert_allclose(tp[["p_background", "p_a", "p_b"]].sum(axis=1), 1.0, atol=1e-12)
    # a parent is always on an earlier day: the daily model never orders events of one day
    parent_time = tp.set_index("event_id")["time"].reindex(tp["parent_id"].dropna()).to_numpy()
    assert (tp.dropna(subset=["parent_id"])["time"].to_numpy() > parent_time).all()


def test_victim_rows_grouped_into_incidents_show_no_false_excitation():
    # Independent incidents (Poisson, no excitation at all), each with 1 + Poisson(2) victim rows.
    rng = np.random.default_rng(7)
    n_days = 3000
    incidents = pd.DataFrame({"day": rng.integers(0, n_days, 900), "actor": rng.choice(["P", "I"], 900)})
    incidents["place"] = [f"town {i}" for i in range(len(incidents))]
    rows = incidents.loc[incidents.index.repeat(1 + rng.poisson(2, len(incidents)))]
    table = pd.DataFrame(
        {
            "date": (pd.Timestamp("2000-01-01") + pd.to_timedelta(rows["day"], unit="D")).dt.strftime("%Y-%m-%d"),
            "actor": rows["actor"].to_numpy(),
            "target": np.where(rows["actor"] == "P", "I", "P"),
            "location": rows["place"].to_numpy(),
        }
    )
    victims = esc.read_events(table.assign(fatalities=1))
    # As rows spread over their day, the victims of one attack "excite" each other.
    jittered = esc.fit_hawkes(victims, resolution="continuous")
    assert jittered.branching_ratio > 0.3
    grouped = esc.fit_hawkes(victims.incidents())
    assert grouped.resolution == "daily" and grouped.branching_ratio < 0.1


def test_cli_writes_params_json(tmp_path, capsys):
    out = tmp_path / "params.json"
    assert main(["hawkes", "-o", str(out)]) == 0
    params = json.loads(out.read_text())
    assert {"sides", "baseline", "adjacency", "decay", "branching_ratio", "loglik"} <= set(params)
    assert len(params["adjacency"]) == len(params["sides"]) == 4
    assert str(out) in capsys.readouterr().out


def test_diagnostics_name_what_makes_a_fit_fragile(monkeypatch):
    import escalation.stats.hawkes.model as model

    small = esc.fit_hawkes(esc.datasets.load_iraq_2019_2021())
    assert small.n_parameters == 21
    assert any("62 events for 21 parameters" in d for d in small.diagnostics)
    assert small.to_dict()["diagnostics"] == small.diagnostics
    sim = simulate_hawkes([0.5, 0.3], [[0.3, 0.2], [0.4, 0.1]], decay=1.5, length=3000, seed=4)
    edge = esc.fit_hawkes(sim, jitter_seed=None, decay_bounds=(5.0, 6.0))  # the true decay 1.5 is outside
    assert edge.decay_at_bound and any("edge of its search range" in d for d in edge.diagnostics)
    assert not any("per parameter" in d for d in edge.diagnostics)  # thousands of events for 7 parameters

    real = model.minimize

    def failing(*args, **kwargs):
        res = real(*args, **kwargs)
        res.success, res.message = False, "ABNORMAL: simulated failure"
        return res

    monkeypatch.setattr(model, "minimize", failing)
    failed = esc.fit_hawkes(sim, jitter_seed=None, decay=1.5)
    assert any("did not converge" in d and "ABNORMAL" in d for d in failed.diagnostics)


def test_piecewise_background_recovers_excitation_a_constant_one_inflates():
    # Two phases: calm (0.05 a day per side) then war (0.5), the same excitation throughout (branching 0.3).
    from escalation.stats.hawkes import simulate_daily

    adjacency = [[0.2, 0.1], [0.1, 0.2]]
    calm = simulate_daily([0.05, 0.05], adjacency, 0.7, days=2000, sides=["A", "B"], seed=1, origin="2000-01-01")
    war = simulate_daily([0.5, 0.5], adjacency, 0.7, days=2000, sides=["A", "B"], seed=2, origin="2005-06-24")
    sim = pd.concat([calm.assign(event_id="c" + calm["event_id"]), war.assign(event_id="w" + war["event_id"])])
    constant = esc.fit_hawkes(sim, background="constant")
    phased = esc.fit_hawkes(sim, background=["2005-06-24"])
    np.testing.assert_allclose(phased.adjacency, adjacency, atol=0.06)
    rates = phased.background_table.set_index(["period_start", "side"])["rate"]
    np.testing.assert_allclose(rates.to_numpy(), [0.05, 0.05, 0.5, 0.5], rtol=0.35)
    assert phased.branching_ratio == pytest.approx(0.3, abs=0.06)
    assert constant.branching_ratio > 0.8  # the phases are mistaken for excitation
    assert phased.n_parameters == 2 * 2 + 4 + 1 and phased.to_dict()["background"]["period_starts"][1] == "2005-06-24"
    with pytest.raises(esc.UsageError, match="constant background"):
        phased.simulate()
    with pytest.raises(esc.UsageError, match="pandas frequency"):
        esc.fit_hawkes(sim, background="every other tuesday")


def cross_z(fit, cause, effect):
    i, j = fit.sides.index(effect), fit.sides.index(cause)
    se = fit.adjacency_se[i, j]
    return fit.adjacency[i, j] / se if np.isfinite(se) and se > 0 else 0.0


def test_tide_background_keeps_shared_seasons_out_of_the_excitation():
    # Both sides busier in the same season (or surge) and nobody answering anybody: a constant background
    # reads the shared rise as cross-excitation (the issue measured 92-97% of z > 1.96); the tide background
    # (each side's own events smoothed over 14 days, by stochastic declustering) must not.
    from escalation.chance.simulate import simulate_tides

    z_constant, z_tide = [], []
    for seed in range(12):
        sim = simulate_tides(tide="season" if seed % 2 else "surge", seed=seed)
        ev = esc.read_events(sim[["event_id", "date", "actor", "target"]])
        constant, tide = esc.fit_hawkes(ev, background="constant"), esc.fit_hawkes(ev)
        z_constant += [cross_z(constant, "A", "B"), cross_z(constant, "B", "A")]
        z_tide += [cross_z(tide, "A", "B"), cross_z(tide, "B", "A")]
    assert np.mean(np.array(z_constant) > 1.96) > 0.5
    assert np.sum(np.array(z_tide) > 1.96) <= 2  # 24 tests: 1.2 expected at 5%, more than 3 has p < 0.03
    assert tide.background_kind == "tide" and tide.n_parameters == 2 + 4 + 1
    assert tide.to_dict()["background"]["tide_days"] == 14


def test_tide_background_finds_one_way_answers_in_a_shared_season():
    # B answers 30% of A's actions (gamma delay, mean 3 days), both sides busier in the same season.
    from escalation.chance.simulate import simulate_tides

    for seed in range(3):
        sim = simulate_tides(days=2922, rates=(0.1, 0.03), answer=0.3, tide="season", seed=seed)
        fit = esc.fit_hawkes(esc.read_events(sim[["event_id", "date", "actor", "target"]]))
        assert cross_z(fit, "A", "B") > 3 and cross_z(fit, "B", "A") < 1.96
        # the truth is 0.3; the smoothed background absorbs part of the answers (docs/statistics.md)
        assert 0.12 < fit.adjacency[fit.sides.index("B"), fit.sides.index("A")] < 0.4


def test_intervals_never_go_below_zero_and_keep_the_wald_upper_end():
    # issue 30: "baseline Iran -0.0011", "decay -0.296" in the report's table; every parameter is >= 0
    from scipy.stats import norm

    ev = esc.datasets.load_iraq_2019_2021()
    ci = esc.fit_hawkes(ev).conf_int()
    z = norm.ppf(0.975)
    known = ci["se"].notna()
    assert (ci.loc[known, "lower"] >= 0).all()
    assert ci.loc[known, "upper"].to_numpy() == pytest.approx((ci["estimate"] + z * ci["se"])[known].to_numpy())
    wald = ci["estimate"] - z * ci["se"]
    assert (wald[known] < 0).any()  # the bundled fit has such intervals: the cut is tested, not idle
    assert (ci.loc[known & (wald > 0), "lower"] == wald[known & (wald > 0)]).all()
