"""Draw PostDesk's app icon (a page with a check mark on a blue tile) at the sizes
each platform wants, from one geometry, into resources/icons/:

  postdesk.svg   the window icon the GUI loads (Qt scales it)
  postdesk.png   512 px, for Linux desktops
  postdesk.ico   16-256 px, for the Windows executable and installer
  postdesk.icns  16-1024 px, for the macOS app bundle

The outputs are committed, so builds do not need Pillow; rerun this script (needs
Pillow: `pip install pillow`) only when the design changes.
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "resources" / "icons"
UNITS = 1024  # the design grid; every coordinate below is on it

TILE = {"box": (64, 64, 960, 960), "radius": 200, "fill": "#1E5AA8"}
PAGE = {"points": [(272, 176), (640, 176), (768, 304), (768, 848), (272, 848)], "fill": "#FFFFFF"}
FOLD = {"points": [(640, 176), (640, 304), (768, 304)], "fill": "#BFD3EE"}
LINES = {"rows": [((352, 392), (688, 392)), ((352, 480), (600, 480))], "width": 40, "fill": "#9DB3D3"}
CHECK = {"points": [(376, 652), (480, 752), (680, 540)], "width": 84, "fill": "#1F9D55"}

ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
ICNS_SIZES = [16, 32, 64, 128, 256, 512, 1024]
PNG_SIZE = 512


def svg() -> str:
    """The icon as SVG text, from the same geometry as the bitmaps."""
    def pts(points):
        return " ".join(f"{x},{y}" for x, y in points)

    x0, y0, x1, y1 = TILE["box"]
    lines = "\n".join(
        f'  <line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}" stroke="{LINES["fill"]}" '
        f'stroke-width="{LINES["width"]}" stroke-linecap="round"/>' for a, b in LINES["rows"])
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{UNITS}" height="{UNITS}" viewBox="0 0 {UNITS} {UNITS}">\n'
        f'  <rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="{TILE["radius"]}" fill="{TILE["fill"]}"/>\n'
        f'  <polygon points="{pts(PAGE["points"])}" fill="{PAGE["fill"]}"/>\n'
        f'  <polygon points="{pts(FOLD["points"])}" fill="{FOLD["fill"]}"/>\n'
        f'{lines}\n'
        f'  <polyline points="{pts(CHECK["points"])}" fill="none" stroke="{CHECK["fill"]}" '
        f'stroke-width="{CHECK["width"]}" stroke-linecap="round" stroke-linejoin="round"/>\n'
        f'</svg>\n')


def bitmap(size: int):
    """The icon as a square RGBA Pillow image of `size` pixels, drawn 4x larger and
    scaled down so that edges are antialiased at every size."""
    from PIL import Image, ImageDraw
    big = max(size * 4, 256)
    k = big / UNITS
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)

    def sc(points):
        return [(x * k, y * k) for x, y in points]

    d.rounded_rectangle([v * k for v in TILE["box"]], radius=TILE["radius"] * k, fill=TILE["fill"])
    d.polygon(sc(PAGE["points"]), fill=PAGE["fill"])
    d.polygon(sc(FOLD["points"]), fill=FOLD["fill"])
    for a, b in LINES["rows"]:
        _stroke(d, sc([a, b]), LINES["width"] * k, LINES["fill"])
    _stroke(d, sc(CHECK["points"]), CHECK["width"] * k, CHECK["fill"])
    return img.resize((size, size), Image.Resampling.LANCZOS)


def _stroke(draw, points, width: float, fill: str) -> None:
    """A polyline with round caps and joins (Pillow draws square ends by itself)."""
    draw.line(points, fill=fill, width=round(width), joint="curve")
    r = width / 2
    for x, y in points:
        draw.ellipse([x - r, y - r, x + r, y + r], fill=fill)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "postdesk.svg").write_text(svg(), encoding="utf-8")
    bitmap(PNG_SIZE).save(OUT / "postdesk.png", optimize=True)
    # Each ICO/ICNS size is drawn on its own rather than left to Pillow's resizing of one image.
    ico = [bitmap(s) for s in ICO_SIZES]
    ico[-1].save(OUT / "postdesk.ico", sizes=[(s, s) for s in ICO_SIZES], append_images=ico[:-1])
    icns = [bitmap(s) for s in ICNS_SIZES]
    icns[-1].save(OUT / "postdesk.icns", append_images=icns[:-1])
    for name in ("postdesk.svg", "postdesk.png", "postdesk.ico", "postdesk.icns"):
        print(f"{OUT / name}: {(OUT / name).stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
