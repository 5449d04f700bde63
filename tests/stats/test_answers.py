"""What makes an answer sooner: the Cox model against lifelines, recovery of known effects, the tides."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import escalation as esc
from escalation.chance.simulate import simulate_tides
from escalation.cli import main
from escalation.errors import UsageError
from escalation.stats.answers import two_sided_pvalue

from ..conftest import benchmark_module, reference

STUDY = benchmark_module("answer_model")
BETA, clean_history, tide_history = STUDY.BETA, STUDY.clean_history, STUDY.tide_history


def _traits(seed: int, clock: bool) -> pd.DataFrame:
    sim = simulate_tides(days=900, rates=(0.2, 0.15), tide="season", answer=0.4, clock_times=clock, seed=seed)
    rng = np.random.default_rng(seed + 1)
    site = np.array(["base", "convoy", "embassy", "embassy", "embassy"])[rng.integers(0, 5, len(sim))]
    return sim.assign(fatalities=rng.poisson(1.5, len(sim)), site=site)  # embassy: the most common


@pytest.mark.parametrize("clock", [True, False])
@pytest.mark.parametrize("by", [None, "direction"])
def test_coefficients_and_clustered_errors_match_lifelines(clock, by):
    """statsmodels' PHReg (Efron's ties) against lifelines' CoxPHFitter on the same actions: coefficients to
    1e-6 with ties (dates only) and without; the clustered sandwich to 1e-6 where no two waits tie. With ties
    the two packages' score residuals differ (statsmodels' are Breslow's), so only the coefficients are
    compared there; the interval's coverage on tied data is in docs/statistics.md."""
    lifelines = reference("lifelines")
    fit = esc.answer_model(_traits(3, clock), ["log1p(fatalities)", "site"], window="30D", by=by, draws=0)
    summary = fit.summary()
    table = fit.to_frame()
    assert fit.terms == ["log1p(fatalities)", "site[T.base]", "site[T.convoy]"]  # embassy: the most common
    for group, part in table.groupby("group"):
        data = part[["duration_days", "answered", "direction", "cluster", *fit.terms]].copy()
        data = data[data["duration_days"] > 0]  # censored at 0: no information, left out by both
        data.columns = ["T", "E", "direction", "cluster", "x0", "x1", "x2"]
        data["E"] = data["E"].astype(int)
        options = {"duration_col": "T", "event_col": "E", "cluster_col": "cluster"}
        if by is None:
            options["strata"] = ["direction"]
        else:
            data = data.drop(columns="direction")
        # lifelines' defaults stop at a step of 1e-7 or a relative change of the log-likelihood of 1e-9
        cph = lifelines.CoxPHFitter().fit(data, fit_options={"precision": 1e-12, "r_precision": 1e-15}, **options)
        ours = summary[summary["group"] == group].set_index("term").loc[fit.terms]
        np.testing.assert_allclose(ours["coef"], cph.params_.to_numpy(), rtol=0, atol=1e-6)
        if clock:
            np.testing.assert_allclose(ours["se"], cph.standard_errors_.to_numpy(), rtol=1e-6)


@pytest.mark.parametrize("tied", [False, True])
@pytest.mark.parametrize("strata", [False, True])
def test_the_vectorised_fit_equals_statsmodels_phreg(tied, strata):
    """escalation.stats._cox against statsmodels' PHReg (Efron's ties): coefficients, model-based and clustered
    standard errors, with and without ties and strata."""
    from statsmodels.duration.hazard_regression import PHReg

    from escalation.stats._cox import clustered_covariance, fit_cox

    rng = np.random.default_rng(7 + 2 * tied + strata)
    n = 500
    x = np.c_[rng.normal(size=n), rng.random(n) < 0.3]
    t = rng.exponential(5 / np.exp(0.5 * x[:, 0] - 0.4 * x[:, 1]))
    t = np.ceil(t) if tied else t
    duration, event = np.minimum(t, 20.0), t <= 20
    groups, layers = rng.integers(0, n // 3, n), (rng.integers(0, 3, n) if strata else None)
    beta, hessian, data = fit_cox(duration, event, x, layers)
    model = PHReg(duration, x, status=event.astype(int), strata=layers, ties="efron")
    plain, robust = model.fit(), model.fit(groups=groups)
    np.testing.assert_allclose(beta, plain.params, rtol=0, atol=1e-10)
    np.testing.assert_allclose(np.sqrt(np.diag(np.linalg.inv(-hessian))), plain.bse, rtol=1e-9)
    np.testing.assert_allclose(np.sqrt(np.diag(clustered_covariance(data, beta, hessian, groups))), robust.bse,
                               rtol=1e-9)  # fmt: skip


@pytest.mark.slow
def test_known_effects_are_recovered_within_their_intervals():
    """200 seeded histories in which Cox's model is true (benchmarks/answer_model.py): each 95% interval
    holds the true coefficient in at least 93% of them, and the estimates centre on the truth."""
    inside, estimates = np.zeros(2), []
    for k in range(200):
        s = esc.answer_model(clean_history(1000 + k), ["x", "z"], window="30D", draws=0).summary()
        s = s[s["group"] == "B answering A"].set_index("term").loc[["x", "z"]]
        inside += (np.log(s["lower"]).to_numpy() <= BETA) & (BETA <= np.log(s["upper"]).to_numpy())
        estimates.append(s["coef"].to_numpy())
    assert (inside / 200 >= 0.93).all(), inside / 200
    np.testing.assert_allclose(np.mean(estimates, axis=0), BETA, atol=0.03)


def test_the_waits_of_an_unrotated_draw_are_the_observed_ones(monkeypatch):
    """rotated_waits with every rotation 0 gives back the waits of time_to_response: one search, two uses."""
    from escalation.chance import _tide

    monkeypatch.setattr(_tide.Blocks, "draw", lambda self, draws, rng: np.zeros((draws, self.count), np.int64))
    fit = esc.answer_model(_traits(5, False), ["log1p(fatalities)"], window="30D", draws=2)
    t = fit.to_frame()
    for k in range(2):
        from escalation.stats.survival import censored

        duration, answered = censored(fit._drawn[k], 30.0, fit._left)
        np.testing.assert_array_equal(answered, t["answered"].to_numpy())
        np.testing.assert_allclose(duration, t["duration_days"].to_numpy())
    s = fit.summary()
    np.testing.assert_allclose(s["chance_hr"], s["hazard_ratio"])  # the same waits: the same model


def test_a_shared_surge_is_not_credited_to_the_deaths():
    """Nobody answers anybody; both sides surge, and deaths are higher in the surges. The Wald test finds
    "deadlier actions are followed sooner", as it should (they are); the comparison with the tides does not
    call it an answer."""
    s = esc.answer_model(tide_history(1000, "surge", answering=False), ["log1p(fatalities)"], draws=99).summary()
    row = s.set_index("group").loc["B answering A"]
    assert row["pvalue"] < 0.05 and row["hazard_ratio"] > 1.3
    assert row["chance_hr"] > 1.3  # the tides alone give it
    assert row["pvalue_tide"] > 0.05
    assert row["verdict"] == "no more than the tides give"


def test_two_sided_pvalue_by_hand():
    drawn = np.arange(1.0, 20.0)  # 19 draws: 1 .. 19
    assert two_sided_pvalue(25.0, drawn) == pytest.approx(2 * 1 / 20)
    assert two_sided_pvalue(0.0, drawn) == pytest.approx(2 * 1 / 20)
    assert two_sided_pvalue(10.0, drawn) == 1.0
    assert two_sided_pvalue(17.5, drawn) == pytest.approx(2 * 3 / 20)  # 18, 19 above, and itself


def test_terms_missing_traits_and_small_directions_are_said():
    events = esc.datasets.load_iraq_2019_2021()
    fit = esc.answer_model(events, ["log1p(fatalities)", "rung"], by=None, draws=19)
    s = fit.summary()
    assert list(s["term"]) == ["log1p(fatalities)", "rung"]
    t = fit.to_frame()
    missing = int(t[["log1p(fatalities)", "rung"]].isna().any(axis=1).sum())
    assert missing > 0 and s["note"].str.contains(f"{missing} actions left out: a trait is missing").all()
    assert (s["events"] + missing == len(t)).all()  # every action is in the model or counted out
    per_direction = esc.answer_model(events, ["rung"], draws=0).summary()
    few = per_direction[per_direction["answered"] < 10]
    assert len(few) and (few["verdict"] == "not estimated").all()
    assert few["note"].str.contains("too few answers|does not vary|no trait varies").all()


def test_text_traits_take_one_term_per_value_against_the_most_common():
    data = _traits(2, False)
    i = np.arange(len(data))
    data["shots"] = i % 3  # 0, 1, 2 as many times each: the reference is the first in order
    fit = esc.answer_model(data, ["site", "C(shots)", "fatalities"], window="30D", by=None, draws=0)
    assert fit.terms == ["site[T.base]", "site[T.convoy]", "C(shots)[T.1]", "C(shots)[T.2]", "fatalities"]
    t = fit.to_frame()
    np.testing.assert_array_equal(t["site[T.base]"], (data.set_index("event_id").loc[t["event_id"], "site"]
                                                      == "base").astype(float))  # fmt: skip


@pytest.mark.parametrize(
    ("covariates", "options", "message"),
    [
        (["nope"], {}, "no column 'nope'"),
        (["location"], {}, "at most 12"),
        (["log1p(event_type)"], {}, "not numeric"),
        ([], {}, "name at least one"),
        (["rung"], {"by": "dyad"}, "by must be"),
        (["rung"], {"draws": -1}, "draws must be"),
        (["rung"], {"alpha": 2}, "alpha must be"),
    ],
)
def test_bad_requests_are_usage_errors(covariates, options, message):
    with pytest.raises(UsageError, match=message):
        esc.answer_model(esc.datasets.load_iraq_2019_2021(), covariates, **options)


def test_result_protocol():
    import matplotlib

    matplotlib.use("Agg")
    fit = esc.answer_model(_traits(4, False), ["log1p(fatalities)", "site"], draws=19)
    frame = fit.to_frame()
    frame.loc[:, "duration_days"] = -1.0
    assert (fit.to_frame()["duration_days"] >= 0).all()  # a copy
    json.dumps(fit.to_dict())
    assert "AnswerModelResult" in fit._repr_html_() and "window 3.5" not in repr(fit)
    assert fit.window == pd.Timedelta(days=3.5)  # a quarter of the default tide
    ci = fit.conf_int(alpha=0.5)
    wide = fit.conf_int()
    assert ((ci["lower"] >= wide["lower"] - 1e-12) & (ci["upper"] <= wide["upper"] + 1e-12)).all()
    ax = fit.plot()
    assert len(ax.get_yticklabels()) == int(np.isfinite(fit.summary()["hazard_ratio"]).sum())
    matplotlib.pyplot.close("all")


def test_cli_answers(tmp_path, capsys):
    out, table = tmp_path / "hr.csv", tmp_path / "actions.csv"
    code = main(["answers", "--covariate", "log1p(fatalities)", "--covariate", "rung", "--pooled", "--draws", "19",
                 "--window", "30D", "-o", str(out), "--table", str(table)])  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0
    written = pd.read_csv(out)
    assert list(written["term"]) == ["log1p(fatalities)", "rung"] and (written["draws"] == 19).all()
    assert "rotated within 14-day blocks (19 draws)" in printed and "hazard ratio" in printed
    assert len(pd.read_csv(table)) == written["events"].iloc[0] + 2  # two actions without deaths, counted out
    assert main(["answers", "--covariate", "nope"]) == 2
    assert "no column 'nope'" in capsys.readouterr().err
    assert main(["answers", "--covariate", "rung", "--draws", "-3"]) == 2
