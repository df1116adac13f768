"""Citations: normalising reference fields, resolving in-text citations, finding duplicates.

Above ``model`` and ``io``: it works on records and text, never on files. ``link`` is the
citations step of a load (:func:`~evidence_kb.citations.link.link_citations`).
"""
