"""The JSON report of rules.md: tool, version, site, files with findings, summary."""
from __future__ import annotations

import json

from . import Report, one_line


def finding_dict(f, lang: str) -> dict:
    d = {"rule": f.rule, "name": f.name, "severity": f.severity.value, "line": f.line,
         "end_line": f.end_line if f.end_line is not None else f.line,
         "message": one_line(f.message(lang)),
         "related": [{"line": s.line, "end_line": s.last} for s in f.related]}
    if f.fix is not None:
        d["fix"] = {"title": f.fix.title(lang), "available": True, "safe": f.fix.safe}
    return d


def render(report: Report) -> str:
    doc = {
        "tool": "postdesk", "version": report.version, "site": str(report.site_root),
        "files": [{"path": r.rel, "findings": [finding_dict(f, report.lang) for f in r.findings]}
                  for r in report.results],
        "summary": report.summary,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
