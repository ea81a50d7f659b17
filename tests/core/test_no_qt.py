"""The core and the command line import and run with Qt unavailable."""
import subprocess
import sys
import textwrap

from conftest import REPO

BLOCK_QT = textwrap.dedent("""
    import importlib.abc, sys
    class NoQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"):
                raise ImportError(f"Qt is blocked in this test: {name}")
            return None
    sys.meta_path.insert(0, NoQt())
""")


def run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", BLOCK_QT + textwrap.dedent(code)], cwd=REPO,
                          capture_output=True, text=True)


def test_every_core_module_imports_without_qt():
    out = run("""
        import pkgutil, importlib, app.core
        names = [m.name for m in pkgutil.walk_packages(app.core.__path__, "app.core.")]
        for n in names:
            importlib.import_module(n)
        import app.cli
        assert not [m for m in sys.modules if m.startswith("PySide6")]
        print(len(names))
    """)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) >= 10


def test_the_block_really_blocks_qt():
    """Positive control: with the blocker, importing PySide6 fails."""
    out = run("import PySide6.QtCore")
    assert out.returncode != 0 and "Qt is blocked" in out.stderr


def test_window_without_gui_extra_says_how_to_add_it():
    out = run("""
        from app.cli import main
        sys.exit(main([]))
    """)
    assert out.returncode == 2 and 'postdesk[gui]' in out.stderr
