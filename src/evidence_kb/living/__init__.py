"""A living knowledge base: what changed (diff), search updates, several coders (merge, agreement).

These sit at the ``kb`` layer: they load knowledge bases and compare them. Files and git are
read and written by ``io`` (``io.revision``, ``io.rawtable``).
"""
