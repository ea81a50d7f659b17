"""The Liquid pass Jekyll runs on a post before kramdown sees it, made safe for an editor.

Jekyll renders a post's Liquid first and hands the result to kramdown, so `{{ page.title }}`
is Markdown by the time it is parsed. PostDesk must show the same thing, but it must
also keep every token's `map` pointing at the editor's lines; so this pass never adds
or removes a line: a substitution whose value has line breaks has them folded into
spaces, and a removed `{% comment %}` keeps its newlines.

What is resolved: `{{ page.x }}` (front-matter fields), `{{ site.x }}` (`_config.yml`),
`{% post_url STEM %}` and `{% link PATH %}` (through the site model, duck-typed:
`site.post_url(stem)`, `site.url_for_path(relpath)`, `site.jekyll_config`). What is
never run: every other tag or output (includes, loops, filters): it is left in the
text verbatim, and the span parser in `markdown.py` turns it into one `liquid_tag`
token so the preview shows it marked instead of executing or mangling it.

Inside `{% raw %}…{% endraw %}` Jekyll prints the text as is; we drop the two tags as
Jekyll does and put RAW_GUARD after each `{` that would otherwise open a Liquid
tag, so the span parser reads the text as plain text. Renderers strip RAW_GUARD.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Mapping

RAW_GUARD = "\ue000"
"""A private-use character put inside `{{` / `{%` of raw text; removed on output."""

# One Liquid construct: an output `{{ … }}` or a tag `{% … %}`; they may span lines.
_LIQUID = re.compile(r"\{\{-?\s*(?P<out>.*?)\s*-?\}\}|\{%-?\s*(?P<tag>.*?)\s*-?%\}", re.S)
_RAW_BLOCK = re.compile(r"\{%-?\s*raw\s*-?%\}(?P<body>.*?)\{%-?\s*endraw\s*-?%\}", re.S)
_COMMENT_BLOCK = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", re.S)
_VARIABLE = re.compile(r"(?P<scope>page|site)((?:\.[\w-]+)+)$")
_TAG_ARG = re.compile(r"(?P<name>post_url|link)\s+(?P<arg>\S+)$")


def render_liquid(text: str, page: Mapping[str, Any] | None = None, site: Any = None) -> str:
    """Return `text` with the Liquid Jekyll would resolve resolved, line count unchanged."""
    if "{" not in text:
        return text
    parts: list[str] = []
    pos = 0
    for raw in _RAW_BLOCK.finditer(text):
        parts.append(_render_plain(text[pos:raw.start()], page, site))
        parts.append(guard_raw(raw.group("body")))
        pos = raw.end()
    parts.append(_render_plain(text[pos:], page, site))
    return "".join(parts)


def guard_raw(text: str) -> str:
    """Keep `{{` and `{%` in raw text from being read as Liquid by the span parser."""
    return text.replace("{{", "{" + RAW_GUARD + "{").replace("{%", "{" + RAW_GUARD + "%")


def strip_guard(text: str) -> str:
    """Undo guard_raw() for output."""
    return text.replace(RAW_GUARD, "")


def _render_plain(text: str, page: Mapping[str, Any] | None, site: Any) -> str:
    """Resolve the Liquid in a stretch of text that is not inside `{% raw %}`."""
    if "{" not in text:
        return text
    text = _COMMENT_BLOCK.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return _LIQUID.sub(lambda m: _resolve(m, page, site), text)


def _resolve(match: re.Match, page: Mapping[str, Any] | None, site: Any) -> str:
    """The text a Liquid construct stands for, or the construct itself if we may not run it."""
    source = match.group(0)
    if match.group("out") is not None:
        value = _lookup(match.group("out"), page, site)
    else:
        value = _tag_url(match.group("tag"), site)
    if value is None:
        return source
    return _same_lines(value, source)


def _lookup(expression: str, page: Mapping[str, Any] | None, site: Any) -> str | None:
    """`page.a.b` / `site.a.b` as Liquid prints it; None for anything else (filters too)."""
    m = _VARIABLE.match(expression)
    if not m:
        return None
    root: Any = page if m.group("scope") == "page" else getattr(site, "jekyll_config", None)
    if root is None:
        return None
    value: Any = root
    for key in m.group(2)[1:].split("."):
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return liquid_str(value)


def liquid_str(value: Any) -> str:
    """How Liquid prints a value: nil as nothing, arrays concatenated, dates like Jekyll."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "".join(liquid_str(v) for v in value)
    if hasattr(value, "strftime") and hasattr(value, "hour"):
        return value.strftime("%Y-%m-%d %H:%M:%S %z").rstrip()
    return str(value)


def _tag_url(tag: str, site: Any) -> str | None:
    """The URL of `{% post_url STEM %}` / `{% link PATH %}`, if the site model knows it."""
    m = _TAG_ARG.match(tag)
    if not m or site is None:
        return None
    resolve: Callable[[str], str | None] | None = getattr(
        site, "post_url" if m.group("name") == "post_url" else "url_for_path", None)
    if resolve is None:
        return None
    try:
        return resolve(m.group("arg"))
    except Exception:  # a broken site model must not break the preview
        return None


def _same_lines(value: str, source: str) -> str:
    """`value` made to occupy exactly as many lines as `source` did."""
    value = re.sub(r"\r?\n", " ", value)
    return value + "\n" * source.count("\n")
