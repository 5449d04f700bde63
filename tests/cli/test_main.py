"""The command line: exit codes, stdout/stderr, and files written atomically."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from escalation.cli import main

from ..conftest import BTSELEM_COLUMNS, DATA, EXAMPLES


def test_validate_bundled_data(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "62 rows read, 62 accepted, 0 rejected" in out
    assert "Iran-aligned militias" in out


def test_validate_bad_file_exits_1_and_writes_rejections(tmp_path, capsys):
    target = tmp_path / "out" / "rejections.csv"
    code = main(["validate", str(DATA / "canonical_bad.csv"), "--rejections", str(target)])
    assert code == 1
    out = capsys.readouterr().out
    assert "14 rows read, 6 accepted, 8 rejected" in out and "2 stated links dropped" in out
    assert str(target) in out
    table = pd.read_csv(target)
    assert table["row"].nunique() == 10
    assert list(table.columns) == ["file", "row", "column", "value", "reason"]
    assert not list(target.parent.glob(".*tmp"))  # no temporary file left behind


def test_missing_file_is_one_line_on_stderr(capsys):
    assert main(["validate", "does-not-exist.csv"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == "escalation: error: does-not-exist.csv: no such file"


def test_usage_errors_exit_2(capsys):
    assert main(["validate", str(DATA / "canonical_bad.csv"), "--columns", "date"]) == 2
    assert "NAME=COLUMN" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["validate", "--format", "xml"])
    assert info.value.code == 2


def test_btselem_from_the_cli(btselem_path, capsys):
    columns = ",".join(f"{k}={v}" for k, v in BTSELEM_COLUMNS.items())
    args = [
        "validate",
        str(btselem_path),
        "--columns",
        columns,
        "--per-victim",
        "--sides",
        str(EXAMPLES / "btselem_sides.json"),
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "11124 rows read, 11124 accepted, 0 rejected" in out
    assert "Palestinians" in out


def test_entry_point_runs_as_a_program():
    result = subprocess.run([sys.executable, "-m", "escalation", "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "validate" in result.stdout
    result = subprocess.run(
        [sys.executable, "-m", "escalation", "validate", "nope.csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


def test_validate_lists_many_sides_briefly(tmp_path, capsys):
    table = pd.DataFrame({"date": "2020-01-01", "actor": [f"S{i:02d}" for i in range(30)], "target": "T"})
    path = tmp_path / "many.csv"
    table.to_csv(path, index=False)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "sides: S00, S01," in out and "and 19 more (31 sides)" in out and "S29," not in out


def test_chains_prints_the_busiest_directions_and_counts_the_rest(tmp_path, capsys):
    rng = np.random.default_rng(1)
    n = 2000
    sides = np.array(list("ABCDEFGH"))
    days = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    a, t = rng.integers(0, 8, n), rng.integers(0, 8, n)
    keep = a != t
    pd.DataFrame({"date": days.strftime("%Y-%m-%d")[keep], "actor": sides[a[keep]],
                  "target": sides[t[keep]]}).to_csv(tmp_path / "many.csv", index=False)  # fmt: skip
    assert main(["chains", str(tmp_path / "many.csv"), "-o", str(tmp_path / "links.csv")]) == 0
    out = capsys.readouterr().out
    table = out.split("199 draws):\n")[1].split("\n... ")[0].splitlines()
    assert len(table) == 1 + 20  # header and the 20 directions with the most responses
    assert "... 36 more directions (all in .baseline from Python); of all 56," in out


def test_the_command_reads_with_arrows_jemalloc_pool_unless_told_otherwise(monkeypatch):
    """The command owns its process and uses jemalloc (reading 10^7 rows peaked 0.5-0.9 GiB lower); a pool the
    user names in ARROW_DEFAULT_MEMORY_POOL is left alone, and the library alone never changes the pool."""
    import pyarrow as pa

    import escalation as esc
    from escalation._core.memory import use_jemalloc

    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:
        pytest.skip("this pyarrow has no jemalloc")
    before = pa.default_memory_pool()
    try:
        pa.set_memory_pool(pa.system_memory_pool())
        monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")
        use_jemalloc()
        assert pa.default_memory_pool().backend_name == "system"
        monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL")
        esc.read_events(esc.datasets.iraq_2019_2021_paths()[0])
        assert pa.default_memory_pool().backend_name == "system"  # reading in Python leaves it
        assert main(["validate"]) == 0
        assert pa.default_memory_pool().backend_name == "jemalloc"
    finally:
        pa.set_memory_pool(before)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--max-distance-km", "-1"], "max_distance_km must be positive"),
        (["--min-probability", "2", "--method", "hawkes"], "min_probability must be in (0, 1]"),
        (["--method", "hawkes", "--max-distance-km", "5"], "applies to method='reversal' only"),
        (["--window", "soon"], "soon"),
        (["--ladder", "no_such_ladder.csv"], "no_such_ladder.csv"),
    ],
)
def test_chains_options_fail_before_the_chance_baseline_runs(monkeypatch, capsys, options, message):
    """`chains` computes the chance baseline before linking (less memory at the peak); a mistyped option must
    still fail at once, not after the baseline's minutes on a large file."""
    import escalation.chance.links

    def not_reached(*args, **kwargs):
        raise AssertionError("the baseline ran before the options were checked")

    monkeypatch.setattr(escalation.chance.links, "link_baseline", not_reached)
    assert main(["chains", *options]) in (1, 2)
    assert message in capsys.readouterr().err


def test_start_and_end_cut_the_period_and_say_how_many_were_left_out(tmp_path, capsys):
    import escalation as esc

    out = tmp_path / "links.csv"
    assert main(["chains", "--start", "2020-01-01", "--end", "2020-01-31", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    events = esc.datasets.load_iraq_2019_2021()
    inside = events.between("2020-01-01", "2020-01-31")
    assert f"{len(inside)} events in it, {len(events) - len(inside)} outside it left out" in err
    assert "62 rows read, 62 accepted, 0 rejected" in err  # those outside the period were accepted, and counted
    expected = esc.chains(inside).links
    got = pd.read_csv(out)
    assert len(got) == len(expected) and set(got["response_id"]) == set(expected["response_id"])
    assert main(["chains", "--start", "2020-13-01"]) != 0  # a date that does not exist: an error, no traceback
    assert "internal error" not in capsys.readouterr().err
    assert main(["chains", "--engine", "dask", "--start", "2020-01-01"]) == 2


@pytest.mark.parametrize("grouping", [["--per-victim"], ["--incident-keys", "date,location"]])
def test_dask_chains_refuse_rows_that_must_be_grouped_first(grouping, tmp_path, capsys):
    """Incidents are grouped before linking, which the Dask engine does not do: refused before a cluster starts,
    --incident-keys as well as --per-victim (it used to be dropped without a word)."""
    argv = ["chains", str(DATA), "--engine", "dask", *grouping, "-o", str(tmp_path / "links.parquet")]
    assert main(argv) == 2
    assert "grouped into incidents before linking" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_sides_file_beside_the_data_that_was_not_used_is_named(tmp_path, capsys):
    """The bundled CSV named by its path, without --sides, read its 21 actor names as 21 sides and gave half the
    links of `escalation chains` without a word; the sides file beside it is now named."""
    import escalation as esc

    data, sides = esc.datasets.iraq_2019_2021_paths()

    def said(argv):
        assert main(argv) == 0
        printed = capsys.readouterr()
        return printed.out + printed.err

    assert f"note: {sides} is beside the data and was not used: each of the 21 actor names is a side" in said(
        ["validate", str(data)]
    )
    assert "note:" not in said(["validate", str(data), "--sides", str(sides)])
    assert "note:" not in said(["validate"])  # the bundled dataset, read with its sides
    copy = tmp_path / "events.csv"
    copy.write_bytes(data.read_bytes())
    assert "note: no sides file: each of the 21 actor names is a side" in said(["validate", str(copy)])


def test_counts_refuses_a_period_it_does_not_know_before_reading(monkeypatch, capsys):
    import escalation.cli._common as common

    def read(*args, **kwargs):
        raise AssertionError("the data were read before --freq was checked")

    monkeypatch.setattr(common, "load", read)
    assert main(["counts", "--freq", "week"]) == 2
    assert "--freq must be a day, week, month or year (D, W, M, Y), got 'week'" in capsys.readouterr().err
