"""The preview renders in a process of its own and updates the page in place.

What must hold: the page is the one the window's own `preview_page` makes; an
update changes only the nodes that differ, and the patched page equals a page
parsed afresh from the new HTML (node for node); a render process that dies is
replaced and the preview still updates.
"""
from __future__ import annotations

import os
import random
import signal

import pytest

from app.core.document import Document

from conftest import CLEAN, open_post, type_text
from test_preview_security import js_value, long_doc

# The patched body against the new body parsed as `body.innerHTML = html` parses it.
SAME_AS_FRESH = """(function(html){
  var f = document.createElement('body'); f.innerHTML = html;
  return document.body.isEqualNode(f) && document.body.innerHTML === f.innerHTML;
})(%s)"""


def body_of(page: str) -> str:
    from app.ui.preview import _BODY
    return _BODY.search(page).group(1)


def show(qtbot, preview, doc, site, text=None):
    """Show `text` and wait until the view holds its page: not merely for the next
    `rendered`, which may be an earlier render's (the window's own, still loading)."""
    preview.show_text(doc, text, site, immediately=True)
    wanted = preview.generation
    qtbot.waitUntil(lambda: preview.rendered_generation >= wanted, timeout=20000)


def same_as_fresh(qtbot, preview) -> bool:
    import json
    return js_value(qtbot, preview, SAME_AS_FRESH % json.dumps(body_of(preview.last_html)))


def test_the_scheme_names_agree():
    from app.ui.app import SCHEME
    from app.ui.preview_page import SCHEME_NAME
    assert SCHEME.decode() == SCHEME_NAME


def test_the_page_is_the_one_made_here(window, qtbot):
    from app.ui.preview import preview_page
    doc = Document.load(window.site.root / CLEAN)
    show(qtbot, window.preview, doc, window.site)
    assert window.preview.last_html == preview_page(doc, window.site, base_href=window.preview.base_href())
    edited = doc.text.replace("\n\n", "\n\n追記した段落です。\n\n", 3)
    show(qtbot, window.preview, doc, window.site, edited)
    assert window.preview.last_html == preview_page(doc.with_text(edited), window.site,
                                                    base_href=window.preview.base_href())


def test_rendering_does_not_run_in_the_window_process(window, qtbot, monkeypatch):
    import app.ui.preview_page as here

    def refuse(*_a, **_k):
        raise AssertionError("rendered in the window's process")

    monkeypatch.setattr(here, "preview_page", refuse)
    show(qtbot, window.preview, long_doc("別のプロセスで描画しました。\n"), window.site)
    assert "別のプロセスで描画しました。" in window.preview.last_html
    assert window.preview.renderer(window.site).submit(os.getpid).result(timeout=20) != os.getpid()


def edits(text: str, rng: random.Random):
    """A sequence of texts as an editor makes them: characters typed into a line,
    lines added and removed (the blocks below move), a block deleted, a list, a
    heading and the title changed."""
    lines = text.split("\n")
    for _ in range(14):
        i = rng.randrange(4, len(lines))
        kind = rng.choice(["type", "newline", "delete", "list", "heading", "title", "html"])
        if kind == "type":
            lines[i] = lines[i] + "追記"
        elif kind == "newline":
            lines.insert(i, "")
            lines.insert(i, "新しい段落です。")
        elif kind == "delete" and len(lines) > 20:
            del lines[i:i + 2]
        elif kind == "list":
            lines.insert(i, "\n- 項目一\n- 項目二\n")
        elif kind == "heading":
            lines.insert(i, "\n## 新しい見出し\n")
        elif kind == "html":
            lines.insert(i, "\n<div class=\"note\">\n<p>HTMLの塊</p>\n</div>\n")
        else:
            lines[1] = f'title: "題名{rng.randrange(100)}"'
        yield "\n".join(lines)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_patched_page_equals_the_new_page_parsed_afresh(window, qtbot, seed):
    preview = window.preview
    base = long_doc()
    show(qtbot, preview, base, window.site)
    for text in edits(base.text, random.Random(seed)):
        show(qtbot, preview, base, window.site, text)
        assert same_as_fresh(qtbot, preview)


def test_an_edit_replaces_only_the_block_it_changed(window, qtbot):
    """Nodes the edit did not touch are the same DOM nodes afterwards, also below
    an added line, whose data-line moved."""
    preview = window.preview
    base = long_doc()
    show(qtbot, preview, base, window.site)
    js_value(qtbot, preview, "var b = document.querySelectorAll('[data-line]');"
                             "window.pdKept = [b[0], b[b.length - 1]]; b.length")
    lines = base.text.split("\n")
    middle = len(lines) // 2
    lines.insert(middle, "")
    lines.insert(middle, "途中に足した段落です。")
    show(qtbot, preview, base, window.site, "\n".join(lines))
    assert same_as_fresh(qtbot, preview)
    assert js_value(qtbot, preview, "var b = document.querySelectorAll('[data-line]');"
                                    "[b[0] === pdKept[0], b[b.length - 1] === pdKept[1], pdKept[1].isConnected].join()") \
        == "true,true,true"
    assert "途中に足した段落です。" in js_value(qtbot, preview, "document.body.innerText")


def test_a_dead_render_process_is_replaced(window, qtbot):
    preview = window.preview
    show(qtbot, preview, long_doc(), window.site)
    pid = preview.renderer(window.site).submit(os.getpid).result(timeout=20)
    os.kill(pid, signal.SIGKILL)
    show(qtbot, preview, long_doc("落ちた後の追記です。\n"), window.site)
    assert "落ちた後の追記です。" in preview.last_html
    assert "落ちた後の追記です。" in js_value(qtbot, preview, "document.body.innerText")
    assert preview.renderer(window.site).submit(os.getpid).result(timeout=20) not in (pid, os.getpid())


def test_typing_in_the_window_updates_the_preview(window, qtbot):
    open_post(qtbot, window, CLEAN)
    qtbot.waitUntil(lambda: bool(window.preview.last_html), timeout=20000)
    cur = window.editor.textCursor()
    cur.movePosition(cur.MoveOperation.End)
    window.editor.setTextCursor(cur)
    with qtbot.waitSignal(window.preview.rendered, timeout=20000):
        type_text(window.editor, "\n\nEDITED in the window\n")
    qtbot.waitUntil(lambda: "EDITED in the window" in js_value(qtbot, window.preview, "document.body.innerText"),
                    timeout=20000)
    assert same_as_fresh(qtbot, window.preview)


def test_a_worker_keeps_the_post_as_read_from_disk_only_while_it_is_the_same():
    """Each keystroke sends the post as read from disk; the worker builds its
    Document once, and a new one when any of source, BOM flag or path differ."""
    from pathlib import Path
    from app.ui.check_process import base_document
    source = long_doc().source
    first = base_document(source, False, None)
    assert base_document(source, False, None) is first
    for args in ((source + "追記\n", False, None), (source, True, None), (source, False, Path("/x/a.md"))):
        other = base_document(*args)
        assert other is not first
        fresh = Document(args[0], bom=args[1], path=args[2])
        assert (other.text, other.bom, other.path, other.fields) == (fresh.text, fresh.bom, fresh.path, fresh.fields)
