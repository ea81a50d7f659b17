"""`path:line: PD202 duplicate-section message`, one line a finding, as linters print."""
from __future__ import annotations

from . import Report, one_line


def render(report: Report) -> str:
    out = []
    for res in report.results:
        for f in res.findings:
            out.append(f"{res.rel}:{f.line}: {f.rule} {f.name} {one_line(f.message(report.lang))}")
    s = report.summary
    if report.lang == "en":
        out.append(f"{s['files']} files checked: {s['errors']} errors, {s['warnings']} warnings, {s['infos']} infos")
    else:
        out.append(f"{s['files']} ファイルを検査: エラー {s['errors']} 件、警告 {s['warnings']} 件、情報 {s['infos']} 件")
    return "\n".join(out) + "\n"
