"""The open post's check process is a PipeWorker like the preview's: one that dies
(killed, out of memory) is replaced, and the findings still come."""
from __future__ import annotations

import os
import signal

from app.ui.check_process import CheckProcess

from conftest import open_post, type_text


def test_a_killed_check_process_is_replaced_and_the_findings_still_come(window, qtbot):
    found = open_post(qtbot, window, "_posts/2026-04-01-1-damaged-marker-post.md")
    assert found
    checker = window.checker
    assert isinstance(checker, CheckProcess)
    before = checker.submit(os.getpid).result(timeout=20)
    assert before != os.getpid()  # checks run outside the window's process
    os.kill(before, signal.SIGKILL)
    qtbot.waitUntil(lambda: checker._channel.broken, timeout=10000)  # the reader saw its pipe end
    with qtbot.waitSignal(window.findingsUpdated, timeout=30000) as blocker:
        type_text(window.editor, "あ")
    assert blocker.args[0] and blocker.args[0] == window.check_sync()  # the new process's answer is the engine's
    assert checker.submit(os.getpid).result(timeout=20) not in (before, os.getpid())
