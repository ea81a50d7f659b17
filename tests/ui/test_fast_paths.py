"""The window's fast paths give the plain answers (issue 6): the bisected text
diff equals the character loop, the memoised Document equals a fresh one, and the
form re-reads the fields only after an edit that reaches into the front matter."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.document import Document
from app.core.findings import Edit
from app.ui.textdiff import changed_span, doc_for_text, front_matter_end

from conftest import CLEAN, cursor_at_line_end, open_post, type_text


def plain_span(old: str, new: str) -> Edit | None:
    """The character-by-character loop the window used before (the reference)."""
    if old == new:
        return None
    start, limit = 0, min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    eo, en = len(old), len(new)
    while eo > start and en > start and old[eo - 1] == new[en - 1]:
        eo -= 1
        en -= 1
    return Edit(start, eo, new[start:en])


# a small alphabet makes long common runs and repeated characters at the edit
TEXT = st.text(alphabet="ab\n語😀-", max_size=60)


@given(TEXT, TEXT)
def test_changed_span_equals_the_character_loop(old, new):
    assert changed_span(old, new) == plain_span(old, new)


@given(TEXT, st.integers(0, 60), st.integers(0, 5), TEXT)
def test_changed_span_of_an_edit(text, at, cut, insert):
    """Typing-shaped changes: one replacement anywhere."""
    at = min(at, len(text))
    new = text[:at] + insert + text[at + cut:]
    span = changed_span(text, new)
    assert span == plain_span(text, new)
    if span is not None:
        assert text[:span.start] + span.text + text[span.end:] == new


FRONT = '---\ntitle: "題"\ntags: ["a", "b"]\n---\n'


@given(st.text(alphabet="ab\n語😀-: ", max_size=40), st.text(alphabet="ab\n語😀-: ", max_size=40))
def test_doc_for_text_keeps_every_byte_outside_the_edit(body, typed):
    base = Document.from_bytes((FRONT + body).replace("\n", "\r\n").encode("utf-8"))
    doc = doc_for_text(base, FRONT + typed + body)
    assert doc.text == FRONT + typed + body
    assert doc.source.startswith(FRONT.replace("\n", "\r\n"))


def test_front_matter_end_in_qt_positions():
    doc = Document('---\ntitle: "😀"\n---\n本文\n')
    assert front_matter_end(doc) == len('---\ntitle: "😀"\n---\n') + 1  # the emoji is two UTF-16 units
    assert front_matter_end(Document("no front matter\n")) == float("inf")


def test_current_doc_is_fresh_after_every_change(window, qtbot):
    open_post(qtbot, window, CLEAN)
    first = window.current_doc()
    assert window.current_doc() is first  # nothing changed: the same Document
    type_text(window.editor, "追記")
    again = window.current_doc()
    assert again is not first
    assert again.text == doc_for_text(window.base_doc, window.editor.toPlainText()).text


def test_form_rereads_fields_only_after_front_matter_edits(window, qtbot, monkeypatch):
    open_post(qtbot, window, CLEAN)
    refreshes = []
    monkeypatch.setattr(window.form, "schedule_refresh", lambda: refreshes.append(1))
    editor = window.editor
    cur = editor.textCursor()
    cur.movePosition(cur.MoveOperation.End)
    editor.setTextCursor(cur)
    type_text(editor, "本文に追記。")
    assert refreshes == []  # the body: the fields are as they were
    cursor_at_line_end(editor, 2)  # a front-matter line
    type_text(editor, "x")
    assert refreshes  # the fields are re-read
    refreshes.clear()
    window.current_doc()  # the front matter's end is measured again
    cur.movePosition(cur.MoveOperation.End)
    editor.setTextCursor(cur)
    type_text(editor, "y")
    assert refreshes == []


# Front matter lines: plain values, YAML the fast loader leaves to the round trip
# (anchors, tags, comments, flow mappings), broken YAML, and no mapping at all.
FRONT_LINE = st.sampled_from([
    'title: "題名"', "title: 題名", "tags: [LLM, 生成AI]", "tags:\n  - LLM\n  - RAG", "reading_time: 5",
    "date: 2026-02-19 10:56:44 +0900", "# a comment", "x: &a 1", "y: *a", "z: !!str 5", "m: {a: 1}",
    'bad: "unclosed', "bad: [1, 2", "- a list item", "just text", "k: v: w", "", "key: ['x':y]", "title:",
])


@pytest.mark.filterwarnings("ignore::ruamel.yaml.error.ReusedAnchorWarning")  # `x: &a` twice: meant
@given(st.lists(FRONT_LINE, max_size=6), st.booleans())
def test_readable_equals_a_parsed_round_trip_tree(lines, closed):
    """The form's `readable` answers `doc.data is not None` without building the
    tree; a fresh Document for each side, so neither sees the other's cache."""
    from app.ui.form import readable
    text = "---\n" + "\n".join(lines) + ("\n---\n" if closed else "\n") + "本文\n"
    assert readable(Document(text)) == (Document(text).data is not None)


def test_readable_on_every_fixture_post():
    from pathlib import Path
    from app.ui.form import readable
    posts = sorted(Path(__file__).resolve().parents[1].glob("**/*.md"))
    assert len(posts) > 20
    for path in posts:
        try:
            doc = Document.load(path)
        except Exception:  # noqa: BLE001 - unreadable files are not the form's business
            continue
        assert readable(doc) == (Document.load(path).data is not None), path
    assert readable(None) is False
