"""The light front-matter reader behind PD602's titles gives exactly the title a full
Document load gives, or defers to it (links._light_title / post_title)."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.core.document import Document, DocumentError
from app.core.rules import links

REPO = Path(__file__).resolve().parents[2]

FRONT_MATTERS = [
    '---\nlayout: post\ntitle: "RAG導入で最初につまずく三つ"\ntags: ["RAG", "PoC"]\n---\n本文\n',
    "---\ntitle: 'シングル: クォート'\n---\n",
    "---\ntitle: 日本語の plain タイトル  \ncategories: [導入事例]\n---\n",
    "---\ntitle: 日本語: コロン\n---\n",  # YAML error: no title
    "---\ntitle: 12345\n---\n",
    "---\ntitle: true\n---\n",
    "---\ntitle: 2026-01-01\n---\n",
    "---\ntitle: ~\n---\n",
    "---\ntitle:\n---\n",
    "---\ntitle:\n  - リスト\n---\n",
    '---\ntitle: "エスケープ\\t付き"\n---\n',
    '---\ntitle: "一つ目"\ntitle: "二つ目"\n---\n',  # duplicate key: YAML error
    "---\ntitle: 複数行の\n  タイトル\n---\n",
    "---\ntitle: タイトル # コメント\n---\n",
    "---\ntitle: \"タイトル\"\ntags:\n- a\n- b\nimage: /x.png\n---\n",
    "---\ntitle: \"タイトル\"\ntags:\n  - a\n- b\n---\n",
    "---\ntitle: \"タイトル\"\nfoo: a: b\n---\n",  # YAML error elsewhere
    "---\ntitle: \"タイトル\"\n\tbad: tab\n---\n",
    "---\r\ntitle: \"CRLF タイトル\"\r\ndate: 2026-01-01 09:00:00 +0900\r\n---\r\n本文\r\n",
    "\ufeff---\ntitle: \"BOM付き\"\n---\n",
    "---\ntitle: \"閉じていない\"\n",
    "本文だけ\n",
    "---\n---\n",
    "---\n# コメントだけ\n---\n",
    "---\ntitle: \"\"\n---\n",
    "---\ntitle: \"最後の行\"\n---",
    "---\ntitle: [a, b]\n---\n",
    "---\nTrue: x\ntitle: \"t\"\n---\n",
    "---\ntitle: \"行\u2028区切り\"\n---\n",
    "---\ntitle: \"制御\x01文字\"\n---\n",
]


def _full_title(path: Path):
    try:
        value = Document.load(path).get("title")
    except DocumentError:
        value = None
    return str(value) if value not in (None, "") else None


@pytest.mark.parametrize("text", FRONT_MATTERS)
def test_light_title_matches_the_full_load(tmp_path, text):
    path = tmp_path / "post.md"
    path.write_bytes(text.encode("utf-8"))
    links._TITLES.clear()
    assert links.post_title(path) == _full_title(path)


def test_light_title_matches_every_fixture_post():
    """Over the sample site and the fixtures the light reader answers for nearly every
    post, and always as the full load does."""
    answered = 0
    paths = sorted((REPO / "content").rglob("*.md")) + sorted((REPO / "tests" / "fixtures").rglob("*.md"))
    for path in paths:
        value = links._light_title(path.read_bytes())
        if value is links._FALLBACK:
            continue
        answered += 1
        assert (str(value) if value not in (None, "") else None) == _full_title(path), path
    assert answered >= len(paths) * 0.9


def test_non_utf8_has_no_title(tmp_path):
    path = tmp_path / "post.md"
    path.write_bytes("---\ntitle: タイトル\n---\n".encode("shift_jis"))
    links._TITLES.clear()
    assert links.post_title(path) is None
