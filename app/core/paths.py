"""Where PostDesk's own files are: from a source checkout, an installed package, or
a PyInstaller bundle (which unpacks them under `sys._MEIPASS`)."""
from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def _bases() -> list[Path]:
    bases = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        bases.append(Path(bundle))
    bases.append(_PACKAGE_ROOT)
    return bases


def resource(*parts: str) -> Path:
    """A file under `resources/`. Raises FileNotFoundError naming what is missing."""
    for base in _bases():
        p = base.joinpath("resources", *parts)
        if p.exists():
            return p
    raise FileNotFoundError(f"PostDesk resource not found: resources/{'/'.join(parts)}")


def sample_site() -> Path | None:
    """The sample site shipped with PostDesk (`content/`), if present."""
    for base in _bases():
        p = base / "content"
        if (p / "_posts").is_dir():
            return p
    return None
