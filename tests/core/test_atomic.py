from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from escalation._core.atomic import write_text_atomic
from escalation._core.formats import write_table


def test_written_files_get_normal_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_text_atomic(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("old", encoding="utf-8")

    class Boom(Exception):
        pass

    class Frame(pd.DataFrame):
        def to_csv(self, *args, **kwargs):  # type: ignore[override]
            raise Boom

    with pytest.raises(Boom):
        write_table(Frame({"a": [1]}), target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_parquet_by_extension(tmp_path):
    path = write_table(pd.DataFrame({"a": [1, 2]}), tmp_path / "x.parquet")
    assert pd.read_parquet(path)["a"].tolist() == [1, 2]


def test_a_device_is_written_through_not_replaced(tmp_path):
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a second /dev/null (needs root)
    except (PermissionError, OSError):
        pytest.skip("cannot make a device node here")
    write_table(pd.DataFrame({"a": [1]}), device)
    assert stat.S_ISCHR(device.stat().st_mode)  # still the device, not a plain file renamed over it
