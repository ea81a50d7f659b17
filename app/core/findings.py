"""The one finding type and the one edit type every part of PostDesk speaks.

A `Finding` is a small frozen value: rule, severity, span, message (Japanese and
English), related spans and an optional `Fix`. A fix is a list of text `Edit`s with a
safety. The engine, every report format, the findings panel and `--fix` use these.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most severe, so sorting by rank puts errors first."""
        return _RANK[self]

    @classmethod
    def parse(cls, value: str) -> "Severity":
        return cls(str(value).lower())


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Text:
    """A message in both interface languages."""

    ja: str
    en: str

    def __call__(self, lang: str = "ja") -> str:
        return self.en if lang == "en" else self.ja


@dataclass(frozen=True)
class Span:
    """1-based file lines (front matter included), end inclusive."""

    line: int
    end_line: int | None = None

    @property
    def last(self) -> int:
        return self.end_line if self.end_line is not None else self.line


@dataclass(frozen=True, order=True)
class Edit:
    """Replace `doc.text[start:end]` with `text`.

    Offsets index the document's normalised text (no BOM, `\\n` newlines, front matter
    included); the Document maps them back onto the original bytes, so newline style
    and everything outside the edit stay as they were.
    """

    start: int
    end: int
    text: str = ""


@dataclass(frozen=True)
class Fix:
    title: Text
    edits: tuple[Edit, ...]
    safe: bool = True


@dataclass(frozen=True)
class Finding:
    rule: str  # "PD202"
    name: str  # "duplicate-section"
    severity: Severity
    line: int
    message: Text
    end_line: int | None = None
    col: int | None = None  # 0-based column in `line`, where known
    end_col: int | None = None
    related: tuple[Span, ...] = field(default_factory=tuple)
    fix: Fix | None = None

    @property
    def span(self) -> Span:
        return Span(self.line, self.end_line)

    @property
    def last_line(self) -> int:
        return self.end_line if self.end_line is not None else self.line

    def with_severity(self, severity: Severity) -> "Finding":
        return replace(self, severity=severity)

    def sort_key(self) -> tuple:
        return (self.line, self.severity.rank, self.rule, self.col or 0)


def count_by_severity(findings) -> dict[Severity, int]:
    counts = {s: 0 for s in Severity}
    for f in findings:
        counts[f.severity] += 1
    return counts
