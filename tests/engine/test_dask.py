"""The Dask engine gives the pandas engine's events, rejections, links and counts on the same files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import escalation as esc

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from escalation.engine.dask import (  # noqa: E402
    convert,
    counts_by_period,
    expand_sources,
    link_dask,
    read_events_dask,
)
from escalation.events.schema import TEXT_DTYPE  # noqa: E402
from escalation.stats.reciprocity.analysis import side_series  # noqa: E402

# Intermittently (about one run in three) a SettingWithCopyWarning surfaces from a worker thread during
# the dyad shuffle. The partition functions are the pandas engine's, which the rest of the suite runs
# with warnings as errors, so this is attributed to Dask's shuffle internals and ignored here only.
# (By message, not class: pandas 3 has no SettingWithCopyWarning, and naming it stops the whole run.)
# (pandas 2 starts the message with a line break, hence the leading \s*.)
pytestmark = pytest.mark.filterwarnings(r"ignore:\s*A value is trying to be set on a copy of a slice")


@pytest.fixture(scope="module")
def client():
    # ":0", a free port: with current distributed, None means the default 8787, and a second suite (or any
    # Dask dashboard) running on the machine makes the cluster fail to start.
    # One worker thread in this process: two (n_workers=2 without processes) ran pandas' date parsing on two
    # threads of one process and crashed it once (a segfault in CI); the CLI's workers are processes with
    # one thread each, as docs/scaling.md asks of a user's own cluster.
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        with distributed.Client(cluster) as c:
            yield c


def write_files(folder, n_files=4, per_file=600, seed=0, bad=True):
    """Synthetic archives: bursts among 6 sides, some clock times, stated links within each file, bad rows."""
    rng = np.random.default_rng(seed)
    sides = [f"S{i}" for i in range(6)]
    paths = []
    for k in range(n_files):
        n = per_file
        a = rng.integers(0, 6, n)
        t = (a + rng.integers(1, 6, n)) % 6
        day = np.sort(rng.integers(0, 200, n)) + 200 * k
        when = pd.Timestamp("2015-01-01") + pd.to_timedelta(day, unit="D")
        timed = rng.random(n) < 0.3
        with_time = (when + pd.to_timedelta(rng.integers(0, 1440, n), unit="min")).strftime("%Y-%m-%dT%H:%M")
        dates = np.where(timed, with_time, when.strftime("%Y-%m-%d"))
        ids = [f"f{k}-{i:05d}" for i in range(n)]
        responds = np.full(n, "", dtype=object)
        for i in rng.choice(np.arange(50, n), 20, replace=False):
            responds[i] = ids[i - int(rng.integers(1, 40))]
        table = pd.DataFrame({
            "event_id": ids, "date": dates, "actor": np.array(sides)[a], "target": np.array(sides)[t],
            "event_type": rng.choice(["rocket attack", "airstrike", "threat", "armed clash"], n),
            "fatalities": rng.poisson(1.0, n).astype(str), "responds_to": responds,
        })  # fmt: skip
        if bad:
            table.loc[5, "date"] = "not a date"
            table.loc[9, "fatalities"] = "-2"
            table.loc[12, "actor"] = ""
        path = folder / f"events_{k}.csv"
        table.to_csv(path, index=False)
        paths.append(path)
    return paths


def pandas_engine(paths):
    """The pandas engine on each file, concatenated (what the Dask engine must reproduce)."""
    parts = [esc.read_events(p) for p in paths]
    frame = (
        pd.concat([p.frame for p in parts], ignore_index=True).sort_values(["date", "event_id"]).reset_index(drop=True)
    )
    rejections = pd.concat([p.rejections for p in parts], ignore_index=True)
    return esc.Events(frame=frame, rejections=rejections, provenance={"rows_read": sum(p.n_read for p in parts)}), parts


def canon(frame, keys):
    # The pandas engine's sides and types are categoricals, Dask's text (its partitions share no vocabulary):
    # the values are compared, as text.
    labels = {c: TEXT_DTYPE for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)}
    return frame.astype(labels).sort_values(keys).reset_index(drop=True)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("archive")
    return folder, write_files(folder)


def test_expand_sources(archive):
    folder, paths = archive
    assert expand_sources(folder) == paths
    assert expand_sources(str(folder / "events_*.csv")) == paths
    with pytest.raises(esc.DataError):
        expand_sources(folder / "nothing_*.csv")


def test_events_and_rejections_match_pandas(client, archive):
    folder, paths = archive
    ev = read_events_dask(folder)
    ref, parts = pandas_engine(paths)
    got = ev.frame.compute()
    pd.testing.assert_frame_equal(
        canon(got, ["date", "event_id"]), canon(ref.frame, ["date", "event_id"]), check_dtype=False
    )
    rej = ev.rejections.compute()
    keys = ["file", "row", "column"]
    pd.testing.assert_frame_equal(canon(rej, keys), canon(ref.rejections, keys), check_dtype=False)
    assert ev.counts() == {"rows_read": 2400, "accepted": len(ref.frame), "rejected": sum(p.n_rejected for p in parts)}


def test_links_match_pandas_row_for_row(client, archive):
    folder, paths = archive
    ref, _ = pandas_engine(paths)
    want = esc.link(ref, window="30D").drop(columns=["chain_id"])
    got = link_dask(read_events_dask(folder), window="30D").compute()
    keys = ["response_id", "trigger_id"]
    assert len(got) == len(want) and (want["link_kind"] == "stated").sum() > 0
    pd.testing.assert_frame_equal(
        canon(got[want.columns], keys), canon(want, keys), check_dtype=False, check_categorical=False
    )


@pytest.mark.parametrize(("split", "out"), [(7, None), (9, 3)])
def test_links_match_pandas_with_the_events_split_before_the_shuffle(client, archive, split, out):
    """input_partitions (smaller shuffle tasks for small workers) changes where events travel, not the links."""
    folder, paths = archive
    ref, _ = pandas_engine(paths)
    want = esc.link(ref, window="30D").drop(columns=["chain_id"])
    links = link_dask(read_events_dask(folder), window="30D", input_partitions=split, npartitions=out)
    assert links.npartitions >= (out or split)  # stated links are one more partition in front
    got = links.compute()
    keys = ["response_id", "trigger_id"]
    pd.testing.assert_frame_equal(
        canon(got[want.columns], keys), canon(want, keys), check_dtype=False, check_categorical=False
    )
    with pytest.raises(esc.UsageError, match="input_partitions"):
        link_dask(read_events_dask(folder), input_partitions=0)


def test_links_with_sides_match_pandas(client, archive):
    """``sides`` means the same in link_dask as in link: actors re-mapped before linking."""
    folder, paths = archive
    ref, _ = pandas_engine(paths)
    names = sorted(set(ref.frame["actor"].astype(str)))
    mapping = {name: ("West" if i % 2 else "East") for i, name in enumerate(names)}
    want = esc.link(ref, window="30D", sides=mapping).drop(columns=["chain_id"])
    got = link_dask(read_events_dask(folder), window="30D", sides=mapping).compute()
    keys = ["response_id", "trigger_id"]
    assert set(got["trigger_side"]) <= {"East", "West"} and len(got) == len(want)
    pd.testing.assert_frame_equal(
        canon(got[want.columns], keys), canon(want, keys), check_dtype=False, check_categorical=False
    )


def test_counts_match_side_series(client, archive):
    folder, paths = archive
    ref, _ = pandas_engine(paths)
    ev = read_events_dask(folder)
    for freq, measure in (("D", "events"), ("W", "fatalities")):
        got = counts_by_period(ev, freq=freq, measure=measure)
        want = side_series(ref, freq=freq, measure=measure)
        pd.testing.assert_frame_equal(got, want, check_dtype=False, check_names=False)
    dyads = counts_by_period(ev, freq="M", by="dyad")
    assert dyads.to_numpy().sum() == len(ref.frame)


def test_cross_file_duplicate_is_rejected_once(client, tmp_path):
    paths = write_files(tmp_path, n_files=2, per_file=100, bad=False)
    second = pd.read_csv(paths[1], dtype=str, keep_default_na=False)
    second.loc[3, "event_id"] = "f0-00007"  # already used in the first file
    second.loc[3, "responds_to"] = ""
    second.to_csv(paths[1], index=False)
    ev = read_events_dask(tmp_path)
    rej = ev.rejections.compute()
    assert rej["reason"].tolist() == [f"duplicate event_id (first at row 9 of {paths[0]})"]
    assert rej["row"].tolist() == [5] and rej["file"].tolist() == [str(paths[1])]
    assert ev.counts() == {"rows_read": 200, "accepted": 199, "rejected": 1}


def test_convert_reads_the_text_once_and_gives_the_same_events(client, archive, tmp_path, monkeypatch):
    import escalation.engine.dask._read as engine

    folder, paths = archive
    log = tmp_path / "reads.txt"  # a file, not a list: tasks may run in another process (older Dask versions)
    original = engine._read_one

    def logged(path, *args):
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{path}\n")
        return original(path, *args)

    monkeypatch.setattr(engine, "_read_one", logged)
    ref, parts = pandas_engine(paths)
    dest = tmp_path / "archive.parquet"
    counts = convert(folder, dest)
    assert counts == {"rows_read": 2400, "accepted": len(ref.frame), "rejected": sum(p.n_rejected for p in parts)}
    # one read per file, plus the first file once more for the schema Dask needs up front
    reads = log.read_text(encoding="utf-8").split()
    assert sorted(reads) == sorted(map(str, [*paths, paths[0]]))
    monkeypatch.setattr(engine, "_read_one", original)

    # Read back by either engine: trusted (nothing parsed again), the same rows, row numbers and rejections.
    back = esc.read_events(dest)
    assert back.provenance["format"] == "converted" and back.n_read == 2400
    pd.testing.assert_frame_equal(back.frame, ref.frame)
    keys = ["file", "row", "column"]
    pd.testing.assert_frame_equal(canon(back.rejections, keys), canon(ref.rejections, keys))
    ev = read_events_dask(dest)
    assert ev.counts() == counts and len(reads) == len(paths) + 1  # no file read again
    pd.testing.assert_frame_equal(canon(ev.frame.compute(), ["date", "event_id"]), ref.frame, check_dtype=False)
    links = link_dask(ev, window="30D").compute()
    assert len(links) == len(esc.link(ref, window="30D"))


def test_convert_moves_cross_file_duplicates_to_the_rejections(client, tmp_path):
    paths = write_files(tmp_path, n_files=3, per_file=100, bad=False)
    third = pd.read_csv(paths[2], dtype=str, keep_default_na=False)
    third.loc[[3, 4], "event_id"] = ["f0-00007", "f1-00002"]  # ids already used in files 0 and 1
    third.loc[[3, 4], "responds_to"] = ""
    third.to_csv(paths[2], index=False)
    dest = tmp_path / "out" / "archive.parquet"
    assert convert(paths, dest) == {"rows_read": 300, "accepted": 298, "rejected": 2}
    back = esc.read_events(dest)
    assert back.rejections["reason"].tolist() == [
        f"duplicate event_id (first at row 9 of {paths[0]})",
        f"duplicate event_id (first at row 4 of {paths[1]})",
    ]
    assert back.rejections["row"].tolist() == [5, 6] and set(back.rejections["file"]) == {str(paths[2])}
    assert back.frame["event_id"].is_unique and len(back.frame) == 298
    assert read_events_dask(tmp_path / "events_*.csv").counts() == convert(paths, dest)  # the lazy path agrees


def test_converted_dataset_is_checked_before_it_is_trusted(client, archive, tmp_path):
    folder, _ = archive
    dest = tmp_path / "archive.parquet"
    convert(folder, dest)
    with pytest.raises(esc.UsageError, match="converted"):
        esc.read_events(dest, columns={"actor": "actor"})
    with pytest.raises(esc.UsageError, match="converted"):
        read_events_dask(dest, per_victim=True)
    sorted(dest.glob("*.parquet"))[0].unlink()  # a part lost after conversion
    with pytest.raises(esc.DataError, match="marker says"):
        esc.read_events(dest)


def test_cli_engine_dask(archive, tmp_path, capsys):
    from escalation.cli import main

    folder, paths = archive
    ref, parts = pandas_engine(paths)
    assert main(["validate", str(folder), "--engine", "dask", "--workers", "1", "--memory-limit", "2GiB"]) == 1
    out, err = capsys.readouterr()  # 1: rows were rejected
    assert f"{len(paths)} files: 2400 rows read, {len(ref.frame)} accepted" in out
    assert "Dask dashboard" in err and "Completed" not in err  # no progress bar into a log or a pipe (issue 32)
    out = tmp_path / "links.parquet"
    assert main(["chains", str(folder), "--engine", "dask", "--workers", "1", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    written, want = pd.read_parquet(out), esc.link(ref)
    assert len(written) == len(want) and f"{len(want)} links with chain ids" in printed
    pairs = ["trigger_id", "response_id", "chain_id"]  # the Parquet output carries the pandas engine's chain ids
    pd.testing.assert_frame_equal(canon(written[pairs], pairs), canon(want[pairs], pairs), check_dtype=False)
    # the rejections of text input are written beside the output, as the pandas path finds them
    rejected = pd.read_parquet(tmp_path / "links.parquet.rejections")
    keys = ["file", "row", "column"]
    pd.testing.assert_frame_equal(canon(rejected, keys), canon(ref.rejections, keys), check_dtype=False)
    n_rejected = sum(p.n_rejected for p in parts)
    assert f"{n_rejected} rows rejected: {tmp_path / 'links.parquet.rejections'}" in printed
    dest = tmp_path / "conv.parquet"
    assert main(["convert", str(folder / "events_*.csv"), str(dest), "--engine", "dask", "--workers", "1"]) == 0
    assert esc.read_events(dest).n_accepted == len(ref.frame)
    capsys.readouterr()
    csv = tmp_path / "links.csv"  # from the converted dataset: its rejections stay with it
    assert main(["chains", str(dest), "--engine", "dask", "--workers", "1", "-o", str(csv)]) == 0
    assert "rejected" not in capsys.readouterr().out and not (tmp_path / "links.csv.rejections").exists()
    assert pd.read_csv(csv)["chain_id"].nunique() == esc.link(ref)["chain_id"].nunique()
    assert main(["convert", str(paths[0]), str(tmp_path / "one.parquet")]) == 0  # the pandas engine too
    assert esc.read_events(tmp_path / "one.parquet").n_accepted == parts[0].n_accepted
    assert capsys.readouterr().out.startswith(f"{paths[0]}: {parts[0].n_read} rows read, ")  # which file


@pytest.mark.parametrize(("split", "out"), [(None, None), (9, 3), (None, 40)])
def test_chain_ids_equal_pandas_without_collecting(client, archive, split, out):
    """link_dask numbers chains as the pandas engine does: per dyad partition, joined by stated links that cross
    dyads, ranked by first event across partitions (40 output partitions leave most of the 15 dyads' partitions
    empty). add_chain_ids on the collected links agrees too."""
    from escalation.linking.chains import add_chain_ids

    folder, paths = archive
    ref, _ = pandas_engine(paths)
    want = esc.link(ref, window="30D")
    stated = want[want["link_kind"] == "stated"]
    crossing = stated["trigger_side"].astype(str) + stated["response_side"].astype(str)
    assert want["chain_id"].nunique() > 10 and crossing.nunique() > 3  # stated links join chains of several dyads
    links = link_dask(read_events_dask(folder), window="30D", input_partitions=split, npartitions=out)
    got = links.compute()
    keys = ["response_id", "trigger_id"]
    assert list(got.columns[:1]) == ["chain_id"] and not any(c.startswith("_") for c in got.columns)
    pd.testing.assert_frame_equal(
        canon(got[want.columns], keys), canon(want, keys), check_dtype=False, check_categorical=False
    )
    again = add_chain_ids(got.drop(columns=["chain_id"]))
    pd.testing.assert_frame_equal(
        canon(again[want.columns], keys), canon(want, keys), check_dtype=False, check_categorical=False
    )
    assert "chain_id" not in link_dask(read_events_dask(folder), window="30D", chain_ids=False).columns


def test_chain_ids_join_chains_of_different_dyads(client, tmp_path):
    """Two dyads' chains joined by one stated link become one chain, numbered by its first event; a stated link
    between events linked to nothing else is a chain of its own."""
    table = pd.DataFrame(
        {
            "event_id": ["a1", "b1", "a2", "c1", "b2", "x1", "x2", "c2"],
            "date": ["2020-01-01", "2020-01-02", "2020-01-03", "2020-01-04", "2020-01-05", "2020-01-06",
                     "2020-01-07", "2020-01-08"],
            "actor": ["A", "B", "A", "C", "B", "X", "Y", "D"],
            "target": ["B", "A", "B", "D", "A", "Y", "X", "C"],
            "responds_to": ["", "", "", "a2", "", "", "", ""],
        }
    )  # fmt: skip
    # A-B: a1 -> b1 -> a2 -> b2 inferred; C-D: c1 -> c2 inferred; a2 -> c1 stated joins them; X-Y: x1 -> x2
    path = tmp_path / "events.csv"
    table.to_csv(path, index=False)
    want = esc.link(esc.read_events(path), window="30D")
    got = link_dask(read_events_dask(path), window="30D", npartitions=5).compute()
    keys = ["response_id", "trigger_id"]
    pd.testing.assert_frame_equal(
        canon(got[want.columns], keys), canon(want, keys), check_dtype=False, check_categorical=False
    )
    chain = dict(zip(got["response_id"], got["chain_id"], strict=True))
    assert chain == {"b1": 1, "a2": 1, "b2": 1, "c1": 1, "c2": 1, "x2": 2}  # hand-numbered


def test_references_across_files_are_checked_as_in_one_file(client, tmp_path):
    """A response in one file may name an event of another: the result is the pandas engine's on the files joined."""
    per_file = 300
    paths = write_files(tmp_path, n_files=3, per_file=per_file)
    tables = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths]
    edits = {
        (1, 10): "f0-00100",  # an earlier event of another file: a stated link
        (1, 11): "nope",  # unknown anywhere
        (1, 13): "f0-00005",  # a row of file 0 rejected for its date
        (0, 20): "f2-00001",  # a later event of another file
        (2, 30): "f1-00011",  # names the event above, which lost its own link but stays: a stated link
        (2, 31): "f0-00101; f1-00100",  # two names, both fine
    }
    for (k, i), value in edits.items():
        tables[k].loc[i, "responds_to"] = value
    for table, path in zip(tables, paths, strict=True):
        table.to_csv(path, index=False)
    joined = tmp_path / "joined" / "all.csv"
    joined.parent.mkdir()
    pd.concat(tables, ignore_index=True).to_csv(joined, index=False)
    ref = esc.read_events(joined)

    def as_per_file(rej):  # row numbers of the joined file -> (file, row) of the parts
        k = (rej["row"] - 2) // per_file
        return rej.assign(file=[str(paths[i]) for i in k], row=(rej["row"] - 2) % per_file + 2)

    want = canon(as_per_file(ref.rejections), ["file", "row", "column", "value"])
    assert {"responds_to names an unknown event; the link is dropped, the event kept",
            "responds_to names a rejected event; the link is dropped, the event kept",
            "responds_to names a later event; the link is dropped, the event kept"} <= set(want["reason"])  # fmt: skip
    ev = read_events_dask(paths)
    got = canon(ev.rejections.compute(), ["file", "row", "column", "value"])
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert sorted(ev.frame["event_id"].compute()) == sorted(ref.frame["event_id"])
    assert ev.counts() == {"rows_read": ref.n_read, "accepted": ref.n_accepted, "rejected": ref.n_rejected}
    kept = ev.frame[["event_id", "responds_to"]].compute().set_index("event_id")["responds_to"].sort_index()
    assert kept.astype(object).fillna("").to_dict() == (
        ref.frame.set_index("event_id")["responds_to"].sort_index().astype(object).fillna("").to_dict()
    )

    links = link_dask(ev, window="30D").compute()
    stated = links[links["link_kind"] == "stated"]
    want_links = esc.link(ref, window="30D")
    assert {
        ("f0-00100", "f1-00010"),
        ("f0-00101", "f2-00031"),
        ("f1-00100", "f2-00031"),
        ("f1-00011", "f2-00030"),
    } <= set(zip(stated["trigger_id"], stated["response_id"], strict=True))
    assert len(links) == len(want_links) and len(stated) == (want_links["link_kind"] == "stated").sum()

    dest = tmp_path / "archive.parquet"  # convert gives the same, in its one pass
    assert convert(paths, dest) == ev.counts()
    back = esc.read_events(dest)
    pd.testing.assert_frame_equal(canon(back.rejections, ["file", "row", "column", "value"]), want, check_dtype=False)


ROW = st.tuples(
    st.sampled_from([f"e{i}" for i in range(12)]),  # ids repeat within and across files
    st.one_of(st.integers(1, 28).map(lambda d: f"2020-02-{d:02d}"),
              st.integers(1, 28).map(lambda d: f"2020-02-{d:02d}T{d % 24:02d}:30"), st.just("not a date")),
    st.sampled_from([("A", "B"), ("B", "A"), ("A", "C"), ("C", "B")]),
    st.lists(st.sampled_from([f"e{i}" for i in range(12)] + ["nowhere"]), max_size=2).map("; ".join),
)  # fmt: skip


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(st.lists(ROW, min_size=1, max_size=12), min_size=2, max_size=3))
def test_property_many_files_are_read_as_one(client, files):
    """Any archive: Dask on the files gives the pandas engine's result on the files joined, and loses no row."""
    import tempfile
    from pathlib import Path

    def table(rows):
        return pd.DataFrame([{"event_id": i, "date": d, "actor": a, "target": t, "responds_to": r}
                             for i, d, (a, t), r in rows])  # fmt: skip

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for k, rows in enumerate(files):
            paths.append(Path(tmp) / f"part{k}.csv")
            table(rows).to_csv(paths[-1], index=False)
        joined = Path(tmp) / "joined.csv"
        pd.concat([table(rows) for rows in files], ignore_index=True).to_csv(joined, index=False)
        ref = esc.read_events(joined)
        ev = read_events_dask(paths)
        got_rejections = ev.rejections.compute()
        counts = ev.counts()
        accepted = sorted(ev.frame["event_id"].compute())

    assert counts["accepted"] + counts["rejected"] == counts["rows_read"] == sum(map(len, files))
    assert accepted == sorted(ref.frame["event_id"])
    offsets = np.cumsum([0] + [len(rows) for rows in files])
    k = np.searchsorted(offsets, ref.rejections["row"].to_numpy() - 2, side="right") - 1
    want = ref.rejections.assign(file=[str(paths[i]) for i in k], row=ref.rejections["row"] - offsets[k])

    def tidy(rej):  # the duplicate reason names the first row in the joined file or in its own file
        reason = rej["reason"].astype(str).str.replace(r" \(first at row .*\)$", "", regex=True)
        return canon(rej.assign(reason=reason).astype({"value": str}), ["file", "row", "column", "value", "reason"])

    pd.testing.assert_frame_equal(tidy(got_rejections), tidy(want), check_dtype=False)


def test_cli_engine_dask_on_one_file(archive, tmp_path, capsys):
    # One file is one partition: Dask 2026.8 once failed inside the scheduler on it and the CLI hung.
    from escalation.cli import main

    _, paths = archive
    one = paths[0]
    ref = esc.read_events(one)
    assert main(["validate", str(one), "--engine", "dask", "--workers", "1"]) == (1 if ref.n_rejected else 0)
    printed = capsys.readouterr()
    assert f"1 file: {ref.n_read} rows read, {ref.n_accepted} accepted" in printed.out
    assert "Dask dashboard: " in printed.err
    assert main(["-q", "validate", str(one), "--engine", "dask", "--workers", "1"]) == (1 if ref.n_rejected else 0)
    assert "Dask dashboard" not in capsys.readouterr().err  # -q: results and errors only
    out = tmp_path / "links.csv"
    assert main(["chains", str(one), "--engine", "dask", "--workers", "1", "-o", str(out)]) == 0
    want = esc.link(ref)
    written = pd.read_csv(out)
    assert len(written) == len(want)
    pairs = ["trigger_id", "response_id", "chain_id"]
    pd.testing.assert_frame_equal(canon(written[pairs], pairs), canon(want[pairs], pairs), check_dtype=False)
    split = tmp_path / "split.csv"
    assert main(["chains", str(one), "--engine", "dask", "--workers", "1", "--partitions", "4", "-o", str(split)]) == 0
    assert len(pd.read_csv(split)) == len(esc.link(ref))
    with pytest.raises(SystemExit):  # argparse: a usage error, no traceback
        main(["chains", str(one), "--engine", "dask", "--partitions", "0"])
    assert "expected a whole number of at least 1, got 0" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # only linking shuffles: convert does not offer it, rather than ignore it
        main(["convert", str(one), str(tmp_path / "x.parquet"), "--engine", "dask", "--partitions", "4"])
    assert "unrecognized arguments: --partitions" in capsys.readouterr().err
    dest = tmp_path / "one.parquet"
    assert main(["convert", str(one), str(dest), "--engine", "dask", "--workers", "1"]) == 0
    assert esc.read_events(dest).n_accepted == ref.n_accepted


def test_a_graph_dask_cannot_build_fails_at_once_on_the_client():
    from escalation.engine.dask._compute import compute

    class Unplannable:
        """A collection whose graph cannot be built (as Dask 2026.8's value_counts(split_out=False) was)."""

        def __dask_graph__(self):
            raise ZeroDivisionError("integer division or modulo by zero")

    with pytest.raises(esc.DataError, match="Dask could not plan the computation"):
        compute(Unplannable(), progress=True)


def test_dyad_key_is_one_number_per_unordered_dyad():
    """The shuffle key: A->B and B->A share it, other dyads (almost surely) do not, and it is the same in
    every process (a fixed-key hash, not Python's salted ``hash``)."""
    from escalation.engine.dask._link import _dyad_key

    sides = [f"side {k}" for k in range(60)] + ["", "a\x1fb", "a"]
    rng = np.random.default_rng(0)
    a, t = rng.choice(sides, 5000), rng.choice(sides, 5000)
    forward = _dyad_key(pd.DataFrame({"actor_side": a, "target_side": t}))
    backward = _dyad_key(pd.DataFrame({"actor_side": t, "target_side": a}))
    assert forward.dtype == np.uint64 and (forward == backward).all()
    pairs = pd.Series([tuple(sorted(p)) for p in zip(a, t, strict=True)])
    assert forward.groupby(pairs).nunique().eq(1).all()  # one key per dyad
    assert forward.nunique() == pairs.nunique()  # and no two dyads share one here
    # a value computed by hand from pandas' fixed-key hash, so that two processes agree
    ha, hb = pd.util.hash_array(np.array(["A", "B"], dtype=object))
    expected = (int(min(ha, hb)) * 0x9E3779B97F4A7C15 + int(max(ha, hb))) % 2**64  # Python ints, no wrap-around
    assert _dyad_key(pd.DataFrame({"actor_side": ["B"], "target_side": ["A"]})).iloc[0] == expected
    missing = _dyad_key(pd.DataFrame({"actor_side": pd.array(["A", None], dtype="string"), "target_side": ["", "A"]}))
    assert missing.iloc[0] == missing.iloc[1]  # a missing side is spelled "" (side_text)
