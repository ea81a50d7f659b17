"""Synthetic Jekyll sites for the speed benchmarks and the engine's parallel tests.

`make_site(root, posts=1000, seed=1)` writes a site shaped like the sample site:
`_config.yml`, `.editorial.yml` (the sample site's), pages, layouts that print the
Amazon statement, share images, and `posts` Japanese posts of about 20 KB each
following post-anatomy.md (front matter, H2 lead, numbered H3 sections with H4
sub-sections, a summary ending with a question, then the footer: related posts,
CTA, books, disclosure). About a third of the posts carry the damage real drafts
show (markers, truncated passes, duplicated sections, citation residue, stray
spaces, wrong campaigns, cut related titles, broken links, glued paragraphs,
content after the footer, backwards numbering), and a few are near-copies of an
earlier post so that PD204 has work. Paragraphs are assembled from a phrase bank
with per-post topics, so two unrelated posts share words but are not
near-duplicates. The output depends only on the seed.

    python tests/benchmarks/sitegen.py /tmp/site1000 --posts 1000 --seed 1
"""
from __future__ import annotations

import argparse
import random
import shutil
import struct
import zlib
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "content"

CATEGORIES = {"導入事例": "case_study", "AI導入戦略": "strategy", "AI技術ガイド": "tech_guide",
              "AI最新ニュース": "news"}
TAGS = ["LLM", "生成AI", "中小企業", "PoC", "RAG", "ROI分析", "DX", "業務効率化", "ChatGPT", "Claude",
        "Gemini", "Copilot", "AIエージェント"]
SUBJECTS = ["問い合わせ対応", "見積書の作成", "議事録の要約", "契約書の確認", "在庫の予測", "採用面接の準備",
            "社内規程の検索", "請求書の読み取り", "営業日報の分析", "品質検査", "多言語の案内", "研修資料の作成",
            "顧客アンケートの集計", "設備の保守計画", "経費精算の確認", "広告文の作成", "商品説明の翻訳",
            "コールセンターの応対", "発注業務", "製造ラインの監視"]
INDUSTRIES = ["地方銀行", "食品卸", "旅館", "部品メーカー", "物流会社", "不動産会社", "病院", "自治体", "小売チェーン",
              "建設会社", "保険代理店", "印刷会社", "税理士事務所", "学習塾", "ホテル", "商社"]
ACTIONS = ["小さく試す", "数字で確かめる", "現場の声を集める", "担当者を決める", "手順書を整える", "費用を見積もる",
           "データを整理する", "権限を見直す", "評価の基準を決める", "段階的に広げる", "効果を測る", "失敗の条件を決める"]
OBJECTS = ["作業時間", "誤りの割合", "運用費用", "利用者の満足度", "回答の正確さ", "処理件数", "問い合わせ件数",
           "教育にかかる時間", "確認の手間", "顧客の待ち時間"]
OPENERS = ["まず", "次に", "一方で", "実際には", "多くの場合", "具体的には", "そのうえで", "とくに", "ただし", "最終的には"]
TEMPLATES = [
    "{o}{ind}では、{s}に{n}時間かかっていました。{obj}を{p}%減らすことを目標に、{a}ところから始めました。",
    "{o}{s}にAIを使う場合、{obj}をどう測るかを先に決めておく必要があります。{a}ことが、その第一歩です。",
    "{ind}の担当者は「{s}は毎月{n}件ほどあり、{obj}が課題でした」と話します。そこで{a}ことにしました。",
    "{o}{obj}が{p}%改善したとしても、{s}の手順が変わらなければ効果は長続きしません。{a}ことが欠かせません。",
    "{s}の自動化では、{obj}と費用の釣り合いが問われます。{ind}の例では、{n}か月で投資を回収しました。",
    "{o}現場では{s}の例外処理が{n}種類ほどあり、すべてをAIに任せることはできません。人が確認する範囲を決め、{a}ことが大切です。",
    "{o}経営会議では「{obj}はどれだけ良くなるのか」が必ず問われます。{s}の現状を数字で示し、{a}準備をしておきましょう。",
    "{ind}では{s}の担当者が{n}名いましたが、導入後は{obj}が{p}%下がり、より付加価値の高い業務に時間を使えるようになりました。",
    "{o}{s}で使うプロンプトは、{obj}を左右します。例を三つほど示し、出力の形式を指定するだけでも結果は大きく変わります。",
    "{o}{s}の対象を広げる前に、{obj}の変化を二週間ほど記録しましょう。{a}ための材料になります。",
]
SECTION_TITLES = ["なぜ{s}で成果が出ないのか", "{s}の現状を測る", "{obj}の目標を決める", "{ind}の事例に学ぶ",
                  "{s}にAIを組み込む手順", "費用と効果の見積もり", "現場の抵抗にどう向き合うか", "{a}ための体制",
                  "よくある失敗と対策", "{obj}を継続して改善する", "セキュリティと権限の考え方", "次の段階に進む条件"]
BOOKS = [("4000000001", "生成AI活用の教科書", "導入の進め方を基礎から解説した一冊です。"),
         ("4000000002", "データで決める業務改善", "数字で効果を確かめる方法が具体的に書かれています。"),
         ("4000000003", "はじめてのLLMアプリ開発", "RAGやエージェントの作り方を手を動かして学べます。"),
         ("4000000004", "DX推進の現場から", "中小企業の事例が豊富で、社内説明の参考になります。")]
LAYOUT = """<!DOCTYPE html>
<html lang="ja"><body>{{ content }}
<footer><p>Amazonのアソシエイトとして、AIビジネスラボは適格販売により収入を得ています。</p></footer>
</body></html>
"""
PAGES = {"index.md": "---\nlayout: default\ntitle: ホーム\n---\n\n最新の記事\n",
         "contact.md": "---\nlayout: default\ntitle: お問い合わせ\n---\n\nお問い合わせフォーム\n",
         "services.md": "---\nlayout: default\ntitle: サービス\n---\n\nサービス一覧\n",
         "about.md": "---\nlayout: default\ntitle: 運営者情報\n---\n\n運営者について\n"}
DISCLOSURE = "*※ 本ページのリンクにはアフィリエイトリンクが含まれます。*"
DAMAGES = ["marker", "truncated", "dup_section", "cite", "stray_space", "campaign", "related_cut", "broken_link",
           "glued", "after_footer", "numbering", "reading_time", "tag"]


KANJI = ("業務改善効率化導入検証運用費用効果顧客現場担当部署会議資料契約請求在庫予測採用面接規程検索分析品質検査"
         "翻訳案内研修設備保守計画経費広告商品説明製造監視発注物流販売店舗医療教育金融行政法務人事総務経理営業開発"
         "設計試験評価基準目標指標削減時間割合回答精度満足利用件数確認手間待機記録報告共有権限管理体制方針戦略投資"
         "回収段階拡大継続改良対策失敗成功条件事例学習模型生成要約抽出分類判定自動手動確率誤差統計集計")
KATAKANA = ["システム", "データ", "プロンプト", "ワークフロー", "ダッシュボード", "チャットボット", "ナレッジ", "ガイドライン",
            "テンプレート", "パイロット", "ベンダー", "クラウド", "セキュリティ", "ログ", "レポート", "チェックリスト",
            "ヒアリング", "フィードバック", "マニュアル", "スケジュール", "コスト", "リスク", "ルール", "モデル"]
PARTICLES = ["は", "が", "を", "に", "で", "と", "の", "から", "まで", "より", "について", "として", "によって"]
ENDINGS = ["を見直します。", "が欠かせません。", "を確かめました。", "に取り組みます。", "が重要です。", "を減らせます。",
           "を記録しておきます。", "が変わりました。", "を整えることが先です。", "を決めておきましょう。", "が課題でした。",
           "を共有します。", "に役立ちます。", "を比べてみます。", "が求められます。", "を段階的に広げます。"]


class PostWriter:
    """One post's text from a seeded generator: the topic (subject, industry, object)
    is fixed per post, so its paragraphs hang together and differ from other posts'."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.subject = rng.choice(SUBJECTS)
        self.industry = rng.choice(INDUSTRIES)
        self.obj = rng.choice(OBJECTS)
        self.used: set[str] = set()
        self.nouns = [self.noun() for _ in range(48)]  # this post's own vocabulary

    def noun(self) -> str:
        """A compound noun from random kanji (or a katakana word with one): posts get
        vocabularies of their own, so their texts differ as real posts' do."""
        r = self.rng
        word = "".join(r.choice(KANJI) for _ in range(r.choice((2, 2, 3, 4))))
        return word + r.choice(KATAKANA) if r.random() < 0.2 else word

    def sentence(self) -> str:
        """A sentence from this post's vocabulary: nouns joined by particles."""
        r = self.rng
        words = [r.choice(self.nouns) + r.choice(PARTICLES) for _ in range(r.randint(2, 4))]
        opener = r.choice(OPENERS + [""] * 6)
        return opener + ("、" if opener and r.random() < 0.5 else "") + "".join(words) + \
            r.choice(self.nouns) + r.choice(ENDINGS)

    def fill(self, template: str) -> str:
        r = self.rng
        return template.format(
            o=r.choice(OPENERS) + "、" if r.random() < 0.4 else "",
            s=self.subject if r.random() < 0.6 else r.choice(SUBJECTS),
            ind=self.industry if r.random() < 0.6 else r.choice(INDUSTRIES),
            obj=self.obj if r.random() < 0.5 else r.choice(OBJECTS),
            a=r.choice(ACTIONS), n=r.randint(2, 400), p=r.randint(5, 80))

    def unique_heading(self, template: str | None = None) -> str:
        """A section title not used before in this post (no PD201 by accident)."""
        for _ in range(50):
            text = self.fill(template or self.rng.choice(SECTION_TITLES))
            if text not in self.used:
                break
        self.used.add(text)
        return text

    def paragraph(self, sentences: int | None = None) -> str:
        n = sentences or self.rng.randint(2, 4)
        return "".join(self.fill(self.rng.choice(TEMPLATES)) if self.rng.random() < 0.3 else self.sentence()
                       for _ in range(n))

    def title(self) -> str:
        a, b, c, d = self.rng.sample(self.nouns, 4)
        forms = [f"{a}の{b}をAIで変える：{c}と{d}", f"{a}に{b}を使う前に決める{c}",
                 f"{a}と{b}で見る{c}の{d}", f"{a}導入、最初の{self.rng.randint(2, 400)}日で{b}を{c}",
                 f"{a}{b}の{c}、{d}の実例", f"なぜ{a}の{b}は{c}で止まるのか", f"{a}を{b}に：{c}{d}の手引き",
                 f"{a}×{b}、{c}から始める{d}"]
        return self.rng.choice(forms)[:58]


def body_sections(w: PostWriter, target_chars: int) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) for numbered H3 sections until about `target_chars`."""
    sections, size, n = [], 0, 0
    titles = w.rng.sample(SECTION_TITLES, len(SECTION_TITLES))
    while size < target_chars and n < len(titles):
        n += 1
        paras = []
        for k in range(w.rng.randint(1, 3)):
            if w.rng.random() < 0.5:
                paras.append(f"#### {n}.{k + 1}. {w.unique_heading()}")
            paras.extend(w.paragraph() for _ in range(w.rng.randint(2, 3)))
        if w.rng.random() < 0.3:
            paras.append("\n".join(f"{i}. {w.fill('{s}の{obj}を確認する')}" for i in range(1, 4)))
        sections.append((f"### {n}. {w.unique_heading(titles[n - 1])}", paras))
        size += sum(len(p) for p in paras)
    return sections


def footer(category: str, related: list[tuple[str, str]], campaign: str) -> list[str]:
    rel = "### あわせて読みたい\n\n" + "\n".join(f"- [{t}]({u})" for t, u in related)
    if category == "AI最新ニュース":
        cta = ("## 最新のAIニュースをお届けしています\n\n他の記事もあわせてご覧ください。\n\n"
               f"[他の記事も読む](/?utm_source=article&utm_medium=cta&utm_campaign={campaign})\n{{: .consulting-cta-link}}")
    else:
        cta = ("## AI導入のご相談を承っています\n\n自社に合った進め方を一緒に考えます。お気軽にご相談ください。\n\n"
               f"[お問い合わせはこちら](/contact/?utm_source=article&utm_medium=cta&utm_campaign={campaign})\n"
               "{: .consulting-cta-link}")
    books = ["## この記事に関連するおすすめ書籍"]
    for asin, name, desc in BOOKS[:3]:
        url = f"https://www.amazon.co.jp/dp/{asin}/?tag=aibizlab-22"
        books.append(f"### [{name}]({url})\n\n{desc}\n\n[Amazonで詳しく見る →]({url})")
    return [rel, cta, "\n\n".join(books), DISCLOSURE]


def make_post(rng: random.Random, stem: str, day: date, related: list[tuple[str, str]],
              damage: list[str], copy_of: str | None = None) -> tuple[str, str]:
    """(title, file text) of one post; `copy_of` reuses an earlier post's body (PD204)."""
    w = PostWriter(rng)
    title = w.title()
    category = rng.choice(list(CATEGORIES))
    campaign = CATEGORIES[category]
    tags = rng.sample(TAGS, rng.randint(2, 4))
    if "campaign" in damage:
        campaign = rng.choice([c for c in CATEGORIES.values() if c != campaign])
    if "tag" in damage:
        tags[0] = tags[0] + "分析" if tags[0] != "ROI分析" else "ROI 分析"
    if "related_cut" in damage and related:
        related = [(related[0][0][:max(3, len(related[0][0]) - 5)], related[0][1])] + related[1:]
    if "broken_link" in damage:
        related = related[:-1] + [("存在しない記事", f"/{day.year}/01/01/9-no-such-post-{rng.randint(1, 99)}/")]
    lead = [f"## {w.fill('{s}で{obj}を改善するために')}", w.paragraph(3), w.paragraph(3), DISCLOSURE]
    sections = body_sections(w, 5600)
    blocks = list(lead)
    for head, paras in sections:
        blocks.append(head)
        blocks.extend(paras)
    summary = [f"### まとめ：{w.fill('{a}ことから始める')}", w.paragraph(2) + "あなたの会社では、どこから始めますか？"]
    blocks.extend(summary)
    if copy_of is not None:
        blocks = copy_of.split("\n\n")
    tail = footer(category, related, campaign)
    apply_damage(rng, w, blocks, damage)
    text_blocks = blocks + ["---"] + [x for part in tail for x in (part, "---")][:-1]
    if "after_footer" in damage:
        text_blocks += [f"### {len(sections) + 1}. {w.fill('{s}の今後')}", w.paragraph(), w.paragraph()]
    body = "\n\n".join(text_blocks) + "\n"
    if "glued" in damage:
        body = body.replace("始めますか？\n\n---", "始めますか？\n---", 1)
    chars = sum(1 for ch in "\n".join(blocks) if not ch.isspace())
    minutes = max(1, round(chars / 450)) + (7 if "reading_time" in damage else 0)
    front = "\n".join([
        "---", "layout: post", f'title: "{title}"', f"date: {day.isoformat()} 09:{rng.randint(0, 59):02d}:00 +0900",
        f"categories: [{category}]", "tags: [" + ", ".join(f'"{t}"' for t in tags) + "]", 'author: "編集部"',
        f'excerpt: "{w.paragraph(4)[:120]}"', f"reading_time: {minutes}",
        f'image: "/assets/images/posts/{stem}-ogp.png"', "---", ""])
    return title, front + "\n" + body


def apply_damage(rng: random.Random, w: PostWriter, blocks: list[str], damage: list[str]) -> None:
    """Damage the body's blocks in place, the ways post-anatomy.md lists."""
    prose = [i for i, b in enumerate(blocks) if not b.startswith(("#", "1. ", "- "))]
    if "cite" in damage:
        i = rng.choice(prose)
        blocks[i] = blocks[i].replace("。", "[cite: 調査会社A]。", 1)
    if "stray_space" in damage:
        i = rng.choice(prose)
        blocks[i] = blocks[i].replace("では、", "では 、", 1).replace("ことが", "こと が", 1)
    if "truncated" in damage:
        i = rng.choice(prose[2:])
        blocks[i] = blocks[i][: len(blocks[i]) // 2].rstrip("。、") + "を実現するための基"
        blocks.insert(i + 1, "---END---")
        blocks.insert(i + 2, "を大きく広げるものです。" + w.paragraph(1))
    elif "marker" in damage:
        blocks.insert(rng.choice(prose[1:]), "---END---")
    if "dup_section" in damage:
        heads = [i for i, b in enumerate(blocks) if b.startswith("### ") and not b.startswith("### まとめ")]
        if len(heads) >= 3:
            a, b = heads[1], heads[2]
            copy = list(blocks[a:b])
            at = heads[-1] if len(heads) > 3 else b
            blocks[at:at] = copy
    if "numbering" in damage:
        heads = [i for i, b in enumerate(blocks) if b.startswith("### ") and b[4].isdigit()]
        if len(heads) >= 4:
            i = heads[-1]
            blocks[i] = "### 2.3. " + blocks[i].split(". ", 1)[1]


def share_png(width: int = 1200, height: int = 630) -> bytes:
    """A real PNG of the share-image size, one flat colour (some 3 KB): the form's
    thumbnail decodes it as it would an editor's image (the 8-byte signature alone
    made Qt's PNG reader print an error per post)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    row = b"\0" + bytes((0x2B, 0x4C, 0x7E)) * width  # filter byte, then RGB pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * height, 9))
            + chunk(b"IEND", b""))


def make_site(root: Path, posts: int = 1000, seed: int = 1, damaged: float = 0.33) -> Path:
    """Write a site of `posts` posts under `root` (replaced if it exists)."""
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    (root / "_posts").mkdir(parents=True)
    (root / "_drafts").mkdir()
    (root / "_layouts").mkdir()
    (root / "assets/images/posts").mkdir(parents=True)
    shutil.copy(SAMPLE / ".editorial.yml", root / ".editorial.yml")
    (root / "_config.yml").write_text('title: "ベンチマーク"\nurl: "https://example.com"\ntimezone: Asia/Tokyo\n'
                                      "permalink: /:year/:month/:day/:title/\nmarkdown: kramdown\n", encoding="utf-8")
    (root / "_layouts/post.html").write_text(LAYOUT, encoding="utf-8")
    (root / "_layouts/default.html").write_text(LAYOUT, encoding="utf-8")
    for rel, text in PAGES.items():
        (root / rel).write_text(text, encoding="utf-8")
    rng = random.Random(seed)
    image = share_png()
    day = date(2022, 1, 1)
    written: list[tuple[str, str, str]] = []  # (title, url, body)
    for n in range(posts):
        day += timedelta(days=1 if n % 3 == 0 else 0)
        stem = f"{day.isoformat()}-{n % 3 + 1}-post-{n:05d}-{rng.choice(['ai', 'llm', 'dx', 'rag'])}"
        related = [(t, u) for t, u, _ in rng.sample(written, min(3, len(written)))] if written else []
        damage = [d for d in DAMAGES if rng.random() < 0.06] if rng.random() < damaged else []
        copy_of = written[-1][2] if written and n % 50 == 17 else None  # one post in fifty
        title, text = make_post(random.Random(rng.random()), stem, day, related, damage, copy_of)
        (root / "_posts" / f"{stem}.md").write_text(text, encoding="utf-8")
        if rng.random() < 0.97:
            (root / "assets/images/posts" / f"{stem}-ogp.png").write_bytes(image)
        body = text.split("\n---\n", 1)[1].split("\n---\n\n### あわせて読みたい")[0].strip()
        written.append((title, f"/{day.year:04d}/{day.month:02d}/{day.day:02d}/{stem[11:]}/", body))
        if len(written) > 60:  # related posts and copies come from recent posts
            written.pop(0)
    return root


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    make_site(args.root, args.posts, args.seed)
    print(f"{args.posts} posts in {args.root}")


if __name__ == "__main__":
    main()
