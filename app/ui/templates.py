"""The new-draft template, following post-anatomy.md (front matter in the house
order and style, lead, numbered sections, summary, footer)."""
from __future__ import annotations

from pathlib import Path

from app.core.publish import ascii_slug  # noqa: F401  (re-exported for the dialogs)


def draft_path(site, slug: str) -> Path:
    """`_drafts/<slug>.md`, with `-2`, `-3`… when the name is taken."""
    base = site.root / "_drafts"
    path = base / f"{slug}.md"
    n = 2
    while path.exists():
        path = base / f"{slug}-{n}.md"
        n += 1
    return path


def draft_text(site, title: str) -> str:
    category = site.config.categories[0] if site.config.categories else ""
    campaigns = site.config["cta"]["campaigns"]
    templates = site.config["cta"]["templates"]
    cta = templates.get(campaigns.get(category, ""), "")
    escaped = title.replace("\\", "\\\\").replace('"', '\\"')
    return f'''---
layout: post
title: "{escaped}"
categories: [{category}]
tags: []
author: "編集部"
excerpt: ""
reading_time: 1
image: ""
---

## リード見出し

導入の段落を書きます。

### 1. 最初の節

本文を書きます。

### まとめ：要点

まとめと読者への問いかけを書きます。

---

### {site.config["footer"]["related_heading"]}

- [関連記事のタイトル](/)

---

{cta}
'''
