"""The shape of the package: imports run down the pipeline, and only io/ touches files.

The layers, from the bottom: ``model``, ``io``, ``citations``, ``graph``, ``publish``, then
``kb`` (with ``living``, beside it) and ``cli`` (and the package's ``__init__``, which re-exports the public names). A module
may import its own layer and the layers below it, never one above, and no import, whether at
the top of a module or inside a function, may close a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "evidence_kb"

# private helpers of the root (no imports of the package's own layers) sit below everything
LAYERS = {
    "base": 0,
    "model": 1,
    "io": 2,
    "citations": 3,
    "graph": 4,
    "publish": 5,
    "kb": 6,
    "living": 6,  # diff, update, merge, agreement: they load knowledge bases, as kb does
    "cli": 7,
    "api": 8,
}
BASE = {"_gc", "_lazy", "_deprecated", "_version", "_workers"}

# calls that open, read, write, list or remove files and directories
FILE_METHODS = {
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "iterdir",
    "glob",
    "rglob",
    "mkdir",
    "unlink",
    "rmdir",
    "touch",
    "read_csv",
    "read_excel",
    "read_json",
    "to_excel",
    "savefig",
    "load_workbook",
}
FILE_FUNCTIONS = {"open"}
FILE_MODULES = {"shutil", "tempfile"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "api"
    head = parts[1]
    if head in BASE:
        return "base"
    if head == "__main__":
        return "cli"
    return head


def _imports(module: str) -> list[tuple[str, int]]:
    """Every module of the package that ``module`` imports, anywhere in it, with the line."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names = [f"{base}.{a.name}" for a in node.names]
            targets = [n if n in MODULES else base for n in names]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            continue
        found += [(t, node.lineno) for t in targets if t in MODULES and t != module]
    return found


def _import_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    for module in MODULES:
        G.add_node(module)
        for target, line in _imports(module):
            G.add_edge(module, target, line=line)
    return G


def test_the_layers_are_the_packages_of_the_pipeline():
    assert {_layer(m) for m in MODULES} <= set(LAYERS), "a module outside the known layers"


def test_no_import_cycle():
    cycles = [sorted(c) for c in nx.strongly_connected_components(_import_graph()) if len(c) > 1]
    assert cycles == []


def test_every_import_points_down_the_pipeline():
    upward = [
        f"{a} (line {data['line']}) imports {b}"
        for a, b, data in _import_graph().edges(data=True)
        if LAYERS[_layer(b)] > LAYERS[_layer(a)]
    ]
    assert upward == []


def _file_calls(path: Path) -> list[str]:
    """The calls in a module that open, read, write, list or remove files."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    buffers = _memory_buffers(tree)
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in FILE_FUNCTIONS:
            calls.append(f"{path.name}:{node.lineno} {func.id}()")
        elif isinstance(func, ast.Attribute):
            owner = func.value.id if isinstance(func.value, ast.Name) else ""
            target = node.args[0] if node.args else None
            in_memory = isinstance(target, ast.Name) and target.id in buffers
            if owner in FILE_MODULES or (func.attr in FILE_METHODS and not in_memory):
                calls.append(f"{path.name}:{node.lineno} .{func.attr}()")
            elif func.attr == "to_csv" and target is not None and not in_memory:
                calls.append(f"{path.name}:{node.lineno} .to_csv(path)")
    return calls


def _memory_buffers(tree: ast.AST) -> set[str]:
    """Names bound to ``io.BytesIO()`` or ``io.StringIO()``: writing to them is not file access."""
    return {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and getattr(node.value.func, "attr", "") in ("BytesIO", "StringIO")
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def test_only_io_touches_files():
    outside = [
        call
        for module, path in MODULES.items()
        if _layer(module) != "io"
        for call in _file_calls(path)
    ]
    assert outside == []


def test_the_scan_finds_file_access():
    """The scan above is not blind: it sees every kind of call it looks for."""
    sample = PACKAGE / "io" / "text.py"
    assert _file_calls(sample), "io/text.py reads and writes files, the scan must see it"


@pytest.mark.parametrize("package", ["evidence_kb", "evidence_kb.graph", "evidence_kb.publish"])
def test_lazy_exports_agree_with_the_type_checking_imports(package):
    """``__all__`` comes from ``_EXPORTS``; the TYPE_CHECKING block imports the same names from
    the same modules, so type checkers and IDEs see what users get."""
    tree = ast.parse(MODULES[package].read_text(encoding="utf-8"))
    exports = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and getattr(node.targets[0] if isinstance(node, ast.Assign) else node.target, "id", "")
        == "_EXPORTS"
    )
    guarded = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
    )
    imported = {
        alias.asname or alias.name: node.module
        for node in ast.walk(guarded)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert imported == exports
    module = __import__(package, fromlist=["__all__"])
    assert set(module.__all__) - {"__version__"} == set(exports)
    for name in exports:
        assert getattr(module, name) is not None


def test_functions_stay_short_enough_to_read():
    """At most ten functions over 60 lines (docstring included) in the whole package."""
    long = [
        f"{path.name}:{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for path in MODULES.values()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > 60
    ]
    assert len(long) <= 10, long
