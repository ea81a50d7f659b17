"""The preview replaces only the top-level blocks an edit changed, in Chromium.

What must hold: after every update the page's body is node for node the new body
parsed afresh (as before, when the whole body was patched); the blocks an edit did
not touch stay the same DOM nodes; raw HTML, a changed title or a page that does
not hold the expected nodes make the whole body patched instead."""
from __future__ import annotations

import random

from app.core.document import Document

from test_preview_process import same_as_fresh, show
from test_preview_security import js_value

BODY = "\n".join([
    "## はじめに", "", "本文の段落です。" * 10, "", "- 項目一", "- 項目二", "  - 入れ子", "",
    "1. 番号", "2. 番号", "", "> 引用です。", "", "```python", "print('コード')", "```", "",
    "| 列 | 値 |", "|---|---|", "| a | 1 |", "", "注のある文[^1]と[参照][ref]。", "", "---", "",
    "[ref]: /about/", "", *[f"### 節{i}\n\n" + "段落の本文です。" * 20 + "\n" for i in range(30)],
    "[^1]: 注の本文です。", ""])


def mixed_doc() -> Document:
    return Document("---\ntitle: \"色々な記事\"\n---\n" + BODY)


def edits(text: str, rng: random.Random):
    """Texts as an editor makes them, without raw HTML: characters typed into a
    line, lines added and removed (the blocks below move), a list item, a table
    row, a fence and a footnote changed."""
    lines = text.split("\n")
    for _ in range(12):
        i = rng.randrange(4, len(lines) - 1)
        kind = rng.choice(["type", "newline", "delete", "list", "table", "fence", "note"])
        if kind == "type":
            lines[i] = lines[i] + "追記"
        elif kind == "newline":
            lines[i:i] = ["新しい段落です。", ""]
        elif kind == "delete" and len(lines) > 40:
            del lines[i:i + 2]
        elif kind == "list":
            lines[i:i] = ["", "- 足した項目", ""]
        elif kind in ("table", "fence"):
            start = "| a | 1 |" if kind == "table" else "print('コード')"
            at = next((k for k, line in enumerate(lines) if line.startswith(start)), None)
            if at is not None:
                lines[at] += "\n| b | 2 |" if kind == "table" else "\nprint('もう一行')"
        else:
            lines[-2] = lines[-2] + "追記"
        yield "\n".join(lines)


def test_edits_without_raw_html_replace_blocks_and_the_page_equals_a_fresh_parse(window, qtbot):
    preview = window.preview
    base = mixed_doc()
    show(qtbot, preview, base, window.site)
    show(qtbot, preview, base, window.site, base.text + "\n")  # the first patch after a load mends the whole body
    kinds = []
    for seed in (1, 2):
        for text in edits(base.text, random.Random(seed)):
            show(qtbot, preview, base, window.site, text)
            kinds.append(preview.last_update)
            assert same_as_fresh(qtbot, preview)
    assert set(kinds) == {"blocks"}


def test_the_first_update_after_a_load_replaces_blocks_and_mends_the_body_s_end(window, qtbot):
    """A loaded body ends with the newlines after </body> and </html> too; the
    first block update sets that text node as a fresh parse of the body has it."""
    preview = window.preview
    base = mixed_doc()
    show(qtbot, preview, base, window.site)
    assert preview.last_update == "load"
    assert not same_as_fresh(qtbot, preview)  # the load's extra newlines: what the update must mend
    show(qtbot, preview, base, window.site, base.text.replace("本文の段落です。", "書き換え。", 1))
    assert preview.last_update == "blocks"
    assert same_as_fresh(qtbot, preview)


def test_blocks_the_edit_did_not_touch_stay_the_same_nodes(window, qtbot):
    preview = window.preview
    base = mixed_doc()
    show(qtbot, preview, base, window.site)
    show(qtbot, preview, base, window.site, base.text + "\n")
    js_value(qtbot, preview, "var b = document.querySelectorAll('.post-content > [data-line]');"
                             "window.pdKept = [b[0], b[b.length - 2]]; b.length")
    text = base.text.replace("### 節15\n", "### 節15\n\n途中に足した段落です。\n")
    show(qtbot, preview, base, window.site, text)
    assert preview.last_update == "blocks"
    assert same_as_fresh(qtbot, preview)
    assert js_value(qtbot, preview, "var b = document.querySelectorAll('.post-content > [data-line]');"
                                    "[b[0] === pdKept[0], b[b.length - 2] === pdKept[1]].join()") == "true,true"


def test_raw_html_and_a_new_title_patch_the_whole_body(window, qtbot):
    preview = window.preview
    base = mixed_doc()
    show(qtbot, preview, base, window.site)
    for text, kind in ((base.text + "\n", "blocks"), (base.text.replace("色々な記事", "新しい題"), "body"),
                       (base.text + "\n\n<div class=\"note\">\n生の HTML\n</div>\n", "body"),
                       (base.text + "\n\n<b>開いたまま\n\n次の段落\n", "body"), (base.text + "\n\n末尾\n", "body"),
                       (base.text + "\n\n末尾の追記\n", "blocks")):
        show(qtbot, preview, base, window.site, text)
        assert preview.last_update == kind
        assert same_as_fresh(qtbot, preview)


def test_a_page_without_the_expected_nodes_gets_the_whole_body(window, qtbot):
    """The block script checks the content's node count before and after; where
    it differs (here a node removed behind the preview's back) the whole body is
    patched, and the page is still the fresh parse."""
    preview = window.preview
    base = mixed_doc()
    show(qtbot, preview, base, window.site)
    show(qtbot, preview, base, window.site, base.text + "\n")
    js_value(qtbot, preview, "var c = document.querySelector('.post-content'); c.removeChild(c.children[3]); 0")
    assert not same_as_fresh(qtbot, preview)
    show(qtbot, preview, base, window.site, base.text.replace("本文の段落です。", "書き換え。", 1))
    qtbot.waitUntil(lambda: same_as_fresh(qtbot, preview), timeout=10000)
