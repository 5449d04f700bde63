"""Progress of long computations, on stderr, when the caller asks for it (internal).

The library prints nothing by default. The command line turns progress on when stderr is a terminal and
``--quiet`` is not given (:func:`shown`); the loops that can run for minutes (the resampling tests of
reciprocity, model by model and pair by pair) then show a tqdm bar that disappears when done.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_SHOWN: ContextVar[bool] = ContextVar("escalation_progress", default=False)


@contextlib.contextmanager
def shown(on: bool = True) -> Iterator[None]:
    """Show progress bars within the block (``on=False``: none, whatever an outer block said)."""
    token = _SHOWN.set(on)
    try:
        yield
    finally:
        _SHOWN.reset(token)


def is_shown() -> bool:
    return _SHOWN.get()


def steps(items: Iterable[T], desc: str, total: int | None = None, unit: str = "test") -> Iterable[T]:
    """``items``, with a bar on stderr while they are worked through (when progress is shown)."""
    if not _SHOWN.get():
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, total=total, unit=unit, file=sys.stderr, leave=False, dynamic_ncols=True)
