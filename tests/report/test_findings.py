"""Key findings: sentences from the tables, chance beside every share, nothing invented for missing values."""

from __future__ import annotations

import re

import pandas as pd

import escalation as esc
from escalation.report.findings import findings_html
from escalation.report.text import esc_html, run_analyses


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
    text = plain(findings_html(ev, run_analyses(ev)))
    assert "were followed by an action by B within 3.5 days, beyond what shared changes slower than 14 days give" \
           in text  # fmt: skip
    assert "B answers A more often than shared tides give" in text
    assert "consistent with chance: no answering beyond what shared tides and each side's bursts give" in text
    delay = re.search(r"B's answers to A come a median ([0-9.]+) days after \(95% interval ([0-9.]+)-([0-9.]+)", text)
    assert delay is not None and 1.5 <= float(delay.group(1)) <= 3.5
    assert "A's answers to B" not in text  # no delay is told for a direction the test does not find answering


def test_too_few_to_say_under_ten_actions_or_five_followed():
    ev = esc.datasets.load_iraq_2019_2021()
    text = plain(findings_html(ev, run_analyses(ev)))
    assert "Too few to say (fewer than 10 actions or 5 followed by the other side)" in text
    # medians of the wait come only from groups of 10 events and 5 followed
    assert "Iran answering United States: half of the events" not in text


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
