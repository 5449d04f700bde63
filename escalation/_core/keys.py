"""Dyad codes and one sortable key per (directed dyad, time): the search behind every "who answered whom".

"The latest earlier event of the reversed dyad" (linking) and "the first later event of the reversed dyad"
(time to response) are one ``numpy.searchsorted`` each on a single int64 key ``dyad * span + time``.
That product overflows int64 when the time range in seconds times the number of dyads passes 2**62 (very
many sides over a very long period); the guard that then ranks the times first lives here, once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Keys stay below this, so that ``dyad * span + time`` never overflows int64.
KEY_LIMIT = 2**62


def side_codes(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, int]:
    """Integer codes of actor and target sides over one shared vocabulary (-1 = missing)."""
    actor, target, names = side_vocabulary(frame)
    return actor, target, len(names)


def side_vocabulary(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`side_codes` with the vocabulary itself: the side name of each code, as ``str``."""
    actor, target = frame["actor_side"], frame["target_side"]
    if isinstance(actor.dtype, pd.CategoricalDtype) and actor.dtype == target.dtype:
        names = np.asarray(actor.cat.categories.astype(str), dtype=object)
        return actor.cat.codes.to_numpy(np.int64), target.cat.codes.to_numpy(np.int64), names
    # Each column factorized alone, then the two vocabularies joined (a few hundred names): the codes and
    # names a factorize of both columns end to end gives, without copying 2n strings into one column first
    # (about 0.6 GB of temporaries at 10^7 events).
    a_codes, a_names = pd.factorize(actor)
    t_codes, t_names = pd.factorize(target)
    first = pd.Index(a_names).astype(str)
    new = pd.Index(t_names).astype(str)
    names = np.asarray(first.append(new[~new.isin(first)]), dtype=object)
    where = np.append(pd.Index(names).get_indexer(new), -1)  # a missing target (code -1) stays -1
    return a_codes.astype(np.int64, copy=False), where[t_codes], names


def side_text(column: pd.Series) -> np.ndarray:
    """Side names as a numpy array of ``str``, a missing side as ``""``.

    ``astype(str)`` is not enough: pandas 3 keeps a missing value missing through it, and comparing it
    with a name then fails (``"A" < nan``).
    """
    return column.astype(object).where(column.notna(), "").to_numpy(dtype=str)


def dyad_codes(actor: np.ndarray, target: np.ndarray, n_sides: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(own dyad, reversed dyad, dyadic): codes of A->B and B->A, and which events have two distinct sides."""
    dyadic = (actor >= 0) & (target >= 0) & (actor != target)
    return actor * n_sides + target, target * n_sides + actor, dyadic


def time_offsets(*keys: np.ndarray, n_dyads: int) -> tuple[list[np.ndarray], int]:
    """Times (seconds) as offsets ``0 .. span - 1`` that keep their order, and ``span``.

    ``dyad * span + offset`` is then a sortable key. When ``n_dyads * span`` would reach 2**62 the times are
    replaced by their ranks among all of them, which keeps every comparison and cannot overflow.
    """
    lo = min(int(k.min()) for k in keys)
    span = max(int(k.max()) for k in keys) - lo + 2
    if n_dyads * span < KEY_LIMIT:
        return [k - lo for k in keys], span
    both = np.unique(np.concatenate(keys))
    return [np.searchsorted(both, k) for k in keys], len(both) + 1
