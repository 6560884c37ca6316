"""The page heading of an HTML page whose body container leaves the title out (Hanweb
pages put it in a separate cell above div#zoom). Parsed only when the page has no
ArticleTitle and its text has no title line, so most pages never pay for it."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from fazhi_shared.text.normalize import normalize

_SELECTORS = (
    "h1", ".article-title", ".detail-title", ".news_title", ".title", ".tit", ".bt", "#title",
    "h2", "[class*=title]", "[id*=title]", "h3", "strong",
)


def page_heading(body: bytes, encoding: str | None) -> list[str]:
    """Candidate headings in page order of preference, normalized like the body text."""
    try:
        html = body.decode(encoding or "utf-8", errors="replace")
    except LookupError:
        html = body.decode("utf-8", errors="replace")
    tree = LexborHTMLParser(html)
    out: list[str] = []
    for selector in _SELECTORS:
        for node in tree.css(selector)[:5]:
            if node.tag in ("html", "body", "head", "title", "meta"):
                continue
            raw = node.text(deep=True, separator="", strip=True)
            if not raw:  # a title drawn as an image: <div class="title"><img alt="…"></div>
                raw = "".join(img.attributes.get("alt") or "" for img in node.css("img"))
            text = normalize(raw)[0].strip()
            if text and "\n" not in text and len(text) <= 100 and text not in out:
                out.append(text)
    return out
