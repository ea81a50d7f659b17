"""What the preview sends and how it is scheduled: the body goes to Chromium as a
string literal of its own characters (not six-character escapes), and the check
process yields the CPU to the render process and Chromium."""
from __future__ import annotations

import json
import os

from hypothesis import given
from hypothesis import strategies as st

from app.ui.check_process import CHECK_NICENESS
from app.ui.preview import js_string

from test_preview_security import js_value

AWKWARD = ["", "本文の段落です。", 'quote " and \\ backslash', "line\u2028separator\u2029paragraph",
           "</script><!-- -->", "絵文字 🎌 and \u0000 NUL", "lone \ud800 surrogate", "\n\r\t"]


@given(st.text())
def test_the_literal_is_json_of_the_same_text(text):
    literal = js_string(text)
    assert json.loads(literal) == text
    assert "\u2028" not in literal and "\u2029" not in literal


def test_japanese_is_sent_as_it_is():
    body = "<p data-line=\"5\">本文の段落です。</p>\n" * 100
    assert len(js_string(body)) < len(body) * 1.2 < len(json.dumps(body)) / 2


def test_chromium_reads_the_literal_back_as_the_same_text(qtbot):
    """In a view of its own: the window's preview loads its own pages (the open
    post's first render), and one of them could replace the test's page while a
    script runs (this failed once in a full run)."""
    from PySide6.QtWebEngineWidgets import QWebEngineView
    view = QWebEngineView()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loadFinished, timeout=20000):
        view.setHtml("<p>x</p>")
    for text in AWKWARD:
        assert js_value(qtbot, view, "(%s)" % js_string(text)) == text.replace("\ud800", "\ufffd")


def test_the_check_process_is_nicer_than_the_render_process(window, qtbot):
    mine = os.nice(0)
    render = window.preview.renderer(window.site).submit(os.nice, 0).result(timeout=20)
    check = window.checker.submit(os.nice, 0).result(timeout=20)
    assert render == mine
    assert check == min(19, mine + CHECK_NICENESS) > render


def test_the_render_process_keeps_its_site_out_of_the_cyclic_collector(window, qtbot):
    import gc
    frozen = window.preview.renderer(window.site).submit(gc.get_freeze_count).result(timeout=20)
    assert frozen > 1000
