"""Build PostDesk for the platform this runs on: the single entry point for people,
the bundle test and the release workflow.

    python packaging/build.py              dist/PostDesk/ (and dist/PostDesk.app on macOS)
    python packaging/build.py --installer  ... then dist/PostDesk-Setup-<version>.exe
                                           (Windows, Inno Setup), dist/PostDesk-<version>.dmg
                                           (macOS) or a .tar.gz (Linux)
    python packaging/build.py --full       the same bundle without PostDesk's exclusions,
                                           in dist/full/, to measure what they save
    python packaging/build.py --if-stale   rebuild only if a source is newer than the bundle

Needs PyInstaller (`pip install -e ".[build]"`); prints the bundle's size.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle_config as cfg  # noqa: E402

ROOT = cfg.ROOT
SPEC = ROOT / "packaging" / "postdesk.spec"
# What a bundle is made from: when none is newer than the bundle, it is current.
SOURCES = ("app", "resources", "content", "packaging", "pyproject.toml")


def bundle_dir(dist: Path) -> Path:
    """The one-folder bundle PyInstaller's COLLECT writes."""
    return dist / cfg.APP_NAME


def executable(dist: Path) -> Path:
    """The bundled executable that runs the command line (the console twin on Windows)."""
    folder = bundle_dir(dist)
    return folder / (cfg.EXE_NAME + ".com" if sys.platform == "win32" else cfg.EXE_NAME)


def newest_source() -> float:
    """The latest modification time among the bundle's inputs (hidden folders, caches
    and build outputs ignored)."""
    newest = 0.0
    for name in SOURCES:
        top = ROOT / name
        paths = [top] if top.is_file() else top.rglob("*")
        for p in paths:
            rel = p.relative_to(ROOT).parts
            if any(part.startswith(".") or part in ("__pycache__", "_site") for part in rel[:-1]):
                continue
            if p.is_file():
                newest = max(newest, p.stat().st_mtime)
    return newest


def is_current(dist: Path) -> bool:
    """True when the bundle exists and no source file is newer than its executable."""
    exe = executable(dist)
    return exe.is_file() and exe.stat().st_mtime >= newest_source()


def tree_size(path: Path) -> tuple[int, int]:
    """(bytes, files) of everything under `path`, symlinks not followed."""
    total = files = 0
    for dirpath, _dirs, names in os.walk(path):
        for n in names:
            p = Path(dirpath) / n
            if not p.is_symlink():
                total += p.stat().st_size
                files += 1
    return total, files


def run_pyinstaller(dist: Path, work: Path, full: bool, clean: bool) -> None:
    """PyInstaller on postdesk.spec; `full` turns PostDesk's exclusions off."""
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    if clean:
        cmd.insert(3, "--clean")
    env = dict(os.environ, POSTDESK_BUNDLE_FULL="1" if full else "")
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT, env=env)
    if sys.platform == "win32":
        # The console twin: `postdesk check` in a terminal finds postdesk.com first.
        twin = bundle_dir(dist) / (cfg.EXE_NAME + "-console.exe")
        twin.replace(bundle_dir(dist) / (cfg.EXE_NAME + ".com"))


def make_installer(dist: Path) -> Path:
    """The platform's installer from the bundle, next to it in `dist`."""
    version = cfg.version()
    if sys.platform == "win32":
        iscc = shutil.which("iscc") or r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe"
        numeric = ".".join(str(n) for n in cfg.version_tuple())
        subprocess.run([iscc, f"/DAppVersion={version}", f"/DAppVersionNumeric={numeric}",
                        f"/DSourceDir={bundle_dir(dist)}",
                        f"/DOutputDir={dist}", f"/DIconFile={ROOT / 'resources' / 'icons' / 'postdesk.ico'}",
                        str(ROOT / "packaging" / "windows" / "postdesk.iss")], check=True)
        return dist / f"PostDesk-Setup-{version}.exe"
    if sys.platform == "darwin":
        out = dist / f"PostDesk-{version}.dmg"
        subprocess.run(["bash", str(ROOT / "packaging" / "macos" / "make_dmg.sh"),
                        str(dist / f"{cfg.APP_NAME}.app"), str(out)], check=True)
        return out
    out = dist / f"PostDesk-{version}-linux-{os.uname().machine}.tar.gz"
    with tarfile.open(out, "w:gz") as tar:
        tar.add(bundle_dir(dist), arcname=cfg.APP_NAME)
    return out


def report(dist: Path, seconds: float) -> None:
    """Print where the bundle is and how big it is."""
    target = dist / f"{cfg.APP_NAME}.app" if sys.platform == "darwin" else bundle_dir(dist)
    size, files = tree_size(target)
    print(f"bundle: {target} {size / 1e6:.0f} MB ({size / 2**20:.0f} MiB), {files} files, built in {seconds:.0f} s")
    print(f"command line: {executable(dist)}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--installer", action="store_true", help="also make the platform's installer")
    p.add_argument("--full", action="store_true", help="no exclusions (to measure them), into dist/full/")
    p.add_argument("--if-stale", action="store_true", help="skip the build when the bundle is current")
    p.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    p.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    args = p.parse_args(argv)
    dist = args.dist.resolve() / ("full" if args.full else "")
    work = ROOT / "build" / ("pyinstaller-full" if args.full else "pyinstaller")
    started = time.perf_counter()
    if args.if_stale and is_current(dist):
        print(f"bundle is current: {bundle_dir(dist)}")
    else:
        run_pyinstaller(dist, work, args.full, args.clean)
    report(dist, time.perf_counter() - started)
    if args.installer:
        print(f"installer: {make_installer(dist)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
