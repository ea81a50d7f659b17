"""The result cache: a hit gives exactly what a fresh check gives; a change of content,
configuration, engine version or a dependency misses; a broken cache is ignored;
`--no-cache` neither reads nor writes it. Never a duration."""
from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from app import cli
from app.core import cache as cache_mod
from app.core.cache import CACHE_DIR, CACHE_FILE, ResultCache, decode_value, encode_value
from app.core.engine import Engine
from app.core.site import Site

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
def site_root(tmp_path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(CONTENT, root, ignore=shutil.ignore_patterns(".jekyll-cache", "_site", CACHE_DIR))
    return root


def run(root: Path):
    """A check of the whole site through its cache, as `postdesk check` does it."""
    site = Site(root)
    engine = Engine(site)
    cache = ResultCache.for_site(site, engine.config, [r.code for r in engine.rules])
    results = engine.check_site(jobs=1, cache=cache)
    return results, cache


def fresh(root: Path):
    return Engine(Site(root)).check_site(jobs=1)


def table(results):
    return [(r.rel, r.findings) for r in results]


def test_a_hit_returns_exactly_the_findings_of_a_fresh_check(site_root):
    first, c1 = run(site_root)
    assert c1.hits == 0 and c1.misses == len(first)
    second, c2 = run(site_root)
    assert c2.hits == len(second) and c2.misses == 0
    assert table(second) == table(first) == table(fresh(site_root))
    assert [r.title for r in second] == [r.title for r in first]
    assert any(f.fix is not None for r in second for f in r.findings)  # fixes survive the round trip


def linked_to(results, site: Site) -> set[str]:
    """The posts some other post links to (their changes re-check the linkers too)."""
    return {t.rel for r in results for u in (r.deps.urls if r.deps else ())
            if (t := site.post_for_url(u)) is not None and t.rel != r.rel}


def test_a_changed_post_is_checked_again_and_only_it(site_root):
    first, _ = run(site_root)
    linked = linked_to(first, Site(site_root))
    post = next(p for p in sorted((site_root / "_posts").glob("*.md"))
                if p.relative_to(site_root).as_posix() not in linked)
    post.write_text(post.read_text(encoding="utf-8") + "\n---END---\n", encoding="utf-8")
    results, cache = run(site_root)
    assert cache.misses == 1 and cache.hits == len(results) - 1
    assert table(results) == table(fresh(site_root))
    rel = post.relative_to(site_root).as_posix()
    assert "PD101" in [f.rule for r in results if r.rel == rel for f in r.findings]


def test_a_configuration_change_misses_everything(site_root):
    run(site_root)
    cfg = site_root / ".editorial.yml"
    text = re.sub(r"^rules:.*$", "", cfg.read_text(encoding="utf-8"), flags=re.M)
    cfg.write_text(text + "\nrules:\n  PD106: off\n", encoding="utf-8")
    results, cache = run(site_root)
    assert cache.hits == 0
    assert table(results) == table(fresh(site_root))
    assert "PD106" not in {f.rule for r in results for f in r.findings}


def test_another_engine_version_misses_everything(site_root, monkeypatch):
    run(site_root)
    monkeypatch.setattr(cache_mod, "engine_version", lambda: "some-other-version")
    _, cache = run(site_root)
    assert cache.hits == 0


def test_a_layout_change_misses_everything(site_root):
    run(site_root)
    footer = site_root / "_includes" / "footer.html"
    footer.write_text(re.sub("Amazonのアソシエイトとして[^<]*", "", footer.read_text(encoding="utf-8")), encoding="utf-8")
    results, cache = run(site_root)
    assert cache.hits == 0
    assert table(results) == table(fresh(site_root))


def _linker_and_target(root: Path) -> tuple[Path, Path, str]:
    """A post with a related-post link to another post, and that post."""
    site = Site(root)
    for info in site.posts:
        text = info.path.read_text(encoding="utf-8")
        for title, url in re.findall(r"^- \[([^\]]+)\]\((/\d{4}/[^)]+)\)", text, re.M):
            target = site.post_for_url(url)
            if target is not None and title in target.path.read_text(encoding="utf-8"):
                return info.path, target.path, title
    raise AssertionError("the sample site has a related-post link with its target's real title")


def test_retitling_a_post_rechecks_the_posts_linking_to_it(site_root):
    linker, target, title = _linker_and_target(site_root)
    run(site_root)
    target.write_text(target.read_text(encoding="utf-8").replace(f'title: "{title}"', 'title: "まったく新しい題名"', 1),
                      encoding="utf-8")
    results, cache = run(site_root)
    assert table(results) == table(fresh(site_root))
    rel = linker.relative_to(site_root).as_posix()
    assert "PD602" in [f.rule for r in results if r.rel == rel for f in r.findings]
    assert cache.hits >= len(results) - 1 - sum(  # the target itself, and the posts linking to it
        1 for r in results if r.deps and any(target.stem[11:].rstrip("-") in u for u in r.deps.urls))


def test_deleting_a_linked_post_gives_the_linker_pd601(site_root):
    linker, target, _ = _linker_and_target(site_root)
    run(site_root)
    target.unlink()
    results, _ = run(site_root)
    assert table(results) == table(fresh(site_root))
    rel = linker.relative_to(site_root).as_posix()
    assert "PD601" in [f.rule for r in results if r.rel == rel for f in r.findings]


def test_a_removed_share_image_gives_pd508_from_a_warm_cache(site_root):
    run(site_root)
    info = next(i for i in Site(site_root).posts
                if (site_root / f"assets/images/posts/{i.stem}-ogp.png").is_file()
                and f"{i.stem}-ogp.png" in i.path.read_text(encoding="utf-8"))
    (site_root / f"assets/images/posts/{info.stem}-ogp.png").unlink()
    results, _ = run(site_root)
    assert table(results) == table(fresh(site_root))
    assert "PD508" in [f.rule for r in results if r.rel == info.rel for f in r.findings]


def test_the_site_pass_sees_a_new_near_copy_even_when_the_original_is_cached(site_root):
    run(site_root)
    original = sorted((site_root / "_posts").glob("*.md"))[5]
    copy = original.with_name(original.name[:11] + "3-copied-post.md")
    shutil.copy(original, copy)
    results, cache = run(site_root)
    assert table(results) == table(fresh(site_root))
    rel = original.relative_to(site_root).as_posix()
    pd204 = [f for r in results if r.rel == rel for f in r.findings if f.rule == "PD204"]
    assert pd204 and "copied-post" in pd204[0].message.en
    assert cache.hits >= 1


def test_a_corrupt_cache_file_is_ignored_and_rebuilt(site_root):
    first, _ = run(site_root)
    path = site_root / CACHE_DIR / CACHE_FILE
    path.write_bytes(b"\x00not a database at all" * 100)
    results, cache = run(site_root)
    assert table(results) == table(first)
    assert cache.usable
    _, again = run(site_root)
    assert again.hits == len(results)


def test_a_damaged_row_is_a_miss(site_root):
    first, _ = run(site_root)
    db = sqlite3.connect(site_root / CACHE_DIR / CACHE_FILE)
    with db:
        db.execute("UPDATE entries SET data = x'00ff00'")
    db.close()
    results, cache = run(site_root)
    assert cache.hits == 0 and table(results) == table(first)


def test_the_cache_folder_keeps_itself_out_of_git(site_root):
    run(site_root)
    assert (site_root / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")


def test_no_cache_neither_reads_nor_writes(site_root, capsys):
    assert cli.main(["check", str(site_root), "--no-cache", "--format", "json", "-j", "1"]) in (0, 1)
    assert not (site_root / CACHE_DIR).exists()
    cli.main(["check", str(site_root), "--format", "json", "-j", "1"])
    path = site_root / CACHE_DIR / CACHE_FILE
    before = path.read_bytes()
    post = sorted((site_root / "_posts").glob("*.md"))[0]
    post.write_text(post.read_text(encoding="utf-8") + "\n---END---\n", encoding="utf-8")
    capsys.readouterr()
    cli.main(["check", str(site_root), "--no-cache", "--format", "json", "-j", "1"])
    no_cache_out = capsys.readouterr().out
    assert path.read_bytes() == before
    cli.main(["check", str(site_root), "--format", "json", "-j", "1"])
    assert capsys.readouterr().out.split('"summary"')[0] == no_cache_out.split('"summary"')[0]


def test_jobs_must_be_positive(site_root, capsys):
    assert cli.main(["check", str(site_root), "--jobs", "0"]) == 2


@pytest.mark.parametrize("value", [
    None, 3, 2.5, "文字", [1, [2, 3]], (1, ("a", None)), {"a": [1, 2], "b": {"c": (1,)}},
    {(1, 2): "tuple key", "~odd": 1}, {1, 2, 3}, frozenset({"x"}), {"v": 1, "sample": [5, 7, 11]},
])
def test_signature_values_round_trip_through_json(value):
    import json
    assert decode_value(json.dumps(encode_value(value))) == value


def test_the_decoder_refuses_foreign_classes():
    with pytest.raises(ValueError):
        decode_value('{"~c": ["os", "system", {}]}')
    with pytest.raises(TypeError):
        encode_value(object())


def _count_index_builds(monkeypatch) -> list:
    builds = []
    real = Engine.build_index

    def counting(self, *args, **kwargs):
        builds.append(1)
        return real(self, *args, **kwargs)
    monkeypatch.setattr(Engine, "build_index", counting)
    return builds


def test_an_unchanged_site_reuses_the_site_pass_and_a_changed_post_redoes_it(site_root, monkeypatch):
    first, _ = run(site_root)
    assert any(f.rule == "PD204" for r in first for f in r.findings)  # the sample site has a near pair
    builds = _count_index_builds(monkeypatch)
    second, _ = run(site_root)
    assert builds == []  # nothing changed: PD204's findings come from the cache
    assert table(second) == table(first) == table(fresh(site_root))
    builds.clear()  # (the fresh check above built its own index)
    # A near copy appears: the pass runs again and finds it.
    original = sorted((site_root / "_posts").glob("*.md"))[5]
    shutil.copy(original, original.with_name(original.name[:11] + "3-copied-post.md"))
    third, _ = run(site_root)
    assert builds == [1]
    assert table(third) == table(fresh(site_root))
    assert any("copied-post" in f.message.en for r in third for f in r.findings if f.rule == "PD204")


def test_a_check_of_some_posts_never_reuses_the_site_pass(site_root, monkeypatch):
    run(site_root)
    builds = _count_index_builds(monkeypatch)
    site = Site(site_root)
    engine = Engine(site)
    cache = ResultCache.for_site(site, engine.config, [r.code for r in engine.rules])
    some = [i.path for i in site.posts[:3]]
    results = engine.check_site(some, jobs=1, cache=cache)
    assert builds == [1]
    assert table(results) == table(Engine(Site(site_root)).check_site(some, jobs=1))


def _measuring(monkeypatch) -> list:
    """The post pairs PD204 measures from now on (SimilarityIndex.scores misses)."""
    from app.core.rules import similar
    measured = []
    real = similar.dice

    def counting(a, b):
        measured.append(1)
        return real(a, b)
    monkeypatch.setattr(similar, "dice", counting)
    return measured


def test_a_changed_post_remeasures_only_its_own_pd204_pairs(tmp_path, monkeypatch):
    """The pairs measured in the last whole-site pass are stored with the posts'
    digests: after one post changes, the pass measures only that post's pairs, and
    the findings are a fresh check's. (Before, every candidate pair of the site was
    measured again: some 34,000 at 5,000 posts.)"""
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import sitegen
    root = sitegen.make_site(tmp_path / "site", posts=80, seed=3)
    measured = _measuring(monkeypatch)
    run(root)
    everything = len(measured)
    post = sorted((root / "_posts").glob("*.md"))[40]
    post.write_text(post.read_text(encoding="utf-8") + "\n追記の段落です。\n", encoding="utf-8")
    measured.clear()
    second, _ = run(root)
    index = Engine(Site(root)).build_index([])
    rel = post.relative_to(root).as_posix()
    own = len(index.candidates(rel, index.signatures[rel]))
    assert len(measured) <= own < everything // 4  # its candidate pairs only, each once
    assert table(second) == table(fresh(root))
    assert any(f.rule == "PD204" for r in second for f in r.findings)


def test_stored_pairs_serve_only_unchanged_posts_and_survive_damage(tmp_path):
    cache = ResultCache(tmp_path / "c.sqlite3", "key-1")
    digests = {"a.md": "1" * 40, "b.md": "2" * 40, "c.md": "3" * 40}
    scores = {("a.md", "b.md"): (85.5, 12.0), ("a.md", "c.md"): (3.0, 97.25), ("b.md", "gone.md"): (1.0, 1.0)}
    cache.put_pair_scores(digests, scores)
    assert sorted(cache.pair_scores(digests)) == [("a.md", "b.md", 85.5, 12.0), ("a.md", "c.md", 3.0, 97.25)]
    assert list(cache.pair_scores(dict(digests, **{"c.md": "4" * 40}))) == [("a.md", "b.md", 85.5, 12.0)]
    assert list(ResultCache(tmp_path / "c.sqlite3", "key-2").pair_scores(digests)) == []  # another engine/config
    db = sqlite3.connect(tmp_path / "c.sqlite3")
    with db:
        db.execute("UPDATE meta SET v = ? WHERE k = 'pair_scores'", (b"\x05\x00\x00\x00garbage",))
    assert list(ResultCache(tmp_path / "c.sqlite3", "key-1").pair_scores(digests)) == []
