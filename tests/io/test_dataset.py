"""Converted Parquet datasets (escalation/io/dataset.py): written whole, read back as converted, checked first."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from escalation import DataError, UsageError, read_events
from escalation.cli import main
from escalation.io.dataset import MARKER, rejections_path, write_converted

from ..conftest import DATA, SAMPLES

BAD = DATA / "canonical_bad.csv"


def test_converted_dataset_reads_back_as_its_source(tmp_path):
    src = read_events(BAD)
    assert (src.n_read, src.n_accepted, src.n_rejected) == (14, 6, 8)
    dest = tmp_path / "bad.parquet"
    write_converted(src, dest, sources=[str(BAD)], options={"format": "auto"})
    back = read_events(dest)
    assert back.provenance["format"] == "converted" and back.provenance["sources"] == [str(BAD)]
    assert (back.n_read, back.n_accepted, back.n_rejected) == (14, 6, 8)
    pd.testing.assert_frame_equal(back.frame, src.frame)  # rows keep their numbers in the source file
    pd.testing.assert_frame_equal(back.rejections, src.rejections)
    marker = json.loads((dest / MARKER).read_text())
    assert (marker["rows_read"], marker["accepted"], marker["rejected"]) == (14, 6, 8)
    # still an ordinary Parquet dataset for other tools: the marker is skipped
    assert len(pd.read_parquet(dest)) == 6 and len(pd.read_parquet(rejections_path(dest))) == len(src.rejections)


def test_unmarked_dataset_is_validated_again(tmp_path):
    src = read_events(SAMPLES / "ucdp_sample.csv")
    dest = tmp_path / "plain.parquet"
    dest.mkdir()
    src.frame.drop(columns=["row"]).to_parquet(dest / "part.0.parquet", index=False)
    back = read_events(dest)
    assert back.provenance["format"] == "canonical" and back.n_accepted == src.n_accepted


def test_converting_again_replaces_both_folders_whole(tmp_path):
    dest = tmp_path / "out.parquet"
    write_converted(read_events(BAD), dest, sources=[str(BAD)], options={})
    ucdp = read_events(SAMPLES / "ucdp_sample.csv")
    write_converted(ucdp, dest, sources=["ucdp"], options={})
    back = read_events(dest)
    assert back.n_read == 3 and back.n_rejected == 0 and back.rejections.empty
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet", "out.parquet.rejections"]  # no leftovers


def test_a_failed_conversion_leaves_the_old_dataset(tmp_path, monkeypatch):
    dest = tmp_path / "out.parquet"
    write_converted(read_events(BAD), dest, sources=[str(BAD)], options={})
    before = sorted(p.name for p in tmp_path.rglob("*"))
    ucdp = read_events(SAMPLES / "ucdp_sample.csv")
    calls = []
    original = pd.DataFrame.to_parquet

    def failing(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the rejections, after the events were staged
            raise OSError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", failing)
    with pytest.raises(OSError, match="disk full"):
        write_converted(ucdp, dest, sources=["ucdp"], options={})
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert read_events(dest).n_read == 14


def test_converted_dataset_is_checked_before_it_is_trusted(tmp_path):
    dest = tmp_path / "bad.parquet"
    write_converted(read_events(BAD), dest, sources=[str(BAD)], options={})
    with pytest.raises(UsageError, match="converted"):
        read_events(dest, per_victim=True)
    with pytest.raises(UsageError, match="converted"):
        read_events(dest, format="acled")
    # sides may be given again: they are re-applied to actor and target
    mapped = read_events(dest, sides={name: "Everyone" for name in read_events(dest).frame["actor"]})
    assert set(mapped.frame["actor_side"]) == {"Everyone"}
    (dest / MARKER).write_text("{not json")
    with pytest.raises(DataError, match="unreadable dataset marker"):
        read_events(dest)
    (dest / MARKER).write_text(json.dumps({"escalation_dataset": 1, "rows_read": 14, "accepted": 5, "rejected": 10,
                                           "sources": [], "options": {}}))  # fmt: skip
    with pytest.raises(DataError, match="marker says 5"):
        read_events(dest)


def test_cli_convert_pandas_engine(tmp_path, capsys):
    dest = tmp_path / "bad.parquet"
    assert main(["convert", str(BAD), str(dest)]) == 0
    out = capsys.readouterr().out
    assert "14 rows read, 6 accepted, 8 rejected" in out and f"events: {dest}" in out
    assert main(["validate", str(dest)]) == 1  # the rejections travel with the dataset
    assert "14 rows read" in capsys.readouterr().out
    assert main(["convert", str(BAD), str(tmp_path / "x.csv")]) == 2  # DEST must be a .parquet folder


@pytest.mark.parametrize(
    ("tamper", "said"),
    [
        ("later link", "names 'IRQ-2020-01-08-ASD', a later event"),
        ("unknown link", "names 'nope', which it does not hold"),
        ("text dates", "column 'date' holds"),
        ("dropped column", "no column 'actor'"),
        ("repeated id", "on two rows"),
        ("eight", "column 'fatalities' holds"),
    ],
)
def test_a_converted_dataset_edited_afterwards_is_refused_by_name(tmp_path, capsys, tamper, said):
    """Issue 35: a converted dataset is trusted, so what trusting it relies on is checked when it is read."""
    from escalation.datasets import iraq_2019_2021_paths

    dest = tmp_path / "iraq.parquet"
    assert main(["convert", str(iraq_2019_2021_paths()[0]), str(dest)]) == 0
    part = next(dest.glob("*.parquet"))
    frame = pd.read_parquet(part)
    first = frame["date"].idxmin()
    if tamper == "later link":
        frame.loc[first, "responds_to"] = "IRQ-2020-01-08-ASD"
    elif tamper == "unknown link":
        frame.loc[first, "responds_to"] = "nope"
    elif tamper == "text dates":
        frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    elif tamper == "dropped column":
        frame = frame.drop(columns=["actor"])
    elif tamper == "repeated id":
        frame.loc[frame.index[1], "event_id"] = frame.loc[frame.index[0], "event_id"]
    else:
        frame["fatalities"] = frame["fatalities"].astype(str).where(frame.index != first, "eight")
    frame.to_parquet(part, index=False)
    capsys.readouterr()
    assert main(["chains", str(dest), "-o", str(tmp_path / "links.csv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("escalation: error: ") and said in err and "convert the sources again" in err, err
    assert "internal error" not in err and err.count("\n") == 1
