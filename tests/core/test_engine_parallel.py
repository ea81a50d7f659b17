"""The parallel batch path returns exactly what the serial one returns: the same files
in the same order with the same findings (PD204 included), on the sample site and on a
generated one; cancelling stops it; progress reports every file."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from app.core.engine import Engine
from app.core.site import Site

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "benchmarks"))
import sitegen  # noqa: E402


def table(results):
    return [(r.rel, r.findings, r.title, r.draft) for r in results]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return sitegen.make_site(tmp_path_factory.mktemp("gen") / "site", posts=60, seed=7)


@pytest.fixture
def sample(tmp_path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(REPO / "content", root, ignore=shutil.ignore_patterns(".jekyll-cache", "_site", ".postdesk-cache"))
    return root


def test_parallel_equals_serial_on_the_sample_site(sample):
    serial = Engine(Site(sample)).check_site(jobs=1)
    parallel = Engine(Site(sample)).check_site(jobs=2)
    assert table(parallel) == table(serial)
    assert any(r.findings for r in serial)


def test_parallel_equals_serial_on_a_generated_site(generated):
    serial = Engine(Site(generated)).check_site(jobs=1)
    parallel = Engine(Site(generated)).check_site(jobs=2)
    assert table(parallel) == table(serial)
    rules = {f.rule for r in serial for f in r.findings}
    assert {"PD204", "PD101"} <= rules  # the generator's damage and near-copies are found


def test_parallel_on_a_subset_sees_the_whole_site_for_pd204(generated):
    site = Site(generated)
    paths = [i.path for i in site.posts[::3]]
    assert table(Engine(Site(generated)).check_site(paths, jobs=2)) == table(Engine(site).check_site(paths, jobs=1))


def test_progress_counts_every_file_and_cancel_stops(generated):
    seen = []
    results = Engine(Site(generated)).check_site(progress=lambda n, total, r: seen.append((n, total)), jobs=2)
    assert [n for n, _ in seen] == list(range(1, len(results) + 1)) and {t for _, t in seen} == {len(results)}
    stopped = Engine(Site(generated)).check_site(cancelled=lambda: True, jobs=2)
    assert len(stopped) < len(results)


def test_generated_sites_are_deterministic(tmp_path):
    a = sitegen.make_site(tmp_path / "a", posts=5, seed=3)
    b = sitegen.make_site(tmp_path / "b", posts=5, seed=3)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


def test_a_check_started_from_a_thread_uses_forkserver_and_matches(generated):
    """The window checks from a worker thread: forking a threaded process is unsafe, so
    the engine starts its workers from a fork server there, with the same results."""
    import threading

    from app.core.engine import _mp_context
    out = {}

    def work():
        out["method"] = _mp_context().get_start_method()
        out["results"] = table(Engine(Site(generated)).check_site(jobs=2))
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    if sys.platform.startswith("linux"):
        assert out["method"] == "forkserver"
    assert out["results"] == table(Engine(Site(generated)).check_site(jobs=1))


def test_a_thread_python_did_not_start_still_rules_out_fork():
    """A C library's own thread (Qt's, here one started through the C API) is invisible
    to `threading.active_count()`; the engine counts the kernel's threads instead, so
    it never forks a process in which such a thread might hold a lock."""
    import _thread
    import threading

    from app.core.engine import _mp_context
    linux = sys.platform.startswith("linux")
    assert (_mp_context().get_start_method() == "fork") == linux  # one thread: fork on Linux only
    release, started = threading.Event(), threading.Event()

    def foreign():  # _thread.start_new_thread: no threading.Thread object
        started.set()
        release.wait()
    before = threading.active_count()
    _thread.start_new_thread(foreign, ())
    started.wait()
    try:
        assert threading.active_count() == before
        assert _mp_context().get_start_method() != "fork"
    finally:
        release.set()


def test_chunks_cover_every_post_in_order_and_shrink_towards_the_end():
    from app.core.engine import _chunks
    for n, workers in ((1, 2), (50, 2), (1000, 2), (5000, 4), (333, 3)):
        todo = list(range(7, 7 + n))
        chunks = _chunks(todo, workers)
        assert [i for c in chunks for i in c] == todo
        sizes = [len(c) for c in chunks]
        assert max(sizes) <= 24 and sizes == sorted(sizes, reverse=True)
        assert all(s <= 2 for s in sizes[-workers:])
