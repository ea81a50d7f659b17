"""`postdesk check` end to end: mutations of a clean post give the finding and exit
status rules.md specifies; CRLF/BOM copies give the same findings on the same lines;
no input makes the engine raise."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.core.engine import Engine
from tests.rules.harness import CLEAN_POST, POST_NAME, make_site

CTA = ("[お問い合わせはこちら](/contact/?utm_source=article&utm_medium=cta&utm_campaign=strategy)\n"
       "{: .consulting-cta-link}\n")
DISCLOSURE = "*※ 本ページのリンクにはアフィリエイトリンクが含まれます。*\n"
SECTION = "### 2. 小さく試す\n\n全社展開の前に、一つの部署で二週間だけ試します。結果を数字で残すことが大切です。\n"
CLOSING = "あなたの会社では、どの業務から始めますか？\n"

MUTATIONS = {
    "cta removed": (lambda t: t.replace(CTA, ""), "PD301", 1),
    "disclosure removed": (lambda t: t.replace(DISCLOSURE, ""), "PD401", 1),
    "foreign tracking id": (lambda t: t.replace("tag=example-22", "tag=someone-22", 1), "PD404", 1),
    "wrong campaign": (lambda t: t.replace("utm_campaign=strategy", "utm_campaign=news"), "PD302", 0),
    "missing title": (lambda t: t.replace('title: "中小企業の生成AI導入、最初の90日で何をすべきか"\n', ""), "PD503", 1),
    "impossible date": (lambda t: t.replace("2026-03-04 09:12:30", "2026-02-30 09:12:30"), "PD504", 1),
    "broken yaml": (lambda t: t.replace("tags: [", "tags: [[", 1), "PD502", 1),
    "marker": (lambda t: t.replace(SECTION, "---END---\n\n" + SECTION), "PD101", 1),
    "duplicated section": (lambda t: t.replace(SECTION, SECTION + "\n" + SECTION), "PD202", 1),
    "paragraph glued to rule": (lambda t: t.replace(CLOSING + "\n---", CLOSING + "---"), "PD107", 1),
    "cite marker": (lambda t: t.replace("具体的な目標が", "具体的な目標が[cite: 調査会社A]"), "PD105", 1),
    "empty file": (lambda t: "", "PD501", 1),
}


def run_check(root, *args) -> tuple[int, dict]:
    out = root / "report.json"
    status = main(["check", str(root), "--format", "json", "--output", str(out), "--lang", "en", *args])
    return status, json.loads(out.read_text(encoding="utf-8"))


def post_findings(report: dict) -> list[dict]:
    return next(f["findings"] for f in report["files"] if f["path"] == POST_NAME)


def test_clean_post_has_no_findings(tmp_path):
    site, _ = make_site(tmp_path, CLEAN_POST)
    status, report = run_check(site.root)
    assert report["summary"]["errors"] == 0 and status == 0
    assert post_findings(report) == []


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_mutation_gives_its_finding_and_exit_status(tmp_path, name):
    mutate, code, status_expected = MUTATIONS[name]
    mutated = mutate(CLEAN_POST)
    assert mutated != CLEAN_POST, "the mutation must change the post"
    site, _ = make_site(tmp_path, mutated)
    status, report = run_check(site.root)
    assert code in {f["rule"] for f in post_findings(report)}
    assert status == status_expected


def test_binary_file_is_reported_and_others_still_checked(tmp_path):
    site, _ = make_site(tmp_path, CLEAN_POST.replace(CTA, ""),
                        files={"_posts/2026-03-05-1-image.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"})
    status, report = run_check(site.root)
    binary = next(f for f in report["files"] if f["path"] == "_posts/2026-03-05-1-image.md")
    assert [f["rule"] for f in binary["findings"]] == ["PD500"]
    assert "PD301" in {f["rule"] for f in post_findings(report)}
    assert status == 1


def test_broken_editorial_yml_is_a_configuration_error(tmp_path, capsys):
    site, _ = make_site(tmp_path, CLEAN_POST)
    (site.root / ".editorial.yml").write_text("duplicates: {similarity: high}\n", encoding="utf-8")
    assert main(["check", str(site.root)]) == 2
    assert "duplicates.similarity" in capsys.readouterr().err


@pytest.mark.parametrize("variant", ["crlf", "bom", "bom+crlf"])
def test_crlf_and_bom_copies_give_the_same_findings(tmp_path, variant):
    damaged = MUTATIONS["marker"][0](MUTATIONS["cite marker"][0](CLEAN_POST.replace(CTA, "")))
    data = damaged.replace("\n", "\r\n") if "crlf" in variant else damaged
    raw = (b"\xef\xbb\xbf" if "bom" in variant else b"") + data.encode("utf-8")
    plain_site, _ = make_site(tmp_path / "plain", damaged)
    other_site, _ = make_site(tmp_path / "other", raw)
    key = lambda fs: sorted((f["rule"], f["line"], f["end_line"], f["message"]) for f in fs)
    plain = key(post_findings(run_check(plain_site.root)[1]))
    other = key(post_findings(run_check(other_site.root)[1]))
    assert plain and plain == other


def test_usage_errors_exit_2(tmp_path):
    assert main(["check", str(tmp_path / "missing")]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "xml"])
    assert exc.value.code == 2


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(lambda s: s.encode("utf-8")),
                      st.text(max_size=300).map(lambda s: ("---\ntitle: x\n---\n" + s).encode("utf-8"))))
def test_engine_never_raises_and_every_file_gets_a_result(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("fuzz")
    (root / "_posts").mkdir()
    (root / "_posts" / "2026-01-01-1-a.md").write_bytes(data)
    (root / "_posts" / "2026-01-02-1-b.md").write_bytes(CLEAN_POST.encode())
    from app.core.site import Site
    results = Engine(Site(root)).check_site()
    assert [r.rel for r in results] == ["_posts/2026-01-01-1-a.md", "_posts/2026-01-02-1-b.md"]
