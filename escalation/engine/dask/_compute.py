"""``dask.compute`` with an optional progress bar (the CLI's), drawn by Dask's own console bar."""

from __future__ import annotations

import contextlib
import sys
from typing import Any


def compute(*collections: Any, progress: bool = False) -> tuple[Any, ...]:
    """Compute Dask collections together (shared inputs are read once).

    With ``progress`` and a running ``distributed`` client, Dask's text progress bar
    is drawn on stderr (stdout stays for results); otherwise this is ``dask.compute``.
    """
    import dask

    try:
        # Build the task graphs here first: an error in planning then surfaces at once as a message,
        # instead of inside a distributed scheduler that logs it and leaves the client waiting.
        for collection in collections:
            if dask.is_dask_collection(collection):
                collection.__dask_graph__()
    except Exception as exc:
        from ...errors import DataError

        raise DataError(f"Dask could not plan the computation ({type(exc).__name__}: {exc})") from None
    if progress:
        try:
            from distributed import get_client
            from distributed import progress as show

            client = get_client()
        except (ImportError, ValueError):  # no distributed, or no client running
            client = None
        lazy = [i for i, c in enumerate(collections) if dask.is_dask_collection(c)]
        if client is not None and lazy:
            futures = client.compute([collections[i] for i in lazy])
            with contextlib.redirect_stdout(sys.stderr):
                show(futures)
            done = dict(zip(lazy, client.gather(futures), strict=True))
            return tuple(done.get(i, c) for i, c in enumerate(collections))
    return dask.compute(*collections)
