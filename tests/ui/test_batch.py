"""Tools → Validate site on a copy of the sample site (content/): the background run,
progress, Cancel, the filters, double-click to open, and the three exports."""
import csv
import io
import json
import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.core.engine import Engine
from app.core.findings import Severity
from app.core.reports import Report, renderer
from app.core.site import Site
from app.ui.batch import BatchValidationDialog, render_report

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
def sample(tmp_path) -> Site:
    root = tmp_path / "content"
    # Without the checkout's result cache: each test starts from posts never checked.
    shutil.copytree(CONTENT, root, ignore=shutil.ignore_patterns(".postdesk-cache"))
    return Site.open(root)


@pytest.fixture
def expected(sample):
    """What the engine finds on the same copy, run directly (in this process)."""
    return Engine(sample).check_site(jobs=1)


def run(qtbot, dialog) -> list:
    with qtbot.waitSignal(dialog.completed, timeout=60000) as blocker:
        dialog.start()
    return blocker.args[0]


def make(qtbot, site, engine=None, opened=None):
    d = BatchValidationDialog(site, engine or Engine(site), None,
                              open_location=(lambda p, line: opened.append((p, line))) if opened is not None else None)
    qtbot.addWidget(d)
    return d


def test_the_run_lists_every_finding_of_the_site(qtbot, sample, expected):
    d = make(qtbot, sample)
    steps = []
    d.progressed.connect(lambda done, total: steps.append((done, total)))
    results = run(qtbot, d)
    total = len(sample.all_posts)
    assert len(results) == total and total >= 20
    assert steps[-1] == (total, total)
    assert [s[0] for s in steps] == sorted(s[0] for s in steps)
    want = [(r.rel, f.line, f.rule, f.severity) for r in expected for f in r.findings]
    got = [(row.rel, row.line, row.rule, row.severity) for row in d.visible_rows()]
    assert got == want and len(got) > 50
    assert d.model.rowCount() == len(want)
    assert not d.cancel_btn.isVisible() and all(b.isEnabled() for b in d.export_btns.values())
    assert str(total) in d.status.text()


def test_filter_by_rule_and_severity(qtbot, sample, expected):
    d = make(qtbot, sample)
    run(qtbot, d)
    rules = [d.rule_box.itemData(i) for i in range(1, d.rule_box.count())]
    assert rules == sorted({f.rule for r in expected for f in r.findings})
    d.set_filter(rule="PD101")
    rows = d.visible_rows()
    assert rows and {r.rule for r in rows} == {"PD101"}
    assert len(rows) == sum(f.rule == "PD101" for r in expected for f in r.findings)
    d.set_filter(severity="error")
    rows = d.visible_rows()
    assert rows and {r.severity for r in rows} == {Severity.ERROR}
    assert len(rows) == sum(f.severity == Severity.ERROR for r in expected for f in r.findings)
    d.set_filter(rule="PD101", severity="info")  # PD101 is an error: nothing
    assert d.visible_rows() == []
    d.set_filter()
    assert len(d.visible_rows()) == d.model.rowCount()


def test_sorting_by_line_is_numeric(qtbot, sample):
    d = make(qtbot, sample)
    run(qtbot, d)
    d.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    lines = [r.line for r in d.visible_rows()]
    assert lines == sorted(lines, reverse=True) and lines[0] >= 100


def test_double_click_opens_the_post_at_the_line(qtbot, sample):
    opened = []
    d = make(qtbot, sample, opened=opened)
    d.show()
    run(qtbot, d)
    d.set_filter(rule="PD202")
    index = d.proxy.index(0, 3)
    row = d.visible_rows()[0]
    d.view.scrollTo(index)
    rect = d.view.visualRect(index)
    qtbot.mouseClick(d.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(d.openRequested) as blocker:
        qtbot.mouseDClick(d.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [(row.path, row.line)]
    assert blocker.args == [row.path, row.line]
    assert row.path.is_file() and row.path.is_relative_to(sample.root)


class GatedEngine(Engine):
    """Checks one post, then waits for the test (so Cancel lands mid-run)."""

    def __init__(self, site):
        super().__init__(site)
        self.gate = threading.Event()
        self.checked = 0

    def check_path(self, *args, **kwargs):
        if self.checked >= 1:
            self.gate.wait(10)
        self.checked += 1
        return super().check_path(*args, **kwargs)


def test_cancel_stops_the_run_and_keeps_what_was_checked(qtbot, sample):
    engine = GatedEngine(sample)
    d = make(qtbot, sample, engine)
    with qtbot.waitSignal(d.progressed, timeout=20000):
        d.start()
    assert d.cancel_btn.isEnabled()
    with qtbot.waitSignal(d.completed, timeout=20000) as blocker:
        qtbot.mouseClick(d.cancel_btn, Qt.MouseButton.LeftButton)
        engine.gate.set()
    results = blocker.args[0]
    assert 1 <= len(results) < len(sample.all_posts)
    assert d.was_cancelled and str(len(sample.all_posts)) in d.status.text()
    assert d.model.results == results


def test_exports_carry_the_same_findings(qtbot, sample, expected, tmp_path):
    d = make(qtbot, sample)
    run(qtbot, d)
    n = sum(len(r.findings) for r in expected)

    out = d.export(tmp_path / "r.json", "json")
    data = json.loads(out.read_text(encoding="utf-8"))
    report = Report(expected, sample.root, "ja", data["version"])
    assert data == json.loads(renderer("json")(report))  # the CLI's JSON, not a look-alike
    assert data["summary"]["files"] == len(sample.all_posts)

    rows = list(csv.reader(io.StringIO(d.export(tmp_path / "r.csv", "csv").read_text(encoding="utf-8"), newline="")))
    assert rows[0] == ["file", "line", "rule", "name", "severity", "message"]
    assert len(rows) == n + 1
    want = [(x.rel, f.line, f.rule) for x in expected for f in x.findings]
    assert [(r[0], int(r[1]), r[2]) for r in rows[1:]] == want
    assert all("\n" not in r[5] for r in rows[1:])

    page = d.export(tmp_path / "r.html", "html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert page.count("<tr class=") == n
    assert "検証レポート" in page


def test_csv_and_html_escape_what_they_must(sample):
    from app.core.engine import FileResult
    from app.core.findings import Finding, Text
    f = Finding("PD101", "residue-marker", Severity.ERROR, 3, Text('「A, "B"」<b>&', 'A, "B" <b>&'))
    report = Report([FileResult(sample.root / "x.md", "_posts/x.md", [f])], sample.root, "en")
    row = list(csv.reader(io.StringIO(render_report(report, "csv"), newline="")))[1]
    assert row == ["_posts/x.md", "3", "PD101", "residue-marker", "error", 'A, "B" <b>&']
    page = render_report(report, "html")
    assert "A, &quot;B&quot; &lt;b&gt;&amp;" in page and "<b>&" not in page
    assert "Validation report" not in page and "validation report" in page
    with pytest.raises(ValueError):
        render_report(report, "xml")


def test_export_dialog_writes_where_the_editor_chose(qtbot, sample, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog
    d = make(qtbot, sample)
    run(qtbot, d)
    target = tmp_path / "chosen.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV (*.csv)"))
    assert d.export_dialog("csv") == target and target.is_file()
    assert str(target) in d.status.text()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert d.export_dialog("html") is None


def test_the_windows_menu_command_runs_the_dialog(window, qtbot):
    window.actions_by_name["validate_site"].trigger()  # Tools → Validate Site…
    d = window.findChild(BatchValidationDialog)  # shown by the window; showing starts the run
    assert isinstance(d, BatchValidationDialog) and d.running and d.isVisible()
    with qtbot.waitSignal(d.completed, timeout=60000):
        pass
    assert len(d.model.results) == len(window.site.all_posts), d.status.text()
    row = next(r for r in d.visible_rows() if r.line > 1)
    d.view.doubleClicked.emit(d.proxy.index(d.visible_rows().index(row), 0))
    assert window.path == row.path
    d.close()


@pytest.mark.parametrize("close_first", [True, False], ids=["closed", "deleted-with-its-window"])
def test_closing_the_dialog_mid_run_is_safe(qtbot, sample, close_first):
    """The worker finishes the post it began after the dialog is gone: no callback may
    touch the deleted widgets."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from app.ui.workers import wait_all
    engine = GatedEngine(sample)
    d = BatchValidationDialog(sample, engine)
    with qtbot.waitSignal(d.progressed, timeout=20000):
        d.start()
    if close_first:
        d.close()
    d.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    engine.gate.set()
    assert wait_all()
    qtbot.wait(200)  # the queued results arrive, and are dropped
    assert engine.checked <= 3 < len(sample.all_posts)  # the run stopped with the dialog


class CountingEngine(Engine):
    """Counts the posts it really checks (a result from the cache is not one)."""

    def __init__(self, site):
        super().__init__(site)
        self.checked = []

    def check_path(self, path, *args, **kwargs):
        self.checked.append(Path(path).name)
        return super().check_path(path, *args, **kwargs)


def test_a_second_run_reuses_the_result_cache_and_rechecks_only_a_changed_post(qtbot, sample, expected):
    engine = CountingEngine(sample)
    first = run(qtbot, make(qtbot, sample, engine))
    assert len(engine.checked) == len(sample.all_posts)
    engine.checked.clear()
    again = run(qtbot, make(qtbot, sample, engine))
    assert engine.checked == []  # every post from the cache the first run filled
    assert [(r.rel, r.findings) for r in again] == [(r.rel, r.findings) for r in first] \
        == [(r.rel, r.findings) for r in expected]
    post = sample.all_posts[0].path
    post.write_text(post.read_text(encoding="utf-8") + "\n追記。\n", encoding="utf-8")
    run(qtbot, make(qtbot, sample, engine))
    # That post again, and the posts whose findings read it (links to it), not the site.
    assert post.name in engine.checked and len(engine.checked) < len(sample.all_posts)


def test_asking_again_reuses_the_dialog_and_checks_again(window, qtbot):
    first = window.validate_site()
    with qtbot.waitSignal(first.completed, timeout=60000):
        pass
    first.close()
    with qtbot.waitSignal(first.completed, timeout=60000):  # a new run in the same dialog
        again = window.validate_site()
    assert again is first and again.isVisible()
    assert len(window.findChildren(BatchValidationDialog)) == 1
    assert len(again.model.results) == len(window.site.all_posts)
    again.close()


def test_another_site_gets_its_own_dialog(window, qtbot, sample):
    first = window.validate_site()
    with qtbot.waitSignal(first.completed, timeout=60000):
        pass
    with qtbot.waitSignal(window.post_list.model.filled, timeout=60000):
        assert window.open_site(sample.root)
    from shiboken6 import isValid
    second = window.validate_site()
    qtbot.waitUntil(lambda: not isValid(first), timeout=10000)  # the old site's dialog is gone
    assert second.site is window.site and second.isVisible()
    with qtbot.waitSignal(second.completed, timeout=60000):
        pass
    assert {r.path.parent.parent for r in second.model.results} == {sample.root}
    second.close()
