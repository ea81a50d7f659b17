"""The post list's background passes (issue 6): rows read in worker processes equal
rows read here, counts come from the site's result cache on a second open, and a
window closed mid-pass stops it."""
from app.core.engine import Engine
from app.ui import post_list
from app.ui.post_list import read_row
from app.ui.workers import wait_all

from conftest import settle


def _window(qtbot, prompts):
    from app.ui.main_window import MainWindow
    w = MainWindow()
    w.prompt = prompts
    qtbot.addWidget(w)
    w.show()
    return w


def test_rows_from_worker_processes_equal_rows_read_here(qtbot, prompts, site, monkeypatch):
    monkeypatch.setattr(post_list, "PARALLEL_ROWS", 1)  # the fixture site is small: force the processes
    w = _window(qtbot, prompts)
    with qtbot.waitSignal(w.post_list.model.filled, timeout=60000):
        assert w.open_site(site)
    rows = w.post_list.model.rows
    assert rows
    for row in rows:
        plain = read_row(row.info)
        plain.errors, plain.warnings = row.errors, row.warnings
        assert row == plain
    w.close()
    settle()


def test_counts_come_from_the_cache_on_reopen(qtbot, prompts, site, monkeypatch):
    first = _window(qtbot, prompts)
    with qtbot.waitSignal(first.post_list.model.filled, timeout=60000):
        assert first.open_site(site)
    counted = [(r.info.path, r.errors, r.warnings) for r in first.post_list.model.rows]
    assert all(e is not None for _p, e, _w in counted)
    first.close()
    settle()

    checked = []
    plain = Engine.check_path
    monkeypatch.setattr(Engine, "check_path", lambda self, *a, **k: checked.append(a) or plain(self, *a, **k))
    again = _window(qtbot, prompts)
    with qtbot.waitSignal(again.post_list.model.filled, timeout=60000):
        assert again.open_site(site)
    assert [(r.info.path, r.errors, r.warnings) for r in again.post_list.model.rows] == counted
    assert checked == []  # every count from the cache: no post checked again
    again.close()
    settle()


def test_closing_mid_pass_stops_it(qtbot, prompts, site):
    w = _window(qtbot, prompts)
    filled = []
    w.post_list.model.filled.connect(lambda: filled.append(True))
    assert w.open_site(site)
    assert w.close()  # at once, while the passes run
    assert wait_all(60000)  # every background job ended
    settle()
    assert filled == []
