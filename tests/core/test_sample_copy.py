"""The sample site is copied to the editor's data folder and opened there, never in
the place PostDesk is installed (read-only in a macOS app; replaced by an upgrade)."""
from __future__ import annotations

import shutil

import pytest

from app.core import paths


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    """A shipped sample site (with a result cache a copy must leave behind)."""
    src = tmp_path / "install" / "content"
    (src / "_posts").mkdir(parents=True)
    (src / "_posts" / "2026-01-01-1-a.md").write_text("---\ntitle: a\n---\n本文\n", encoding="utf-8")
    (src / ".postdesk-cache").mkdir()
    (src / ".postdesk-cache" / "results.sqlite3").write_bytes(b"x" * 100)
    monkeypatch.setattr(paths, "sample_site", lambda: src)
    return src


def test_first_use_copies_the_sample_and_opens_the_copy(shipped, tmp_path):
    data = tmp_path / "data"
    site = paths.working_sample_site(data)
    assert site == data / "sample-site" and site != shipped
    assert (site / "_posts" / "2026-01-01-1-a.md").read_bytes() == (shipped / "_posts" / "2026-01-01-1-a.md").read_bytes()
    assert not (site / ".postdesk-cache").exists()


def test_the_editors_changes_to_the_copy_are_kept(shipped, tmp_path):
    data = tmp_path / "data"
    site = paths.working_sample_site(data)
    post = site / "_posts" / "2026-01-01-1-a.md"
    post.write_text("---\ntitle: 編集した\n---\n本文\n", encoding="utf-8")
    (shipped / "_posts" / "2026-01-01-1-a.md").write_text("---\ntitle: 新しい版\n---\n", encoding="utf-8")  # an upgrade
    assert paths.working_sample_site(data) == site
    assert "編集した" in post.read_text(encoding="utf-8")


def test_a_copy_cut_short_is_made_again(shipped, tmp_path, monkeypatch):
    data = tmp_path / "data"
    real = shutil.copytree

    def dies_half_way(src, dst, **kw):
        (dst / "_posts").mkdir(parents=True)
        raise OSError("disk full")

    monkeypatch.setattr(shutil, "copytree", dies_half_way)
    with pytest.raises(OSError):
        paths.working_sample_site(data)
    assert not (data / "sample-site").exists()  # nothing that looks like a finished copy
    monkeypatch.setattr(shutil, "copytree", real)
    site = paths.working_sample_site(data)
    assert (site / "_posts" / "2026-01-01-1-a.md").is_file()
    assert not (data / "sample-site.partial").exists()


def test_nothing_shipped_gives_none(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "sample_site", lambda: None)
    assert paths.working_sample_site(tmp_path) is None
