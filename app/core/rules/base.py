"""How a rule is written: metadata on the rule, one function, findings out.

    @rule("PD101", "generation-marker", ERROR,
          title=Text("生成マーカーの残り", "Generation marker left in"),
          description=Text("…", "…"), example="---END---", fix="safe")
    def generation_marker(ctx: Context) -> Iterator[Finding]:
        for line, text in ctx.post.prose_lines():
            if MARKER.match(text):
                yield ctx.finding(line, Text("…", "…"), fix=ctx.delete_lines_fix(line, line, ...))

Every rule module registers its rules on import; `app.core.rules.REGISTRY` holds them
all in code order. The catalogue (`postdesk rules`) is generated from this metadata.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from ..findings import Edit, Finding, Fix, Severity, Span, Text

if TYPE_CHECKING:
    from ..config import Config
    from ..document import Document
    from ..parse import ParsedPost
    from ..site import PostInfo, Site

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

CheckFn = Callable[["Context"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    title: Text  # one line: what is wrong
    description: Text  # when it fires and why it matters
    check: CheckFn = field(repr=False, compare=False)
    example: str = ""  # Markdown that makes it fire
    fix: str | None = None  # "safe", "unsafe" or None
    needs_front_matter: bool = False  # skipped when the front matter cannot be read
    family: str = ""


REGISTRY: dict[str, Rule] = {}


def rule(code: str, name: str, severity: Severity, *, title: Text, description: Text, example: str = "",
         fix: str | None = None, needs_front_matter: bool = False) -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        if code in REGISTRY:
            raise ValueError(f"rule {code} registered twice")
        REGISTRY[code] = Rule(code, name, severity, title, description, fn, example, fix, needs_front_matter,
                              fn.__module__.rsplit(".", 1)[-1])
        return fn
    return register


@dataclass
class Context:
    """What a rule sees of one post: the one parse, its site, and helpers for
    making findings and fixes."""

    post: "ParsedPost"
    site: "Site | None" = None
    info: "PostInfo | None" = None  # the file as listed in the site (draft, file date, slug)
    index: Any = None  # the site's cross-post similarity index (PD204), when checking a site
    rule: Rule | None = None  # set by the engine before each rule runs
    shared: dict = field(default_factory=dict)  # per-post scratch space shared between rules

    @property
    def doc(self) -> "Document":
        return self.post.doc

    @property
    def config(self) -> "Config":
        return self.post.config

    def finding(self, line: int, message: Text, *, end_line: int | None = None, col: int | None = None,
                end_col: int | None = None, related: Iterable[Span] = (), fix: Fix | None = None) -> Finding:
        r = self.rule
        assert r is not None, "ctx.finding() is called from inside a rule"
        return Finding(r.code, r.name, r.severity, line, message, end_line if end_line != line else None,
                       col, end_col, tuple(related), fix)

    # -- fixes --------------------------------------------------------------
    def fix(self, title: Text, edits: Iterable[Edit], safe: bool | None = None) -> Fix:
        if safe is None:
            safe = (self.rule.fix if self.rule else "safe") != "unsafe"
        return Fix(title, tuple(edits), safe)

    def delete_lines(self, line: int, end_line: int | None = None, *, blank_after: bool = True) -> Edit:
        """An edit deleting whole file lines (and one following blank line, so that
        no double blank is left behind)."""
        doc = self.doc
        last = end_line or line
        lines = doc.lines
        start = doc.offset(line)
        if blank_after and last < len(lines) and not lines[last].strip() and (line < 2 or not lines[line - 2].strip()):
            last += 1
        end = doc.offset(last + 1) if last < len(lines) else len(doc.text)
        if last >= len(lines) and start > 0:
            start -= 1  # the final line: take the newline before it instead
        return Edit(start, end, "")

    def replace_in_line(self, line: int, col: int, end_col: int, text: str) -> Edit:
        base = self.doc.offset(line)
        return Edit(base + col, base + end_col, text)

    def insert_at_line(self, line: int, text: str) -> Edit:
        """Insert `text` at the start of file line `line`."""
        pos = self.doc.offset(line)
        return Edit(pos, pos, text)

    def set_field_edit(self, key: str, value: Any) -> Edit:
        """The text edit that sets a front-matter field losslessly."""
        return edit_between(self.doc.text, self.doc.with_field(key, value).text)


def edit_between(old: str, new: str) -> Edit:
    """The single edit turning `old` into `new` (common prefix and suffix kept; the
    suffix is taken from what follows the prefix, so the two never overlap)."""
    p = common_prefix_length(old, new)
    s = common_prefix_length(old[p:][::-1], new[p:][::-1])
    return Edit(p, len(old) - s, new[p:len(new) - s])


def common_prefix_length(a: str, b: str) -> int:
    """How many leading characters `a` and `b` share. Found by halving, each step
    one slice comparison in C: a front-matter fix edits a 20 KB post near its start,
    and a Python step per character took milliseconds."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def iter_rules(codes: Iterable[str] | None = None) -> Iterator[Rule]:
    wanted = set(codes) if codes is not None else None
    for code in sorted(REGISTRY):
        if wanted is None or code in wanted:
            yield REGISTRY[code]
