"""The same analyses on Dask, for event archives larger than one machine's memory.

Nothing here re-implements an analysis. Each input file is read and validated by
the pandas code of :mod:`escalation.io` inside a Dask task, so reasons, row numbers
and counts are the pandas path's. Linking shuffles events on their *unordered*
dyad, so every partition holds whole dyads (both directions), and runs the pandas
linker on each partition; stated links, which may cross dyads, are joined
globally. Daily and weekly counts are Dask group-bys; the small series they give
go through the existing statsmodels code.

Text is slow to parse, so the intended workflow is to :func:`convert` the archive
once (one pass over the text, into a Parquet dataset that later reads trust, see
:mod:`escalation.io.dataset`) and to link and count from that dataset. Reading the
text directly works too, but each computation then parses it again.

What differs from the pandas engine, by design or not yet done:

* ``chain_id`` needs the global link graph: each dyad partition numbers its own
  chains and only one row per chain moves to join and rank them
  (:mod:`escalation.engine.dask._chains`); the numbers are the pandas engine's.
* Files are read one per task, so two checks that need every file run after the
  reading, on the few rows concerned: ``event_id`` repeated across files (the
  first, by file order then row, is kept, as the pandas engine keeps the first row
  of a file) and ``responds_to`` naming an event of another file. Both give the
  rejections the pandas engine gives for the files concatenated, with row numbers
  of each file.
"""

from __future__ import annotations

from ._counts import counts_by_period
from ._link import link_dask
from ._read import DaskEvents, convert, expand_sources, read_events_dask

__all__ = [
    "DaskEvents",
    "convert",
    "counts_by_period",
    "expand_sources",
    "link_dask",
    "read_events_dask",
]
