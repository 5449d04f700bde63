"""The report's figures print legibly on A4: no text under 7 pt, no figure wider than the page's text."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.text import Text

import escalation as esc
from escalation.report import figures as rf
from escalation.report.analyses import run_analyses


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
    assert (end - start).days == 90  # 90 days of responses, opened by one day to the trigger of the first
    with plt.rc_context(rf.STYLE):
        fig, caption = rf.timeline(ev, a)
    assert "The 90 days with the most links" in caption and "91 events" in caption
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


def _overprints(fig):
    from escalation.plotting._labels import overlapping

    return [pair for ax in fig.axes for pair in overlapping(ax)]


def test_no_label_overprints_another_in_any_figure(drawn, crowded):
    # Texts drawn inside the axes (event labels, event boxes, interval labels) whose drawn boxes overlap: what a
    # reader sees as "2020-0 2020-01-08 rocket attack". Every figure of the bundled data and of twelve sides.
    for fig, caption, _ in [*drawn, *crowded[2]]:
        assert not _overprints(fig), (caption, _overprints(fig))
    ev = esc.datasets.load_iraq_2019_2021()
    a = run_analyses(ev)
    with plt.rc_context(rf.STYLE):  # every chain the report could draw, not only the first
        for chain_id in a.chains.chains["chain_id"]:
            fig, caption = rf.chain(ev, a, int(chain_id))
            assert not _overprints(fig), (caption, _overprints(fig))
            plt.close(fig)


def test_the_busiest_days_start_and_end_with_links():
    # the zoom's caption gave "busiest 45 days, 13 Dec 2019", a fortnight before the first event
    ev = esc.datasets.load_iraq_2019_2021()
    a = run_analyses(ev)
    start, end = rf.busiest_window(ev, a, rf.ZOOM_DAYS)
    links = a.chains.links
    responses = links["response_date"].dt.normalize()
    late = responses[responses <= end]
    inside = responses.between(late.max() - pd.Timedelta(days=rf.ZOOM_DAYS - 1), end)
    assert responses[inside].max() == end  # the last response of the window ends it
    assert links.loc[inside, "trigger_date"].dt.normalize().min() == start  # its first trigger opens it
    assert start >= ev.frame["date"].min() and start == pd.Timestamp("2019-12-27")  # the K-1 rocket attack
    zoom_fig, caption = rf.zoom(ev, a)
    drawn = [t for t in zoom_fig.axes[0].texts if not t.get_text() and t.arrow_patch is not None]  # the arrows
    n_links = int(re.search(r"with (\d+) links", caption).group(1))
    assert len(drawn) == n_links, (len(drawn), caption)
    plt.close(zoom_fig)
    intro = rf.timeline_intro(ev, a)
    assert f"busiest {rf.ZOOM_DAYS} days" in intro and f"at most {rf.DENSE_EVENTS}" in intro


def test_step_colours_are_no_side_colour():
    # CIE76 distance in Lab between each step colour and each side colour a figure draws by name (the first
    # MOST_SIDES of the palette) and the grey of "other sides": de-escalation was Iran's blue
    import numpy as np

    from escalation.plotting import style

    def lab(colour):
        rgb = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
        rgb = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
        xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb
        f = np.cbrt(xyz / [0.95047, 1.0, 1.08883])  # no channel here is dark enough for the linear branch
        return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])

    sides = [*style._PALETTE[: style.MOST_SIDES], style.OTHER_COLOUR]
    assert np.allclose(lab("#FFFFFF"), [100, 0, 0], atol=0.1) and np.allclose(lab("#FF0000"), [53.2, 80.1, 67.2],
                                                                              atol=0.2)  # fmt: skip
    for step, colour in style.STEP_COLOURS.items():
        for side in sides:
            assert np.linalg.norm(lab(colour) - lab(side)) >= 25, (step, colour, side)


def test_interval_histogram_bins_are_whole_days():
    import pandas as pd

    links = pd.DataFrame({"link_kind": ["inferred"] * 6 + ["stated"], "interval_days": [0, 1, 1, 2, 3, 5, 29.0]})
    ax = esc.plotting.interval_histogram(links)
    widths = {round(p.get_width(), 9) for p in ax.patches}
    lefts = sorted({round(p.get_x(), 9) for p in ax.patches})
    assert widths == {1.0} and lefts[:6] == [0, 1, 2, 3, 4, 5]
    plt.close(ax.figure)
    long = pd.concat([links, pd.DataFrame({"link_kind": ["stated"] * 2, "interval_days": [136.0, 61.0]})])
    ax = esc.plotting.interval_histogram(long)
    bars = {(round(p.get_x(), 9), round(p.get_width(), 9)): p.get_height() for p in ax.patches}
    assert {w for _, w in bars} == {1.0}  # whole days still; the two intervals over 60 days share the last bar
    assert max(x for x, _ in bars) == 61 and "> 60" in [t.get_text() for t in ax.get_xticklabels()]
    heights = {}
    for p in ax.patches:  # stacked: stated bars, then inferred on top; the last bar holds 2 stated links
        heights[round(p.get_x())] = max(heights.get(round(p.get_x()), 0), p.get_y() + p.get_height())
    assert heights[61] == 2 and heights[1] == 2 and heights[29] == 1
    plt.close(ax.figure)
