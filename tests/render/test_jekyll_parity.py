"""PostDesk's renderer against real Jekyll, block by block.

Every post (the probe, the sample site's posts and drafts, the real posts kept aside)
is built once by `jekyll build` in a temporary site and rendered by
`tokenize()` + `render_html()`; each top-level block must agree: element, class, id,
text and inline markup (whitespace between tags and Rouge's spans ignored).
Run on demand for the figures: `python tests/render/parity_report.py`.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import parity  # noqa: E402

POSTS = parity.post_files()


@pytest.fixture(scope="session")
def jekyll_build(tmp_path_factory) -> parity.JekyllBuild:
    if shutil.which("jekyll") is None:
        pytest.fail(parity.SETUP_HINT, pytrace=False)
    return parity.build_with_jekyll(POSTS, tmp_path_factory.mktemp("jekyll"))


@pytest.fixture(scope="session")
def parity_site(jekyll_build) -> parity.ParitySite:
    return parity.ParitySite(jekyll_build, parity.jekyll_config())


@pytest.mark.parametrize("post", POSTS, ids=[parity.post_id(p) for p in POSTS])
def test_post_renders_as_jekyll_does(post: Path, jekyll_build, parity_site) -> None:
    pid = parity.post_id(post)
    assert pid in jekyll_build.html, f"Jekyll did not build {pid}"
    result = parity.compare(pid, jekyll_build.html[pid], parity.render_post(jekyll_build.sources[pid], parity_site))
    assert not result.differences, (
        f"{len(result.differences)} of {result.total} blocks differ from Jekyll:\n"
        + "\n".join(result.differences))


def test_probe_exists() -> None:
    assert parity.PROBE in POSTS
