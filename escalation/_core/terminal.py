"""What the command line prints is text, never terminal commands (internal).

Event data carries whatever its sources held: a note with ``\\x1b[2J`` clears the screen when printed raw, an
OSC 8 sequence turns a side name into a hidden link, a right-to-left override reverses what follows. The
command line's stdout and stderr are wrapped (:func:`safe_streams`) so that every control character except
newline, tab and carriage return (progress bars) is printed as its escape (``\\x1b``), and a character the
terminal's encoding cannot show (a Latin-1 locale, a file name that is not UTF-8) as ``\\xe9``-style escapes
instead of a UnicodeEncodeError.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from typing import Any, TextIO

#: C0 and C1 controls but \t \n \r, DEL, and the bidirectional overrides and isolates
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character written as its escape.

    >>> visible("Hamas\\x1b[2J\\u202eevil\\n")
    'Hamas\\\\x1b[2J\\\\u202eevil\\n'
    """
    return _CONTROL.sub(_escape, text)


class _Visible:
    """A text stream that writes :func:`visible` text to the stream it wraps (and is that stream otherwise)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(visible(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def safe_streams() -> Iterator[None]:
    """Within the block, ``sys.stdout`` and ``sys.stderr`` print control characters as escapes and characters
    their encoding cannot hold as backslash escapes."""
    out, err = sys.stdout, sys.stderr
    for stream in (out, err):
        with contextlib.suppress(AttributeError, ValueError):  # not a TextIOWrapper (a test's capture)
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    sys.stdout, sys.stderr = _Visible(out), _Visible(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
