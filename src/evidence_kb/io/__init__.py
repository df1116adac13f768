"""Readers and writers: the only code in the library that opens, reads or writes files.

Above ``model`` (it fills ``model.rows.CsvRows`` and ``model.data.KbFiles`` and returns model
records with their problems), below everything else: citations, graph and publish get text,
rows or frames from here, and write through here (atomic writes in ``io.text``; every writer
first asks ``io.guard.check_output`` whether it may write a path at all).
"""
