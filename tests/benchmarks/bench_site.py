"""Speed at site scale (issue 6): batch check cold and warm against markdownlint-cli2,
re-check after one change, growth from 1,000 to 5,000 posts, peak memory, and the
post list's load time in the window.

Run on demand (not a test):

    npm install --prefix /tmp/mdl markdownlint-cli2      # once; or put it on PATH
    python tests/benchmarks/bench_site.py                  # 1,000 and 5,000 posts
    python tests/benchmarks/bench_site.py --posts 1000 --runs 3 --no-growth

markdownlint-cli2 is found through `$MARKDOWNLINT_CLI2`, then PATH, then
`/tmp/mdl/node_modules/.bin/`. Sites are generated (sitegen.py, seed 1) under
`--work` (default: the system temp folder) and reused while the generator is
unchanged. Every figure is a whole process (`python -m app check SITE`), timed as a
user would see it; cold and markdownlint-cli2 alternate run by run, so that the
ratio holds while a shared machine's speed drifts. Medians are printed; the
cold ratio is the median of the run-by-run ratios, each printed.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import sitegen  # noqa: E402

# Runs a command and prints its wall time and the largest resident set of the command
# and its descendants (RUSAGE_CHILDREN: the largest single process, in KB on Linux).
_MEASURE = r"""
import resource, subprocess, sys, time
t = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - t
print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def find_markdownlint() -> str | None:
    for candidate in (os.environ.get("MARKDOWNLINT_CLI2"), shutil.which("markdownlint-cli2"),
                      "/tmp/mdl/node_modules/.bin/markdownlint-cli2"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def site_for(work: Path, posts: int) -> Path:
    """A generated site, made again only when the generator changed."""
    stamp = hashlib.sha1(Path(sitegen.__file__).read_bytes()).hexdigest()[:12]
    root = work / f"postdesk-bench-{posts}-{stamp}"
    if not (root / ".complete").exists():
        sitegen.make_site(root, posts=posts, seed=1)
        (root / ".complete").write_text("", encoding="utf-8")
    return root


def measure(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """(wall seconds, peak KB of the largest process) of one run."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], cwd=cwd, capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), int(out[1])


def postdesk(root: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "app", "check", str(root), "--format", "json", "--output", os.devnull, *extra]


def markdownlint(mdl: str) -> list[str]:
    return [mdl, "_posts/*.md", "_drafts/*.md"]


def compile_package() -> None:
    """Byte-compile app/ as `pip install` does (and as Python does on first import
    where PYTHONDONTWRITEBYTECODE is unset): otherwise every timed run compiles the
    package's source again, ~0.15 s of a cold run's start and more of a warm one,
    which no installed PostDesk pays. (__pycache__ is ignored by git.)"""
    import compileall
    compileall.compile_dir(REPO / "app", quiet=1)


def clear_cache(root: Path) -> None:
    shutil.rmtree(root / ".postdesk-cache", ignore_errors=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


def bench_size(root: Path, mdl: str | None, runs: int) -> dict:
    """Every batch figure for one site."""
    posts = len(list((root / "_posts").glob("*.md")))
    cold, mdl_t, cold_mem = [], [], []
    for _ in range(runs):
        w, kb = measure(postdesk(root, "--no-cache"), root)
        cold.append(w)
        cold_mem.append(kb)
        if mdl:
            mdl_t.append(measure(markdownlint(mdl), root)[0])
    clear_cache(root)
    fill, _ = measure(postdesk(root), root)  # cold, writing the cache
    warm = [measure(postdesk(root), root)[0] for _ in range(runs)]
    one = []
    post = sorted((root / "_posts").glob("*.md"))[posts // 2]
    original = post.read_bytes()
    try:
        for n in range(runs):
            post.write_bytes(original + f"\n追記 {n}。\n".encode())
            one.append(measure(postdesk(root), root)[0])
    finally:
        post.write_bytes(original)
    # The ratio of each run to the markdownlint-cli2 run right after it, not of the
    # two medians: a shared machine's speed drifts between runs more than the ratio.
    pairs = sorted(c / m for c, m in zip(cold, mdl_t))
    return {"posts": posts, "cold": median(cold), "cold_mem_mb": max(cold_mem) / 1024,
            "mdl": median(mdl_t) if mdl_t else None, "fill": fill, "warm": median(warm), "one": median(one),
            "pairs": pairs}


# Started as `postdesk` starts the window (create_app: the Chromium flag, the preview's
# scheme, the PySide6 refcount guard, the thread settings); without the guard the
# list's updates abort the interpreter ("bool_dealloc").
_GUI = r"""
import sys, time
from PySide6.QtCore import QEventLoop, QTimer
from app.ui.app import create_app
app = create_app(sys.argv[:1])
from app.core.site import Site
from app.core.engine import Engine
from app.ui.post_list import PostListModel
t = time.perf_counter()
site = Site(sys.argv[1]); engine = Engine(site)
model = PostListModel()
model.load(site, engine)
listed = time.perf_counter() - t
print(listed, model.rowCount(), flush=True)
loop = QEventLoop(); model.filled.connect(loop.quit); QTimer.singleShot(120000, loop.quit); loop.exec()
print(time.perf_counter() - t, flush=True)
import os; os._exit(0)  # skip Qt's teardown while the pool's last runnable is finishing
"""


def bench_gui(root: Path) -> tuple[float, int, float | None] | None:
    """(seconds until the list shows, rows, seconds until every row's details are in
    or None when that did not finish)."""
    if not (REPO / "app" / "ui" / "post_list.py").exists():
        return None
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    try:
        proc = subprocess.run([sys.executable, "-c", _GUI, str(root)], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=300)
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"  (window figures not measured: {exc})")
        return None
    lines = proc.stdout.split("\n")
    if not lines[0].strip():
        print(f"  (window figures not measured: exit {proc.returncode}: {proc.stderr.strip()[:200]})")
        return None
    listed, rows = lines[0].split()
    filled = float(lines[1]) if len(lines) > 1 and lines[1].strip() else None
    if filled is None:
        print(f"  (the window's detail fill did not finish: exit {proc.returncode}: {proc.stderr.strip()[:120]})")
    return float(listed), int(rows), filled


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--posts", type=int, nargs="+", default=[1000, 5000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    ap.add_argument("--no-growth", action="store_true", help="measure the first size only")
    ap.add_argument("--no-gui", action="store_true")
    ap.add_argument("--gui-only", action="store_true", help="only the window's figures, on the largest size")
    args = ap.parse_args()
    mdl = find_markdownlint()
    compile_package()
    print(f"PostDesk site benchmark, {date.today()}, {platform.platform()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    if mdl is None:
        print("markdownlint-cli2 not found: npm install --prefix /tmp/mdl markdownlint-cli2 "
              "(or set MARKDOWNLINT_CLI2); ratios are left out")
    sizes = args.posts[:1] if args.no_growth else args.posts
    figures = []
    for n in ([] if args.gui_only else sizes):
        root = site_for(args.work, n)
        f = bench_size(root, mdl if n == sizes[0] else None, args.runs if n == sizes[0] else 1)
        figures.append(f)
        print(f"\n{f['posts']} posts ({root}):")
        print(f"  cold, no cache         {f['cold']:7.2f} s   {f['cold'] / f['posts'] * 1000:6.2f} ms/post"
              f"   peak {f['cold_mem_mb']:.0f} MB (largest process)")
        if f["mdl"]:
            spread = ", ".join(f"{r:.2f}" for r in f["pairs"])
            print(f"  markdownlint-cli2      {f['mdl']:7.2f} s   cold/markdownlint = {median(f['pairs']):.2f} "
                  f"(target <= 0.5; run by run: {spread})")
        print(f"  cold, filling cache    {f['fill']:7.2f} s")
        print(f"  warm, nothing changed  {f['warm']:7.2f} s" +
              (f"   warm/markdownlint = {f['warm'] / f['mdl']:.3f} (target <= 0.1)" if f["mdl"] else ""))
        print(f"  one post changed       {f['one']:7.2f} s")
    if len(figures) > 1:
        a, b = figures[0], figures[-1]
        growth = (b["cold"] / b["posts"]) / (a["cold"] / a["posts"])
        print(f"\ngrowth: cost per post at {b['posts']} / at {a['posts']} = {growth:.2f} (target <= 1.5); "
              f"peak memory at {b['posts']}: {b['cold_mem_mb']:.0f} MB (target < 500)")
    if not args.no_gui:
        root = site_for(args.work, sizes[-1])
        gui = bench_gui(root)
        if gui:
            filled = f"details filled in {gui[2]:.1f} s" if gui[2] is not None else "details did not finish"
            print(f"\nwindow: {gui[1]} posts listed in {gui[0]:.2f} s (target <= 2), {filled}")


if __name__ == "__main__":
    main()
