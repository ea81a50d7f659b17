"""`postdesk check --format sarif|junit|github`: each format validated with the tools CI
servers use (SARIF against the 2.1.0 JSON schema with jsonschema, JUnit against the
Jenkins/Ant junit-10.xsd with xmlschema), the details rules.md names for each, and
the promise every format keeps: the same findings, the same one-line messages in the
language `--lang` picks, the same exit status.

The schemas are committed under tests/fixtures/schemas/ (see its README): no test
reaches the network.
"""
from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import xmlschema

from app.cli import main
from app.core.engine import FileResult
from app.core.findings import Finding, Severity, Text
from app.core.reports import FORMATS, Report, renderer
from app.core.rules import REGISTRY
from tests.rules.harness import CLEAN_POST, POST_NAME, fix_text, make_site

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"
CONTENT = Path(__file__).resolve().parents[2] / "content"

# The clean post damaged five ways, each on a known line, four of them with a fix,
# and linking to itself (an `info` finding).
DAMAGED = (CLEAN_POST
           .replace("生成AIの導入は、", "生成AI の導入は、")                              # PD106, line 15
           .replace("ここでは準備の順番を整理します。",
                    "ここでは準備の順番を整理します（[この記事](/2026/03/04/1-sample-post/)）。")  # PD603, line 15
           .replace("具体的な目標が", "具体的な目標が[cite: 調査会社A]")                    # PD105, line 21
           .replace("### 2. 小さく試す", "---END---\n\n### 2. 小さく試す")                # PD101, line 23
           .replace("始めますか？\n\n---", "始めますか？\n---")                            # PD107, line 31
           .replace("utm_campaign=strategy", "utm_campaign=news"))                          # PD302, line 44
EXPECTED = [("PD106", 15), ("PD603", 15), ("PD105", 21), ("PD101", 23), ("PD107", 31), ("PD302", 44)]


@pytest.fixture(scope="module")
def sarif_validator():
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


@pytest.fixture(scope="module")
def junit_schema():
    return xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))


def run(root: Path, fmt: str, *args: str, lang: str = "en", out_dir: Path | None = None) -> tuple[int, str]:
    """`postdesk check ROOT --format FMT`: its exit status and its report, written
    beside the site (or into `out_dir`: never into a site the test does not own)."""
    out = (out_dir or root.parent) / f"report.{fmt}"
    status = main(["check", str(root), "--format", fmt, "--output", str(out), "--lang", lang, "--no-cache", *args])
    return status, out.read_text(encoding="utf-8")


def damaged_site(tmp_path: Path, post: str = DAMAGED) -> Path:
    site, _ = make_site(tmp_path, post)
    return site.root


def assert_valid_sarif(validator, text: str) -> dict:
    log = json.loads(text)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    return log


# -- one reader per format: (path, rule, line, message) for every finding ----------
def _unescape(value: str) -> str:
    return value.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def read_findings(fmt: str, text: str) -> list[tuple[str, str, int, str]]:
    """What a consumer of each format reads back, so the formats can be compared."""
    out = []
    if fmt == "json":
        for f in json.loads(text)["files"]:
            out += [(f["path"], x["rule"], x["line"], x["message"]) for x in f["findings"]]
    elif fmt == "text":
        for line in text.splitlines()[:-1]:
            m = re.match(r"(.+?):(\d+): (PD\d+) \S+ (.*)$", line)
            out.append((m[1], m[3], int(m[2]), m[4]))
    elif fmt == "sarif":
        for r in json.loads(text)["runs"][0]["results"]:
            loc = r["locations"][0]["physicalLocation"]
            out.append((loc["artifactLocation"]["uri"], r["ruleId"], loc["region"]["startLine"], r["message"]["text"]))
    elif fmt == "junit":
        for case in ET.fromstring(text).iter("testcase"):
            for failure in case.iter("failure"):
                line = int(re.search(r":(\d+): ", failure.text)[1])
                out.append((case.get("classname"), case.get("name").split()[0], line, failure.get("message")))
    elif fmt == "github":
        for line in text.splitlines():
            m = re.match(r"::(error|warning|notice) (.*?)::(.*)$", line)
            if m:
                props = dict(p.split("=", 1) for p in m[2].split(","))
                out.append((_unescape(props["file"]), _unescape(props["title"]).split()[0], int(props["line"]),
                            _unescape(m[3])))
    return sorted(out)


# -- every format --------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_format_carries_the_same_findings_messages_and_exit_status(tmp_path, lang):
    root = damaged_site(tmp_path)
    status, reference = run(root, "json", lang=lang)
    expected = read_findings("json", reference)
    assert [(r, n) for p, r, n, _m in expected if p == POST_NAME] == sorted(EXPECTED)
    for fmt in FORMATS:
        fmt_status, text = run(root, fmt, lang=lang)
        assert fmt_status == status == 1, fmt
        assert read_findings(fmt, text) == expected, fmt


def test_messages_follow_lang(tmp_path):
    """Japanese with --lang ja, English with --lang en, in every format."""
    root = damaged_site(tmp_path)
    kana = re.compile("[\u3040-\u30ff]")
    for fmt in ("sarif", "junit", "github"):
        ja, en = ({(r, n): m for p, r, n, m in read_findings(fmt, run(root, fmt, lang=lang)[1]) if p == POST_NAME}
                  for lang in ("ja", "en"))
        assert ja.keys() == en.keys()
        assert all(kana.search(m) for m in ja.values()), fmt
        assert en[("PD101", 23)] == "Generation marker “---END---” left in the text."
        assert not kana.search(en[("PD101", 23)]) and ja[("PD101", 23)] != en[("PD101", 23)]


@pytest.mark.parametrize("fmt", ["sarif", "junit", "github"])
def test_clean_site_exits_0_in_every_format(tmp_path, fmt):
    status, _ = run(damaged_site(tmp_path, CLEAN_POST), fmt)
    assert status == 0


# -- SARIF ---------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_sarif_validates_against_the_2_1_0_schema(tmp_path, sarif_validator, lang):
    log = assert_valid_sarif(sarif_validator, run(damaged_site(tmp_path), "sarif", lang=lang)[1])
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")


def test_sarif_of_the_sample_site_validates(tmp_path, sarif_validator):
    status, text = run(CONTENT, "sarif", out_dir=tmp_path)
    log = assert_valid_sarif(sarif_validator, text)
    assert status == 1 and log["runs"][0]["results"]


def test_sarif_has_results_even_when_empty(tmp_path, sarif_validator):
    log = assert_valid_sarif(sarif_validator, run(damaged_site(tmp_path, CLEAN_POST), "sarif")[1])
    assert log["runs"][0]["results"] == []
    assert len(log["runs"][0]["tool"]["driver"]["rules"]) == len(REGISTRY)


def test_sarif_driver_rules_come_from_the_registry(tmp_path):
    log = json.loads(run(damaged_site(tmp_path), "sarif")[1])
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(REGISTRY)
    for r in rules:
        meta = REGISTRY[r["id"]]
        assert r["name"] == meta.name
        assert r["shortDescription"]["text"] == meta.title("en")
        assert r["fullDescription"]["text"] == meta.description("en")
        assert r["help"]["text"].startswith(f"{meta.code} {meta.name}")
        assert r["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning", "info": "note"}[
            meta.severity.value]


def test_sarif_result_fields(tmp_path):
    run_ = json.loads(run(damaged_site(tmp_path), "sarif")[1])["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    by_rule = {r["ruleId"]: r for r in run_["results"]}
    for r in run_["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["partialFingerprints"]
    assert by_rule["PD603"]["level"] == "note"  # info
    assert by_rule["PD106"]["level"] == "warning" and by_rule["PD101"]["level"] == "error"
    cite = by_rule["PD105"]["locations"][0]["physicalLocation"]
    assert cite["artifactLocation"] == {"uri": POST_NAME, "uriBaseId": "SITEROOT", "index": cite["artifactLocation"]["index"]}
    # columns are 1-based code points: the marker starts after 47 characters of Japanese text
    line21 = DAMAGED.split("\n")[20]
    start = line21.index("[cite:") + 1
    assert cite["region"] == {"startLine": 21, "endLine": 21, "startColumn": start,
                              "endColumn": start + len("[cite: 調査会社A]")}
    assert run_["columnKind"] == "unicodeCodePoints"
    base = run_["originalUriBaseIds"]["SITEROOT"]["uri"]
    assert base.startswith("file:///") and base.endswith("/")


def test_sarif_severity_from_site_config(tmp_path):
    """A rule the site turns to info is a `note`; one it turns off is absent."""
    site, _ = make_site(tmp_path, DAMAGED, config="rules:\n  PD106: {severity: info}\n  PD302: off\n")
    results = json.loads(run(site.root, "sarif")[1])["runs"][0]["results"]
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels["PD106"] == "note" and "PD302" not in levels


def test_sarif_uris_are_relative_slash_separated_and_percent_encoded(tmp_path, sarif_validator):
    draft = "_drafts/生成AI メモ#1.md"
    site, _ = make_site(tmp_path, DAMAGED, files={draft: DAMAGED.replace("date: 2026-03-04 09:12:30 +0900\n", "")})
    log = assert_valid_sarif(sarif_validator, run(site.root, "sarif")[1])
    uris = {a["location"]["uri"] for a in log["runs"][0]["artifacts"]}
    assert "_drafts/%E7%94%9F%E6%88%90AI%20%E3%83%A1%E3%83%A2%231.md" in uris
    for r in log["runs"][0]["results"]:
        uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert not uri.startswith("/") and "\\" not in uri and ":" not in uri and " " not in uri


def test_sarif_fingerprints_are_stable_across_runs_and_edits_above(tmp_path):
    root = damaged_site(tmp_path)

    def prints() -> dict[tuple[str, str], tuple[int, str]]:
        results = json.loads(run(root, "sarif")[1])["runs"][0]["results"]
        return {(r["ruleId"], r["message"]["text"]): (r["locations"][0]["physicalLocation"]["region"]["startLine"],
                                                      *r["partialFingerprints"].values()) for r in results}

    first, second = prints(), prints()
    assert first == second
    assert len({p for _, p in first.values()}) == len(first), "fingerprints are distinct"
    post = root / POST_NAME
    post.write_text(post.read_text(encoding="utf-8").replace(
        "## 最初の90日", "導入の前に読んでおきたい話です。\n\n## 最初の90日"), encoding="utf-8")
    moved = prints()
    marker = next(k for k in first if k[0] == "PD101")
    assert moved[marker][0] == first[marker][0] + 2, "the marker moved down two lines"
    assert moved[marker][1] == first[marker][1], "and kept its fingerprint"


def test_identical_findings_on_identical_lines_get_distinct_fingerprints(tmp_path):
    twice = DAMAGED.replace("### 2. 小さく試す", "---END---\n\n### 2. 小さく試す", 1)
    results = json.loads(run(damaged_site(tmp_path, twice), "sarif")[1])["runs"][0]["results"]
    markers = [r for r in results if r["ruleId"] == "PD101"]
    assert len(markers) == 2
    assert len({tuple(r["partialFingerprints"].values()) for r in markers}) == 2


def apply_sarif_fix(raw: str, fix: dict) -> str:
    """Apply a SARIF fix the way a consumer does: regions are 1-based lines and
    code-point columns of the file as written (CRLF included), end column exclusive."""
    lines = raw.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    def offset(line: int, col: int) -> int:
        return starts[line - 1] + col - 1

    out = raw
    for change in fix["artifactChanges"]:
        reps = sorted(change["replacements"], key=lambda r: (r["deletedRegion"]["startLine"],
                                                             r["deletedRegion"]["startColumn"]), reverse=True)
        for rep in reps:
            reg = rep["deletedRegion"]
            a, b = offset(reg["startLine"], reg["startColumn"]), offset(reg["endLine"], reg["endColumn"])
            out = out[:a] + rep.get("insertedContent", {}).get("text", "") + out[b:]
    return out


@pytest.mark.parametrize("code", ["PD101", "PD105", "PD106", "PD107", "PD302"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_sarif_fix_applied_by_a_consumer_equals_postdesk_fix(tmp_path, code, newline):
    post = DAMAGED.replace("\n", newline)
    root = damaged_site(tmp_path / "a", post)
    result = next(r for r in json.loads(run(root, "sarif")[1])["runs"][0]["results"] if r["ruleId"] == code)
    assert len(result["fixes"]) == 1
    raw = (root / POST_NAME).read_bytes().decode("utf-8")
    by_consumer = apply_sarif_fix(raw, result["fixes"][0])
    by_postdesk = fix_text(tmp_path / "b", post, code).replace("\n", newline)
    assert by_consumer == by_postdesk
    assert by_consumer != raw


def test_sarif_fix_safety_and_unfixable_findings(tmp_path):
    results = json.loads(run(damaged_site(tmp_path), "sarif")[1])["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    assert "fixes" not in by_rule["PD603"]
    assert by_rule["PD101"]["fixes"][0]["properties"]["safe"] is True


def test_sarif_unreadable_file_and_related_locations(tmp_path, sarif_validator):
    section = "### 2. 小さく試す\n\n全社展開の前に、一つの部署で二週間だけ試します。結果を数字で残すことが大切です。\n"
    site, _ = make_site(tmp_path, CLEAN_POST.replace(section, section + "\n" + section),
                        files={"_posts/2026-03-05-1-image.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"})
    status, text = run(site.root, "sarif")
    log = assert_valid_sarif(sarif_validator, text)
    by_rule = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert by_rule["PD500"]["partialFingerprints"]
    dup = by_rule["PD202"]
    assert dup["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 23
    assert status == 1


# -- JUnit ---------------------------------------------------------------------------
def test_junit_validates_and_has_one_failure_per_finding(tmp_path, junit_schema):
    root = damaged_site(tmp_path)
    status, text = run(root, "junit")
    junit_schema.validate(text)
    doc = ET.fromstring(text)
    suites = {s.get("name"): s for s in doc.iter("testsuite")}
    post = suites[POST_NAME]
    cases = post.findall("testcase")
    assert len(cases) == len(EXPECTED) == int(post.get("failures")) == int(post.get("tests"))
    assert all(c.find("failure") is not None for c in cases)
    assert {c.find("failure").get("type") for c in cases} == {"error", "warning", "info"}
    assert int(doc.get("failures")) == sum(int(s.get("failures")) for s in suites.values())
    assert int(doc.get("tests")) == sum(int(s.get("tests")) for s in suites.values())
    related = suites["_posts/2026-02-18-2-rag-first-walls.md"]
    assert [(c.get("name"), c.find("failure")) for c in related.findall("testcase")] == [("no findings", None)]
    for case in doc.iter("testcase"):
        assert case.get("classname") in suites and case.get("classname") == case.get("classname").strip()
        assert "file" not in case.attrib and "line" not in case.attrib
    for el in [doc, *doc.iter("testsuite"), *doc.iter("testcase")]:
        assert re.fullmatch(r"\d+(\.\d{1,3})?", el.get("time")), el.get("time")
    assert status == 1


def test_junit_of_the_sample_site_validates(junit_schema, tmp_path):
    status, text = run(CONTENT, "junit", out_dir=tmp_path)
    junit_schema.validate(text)
    failures = int(ET.fromstring(text).get("failures"))
    _, reference = run(CONTENT, "json", out_dir=tmp_path)
    assert failures == sum(len(f["findings"]) for f in json.loads(reference)["files"])


def test_junit_case_names_follow_lang(tmp_path):
    root = damaged_site(tmp_path)
    names = {lang: [c.get("name") for c in ET.fromstring(run(root, "junit", lang=lang)[1]).iter("testcase")
                    if c.get("classname") == POST_NAME and "PD101" in c.get("name")] for lang in ("ja", "en")}
    assert names == {"ja": ["PD101 generation-marker (23 行目)"], "en": ["PD101 generation-marker (line 23)"]}


def synthetic_report(message: str, rel: str = "_posts/2026-01-01-x.md", severity=Severity.ERROR, **kw) -> Report:
    finding = Finding("PD101", "generation-marker", severity, 3, Text(message, message), **kw)
    return Report([FileResult(Path("/nonexistent") / rel, rel, [finding])], Path("/nonexistent"), "en", "0.1.0", 1.23456)


def test_junit_drops_characters_xml_cannot_carry(junit_schema):
    text = renderer("junit")(synthetic_report("bad \x00 byte \x1b[31m and <tag> & \"quote\" 💥"))
    junit_schema.validate(text)
    failure = ET.fromstring(text).find(".//failure")
    assert failure.get("message") == "bad  byte [31m and <tag> & \"quote\" 💥"
    assert ET.fromstring(text).get("time") == "1.235"


# -- GitHub annotations --------------------------------------------------------------
def test_github_annotation_lines(tmp_path):
    text = run(damaged_site(tmp_path), "github")[1]
    lines = text.splitlines()
    assert ("::error file=_posts/2026-03-04-1-sample-post.md,line=23,endLine=23,col=1,endColumn=9,"
            "title=PD101 generation-marker::Generation marker “---END---” left in the text.") in lines
    assert any(line.startswith("::notice file=_posts/2026-03-04-1-sample-post.md,line=15,") and
               "title=PD603 self-link::" in line for line in lines)
    assert any(line.startswith("::warning ") and "title=PD302 cta-campaign-mismatch::" in line for line in lines)
    assert lines[-1].startswith("postdesk: 2 files checked: 3 errors, 2 warnings, 1 infos")


def test_github_escapes_message_and_properties():
    rep = synthetic_report("50% done\r\nnext: a, b", rel="_posts/a:b,c%.md")
    line = renderer("github")(rep).splitlines()[0]
    assert line == ("::error file=_posts/a%3Ab%2Cc%25.md,line=3,endLine=3,title=PD101 generation-marker"
                    "::50%25 done next: a, b")  # messages are one line: CR/LF collapse first
    from app.core.reports.github_report import escape_data, escape_property
    assert escape_data("50%\r\nx: y, z") == "50%25%0D%0Ax: y, z"
    assert escape_property("50%\r\nx: y, z") == "50%25%0D%0Ax%3A y%2C z"


def test_github_file_is_relative_to_the_workspace(tmp_path, monkeypatch):
    """A site kept in a folder of its repository: annotations name the file from the
    repository root, where GitHub looks for it."""
    root = damaged_site(tmp_path)  # tmp_path/site
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    annotations = [line for line in run(root, "github")[1].splitlines() if line.startswith("::")]
    assert annotations and all("file=site/_posts/" in line for line in annotations)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "elsewhere"))
    assert "file=_posts/" in run(root, "github")[1]


def test_every_sarif_fix_on_the_aside_posts_equals_postdesk_edit(tmp_path):
    """The realistic posts kept aside, the BOM/CRLF variant in place of its plain
    original: each of their fixes, applied from the SARIF as a consumer applies it to
    the file as written, gives the bytes PostDesk's own edit gives."""
    from app.core.document import Document
    from app.core.engine import Engine
    from app.core.site import Site
    aside = Path(__file__).resolve().parents[1] / "fixtures" / "aside"
    root = tmp_path / "site"
    shutil.copytree(aside / "site", root)
    variant = next((aside / "bom_crlf").glob("*.md"))
    shutil.copyfile(variant, root / "_posts" / variant.name.replace(".bom-crlf", ""))
    results = Engine(Site(root)).check_site()
    log = json.loads(renderer("sarif")(Report(results, root, "en", "0.1.0")))
    checked = 0
    for (res, f), sarif in zip([(r, f) for r in results for f in r.findings], log["runs"][0]["results"]):
        assert sarif["ruleId"] == f.rule
        if f.fix is None:
            continue
        raw = res.path.read_bytes().decode("utf-8")
        bom = raw.startswith("\ufeff")
        by_consumer = apply_sarif_fix(raw[1:] if bom else raw, sarif["fixes"][0])
        by_postdesk = Document.load(res.path).with_edits(f.fix.edits).to_bytes().decode("utf-8")
        assert ("\ufeff" if bom else "") + by_consumer == by_postdesk, (res.rel, f.rule, f.line)
        checked += 1
    assert checked >= 40


def test_junit_case_names_of_a_span():
    from app.core.reports.junit_report import case_name
    f = Finding("PD202", "duplicate-section", Severity.ERROR, 37, Text("", ""), end_line=41)
    assert case_name(f, "ja") == "PD202 duplicate-section (37〜41 行目)"
    assert case_name(f, "en") == "PD202 duplicate-section (lines 37–41)"
