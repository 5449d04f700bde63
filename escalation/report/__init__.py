"""One-command reports: the packaged notebook executed, then HTML and PDF.

The notebook (``report.ipynb``) and page template ship inside the package, so
``escalation report`` works from a plain ``pip install .``.
"""

from __future__ import annotations

from .build import ReportPaths, build_report

__all__ = ["ReportPaths", "build_report"]
