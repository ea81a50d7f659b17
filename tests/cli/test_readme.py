"""The README opens with the two set-up commands, and CI runs the test one."""
from conftest import REPO


def commands():
    return [l.strip() for l in (REPO / "README.md").read_text(encoding="utf-8").split("\n")
            if l.startswith("    ") and ("pip install" in l)]


def test_readme_opens_with_run_and_test_commands():
    run, test = commands()[:2]
    assert "postdesk content" in run and '".[gui]"' in run
    extras = test.split('".[', 1)[1].split(']"', 1)[0].split(",")
    assert "pytest" in test and {"gui", "test", "build"} <= set(extras)  # build: CI tests the bundle


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "README.md" in ci and "pytest" in ci
    assert "install-deps.sh" in ci
