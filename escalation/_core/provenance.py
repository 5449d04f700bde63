"""What made an output: the command, the inputs' checksums, the versions and the seed (internal).

A table taken into a paper must say how it was made: statsmodels 0.14 and 0.15 give different impulse-response
bands, and a sides file edited later changes every number. The command line records its run here
(:func:`recording`); every table it writes then gets ``NAME.provenance.json`` beside it (and a Parquet file
carries the same record in its metadata, under ``escalation``), written atomically like the table.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import shlex
import time
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from importlib import metadata
from pathlib import Path
from typing import Any

#: the libraries whose versions change numbers or files
LIBRARIES = ("numpy", "pandas", "scipy", "statsmodels", "pyarrow", "matplotlib", "threadpoolctl", "dask")
#: every resampling of the command line uses this seed (the analyses' default)
SEED = 0

_RECORD: ContextVar[dict[str, Any] | None] = ContextVar("escalation_provenance", default=None)


def sha256(path: Path) -> str:
    """The file's SHA-256, or for a folder (a converted dataset) that of its files' names and contents."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(str(file.relative_to(path)).encode())
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    out = {"escalation": _version("escalation"), "python": platform.python_version()}
    for name in LIBRARIES:
        found = _version(name)
        if found:
            out[name] = found
    return out


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def _created() -> str:
    """UTC now, or SOURCE_DATE_EPOCH's time (reproducible builds: two runs give the same files)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = int(epoch) if epoch and epoch.isdigit() else int(time.time())
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp))


@contextlib.contextmanager
def recording(argv: Sequence[str], inputs: Sequence[str | os.PathLike[str]]) -> Iterator[None]:
    """Within the block, tables written by the command line carry this run's record."""
    token = _RECORD.set({"argv": list(argv), "inputs": [Path(p) for p in inputs], "done": None})
    try:
        yield
    finally:
        _RECORD.reset(token)


def current() -> dict[str, Any] | None:
    """The record of the run in progress (computed once, at the first output), or None outside the CLI."""
    state = _RECORD.get()
    if state is None:
        return None
    if state["done"] is None:
        state["done"] = {
            "command": "escalation " + shlex.join(state["argv"]),
            "inputs": [{"path": str(p.resolve()), "sha256": sha256(p)} for p in state["inputs"] if p.exists()],
            "versions": _versions(),
            "seed": SEED,
            "created": _created(),
        }
    return dict(state["done"])


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".provenance.json")


def write_sidecar(path: str | os.PathLike[str]) -> Path | None:
    """Write ``NAME.provenance.json`` beside an output the command line wrote (nothing outside it, or for a
    stream such as ``-o /dev/stdout``)."""
    record = current()
    target = Path(path)
    if record is None or (target.exists() and not target.is_file() and not target.is_dir()):
        return None
    from .atomic import write_text_atomic

    return write_text_atomic(sidecar_path(target), json.dumps({"output": target.name, **record}, indent=2) + "\n")
