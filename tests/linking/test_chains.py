"""Chains on the bundled dataset recover the documented sequences with their true intervals."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import escalation as esc
from escalation.cli import main


@pytest.fixture(scope="module")
def result():
    return esc.chains(esc.datasets.load_iraq_2019_2021(), window="30D")


def _link(result, trigger, response):
    links = result.links
    hit = links[(links["trigger_id"] == trigger) & (links["response_id"] == response)]
    assert len(hit) == 1, f"no link {trigger} -> {response}"
    return hit.iloc[0]


@pytest.mark.parametrize(
    ("trigger", "response", "days", "kind"),
    [
        ("IRQ-2019-12-27-K1", "IRQ-2019-12-29-KH", 2, "stated"),
        ("IRQ-2019-12-29-KH", "IRQ-2019-12-31-EMB", 2, "stated"),
        ("IRQ-2019-12-31-EMB", "IRQ-2020-01-03-SOL", 3, "stated"),
        ("IRQ-2020-01-03-SOL", "IRQ-2020-01-08-ASD", 5, "stated"),  # Soleimani -> Iranian missiles
        ("IRQ-2020-03-11-TAJ", "IRQ-2020-03-13-KH", 2, "stated"),
        ("IRQ-2020-03-13-KH", "IRQ-2020-03-14-TAJ", 1, "inferred"),
        ("IRQ-2021-02-15-ERB", "IRQ-2021-02-25-SYR", 11, "stated"),  # Erbil -> US strike in Syria (Friday dawn)
        ("IRQ-2021-02-25-SYR", "IRQ-2021-03-03-ASD", 5, "inferred"),  # -> Al Asad
        ("IRQ-2021-06-26-ERB", "IRQ-2021-06-27-USS", 2, "inferred"),  # drones near the consulate -> strikes
        # strikes at 02:00 -> rockets at 19:44 the same day (both clock times local, as stated)
        ("IRQ-2021-06-27-USS", "IRQ-2021-06-28-SYR", (19 + 44 / 60 - 2) / 24, "inferred"),
    ],
)
def test_documented_links(result, trigger, response, days, kind):
    row = _link(result, trigger, response)
    assert row["interval_days"] == pytest.approx(days)
    assert row["link_kind"] == kind


def test_soleimani_chain_is_one_chain_in_date_order(result):
    ids = [
        "IRQ-2019-12-27-K1",
        "IRQ-2019-12-29-KH",
        "IRQ-2019-12-31-EMB",
        "IRQ-2020-01-03-SOL",
        "IRQ-2020-01-08-ASD",
    ]
    chain_ids = {_link(result, a, b)["chain_id"] for a, b in itertools.pairwise(ids)}
    assert chain_ids == {1}
    first = result.chains.iloc[0]
    assert first["first_event"] == "IRQ-2019-12-27-K1"
    assert result.chains["start"].is_monotonic_increasing
    assert result.chains["chain_id"].tolist() == list(range(1, len(result.chains) + 1))


def test_step_kinds_on_the_ladder(result):
    assert _link(result, "IRQ-2019-12-27-K1", "IRQ-2019-12-29-KH")["step_kind"] == "escalation"
    assert _link(result, "IRQ-2020-01-03-SOL", "IRQ-2020-01-08-ASD")["step_kind"] == "de-escalation"


def test_chain_table_is_consistent_with_links(result):
    by_chain = result.links.groupby("chain_id").size()
    table = result.chains.set_index("chain_id")
    assert (table["n_steps"] == by_chain).all()
    assert (table["n_stated"] + table["n_inferred"] == table["n_steps"]).all()
    assert table["n_events"].sum() == len(set(result.links["trigger_id"]) | set(result.links["response_id"]))


def test_summary_counts_by_hand():
    # A->B day 0; B->A day 2 answers it (2 d); A->B day 3 answers that (1 d); C->A day 4 (no reverse): 2 links.
    table = pd.DataFrame({"event_id": ["a", "b", "c", "d"],
                          "date": ["2020-01-01", "2020-01-03", "2020-01-04", "2020-01-05"],
                          "actor": ["A", "B", "A", "C"], "target": ["B", "A", "B", "A"]})  # fmt: skip
    summary = esc.chains(table, window="10D").summary()
    # one row per direction (B answering A: 2 days; A answering B: 1 day), then all sides
    assert summary[["trigger_side", "response_side", "links"]].values.tolist() == [
        ["A", "B", 1], ["B", "A", 1], ["all sides", "all sides", 2]]  # fmt: skip
    assert summary["median_interval_days"].tolist() == [2.0, 1.0, 1.5]
    s = summary.iloc[-1]
    assert s["links"] == 2 and s["inferred"] == 2 and s["stated"] == 0
    assert s["chains"] == 1 and s["longest_chain_steps"] == 2
    assert s["median_interval_days"] == 1.5 and s["mean_interval_days"] == 1.5
    assert summary["chains"].tolist() == [1, 1, 1] and summary["longest_chain_steps"].tolist() == [2, 2, 2]


def test_dataframe_input_is_validated():
    table = pd.DataFrame({"date": ["2020-01-01", "oops"], "actor": ["A", "B"], "target": ["B", "A"]})
    with pytest.raises(esc.DataError, match="1 of 2 rows are not valid"):
        esc.chains(table)


def test_cli_chains_writes_links(tmp_path, capsys):
    out = tmp_path / "links.parquet"
    assert main(["chains", "-o", str(out), "--chains-output", str(tmp_path / "chains.csv")]) == 0
    printed = capsys.readouterr().out
    assert str(out) in printed and "stated" in printed
    links = pd.read_parquet(out)
    soleimani = links[(links["trigger_id"] == "IRQ-2020-01-03-SOL") & (links["response_id"] == "IRQ-2020-01-08-ASD")]
    assert soleimani["interval_days"].tolist() == [5.0]
    assert pd.read_csv(tmp_path / "chains.csv")["chain_id"].iloc[0] == 1


def test_chain_ids_follow_first_event_order_on_random_data():
    # Pins the assumption that SciPy labels components in order of their lowest node.
    rng = np.random.default_rng(7)
    n = 400
    table = pd.DataFrame(
        {
            "event_id": [f"e{i:04d}" for i in range(n)],
            "date": (pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")).strftime(
                "%Y-%m-%d"
            ),
            "actor": rng.choice(list("ABCDEFG"), n),
            "target": rng.choice(list("ABCDEFG"), n),
        }
    )
    result = esc.chains(table, window="10D")
    frame = result.events.frame.reset_index(drop=True)
    pos = pd.Series(frame.index, index=frame["event_id"])
    first = result.chains["first_event"].map(pos)
    assert first.is_monotonic_increasing and first.is_unique
    # every chain's first event is the earliest-positioned event among its links
    ends = pd.concat(
        [
            result.links[["chain_id", "trigger_id"]].rename(columns={"trigger_id": "e"}),
            result.links[["chain_id", "response_id"]].rename(columns={"response_id": "e"}),
        ]
    )
    earliest = ends.assign(p=ends["e"].map(pos)).groupby("chain_id")["p"].min()
    assert (earliest.to_numpy() == first.to_numpy()).all()


def test_add_chain_ids_reproduces_link_numbering():
    from escalation.linking.chains import add_chain_ids

    links = esc.link(esc.datasets.load_iraq_2019_2021())
    again = add_chain_ids(links.drop(columns=["chain_id"]).sample(frac=1, random_state=3))
    merged = again.merge(links, on=["trigger_id", "response_id"], suffixes=("", "_ref"))
    assert len(merged) == len(links)
    assert (merged["chain_id"] == merged["chain_id_ref"]).all()


def test_chain_numbers_follow_first_events_not_scipy_labels(monkeypatch):
    """Chain 1 is the chain of the earliest linked event, whatever labels the component search returns."""
    import importlib

    components = importlib.import_module("escalation.linking._components")

    ev = esc.datasets.load_iraq_2019_2021()
    want = esc.link(ev)
    real = components.connected_components

    def shuffled_labels(graph, **kwargs):
        n_labels, labels = real(graph, **kwargs)
        return n_labels, (n_labels - 1) - labels  # the same components, labels in reverse order

    monkeypatch.setattr(components, "connected_components", shuffled_labels)
    got = esc.link(ev)
    pd.testing.assert_frame_equal(got, want)
    first = got.groupby("chain_id")["trigger_date"].min()
    assert first.is_monotonic_increasing and first.index.tolist() == list(range(1, len(first) + 1))


def _components_reference(n, trig, resp):
    """Union-find in plain Python, numbering components by their lowest position: the independent reference."""
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(trig.tolist(), resp.tolist(), strict=True):
        parent[find(a)] = find(b)
    linked = sorted(set(trig.tolist()) | set(resp.tolist()))
    number, out = {}, np.zeros(n, dtype=np.int64)
    for p in linked:
        out[p] = number.setdefault(find(p), len(number) + 1)
    return out


@pytest.mark.parametrize("shape", ["forward forest", "backward links", "two triggers", "cycle"])
@pytest.mark.parametrize("seed", range(6))
def test_chain_ids_equal_a_union_find_whatever_the_links(shape, seed):
    """Pointer jumping on the one-trigger forest, and the general search it falls back to, number chains as a
    union-find does: forward links (the inferred rule), same-day stated links that point back in frame order,
    responses that state two triggers, and a stated cycle."""
    from escalation.linking._components import chain_numbers

    rng = np.random.default_rng(seed)
    n = 300
    resp = np.sort(rng.choice(np.arange(1, n), size=180, replace=False))
    trig = np.array([rng.integers(max(0, r - 40), r) for r in resp])  # long chains: up to 180 steps deep
    if shape == "backward links":
        flip = rng.random(len(resp)) < 0.1
        trig[flip] = np.minimum(resp[flip] + 1, n - 1)  # a same-day answer filed before its trigger
    elif shape == "two triggers":
        trig = np.r_[trig, trig[:5] // 2]
        resp = np.r_[resp, resp[:5]]
    elif shape == "cycle":
        trig = np.r_[trig, resp[-1]]
        resp = np.r_[resp, trig[-1]]
    keep = trig != resp
    trig, resp = trig[keep], resp[keep]
    assert (chain_numbers(n, trig, resp) == _components_reference(n, trig, resp)).all()


@pytest.mark.parametrize("seed", range(4))
def test_chain_table_equals_a_group_by_of_its_events_and_links(seed):
    """The chain table (bincounts over chain numbers) against a plain pandas group-by of each chain's events and
    links: first/last event, dates, counts, sides, the highest rank (unknown types skipped) and fatalities
    (missing unless some event has a count), with stated links joining sides into chains of three or more."""
    rng = np.random.default_rng(seed)
    n = 500
    ids = [f"e{i:04d}" for i in range(n)]
    responds = np.full(n, "", dtype=object)
    for i in rng.choice(np.arange(20, n), 25, replace=False):
        responds[i] = ids[i - int(rng.integers(1, 20))]
    table = pd.DataFrame(
        {
            "event_id": ids,
            "date": (pd.Timestamp("2020-01-01") + pd.to_timedelta(np.sort(rng.integers(0, 300, n)), unit="D")).strftime(
                "%Y-%m-%d"
            ),
            "actor": rng.choice(list("ABCDE"), n),
            "target": rng.choice(list("ABCDE"), n),
            "event_type": rng.choice(["airstrike", "rocket attack", "protest", "something unknown"], n),
            "fatalities": np.where(rng.random(n) < 0.4, "", rng.integers(0, 5, n).astype(str)),
            "responds_to": responds,
        }
    )
    result = esc.chains(table, window="10D")
    frame = result.events.frame
    ends = pd.concat(
        [
            result.links[["chain_id", "trigger_id"]].rename(columns={"trigger_id": "event_id"}),
            result.links[["chain_id", "response_id"]].rename(columns={"response_id": "event_id"}),
        ]
    ).drop_duplicates("event_id")
    nodes = ends.merge(frame.astype({"event_id": object}), on="event_id").sort_values(["date", "event_id"])
    nodes["rank"] = nodes["event_id"].map(result.ranks.set_axis(result.ranks.index.astype(object)))
    g = nodes.groupby("chain_id")
    want = pd.DataFrame(
        {
            "first_event": g["event_id"].first(),
            "last_event": g["event_id"].last(),
            "start": g["date"].min(),
            "end": g["date"].max(),
            "n_events": g.size(),
            "sides": g["actor_side"].agg(lambda s: "; ".join(sorted(set(s)))),
            "max_rank": g["rank"].max(),
            "fatalities": g["fatalities"].agg(lambda s: s.sum() if s.notna().any() else np.nan).astype(float),
            # the longest wait between consecutive events of a chain, by a loop over each chain's dates
            "longest_gap_days": g["date"]
            .agg(lambda d: max([(b - a).days for a, b in itertools.pairwise(sorted(d))], default=0))
            .astype(float),
        }
    )
    steps = result.links.groupby("chain_id")
    want["n_ranked_steps"] = steps["step_kind"].agg(lambda s: s.isin(["escalation", "proportional",
                                                                      "de-escalation"]).sum())  # fmt: skip
    want["n_steps"] = steps.size()
    want["n_stated"] = steps["link_kind"].agg(lambda s: (s == "stated").sum())
    want["n_escalations"] = steps["step_kind"].agg(lambda s: (s == "escalation").sum())
    got = result.chains.set_index("chain_id")
    assert (got["sides"].str.count(";") >= 2).any() and got["fatalities"].isna().any() and got["max_rank"].isna().any()
    assert (got["longest_gap_days"] > 0).any() and (got["n_ranked_steps"] < got["n_steps"]).any()
    for column in want.columns:
        pd.testing.assert_series_equal(
            got[column].astype(object), want[column].astype(object), check_names=False, obj=column
        )
