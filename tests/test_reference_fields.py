"""The one list of reference fields agrees with the models and with the field maps of io."""

from __future__ import annotations

import dataclasses

from evidence_kb.io import bibtex, export, references
from evidence_kb.io.fields import CSL_FIELDS, REFERENCE_COLUMNS
from evidence_kb.model.printed import PRINTED_FIELDS, ParsedReference
from evidence_kb.model.records import (
    BIBTEX_NAMES,
    REFERENCE_FIELDS,
    REFERENCE_TEXT_FIELDS,
    Reference,
)


def test_reference_fields_come_from_the_model():
    assert set(REFERENCE_FIELDS) <= set(Reference.model_fields)
    assert set(REFERENCE_TEXT_FIELDS) <= set(REFERENCE_FIELDS)
    assert all(Reference.model_fields[name].annotation is str for name in REFERENCE_TEXT_FIELDS)


def test_printed_fields_are_fields_of_both_records():
    printed = {f.name for f in dataclasses.fields(ParsedReference)}
    assert set(PRINTED_FIELDS) <= printed
    assert set(PRINTED_FIELDS) <= set(REFERENCE_TEXT_FIELDS)


def test_reader_columns_hold_the_reference_fields_in_order():
    assert references.REFERENCE_COLUMNS is REFERENCE_COLUMNS
    start = REFERENCE_COLUMNS.index(REFERENCE_FIELDS[0])
    assert tuple(REFERENCE_COLUMNS[start : start + len(REFERENCE_FIELDS)]) == REFERENCE_FIELDS


def test_field_maps_name_known_fields():
    assert tuple(CSL_FIELDS) == REFERENCE_TEXT_FIELDS
    assert set(references._COLUMNS) <= set(REFERENCE_COLUMNS)
    assert set(references._WOS_COLUMNS) <= set(REFERENCE_COLUMNS)
    assert set(export._RIS_FIELDS) <= set(REFERENCE_TEXT_FIELDS)
    assert set(BIBTEX_NAMES) <= set(Reference.model_fields)
    assert set(bibtex._FIELD_MAP) <= set(Reference.model_fields)
    assert set(bibtex._WRITTEN) | {"key", "entry_type", "authors"} == set(Reference.model_fields)
