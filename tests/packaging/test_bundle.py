"""The PyInstaller bundle built by packaging/build.py: what it contains and leaves out,
and that the frozen `postdesk` checks, lists rules and opens the window as the
installed package does.

Builds once per session (about a minute here), or reuses dist/PostDesk/ when no source
is newer than it (`build.py --if-stale`). Needs PyInstaller: pip install -e ".[build]".
"""
from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path

import pytest

from .helpers import REPO, run, sample_site_check

sys.path.insert(0, str(REPO / "packaging"))
import bundle_config as cfg  # noqa: E402
import build  # noqa: E402

pytestmark = pytest.mark.slow

DIST = REPO / "dist"


@pytest.fixture(scope="module")
def bundle() -> Path:
    """dist/PostDesk/, built by build.py unless current."""
    # The README's test command installs the build extra; a missing PyInstaller is a
    # broken set-up, not a reason to let the bundle go untested.
    assert importlib.util.find_spec("PyInstaller") is not None, 'PyInstaller missing: pip install -e ".[build]"'
    done = run([sys.executable, REPO / "packaging" / "build.py", "--if-stale"], REPO, timeout=3600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "bundle: " in done.stdout and " MB " in done.stdout, "build.py prints the bundle's size"
    return build.bundle_dir(DIST)


@pytest.fixture(scope="module")
def exe(bundle) -> Path:
    return build.executable(DIST)


@pytest.fixture(scope="module")
def internal(bundle) -> Path:
    """The folder PyInstaller unpacks to (sys._MEIPASS)."""
    return bundle / "_internal"


def test_bundle_holds_resources_sample_site_and_web_engine(internal, exe):
    assert exe.is_file() and os.access(exe, os.X_OK)
    for rel in ("resources/preview.css", "resources/icons/postdesk.svg", "content/.editorial.yml",
                "content/_config.yml", "PySide6/Qt/libexec/QtWebEngineProcess",
                "PySide6/Qt/translations/qtwebengine_locales/ja.pak", "PySide6/Qt/translations/qtbase_ja.qm"):
        assert (internal / rel).exists(), rel
    posts = sorted(p.name for p in (REPO / "content" / "_posts").glob("*.md"))
    assert sorted(p.name for p in (internal / "content" / "_posts").glob("*.md")) == posts
    assert not (internal / "content" / ".jekyll-cache").exists()
    for qm in (REPO / "resources" / "i18n").glob("*.qm"):
        assert (internal / "resources" / "i18n" / qm.name).is_file()


def test_bundle_leaves_out_unused_qt(internal):
    pyside = internal / "PySide6"
    bindings = {p.name.split(".")[0] for p in pyside.glob("Qt*.so")} | {p.name.split(".")[0] for p in pyside.glob("Qt*.pyd")}
    assert bindings == set(cfg.QT_MODULES_USED)
    assert not (pyside / "Qt" / "qml").exists(), "the QML tree is not needed"
    libs = {p.name for p in internal.rglob("*Qt6*")}
    for unused in ("Qt63DCore", "Qt6Quick3D", "Qt6Charts", "Qt6Multimedia", "Qt6Pdf", "Qt6VirtualKeyboard"):
        assert not [n for n in libs if unused in n], unused
    locales = {p.name for p in internal.rglob("qtwebengine_locales/*.pak")}
    assert locales == {"ja.pak", "en-US.pak"}
    assert not [p for p in internal.rglob("qtbase_de.qm")]
    dangling = [p for p in internal.rglob("*") if p.is_symlink() and not p.exists()]
    assert not dangling, "a left-out library's symlink stayed behind"


@pytest.mark.parametrize("where", ["repository", "bundle"])
def test_bundled_check_reports_as_the_installed_package(exe, tmp_path, where):
    """Same exit code and JSON on the repository's sample site, and on the copy inside
    the bundle (the one the frozen app opens by default)."""
    site = REPO / "content" if where == "repository" else exe.parent / "_internal" / "content"
    installed = sample_site_check([sys.executable, "-m", "app"], site, REPO)
    assert installed[1]["files"], "the sample site has posts"
    assert sample_site_check([exe], site, tmp_path) == installed


def test_bundled_rules_and_version(exe, tmp_path):
    for args in (["rules", "--lang", "en"], ["rules", "PD101", "--lang", "ja"], ["--version"]):
        frozen = run([exe, *args], tmp_path)
        source = run([sys.executable, "-m", "app", *args], REPO)
        assert frozen.returncode == 0, frozen.stderr
        assert frozen.stdout == source.stdout and frozen.stdout.strip()


QUIT_AFTER_MS = 6000  # the window has opened the sample site and its first check is done


def test_bundled_window_starts_and_quits_cleanly(exe, tmp_path):
    """Offscreen, with a throw-away home; POSTDESK_QUIT_AFTER_MS closes the window once
    it is up. It must run that long (a crash at start would return at once), then exit 0
    with no Python traceback (PySide prints those from slots and threads without failing)."""
    home = tmp_path / "home"
    home.mkdir()
    started = time.monotonic()
    done = run([exe], tmp_path, timeout=180, QT_QPA_PLATFORM="offscreen", POSTDESK_QUIT_AFTER_MS=str(QUIT_AFTER_MS),
               HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local" / "share"))
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert elapsed >= QUIT_AFTER_MS / 1000, f"exited after {elapsed:.1f} s, before the quit timer"
