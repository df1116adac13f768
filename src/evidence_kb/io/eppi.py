"""EPPI-Reviewer JSON exports in and out: decode, parse, check against the schema, write.

EPPI-Reviewer (EPPI-Centre, UCL) exports a coded review as one JSON document: ``CodeSets`` (each
a tree of codes, ``Attributes.AttributesList`` nested to any depth) and ``References`` (the
items, each with the ``Codes`` applied to it and their coded quotes,
``ItemAttributeFullTextDetails``). EPPI-Mapper draws evidence and gap maps from this file.

The format is described by ``schemas/eppi_reviewer.schema.json`` (JSON Schema 2020-12), induced
from public exports. :func:`read_eppi_json` checks every export against it and reports each
malformed item with its place in the file (``References[3] (ItemId 54780091), Codes[2]``);
:func:`format_eppi` validates the document it writes against the same schema. The mapping to the
knowledge base's records lives in :mod:`evidence_kb.model.eppi`.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kb.io.resources import read_package_text
from evidence_kb.io.text import check_size, write_text
from evidence_kb.model.eppi import CARRY
from evidence_kb.model.eppi_write import eppi_from_records
from evidence_kb.model.errors import EvidenceKBError, InputError, Problem

if TYPE_CHECKING:
    from evidence_kb.model.data import KBData

__all__ = ["eppi_schema", "format_eppi", "read_eppi_json", "without_carried", "write_eppi"]

MAX_BYTES = 500_000_000  # whole reviews with abstracts and quotes run to tens of MB


@cache
def eppi_schema() -> dict[str, Any]:
    """The JSON Schema of an EPPI-Reviewer JSON export (a dict; see the module docstring).

    Examples
    --------
    >>> sorted(eppi_schema()["required"])
    ['CodeSets', 'References']
    """
    schema: dict[str, Any] = json.loads(
        read_package_text("evidence_kb.io", "schemas/eppi_reviewer.schema.json")
    )
    return schema


@cache
def _validator() -> Any:
    """A validator of :func:`eppi_schema` with its definitions written in place, but for the
    code tree, which refers to itself: following a ``$ref`` at every field of every item makes
    checking a large export several times slower.
    """
    import jsonschema

    schema = eppi_schema()
    recursive = {"attributes", "attribute"}

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            name = str(node.get("$ref", "")).removeprefix("#/$defs/")
            if len(node) == 1 and name in schema["$defs"] and name not in recursive:
                return inline(schema["$defs"][name])
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(value) for value in node]
        return node

    return jsonschema.Draft202012Validator(inline(schema))


def _decode(data: bytes, name: str) -> str:
    """The text of an export: UTF-8 (a byte-order mark dropped).

    Some exports hold characters outside the Basic Multilingual Plane as two separately encoded
    UTF-16 surrogates (CESU-8, e.g. a mathematical italic letter pasted from a PDF); those pairs
    are joined back into the character they stand for.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        first = err
    try:
        text = data.decode("utf-8-sig", errors="surrogatepass")
        return text.encode("utf-16", errors="surrogatepass").decode("utf-16")
    except UnicodeError:
        line = data.count(b"\n", 0, first.start) + 1
        msg = (
            f"byte {first.start} ({data[first.start : first.start + 1]!r}) is not UTF-8; "
            "EPPI-Reviewer writes UTF-8: export the file again, or save it as UTF-8"
        )
        raise InputError([Problem(name, line, None, None, msg)]) from None


def read_eppi_json(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read an EPPI-Reviewer JSON export and check it against :func:`eppi_schema`.

    Raises
    ------
    InputError
        When the file is missing, not JSON (with the line and column), not an EPPI-Reviewer
        export, or when items break the schema: every problem is listed with the item (its
        index and ``ItemId`` or ``AttributeId``) and the field.
    """
    path = Path(path)
    check_size(path, MAX_BYTES, advice="split the export into several code sets")
    text = _decode(path.read_bytes(), path.name)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        problem = Problem(
            path.name, err.lineno, None, None, f"not JSON: {err.msg} (column {err.colno})"
        )
        raise InputError([problem]) from None
    problems = schema_problems(doc, path.name)
    if problems:
        raise InputError(problems)
    result: dict[str, Any] = doc
    return result


def schema_problems(doc: Any, name: str) -> list[Problem]:
    """Every place where ``doc`` breaks the EPPI-Reviewer schema, as problems of file ``name``."""
    if not isinstance(doc, dict) or not {"CodeSets", "References"} & set(doc):
        msg = (
            "not an EPPI-Reviewer JSON export: expected an object with 'CodeSets' and "
            "'References' (EPPI-Reviewer: Reports > coding report > JSON, or EPPI-Mapper's file)"
        )
        return [Problem(name, None, None, None, msg)]
    validator = _validator()
    if validator.is_valid(doc):  # the common case, and twice as fast as listing no errors
        return []
    problems = []
    for error in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        where, field = _place(doc, list(error.absolute_path))
        problems.append(
            Problem(name, None, field or None, _short(error.instance), f"{where}: {error.message}")
        )
    return problems


def _place(doc: Any, path: list[str | int]) -> tuple[str, str]:
    """The item a schema error is in (``References[3] (ItemId 54780091)``) and the field path."""
    parts: list[str] = []
    node = doc
    item = ""
    for step in path:
        node = node[step] if isinstance(node, dict | list) else None  # type: ignore[index]
        if isinstance(step, int):
            parts[-1] += f"[{step}]"
            ident = _identity(node)
            if ident and parts[0].startswith(("References", "CodeSets")) and len(parts) <= 1:
                item = f"{parts[-1]} ({ident})"
        else:
            parts.append(step)
    where = item or (parts[0] if parts else "the document")
    field = ".".join(parts[1:]) if item else ".".join(parts)
    return where, field


def _identity(node: Any) -> str:
    if isinstance(node, dict):
        for key in ("ItemId", "SetId", "AttributeId"):
            if key in node:
                return f"{key} {node[key]}"
    return ""


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:77] + "..."


def format_eppi(kb: KBData, *, carry: bool = True) -> str:
    """The knowledge base as the text of an EPPI-Reviewer JSON export (checked by the schema).

    See :func:`evidence_kb.model.eppi.eppi_from_records` for what goes where, and
    :func:`write_eppi` for ``carry``.
    """
    doc = eppi_from_records(kb)
    if not carry:
        doc = without_carried(doc)
    problems = schema_problems(doc, "eppi.json")
    if problems:  # a bug of the writer, never of the user's data
        msg = "the EPPI-Reviewer export breaks its schema: " + "; ".join(map(str, problems[:5]))
        raise EvidenceKBError(msg)
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def without_carried(node: Any) -> Any:
    """``node`` without the ``EvidenceKB`` records the writer adds to each object."""
    if isinstance(node, dict):
        return {key: without_carried(value) for key, value in node.items() if key != CARRY}
    if isinstance(node, list):
        return [without_carried(value) for value in node]
    return node


def write_eppi(kb: KBData, path: str | os.PathLike[str], *, carry: bool = True) -> Path:
    """Write the knowledge base as an EPPI-Reviewer JSON export that EPPI-Mapper can open.

    Frameworks become code sets, findings coded quotes on their references, reviews and the
    findings' kinds, directions and other charting fields codes of an ``evidence_kb charting``
    code set. ``ekb.read_eppi`` reads the file back into the same knowledge base.

    Parameters
    ----------
    kb
        The knowledge base (``ekb.load()``, ``ekb.read_eppi()``).
    path
        The ``.json`` file to write.
    carry
        Keep each object's own record under the key ``EvidenceKB`` (the default), so that the
        file reads back as the same knowledge base. With ``False`` the file holds EPPI's fields
        only; read back, it is a plain EPPI export (the ``evidence_kb charting`` code set
        becomes a framework and its codes on the references findings; the findings lose their
        ids, kinds and directions).

    Examples
    --------
    >>> import evidence_kb as ekb, tempfile, pathlib
    >>> out = ekb.write_eppi(ekb.load(), pathlib.Path(tempfile.mkdtemp()) / "review.json")
    >>> len(ekb.read_eppi(out).finding_records)
    307
    """
    path = Path(path)
    write_text(path, format_eppi(kb, carry=carry))
    return path
