"""Whatever a user types, the CLI answers with output or one line of error and exit code 0, 1 or 2, and never
writes over what it reads: text in several encodings, Parquet files as they come (binary text, repeated
columns, a converted dataset edited afterwards), and outputs aimed at the input itself or a link to it."""

from __future__ import annotations

import hashlib
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escalation.cli import main

FILES = {
    "good": "date,actor,target,event_type,fatalities\n2020-01-01,A,B,airstrike,2\n2020-01-03,B,A,rocket attack,0\n"
    "2020-01-09,A,B,shelling,1\n2020-02-01,B,A,drone strike,\n",
    "header": "date,actor,target\n",
    "one": "date,actor,target\n2020-01-01,A,B\n",
    "hostile": 'date,actor,target,notes\n2020-01-01,"A,B\n"x",<b>B</b>,A,"</style>"\n2099-01-01,A,B,x,y\n,,,\n',
    "empty": "",
    "binary": "\x00\x01\x02",
}
#: The same table in other encodings (and one that is not what --encoding says)
ENCODED = {"latin1": ("latin-1", "date,actor,target\n2020-01-01,Hamás,Israël\n2020-01-02,Israël,Hamás\n"),
           "utf16": ("utf-16", "date,actor,target\n2020-01-01,A,B\n2020-01-02,B,A\n"),
           "bom": ("utf-8-sig", "date,actor,target\n2020-01-01,Ä,B\n2020-01-02,B,Ä\n")}  # fmt: skip
PARQUETS = ["good", "binary", "badbytes", "repeated", "yearint", "converted", "edited"]
VALUES = ["30D", "30", "-5D", "0", "1e400", "nan", "abc", "", "12h", "2W", "3", "-1", "200", "M", "W", "D", "x=y",
          "2020-01-02", "year,month", "bic", "1,2-7", ";", "tab", "%d/%m/%Y", "country", "dyad", "19", "utf-16",
          "latin-1", "rot13", "cp1252", "parquet"]  # fmt: skip
OPTIONS = {
    "validate": [
        "--format",
        "--encoding",
        "--columns",
        "--per-victim",
        "--incident-keys",
        "--dayfirst",
        "--date-format",
        "--delimiter",
        "--sheet",
        "--actor-level",
        "--na-values",
    ],
    "chains": [
        "--window",
        "--method",
        "--min-probability",
        "--max-distance-km",
        "--resolution",
        "--top",
        "--columns",
        "--per-victim",
        "--incident-keys",
    ],
    "episodes": ["--calm", "--per-victim"],
    "survival": ["--window", "--pooled"],
    "reciprocity": [
        "--freq",
        "--lags",
        "--measure",
        "--start",
        "--end",
        "--controls",
        "--by",
        "--series",
        "--adjust",
        "--inference",
        "--shifts",
    ],
    "hawkes": ["--decay", "--time-unit"],
}
FLAGS = {"--per-victim", "--pooled", "--dayfirst"}


@st.composite
def invocation(draw, tmp):
    command = draw(st.sampled_from(sorted(OPTIONS)))
    argv = [command]
    inputs = [*(f"{n}.csv" for n in sorted(FILES)), *(f"{n}.csv" for n in sorted(ENCODED)),
              *(f"{n}.parquet" for n in PARQUETS)]  # fmt: skip
    data = draw(st.sampled_from([None, *inputs]))
    if data is not None:
        argv.append(str(tmp / data))
    for option in draw(st.lists(st.sampled_from(OPTIONS[command]), max_size=3, unique=True)):
        argv += [option] if option in FLAGS else [option, draw(st.sampled_from([*VALUES, "hawkes", "daily"]))]
    # an output aimed at the input, a symbolic or a hard link to it, or a file of its own
    target = draw(st.sampled_from(["out.csv", "input", "symlink", "hardlink"]))
    if data is not None and target != "out.csv" and (tmp / data).is_file():
        path = {"input": str(tmp / data), "symlink": str(tmp / f"link_{data}"), "hardlink": str(tmp / f"hard_{data}")}
        out = path[target]
    else:
        out = str(tmp / "out.csv")
    if command == "validate":
        if draw(st.booleans()):
            argv += ["--rejections", out]
    else:
        argv += ["-o", out]
    return argv


def _write_parquets(tmp):
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = {"date": ["2020-01-01", "2020-01-03", "2020-01-09"], "actor": ["A", "B", "A"], "target": ["B", "A", "B"]}
    pd.DataFrame(rows).to_parquet(tmp / "good.parquet")
    pq.write_table(pa.table({k: pa.array([v.encode() for v in vs]) for k, vs in rows.items()}), tmp / "binary.parquet")
    pq.write_table(pa.table({"date": pa.array([b"2020-01-01", b"\xff\xfe"]), "actor": pa.array([b"A", b"B"]),
                             "target": pa.array([b"B", b"A"])}), tmp / "badbytes.parquet")  # fmt: skip
    pq.write_table(pa.Table.from_arrays([pa.array(rows["date"]), pa.array(rows["actor"]), pa.array(rows["target"]),
                                         pa.array(rows["actor"])], names=["date", "actor", "target", "actor"]),
                   tmp / "repeated.parquet")  # fmt: skip
    pd.DataFrame({"date": [20200, 2020, 1], "actor": ["A", "B", "A"], "target": ["B", "A", "B"]}).to_parquet(
        tmp / "yearint.parquet"
    )
    assert main(["convert", str(tmp / "good.csv"), str(tmp / "converted.parquet")]) == 0
    assert main(["convert", str(tmp / "good.csv"), str(tmp / "edited.parquet")]) == 0
    part = next(p for p in sorted((tmp / "edited.parquet").rglob("*.parquet")) if "rejections" not in p.name)
    pd.read_parquet(part).drop(columns=["actor"]).to_parquet(part)  # edited after convert


def _digests(tmp):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(tmp.rglob("*"))
            if p.is_file() and not p.name.startswith("out") and "provenance" not in p.name}  # fmt: skip


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    for name, text in FILES.items():
        (tmp / f"{name}.csv").write_text(text, encoding="utf-8")
    for name, (encoding, text) in ENCODED.items():
        (tmp / f"{name}.csv").write_bytes(text.encode(encoding))
    _write_parquets(tmp)
    for data in [*(f"{n}.csv" for n in [*FILES, *ENCODED]), *(f"{n}.parquet" for n in PARQUETS[:5])]:
        os.symlink(tmp / data, tmp / f"link_{data}")
        os.link(tmp / data, tmp / f"hard_{data}")
    return tmp


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_traceback_whatever_the_arguments(folder, capsys, data):
    argv = data.draw(invocation(folder))
    before = _digests(folder)
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    captured = capsys.readouterr()
    err = captured.err
    assert code in (0, 1, 2), argv
    assert "Traceback" not in err and "internal error" not in err, (argv, err)
    if code:
        assert (err + captured.out).strip(), argv  # a failure always says why
    assert _digests(folder) == before, argv  # no input (nor a link to one) was written over
    assert not [p for p in folder.rglob("*.tmp")], argv  # no half-written output left behind
