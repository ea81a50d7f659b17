"""Shared by the packaging tests: run a command, and compare check reports."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Report fields that legitimately differ between two runs of the same check.
VOLATILE = {"elapsed", "elapsed_seconds", "duration", "time", "site"}


def run(cmd: list[str], cwd: Path, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
    """Run `cmd` with text output captured, the environment plus `env`."""
    return subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          timeout=timeout, env=dict(os.environ, **env))


def report(stdout: str):
    """A JSON check report without its volatile fields (times; the site's absolute path,
    which differs between the repository's and an installed copy's sample site)."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in VOLATILE}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return strip(json.loads(stdout))


def sample_site_check(python_cmd: list[str], site: Path, cwd: Path, **env: str):
    """(exit code, stripped JSON report) of `... check SITE --format json --no-cache`.
    `--no-cache` so that a check never writes a cache into the site it reads."""
    done = run(python_cmd + ["check", site, "--format", "json", "--no-cache", "--lang", "en"], cwd, **env)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, report(done.stdout)
