"""Showing a new set of findings without redrawing everything (issue 6: the window
must not stall while typing when a check's findings arrive).

The findings panel updates its rows by difference, the form's notes get a style
sheet only when it changes, and the status bar keeps its height when 変更あり
appears. Each test drives the real widgets; the panel's rows after any sequence of
updates must be exactly what a panel given only the last set shows, and what the
plain definition (groups in severity order, rows by line) says."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from app.core.findings import Edit, Finding, Fix, Severity, Text
from app.ui.findings_panel import FINDING_ROLE, ORDER, FindingsPanel

RULES = [("PD101", "residue"), ("PD202", "duplicate-section"), ("PD507", "reading-time")]


@st.composite
def findings_sets(draw):
    """A set of findings from a small pool, so successive sets share, move, gain
    and lose findings (as checks of a text being typed do)."""
    n = draw(st.integers(0, 8))
    out = []
    for _ in range(n):
        rule, name = draw(st.sampled_from(RULES))
        line = draw(st.integers(1, 6))
        end = draw(st.one_of(st.none(), st.integers(line, line + 2)))
        word = draw(st.sampled_from(["一", "二", "三"]))
        fix = draw(st.one_of(st.none(), st.integers(0, 3).map(
            lambda k: Fix(Text("直す", "Fix it"), (Edit(k, k + 1, "x"),)))))
        out.append(Finding(rule, name, draw(st.sampled_from(list(Severity))), line,
                           Text(f"{word}の問題\n続き", f"problem {word}\nmore"), end_line=end, fix=fix))
    return out


def dump(panel: FindingsPanel) -> list:
    """Everything the panel's tree shows or holds, group by group."""
    m = panel.model
    out = [[m.headerData(c, Qt.Orientation.Horizontal) for c in range(3)]]
    for g in range(m.rowCount()):
        head = m.item(g, 0)
        row = [m.item(g, c).text() for c in range(3)]
        row += [head.foreground().color().name(), head.font().bold(), head.isEditable()]
        row.append([[(head.child(r, c).text(), head.child(r, c).toolTip(), head.child(r, c).data(FINDING_ROLE),
                      head.child(r, c).isEditable()) for c in range(3)] for r in range(head.rowCount())])
        row.append(panel.view.isExpanded(m.index(g, 0)))
        out.append(row)
    return out


def definition(findings: list[Finding], lang: str) -> list:
    """The plain definition of the rows: non-empty groups in severity order, each
    'label (n)', its findings by line then rule: message on one line, line or line
    range, rule and name (and 'fixable')."""
    labels = {"ja": {Severity.ERROR: "エラー", Severity.WARNING: "警告", Severity.INFO: "情報"},
              "en": {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.INFO: "Information"}}[lang]
    out = []
    for sev in ORDER:
        group = sorted((f for f in findings if f.severity == sev), key=lambda f: (f.line, f.rule))
        if group:
            rows = [(f.message(lang).replace("\n", " "),
                     str(f.line) if f.last_line == f.line else f"{f.line}–{f.last_line}",
                     f.rule + " " + f.name) for f in group]
            out.append((f"{labels[sev]} ({len(group)})", rows))
    return out


def shown(panel: FindingsPanel) -> list:
    m = panel.model
    return [(m.item(g, 0).text(),
             [tuple(m.item(g, 0).child(r, c).text().split(" · ")[0] for c in range(3))
              for r in range(m.item(g, 0).rowCount())])
            for g in range(m.rowCount())]


def new_panel(qtbot) -> FindingsPanel:
    panel = FindingsPanel()
    qtbot.addWidget(panel)
    panel.show()
    return panel


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(findings_sets(), min_size=1, max_size=5))
def test_updates_by_difference_equal_a_fresh_panel(qtbot, sets):
    updated = new_panel(qtbot)
    for findings in sets:
        updated.set_findings(findings, "ja")
    fresh = new_panel(qtbot)
    fresh.set_findings(sets[-1], "ja")
    assert dump(updated) == dump(fresh)
    assert shown(updated) == definition(sets[-1], "ja")
    assert updated.summary.text() == fresh.summary.text()


def test_a_language_switch_rewrites_kept_rows(qtbot):
    f = Finding("PD101", "residue", Severity.ERROR, 3, Text("残骸です", "Residue"))
    panel = new_panel(qtbot)
    panel.set_findings([f], "ja")
    assert shown(panel) == definition([f], "ja")
    from app.ui import i18n
    try:
        i18n.switch("en")
        panel.set_findings([f], "en")
        assert shown(panel) == definition([f], "en")
    finally:
        i18n.switch("ja")


def test_a_typed_line_shift_updates_rows_in_place(qtbot):
    """Rows whose finding only moved are the same rows (no removal, no insertion):
    what makes the update cheap."""
    a = Finding("PD101", "residue", Severity.ERROR, 3, Text("一", "one"))
    b = Finding("PD202", "duplicate-section", Severity.ERROR, 9, Text("二", "two"))
    panel = new_panel(qtbot)
    panel.set_findings([a, b], "ja")
    removed, inserted = [], []
    panel.model.rowsRemoved.connect(lambda *args: removed.append(args))
    panel.model.rowsInserted.connect(lambda *args: inserted.append(args))
    moved = Finding("PD202", "duplicate-section", Severity.ERROR, 10, Text("二", "two"))
    panel.set_findings([a, moved], "ja")
    assert (removed, inserted) == ([], [])
    assert panel.model.item(0, 0).child(1, 1).text() == "10"
    assert panel.model.item(0, 0).child(1, 0).data(FINDING_ROLE) == moved


def test_selection_stays_only_on_an_equal_finding(qtbot):
    fix = Fix(Text("直す", "Fix"), (Edit(0, 1, "x"),))
    a = Finding("PD101", "residue", Severity.ERROR, 3, Text("一", "one"), fix=fix)
    b = Finding("PD202", "duplicate-section", Severity.WARNING, 9, Text("二", "two"))
    panel = new_panel(qtbot)
    panel.set_findings([a, b], "ja")
    panel.select(a)
    assert panel.current_finding() == a and panel.fix_btn.isEnabled()
    panel.set_findings([b, a], "ja")  # a new check, the same findings
    assert panel.current_finding() == a and panel.fix_btn.isEnabled()
    moved = Finding("PD101", "residue", Severity.ERROR, 4, Text("一", "one"), fix=fix)
    panel.set_findings([moved, b], "ja")  # as when the tree was rebuilt: nothing selected
    assert panel.current_finding() is None and not panel.fix_btn.isEnabled()
    assert not panel.view.selectionModel().hasSelection()


def test_form_notes_are_restyled_only_when_their_colour_changes(window, qtbot):
    from conftest import DAMAGED, open_post
    open_post(qtbot, window, DAMAGED)
    form = window.form
    note = form.notes["title"]
    calls = []
    original = note.setStyleSheet
    note.setStyleSheet = lambda sheet: (calls.append(sheet), original(sheet))
    findings = list(window.findings)
    form.set_findings(findings)
    form.set_findings(findings)
    assert calls == []  # nothing changed: no re-polish
    line = window.current_doc().field_lines("title")[0]
    problem = Finding("PD501", "title-length", Severity.ERROR, line, Text("長すぎます", "Too long"))
    form.set_findings(findings + [problem])
    assert len(calls) == 1 and "#d32f2f" in note.styleSheet()
    form.set_findings(findings)
    assert len(calls) == 2 and "#d32f2f" not in note.styleSheet()


def test_status_bar_keeps_its_height_when_the_post_becomes_modified(window, qtbot):
    """変更あり appearing grew the status bar by a pixel, and the whole window was
    laid out and repainted again on the first keystroke."""
    from conftest import CLEAN, cursor_at_line_end, open_post, type_text
    open_post(qtbot, window, CLEAN)
    bar = window.statusBar()
    qtbot.waitUntil(lambda: bar.height() > 0)
    before = bar.height()
    cursor_at_line_end(window.editor, 12)
    type_text(window.editor, "あ")
    qtbot.waitUntil(lambda: window.status_label.text() != "")
    qtbot.wait(50)
    assert bar.height() == before


# -- the editor's underlines -------------------------------------------------------
def underlines(editor) -> list[tuple]:
    return [(s.cursor.selectionStart(), s.cursor.selectionEnd(), s.format.underlineColor().name())
            for s in editor.extraSelections() if s.format.underlineStyle() != s.format.UnderlineStyle.NoUnderline]


def test_editor_underlines_are_made_once_and_follow_the_text(qtbot):
    """Moving the cursor (every keystroke does) no longer makes the underlines
    again: they are the ones set_findings made, equal to a fresh build, and an edit
    above them carries them along with their text."""
    from app.ui.editor import MarkdownEditor
    from conftest import type_text
    ed = MarkdownEditor()
    qtbot.addWidget(ed)
    ed.set_text("one\ntwo\nthree four\nfive")
    whole = Finding("PD101", "residue", Severity.ERROR, 2, Text("x", "x"))
    cols = Finding("PD202", "duplicate-section", Severity.WARNING, 3, Text("y", "y"), col=6, end_col=10)
    ed.set_findings([whole, cols])
    built = underlines(ed)
    assert [ed.toPlainText()[a:b] for a, b, _c in built] == ["two", "four"]
    made = []
    original = ed._finding_selections
    ed._finding_selections = lambda: made.append(1) or original()
    for n in range(4):  # cursor moves: the current-line band moves, the underlines stay
        cur = ed.textCursor()
        cur.setPosition(n)
        ed.setTextCursor(cur)
    assert made == [] and underlines(ed) == built
    cur = ed.textCursor()
    cur.setPosition(0)
    ed.setTextCursor(cur)
    type_text(ed, "zero\n")
    assert made == []
    assert [ed.toPlainText()[a:b] for a, b, _c in underlines(ed)] == ["two", "four"]


# -- the cyclic collector --------------------------------------------------------------
def test_a_cycle_frozen_with_a_site_is_freed_when_another_opens(window, qtbot, site):
    """The window freezes the heap once a site is loaded (gc.freeze: full collections
    in the list's threads walked it all); opening a site hands the frozen objects
    back and collects them, so cycles left by the previous site do not pile up."""
    import gc
    import weakref

    class Node:
        pass

    assert gc.get_freeze_count() > 0  # the window froze the loaded site and its rows
    node = Node()
    node.me = node  # a cycle: only the cyclic collector frees it
    gone = weakref.ref(node)
    window._freeze_heap()  # frozen with the site, as if it were part of it
    del node
    gc.collect()
    assert gone() is not None  # frozen: out of the collector's sight
    with qtbot.waitSignal(window.post_list.model.filled, timeout=30000):
        assert window.open_site(site)
    assert gone() is None
    assert gc.get_freeze_count() > 0
