"""Extraction: the fields of DESIGN.md §4 from a normalized page, each with its evidence."""
