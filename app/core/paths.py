"""Where PostDesk's own files are: from a source checkout, an installed package, or
a PyInstaller bundle.

The repository keeps `resources/` and `content/` (the sample site) at its top level.
An installed wheel carries them as package data inside the package (`app/resources`,
`app/content`: pyproject.toml maps them there) and a PyInstaller bundle unpacks them
under `sys._MEIPASS`. Each place is a *base* holding `resources/` and `content/`;
they are tried in that order, so an installed copy never reads a stray checkout.
"""
from __future__ import annotations

import shutil
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


# What a copy of the sample site leaves behind: the result cache and Jekyll's output
# are made again in the copy, and are large.
_NOT_COPIED = shutil.ignore_patterns(".postdesk-cache", "_site", ".jekyll-cache", "__pycache__")


def working_sample_site(data_dir: Path) -> Path | None:
    """The sample site an editor works on: a copy of the shipped one in `data_dir`
    (the window passes its per-user data folder), made on first use and kept after.

    The shipped copy is never opened itself: inside a macOS app it is read-only,
    an upgrade on Windows replaces it (with the editor's changes), and in a source
    checkout it is the test suite's fixture. A copy that exists is returned as it
    is, so what the editor changed in it survives restarts and upgrades. A copy
    left half-made (PostDesk stopped while copying) is made again: the copy is
    built beside its place and renamed into it, which is atomic on one volume.
    None when nothing is shipped; an OSError when the copy cannot be made.
    """
    shipped = sample_site()
    if shipped is None:
        return None
    target = Path(data_dir) / "sample-site"
    if (target / "_posts").is_dir():
        return target
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(shipped, partial, ignore=_NOT_COPIED)
    shutil.rmtree(target, ignore_errors=True)  # a folder without _posts/ is no copy of ours
    partial.rename(target)
    return target
