"""The report's figures print legibly on A4: no text under 7 pt, no figure wider than the page's text."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text

import escalation as esc
from escalation.report import figures as rf
from escalation.report.text import run_analyses


def _texts(fig):
    fig.canvas.draw()  # legends and tick labels exist once drawn
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


@pytest.fixture(scope="module")
def drawn():
    ev = esc.datasets.load_iraq_2019_2021()
    a = run_analyses(ev)
    with plt.rc_context(rf.STYLE):
        made = [rf.monthly(ev), rf.timeline(ev, a), rf.zoom(ev, a), rf.ladder(ev, a), rf.event_map(ev),
                rf.chain(ev, a, 1), rf.step_intervals(ev, a), rf.time_to_response(ev, a, 5), rf.reciprocity(ev, a),
                *rf.hawkes(ev, a), rf.episodes(ev, a)]  # fmt: skip
        out = [(fig, caption, _texts(fig)) for fig, caption in (m for m in made if m is not None)]
    yield out
    plt.close("all")


def test_no_text_under_seven_points_and_no_figure_wider_than_the_page(drawn):
    assert len(drawn) == 12  # the zoom on January 2020 is drawn: it holds more than 10 links
    for fig, caption, texts in drawn:
        assert fig.get_size_inches()[0] <= rf.PAGE_WIDTH + 1e-9, caption
        small = [(t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() < rf.MIN_FONT]
        assert not small, (caption, small)


def test_captions_say_what_how_many_when_and_from_where(drawn):
    for _, caption, _ in drawn:
        assert "iraq_2019_2021" in caption, caption
    assert "62 events, 27 Dec 2019 to 09 Dec 2021" in drawn[0][1]


def test_dense_data_get_a_window_not_a_smear():
    import pandas as pd

    days = pd.date_range("2020-01-01", periods=400, freq="D")
    frame = pd.DataFrame({"date": days, "actor": ["A", "B"] * 200, "target": ["B", "A"] * 200,
                          "event_type": "clash"})  # fmt: skip
    ev = esc.read_events(frame)
    a = run_analyses(ev)
    start, end = rf.arrow_window(ev, a)
    assert (end - start).days == 89
    with plt.rc_context(rf.STYLE):
        fig, caption = rf.timeline(ev, a)
    assert "The 90 days with the most links" in caption and "90 events" in caption
    plt.close(fig)
