"""Shared helpers for rule tests: check a post's text inside a throw-away site.

    findings = check_text(tmp_path, POST)                    # every rule
    assert lines_of(findings, "PD101") == [14]
    fixed = fix_text(tmp_path, POST, "PD101")                # apply that rule's fixes
    assert "PD101" not in codes(check_text(tmp_path, fixed)) # the fix leaves nothing to fix
"""
from __future__ import annotations

from pathlib import Path

from app.core.document import Document
from app.core.engine import Engine
from app.core.findings import Finding
from app.core.fixes import apply_fixes
from app.core.site import Site

POST_NAME = "_posts/2026-03-04-1-sample-post.md"

CLEAN_POST = """---
layout: post
title: "中小企業の生成AI導入、最初の90日で何をすべきか"
date: 2026-03-04 09:12:30 +0900
categories: [AI導入戦略]
tags: ["生成AI", "中小企業"]
author: "編集部"
excerpt: "生成AIを導入する中小企業が最初の90日で取り組むべき準備と、つまずきやすい点を実例とともに整理します。小さく始めて確かめる進め方です。"
reading_time: 1
image: "/assets/images/posts/2026-03-04-1-sample-post-ogp.png"
---

## 最初の90日が導入の成否を分けます

生成AIの導入は、最初の3か月でほぼ方向が決まります。ここでは準備の順番を整理します。

*※ 本ページのリンクにはアフィリエイトリンクが含まれます。*

### 1. 目的を一つに絞る

最初に決めるのは、何を良くしたいかです。問い合わせ対応の時間を半分にする、といった具体的な目標が役に立ちます。

### 2. 小さく試す

全社展開の前に、一つの部署で二週間だけ試します。結果を数字で残すことが大切です。

### まとめ：最初の一歩をどう踏み出すか

目的を絞り、小さく試し、数字で確かめる。この順番を守れば失敗は小さく済みます。あなたの会社では、どの業務から始めますか？

---

### あわせて読みたい

- [RAG導入で最初につまずく三つの壁](/2026/02/18/2-rag-first-walls/)

---

## AI導入のご相談を承っています

自社に合った進め方を一緒に考えます。お気軽にご相談ください。

[お問い合わせはこちら](/contact/?utm_source=article&utm_medium=cta&utm_campaign=strategy)
{: .consulting-cta-link}

---

## この記事に関連するおすすめ書籍

### [生成AI導入の教科書](https://www.amazon.co.jp/dp/4000000001/?tag=example-22)

導入の段取りを一冊で押さえられる入門書です。

[Amazonで詳しく見る →](https://www.amazon.co.jp/dp/4000000001/?tag=example-22)
"""

RELATED_POST = """---
layout: post
title: "RAG導入で最初につまずく三つの壁"
date: 2026-02-18 10:00:00 +0900
categories: [AI技術ガイド]
tags: ["RAG"]
author: "編集部"
excerpt: "社内文書を検索して答えるRAGは、試作までは順調でも本番前に三つの壁に当たります。文書の整備、評価の方法、運用の体制を順に見ていきます。"
reading_time: 1
image: "/assets/images/posts/2026-02-18-2-rag-first-walls-ogp.png"
---

## RAGの試作が本番に届かない理由

RAGの試作は数日で動きますが、本番の手前で止まる例が少なくありません。

### 1. 文書が整っていない

古い版と新しい版が混ざったままでは、正しい答えは返りません。まず登録する文書を絞ります。

### まとめ：壁は順番に越える

文書、評価、運用の順に手を打てば、試作は本番に近づきます。あなたの会社の壁はどれですか？

---

## AI導入のご相談を承っています

技術選定や検証の進め方でお悩みの方は、お気軽にご相談ください。

[サービス内容を見る](/services/?utm_source=article&utm_medium=cta&utm_campaign=tech_guide)
{: .consulting-cta-link}
"""

CONTACT = "---\ntitle: お問い合わせ\npermalink: /contact/\n---\n"
LAYOUT = "<html><body>{{ content }}<p>Amazonのアソシエイトとして、当サイトは適格販売により収入を得ています。</p></body></html>\n"


def make_site(tmp_path: Path, post: str | bytes, *, name: str = POST_NAME, config: str | None = None,
              files: dict[str, str | bytes] | None = None) -> tuple[Site, Path]:
    """A site holding `post` at `name`, a related post, a contact page, a layout
    printing the Amazon statement, and the post's share image."""
    root = tmp_path / "site"
    defaults: dict[str, str | bytes] = {
        "_posts/2026-02-18-2-rag-first-walls.md": RELATED_POST,
        "contact.md": CONTACT,
        "services.md": "---\ntitle: サービス\npermalink: /services/\n---\n",
        "assets/images/posts/2026-02-18-2-rag-first-walls-ogp.png": b"\x89PNG\r\n\x1a\n",
        "_layouts/post.html": LAYOUT,
        "assets/images/posts/2026-03-04-1-sample-post-ogp.png": b"\x89PNG\r\n\x1a\n",
    }
    if config is not None:
        defaults[".editorial.yml"] = config
    defaults.update(files or {})
    defaults[name] = post
    for rel, data in defaults.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    (root / "_posts").mkdir(exist_ok=True)
    return Site(root), root / name


def check_text(tmp_path: Path, post: str | bytes, **kw) -> list[Finding]:
    """Every finding for `post` (PD204 included: the whole little site is checked)."""
    site, path = make_site(tmp_path, post, **kw)
    results = Engine(site).check_site([path])
    return results[0].findings


def codes(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings}


def lines_of(findings: list[Finding], code: str) -> list[int]:
    return sorted(f.line for f in findings if f.rule == code)


def only(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.rule == code]


def fix_text(tmp_path: Path, post: str, code: str, unsafe: bool = True, **kw) -> str:
    """The post's text after applying every fix offered by rule `code`."""
    site, path = make_site(tmp_path, post, **kw)
    engine = Engine(site)
    doc = Document.load(path)
    findings = [f for f in engine.check_document(doc, site.info_for(path)) if f.rule == code]
    assert findings and all(f.fix is not None for f in findings), f"{code} offers no fix here"
    fixed, n = apply_fixes(doc, findings, unsafe=unsafe)
    return fixed.text


def post(*replacements: tuple[str, str]) -> str:
    """CLEAN_POST with each (old, new) replaced once; each `old` must be there."""
    text = CLEAN_POST
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based file line of the nth line containing `needle`."""
    hits = [i for i, line in enumerate(text.split("\n"), start=1) if needle in line]
    assert len(hits) >= nth, f"{needle!r} occurs {len(hits)} times"
    return hits[nth - 1]
