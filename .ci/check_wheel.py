"""Check that a built wheel carries what users and tools need besides the code (issue 32): the licence text,
the citation file and the py.typed marker (PEP 561), with the bundled data. Usage: check_wheel.py WHEEL."""

from __future__ import annotations

import sys
import zipfile

NEEDED = {
    "licence": ".dist-info/licenses/LICENSE",
    "citation": ".dist-info/licenses/CITATION.cff",
    "typing marker": "escalation/py.typed",
    "bundled data": "escalation/datasets/iraq_2019_2021.csv",
    "report notebook": "escalation/report/report.ipynb",
}

names = zipfile.ZipFile(sys.argv[1]).namelist()
missing = [what for what, tail in NEEDED.items() if not any(n.endswith(tail) for n in names)]
if missing:
    sys.exit(f"{sys.argv[1]} lacks: {', '.join(missing)}")
print(f"{sys.argv[1]}: {', '.join(NEEDED)} present ({len(names)} files)")
