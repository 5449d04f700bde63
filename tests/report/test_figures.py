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


@pytest.fixture(scope="module")
def crowded():
    """An ACLED-shaped export with twelve sides (examples/heldout_acled.py): more than colours can tell apart."""
    import importlib.util

    from tests.conftest import EXAMPLES

    spec = importlib.util.spec_from_file_location("heldout_acled", EXAMPLES / "heldout_acled.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ev = esc.read_events(module.export(years=1.2), format="acled")
    a = run_analyses(ev)
    plt.close("all")  # the bundled figures of the fixture above
    with plt.rc_context(rf.STYLE):  # warnings are errors here: a layout that collapses fails the test
        made = [rf.monthly(ev), rf.timeline(ev, a), rf.ladder(ev, a), rf.event_map(ev), rf.chain(ev, a, 1),
                rf.time_to_response(ev, a, 5), rf.reciprocity(ev, a), *rf.hawkes(ev, a),
                rf.episodes(ev, a)]  # fmt: skip
        out = [(fig, caption, _texts(fig)) for fig, caption in made]
    yield ev, a, out
    plt.close("all")


@pytest.mark.slow
def test_twelve_sides_are_six_colours_and_grey_and_the_captions_say_so(crowded):
    from matplotlib.colors import to_hex

    from escalation.plotting.style import OTHER_COLOUR, side_colours

    ev, _, drawn = crowded
    assert len(ev.side_list()) == 12
    main = esc.plotting.main_sides(ev)
    colours = side_colours(main, main)
    for fig, caption, texts in drawn:
        assert fig.get_size_inches()[0] <= rf.PAGE_WIDTH + 1e-9, caption
        assert not [t.get_text() for t in texts if t.get_fontsize() < rf.MIN_FONT], caption
        renderer = fig.canvas.get_renderer()
        boxes = [ax.get_tightbbox(renderer) for ax in fig.axes] + [g.get_window_extent() for g in fig.legends]
        for box in boxes:  # nothing drawn outside the figure (a legend pushed off the page, a label cut)
            assert box.x0 >= -1 and box.x1 <= fig.bbox.width + 1, (caption[:40], box)
    monthly_fig, monthly_caption, _ = drawn[0]
    legend = monthly_fig.legends[0]
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels[:-1] == sorted(main) and labels[-1] == "other sides"
    faces = [to_hex(h.get_facecolor()) for h in legend.legend_handles]
    assert faces == [to_hex(colours[s]) for s in sorted(main)] + [to_hex(OTHER_COLOUR)]
    assert "The 6 sides beyond the 6 most active are drawn grey" in monthly_caption
    assert "pairs with the most answered events are drawn" in drawn[5][1]
    assert "directions with the smallest adjusted p are drawn" in drawn[6][1]
    assert "dyads with the most events are drawn" in drawn[-1][1]


@pytest.mark.slow
def test_many_sides_give_a_few_sentences_not_hundreds(crowded):
    from escalation.report.findings import findings_html
    from escalation.report.text import summary_html

    ev, a, _ = crowded
    r = a.reciprocity.sentences(most=4)
    assert len(a.reciprocity.tests.drop_duplicates(["cause", "effect"])) > 100 and len(r) == 5
    assert r[-1].startswith("The ") and "other directions (in the table)" in r[-1]
    trend = findings_html(ev, a).split("Up or down over time")[1]
    assert trend.count("<li>") <= 3 + 6 + 3, trend  # all sides, the sides with a trend, the count, the caveats
    assert "series of single sides tested" in trend
    assert len(summary_html(ev, a)) < 12_000
