"""The models pass pytest-qt's qtmodeltester, filled and empty."""
from app.ui.findings_panel import FindingsModel
from app.ui.post_list import PostListModel

from conftest import DAMAGED, open_post


def test_post_list_model(window, qtmodeltester):
    qtmodeltester.check(window.post_list.model)
    qtmodeltester.check(window.post_list.proxy)
    window.post_list.search.setText("壊れた")
    qtmodeltester.check(window.post_list.proxy)


def test_empty_post_list_model(qtmodeltester):
    qtmodeltester.check(PostListModel())


def test_findings_model(window, qtbot, qtmodeltester):
    open_post(qtbot, window, DAMAGED)
    qtmodeltester.check(window.findings_panel.model)
    qtmodeltester.check(FindingsModel())
