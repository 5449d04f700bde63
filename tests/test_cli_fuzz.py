"""Whatever a user types, the CLI answers with output or one line of error and exit code 0, 1 or 2."""

from __future__ import annotations

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
VALUES = ["30D", "30", "-5D", "0", "1e400", "nan", "abc", "", "12h", "2W", "3", "-1", "200", "M", "W", "D", "x=y",
          "2020-01-02", "year,month", "bic", "1,2-7", ";", "tab", "%d/%m/%Y", "country", "dyad", "19"]  # fmt: skip
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
    data = draw(st.sampled_from([None, *sorted(FILES)]))
    if data is not None:
        argv.append(str(tmp / f"{data}.csv"))
    for option in draw(st.lists(st.sampled_from(OPTIONS[command]), max_size=3, unique=True)):
        argv += [option] if option in FLAGS else [option, draw(st.sampled_from([*VALUES, "hawkes", "daily"]))]
    if command != "validate":
        argv += ["-o", str(tmp / "out.csv")]
    return argv


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    for name, text in FILES.items():
        (tmp / f"{name}.csv").write_text(text, encoding="utf-8")
    return tmp


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_traceback_whatever_the_arguments(folder, capsys, data):
    argv = data.draw(invocation(folder))
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
