"""document.load_safe: the site's configuration files through the C parser, with the
same values and the same errors as ruamel's Python safe loader."""
from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from app.core import document
from app.core.document import load_safe

ROOT = Path(__file__).resolve().parents[2]
YAML_FILES = sorted(p for d in ("content", "tests/fixtures") for p in (ROOT / d).rglob("*.yml")
                    if "_site" not in p.parts)


def pure(text: str):
    return YAML(typ="safe", pure=True).load(text)


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_repository_s_yaml_files_load_as_the_python_loader_loads_them(path):
    text = path.read_text(encoding="utf-8")
    assert load_safe(text) == pure(text)


def test_the_sample_site_s_configuration_takes_the_c_parser(monkeypatch):
    """Without the fast path every load would be the Python loader's: count them."""
    calls = []
    real = document.YAML

    def counting(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(document, "YAML", counting)
    for name in (".editorial.yml", "_config.yml"):
        load_safe((ROOT / "content" / name).read_text(encoding="utf-8"))
    assert calls == []


@pytest.mark.parametrize("text", [
    "", "# only a comment\n", "a: 1\nb: [x, y]\nc: {d: e}\n", "- 1\n- two\n", "plain scalar",
    "when: 2024-05-01\n",  # a date: the Python loader's date
    "at: 2024-05-01T10:00:00+09:00\n",
    "base: &b {x: 1}\nother: *b\n",  # an anchor and alias
    "merged:\n  <<: {x: 1}\n  y: 2\n",
    "%YAML 1.1\n---\nyes: on\n",
    "quoted: 'it''s'\nnum: 0o17\nhex: 0x1F\nflt: 1e3\nnull_: ~\nbool: true\n",
    "長い: 日本語の値\n",
])
def test_edge_texts_load_as_the_python_loader_loads_them(text):
    assert load_safe(text) == pure(text)
    assert type(load_safe(text)) is type(pure(text))


@pytest.mark.parametrize("text", ["a: [1, 2\n", "tabbed:\t1\n", "a: 1\na: 2\n", "a: b: c\n", "- x\ny: 1\n", "a: '\n"])
def test_broken_texts_fail_with_the_python_loader_s_error(text):
    with pytest.raises(YAMLError) as expected:
        pure(text)
    with pytest.raises(YAMLError) as got:
        load_safe(text)
    assert type(got.value) is type(expected.value) and str(got.value) == str(expected.value)
