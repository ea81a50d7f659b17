"""Where PostDesk's own files are: from a source checkout, an installed package, or
a PyInstaller bundle.

The repository keeps `resources/` and `content/` (the sample site) at its top level.
An installed wheel carries them as package data inside the package (`app/resources`,
`app/content`: pyproject.toml maps them there) and a PyInstaller bundle unpacks them
under `sys._MEIPASS`. Each place is a *base* holding `resources/` and `content/`;
they are tried in that order, so an installed copy never reads a stray checkout.
"""
from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parents[1]  # app/
_PACKAGE_ROOT = _PACKAGE_DIR.parent  # the checkout, when running from source


def _bases() -> list[Path]:
    """Folders that may hold `resources/` and `content/`, most specific first."""
    bases = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        bases.append(Path(bundle))
    bases.append(_PACKAGE_DIR)
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
