"""The element tree of the frameworks: walks and lookups by id, label or alias, in one place.

Every framework is a tree: its elements (core elements, themes, conditions) each have a
``parent`` in the same framework, and the top ones point to the framework row. This module is
the one home for walking it (below an element, or the whole tree in order) and for finding an
element by what a person types (its id, Dutch or English label, or an alias, in any case).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from evidence_kb.model.cells import cell_text
from evidence_kb.model.errors import UnknownIdError
from evidence_kb.model.hints import did_you_mean

__all__ = ["ElementTree"]


@dataclass(frozen=True)
class _Node:
    element_id: str
    parent: str
    names: tuple[str, ...]  # the labels and aliases


@dataclass
class ElementTree:
    """The parent links and names of a set of elements.

    Build it with :meth:`from_records` (pydantic ``Element`` records) or :meth:`from_frame`
    (the ``kb.elements`` table). Unknown parents and loops are tolerated: a walk never visits
    an element twice.

    Examples
    --------
    >>> tree = ElementTree.from_rows(
    ...     [("liso", "", ["LISO"]), ("liso/s", "liso", ["Synergie", "synergy"])]
    ... )
    >>> tree.lookup("SYNERGY")
    'liso/s'
    >>> tree.descendants("liso")
    ['liso', 'liso/s']
    """

    nodes: dict[str, _Node] = field(default_factory=dict)
    _children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    _by_name: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, Iterable[str]]]) -> ElementTree:
        """A tree of ``(element_id, parent, names)`` rows; the first row of an id wins."""
        tree = cls()
        for element_id, parent, names in rows:
            if not element_id or element_id in tree.nodes:
                continue
            node = _Node(element_id, parent or "", tuple(n.strip() for n in names if n.strip()))
            tree.nodes[element_id] = node
            if node.parent:
                tree._children[node.parent].append(element_id)
            for name in node.names:
                tree._by_name.setdefault(name.casefold(), element_id)
        for element_id in tree.nodes:  # ids win over labels
            tree._by_name[element_id.casefold()] = element_id
        return tree

    @classmethod
    def from_records(cls, records: Iterable[object]) -> ElementTree:
        """A tree of :class:`~evidence_kb.model.records.Element` records (or alike objects)."""
        return cls.from_rows(
            (
                getattr(e, "element_id", None) or "",
                getattr(e, "parent", None) or "",
                _names(getattr(e, "label_nl", ""), getattr(e, "label_en", ""), e),
            )
            for e in records
        )

    @classmethod
    def from_frame(cls, elements: object) -> ElementTree:
        """A tree of an elements table (``kb.elements``: ``element_id``, ``parent``, labels)."""
        rows = elements.to_dict("records")  # type: ignore[attr-defined]
        return cls.from_rows(
            (
                cell_text(row.get("element_id")),
                cell_text(row.get("parent")),
                [
                    cell_text(row.get("label_nl")),
                    cell_text(row.get("label_en")),
                    *cell_text(row.get("aliases")).split(";"),
                ],
            )
            for row in rows
        )

    def lookup(self, name: str) -> str | None:
        """The id of the element with this id, label or alias (any case), or ``None``."""
        return self._by_name.get(name.strip().casefold())

    def find(self, name: str) -> str:
        """Like :meth:`lookup`, but an unknown name is an :class:`UnknownIdError` with a hint."""
        element_id = self.lookup(name)
        if element_id is None:
            hint = did_you_mean(name, sorted(self._by_name))
            msg = f"{name!r} is not an element id, label or alias{hint}"
            raise UnknownIdError(msg)
        return element_id

    def children(self, element_id: str) -> list[str]:
        """The ids of the elements whose parent is ``element_id``, in the order given."""
        return list(self._children.get(element_id, ()))

    def descendants(self, element_id: str) -> list[str]:
        """``element_id`` and everything below it, depth first in the order given."""
        return list(self._walk_down(element_id))

    def depth_first(self) -> list[str]:
        """Every element reached from a top row (no parent), depth first, in the order given."""
        roots = [n.element_id for n in self.nodes.values() if not n.parent]
        seen: set[str] = set()
        out: list[str] = []
        for root in roots:
            out += [e for e in self._walk_down(root) if e not in seen]
            seen.update(out)
        return out

    def _walk_down(self, start: str) -> Iterator[str]:
        seen: set[str] = set()
        stack = [start]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            yield current
            stack.extend(reversed(self._children.get(current, ())))


def _names(label_nl: object, label_en: object, record: object) -> list[str]:
    aliases = getattr(record, "aliases", ()) or ()
    if isinstance(aliases, str):
        aliases = aliases.split(";")
    return [cell_text(label_nl), cell_text(label_en), *(cell_text(a) for a in aliases)]
