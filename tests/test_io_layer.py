"""io/ is the only layer that touches files; model, io and citations import only downwards."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pandas as pd
import pytest

import evidence_kb as ekb
from evidence_kb.citations.dedupe import record_decisions
from evidence_kb.io import bibtex as bibtex_module
from evidence_kb.io import kbdir as kbdir_module
from evidence_kb.io import sources as sources_module
from evidence_kb.io.sources import read_sources
from evidence_kb.publish.report import render_report

PACKAGE = Path(ekb.__file__).parent
REPO_DATA = Path(__file__).resolve().parents[1] / "data"

# calls that open, read, write, list or create files and directories
_FILE_METHODS = {
    "read_text",
    "write_text",
    "read_bytes",
    "write_bytes",
    "iterdir",
    "glob",
    "rglob",
    "mkdir",
    "touch",
    "unlink",
    "rmdir",
    "open",
    "read_csv",
    "read_excel",
    "read_json",
    "load_workbook",
}
_FILE_FUNCTIONS = {"open", "FileSystemLoader", "load_workbook"}
_LAYERS = ["model", "io", "citations", "graph", "publish"]


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _file_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _FILE_METHODS:
            found.append(f"line {node.lineno}: .{func.attr}()")
        elif isinstance(func, ast.Attribute) and func.attr == "files":  # importlib.resources
            found.append(f"line {node.lineno}: resources.files()")
        elif isinstance(func, ast.Name) and func.id in _FILE_FUNCTIONS:
            found.append(f"line {node.lineno}: {func.id}()")
    return found


def test_only_io_touches_files():
    offenders = {
        name: calls
        for name, path in _modules().items()
        if not name.startswith("evidence_kb.io") and (calls := _file_calls(path))
    }
    assert offenders == {}


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package modules ``name`` imports, function-local and type-checking imports included."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                if path.name != "__init__.py":
                    base = base[:-1]
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                out.add(candidate if candidate in modules else module)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return {m for m in out if m in modules}


# the root's private helpers import nothing of the package: below every layer (test_structure)
_BASE = {"_gc", "_lazy", "_deprecated", "_version", "_workers"}


def _layer(name: str) -> int:
    parts = name.split(".")
    if len(parts) > 1 and parts[1] in _BASE:
        return -1
    return _LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in _LAYERS else len(_LAYERS)


@pytest.mark.parametrize("layer", ["model", "io", "citations"])
def test_lower_layers_import_only_downwards(layer):
    modules = _modules()
    upward = sorted(
        (name, target)
        for name, path in modules.items()
        if name.startswith(f"evidence_kb.{layer}")
        for target in _imports(name, path, modules)
        if _layer(target) > _layer(name)
    )
    assert upward == []


def test_io_has_no_import_cycle():
    modules = _modules()
    io = {n: _imports(n, p, modules) for n, p in modules.items() if n.startswith("evidence_kb.io")}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), list(io.get(start, ()))
        while todo:
            name = todo.pop()
            if name == goal:
                return True
            if name not in seen:
                seen.add(name)
                todo.extend(io.get(name, ()))
        return False

    assert sorted(n for n in io if n != "evidence_kb.io" and reaches(n, n)) == []


# -- the decisions file ---------------------------------------------------------------------


def test_decisions_file_write_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "decisions.csv"
    record_decisions(pd.DataFrame({"id_a": ["a"], "id_b": ["b"], "verdict": ["same"]}), path)
    before = path.read_text(encoding="utf-8")

    def fail(self, target):
        raise OSError("disk full")

    monkeypatch.setattr(Path, "replace", fail)  # the rename into place fails
    with pytest.raises(OSError, match="disk full"):
        record_decisions(
            pd.DataFrame({"id_a": ["c"], "id_b": ["d"], "verdict": ["different"]}), path
        )
    assert path.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["decisions.csv"]  # no temporary left


# -- sources/ parsed once -------------------------------------------------------------------


@pytest.fixture
def counted_parses(monkeypatch):
    calls: list[int] = []
    original = sources_module.parse_reference_entries

    def counting(text, *, first_line=1):
        calls.append(first_line)
        return original(text, first_line=first_line)

    monkeypatch.setattr(sources_module, "parse_reference_entries", counting)
    return calls


def test_sources_are_parsed_once_per_load(tmp_path, counted_parses):
    shutil.copytree(REPO_DATA, tmp_path / "kb")
    manifest = read_sources(tmp_path / "kb" / "sources").manifest
    counted_parses.clear()
    ekb.load(tmp_path / "kb")
    assert len(counted_parses) == len(manifest.rows)  # each printed list once


def test_report_uses_the_loaded_sources(monkeypatch, counted_parses):
    bundled_kb = ekb.load()
    assert bundled_kb.sources is not None  # read at load
    counted_parses.clear()

    def no_reading(*args, **kwargs):
        raise AssertionError("the report read sources/ again")

    monkeypatch.setattr(sources_module, "read_text", no_reading)
    monkeypatch.setattr(sources_module, "read_csv_rows", no_reading)
    page = render_report(bundled_kb)
    assert counted_parses == []
    assert "ref-liso-bronnen-txt" in page  # the printed lists are on the page


def test_sources_reader_reports_what_it_cannot_read(tmp_path):
    (tmp_path / "manifest.csv").write_text(
        "file,seed,seed_file,first_line,label,style,review\n"
        "here.txt,001,x.txt,5,Here,apa,\n"
        "gone.txt,002,y.txt,1,Gone,apa,\n",
        encoding="utf-8",
    )
    (tmp_path / "here.txt").write_text("Tosun, J. (2017). T. J, 1(2), 3-4.\n", encoding="utf-8")
    sources = read_sources(tmp_path)
    assert [printed.file for printed in sources.lists] == ["here.txt"]
    assert sources.entries_by_label()["Here"][5].authors == ["Tosun, J."]
    assert [name for name, _ in sources.errors] == ["gone.txt"]
    with pytest.raises(ekb.InputError, match="file not found"):
        sources.raise_errors()


def test_read_references_result_carries_its_problems(tmp_path):
    path = tmp_path / "refs.ris"
    path.write_text("TY  - JOUR\nTI  - A\nDO  - not a doi\nER  - \n", encoding="utf-8")
    refs = ekb.read_references(path)
    assert [p.column for p in refs.problems] == ["doi"]
    assert refs.formats == {"refs.ris": "ris"}
    assert type(refs[["title"]]) is pd.DataFrame  # a derived frame makes no claim on problems


@pytest.mark.parametrize("kb_dir", ["bundled", "mini"])
def test_a_load_looks_for_sources_once(monkeypatch, kb_dir):
    """read_kb_dir reads sources/ (or finds there is none) once; the .bib checks take that."""
    data_dir = REPO_DATA if kb_dir == "bundled" else Path(__file__).parent / "data" / "mini"
    calls = []
    real = sources_module.read_kb_sources

    def counted(path):
        calls.append(path)
        return real(path)

    def no_second_look(*args, **kwargs):
        raise AssertionError("sources/ looked for again")

    monkeypatch.setattr(kbdir_module, "read_kb_sources", counted)
    monkeypatch.setattr(bibtex_module, "read_sources_beside", no_second_look)
    monkeypatch.setattr(bibtex_module, "read_sources", no_second_look)
    kb = ekb.load(data_dir)
    assert len(calls) == 1
    assert (kb.sources is None) == (kb_dir == "mini")
