"""The :class:`KnowledgeBase` facade and :func:`load`, the one straight load path.

Loading runs each layer once, from the bottom up, and never climbs back::

    io.kbdir.read_kb_dir      every file of the directory, read once (rows, references)
    model.validate_kb         every row and link checked; the valid records kept  -> KBData
    citations.link            every finding's citation resolved                   -> KBData
    graph.build               the evidence graph, on first use of ``kb.graph``

:class:`KnowledgeBase` is the frozen :class:`~evidence_kb.model.data.KBData` with the query and
table methods on top: each is one call into graph or publish, which take the data (or the
graph), never the facade.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from evidence_kb._gc import gc_paused
from evidence_kb.citations.link import link_citations
from evidence_kb.citations.resolve import CitationIndex, resolutions_frame
from evidence_kb.graph.build import build_graph
from evidence_kb.graph.export import write_graph
from evidence_kb.graph.queries import (
    compare,
    concept_table,
    evidence,
    gap_map,
    gaps,
    overlaps,
    shared_references,
)
from evidence_kb.graph.queries.charting import charting_of
from evidence_kb.io.kbdir import bundled_data_dir, open_kb_dir
from evidence_kb.model.data import KBData
from evidence_kb.model.errors import InputError, UnknownIdError
from evidence_kb.model.records import Element
from evidence_kb.model.tree import ElementTree
from evidence_kb.model.validate import shared_aliases
from evidence_kb.model.validate_kb import error_summary, validate_files
from evidence_kb.model.vocab import CONCEPTS_FILE, CROSSWALK_FILE
from evidence_kb.publish.layout import Language
from evidence_kb.publish.tables import EvidenceTable, evidence_table, table_layout, table_names

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = ["KnowledgeBase", "bundled_data_dir", "load", "read_eppi"]


@dataclass(frozen=True, eq=False)
class KnowledgeBase(KBData):
    """Findings, references, frameworks and reviews of one knowledge base, validated.

    Create it with :func:`evidence_kb.load`. The tables are pandas DataFrames sorted by id
    (``findings``, ``elements``, ``reviews``, ``references``, ``citations``, ``problems``);
    the validated records are kept as pydantic models in ``finding_records`` and friends.
    """

    @cached_property
    def _citation_index(self) -> CitationIndex:
        return CitationIndex(self.reference_records)

    def resolve(self, text: str, *, review: str | None = None) -> pd.DataFrame:
        """Resolve a citation string against the bibliography.

        Parameters
        ----------
        text
            A citation as printed: ``"Tee ea, 2021"``, ``"Kearney ea, 2012 Tosun, 2017"``, or
            superscript numbers such as ``"2,11"`` (which need ``review``).
        review
            The review whose numbered literature list superscript numbers point into.

        Returns
        -------
        pandas.DataFrame
            One row per citation: ``citation``, ``authors``, ``year``, ``number``, ``key``,
            ``score`` (0-1), ``status`` and ``notes`` (year off by one, misspelt author,
            ambiguous keys, not found).

        Examples
        --------
        >>> kb = ekb.load()
        >>> kb.resolve("Tee ea, 2021")[["key", "status"]].values.tolist()
        [['tee2021', 'resolved']]
        >>> kb.resolve("Haneberg & Aaboen, 2021")[["key", "notes"]].values.tolist()
        [['haneberg2022', 'year printed 2021, reference has 2022']]
        """
        return resolutions_frame(self._citation_index.resolve(text, review=review))

    # -- lookups ------------------------------------------------------------------------------
    @cached_property
    def _tree(self) -> ElementTree:
        return ElementTree.from_records(self.element_records)

    def element(self, name: str) -> Element:
        """Return the element with this id, Dutch or English label, or alias (any case).

        Raises
        ------
        UnknownIdError
            If nothing matches (the message suggests the closest names), or ``name`` is only an
            alias, of several elements (the message lists them).
        """
        element_id = self._tree.find(name)
        owners = shared_aliases(self.element_records).get(name.strip().casefold())
        if owners and element_id in owners and element_id.casefold() != name.strip().casefold():
            labels = {
                n.casefold() for e in self.element_records for n in (e.label_nl, e.label_en) if n
            }
            if name.strip().casefold() not in labels:
                msg = (
                    f"{name!r} is an alias of {len(owners)} elements: {', '.join(owners)}; "
                    "use an element id (and keep the alias on one element in frameworks.csv)"
                )
                raise UnknownIdError(msg)
        return next(e for e in self.element_records if e.element_id == element_id)

    # -- the evidence graph and its queries ----------------------------------------------------
    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The typed evidence graph (built once): frameworks, elements, concepts, findings,
        references and reviews; see :func:`evidence_kb.graph.build_graph` for the schema."""
        return build_graph(self)

    @property
    def studies(self) -> pd.DataFrame:
        """The charted sources of ``studies.csv``: ``reference`` (its key), one column per field
        of ``charting.csv`` and ``line``; empty (``reference`` only) without charting.

        Examples
        --------
        >>> ekb.load().studies.columns.tolist()
        ['reference']
        """
        import pandas as pd

        if self.charting is None:
            return pd.DataFrame(columns=["reference"])
        return self.charting.studies

    @cached_property
    def concepts(self) -> pd.DataFrame:
        """The concept vocabulary (``concepts.csv``) with how many findings each concept tags.

        Empty when the knowledge base directory has no ``concepts.csv``.
        """
        return concept_table(self.graph)

    def evidence(
        self, x: str, *, crosswalk: bool = True, where: Mapping[str, object] | None = None
    ) -> pd.DataFrame:
        """All findings for an element, theme, condition or concept (id, label or alias).

        ``where`` keeps the findings citing a charted study with those values (``studies.csv``),
        e.g. ``where={"design": "RCT"}``.

        Examples
        --------
        >>> kb = ekb.load()
        >>> found = kb.evidence("Synergie")
        >>> sorted(set(found["review"]))
        ['pps-2023', 'werk-inkomen-2023']
        """
        charting = charting_of(self) if where else self.charting  # without one: how to add it
        return evidence(self.graph, x, crosswalk=crosswalk, where=where, charting=charting)

    def overlaps(
        self, a: str, b: str, *, min_strength: float = 0.0, max_findings: int = 20
    ) -> pd.DataFrame:
        """Pairs of elements of frameworks ``a`` and ``b`` that share concepts, references or a
        stated crosswalk link, with a strength score and the findings behind each pair."""
        return overlaps(self.graph, a, b, min_strength=min_strength, max_findings=max_findings)

    def gaps(self, *, frameworks: tuple[str, str] | None = None) -> pd.DataFrame:
        """The evidence gaps, one row each, with their type (see :func:`evidence_kb.graph.gaps`)."""
        return gaps(self, frameworks=frameworks)  # its graph, and its related.csv

    def gap_map(
        self,
        rows: str = "element",
        cols: str = "review",
        split_direction: bool = False,
        *,
        framework: str | None = None,
        by: str | None = None,
    ) -> pd.DataFrame:
        """An evidence gap map: the number of findings per ``rows`` x ``cols`` cell.

        ``by`` names a charting field (``"country"``, ``"design"``): its values are the columns.
        """
        return gap_map(
            self.graph,
            rows,
            cols,
            split_direction,
            framework=framework,
            by=by,
            charting=charting_of(self) if by else self.charting,  # without one: how to add it
        )

    def compare(self, review_a: str, review_b: str) -> pd.DataFrame:
        """Per element, what one review found that the other did not."""
        return compare(self.graph, review_a, review_b)

    def shared_references(self) -> pd.DataFrame:
        """References that support findings in more than one review or framework."""
        return shared_references(self.graph)

    def write_graph(self, path: str | os.PathLike[str], *, format: str | None = None) -> Path:
        """Write the graph as GraphML, GEXF or node-link JSON (by ``format`` or the extension)."""
        return write_graph(self.graph, path, format=format)

    # -- published tables ---------------------------------------------------------------------
    def table(
        self,
        name: str | None = None,
        *,
        review: str | None = None,
        language: Language | None = None,
    ) -> pd.DataFrame:
        """Return a table this knowledge base can publish, by name or by review.

        ``name`` is one of :meth:`table_names` (the bundled printed tables, regenerated from the
        data, and a table per review without a printed layout, named after the review);
        ``review=`` gives that review's table: for a team's own review, its findings per
        element and theme in the columns promoting, hindering and "Overig" (no direction).
        A cell printed across several columns ("Geen relevante informatie gevonden") is written
        once, in a column of its own (see :meth:`~evidence_kb.publish.layout.Layout.to_frame`).
        ``language`` (``"nl"``, ``"en"``) defaults to the review's ``language`` in
        ``reviews.csv``, else Dutch. See :func:`evidence_kb.publish.tables.table_layout`.

        Examples
        --------
        >>> ekb.load().table("pps-2023").columns.tolist()  # doctest: +NORMALIZE_WHITESPACE
        ['Kernelement', 'Thema', 'Bevorderend werkt', 'Belemmerend werkt',
         'Bevorderende en belemmerende factoren']
        >>> ekb.load().table(review="learning-communities").columns.tolist()[2:5]
        ['Bevorderend werkt', 'Belemmerend werkt', 'Overig']
        """
        return table_layout(self, name, review=review, language=language).to_frame()

    def table_names(self, *, review: str | None = None) -> tuple[str, ...]:
        """Return the names of the tables this knowledge base can publish (:meth:`table`)."""
        return table_names(self, review=review)

    def evidence_table(
        self,
        *,
        element: str | None = None,
        concept: str | None = None,
        review: str | None = None,
        direction: str | None = None,
        citations: Literal["author-year", "numbered"] = "author-year",
        language: Language | None = None,
    ) -> EvidenceTable:
        """Evidence for any selection in the factsheet layout, with its APA reference list.

        See :func:`evidence_kb.publish.tables.evidence_table`.
        """
        return evidence_table(
            self,
            element=element,
            concept=concept,
            review=review,
            direction=direction,
            citations=citations,
            language=language,
        )

    # -- display ------------------------------------------------------------------------------
    def summary(self, *, extra_warnings: int = 0) -> str:
        """Return a few lines that say what is in the knowledge base.

        ``extra_warnings`` are counted with the warnings (``validate``'s citation warnings).
        """
        n_err = len(self.errors)
        n_warn = len(self.problem_list) - n_err + extra_warnings
        frameworks = sorted({e.framework for e in self.element_records})
        reviews = [r.review_id for r in self.review_records]
        lines = [
            f"Knowledge base in {self.data_dir}",
            f"  files:      {', '.join(self.files) or '(none)'}",
            f"  reviews:    {len(self.review_records)} ({', '.join(reviews)})",
            f"  findings:   {len(self.finding_records)}",
            f"  references: {len(self.reference_records)}",
            f"  elements:   {len(self.element_records)} in {len(frameworks)} frameworks "
            f"({', '.join(frameworks)})",
            f"  concepts:   {self._optional_summary(self.concept_table, CONCEPTS_FILE)}",
            f"  crosswalk:  {self._optional_summary(self.crosswalk_table, CROSSWALK_FILE)}",
            *(
                [
                    f"  charting:   {len(self.charting.fields)} fields (charting.csv), "
                    f"{len(self.charting.studies)} studies (studies.csv)"
                ]
                if self.charting is not None
                else []
            ),
            f"  problems:   {n_err} errors, {n_warn} warnings",
        ]
        return "\n".join(lines)

    def _optional_summary(self, table: pd.DataFrame | None, name: str) -> str:
        if table is not None:
            what = "concepts" if name == CONCEPTS_FILE else "links"
            extra = ""
            if name == CONCEPTS_FILE and self.concept_tag_table is not None:
                extra = f", {len(self.concept_tag_table)} hand corrections (concept_tags.csv)"
            return f"{len(table)} {what} ({name}){extra}"
        if name == CONCEPTS_FILE:
            return (
                f"none: no {name} in this directory, so findings are not tagged with concepts "
                f"(optional; `evidence-kb init {self.data_dir} --with-concepts` adds the "
                "bundled vocabulary)"
            )
        return f"none: no {name} in this directory (optional)"

    def _repr_html_(self) -> str:
        """Show the knowledge base in Jupyter: one row per review, then the totals."""
        from html import escape

        counts = self.findings.groupby("review").size()
        kinds = self.findings.groupby(["review", "kind"]).size()
        rows = []
        for review in self.review_records:
            per_kind = ", ".join(
                f"{n} {kind.replace('_', ' ')}"
                for (r, kind), n in kinds.items()
                if r == review.review_id
            )
            rows.append(
                f"<tr><td><b>{escape(review.review_id)}</b></td><td>{escape(review.title)}</td>"
                f"<td style='text-align:right'>{counts.get(review.review_id, 0)}</td>"
                f"<td>{escape(per_kind)}</td></tr>"
            )
        n_err = len(self.errors)
        frameworks = ", ".join(sorted({e.framework for e in self.element_records}))
        status = self.citations["status"].value_counts()
        return (
            "<div><p><b>Knowledge base</b> "
            f"<code>{escape(str(self.data_dir))}</code></p>"
            "<table><thead><tr><th>review</th><th>title</th><th>findings</th><th>by kind</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p>{len(self.reference_records)} references; {len(self.element_records)} elements in "
            f"{escape(frameworks)}; citations: {status.get('resolved', 0)} resolved, "
            f"{status.get('corrected', 0)} corrected, {status.get('ambiguous', 0)} ambiguous, "
            f"{status.get('unresolved', 0)} unresolved; "
            f"{n_err} errors, {len(self.problem_list) - n_err} warnings.</p></div>"
        )

    def __repr__(self) -> str:
        n_err = len(self.errors)
        return (
            f"<KnowledgeBase: {len(self.review_records)} reviews, "
            f"{len(self.finding_records)} findings, "
            f"{len(self.reference_records)} references, {len(self.element_records)} elements, "
            f"{n_err} errors, {len(self.problem_list) - n_err} warnings>"
        )


def load(
    path: str | os.PathLike[str] | None = None,
    *,
    strict: bool = True,
    encoding: str | None = None,
) -> KnowledgeBase:
    """Load and validate a knowledge base directory.

    Parameters
    ----------
    path
        A directory with ``frameworks.csv``, ``reviews.csv`` and ``findings.csv`` (or
        ``findings.xlsx``), and optionally one reference file (``references.bib``,
        ``references.ris`` or ``references.json``), ``concepts.csv``, ``concept_tags.csv`` and
        ``crosswalk.csv``: see :mod:`evidence_kb.io.kbdir`. An optional file that the directory
        does not have is absent (the bundled one never fills in). By default the knowledge base
        bundled with the package.
    strict
        If true (the default), raise :class:`~evidence_kb.InputError` listing every error. If
        false, load the valid records and keep the problems in ``kb.problems``.
    encoding
        The encoding of the directory's text files when not UTF-8: ``"cp1252"`` for files
        saved by Excel or Word on Windows (``--encoding cp1252`` on the command line).

    Returns
    -------
    KnowledgeBase

    Raises
    ------
    InputError
        If ``path`` is not a directory, and in strict mode when any file has an error (or a
        required file is missing): every problem of every file is listed with file and line.

    Examples
    --------
    >>> kb = load()
    >>> kb.errors
    []
    """
    data_dir = Path(path) if path is not None else bundled_data_dir()
    return knowledge_base(stored_data(data_dir, strict=strict, encoding=encoding))


def stored_data(
    path: str | os.PathLike[str], *, strict: bool = True, encoding: str | None = None
) -> KBData:
    """The first half of :func:`load`: the tables of a directory as its files hold them, every
    row checked, citations not yet resolved (what :func:`evidence_kb.diff` compares).

    Raises
    ------
    InputError
        In strict mode, when a file of the directory has an error.
    """
    # many small objects, no cyclic garbage: see evidence_kb._gc; the references may still be
    # read beside the tables while their records are made (io.kbdir.open_kb_dir)
    with gc_paused(promote=True), open_kb_dir(path, encoding=encoding) as files:
        data = validate_files(files)
    if strict and data.errors:
        raise InputError(list(data.problem_list), summary=error_summary(data))
    return data


def knowledge_base(data: KBData) -> KnowledgeBase:
    """The second half of :func:`load`: stored data with its citations resolved, queryable."""
    if isinstance(data, KnowledgeBase):
        return data
    with gc_paused(promote=True):
        data = link_citations(data)
    return KnowledgeBase(**{f.name: getattr(data, f.name) for f in fields(KBData)})


def read_eppi(
    path: str | os.PathLike[str],
    *,
    strict: bool = True,
    review_id: str | None = None,
    kind: str = "outcome",
) -> KnowledgeBase:
    """Read an EPPI-Reviewer JSON export into a knowledge base.

    Code sets become frameworks, codes their elements, references references (key
    ``eppi-<ItemId>``), and every code applied to a reference a finding whose statement is the
    coded quote (or the additional text) and whose source is the document and page. Screening
    codes give the review's screening counts. See :mod:`evidence_kb.model.eppi` for the whole
    mapping; a file written by :func:`evidence_kb.write_eppi` reads back as the knowledge base
    it was written from.

    Parameters
    ----------
    path
        The ``.json`` file EPPI-Reviewer exported (the file EPPI-Mapper takes).
    strict
        If true (the default), raise :class:`~evidence_kb.InputError` when a record cannot be
        read; if false, keep the others and list the problems in ``kb.problems``.
    review_id
        The id of the review its findings belong to (by default made from the file name).
    kind
        The kind of every finding (EPPI-Reviewer codes have none): ``outcome`` by default.

    Raises
    ------
    InputError
        When the file is not an EPPI-Reviewer export or breaks its schema (every problem named
        with the item and field), and in strict mode when a record is invalid.
    """
    import pandas as pd

    from evidence_kb.io.eppi import read_eppi_json
    from evidence_kb.model.eppi import records_from_eppi
    from evidence_kb.model.vocab import Kind

    if kind not in set(Kind):
        msg = f"kind {kind!r} is not a kind of finding; expected one of: {', '.join(Kind)}"
        raise ValueError(msg)
    path = Path(path)
    doc = read_eppi_json(path)
    tables = records_from_eppi(doc, file=path.name, review_id=review_id, kind=Kind(kind))
    optional = {
        name: pd.DataFrame(rows) if rows else None
        for name, rows in tables.carried.items()
        if name in ("crosswalk", "concepts", "concept_tags")
    }
    data = KBData(
        data_dir=None,
        finding_records=tuple(tables.findings),
        element_records=tuple(tables.elements),
        review_records=tuple(tables.reviews),
        reference_records=tuple(tables.references),
        problem_list=tuple(tables.problems),
        crosswalk_table=optional.get("crosswalk"),
        concept_table=optional.get("concepts"),
        concept_tag_table=optional.get("concept_tags"),
        files=(path.name,),
    )
    if strict and data.errors:
        raise InputError(list(data.problem_list))
    data = link_citations(data)
    if not tables.carried:  # the citation warnings name the export, not a findings.csv
        renamed = [dataclasses.replace(p, file=path.name) for p in data.problem_list]
        data = dataclasses.replace(data, problem_list=tuple(renamed))
    return KnowledgeBase(**{f.name: getattr(data, f.name) for f in fields(KBData)})
