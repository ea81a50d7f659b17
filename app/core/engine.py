"""Run the rules over one post or a whole site.

One parse per post; every rule reads it. Site-wide rules (PD204) run in a second
pass over small per-post signatures, so a site check holds no more than one parsed
post at a time. Severities and on/off come from the configuration; inline
`postdesk-disable` comments are applied as a filter after the rules ran, as
markdownlint and textlint do.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .config import Config
from .document import Document, DocumentError
from .findings import Finding, Severity, Text, count_by_severity
from .parse import ParsedPost
from .rules import REGISTRY, Context, Rule
from .site import PostInfo, Site

_DIRECTIVE = re.compile(r"<!--\s*postdesk-(disable-next-line|disable|enable)\b([^>]*?)-->")
_CODE = re.compile(r"PD\d{3}")


@dataclass
class FileResult:
    path: Path
    rel: str  # site-relative, `/`-separated
    findings: list[Finding] = field(default_factory=list)
    signature: object = None  # for site-wide rules (PD204)
    title: str | None = None
    draft: bool = False

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)


def _problem_finding(problem: DocumentError) -> Finding:
    r = REGISTRY.get(problem.code)
    name = r.name if r else problem.code
    return Finding(problem.code, name, Severity.ERROR, problem.line, problem.message, col=problem.col)


def suppressed_lines(lines: list[str]) -> Callable[[str, int], bool]:
    """A predicate `(code, line) -> bool` from the post's inline directives.

    `<!-- postdesk-disable PD106 -->` … `<!-- postdesk-enable PD106 -->` (no codes:
    every rule), `<!-- postdesk-disable-next-line PD201 -->`.
    """
    ranges: list[tuple[frozenset | None, int, int]] = []  # (codes or None=all, first, last)
    open_: dict[object, int] = {}
    for i, text in enumerate(lines, start=1):
        for m in _DIRECTIVE.finditer(text):
            kind, codes = m.group(1), frozenset(_CODE.findall(m.group(2))) or None
            if kind == "disable-next-line":
                ranges.append((codes, i + 1, i + 1))
            elif kind == "disable":
                for c in codes or [None]:
                    open_.setdefault(c, i)
            else:
                for c in (codes or list(open_)):
                    if c in open_:
                        ranges.append((None if c is None else frozenset([c]), open_.pop(c), i))
    for c, start in open_.items():
        ranges.append((None if c is None else frozenset([c]), start, len(lines)))
    if not ranges:
        return lambda code, line: False

    def is_suppressed(code: str, line: int) -> bool:
        return any(first <= line <= last and (codes is None or code in codes) for codes, first, last in ranges)
    return is_suppressed


class Engine:
    """Checks posts against the rules, with a site's configuration."""

    def __init__(self, site: Site | None = None, config: Config | None = None, rules: Iterable[str] | None = None):
        self.site = site
        self.config = config or (site.config if site else Config())
        wanted = set(rules) if rules is not None else None
        self.rules: list[Rule] = [r for code, r in sorted(REGISTRY.items())
                                  if (wanted is None or code in wanted) and self.config.rule_enabled(code)]
        self.post_rules = [r for r in self.rules if r.family != "similar"]
        self.site_rules = [r for r in self.rules if r.family == "similar"]

    # -- one post -----------------------------------------------------------
    def parse(self, doc: Document) -> ParsedPost:
        return ParsedPost(doc, self.config, self.site)

    def check_document(self, doc: Document, info: PostInfo | None = None, index=None) -> list[Finding]:
        """Every finding for one document (site-wide rules too, when `index` is given)."""
        result = self._check(doc, info)
        if index is not None and result.signature is not None:
            result.findings.extend(self._site_findings(result, index, doc))
            result.findings = self._finish(result.findings, doc.lines)
        return result.findings

    def _check(self, doc: Document, info: PostInfo | None) -> FileResult:
        rel = info.rel if info else (doc.path.name if doc.path else "")
        result = FileResult(doc.path or Path(rel), rel, draft=bool(info and info.draft))
        findings: list[Finding] = []
        fm_ok = doc.problem is None
        if doc.problem is not None:
            findings.append(_problem_finding(doc.problem))
        post = self.parse(doc)
        ctx = Context(post, self.site, info)
        for r in self.post_rules:
            if r.needs_front_matter and not fm_ok:
                continue
            ctx.rule = r
            findings.extend(r.check(ctx))
        result.title = doc.get("title") if fm_ok else None
        if self.site_rules:
            from .rules import similar  # the family that provides signatures
            result.signature = similar.signature(post)
        result.findings = self._finish(findings, doc.lines)
        return result

    def _finish(self, findings: list[Finding], lines: list[str]) -> list[Finding]:
        """Configured severities, inline suppression, stable order."""
        hidden = suppressed_lines(lines)
        out = []
        for f in findings:
            if hidden(f.rule, f.line):
                continue
            sev = self.config.rule_severity(f.rule, f.severity.value)
            out.append(f if sev == f.severity.value else f.with_severity(Severity(sev)))
        return sorted(set(out), key=Finding.sort_key)

    def _site_findings(self, result: FileResult, index, doc: Document | None = None) -> list[Finding]:
        ctx = Context(None, self.site, None, index)  # type: ignore[arg-type]
        ctx.shared["rel"] = result.rel
        ctx.shared["signature"] = result.signature
        out = []
        for r in self.site_rules:
            ctx.rule = r
            out.extend(r.check(ctx))
        return out

    def check_path(self, path: Path, info: PostInfo | None = None) -> FileResult:
        """Check a file on disk; an unreadable file gets its PD500 finding."""
        rel = info.rel if info else (self.site.rel(path) if self.site else path.name)
        try:
            doc = Document.load(path)
        except DocumentError as exc:
            return FileResult(path, rel, [_problem_finding(exc)], draft=bool(info and info.draft))
        except OSError as exc:
            msg = Text(f"ファイルを読めません: {exc.strerror}", f"Cannot read the file: {exc.strerror}")
            return FileResult(path, rel, [Finding("PD500", "unreadable-file", Severity.ERROR, 1, msg)])
        return self._check(doc, info)

    # -- a site -------------------------------------------------------------
    def check_site(self, paths: Iterable[Path] | None = None,
                   progress: Callable[[int, int, FileResult], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> list[FileResult]:
        """Check `paths` (default: every post and draft of the site)."""
        infos = self._targets(paths)
        results: list[FileResult] = []
        for n, (path, info) in enumerate(infos, start=1):
            if cancelled and cancelled():
                break
            res = self.check_path(path, info)
            results.append(res)
            if progress:
                progress(n, len(infos), res)
        if self.site_rules and self.site is not None:
            self._apply_site_rules(results)
        return results

    def _targets(self, paths: Iterable[Path] | None) -> list[tuple[Path, PostInfo | None]]:
        if paths is None:
            if self.site is None:
                return []
            return [(i.path, i) for i in self.site.all_posts]
        out = []
        for p in paths:
            p = Path(p).resolve()
            out.append((p, self.site.info_for(p) if self.site else None))
        return out

    def _apply_site_rules(self, results: list[FileResult]) -> None:
        """PD204 over the whole site: posts not among `results` join the index too."""
        index = self.build_index(results)
        for res in results:
            if res.signature is None:
                continue
            extra = self._site_findings(res, index)
            if extra:
                lines = res.path.read_text(encoding="utf-8-sig", errors="replace").split("\n") if res.path.exists() else []
                res.findings = self._finish(res.findings + extra, lines)

    def build_index(self, results: Iterable[FileResult] = ()):
        """The cross-post similarity index over every post of the site."""
        from .rules import similar
        index = similar.SimilarityIndex(self.config)
        seen = set()
        for res in results:
            if res.signature is not None:
                index.add(res.rel, res.signature)
                seen.add(res.rel)
        if self.site is not None:
            for info in self.site.posts:
                if info.rel in seen:
                    continue
                try:
                    doc = Document.load(info.path)
                except (DocumentError, OSError):
                    continue
                index.add(info.rel, similar.signature(self.parse(doc)))
        return index


def summary(results: Iterable[FileResult]) -> dict[str, int]:
    results = list(results)
    counts = count_by_severity(f for r in results for f in r.findings)
    return {"files": len(results), "errors": counts[Severity.ERROR], "warnings": counts[Severity.WARNING],
            "infos": counts[Severity.INFO]}


def iter_findings(results: Iterable[FileResult]) -> Iterator[tuple[FileResult, Finding]]:
    for r in results:
        for f in r.findings:
            yield r, f
