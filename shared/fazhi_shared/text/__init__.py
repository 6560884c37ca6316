"""Text pipeline: bytes as served → clean, normalized, segmented text with its structure.

Steps, each a small module with one job: `decode` (bytes → str), `formats` (HTML, PDF, DOCX,
plain text → body text and metadata), `clean` (page noise), `normalize` (traditional →
simplified, full-width → ASCII, paragraphs), `structure` (headings → sections), `segment`
(tokens for the index and for queries).
"""

from fazhi_shared.text.page import PageContent, read_page

__all__ = ["PageContent", "read_page"]
