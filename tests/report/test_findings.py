"""Key findings: sentences from the tables, chance beside every share, nothing invented for missing values."""

from __future__ import annotations

import re

import pandas as pd

import escalation as esc
from escalation.report.analyses import run_analyses
from escalation.report.findings import findings_html
from escalation.report.text import esc_html


def plain(page: str) -> str:
    return re.sub(r"<[^>]+>", "", page)


def test_missing_values_are_said_not_printed():
    assert esc_html(pd.NA) == esc_html(pd.NaT) == esc_html(float("nan")) == ""
    days = ["2020-01-01", "2020-01-03", "2020-01-05", "2020-01-08"]
    table = pd.DataFrame({"date": days, "actor": ["A", "B", "A", "B"], "target": ["B", "A", "B", "A"],
                          "event_type": [None, "airstrike", None, "rocket attack"]})  # fmt: skip
    ev = esc.read_events(table)
    text = plain(findings_html(ev, run_analyses(ev)))
    assert "NA" not in text.replace("NAN", "") and "nan" not in text
    assert "event of unrecorded type" in text
    assert "Too few steps with both rungs known" in text  # 3 steps, two with an unranked end
    assert "No trend test: no series long enough" in text  # one month of data: said, not guessed


def test_no_links_no_invented_findings():
    table = pd.DataFrame({"date": ["2020-01-01", "2020-03-01"], "actor": ["A", "A"], "target": ["B", "B"]})
    ev = esc.read_events(table)
    text = plain(findings_html(ev, run_analyses(ev)))
    assert "Who escalates" not in text and "chains that matter" not in text


def test_a_misfitting_hawkes_model_and_a_crowded_rung_are_said():
    days = pd.Timestamp("2020-01-01") + pd.to_timedelta(range(0, 600, 3), unit="D")
    table = pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "actor": ["A", "B"] * 100, "target": ["B", "A"] * 100,
                          "event_type": "airstrike"})  # fmt: skip
    ev = esc.read_events(table)
    a = run_analyses(ev)
    from escalation.report.text import summary_html

    fit = a.hawkes.goodness_of_fit
    fits = plain(summary_html(ev, a))
    assert (float(fit["ks_pvalue"].iloc[-1]) >= 0.05) == ("does not fit the data" not in fits)
    # The report's logic on a fit test that rejects (as on B'Tselem, pooled KS p ~ 1e-31): the cached table
    # is replaced, the model is not.
    a.hawkes.__dict__["goodness_of_fit"] = fit.assign(ks_pvalue=1e-31)
    misfit = plain(summary_html(ev, a))
    assert "Its goodness-of-fit test rejects it (pooled KS p = 1e-31): these numbers describe a model that does not " \
           "fit the data, and are not findings." in misfit  # fmt: skip
    findings = plain(findings_html(ev, a))  # every event is an airstrike: one rung
    assert "100% of the ranked events sit on one rung" in findings


def test_titles_and_names_come_from_the_data_not_the_path(tmp_path):
    from escalation.report.text import data_title, source_name

    table = pd.DataFrame({"date": ["2001-03-01", "2001-03-02", "2003-07-09"], "actor": ["B", "B", "A"],
                          "target": ["A", "A", "B"]})  # fmt: skip
    path = tmp_path / "deep" / "folder"
    path.mkdir(parents=True)
    table.to_csv(path / "mine.csv", index=False)
    ev = esc.read_events(path / "mine.csv")
    assert source_name(ev) == "mine.csv"  # not the home directory it sits in
    assert data_title(ev) == "B and A, March 2001 - July 2003"  # the most active side first
    assert source_name(esc.datasets.load_iraq_2019_2021()) == "iraq_2019_2021 (bundled with escalation)"


def test_answers_are_headlined_against_shared_tides_with_their_delay():
    # B answers 30% of A's actions (median delay 2.5 days), both sides busier in the same season
    from escalation.chance.simulate import simulate_tides

    sim = simulate_tides(days=2922, rates=(0.1, 0.03), answer=0.3, tide="season", seed=2)
    ev = esc.read_events(sim[["event_id", "date", "actor", "target"]])
    a = run_analyses(ev)
    text = plain(findings_html(ev, a))
    # beside each Kaplan-Meier median, the median of the same wait when nobody answers, from ttr.chance
    assert a.ttr is not None
    for group, init in (("B answering A", "A"), ("A answering B", "B")):
        curve = a.ttr.chance[a.ttr.chance["group"] == group]
        half = curve[curve["survival"] <= 0.5]
        want = f"{half['time'].iloc[0]:.0f} day" if len(half) else f"more than {curve['time'].iloc[-1]:.0f} days"
        said = re.search(rf"Half of {init}'s actions were followed by .*?nobody answers\), the median wait would "
                         r"be ([^.(]+)", text)  # fmt: skip
        assert said is not None and said.group(1).startswith(want), (said, want)
    assert re.search(
        r"\(a day's actions against one target count once\), \d+% were followed by an action by B "
        r"within 3\.5 days, beyond what shared changes slower than 14 days give",
        text,
    )
    assert "B answers A more often than shared tides give" in text
    assert "consistent with chance: no answering beyond what shared tides and each side's bursts give" in text
    delay = re.search(r"B's answers to A come a median ([0-9.]+) days after \(95% interval ([0-9.]+)-([0-9.]+)", text)
    assert delay is not None and 1.5 <= float(delay.group(1)) <= 3.5
    assert "A's answers to B" not in text  # no delay is told for a direction the test does not find answering


def test_one_minimum_sample_for_every_finding():
    # One rule (escalation report --min-n, default 10): no direction, median of the wait or step share is
    # stated on fewer units; the numbers in brackets are the units each rests on, recounted here.
    import re

    ev = esc.datasets.load_iraq_2019_2021()
    text = plain(findings_html(ev, run_analyses(ev)))
    assert "Too few to say (fewer than 10 actions or 5 followed by the other side, the report's minimum)" in text
    assert "Half of" not in text  # no wait group of the bundled data has 10 events and 5 answered
    few_steps = re.search(r"Too few steps with both rungs known to compare with chance \(fewer than 10, the "
                          r"report's minimum\): ([^.]*)\.", text)  # fmt: skip
    assert few_steps is not None
    listed = dict(re.findall(r"([A-Z][\w -]+?) \((\d+)\)", few_steps.group(1)))
    steps = esc.chains(ev).links.dropna(subset=["trigger_rank", "response_rank"])
    known = steps.groupby("response_side", observed=True).size()
    assert {k: int(v) for k, v in listed.items()} == {k: int(v) for k, v in known.items() if v < 10}
    # the same data under a smaller minimum: the groups between the two minimums now get their sentences
    lower = plain(findings_html(ev, run_analyses(ev, min_n=4)))
    assert "fewer than 4 actions or 2 followed" in lower
    assert "Iran-aligned militias answering United States (3 of 5)" not in lower
    assert "Of 5 actions by United States against Iran-aligned militias (a day's" in lower


def test_sides_hit_on_the_same_days_are_said_to_be_beyond_telling_apart():
    # Both sides act on the same days (shared daily shocks) and nobody answers: the rotations turn the same-day
    # synchrony into short lags, so chance expects more "answers" than the data hold; the report says so.
    import numpy as np

    from escalation.report.text import answer_sentences

    rng = np.random.default_rng(3)
    days = np.sort(rng.choice(np.arange(1500), size=300, replace=False))
    dates = (pd.Timestamp("2015-01-01") + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d")
    table = pd.concat([pd.DataFrame({"date": dates, "actor": "A", "target": "B"}),
                       pd.DataFrame({"date": dates, "actor": "B", "target": "A"})], ignore_index=True)  # fmt: skip
    ev = esc.read_events(table)
    came, followed = esc.chains(ev).baseline, esc.time_to_response(ev).baseline
    assert (followed["observed"] < followed["lower"]).all()
    text = plain(" ".join(answer_sentences(followed, came, "within 3.5 days")))
    assert text.count("act on the same days more often than their tides give") == 2


def test_hawkes_cautions_are_said_where_the_model_is_drawn():
    from escalation.chance.simulate import simulate_tides
    from escalation.report.text import hawkes_cautions

    # the bundled data: 62 events for 21 parameters, and a fit that does not describe Iraq's timing
    text = hawkes_cautions(esc.fit_hawkes(esc.datasets.load_iraq_2019_2021()))
    assert "62 events for 21 parameters" in text and "Iraq (KS p = 0.005)" in text
    assert "dyadic model" in text
    # four years of two sides (about 440 events for 7 parameters), simulated from the model's own kind
    fit = esc.fit_hawkes(simulate_tides(seed=3))
    assert not fit.diagnostics and (fit.goodness_of_fit["ks_pvalue"] >= 0.05).all()
    assert hawkes_cautions(fit) == ""


def test_data_of_killings_only_are_told_as_lethal_incidents():
    # A fatality list (every event killed someone) has no non-lethal attacks: the findings count lethal
    # incidents and say what is absent; the same events with some non-lethal ones are actions again.
    from escalation.chance.simulate import simulate_tides
    from escalation.report.methods import methods_html

    sim = simulate_tides(days=1500, rates=(0.1, 0.05), answer=0.3, tide="flat", seed=4)
    lethal = esc.read_events(sim[["event_id", "date", "actor", "target"]].assign(fatalities=1))
    text = plain(findings_html(lethal, run_analyses(lethal)))
    assert "These data record killings only (every event has a death)" in text
    assert re.search(r"Of \d+ lethal incidents by A against B \(a day's lethal incidents against one target count "
                     r"once\), \d+% were followed by a lethal incident by B", text)  # fmt: skip
    assert " actions" not in text and "an action" not in text
    assert "most attacks are\nunclaimed" not in methods_html(lethal) and "who killed whom" in methods_html(lethal)
    mixed = esc.read_events(sim[["event_id", "date", "actor", "target"]].assign(fatalities=[0, 1] * (len(sim) // 2)
                                                                              + [1] * (len(sim) % 2)))  # fmt: skip
    text = plain(findings_html(mixed, run_analyses(mixed)))
    assert "killings only" not in text and re.search(r"Of \d+ actions by A against B \(a day's actions", text)


def test_a_chain_of_continuous_fighting_is_called_a_period_and_escalatory_is_a_rate():
    from types import SimpleNamespace

    from escalation.chance.simulate import simulate_tides
    from escalation.report.analyses import Analyses
    from escalation.report.findings import chain_findings

    # both sides busy every few days for three years: every link joins one chain
    sim = simulate_tides(days=1100, rates=(0.4, 0.4), answer=0.2, tide="flat", seed=5)
    ev = esc.read_events(sim[["event_id", "date", "actor", "target"]])
    result = esc.chains(ev)
    a = Analyses(chains=result)
    text = plain(" ".join(chain_findings(ev, a)))
    top = result.chains.sort_values("n_steps").iloc[-1]
    assert top["duration_days"] > 10 * 30
    assert (f"Caution: chain #{int(top['chain_id'])} is a period of continuous fighting rather than one sequence "
            f"of answers: it runs {int(top['duration_days'])} days") in text  # fmt: skip
    assert f"its longest quiet spell is {top['longest_gap_days']:.0f} days" in text
    bundled = esc.datasets.load_iraq_2019_2021()
    assert "continuous fighting" not in plain(" ".join(chain_findings(bundled, Analyses(chains=esc.chains(bundled)))))

    # "most escalatory" is the highest share up among chains with the minimum of ranked steps, not the most up
    table = esc.chains(bundled).chains.head(3).copy()
    table[["n_steps", "n_ranked_steps", "n_escalations"]] = [[40, 40, 12], [10, 10, 6], [6, 6, 5]]
    text = plain(" ".join(chain_findings(bundled, Analyses(chains=SimpleNamespace(chains=table)))))
    second = int(table["chain_id"].iloc[1])
    assert f"The most escalatory chain (the largest share of steps up the ladder among chains with at least 10 " \
           f"steps whose rungs are known), #{second} (60% of its 10 ranked steps up)" in text  # fmt: skip


def test_reciprocity_sentences_give_the_textbook_and_the_tide_p_beside_f():
    r = esc.reciprocity(esc.datasets.load_iraq_2019_2021())
    lead = r.tests.iloc[0]
    sentence = r.sentences()[0]
    assert (f"{lead['model']} F = {lead['statistic']:.2f}: textbook p = {lead['pvalue_asymptotic']:.2g}, against "
            f"series that keep the tides p = {lead['pvalue']:.2g}") in sentence  # fmt: skip
