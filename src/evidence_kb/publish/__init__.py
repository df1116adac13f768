"""Results going out: the published factsheet tables, evidence tables for any selection, their
writers (Markdown, HTML, Word, LaTeX, CSV) and PRISMA-ScR flow diagrams.

- :mod:`evidence_kb.publish.tables` computes a table (``published_table``,
  ``evidence_table``) as a layout of rows and cells;
- :mod:`evidence_kb.publish.render` writes a layout in each format
  (:func:`~evidence_kb.publish.render.write_tables`);
- :mod:`evidence_kb.publish.prisma` draws the search and selection counts of a review
  (``plot_prisma``, ``write_prisma``).
"""
