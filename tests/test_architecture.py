"""The package's shape: no import cycles, io never imports an engine, plotting takes results without importing
them, internals behind underscores, the public API listed once."""

from __future__ import annotations

import ast
from pathlib import Path

import escalation as esc

ROOT = Path(esc.__file__).resolve().parent


def modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = modules()


def imports(module: str, *, runtime_only: bool) -> set[str]:
    """Modules of the package that ``module`` imports: at import time only (no function bodies, no
    ``TYPE_CHECKING``), or anywhere. ``from . import x`` counts as importing ``x``, not the package."""
    path = MODULES[module]
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if runtime_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            name = ".".join(base + ([node.module] if node.module else []))
            subs = {f"{name}.{a.name}" for a in node.names} & set(MODULES)
            found |= subs or ({name} & set(MODULES))
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names} & set(MODULES)
    return found - {module}


def test_no_import_cycles_at_import_time():
    graph = {m: imports(m, runtime_only=True) - {"escalation"} for m in MODULES}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for dep in sorted(graph[m]):
            if state.get(dep) == 1:
                cycles.append([*path[path.index(dep) :], dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_io_never_imports_an_engine_and_plotting_never_imports_results():
    for m in MODULES:
        if m.startswith("escalation.io"):
            assert not any(d.startswith("escalation.engine") for d in imports(m, runtime_only=False)), m
        if m.startswith("escalation.plotting"):
            results = {"escalation.chains", "escalation.episodes", "escalation.stats.survival",
                       "escalation.stats.reciprocity", "escalation.stats.hawkes.results"}  # fmt: skip
            assert not imports(m, runtime_only=True) & results, m


INTERNALS = {"parse_window", "parse_freq", "side_codes", "order_keys", "event_times", "intervals", "infer_pairs",
             "stated_pairs", "build_link_table", "link_pairs", "sorted_frame", "time_offsets"}  # fmt: skip


def test_the_helpers_analyses_share_live_in_private_modules():
    """Key, time and linking helpers used across analyses are defined only in ``_``-modules, once each."""
    defined: dict[str, list[str]] = {}
    for m, path in MODULES.items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name in INTERNALS:
                defined.setdefault(node.name, []).append(m)
    assert set(defined) == INTERNALS
    for name, where in defined.items():
        assert len(where) == 1 and where[0].rsplit(".", 1)[-1].startswith("_"), (name, where)


def test_public_api_is_listed_once_and_documented():
    assert sorted(esc.__all__) == esc.__all__ and len(set(esc.__all__)) == len(esc.__all__)
    for name in esc.__all__:
        assert hasattr(esc, name), name
    documented = (ROOT.parent / "docs" / "extending.md").read_text(encoding="utf-8")
    missing = [n for n in esc.__all__ if n != "__version__" and f"`{n}`" not in documented]
    assert missing == []


def test_import_and_help_load_no_analysis_stack_and_names_stay_functions():
    """``import escalation`` and ``escalation --help`` start without pandas, SciPy or statsmodels (issue 32:
    2.2 s before); the public names load on first use, and importing a submodule of the same name
    (``escalation.chains``) leaves the public function in place."""
    import subprocess
    import sys

    code = (
        "import sys, escalation; heavy = [m for m in ('pandas', 'scipy', 'statsmodels', 'matplotlib') "
        "if m in sys.modules]; print(heavy);"
        "import escalation.cli; print([m for m in ('pandas', 'scipy') if m in sys.modules]);"
        "import escalation.chains, escalation.episodes; from escalation.chains import ChainsResult;"
        "print(callable(escalation.chains), callable(escalation.episodes), escalation.chains.__module__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["[]", "[]", "True True escalation.chains"]
    for name in esc.__all__:
        assert getattr(esc, name) is not None
    assert sorted(set(esc._WHERE) | {"datasets", "plotting", "DataError", "EscalationError", "UsageError",
                                     "__version__"}) == sorted(esc.__all__)  # fmt: skip
