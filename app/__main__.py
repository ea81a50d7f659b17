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


def run() -> int:
    """The command line or the window, as `postdesk` does."""
    quit_after = os.environ.get("POSTDESK_QUIT_AFTER_MS", "")
    if quit_after.isdigit():
        _quit_after(int(quit_after))
    return main()


if __name__ == "__main__":
    sys.exit(run())
