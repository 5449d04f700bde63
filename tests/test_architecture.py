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


#: The pipeline, bottom to top: a module imports only from its own layer and the layers before it. The one
#: exception is the result protocol's ``plot()``, which imports its chart from ``escalation.plotting`` when it
#: is called (a result must not need matplotlib to exist).
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("core", ("escalation.errors", "escalation._core")),
    ("data model", ("escalation.events",)),
    ("reading", ("escalation.io", "escalation.datasets")),
    ("chance", ("escalation.chance",)),
    ("statistics", ("escalation.stats",)),
    ("linking", ("escalation.linking",)),
    ("plotting", ("escalation.plotting",)),
    ("report", ("escalation.report",)),
    ("interfaces", ("escalation.engine", "escalation.cli", "escalation.__main__")),
]  # fmt: skip


def layer_of(module: str) -> int | None:
    """The layer of a module: its longest matching prefix in :data:`LAYERS`."""
    best: tuple[int, int] | None = None
    for k, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (k, len(prefix))
    return None if best is None else best[0]


def real_imports(module: str, source: str, known: set[str]) -> list[tuple[str, str | None]]:
    """Every import of ``known`` modules in ``source`` (function bodies included, ``if TYPE_CHECKING:`` blocks
    left out: annotations are not imports), each with the name of the function it sits in (None: at the top)."""
    is_package = module in known and MODULES.get(module, Path("x.py")).name == "__init__.py"
    package = module.split(".") if is_package else module.split(".")[:-1]
    tree = ast.parse(source)
    found: list[tuple[str, str | None]] = []

    def walk(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for sub in child.orelse:
                    walk(sub, function)
                continue
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if isinstance(child, ast.ImportFrom):
                base = package[: len(package) - child.level + 1] if child.level else []
                name = ".".join(base + ([child.module] if child.module else []))
                subs = {f"{name}.{a.name}" for a in child.names} & known
                found.extend((d, function) for d in sorted(subs or ({name} & known)))
            elif isinstance(child, ast.Import):
                found.extend((a.name, function) for a in child.names if a.name in known)
            walk(child, inner)

    walk(tree, None)
    return [(d, f) for d, f in found if d not in (module, "escalation")]


def later_layer_imports(module: str, source: str, known: set[str]) -> list[str]:
    """The imports of ``source`` that reach a later layer than ``module``'s, but for ``plot()``'s charts."""
    here = layer_of(module)
    out = []
    for dep, function in real_imports(module, source, known):
        there = layer_of(dep)
        # a result's plot() calls its chart; it does not draw itself with the charts' helpers (plotting.style)
        lazy_chart = function == "plot" and dep.startswith("escalation.plotting") and dep != "escalation.plotting.style"
        if here is not None and there is not None and there > here and not lazy_chart:
            out.append(f"{module} ({LAYERS[here][0]}) imports {dep} ({LAYERS[there][0]}) in {function or 'the module'}")
    return out


def cycles_of(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle a depth-first search meets (empty: the graph is a hierarchy)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for dep in sorted(graph.get(m, ())):
            if state.get(dep) == 1:
                cycles.append([*path[path.index(dep) :], dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    return cycles


def _graph() -> dict[str, set[str]]:
    known = set(MODULES)
    return {m: {d for d, _ in real_imports(m, p.read_text(encoding="utf-8"), known)} for m, p in MODULES.items()}


def test_no_import_cycles_not_even_inside_functions():
    # function bodies count: a lazy import is a dependency all the same (cli.py <-> _cli_*, events <-> io,
    # _dates <-> schema were such circles); only annotations (TYPE_CHECKING) are left out
    assert cycles_of(_graph()) == []


def test_every_module_has_a_layer_and_imports_only_earlier_ones():
    assert [m for m in MODULES if m != "escalation" and layer_of(m) is None] == []
    known = set(MODULES)
    wrong = [w for m, p in MODULES.items() for w in later_layer_imports(m, p.read_text(encoding="utf-8"), known)]
    assert wrong == []


def test_the_layer_and_cycle_tests_catch_what_they_are_for():
    """A test of the tests: a deliberate back-import, a chart imported outside ``plot()``, and a circle."""
    known = set(MODULES)
    back = "from ...report import build\n"
    assert later_layer_imports("escalation.stats.hawkes.model", back, known) == [
        "escalation.stats.hawkes.model (statistics) imports escalation.report.build (report) in the module"
    ]
    lazy = "def fit():\n    from ..cli import main\n"
    assert len(later_layer_imports("escalation.stats.survival", lazy, known)) == 1  # inside a function too
    chart = "class R:\n    def plot(self):\n        from ..plotting import km_curves\n"
    assert later_layer_imports("escalation.stats.survival", chart, known) == []
    elsewhere = chart.replace("def plot", "def summary")
    assert len(later_layer_imports("escalation.stats.survival", elsewhere, known)) == 1
    drawing = "class R:\n    def plot(self):\n        from ..plotting.style import get_ax\n"
    assert len(later_layer_imports("escalation.stats.survival", drawing, known)) == 1  # drawing outside plotting/
    annotation = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..report import build\n"
    assert later_layer_imports("escalation.stats.survival", annotation, known) == []
    graph = _graph()
    graph["escalation.events.table"] = graph["escalation.events.table"] | {
        "escalation.io"
    }  # the circle events <-> io was
    assert any({"escalation.events.table", "escalation.io"} <= set(c) for c in cycles_of(graph))


def test_io_never_imports_an_engine_and_plotting_never_imports_results():
    for m in MODULES:
        if m.startswith("escalation.io"):
            assert not any(d.startswith("escalation.engine") for d in imports(m, runtime_only=False)), m
        if m.startswith("escalation.plotting"):
            results = {"escalation.linking.chains", "escalation.linking.episodes", "escalation.stats.survival",
                       "escalation.stats.reciprocity.analysis", "escalation.stats.hawkes.results"}  # fmt: skip
            assert not imports(m, runtime_only=True) & results, m


INTERNALS = {"parse_window", "parse_freq", "side_codes", "order_keys", "event_times", "intervals", "infer_pairs",
             "stated_pairs", "build_link_table", "link_pairs", "sorted_frame", "time_offsets"}  # fmt: skip


def test_the_helpers_analyses_share_live_in_private_modules():
    """Key, time and linking helpers used across analyses are defined only in private modules (``_core/`` or a
    ``_``-module), once each."""
    defined: dict[str, list[str]] = {}
    for m, path in MODULES.items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name in INTERNALS:
                defined.setdefault(node.name, []).append(m)
    assert set(defined) == INTERNALS
    for name, where in defined.items():
        assert len(where) == 1 and any(part.startswith("_") for part in where[0].split(".")[1:]), (name, where)


def test_public_api_is_listed_once_and_documented():
    assert sorted(esc.__all__) == esc.__all__ and len(set(esc.__all__)) == len(esc.__all__)
    for name in esc.__all__:
        assert hasattr(esc, name), name
    documented = (ROOT.parent / "docs" / "extending.md").read_text(encoding="utf-8")
    missing = [n for n in esc.__all__ if n != "__version__" and f"`{n}`" not in documented]
    assert missing == []


def test_import_and_help_load_no_analysis_stack_and_names_stay_functions():
    """``import escalation`` and ``escalation --help`` start without pandas, SciPy or statsmodels (issue 32:
    2.2 s before); the public names load on first use, and importing the modules that define them
    (``escalation.linking.chains``) leaves the public functions in place."""
    import subprocess
    import sys

    code = (
        "import sys, escalation; heavy = [m for m in ('pandas', 'scipy', 'statsmodels', 'matplotlib') "
        "if m in sys.modules]; print(heavy);"
        "import escalation.cli; print([m for m in ('pandas', 'scipy') if m in sys.modules]);"
        "import escalation.linking.chains, escalation.linking.episodes, escalation.stats.counts;"
        "print(callable(escalation.chains), callable(escalation.episodes), callable(escalation.counts),"
        " escalation.chains.__module__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["[]", "[]", "True True True escalation.linking.chains"]
    for name in esc.__all__:
        assert getattr(esc, name) is not None
    assert sorted(set(esc._WHERE) | {"datasets", "plotting", "DataError", "EscalationError", "UsageError",
                                     "__version__"}) == sorted(esc.__all__)  # fmt: skip


def test_moved_module_paths_still_import_with_a_deprecation_warning():
    """``escalation.schema``, ``.sides``, ``.ladder`` and ``.incidents`` moved into ``escalation.events`` (0.2):
    the old paths give the same module, under its own name, and a warning that names the new path and the
    line that imported it."""
    import subprocess
    import sys

    code = (
        "import warnings, sys; warnings.simplefilter('always');"
        "import escalation.schema as old; from escalation.events import schema as new;"
        "print(old is new, old.__name__, old.__spec__.name);"
        "from escalation.ladder import Ladder; import escalation; print(Ladder is escalation.Ladder);"
        "escalation.incidents; import escalation.events.table"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["True escalation.events.schema escalation.events.schema", "True"]
    warned = [line for line in done.stderr.splitlines() if "DeprecationWarning" in line]
    assert [w.split(": DeprecationWarning: ")[0] for w in warned] == ["<string>:1"] * 3
    assert [w.split(" moved to ")[1].split(";")[0] for w in warned] == [
        "escalation.events.schema", "escalation.events.ladder", "escalation.events.incidents"]  # fmt: skip
