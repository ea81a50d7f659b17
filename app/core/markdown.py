"""The one Markdown parser every part of PostDesk shares.

`tokenize()` turns a post body into markdown-it tokens whose block tokens carry
`map` (0-based body line ranges). Rules, the renderer and the reading-time count all
read these tokens (see ParsedPost in parse.py); nobody parses the body twice.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

from markdown_it import MarkdownIt
from markdown_it.token import Token


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    return md


def tokenize(body: str, page: Mapping[str, Any] | None = None, site: Any = None) -> tuple[list[Token], dict]:
    """Parse `body`; returns the tokens and the markdown-it env used."""
    env: dict = {}
    return parser().parse(body, env), env
