"""One BLAS thread for the small linear algebra of a fit (internal).

The fits here (a Hawkes likelihood over a few sides, a VAR or a count model on a few series) do many small
matrix operations; OpenBLAS and MKL spread each over every core and spend the time starting and syncing
threads: ``fit_hawkes`` on the 62 bundled events took 8.6 s with the default threading against 0.3 s on one
thread (issue 32). :func:`one_blas_thread` limits the BLAS pools for the call only, through threadpoolctl
(the library scikit-learn uses for the same purpose), and leaves the user's setting as it was afterwards.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def one_blas_thread(func: F) -> F:
    """Run ``func`` with the BLAS thread pools limited to one thread."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="blas"):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
