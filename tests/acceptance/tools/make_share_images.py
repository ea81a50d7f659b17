"""Draw the sample site's share images: one small title card per post and draft.

Each card shows the post's category and title on a colour picked from the category,
so the cards differ at a glance and stay small (a few colours, PNG palette mode).
Posts whose `image:` is off the pattern or deliberately missing (see content/MANIFEST.md)
are skipped: drawing them would repair damage the sample site is meant to show.

    python tests/acceptance/tools/make_share_images.py [--force]
"""
from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO))

from app.core.document import Document  # noqa: E402

SITE = REPO / "content"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
SIZE = (1200, 630)
COLOURS = {"導入事例": ("#0f5c4d", "#bfe8dd"), "AI導入戦略": ("#1e4e8c", "#cfe0f7"),
           "AI技術ガイド": ("#4a2f7a", "#e0d5f2"), "AI最新ニュース": ("#8a3b12", "#f6dccb")}
DEFAULT = ("#333333", "#eeeeee")
SKIP = {"2026-11-05-1-ai-search-corporate-site"}  # PD508: its share image is missing on purpose


def wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    """Break a Japanese title into lines by width (no spaces to break at)."""
    lines, line = [], ""
    for ch in text:
        if draw.textlength(line + ch, font=font) > width and line:
            lines.append(line)
            line = ""
        line += ch
    return lines + [line] if line else lines


def card(title: str, category: str, out: Path) -> None:
    """One title card: site name, category band, the title, a rule."""
    bg, fg = COLOURS.get(category, DEFAULT)
    img = Image.new("RGB", SIZE, bg)
    draw = ImageDraw.Draw(img)
    small = ImageFont.truetype(FONT, 34)
    big = ImageFont.truetype(FONT, 58)
    draw.text((80, 60), "AIビジネスラボ", font=small, fill=fg)
    draw.rectangle((80, 130, 80 + draw.textlength(category, font=small) + 40, 190), fill=fg)
    draw.text((100, 136), category, font=small, fill=bg)
    y = 240
    for line in wrap(draw, title, big, SIZE[0] - 160)[:4]:
        draw.text((80, y), line, font=big, fill="#ffffff")
        y += 80
    draw.rectangle((0, SIZE[1] - 24, SIZE[0], SIZE[1]), fill=fg)
    img.quantize(colors=16).save(out, optimize=True)


def main(force: bool = False) -> None:
    for path in sorted(SITE.glob("_posts/*.md")) + sorted(SITE.glob("_drafts/*.md")):
        if path.stem in SKIP:
            continue
        try:
            doc = Document.load(path)
            image = doc.get("image")
        except Exception:  # unreadable or broken drafts have no card
            continue
        if not isinstance(image, str) or not image.startswith("/assets/images/posts/"):
            continue
        out = SITE / image.lstrip("/")
        if out.exists() and not force:
            continue
        cats = doc.get("categories") or [""]
        card(str(doc.get("title") or path.stem), str(cats[0]), out)
        print(out.relative_to(REPO), out.stat().st_size)


if __name__ == "__main__":
    main(force="--force" in sys.argv)
