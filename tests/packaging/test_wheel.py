"""The wheel is complete: every package under app/, resources/ and the sample site
content/ as package data, found by app/core/paths.py once installed (not editable)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from .helpers import REPO, run, sample_site_check

pytestmark = pytest.mark.slow


def source_files(src: Path, top: str) -> set[str]:
    """Files under a top-level folder, relative to it, hidden folders skipped (as in the wheel)."""
    base = src / top
    out = set()
    for p in base.rglob("*"):
        rel = p.relative_to(base)
        if p.is_file() and not any(part.startswith(".") or part in ("__pycache__", "_site") for part in rel.parts[:-1]):
            out.add(rel.as_posix())
    return out


def test_every_package_under_app_is_listed_in_pyproject():
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "app").rglob("__init__.py")}
    assert found - listed == set(), "add these packages to [tool.setuptools] packages in pyproject.toml"


@pytest.fixture(scope="module")
def src(tmp_path_factory) -> Path:
    """A snapshot of the sources: the wheel is built from it (a build in the checkout
    would leave build/ and *.egg-info behind) and compared with it (the sample site
    changes while other people work)."""
    src = tmp_path_factory.mktemp("src")
    for name in ("app", "resources", "content"):
        shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    return src


@pytest.fixture(scope="module")
def wheel(src, tmp_path_factory) -> Path:
    """The wheel built from the snapshot."""
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(src)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    (whl,) = out.glob("postdesk-*.whl")
    return whl


def test_wheel_carries_code_resources_and_sample_site(src, wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    code = {f"app/{f}" for f in source_files(src, "app") if not f.endswith(".pyc")}
    assert code - names == set(), "code, or a data file beside it whose kind pyproject.toml's package-data lacks"
    assert {f"app/resources/{f}" for f in source_files(src, "resources")} - names == set()
    assert {f"app/content/{f}" for f in source_files(src, "content")} - names == set()
    assert "app/content/.editorial.yml" in names
    assert not [n for n in names if "/.jekyll-cache/" in n], "Jekyll's cache is not sample content"
    assert not [n for n in names if re.match(r"(resources|content)/", n)], "nothing at the top of site-packages"


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The wheel installed as pip would (a pure wheel: unpacked into site-packages)."""
    site = tmp_path_factory.mktemp("site-packages")
    zipfile.ZipFile(wheel).extractall(site)
    return site


def test_installed_package_finds_its_resources_and_sample_site(installed, tmp_path):
    probe = ("import app, app.core.paths as p; print(app.__file__); "
             "print(p.resource('preview.css')); print(p.resource('icons', 'postdesk.svg')); print(p.sample_site())")
    done = run([sys.executable, "-P", "-c", probe], tmp_path, PYTHONPATH=str(installed))
    assert done.returncode == 0, done.stderr
    for line in done.stdout.splitlines():
        assert Path(line).is_relative_to(installed), f"{line} is not in the installed package"


def test_installed_package_checks_its_sample_site_as_the_checkout_does(src, installed, tmp_path):
    ours = sample_site_check([sys.executable, "-m", "app"], src / "content", REPO)
    theirs = sample_site_check([sys.executable, "-P", "-m", "app"], installed / "app" / "content", tmp_path,
                               PYTHONPATH=str(installed))
    assert theirs == ours
