"""Report formats: one module per format, one `render(report) -> str` each.

Every format carries the same findings with the same one-line messages, in the
report's language. Formats register here by name (`--format NAME`).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..engine import FileResult, summary

FORMATS = ("text", "json", "sarif", "junit", "github")


@dataclass
class Report:
    results: list[FileResult]
    site_root: Path
    lang: str = "ja"
    version: str = ""
    elapsed: float = 0.0  # seconds the check took (JUnit's `time`)

    @property
    def summary(self) -> dict[str, int]:
        return summary(self.results)


def one_line(text: str) -> str:
    """Messages are one line in every format."""
    return " ".join(text.split())


def finding_line(rel: str, finding, lang: str) -> str:
    """`path:line: PD202 duplicate-section message`, the compiler-style line of the
    text report, for formats that carry a human-readable line per finding."""
    return f"{rel}:{finding.line}: {finding.rule} {finding.name} {one_line(finding.message(lang))}"


def renderer(name: str) -> Callable[[Report], str]:
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r} (choose from {', '.join(FORMATS)})")
    module = importlib.import_module(f"{__name__}.{name}_report")
    return module.render
