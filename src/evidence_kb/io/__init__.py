"""Readers and writers: the only code in the library that opens, reads or writes files.

Above ``model`` (it fills ``model.rows.CsvRows`` and ``model.data.KbFiles`` and returns model
records with their problems), below everything else: citations, graph and publish get text,
rows or frames from here, and write through here (atomic writes in ``io.text``; every writer
first asks ``io.guard.check_output`` whether it may write a path at all).

Reference files are read by format: each format's reader takes the decoded text and the file
name and returns ``io.parsed.ReferenceRows`` (rows and problems; it raises for no bad record), and
``io.references.PARSERS`` holds them in one table; the field maps are data (``io.tablemaps``,
``io.fields.CSL_FIELDS``, the tag maps of ``io.tagged``).
"""
