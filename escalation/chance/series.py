"""The tide-keeping null for count series: each block of the tide rotated on its own.

The reciprocity tests ask whether one side's past counts predict the other's. Two sides that merely rise
and fall together (war phases, seasons) predict each other too, so the p-value of each test comes from the
cause's series resampled with its tides kept: the series is cut into consecutive blocks of the tide (in
periods, from the first period; the last block may be shorter) and each block's values are rotated by a
random number of periods, independently, as the events are in :mod:`escalation.chance._tide`. Every block
keeps its total and its pattern up to the rotation; the alignment with the effect within a block is broken.

This replaced circular shifts of the whole series (by 30 or more periods anywhere in the sample), which
moved one side's war phases onto the other's calm and so made shared phases look like prediction: on
four-year daily histories whose sides only share a season or a surge, the shifted tests rejected 8-46% of
true nulls at 5% (issue 29; ``benchmarks/tides.py``).
"""

from __future__ import annotations

import numpy as np


def rotation_indices(n: int, block: int, draws: int, seed: int) -> np.ndarray:
    """``(draws, n)`` indices: ``values[idx[k]]`` is the ``k``-th rotation of a series of ``n`` periods.

    Block ``b`` covers periods ``b * block`` to ``min((b + 1) * block, n) - 1``; its value at place ``p``
    moves to place ``(p + u) mod length`` for a rotation ``u`` drawn uniformly over the block's length.
    """
    if block < 2:
        raise ValueError("a block of the tide needs at least two periods")
    q = np.arange(n)
    which = q // block
    place = q - which * block
    length = np.minimum(block, n - which * block)
    rng = np.random.default_rng(seed)
    n_blocks = -(-n // block)
    lengths = np.minimum(block, n - np.arange(n_blocks) * block)
    turns = (rng.random((draws, n_blocks)) * lengths).astype(np.int64)
    # the value now at place q came from place (q - u) mod length
    return which * block + (place[None, :] - turns[:, which]) % length[None, :]
