"""The query language of `/v1/search` and of alerts, parsed into a small tree.

    行政复议                 a word (segmented; every token must match)
    "行政执法三项制度"        an exact phrase
    复议 AND 诉讼, 复议 诉讼  both (AND is implied between terms)
    复议 OR 诉讼             either
    NOT 疫情, -疫情          without
    (复议 OR 诉讼) 调解       grouping
    title:要点 issuer:"大连市人民政府"   a term or phrase in one field

Operators are upper-case; a malformed query raises QuerySyntaxError with the position.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi_shared.text.normalize import fold_width
from fazhi_shared.text.segment import query_text, tokens

QUERY_FIELDS = ("title", "issuer", "text")
# Bounds on what one query may ask of an engine: nesting (parentheses and NOT, each level a
# stack frame here and in the compilers) and words/phrases (each a clause of the engine query).
MAX_DEPTH = 32
MAX_TERMS = 256


class QuerySyntaxError(ValueError):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} at position {position}")
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Term:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class Phrase:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class MatchAll:
    pass


Node = Term | Phrase | And | Or | Not | MatchAll

_SPACES = " \t\r\n\u3000"
_QUOTES = '"“”＂'
_BREAKS = "()（）" + _QUOTES


@dataclass
class _Tok:
    kind: str  # WORD PHRASE LPAREN RPAREN AND OR NOT MINUS FIELD
    value: str
    pos: int


def _lex(q: str) -> list[_Tok]:
    out: list[_Tok] = []
    i = 0
    n = len(q)
    while i < n:
        c = q[i]
        if c in _SPACES:
            i += 1
        elif c in "(（":
            out.append(_Tok("LPAREN", c, i))
            i += 1
        elif c in ")）":
            out.append(_Tok("RPAREN", c, i))
            i += 1
        elif c in _QUOTES:
            end = i + 1
            while end < n and q[end] not in _QUOTES:
                end += 1
            if end >= n:
                raise QuerySyntaxError("unclosed quote", i)
            out.append(_Tok("PHRASE", q[i + 1 : end], i))
            i = end + 1
        elif c == "-" and (not out or out[-1].kind in ("LPAREN", "AND", "OR", "NOT") or q[i - 1] in _SPACES):
            out.append(_Tok("MINUS", c, i))
            i += 1
        else:
            start = i
            while i < n and q[i] not in _SPACES and q[i] not in _BREAKS:
                if q[i] in ":：" and i > start:
                    break
                i += 1
            word = q[start:i]
            if i < n and q[i] in ":：" and word.lower() in QUERY_FIELDS:
                out.append(_Tok("FIELD", word.lower(), start))
                i += 1
                continue
            if i < n and q[i] in ":：" and word.isascii() and word.isidentifier():
                raise QuerySyntaxError(
                    f"unknown field '{word}' (fields: {', '.join(QUERY_FIELDS)})", start
                )
            if i < n and q[i] in ":：":
                i += 1  # a colon inside text (e.g. 原文：) is just text
                word = q[start:i]
            if word in ("AND", "OR", "NOT"):
                out.append(_Tok(word, word, start))
            elif word in ("&&",):
                out.append(_Tok("AND", word, start))
            elif word in ("||",):
                out.append(_Tok("OR", word, start))
            else:
                out.append(_Tok("WORD", word, start))
    return out


class _Parser:
    def __init__(self, q: str) -> None:
        self.q = q
        self.toks = _lex(q)
        self.i = 0
        self.depth = 0
        self.terms = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        if not self.toks:
            return MatchAll()
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:
            raise QuerySyntaxError(f"unexpected '{tok.value}'", tok.pos)
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node:
        items = [self.unary()]
        while (tok := self.peek()) is not None and tok.kind not in ("OR", "RPAREN"):
            if tok.kind == "AND":
                self.take()
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise QuerySyntaxError("query ends where a term was expected", len(self.q))
        if tok.kind in ("NOT", "MINUS"):
            self.take()
            self.enter(tok)
            node = Not(self.unary())
            self.depth -= 1
            return node
        return self.primary()

    def enter(self, tok: _Tok) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError(f"query nests deeper than {MAX_DEPTH} levels of parentheses "
                                   "and NOT", tok.pos)

    def primary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise QuerySyntaxError("query ends where a term was expected", len(self.q))
        if tok.kind == "LPAREN":
            self.take()
            self.enter(tok)
            node = self.or_expr()
            self.depth -= 1
            close = self.peek()
            if close is None or close.kind != "RPAREN":
                raise QuerySyntaxError("missing ')'", close.pos if close else len(self.q))
            self.take()
            return node
        field = None
        if tok.kind == "FIELD":
            field = self.take().value
            tok = self.peek()
            if tok is None or tok.kind not in ("WORD", "PHRASE"):
                pos = tok.pos if tok else len(self.q)
                raise QuerySyntaxError(f"'{field}:' needs a word or a phrase", pos)
        if tok.kind in ("WORD", "PHRASE"):
            self.terms += 1
            if self.terms > MAX_TERMS:
                raise QuerySyntaxError(f"query has more than {MAX_TERMS} words and phrases", tok.pos)
        if tok.kind == "WORD":
            self.take()
            return Term(tok.value, field)
        if tok.kind == "PHRASE":
            self.take()
            if not tok.value.strip():
                raise QuerySyntaxError("empty phrase", tok.pos)
            return Phrase(tok.value, field)
        raise QuerySyntaxError(f"unexpected '{tok.value}'", tok.pos)


def parse_query(q: str | None) -> Node:
    """Parse a query; full-width letters, digits and spaces are folded first (positions in
    errors still point into the query as typed, since folding keeps the length)."""
    return _searchable(_Parser(fold_width(q or "")).parse()) or MatchAll()


def _searchable(node: Node) -> Node | None:
    """The tree without words that segment to no token (punctuation, emoji): no engine can
    match them, and kept they would make an OR match everything and a NOT match nothing."""
    if isinstance(node, Term | Phrase):
        return node if tokens(query_text(node.text)) else None
    if isinstance(node, And | Or):
        items = tuple(kept for item in node.items if (kept := _searchable(item)) is not None)
        if len(items) <= 1:
            return items[0] if items else None
        return type(node)(items)
    if isinstance(node, Not):
        item = _searchable(node.item)
        return Not(item) if item is not None else None
    return node


def positive_texts(node: Node) -> list[str]:
    """The words and phrases a matching document contains (what snippets highlight)."""
    if isinstance(node, Term | Phrase):
        return [node.text]
    if isinstance(node, And | Or):
        return [t for item in node.items for t in positive_texts(item)]
    return []
