"""Validated records (pydantic), closed vocabularies and the error types."""
