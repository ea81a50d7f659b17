"""The sample site (content/) against its manifest (content/MANIFEST.md), through
`postdesk check --format json`: issue 2 point 7 and issue 3's "Done when".

Each clean post gives no finding at all; each damaged post gives exactly the findings
its row lists, on the listed lines (an extra finding fails as a missing one does);
between them the posts make every rule code fire. `jekyll build` must still build the
site, damage and all.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.acceptance.report import ALL_CODES, check_site, differences

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "content"
MANIFEST = SITE / "MANIFEST.md"
ROW = re.compile(r"^\|\s*`?(?P<stem>[\w.-]+?)`?\s*\|\s*(?P<state>clean|damaged)\s*\|(?P<findings>[^|]*)\|")
EXPECT = re.compile(r"\b(PD\d{3}):(\d+|post)\b")


def manifest_rows() -> dict[str, tuple[str, list[tuple[str, int | None]], str]]:
    """stem -> (state, expected [(rule, line or None)], the whole row)."""
    rows = {}
    for line in MANIFEST.read_text(encoding="utf-8").split("\n"):
        m = ROW.match(line)
        if m:
            expected = [(code, None if where == "post" else int(where)) for code, where in EXPECT.findall(m["findings"])]
            assert m["stem"] not in rows, f"{m['stem']} has two rows"
            rows[m["stem"]] = (m["state"], expected, line)
    return rows


ROWS = manifest_rows() if MANIFEST.is_file() else {}


def site_files() -> dict[str, str]:
    """stem -> site-relative path of every post and draft (any Markdown extension)."""
    files = {}
    for folder in ("_posts", "_drafts"):
        for path in sorted((SITE / folder).iterdir()):
            if path.suffix in (".md", ".markdown", ".mkd") and path.is_file():
                files[path.stem] = f"{folder}/{path.name}"
    return files


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    return check_site(SITE, tmp_path_factory.mktemp("sample") / "report.json")


def test_manifest_has_a_row_for_every_post_and_draft():
    assert sorted(ROWS) == sorted(site_files())


def test_site_is_the_size_issue_2_asks_for():
    files = site_files()
    assert len([f for f in files.values() if f.startswith("_posts/")]) >= 15
    assert len([f for f in files.values() if f.startswith("_drafts/")]) >= 3
    assert len([s for s, (state, _, _) in ROWS.items() if state == "clean" and files[s].startswith("_posts/")]) >= 5


def test_the_word_clean_appears_only_on_clean_rows():
    """tests/rules/test_front_matter.py picks clean posts by the word on their row."""
    for stem, (state, expected, line) in ROWS.items():
        assert ("clean" in line.lower()) == (state == "clean"), line
        assert (state == "clean") == (not expected), line


@pytest.mark.parametrize("stem", sorted(ROWS))
def test_post_gives_exactly_its_manifest_findings(stem, report):
    state, expected, _ = ROWS[stem]
    rel = site_files()[stem]
    assert rel in report, f"{rel} has no result"
    assert differences(report[rel], expected) == [], f"{rel} ({state})"


def test_every_rule_code_fires_somewhere_in_the_sample_site(report):
    listed = {code for _, expected, _ in ROWS.values() for code, _ in expected}
    fired = {f.rule for findings in report.values() for f in findings}
    assert set(ALL_CODES) - listed == set(), "codes the manifest never expects"
    assert set(ALL_CODES) - fired == set(), "codes that fire nowhere in content/"


def test_damage_is_spread_over_posts(report):
    """Damage both alone and several kinds together: some damaged posts carry one
    family of damage only, others four or more codes."""
    kinds = [len({code for code, _ in expected}) for state, expected, _ in ROWS.values() if state == "damaged"]
    assert min(kinds) <= 2 and max(kinds) >= 6, Counter(kinds)


def test_jekyll_builds_the_sample_site(tmp_path):
    """The damage is editorial, not fatal: Jekyll still builds every published post
    (drafts are not built without --drafts). The disk cache is off so that the build
    leaves nothing in content/."""
    assert shutil.which("jekyll"), "Debian's jekyll is needed (packaging/linux/install-deps.sh installs it)"
    out = tmp_path / "site"
    done = subprocess.run(["jekyll", "build", "--source", str(SITE), "--destination", str(out),
                           "--disable-disk-cache", "--quiet"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    built = list(out.glob("20*/**/index.html"))
    posts = [f for f in site_files().values() if f.startswith("_posts/")]
    assert len(built) == len(posts), sorted(str(p.relative_to(out)) for p in built)
    assert (out / "contact" / "index.html").is_file() or (out / "contact.html").is_file()
    assert not (out / "MANIFEST.md").exists() and not (out / "MANIFEST.html").exists()
