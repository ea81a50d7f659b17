"""What goes into the PyInstaller bundle: the Qt modules PostDesk uses, PostDesk's own
data files, and the filter that drops unused Qt plugins (and the libraries only they
link), Qt translations and Chromium locales.

Plain Python (no PyInstaller import) so that postdesk.spec, build.py and the tests
share one definition.
"""
from __future__ import annotations

import fnmatch
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_NAME = "PostDesk"
EXE_NAME = "postdesk"
BUNDLE_ID = "jp.postdesk.PostDesk"

# The PySide6 modules PostDesk imports (app/ui) and those they import in turn:
# QtWebEngineCore's binding needs QtNetwork and QtWebChannel, QtWebEngineWidgets
# needs QtPrintSupport. Every other PySide6 module is excluded, which also keeps
# PyInstaller's QtQml hook from collecting the whole qml/ tree (Quick3D, Charts,
# Multimedia...). WebEngine still links the Qml, Quick, QuickWidgets, Positioning,
# OpenGL and DBus *libraries*; PyInstaller's dependency analysis keeps those .so/.dll
# files because they are linked, without their Python bindings.
QT_MODULES_USED = (
    "QtCore", "QtGui", "QtWidgets", "QtNetwork", "QtPrintSupport",
    "QtWebChannel", "QtWebEngineCore", "QtWebEngineWidgets",
)

# Interface languages PostDesk offers: Qt's own translations and Chromium's locale
# packs for any other language are left out.
LANGUAGES = ("ja", "en")
CHROMIUM_LOCALES = ("ja", "en-US")

# Qt plugins of no use to a desktop editor: embedded and Wayland platforms (a Wayland
# desktop runs PostDesk through XWayland), the PDF image format, the on-screen
# keyboard. Globs on the path under plugins/. The Japanese input method plugins
# (platforminputcontexts: ibus, compose) stay.
UNUSED_PLUGINS = (
    "egldeviceintegrations/*", "wayland-*/*", "qmltooling/*", "position/*",
    "platforms/*eglfs*", "platforms/*linuxfb*", "platforms/*minimalegl*", "platforms/*vnc*",
    "platforms/*wayland*", "platforms/*vkkhrdisplay*",
    "imageformats/*pdf*", "platforminputcontexts/*virtualkeyboard*",
)
# Qt libraries that only those plugins link (kept by nothing else once they are gone).
UNUSED_LIBRARIES = ("Pdf", "VirtualKeyboard", "VirtualKeyboardQml", "WaylandClient", "WlShellIntegration",
                    "EglFSDeviceIntegration", "EglFsKmsSupport")
_UNUSED_LIBRARY = re.compile(r"(?:^|/)(?:lib)?Qt6?(?:%s)(?:\.so|\.dll|\.dylib|\.framework)" % "|".join(UNUSED_LIBRARIES))

# Python standard-library packages nothing in PostDesk uses.
STDLIB_EXCLUDES = ("tkinter", "unittest", "pydoc_data", "lib2to3", "idlelib", "ensurepip", "test")


def pyside6_modules(pyside_dir: Path) -> list[str]:
    """Every PySide6 extension module installed (QtCore, Qt3DCore, ...), by file name,
    so the exclusion list follows whatever the installed PySide6 provides."""
    names = set()
    for f in pyside_dir.iterdir():
        m = re.match(r"^(Qt\w+)\.(?:abi3\.so|.*\.so|pyd|.*\.pyd)$", f.name)
        if m:
            names.add(m.group(1))
    return sorted(names)


def excluded_modules(pyside_dir: Path) -> list[str]:
    """Module names for PyInstaller's `excludes`: unused PySide6 modules and stdlib."""
    unused = [f"PySide6.{m}" for m in pyside6_modules(pyside_dir) if m not in QT_MODULES_USED]
    return unused + list(STDLIB_EXCLUDES)


def keep(dest: str) -> bool:
    """False for a collected file (binary or data) PostDesk does not need: unused Qt
    plugins and the libraries only they link, Qt translations (`qtbase_de.qm`) of
    other languages and Chromium locale packs (`de.pak`) other than ja and en-US.
    `dest` is the file's path inside the bundle."""
    path = dest.replace("\\", "/")
    name = path.rsplit("/", 1)[-1]
    if "PySide6/" in path and "/plugins/" in path:
        under = path.split("/plugins/", 1)[1]
        if any(fnmatch.fnmatch(under, pattern) for pattern in UNUSED_PLUGINS):
            return False
    if _UNUSED_LIBRARY.search(path):  # also PyInstaller's top-level symlinks to Qt libraries
        return False
    if "qtwebengine_locales/" in path and name.endswith((".pak", ".pak.info")):
        return name.split(".pak")[0] in CHROMIUM_LOCALES
    if "/translations/" in f"/{path}" and name.endswith(".qm") and "PySide6" in path:
        lang = re.sub(r"^.*?_([a-z]{2})(?:_[A-Za-z]+)?\.qm$", r"\1", name)
        return lang in LANGUAGES
    return True


def _files(base: Path, skip_dirs: tuple[str, ...] = ()) -> list[Path]:
    """Files under `base`, skipping hidden folders (.jekyll-cache), `__pycache__`
    and `skip_dirs`; hidden files such as .editorial.yml are kept."""
    out = []
    for p in sorted(base.rglob("*")):
        folders = p.relative_to(base).parts[:-1]
        if any(f.startswith(".") or f == "__pycache__" or f in skip_dirs for f in folders):
            continue
        if p.is_file():
            out.append(p)
    return out


def app_datas() -> list[tuple[str, str]]:
    """PostDesk's data files as PyInstaller (source, destination folder) pairs:
    resources/ and the sample site content/ at the top of the bundle (where
    app/core/paths.py looks under sys._MEIPASS), and non-Python files inside the app
    package (the GUI's stylesheet) at their package path."""
    pairs = []
    for top in ("resources", "content"):
        for f in _files(ROOT / top, skip_dirs=("_site",)):
            pairs.append((str(f), str(f.parent.relative_to(ROOT))))
    for f in _files(ROOT / "app"):
        if f.suffix not in (".py", ".pyc"):
            pairs.append((str(f), str(f.parent.relative_to(ROOT))))
    return pairs


def version() -> str:
    """app.__version__, read without importing the package."""
    text = (ROOT / "app" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.M).group(1)


def version_tuple() -> tuple[int, int, int, int]:
    """The version as the four numbers Windows version resources want (0.1.0 -> 0,1,0,0)."""
    nums = [int(n) for n in re.findall(r"\d+", version())[:4]]
    return tuple(nums + [0] * (4 - len(nums)))  # type: ignore[return-value]
