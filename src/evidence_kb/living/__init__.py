"""A living knowledge base: what changed, search updates, several coders.

- :mod:`~evidence_kb.living.diff`: ``ekb.diff(old, new)``, the changes between two versions,
  the gaps that opened or closed and the factsheet cells that changed;
  :mod:`~evidence_kb.living.report` writes it as Markdown, HTML and CSV;
- :mod:`~evidence_kb.living.update`: ``ekb.update(kb_dir, export)``, a search export's new
  records added to the references, logged;
- :mod:`~evidence_kb.living.merge`: ``ekb.merge(base, ours, theirs)`` by row and column, and
  the git merge driver;
- :mod:`~evidence_kb.living.agreement`: ``ekb.agreement(a, b)``, Cohen's kappa and
  Krippendorff's alpha of two coders.

The package sits at the ``kb`` layer: it loads knowledge bases. Files and git are read and
written by ``io`` (``io.revision``, ``io.rawtable``, ``io.kbupdate``).
"""
