"""The repository's `.pre-commit-hooks.yaml`, run by pre-commit itself in a throw-away
git repository holding a small Jekyll site: a damaged post fails the hook (and so the
commit), a clean one or a post with warnings only passes, files outside `_posts/` and
`_drafts/` are not checked.

Offline by design: the hook is copied from the manifest as a `repo: local` hook with
`language: system`, so pre-commit runs the `postdesk` already installed beside this
Python (the published hook's `language: python` makes pre-commit pip-install the
repository, which needs the package index; that path is the same entry, files and
require_serial, which is what these tests pin).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.rules.harness import CLEAN_POST, POST_NAME, make_site

REPO = Path(__file__).resolve().parents[2]
MANIFEST = REPO / ".pre-commit-hooks.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")


def pre_commit(*args: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def git(*args: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def hook() -> dict:
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return next(h for h in hooks if h["id"] == "postdesk-check")


@pytest.fixture
def env(tmp_path) -> dict:
    """pre-commit's and git's environment: this Python's scripts first on PATH, a
    private pre-commit home, and a git identity, nothing read from the user's."""
    e = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    e.update(PATH=os.pathsep.join([str(Path(sys.executable).parent), e.get("PATH", "")]),
             PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), HOME=str(tmp_path / "home"),
             GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Editor", GIT_AUTHOR_EMAIL="editor@example.com",
             GIT_COMMITTER_NAME="Editor", GIT_COMMITTER_EMAIL="editor@example.com", LANG="C.UTF-8")
    (tmp_path / "home").mkdir()
    return e


@pytest.fixture
def site_repo(tmp_path, env) -> Path:
    """A git repository whose root is a Jekyll site with a clean post, and a
    pre-commit configuration running the manifest's hook."""
    site, _ = make_site(tmp_path, CLEAN_POST)
    root = site.root
    local = {**hook(), "language": "system", "args": ["--lang", "en"]}
    (root / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}, allow_unicode=True), encoding="utf-8")
    assert git("init", "-q", "-b", "main", cwd=root, env=env).returncode == 0
    git("add", "-A", cwd=root, env=env)
    return root


def test_manifest_is_valid_and_as_rules_md_says():
    result = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    h = hook()
    assert h["entry"] == "postdesk check" and h["language"] == "python"
    assert h["files"] == "^_(posts|drafts)/" and h["require_serial"] is True


def test_clean_site_passes(site_repo, env):
    result = pre_commit("run", "--all-files", cwd=site_repo, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "postdesk check" in result.stdout and "Passed" in result.stdout


def test_damaged_post_fails_and_names_the_finding(site_repo, env):
    post = site_repo / POST_NAME
    post.write_text(CLEAN_POST.replace("### 2. 小さく試す", "---END---\n\n### 2. 小さく試す"), encoding="utf-8")
    git("add", "-A", cwd=site_repo, env=env)
    result = pre_commit("run", "--all-files", cwd=site_repo, env=env)
    assert result.returncode == 1
    assert "Failed" in result.stdout
    assert f"{POST_NAME}:23: PD101 generation-marker" in result.stdout


def test_warnings_alone_pass(site_repo, env):
    post = site_repo / POST_NAME
    post.write_text(CLEAN_POST.replace("utm_campaign=strategy", "utm_campaign=news"), encoding="utf-8")
    git("add", "-A", cwd=site_repo, env=env)
    assert pre_commit("run", "--all-files", cwd=site_repo, env=env).returncode == 0


def test_files_outside_posts_and_drafts_are_not_checked(site_repo, env):
    (site_repo / "notes.md").write_text("---END---\n", encoding="utf-8")
    (site_repo / "_layouts" / "broken.md").write_text("---END---\n", encoding="utf-8")
    git("add", "-A", cwd=site_repo, env=env)
    only_those = pre_commit("run", "--files", "notes.md", "_layouts/broken.md", cwd=site_repo, env=env)
    assert only_those.returncode == 0 and "no files to check" in only_those.stdout


def test_damaged_draft_blocks_the_commit_and_a_fixed_one_goes_in(site_repo, env):
    """The real flow: `pre-commit install`, then `git commit` with a staged draft."""
    assert pre_commit("install", cwd=site_repo, env=env).returncode == 0
    assert git("commit", "-q", "-m", "site", cwd=site_repo, env=env).returncode == 0
    draft = site_repo / "_drafts" / "new-idea.md"
    draft.parent.mkdir(exist_ok=True)
    damaged = CLEAN_POST.replace("具体的な目標が", "具体的な目標が[cite: 調査会社A]")
    draft.write_text(damaged, encoding="utf-8")
    git("add", str(draft), cwd=site_repo, env=env)
    refused = git("commit", "-m", "draft", cwd=site_repo, env=env)
    assert refused.returncode != 0
    assert "_drafts/new-idea.md:21: PD105 citation-residue" in refused.stdout + refused.stderr
    draft.write_text(CLEAN_POST, encoding="utf-8")
    git("add", str(draft), cwd=site_repo, env=env)
    accepted = git("commit", "-m", "draft", cwd=site_repo, env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
