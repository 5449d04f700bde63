"""The report's sources: keyed to events, in a stable order, and escaped."""

from __future__ import annotations

import pandas as pd

import escalation as esc
from escalation.report.data import source_table, sources_html


def test_bundled_sources_are_keyed_to_every_event_with_the_link_statements():
    ev = esc.datasets.load_iraq_2019_2021()
    table = source_table(ev)
    assert len(table) == len(ev.frame) == table["event_id"].nunique()
    assert table["date"].is_monotonic_increasing
    k1 = table.set_index("event_id").loc["IRQ-2019-12-29-KH"]
    assert "Hoffman" in k1["source"] and "in response to" in k1["link_basis"]
    page = sources_html(ev)
    assert page.count("<tr>") == len(ev.frame) + 1  # a header row, then one row an event
    assert "IRQ-2021-10-29-SAN" in page


def large(n: int, seed: int) -> esc.Events:
    rng = pd.Series(range(n)).sample(frac=1, random_state=seed).to_numpy()  # rows in a shuffled order
    outlets = ["AFP", "Reuters", "<b>AP</b>", "Xinhua"]
    frame = pd.DataFrame(
        {
            "date": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng % 300, unit="D"),
            "actor": "A",
            "target": "B",
            "source": [outlets[i % 3] if i % 10 else outlets[3] for i in rng],
        }
    )
    return esc.read_events(frame)


def test_many_events_give_distinct_sources_counted_in_a_stable_order():
    first, second = source_table(large(400, 1)), source_table(large(400, 2))
    pd.testing.assert_frame_equal(first.reset_index(drop=True), second.reset_index(drop=True))
    counts = dict(zip(first["source"], first["events"], strict=True))
    # i % 10 == 0 -> Xinhua (40 rows); the other 360 cycle over AFP, Reuters, AP by i % 3.
    assert counts == {"AFP": 120, "Reuters": 120, "<b>AP</b>": 120, "Xinhua": 40}
    assert first["source"].tolist() == ["<b>AP</b>", "AFP", "Reuters", "Xinhua"]  # ties by name
    page = sources_html(large(400, 1))
    assert "<b>AP</b>" not in page and "&lt;b&gt;AP&lt;/b&gt;" in page
