"""Giving back what Arrow's allocator keeps."""

from __future__ import annotations


def release_unused() -> None:
    """Return to the system the memory Arrow's pool holds but no array uses.

    Arrow's default pool (mimalloc in the Linux wheels) keeps freed pages for its own later use, and numpy
    allocates elsewhere, so the text copies of one step of reading stayed resident through the next: after a
    10^7-row read the process held 3.6 GiB for a 1.6 GiB frame. Called between the steps of reading that free
    column-sized Arrow buffers.
    """
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def use_jemalloc() -> None:
    """For the ``escalation`` command, which owns its process: Arrow's jemalloc pool instead of its default.

    Measured on a 10^7-row CSV (``benchmarks/README.md``): reading peaked at 2.8 GiB with jemalloc and 3.5 GiB
    with the default mimalloc pool, which kept the freed copies of validation resident until reading ended.
    A library does not change a process-wide allocator behind its user's back, so only the command does
    this; ``ARROW_DEFAULT_MEMORY_POOL`` set by the user wins, and a pyarrow built without jemalloc keeps
    its default.
    """
    import os

    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    import pyarrow as pa

    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:  # a wheel without jemalloc (Windows)
        pass
