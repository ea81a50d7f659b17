"""GitHub Actions workflow commands: one annotation a finding,
`::error file=_posts/x.md,line=120,endLine=141,title=PD202 duplicate-section::message`,
which the runner shows on the pull request's changed lines and in the run summary.

Escaping is the runner's own (rules.md, "Command line"): `%`, CR and LF become `%25`,
`%0D`, `%0A` in the message, and in property values also `:` and `,` (`%3A`, `%2C`),
which otherwise end the value. `error` and `warning` keep their names; `info` is
`::notice`. The annotation's `file` is relative to the repository (GITHUB_WORKSPACE)
when the site sits in a folder of it, so that the annotation lands on the file;
otherwise it is the site-relative path every other format uses.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..findings import Finding, Severity
from . import Report, one_line

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation_path(path: Path, rel: str, workspace: str | None) -> str:
    """`rel` (site-relative), or the path from the checked-out repository's root when
    the runner names one and the file is inside it."""
    if workspace:
        try:
            return path.resolve().relative_to(Path(workspace).resolve()).as_posix()
        except ValueError:
            pass
    return rel


def annotation(f: Finding, file: str, lang: str) -> str:
    props = [("file", file), ("line", str(f.line)), ("endLine", str(f.last_line))]
    if f.col is not None and f.last_line == f.line:  # GitHub honours columns on one line only
        props.append(("col", str(f.col + 1)))
        if f.end_col is not None and f.end_col > f.col:
            props.append(("endColumn", str(f.end_col)))  # 1-based, inclusive: the span's last column
    props.append(("title", f"{f.rule} {f.name}"))
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{COMMAND[f.severity]} {head}::{escape_data(one_line(f.message(lang)))}"


def summary_line(report: Report) -> str:
    """A plain log line after the annotations (not a command), as the text report ends."""
    s = report.summary
    if report.lang == "en":
        return f"postdesk: {s['files']} files checked: {s['errors']} errors, {s['warnings']} warnings, {s['infos']} infos"
    return f"postdesk: {s['files']} ファイルを検査: エラー {s['errors']} 件、警告 {s['warnings']} 件、情報 {s['infos']} 件"


def render(report: Report) -> str:
    workspace = os.environ.get("GITHUB_WORKSPACE")
    out = []
    for res in report.results:
        file = annotation_path(res.path, res.rel, workspace)
        out.extend(annotation(f, file, report.lang) for f in res.findings)
    out.append(summary_line(report))
    return "\n".join(out) + "\n"
