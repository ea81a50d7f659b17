"""JUnit XML, the test-report format CI servers read (Jenkins, GitLab, Azure
Pipelines, CircleCI, TeamCity).

Shaped as ESLint's JUnit report is (rules.md, "Command line"): one `<testsuite>` per
checked file, one failing `<testcase>` per finding whatever its severity (a post with
13 findings shows 13 failures, not 1), one passing case for a file without findings,
`classname` the file's site-relative path, no `file`/`line` attributes on test cases
(the Jenkins/Ant schema has none), and `time` with at most three decimals. The
failure's `message` is the finding's one-line message in the report's language, its
`type` the severity, its text the compiler-style line of the text report.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..findings import Finding
from . import Report, finding_line, one_line

# Characters XML 1.0 cannot carry at all, even escaped (a binary file's message or a
# broken front matter can quote them); they are dropped rather than break the report.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def seconds(value: float) -> str:
    """`time` as the schema's SUREFIRE_TIME wants it: never negative, three decimals."""
    return f"{max(value, 0.0):.3f}"


def case_name(f: Finding, lang: str) -> str:
    """Distinct per finding within a file: code, name and line span, in the report's
    language (`PD202 duplicate-section (37〜41 行目)`, `… (lines 37–41)`)."""
    one = f.last_line == f.line
    if lang == "ja":
        return f"{f.rule} {f.name} ({f.line if one else f'{f.line}〜{f.last_line}'} 行目)"
    return f"{f.rule} {f.name} ({f'line {f.line}' if one else f'lines {f.line}–{f.last_line}'})"


def failure_case(suite: ET.Element, rel: str, f: Finding, lang: str, time: str) -> None:
    case = ET.SubElement(suite, "testcase", name=xml_text(case_name(f, lang)), classname=xml_text(rel), time=time)
    failure = ET.SubElement(case, "failure", message=xml_text(one_line(f.message(lang))), type=f.severity.value)
    failure.text = xml_text(finding_line(rel, f, lang))


def passing_case(suite: ET.Element, rel: str, lang: str, time: str) -> None:
    name = "指摘なし" if lang == "ja" else "no findings"
    ET.SubElement(suite, "testcase", name=name, classname=xml_text(rel), time=time)


def render(report: Report) -> str:
    """The check's time is measured for the whole run; each file's suite gets an even
    share of it (the engine does not time files one by one), its cases none."""
    lang = report.lang
    total_failures = sum(len(r.findings) for r in report.results)
    total_tests = sum(max(1, len(r.findings)) for r in report.results)
    root = ET.Element("testsuites", name="postdesk", tests=str(total_tests), failures=str(total_failures),
                      errors="0", time=seconds(report.elapsed))
    share = seconds(report.elapsed / len(report.results)) if report.results else "0.000"
    for res in report.results:
        suite = ET.SubElement(root, "testsuite", name=xml_text(res.rel), tests=str(max(1, len(res.findings))),
                              failures=str(len(res.findings)), errors="0", skipped="0", time=share)
        if not res.findings:
            passing_case(suite, res.rel, lang, "0.000")
        for f in res.findings:
            failure_case(suite, res.rel, f, lang, "0.000")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
