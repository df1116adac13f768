"""The bottom layer: what the data is and when it is valid.

Records (pydantic: ``records``), closed vocabularies (``vocab``), the error types (``errors``),
the rows of a file as read (``rows``), the two records a load passes along (``data``: ``KbFiles``
and ``KBData``), the element tree (``tree``), and validation as pure functions over rows and
tables (``validate``, ``validate_kb``, ``checks``). It imports nothing of the package above it
and never touches a file: ``io`` reads the files and hands their rows here.
"""
