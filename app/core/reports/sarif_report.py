"""SARIF 2.1.0, the format code-scanning tools (GitHub code scanning, Azure DevOps,
SonarQube's importer, VS Code's SARIF viewer) read.

What their consumers insist on, and so what this writes (rules.md, "Command line"):
`$schema` and `version: "2.1.0"`; one run whose `tool.driver.rules` is the whole rule
registry (id, name, short and full description, help, default level), so a result's
`ruleIndex` always matches its `ruleId`; `results` even when empty; `info` as level
`note`; artifact URIs relative to the site root, `/`-separated and percent-encoded
(code scanning rejects absolute and backslash URIs), resolved through the
`SITEROOT` base id; columns counted in Unicode code points, as Python counts them
(SARIF's default is UTF-16 code units, which differ for characters outside the BMP);
`partialFingerprints` that stay the same from run to run and survive edits elsewhere
in the file, so a code-scanning alert is not closed and reopened by an unrelated edit;
and each fix as SARIF `fixes` with line/column regions, which stay true for the file
as written (CRLF or BOM) where character offsets would not.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from ..catalogue import describe
from ..document import Document, DocumentError
from ..findings import Edit, Finding, Severity
from ..rules import REGISTRY
from . import Report, one_line

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
BASE_ID = "SITEROOT"
FINGERPRINT_KEY = "postdeskFindingHash/v1"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(rel: str) -> str:
    """A site-relative path as a relative URI reference: `/`-separated, each
    segment percent-encoded (Japanese file names, spaces, `#`, `%`)."""
    return "/".join(quote(part, safe="") for part in rel.replace("\\", "/").split("/"))


def rule_descriptors(lang: str) -> tuple[list[dict], dict[str, int]]:
    """`tool.driver.rules` from the registry, in code order, and each code's index."""
    rules, index = [], {}
    for code, r in sorted(REGISTRY.items()):
        index[code] = len(rules)
        help_text = describe(code, lang) or r.description(lang)
        rules.append({
            "id": code,
            "name": r.name,
            "shortDescription": {"text": r.title(lang)},
            "fullDescription": {"text": r.description(lang)},
            "help": {"text": help_text, "markdown": help_text},
            "defaultConfiguration": {"level": LEVEL[r.severity], "enabled": True},
            "properties": {"tags": ["editorial", r.family] if r.family else ["editorial"],
                           "fix": r.fix or "none"},
        })
    return rules, index


def _unregistered(f: Finding, lang: str) -> dict:
    """A descriptor for a finding whose rule is not in the registry (a plug-in or a
    document problem reported under its own code), so `ruleIndex` still resolves."""
    return {"id": f.rule, "name": f.name, "shortDescription": {"text": f.name},
            "fullDescription": {"text": one_line(f.message(lang))},
            "help": {"text": one_line(f.message(lang))},
            "defaultConfiguration": {"level": LEVEL[f.severity]}}


class _Source:
    """A checked file's normalised text, read once, for fingerprints and fix regions.
    An unreadable file (PD500) has no text: its findings fingerprint on the rule alone."""

    def __init__(self, path: Path):
        try:
            self.doc: Document | None = Document.load(path)
        except (DocumentError, OSError, ValueError):
            self.doc = None

    def line_text(self, line: int) -> str:
        if self.doc is None:
            return ""
        lines = self.doc.lines
        return lines[line - 1] if 1 <= line <= len(lines) else ""

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and 1-based column of an offset into the normalised text."""
        assert self.doc is not None
        line = self.doc.line_of(offset)
        return line, offset - self.doc.offset(line) + 1


def region(f: Finding) -> dict:
    """The finding's span; SARIF columns are 1-based, a finding's 0-based, and
    `endColumn` is the column just past the span in both."""
    r = {"startLine": f.line, "endLine": f.last_line}
    if f.col is not None:
        r["startColumn"] = f.col + 1
        if f.end_col is not None and (f.end_col > f.col or f.last_line != f.line):
            r["endColumn"] = f.end_col + 1
    return r


def fingerprint(rel: str, f: Finding, source: _Source, seen: Counter) -> str:
    """Stable across runs and across edits to other lines: the rule, the file, the
    flagged line's text (whitespace collapsed) and which occurrence of that triple
    this is — not the line number, which moves whenever lines are added above."""
    key = (rel, f.rule, " ".join(source.line_text(f.line).split()))
    seen[key] += 1
    data = "\x1f".join((*key, str(seen[key])))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


def replacement(edit: Edit, source: _Source) -> dict:
    """One edit as a SARIF replacement: the deleted region by line and column (an
    empty region where the edit only inserts) and the inserted text, its newlines in
    the file's own style (CRLF stays CRLF, as `postdesk check --fix` writes it)."""
    start_line, start_col = source.position(edit.start)
    end_line, end_col = source.position(edit.end)
    out = {"deletedRegion": {"startLine": start_line, "startColumn": start_col,
                             "endLine": end_line, "endColumn": end_col}}
    if edit.text:
        out["insertedContent"] = {"text": edit.text.replace("\n", source.doc.newline)}
    return out


def fixes(f: Finding, location: dict, source: _Source, lang: str) -> list[dict]:
    if f.fix is None or source.doc is None or not f.fix.edits:
        return []
    return [{"description": {"text": one_line(f.fix.title(lang))},
             "artifactChanges": [{"artifactLocation": location,
                                  "replacements": [replacement(e, source) for e in sorted(f.fix.edits)]}],
             "properties": {"safe": f.fix.safe}}]


def result(f: Finding, rel: str, artifact: int, rule_index: int, source: _Source, seen: Counter,
           lang: str) -> dict:
    location = {"uri": artifact_uri(rel), "uriBaseId": BASE_ID, "index": artifact}
    out = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": one_line(f.message(lang))},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": region(f)}}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(rel, f, source, seen)},
    }
    if f.related:
        out["relatedLocations"] = [
            {"id": i, "physicalLocation": {"artifactLocation": location,
                                           "region": {"startLine": s.line, "endLine": s.last}}}
            for i, s in enumerate(f.related, 1)]
    fix_list = fixes(f, location, source, lang)
    if fix_list:
        out["fixes"] = fix_list
    return out


def site_root_uri(root: Path) -> str:
    """The site root as an absolute `file:` URI ending in `/` (SARIF §3.14.14)."""
    uri = root.resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def render(report: Report) -> str:
    lang = report.lang
    rules, index = rule_descriptors(lang)
    artifacts, results = [], []
    for res in report.results:
        artifact = len(artifacts)
        artifacts.append({"location": {"uri": artifact_uri(res.rel), "uriBaseId": BASE_ID}})
        source = _Source(res.path) if res.findings else None
        seen: Counter = Counter()
        for f in res.findings:
            if f.rule not in index:
                index[f.rule] = len(rules)
                rules.append(_unregistered(f, lang))
            results.append(result(f, res.rel, artifact, index[f.rule], source, seen, lang))
    driver = {"name": "postdesk", "fullName": "PostDesk pre-publish checks", "rules": rules}
    if report.version:
        driver["version"] = driver["semanticVersion"] = report.version
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": {BASE_ID: {"uri": site_root_uri(report.site_root)}},
            "artifacts": artifacts,
            "results": results,
            "columnKind": "unicodeCodePoints",
            "language": "ja-JP" if lang == "ja" else "en-US",
            "invocations": [{"executionSuccessful": True}],
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
