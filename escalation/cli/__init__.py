"""The ``escalation`` command: ``main`` parses the arguments (``main.py``) and hands each command to its
module here; ``_common.py`` holds the exit codes, data options, loading and output paths they share."""

from .main import build_parser, main

__all__ = ["build_parser", "main"]
