"""Exceptions that carry a message meant for a person, not a traceback.

The CLI turns :class:`DataError` into exit code 1 and :class:`UsageError` into
exit code 2, printing only the message on stderr.
"""

from __future__ import annotations


class EscalationError(Exception):
    """Base class of every error this package raises on purpose."""


class DataError(EscalationError, ValueError):
    """The data cannot be used: a file that cannot be read, a table without a needed column."""


class UsageError(EscalationError, ValueError):
    """The call itself is wrong: an unknown option value, a bad column mapping, a bad window."""
