"""Write files atomically: a reader never sees half a file, a crash never leaves one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` on success.

    The temporary file lives in the same folder so that :func:`os.replace` is a
    rename on one file system, which POSIX guarantees to be atomic.
    """
    target = Path(path)
    if target.is_dir():
        from ..errors import DataError

        raise DataError(f"cannot write {target}: it is a folder; give a file name")
    blocking = next((p for p in target.parents if p.exists()), None)
    if blocking is not None and not blocking.is_dir():
        from ..errors import DataError

        raise DataError(f"cannot write {target}: {blocking} is a file, not a folder")
    if target.exists() and not target.is_file():
        # A device or a pipe (-o /dev/null, -o /dev/stdout): renaming over it would replace the device
        # with a plain file. There is nothing to make atomic; write straight through.
        yield target
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp makes private (0600) files; give the result the permissions any new file would get.
        os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike[str], writer: Callable[[Path], object]) -> Path:
    """Call ``writer(tmp_path)`` and move the result to ``path`` atomically."""
    with atomic_path(path) as tmp:
        writer(tmp)
    return Path(path)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
