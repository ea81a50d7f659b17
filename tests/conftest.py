"""Test setup shared by every suite. Qt's environment is set before any QApplication
can exist (QtWebEngine refuses to start as root without --no-sandbox)."""
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

import pytest

REPO = Path(__file__).resolve().parents[1]
CONTENT = REPO / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def make_site(tmp_path):
    """A minimal site in a temporary folder: `make_site({"_posts/x.md": "..."}, config="...")`."""
    def make(files: dict[str, str | bytes] | None = None, config: str | None = None) -> Path:
        root = tmp_path / "site"
        (root / "_posts").mkdir(parents=True, exist_ok=True)
        (root / "_drafts").mkdir(exist_ok=True)
        if config is not None:
            (root / ".editorial.yml").write_text(config, encoding="utf-8")
        for rel, data in (files or {}).items():
            p = root / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                p.write_bytes(data)
            else:
                p.write_text(data, encoding="utf-8")
        return root
    return make
