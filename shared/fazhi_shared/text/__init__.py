"""Text pipeline: bytes as served → clean, normalized, segmented text with its structure.

Steps, each a small module with one job: `formats` (which format a body is in, by its bytes;
PDF and DOCX readers), `decode` (bytes → str), `htmlpage` (HTML → body text and metadata),
`normalize` (traditional → simplified, full-width → ASCII, paragraphs), `clean` (page
noise), `structure` (headings → sections, sentences), `segment` (tokens for the index and
for queries). `read_page` runs the first five; `structure.outline` and `segment` run on its
text.
"""

from fazhi_shared.text.page import PageContent, read_page
from fazhi_shared.text.structure import outline, sentences

__all__ = ["PageContent", "outline", "read_page", "sentences"]
