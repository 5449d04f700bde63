"""Module paths that moved, kept importable for one release with a DeprecationWarning.

The modules of the data model moved into ``escalation.events`` in 0.2. ``import escalation.schema`` (or
``from escalation.ladder import Ladder``) still works: a finder on ``sys.meta_path`` hands over the module at its
new path, under both names, and warns once.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import warnings
from types import ModuleType

#: old path -> new path
MOVED = {
    "escalation.schema": "escalation.events.schema",
    "escalation.sides": "escalation.events.sides",
    "escalation.ladder": "escalation.events.ladder",
    "escalation.incidents": "escalation.events.incidents",
}


def moved_module(old: str, *, stacklevel: int) -> ModuleType:
    """The module at ``old``'s new path, with a warning that names the new path (``stacklevel``: the user's line,
    counted from the caller of this function)."""
    new = MOVED[old]
    warnings.warn(
        f"{old} moved to {new}; import it from there (the old path goes in the next release)",
        DeprecationWarning,
        stacklevel=stacklevel + 1,
    )
    return importlib.import_module(new)


class _MovedPaths(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self) -> None:
        self._specs: dict[str, importlib.machinery.ModuleSpec | None] = {}

    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        return importlib.util.spec_from_loader(fullname, self) if fullname in MOVED else None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        # stacklevel 2 names the user's import: the import system's own frames are skipped
        module = moved_module(spec.name, stacklevel=2)
        self._specs[spec.name] = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # the module at its new path has run already; the import system gave it the old path's spec, which
        # would make it look like a module of another name (reload, pickling by name): it gets its own back
        alias = module.__spec__
        if alias is not None:
            module.__spec__ = self._specs.pop(alias.name)


MOVED_PATHS = _MovedPaths()
