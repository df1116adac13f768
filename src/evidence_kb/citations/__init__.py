"""Citations: normalising reference fields, resolving in-text citations, finding duplicates."""
