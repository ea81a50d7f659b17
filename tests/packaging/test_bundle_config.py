"""What the bundle keeps, on the path forms of all three platforms (only Linux builds
here, so Windows and macOS paths are checked against the filter directly)."""
from __future__ import annotations

import sys

import pytest

from .helpers import REPO

sys.path.insert(0, str(REPO / "packaging"))
import bundle_config as cfg  # noqa: E402


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/lib/libQt6WebEngineCore.so.6", "PySide6/Qt/lib/libQt6Quick.so.6",  # WebEngine links them
    "PySide6/Qt/lib/libQt6PrintSupport.so.6", "PySide6/Qt6WebEngineCore.dll",
    "PySide6/Qt/lib/QtWebEngineCore.framework/Versions/A/QtWebEngineCore",
    "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/plugins/platforms/qwindows.dll", "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
    "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",  # Japanese input
    "PySide6/Qt/plugins/imageformats/libqsvg.so", "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/translations/qtbase_ja.qm", "PySide6/Qt/translations/qt_help_en.qm",
    "PySide6\\translations\\qtbase_ja.qm",
    "PySide6/Qt/translations/qtwebengine_locales/ja.pak", "PySide6/Qt/translations/qtwebengine_locales/en-US.pak",
    "PySide6/Qt/lib/QtWebEngineCore.framework/Resources/qtwebengine_locales/ja.pak",
    "resources/i18n/postdesk_ja.qm", "content/_posts/2026-01-14-1-genai-usage-rules-boundaries.md",
])
def test_keeps(dest):
    assert cfg.keep(dest)


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/lib/libQt6Pdf.so.6", "libQt6Pdf.so.6", "PySide6/Qt6Pdf.dll",
    "PySide6/Qt/lib/QtPdf.framework/Versions/A/QtPdf", "PySide6/Qt/lib/libQt6VirtualKeyboardQml.so.6",
    "PySide6/Qt/lib/libQt6WaylandClient.so.6",
    "PySide6/Qt/plugins/platforms/libqwayland.so", "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
    "PySide6\\plugins\\imageformats\\qpdf.dll", "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
    "PySide6/Qt/translations/qtbase_de.qm", "PySide6/Qt/translations/qt_help_pt_BR.qm",
    "PySide6/Qt/translations/qtwebengine_locales/en-GB.pak", "PySide6/translations/qtwebengine_locales/zh-CN.pak",
])
def test_leaves_out(dest):
    assert not cfg.keep(dest)


def test_excludes_every_unused_pyside6_module(tmp_path):
    for name in ("QtCore.abi3.so", "QtQml.abi3.so", "Qt3DCore.pyd", "QtWebEngineWidgets.pyd", "QtCharts.cpython-311-darwin.so"):
        (tmp_path / name).touch()
    (tmp_path / "__init__.py").touch()
    excluded = cfg.excluded_modules(tmp_path)
    assert {"PySide6.QtQml", "PySide6.Qt3DCore", "PySide6.QtCharts"} <= set(excluded)
    assert not {"PySide6.QtCore", "PySide6.QtWebEngineWidgets"} & set(excluded)


def test_version_numbers_for_windows():
    assert cfg.version_tuple()[:3] == tuple(int(n) for n in cfg.version().split(".")[:3])
    assert len(cfg.version_tuple()) == 4
