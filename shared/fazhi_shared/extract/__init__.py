"""Extraction: the document fields (see models.Document) from a normalized page, with evidence."""
