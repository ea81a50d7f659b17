"""What `postdesk check --format json` says about a site, as the acceptance tests read it.

Both acceptance suites (the sample site against content/MANIFEST.md, the posts kept
aside against tests/fixtures/aside/expected.yml) go through the real command line,
so they test what an editor's CI sees, not an in-process shortcut.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from app.cli import main

ALL_CODES = ["PD101", "PD102", "PD103", "PD104", "PD105", "PD106", "PD107", "PD108",
             "PD201", "PD202", "PD203", "PD204", "PD301", "PD302", "PD303", "PD304",
             "PD401", "PD402", "PD403", "PD404", "PD500", "PD501", "PD502", "PD503", "PD504",
             "PD505", "PD506", "PD507", "PD508", "PD509", "PD601", "PD602", "PD603", "PD701", "PD702"]
"""Every code rules.md defines (kept here, not read from the engine, so a rule that
drops out of the registry is noticed)."""


@dataclass(frozen=True)
class Reported:
    """One finding as the JSON report gives it."""

    rule: str
    line: int
    end_line: int
    related: tuple[int, ...]
    message: str


def check_site(root: Path, out: Path, *paths: Path) -> dict[str, list[Reported]]:
    """Run `postdesk check --format json --no-cache` on a site (or some of its files);
    findings per site-relative path. `--no-cache` keeps the site folder untouched."""
    args = ["check", *(str(p) for p in (paths or (root,))), "--site", str(root),
            "--format", "json", "--output", str(out), "--no-cache", "--lang", "en", "--jobs", "1"]
    status = main(args)
    assert status in (0, 1), f"postdesk check exited {status}"
    data = json.loads(out.read_text(encoding="utf-8"))
    return {f["path"]: [Reported(x["rule"], x["line"], x.get("end_line") or x["line"],
                                 tuple(r["line"] for r in x.get("related") or []), x["message"])
                        for x in f["findings"]]
            for f in data["files"]}


def differences(found: list[Reported], expected: list[tuple[str, int | None]]) -> list[str]:
    """What differs between the findings and the expectation, as readable lines.

    `expected` is a multiset of (rule, line); a line of None matches the rule on any
    line (findings about the whole post, where rules.md names no line). Exact lines
    are matched first. A missing finding and an extra one both count: a checker that
    flags what is fine is as wrong as one that misses damage.
    """
    got = Counter((f.rule, f.line) for f in found)
    exact = Counter({k: n for k, n in Counter(expected).items() if k[1] is not None})
    anywhere = Counter(rule for rule, line in expected if line is None)
    for key in list(exact):
        matched = min(exact[key], got[key])
        exact[key] -= matched
        got[key] -= matched
    for rule in list(anywhere):
        for key in sorted(k for k in got if k[0] == rule):
            matched = min(anywhere[rule], got[key])
            anywhere[rule] -= matched
            got[key] -= matched
    messages = {(f.rule, f.line): f.message for f in found}
    out = [f"missing {rule}:{line}" for (rule, line), n in exact.items() for _ in range(n)]
    out += [f"missing {rule} (anywhere in the post)" for rule, n in anywhere.items() for _ in range(n)]
    out += [f"unexpected {rule}:{line} {messages[(rule, line)]}" for (rule, line), n in got.items() for _ in range(n)]
    return sorted(out)
