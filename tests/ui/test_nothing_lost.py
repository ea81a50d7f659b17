"""Nothing lost: atomic save, autosave and recovery after a crash, closing with
unsaved changes, a file changed on disk behind the editor."""
from PySide6.QtWidgets import QApplication

from app.ui.recovery import read_entry, recovery_file

from conftest import CLEAN, cursor_at_line_end, open_post, settle, type_text


def append_line(window, text: str) -> None:
    cur = window.editor.textCursor()
    cur.movePosition(cur.MoveOperation.End)
    window.editor.setTextCursor(cur)
    type_text(window.editor, text)


def test_autosave_then_recover_after_a_crash(window, qtbot, prompts, site):
    from app.ui.main_window import MainWindow
    open_post(qtbot, window, CLEAN)
    path = site / CLEAN
    on_disk = path.read_bytes()
    append_line(window, "\nautosaved line\n")
    file = window._recovery.autosave()
    assert file == recovery_file(path) and "autosaved line" in read_entry(file)["text"]
    assert path.read_bytes() == on_disk  # the post itself is untouched
    # the "crash": the window goes away without saving or discarding
    window._recovery.stop()
    window.editor.document().setModified(False)

    again = MainWindow()
    again.prompt = prompts
    qtbot.addWidget(again)
    assert again.open_site(site)  # opens the post with the autosave by itself
    assert again.path == path.resolve()
    assert ("recover", path.name) in prompts.asked
    assert again.editor.toPlainText().endswith("autosaved line\n")
    assert again.is_modified()
    again.editor.undo()  # restoring is one undoable edit
    assert "autosaved line" not in again.editor.toPlainText()
    again.editor.redo()
    assert again.save()
    assert not recovery_file(path).exists()
    assert path.read_bytes().endswith(b"autosaved line\n")
    again.close()
    settle()


def test_declined_recovery_is_deleted(window, qtbot, prompts, site):
    open_post(qtbot, window, CLEAN)
    append_line(window, "\nx\n")
    window._recovery.autosave()
    window.editor.document().setModified(False)
    prompts.recover = False
    window.close_post()
    open_post(qtbot, window, CLEAN)
    assert "x\n" not in window.editor.toPlainText()[-3:]
    assert not recovery_file(site / CLEAN).exists()


def test_close_with_unsaved_changes_asks(window, qtbot, prompts, site):
    open_post(qtbot, window, CLEAN)
    append_line(window, "\nunsaved\n")
    prompts.unsaved = "cancel"
    assert not window.close()
    assert window.isVisible() and prompts.kinds()[-1] == "unsaved"
    prompts.unsaved = "save"
    assert window.close()
    assert (site / CLEAN).read_bytes().endswith(b"unsaved\n")


def test_external_change_without_local_edits_reloads(window, qtbot, site):
    open_post(qtbot, window, CLEAN)
    path = site / CLEAN
    path.write_bytes(path.read_bytes() + b"\nadded elsewhere\n")
    qtbot.waitUntil(lambda: "added elsewhere" in window.editor.toPlainText(), timeout=10000)
    assert not window.is_modified()
    # and the watch survives an atomic replace (our own save replaces the file)
    append_line(window, "mine\n")
    assert window.save()
    path.write_bytes(path.read_bytes() + b"second change\n")
    qtbot.waitUntil(lambda: "second change" in window.editor.toPlainText(), timeout=10000)


def test_external_change_with_local_edits_take_theirs(window, qtbot, prompts, site):
    open_post(qtbot, window, CLEAN)
    append_line(window, "\nmy edit\n")
    prompts.external = "theirs"
    path = site / CLEAN
    path.write_bytes(path.read_bytes() + b"\ntheir edit\n")
    qtbot.waitUntil(lambda: "external" in prompts.kinds(), timeout=10000)
    text = window.editor.toPlainText()
    assert "their edit" in text and "my edit" not in text and not window.is_modified()


def test_external_change_with_local_edits_keep_mine(window, qtbot, prompts, site):
    open_post(qtbot, window, CLEAN)
    append_line(window, "\nmy edit\n")
    prompts.external = "mine"
    path = site / CLEAN
    theirs = path.read_bytes() + b"\ntheir edit\n"
    path.write_bytes(theirs)
    qtbot.waitUntil(lambda: "external" in prompts.kinds(), timeout=10000)
    assert "my edit" in window.editor.toPlainText() and window.is_modified()
    assert path.read_bytes() == theirs  # nothing written until saved
    QApplication.processEvents()
    assert window.save()
    assert b"my edit" in path.read_bytes()


def test_save_is_atomic_and_keeps_crlf_and_bom(window, qtbot, site):
    path = site / CLEAN
    raw = path.read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n"))
    open_post(qtbot, window, CLEAN)
    cursor_at_line_end(window.editor, 3, back=1)
    type_text(window.editor, "!")
    assert window.save()
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and after.count(b"\r\n") == raw.count(b"\n")
    assert after.replace("！".encode(), b"").replace(b'!"', b'"') == b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n")
    assert not list(path.parent.glob("*.tmp")) and not list(path.parent.glob(".*"))


def test_external_change_real_dialog_compare_then_take_theirs(window, qtbot, site):
    """The real question: Compare… shows the difference, then Take theirs."""
    from PySide6.QtWidgets import QMessageBox
    from app.ui.prompts import Prompts
    from conftest import DialogAnswerer
    window.prompt = Prompts(window)
    open_post(qtbot, window, CLEAN)
    append_line(window, "\nmy edit\n")
    path = site / CLEAN
    with DialogAnswerer(QMessageBox.ButtonRole.ActionRole, QMessageBox.ButtonRole.AcceptRole) as answers:
        path.write_bytes(path.read_bytes() + b"\ntheir edit\n")
        qtbot.waitUntil(lambda: "their edit" in window.editor.toPlainText(), timeout=10000)
    assert len(answers.seen) == 3  # the question, the comparison, the question again
    comparison = answers.seen[1][1]
    assert "+my edit" in comparison and "-their edit" in comparison
    assert "my edit" not in window.editor.toPlainText() and not window.is_modified()
