"""PD3xx: the call to action (CTA) in the post's footer.

A CTA is a link that carries the attribute list `{: .<cta.marker_class>}` or the
parameter `utm_medium=cta` (`ParsedPost.is_cta_link`). Its campaign depends on the
post's category (`cta.campaigns`); the site's CTA blocks are `cta.templates`, keyed by
campaign. Footer order: related posts, CTA, books, disclosure, separated by `---`.
"""
from __future__ import annotations

import re
from typing import Iterator
from urllib.parse import parse_qs, urlsplit

from ..findings import Edit, Finding, Span, Text
from ..parse import Block, Link, ParsedPost
from .base import ERROR, WARNING, Context, rule
from .links import query_edits

TRACKING = ("utm_source", "utm_medium", "utm_campaign")
_TEMPLATE_URL = re.compile(r"\]\(([^)\s]+)")


def cta_links(post: ParsedPost) -> list[Link]:
    """Every CTA link, in document order (links inside code are not links)."""
    return [l for l in post.links if not l.image and post.is_cta_link(l)]


def _post_cta_links(ctx: Context) -> list[Link]:
    """`cta_links` of the context's post, found once per post for PD301–PD304 (each
    link's check parses its query)."""
    if "cta.links" not in ctx.shared:
        ctx.shared["cta.links"] = cta_links(ctx.post)
    return ctx.shared["cta.links"]


def cta_blocks(links: list[Link]) -> list[Link]:
    """One CTA per block: the first of `links` (CTA links) in each block holding one.
    Two links in one CTA paragraph are one CTA; a second CTA block (a duplicated
    footer) is another."""
    seen, out = set(), []
    for link in links:
        if link.block not in seen:
            seen.add(link.block)
            out.append(link)
    return out


def expected_campaign(post: ParsedPost) -> str | None:
    """The campaign `cta.campaigns` sets for the post's category."""
    category = post.category
    return post.config["cta"]["campaigns"].get(category) if category else None


def template_for(post: ParsedPost) -> str | None:
    campaign = expected_campaign(post)
    template = post.config["cta"]["templates"].get(campaign) if campaign else None
    return template.strip("\n") if template and template.strip() else None


def _zone_run(post: ParsedPost, zone: str) -> tuple[Block, Block] | None:
    """First and last block of the first run of footer blocks in `zone`."""
    blocks = post.blocks
    first = next((b for b in blocks if b.zone == zone), None)
    if first is None:
        return None
    last = first
    for b in blocks[first.index + 1:]:
        if b.zone != zone:
            break
        last = b
    return first, last


def cta_insertion(ctx: Context, block_text: str) -> tuple[Edit, int]:
    """Where the CTA block goes, as an edit, and the line to report the missing CTA at.

    After the related posts; else before the books (or the disclosure), the footer's
    next parts; else, with no footer, at the end of the post. `---` lines separate it
    from its neighbours, as they separate the other footer blocks.
    """
    post, doc = ctx.post, ctx.doc
    related = _zone_run(post, "related")
    if related is not None:
        last = related[1].end_line
        while last > related[1].line and not post.lines[last - 1].strip():
            last -= 1  # a list's span takes in the blank line after it
        if last < len(post.lines):
            return ctx.insert_at_line(last + 1, f"\n---\n\n{block_text}\n"), related[0].line
        return Edit(len(doc.text), len(doc.text), f"\n\n---\n\n{block_text}\n"), related[0].line
    for zone in ("books", "disclosure"):
        run = _zone_run(post, zone)
        if run is not None:
            first = run[0]
            before = post.blocks[first.index - 1] if first.index > 0 else None
            lead = "" if before is not None and before.kind == "hr" else "---\n\n"
            return ctx.insert_at_line(first.line, f"{lead}{block_text}\n\n---\n\n"), first.line
    end = len(doc.text.rstrip())
    return Edit(end, len(doc.text), f"\n\n---\n\n{block_text}\n"), doc.line_of(max(0, end - 1))


@rule("PD301", "missing-cta", ERROR,
      title=Text("CTA（問い合わせ導線）がありません", "The post has no call to action"),
      description=Text(
          "`{: .consulting-cta-link}`（`cta.marker_class`）の付いたリンクも、`utm_medium=cta` の付いたリンクもありません。"
          "修正はカテゴリのキャンペーンに対応する `cta.templates` のブロックを、関連記事の後（書籍の前）、"
          "フッターがなければ末尾に `---` で区切って挿入します。",
          "No link carries the attribute list `{: .consulting-cta-link}` (`cta.marker_class`) or `utm_medium=cta`. "
          "The fix inserts the `cta.templates` block of the category's campaign after the related posts (before "
          "the books), or at the end of a post with no footer, separated by `---` lines."),
      example="### あわせて読みたい\n\n- [関連記事](/2026/02/18/2-rag-first-walls/)\n", fix="safe")
def missing_cta(ctx: Context) -> Iterator[Finding]:
    post = ctx.post
    if _post_cta_links(ctx):
        return
    category, campaign, template = post.category, expected_campaign(post), template_for(post)
    edit, line = cta_insertion(ctx, template or "")
    fix = None
    if template:
        fix = ctx.fix(Text(f"「{campaign}」のCTAブロックを挿入", f"Insert the “{campaign}” CTA block"), [edit])
        ja = f"CTA がありません。カテゴリ「{category}」のCTA（キャンペーン {campaign}）を関連記事の後に入れてください。"
        en = f"No call to action. Add the CTA of category “{category}” (campaign {campaign}) after the related posts."
    elif campaign:
        ja = f"CTA がありません（キャンペーン {campaign} のテンプレートが cta.templates にありません）。"
        en = f"No call to action (cta.templates has no template for campaign {campaign})."
    else:
        ja = f"CTA がありません（カテゴリ「{category or '未設定'}」のキャンペーンが cta.campaigns にありません）。"
        en = f"No call to action (cta.campaigns names no campaign for category “{category or 'none'}”)."
    yield ctx.finding(line, Text(ja, en), fix=fix)


@rule("PD302", "cta-campaign-mismatch", WARNING,
      title=Text("CTAのキャンペーンがカテゴリと合っていません", "The CTA's campaign does not match the category"),
      description=Text(
          "CTAリンクの `utm_campaign` が、記事のカテゴリに対応する `cta.campaigns` の値と違います。修正はその値だけを書き換えます。",
          "The CTA link's `utm_campaign` differs from `cta.campaigns` for the post's category. The fix rewrites "
          "that value only."),
      example="[他の記事も読む](/?utm_source=article&utm_medium=cta&utm_campaign=news)\n{: .consulting-cta-link}\n",
      fix="safe")
def cta_campaign_mismatch(ctx: Context) -> Iterator[Finding]:
    post = ctx.post
    expected = expected_campaign(post)
    if not expected:
        return
    for link in _post_cta_links(ctx):
        found = [v for v in link.query.get("utm_campaign", []) if v]
        if not found or all(v == expected for v in found):
            continue
        edits = query_edits(post, link, {"utm_campaign": expected})
        fix = ctx.fix(Text(f"utm_campaign を {expected} にする", f"Set utm_campaign to {expected}"), edits) if edits else None
        yield ctx.finding(link.line, Text(
            f"CTAのキャンペーンが「{found[0]}」です。カテゴリ「{post.category}」では「{expected}」にします。",
            f"The CTA's campaign is “{found[0]}”; category “{post.category}” uses “{expected}”."), fix=fix)


@rule("PD303", "cta-tracking-incomplete", WARNING,
      title=Text("CTAリンクの計測パラメータが足りません", "The CTA link lacks tracking parameters"),
      description=Text(
          "CTAリンクに `utm_source`・`utm_medium`・`utm_campaign` のいずれかがありません（値が空の場合も）。"
          "修正はカテゴリのCTAテンプレートと同じ値で、足りないパラメータを追加します。",
          "The CTA link lacks `utm_source`, `utm_medium` or `utm_campaign` (or has it empty). The fix adds "
          "the missing ones with the values of the category's CTA template."),
      example="[お問い合わせはこちら](/contact/?utm_source=article&utm_campaign=strategy)\n{: .consulting-cta-link}\n",
      fix="safe")
def cta_tracking_incomplete(ctx: Context) -> Iterator[Finding]:
    post = ctx.post
    for link in _post_cta_links(ctx):
        query = link.query
        missing = [p for p in TRACKING if not any(query.get(p, []))]
        if not missing:
            continue
        values = _template_values(post, missing)
        fix = None
        if values is not None:
            edits = query_edits(post, link, values)
            pairs = "&".join(f"{k}={v}" for k, v in values.items())
            fix = ctx.fix(Text(f"{pairs} を追加", f"Add {pairs}"), edits) if edits else None
        names = "、".join(missing)
        yield ctx.finding(link.line, Text(f"CTAリンクに {names} がありません。",
                                          f"The CTA link lacks {', '.join(missing)}."), fix=fix)


def _template_values(post: ParsedPost, params: list[str]) -> dict[str, str] | None:
    """The values the category's CTA template gives `params`, or None if it lacks one."""
    template = template_for(post)
    m = _TEMPLATE_URL.search(template or "")
    if not m:
        return None
    query = parse_qs(urlsplit(m.group(1)).query)
    if not all(query.get(p) for p in params):
        return None
    return {p: query[p][0] for p in params}


@rule("PD304", "multiple-cta", WARNING,
      title=Text("CTAが複数あります", "More than one call to action"),
      description=Text(
          "記事にCTAが2つ以上あります（フッターが重複している場合など）。2つ目以降を報告し、最初のCTAを関連箇所として示します。",
          "The post has more than one CTA (a duplicated footer, say). Each later one is reported, pointing at "
          "the first."),
      example="[お問い合わせ](/contact/?utm_medium=cta)\n\n[お問い合わせ](/contact/?utm_medium=cta)\n")
def multiple_cta(ctx: Context) -> Iterator[Finding]:
    ctas = cta_blocks(_post_cta_links(ctx))
    for later in ctas[1:]:
        first = ctas[0]
        yield ctx.finding(later.line, Text(
            f"CTAが複数あります（最初のCTAは {first.line} 行目）。",
            f"Another call to action (the first is on line {first.line})."), related=[Span(first.line)])
