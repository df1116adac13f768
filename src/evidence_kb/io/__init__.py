"""Readers and writers: the only code in the library that touches files."""
