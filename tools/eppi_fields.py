"""List the fields of EPPI-Reviewer JSON exports, to induce and check the schema.

For each kind of object (code set, code, reference, code assignment, coded quote, outcome) it
prints every field met, the JSON types of its values and in how many objects it occurs, and
marks fields the schema (``src/evidence_kb/io/schemas/eppi_reviewer.schema.json``) does not
describe, or describes with other types. The schema was written from this listing over the
exports in ``tests/data/eppi/`` and the whole files they were trimmed from; run it on a new
export before widening the schema:

    python tools/eppi_fields.py tests/data/eppi/*.json my_export.json
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from evidence_kb.io.eppi import eppi_schema

_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer"}
_TYPES.update({float: "number", type(None): "null"})
# object kind -> the schema definition that describes it
_DEFS = {
    "code set": "codeSet",
    "code": "attribute",
    "reference": "reference",
    "code assignment": "code",
    "coded quote": "quote",
}


def _objects(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def codes(node: dict[str, Any]) -> None:
        for code in (node.get("Attributes") or {}).get("AttributesList") or []:
            found["code"].append(code)
            codes(code)

    for code_set in doc.get("CodeSets") or []:
        found["code set"].append(code_set)
        codes(code_set)
    for item in doc.get("References") or []:
        found["reference"].append(item)
        for code in item.get("Codes") or []:
            found["code assignment"].append(code)
            found["coded quote"] += code.get("ItemAttributeFullTextDetails") or []
        found["outcome"] += item.get("Outcomes") or []
    return found


def _schema_types(definition: dict[str, Any], schema: dict[str, Any]) -> set[str] | None:
    if "$ref" in definition:
        definition = schema["$defs"][definition["$ref"].rsplit("/", 1)[1]]
    kind = definition.get("type")
    if kind is None:
        return None
    return {kind} if isinstance(kind, str) else set(kind)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    schema = eppi_schema()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    types: dict[tuple[str, str], set[str]] = defaultdict(set)
    totals: Counter[str] = Counter()
    for path in args.files:
        doc = json.loads(path.read_text(encoding="utf-8-sig", errors="surrogatepass"))
        for kind, objects in _objects(doc).items():
            totals[kind] += len(objects)
            for obj in objects:
                for name, value in obj.items():
                    counts[kind][name] += 1
                    types[kind, name].add(_TYPES.get(type(value), type(value).__name__))
    for kind, fields in counts.items():
        known = schema["$defs"].get(_DEFS.get(kind, ""), {}).get("properties", {})
        print(f"\n{kind}: {totals[kind]} objects")
        for name, n in sorted(fields.items()):
            seen = types[kind, name]
            expected = _schema_types(known[name], schema) if name in known else None
            mark = ""
            if kind in _DEFS and name not in known:
                mark = "  <- not in the schema"
            elif expected is not None and not seen <= expected:
                mark = f"  <- schema allows {sorted(expected)}"
            print(f"  {name:32} {n:6} of {totals[kind]:<6} {'/'.join(sorted(seen))}{mark}")


if __name__ == "__main__":
    main()
