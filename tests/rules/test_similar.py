"""PD204: near-duplicate posts across the site (app/core/rules/similar.py).

Fires: the sample site's two regional-bank chatbot posts, the aside fixtures' two
90-day posts, a rewritten copy, a copy under a near-identical title. Does not fire:
distinct posts on the same topic, posts sharing only their footer, CTA, books and
disclosure, stubs. Scale: on generated sites of a few hundred distinct posts the
candidate comparisons grow about linearly (counted, not timed).
"""
from __future__ import annotations

import json
import pickle
import random
from pathlib import Path


from app.core.config import Config
from app.core.document import Document
from app.core.engine import Engine
from app.core.parse import ParsedPost
from app.core.rules import similar
from app.core.site import Site
from tests.rules.harness import CLEAN_POST, POST_NAME, make_site, only
from tests.rules.test_cta import check_aside

REPO = Path(__file__).resolve().parents[2]
BANK = ("_posts/2026-06-16-1-regional-bank-chatbot-cost.md", "_posts/2026-06-19-2-regional-bank-chatbot-30pct.md")
OTHER_NAME = "_posts/2026-03-11-1-other-post.md"
ARTICLE_START, SUMMARY = "## 最初の90日が導入の成否を分けます", "### まとめ：最初の一歩をどう踏み出すか"

# An article on the same topic as CLEAN_POST (first steps of generative AI in a small
# company), written separately: same words, different sentences.
SAME_TOPIC_ARTICLE = """## 生成AIを試す前に決めておくこと

中小企業が生成AIを使い始めるとき、道具選びより先に、誰のどの作業を楽にするかを決めます。

### 1. 任せる作業を選ぶ

議事録の下書きや問い合わせの一次回答など、毎週同じ形で発生する作業から選ぶと、効果を比べやすくなります。

### 2. 担当者を決める

試行の期間中に質問を受け付ける担当者を一人決めておくと、現場の迷いが早く解消されます。
"""


def other_post(title: str, article: str, post: str = CLEAN_POST) -> str:
    """CLEAN_POST with another title and another article (front matter, footer, CTA,
    books and disclosure kept: they are alike on every post by design)."""
    head = post[:post.index(ARTICLE_START)]
    tail = post[post.index("\n---\n\n### あわせて読みたい"):]
    head = head.replace('"中小企業の生成AI導入、最初の90日で何をすべきか"', json.dumps(title, ensure_ascii=False))
    return head.replace("2026-03-04-1-sample-post", "2026-03-11-1-other-post").replace("2026-03-04 09", "2026-03-11 09") \
        + article.strip("\n") + "\n" + tail


def site_findings(tmp_path, post: str, other: str, config: str | None = None) -> dict[str, list]:
    """PD204 findings for the harness post and `other`, checked as one site."""
    site, _ = make_site(tmp_path, post, config=config, files={OTHER_NAME: other})
    results = Engine(site, rules={"PD204"}).check_site()
    return {r.rel: only(r.findings, "PD204") for r in results}


def article_of(post: str) -> str:
    return post[post.index(ARTICLE_START):post.index("\n---\n\n### あわせて読みたい")]


# -- must fire -----------------------------------------------------------------------
def test_sample_site_regional_bank_posts_name_each_other():
    site = Site(REPO / "content")
    results = Engine(site, rules={"PD204"}).check_site()
    flagged = {r.rel: only(r.findings, "PD204") for r in results if only(r.findings, "PD204")}
    assert set(flagged) == set(BANK)
    for rel, other in (BANK, BANK[::-1]):
        [f] = flagged[rel]
        title = Document.load(site.root / other).get("title")
        for lang in ("ja", "en"):
            assert other in f.message(lang) and title in f.message(lang)
        assert f.line == Document.load(site.root / rel).field_lines("title")[0]


def test_aside_posts():
    """The two 90-day posts get PD204; no other aside post does (expected.yml)."""
    check_aside({"PD204"})


def test_rewritten_copy_fires_on_both_posts(tmp_path):
    article = article_of(CLEAN_POST)
    rewritten = (article.replace("ほぼ方向が決まります", "おおむね方向が定まります")
                 .replace("大切です", "重要です").replace("役に立ちます", "役立ちます"))
    found = site_findings(tmp_path, CLEAN_POST, other_post("生成AIを入れる前に読む、中小企業の最初の三か月", rewritten))
    assert [f.line for f in found[POST_NAME]] == [3] and [f.line for f in found[OTHER_NAME]] == [3]
    assert OTHER_NAME in found[POST_NAME][0].message("en") and POST_NAME in found[OTHER_NAME][0].message("en")


def test_near_identical_title_fires_by_title(tmp_path):
    found = site_findings(tmp_path, CLEAN_POST,
                          other_post("中小企業の生成AI導入、最初の90日で何をやるべきか", SAME_TOPIC_ARTICLE))
    [f] = found[POST_NAME]
    assert "title 9" in f.message("en")  # title score in the 90s, body low


def test_threshold_is_configurable(tmp_path):
    other = other_post("中小企業の生成AI導入、最初の90日で何をやるべきか", SAME_TOPIC_ARTICLE)
    strict = "duplicates: {cross_post_similarity: 99}\n"
    assert site_findings(tmp_path, CLEAN_POST, other, config=strict)[POST_NAME] == []


def test_editor_check_with_an_index_reports_it(tmp_path):
    """The window's path: one document checked against the site's index."""
    site, path = make_site(tmp_path, CLEAN_POST, files={OTHER_NAME: other_post("別の題", article_of(CLEAN_POST))})
    engine = Engine(site)
    findings = engine.check_document(Document.load(path), site.info_for(path), index=engine.build_index())
    assert [f.line for f in only(findings, "PD204")] == [3]



def test_editor_check_measures_the_edited_text_not_the_saved_one(tmp_path):
    """The window checks the editor's text against an index measured on the saved
    posts. A copy under a near-identical title whose body the editor rewrites still
    fires by its title, and the finding gives the rewritten body's score, not the
    saved one's; the index keeps the saved texts' scores. (The pair's stored scores
    were returned for any signature of the post: 本文85 for a sample post whose body
    had been replaced.)"""
    title = "中小企業の生成AI導入、最初の90日で何をやるべきか"
    site, path = make_site(tmp_path, CLEAN_POST, files={OTHER_NAME: other_post(title, article_of(CLEAN_POST))})
    engine = Engine(site)
    engine.check_site()
    index, info = engine.site_index, site.info_for(path)

    def body_score(doc: Document) -> int:
        [f] = only(engine.check_document(doc, info, index=index), "PD204")
        return int(f.message("en").split("body ")[1].split(",")[0])

    saved = Document.load(path)
    rewritten = Document(saved.text.replace(article_of(CLEAN_POST), SAME_TOPIC_ARTICLE.strip("\n") + "\n"), path=path)
    assert body_score(saved) == 100
    assert body_score(rewritten) < 40
    assert body_score(saved) == 100
    fresh = Engine(site)
    [f] = only(fresh.check_document(rewritten, info, index=fresh.build_index()), "PD204")
    assert f"body {body_score(rewritten)}," in f.message("en")

# -- must not fire ---------------------------------------------------------------------
def test_distinct_post_on_the_same_topic_does_not_fire(tmp_path):
    found = site_findings(tmp_path, CLEAN_POST, other_post("生成AIを試す前に決めておくこと", SAME_TOPIC_ARTICLE))
    assert found[POST_NAME] == [] and found[OTHER_NAME] == []


def test_identical_footer_cta_books_and_disclosure_are_not_compared(tmp_path):
    """Two short posts whose identical boilerplate is most of their text."""
    short = "## 一言だけ\n\n今日は短い告知です。来週から新しい連載を始めます。\n"
    found = site_findings(tmp_path, other_post("新しい連載を始めます", short), other_post("来週の更新は休みます", "## 休みます\n\n来週の更新はお休みします。\n"))
    assert all(v == [] for v in found.values())


def test_stubs_and_broken_files_are_not_compared(tmp_path):
    stub = "---\ntitle: \"下書き\"\n---\n\n本文はまだです。\n"
    found = site_findings(tmp_path, stub, stub.replace("下書き", "メモ"), config=None)
    assert all(v == [] for v in found.values())
    site, path = make_site(tmp_path / "b", b"\x00\x01binary", files={OTHER_NAME: ""})
    assert Engine(site).check_site() is not None  # no raise on an unreadable or empty post


# -- the signature ------------------------------------------------------------------------
def test_signature_is_small_json_and_picklable():
    sig = similar.signature(ParsedPost(Document(CLEAN_POST)))
    assert json.loads(json.dumps(sig)) == sig and pickle.loads(pickle.dumps(sig)) == sig
    assert len(json.dumps(sig)) < 6000
    assert sig["line"] == 3 and sig["title"] == "中小企業の生成AI導入、最初の90日で何をすべきか"


def test_signature_leaves_the_boilerplate_out():
    body = similar.body_text(ParsedPost(Document(CLEAN_POST)))
    assert "生成AIの導入は" in body and "目的を絞り" in body
    for boiler in ("アフィリエイトリンク", "あわせて読みたい", "お問い合わせ", "おすすめ書籍", "入門書"):
        assert boiler not in body


def test_index_works_from_json_round_tripped_signatures():
    """A cached FileResult's signature comes back from JSON: it still matches."""
    a = similar.signature(ParsedPost(Document(CLEAN_POST)))
    index = similar.SimilarityIndex(Config())
    index.add("a.md", json.loads(json.dumps(a)))
    index.add("b.md", json.loads(json.dumps(a)))
    [(rel, title, body, t)] = index.matches("a.md", a)
    assert rel == "b.md" and body == 100 and t == 100


# -- scale -------------------------------------------------------------------------------------
def generated_site(n: int, seed: int = 7) -> tuple[list[tuple[str, dict]], set[frozenset]]:
    """`n` distinct posts in five topics (each topic's posts drawn from one vocabulary),
    plus one lightly edited copy per 25 posts. Returns the signatures and the copies'
    pairs."""
    rng = random.Random(seed)
    kanji = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    topics = [["".join(rng.choices(kanji, k=rng.randint(2, 3))) for _ in range(300)] for _ in range(5)]
    particles = ["の", "を", "に", "が", "で", "と", "は"]

    def sentence(words: list[str]) -> str:
        return "".join(w + rng.choice(particles) for w in rng.choices(words, k=rng.randint(6, 12))) + "ます。"

    posts, copies = [], set()
    for k in range(n):
        words = topics[k % 5]
        sentences = [sentence(words) for _ in range(60)]
        title = "生成AI" + "".join(rng.choices(words, k=5))  # same-topic titles share a prefix
        posts.append((f"_posts/p{k:04d}.md", similar.signature_of(title, "".join(sentences))))
        if k % 25 == 0:
            edited = [sentence(words) if rng.random() < 0.1 else s for s in sentences]
            posts.append((f"_posts/p{k:04d}-copy.md", similar.signature_of(title[:-2] + "改訂", "".join(edited))))
            copies.add(frozenset((f"_posts/p{k:04d}.md", f"_posts/p{k:04d}-copy.md")))
    return posts, copies


def comparisons_on(n: int) -> tuple[int, int]:
    """(posts, candidate comparisons) for a whole-site PD204 pass; asserts that every
    planted copy is found and nothing else."""
    posts, copies = generated_site(n)
    index = similar.SimilarityIndex(Config())
    for rel, sig in posts:
        index.add(rel, sig)
    found = {frozenset((rel, m[0])) for rel, sig in posts for m in index.matches(rel, sig)}
    assert found == copies
    return len(posts), index.comparisons


def test_candidate_comparisons_grow_about_linearly():
    """Doubling the site doubles the posts' signatures and bucket entries (a fixed
    number each) and keeps the confirmed comparisons under one per post: a tiny
    fraction of all pairs, not their square."""
    sizes = [comparisons_on(n) for n in (100, 200, 400)]
    for n, c in sizes:
        assert c < n, (n, c)  # fewer comparisons than posts
    n3, c3 = sizes[-1]
    assert c3 < n3 * (n3 - 1) // 2 / 500  # of the 86,000 pairs, a few dozen


def test_measuring_posts_as_they_arrive_finds_what_the_complete_index_finds():
    """A whole-site check measures each post against the ones indexed before it as
    the workers return them (`add_measured`). The matches are those of an index
    built in one go, even where a bucket used for measuring later grew past
    MAX_BUCKET (its pairs are then no candidates), and every candidate pair was
    measured on arrival: asking for the matches measures nothing more."""
    posts, copies = generated_site(100)
    # A series whose long titles differ only in their number: its title bands fill
    # buckets past MAX_BUCKET, after early members were measured through them.
    rng = random.Random(3)
    kanji = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    prefix = "中小企業の生成AI活用ガイド：現場で使える実践ノウハウ連載第"
    posts += [(f"_posts/series{k:02d}.md", similar.signature_of(f"{prefix}{k}回", "".join(rng.choices(kanji, k=600))))
              for k in range(60)]
    whole, arriving = similar.SimilarityIndex(Config()), similar.SimilarityIndex(Config())
    for rel, sig in posts:
        whole.add(rel, sig)
        arriving.add_measured(rel, sig)
    assert max(map(len, arriving.buckets.values())) > similar.MAX_BUCKET  # the overflow is exercised
    measured = arriving.comparisons
    assert measured >= whole.comparisons
    for rel, sig in posts:
        assert arriving.matches(rel, sig) == whole.matches(rel, sig)
        # an indexed post's remembered buckets give what its bands give (a copy of its
        # signature is not the indexed one and takes the bands)
        assert arriving.candidates(rel, sig) == arriving.candidates(rel, dict(sig))
    assert arriving.comparisons == measured
    found = {frozenset((rel, m[0])) for rel, sig in posts for m in arriving.matches(rel, sig)}
    assert copies <= found



def test_matches_of_a_post_measured_on_arrival_skip_the_candidates_when_none_is_near(monkeypatch):
    """A post added by `add_measured`, with no plain `add` since, has every candidate
    pair measured: without a pair at the threshold it has no match, and `matches`
    says so without gathering its candidates again (the serial pass at the end of a
    cold site check). A plain `add` afterwards brings back the full path; the
    matches are those of an index built in one go either way."""
    posts, copies = generated_site(60)
    whole, arriving = similar.SimilarityIndex(Config()), similar.SimilarityIndex(Config())
    for rel, sig in posts[:-1]:
        whole.add(rel, sig)
        arriving.add_measured(rel, sig)
    asked = []
    real = similar.SimilarityIndex.candidates
    monkeypatch.setattr(similar.SimilarityIndex, "candidates", lambda self, rel, sig: (self is arriving and asked.append(rel)) or real(self, rel, sig))
    for rel, sig in posts[:-1]:
        assert arriving.matches(rel, sig) == whole.matches(rel, sig)
    near = {rel for rel, sig in posts[:-1] if whole.matches(rel, sig)}
    # Only posts with a pair measured at the threshold gathered candidates (a pair
    # measured through a bucket that later grew past MAX_BUCKET is no match, but
    # counts here): the matching ones, and a few more.
    assert near <= set(asked) <= set(arriving._near)
    assert len(asked) < len(posts) // 2
    asked.clear()
    rel, sig = posts[-1]
    whole.add(rel, sig)
    arriving.add(rel, sig)  # not measured: the earlier posts' pairs with it are not
    for rel, sig in posts:
        assert arriving.matches(rel, sig) == whole.matches(rel, sig)
    assert len(asked) == len(posts)  # each gathered its candidates

def test_a_site_check_keeps_the_index_it_measured_with(tmp_path):
    """`check_site` leaves its similarity index on the engine (the window checks the
    open post against it), holding every post of the site."""
    site, _ = make_site(tmp_path, CLEAN_POST, files={"_posts/2026-03-05-1-copy.md": CLEAN_POST})
    engine = Engine(site)
    results = engine.check_site(jobs=1)
    assert engine.site_index is not None
    assert set(engine.site_index.signatures) == {r.rel for r in results}
    assert any(f.rule == "PD204" for r in results for f in r.findings)
