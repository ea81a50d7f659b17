"""render_html(): source lines, blocks, raw HTML as Jekyll publishes it, the standalone page."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.core.markdown import tokenize
from app.core.render import Rendered, render_html, standalone_page

REPO = Path(__file__).resolve().parents[2]


def test_scripts_iframes_and_onerror_pass_through_as_jekyll_writes_them(html):
    body = ('<script>alert(1)</script>\n\n<iframe src="https://example.com/embed"></iframe>\n\n'
            '<img src="x.png" onerror="alert(2)">\n\n本文 <img src=x onerror="alert(3)"> です\n')
    out = html(body)
    assert "<script>alert(1)</script>\n" in out
    assert '<iframe src="https://example.com/embed"></iframe>\n' in out
    assert '<p><img src="x.png" onerror="alert(2)" /></p>' in out
    assert '<p>本文 <img src="x" onerror="alert(3)" /> です</p>' in out


def test_blocks_are_file_lines_and_data_line_only_in_preview_mode():
    tokens, env = tokenize("## 見出し\n\n本文\n二行目\n\n- a\n- b\n")
    plain = render_html(tokens, env, body_line=10)
    assert "data-line" not in plain.html
    assert plain.blocks == [(10, 10), (12, 13), (15, 16)]
    preview = render_html(tokens, env, body_line=10, source_lines=True)
    assert '<h2 id="見出し" data-line="10">' in preview.html
    assert '<p data-line="12">' in preview.html
    assert '<ul data-line="15">' in preview.html
    assert preview.blocks == plain.blocks


def test_standalone_page_inlines_css_and_adds_no_script():
    page = standalone_page(Rendered("<p>本文</p>\n"), title="題<名>", css="body{color:red}",
                           base_href="file:///site/")
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>\nbody{color:red}\n</style>" in page
    assert '<base href="file:///site/">' in page
    assert "<title>題&lt;名&gt;</title>" in page
    assert "<script" not in page
    assert "script-src 'none'" in page


def test_preview_css_picks_japanese_fonts_and_styles_cta_and_liquid():
    css = (REPO / "resources" / "preview.css").read_text(encoding="utf-8")
    for font in ("Yu Gothic", "Meiryo", "Hiragino", "Noto Sans CJK JP"):
        assert font in css
    assert ".consulting-cta-link" in css and ".liquid-tag" in css


def test_core_modules_import_without_qt():
    code = ("import sys\nclass Block:\n    def find_spec(self, name, path=None, target=None):\n"
            "        if name.split('.')[0] in ('PySide6', 'shiboken6'):\n"
            "            raise ImportError('Qt is not allowed in app.core')\n"
            "sys.meta_path.insert(0, Block())\n"
            "import app.core.markdown, app.core.liquid, app.core.render\n")
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


def test_standalone_page_policy_lets_its_own_stylesheet_apply():
    """The inlined <style> needs style-src 'unsafe-inline'; scripts stay forbidden."""
    import re
    page = standalone_page(Rendered("<p>本文</p>\n"), title="題", css="body{color:red}")
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', page).group(1)
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert "'unsafe-inline'" in directives["style-src"]
    assert directives["script-src"] == "'none'" and "<style>" in page
