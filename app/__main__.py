"""`python -m app`, and the entry point of the frozen PostDesk executable (PyInstaller
runs this file as a top-level script, hence the absolute import).

POSTDESK_QUIT_AFTER_MS=<n> closes the window n milliseconds after the application
object exists: a smoke test of a bundle can only start the executable and wait, it
cannot reach into the frozen process to quit it. Without the variable nothing changes.
"""
import os
import sys
import threading
import time

from app.cli import main


def _quit_after(ms: int) -> None:
    """Ask the application to quit `ms` after it exists, from a watcher thread: a
    queued call of its quit() slot runs in the GUI thread once the event loop turns
    (a posted QEvent would not do: PySide deletes it with its Python wrapper, which
    takes it off the queue). Needs nothing from app/ui."""
    def watch() -> None:
        while True:
            qtcore = sys.modules.get("PySide6.QtCore")
            app = qtcore.QCoreApplication.instance() if qtcore else None
            if app is not None:
                time.sleep(ms / 1000)
                qtcore.QMetaObject.invokeMethod(app, "quit", qtcore.Qt.ConnectionType.QueuedConnection)
                return
            time.sleep(0.05)

    threading.Thread(target=watch, name="postdesk-quit-after", daemon=True).start()


def _console_for_windowed_exe() -> None:
    """Windows' windowed postdesk.exe has no stdout. Typed in a terminal, `postdesk`
    finds the console twin postdesk.com first; should postdesk.exe itself be given a
    subcommand, write to the terminal it was started from (or nowhere) rather than fail."""
    if sys.platform != "win32" or sys.stdout is not None or len(sys.argv) < 2:
        return
    import ctypes
    attached = ctypes.windll.kernel32.AttachConsole(-1)  # ATTACH_PARENT_PROCESS
    target = "CONOUT$" if attached else os.devnull
    sys.stdout = open(target, "w", encoding="utf-8", errors="replace")
    sys.stderr = open(target, "w", encoding="utf-8", errors="replace")


def run() -> int:
    """The command line or the window, as `postdesk` does."""
    _console_for_windowed_exe()
    quit_after = os.environ.get("POSTDESK_QUIT_AFTER_MS", "")
    if quit_after.isdigit():
        _quit_after(int(quit_after))
    return main()


if __name__ == "__main__":
    # A frozen executable on Windows and macOS starts the check's worker processes by
    # running itself again (spawn); freeze_support() makes those runs workers instead
    # of new PostDesk sessions. Elsewhere it does nothing.
    import multiprocessing
    multiprocessing.freeze_support()
    sys.exit(run())
