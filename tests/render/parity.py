"""Render posts with PostDesk and with real Jekyll, and compare them block by block.

Shared by `test_jekyll_parity.py` (which fails on any difference) and
`parity_report.py` (which prints the agreement figures the README quotes).

Jekyll builds one temporary site holding every post, once. A tiny plugin in that site
records each document's HTML right after kramdown (`:post_convert`, exactly what
`{{ content }}` holds) and its URL, so the comparison does not depend on permalinks
or layouts; the site's only layout prints `{{ content }}` all the same.
"""
from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
PROBE = REPO / "tests" / "fixtures" / "probe" / "probe.md"
SETUP_HINT = ("Jekyll is not installed: run the README's setup (Debian: "
              "`apt-get install jekyll`) so the renderer can be compared with the real thing.")

_PLUGIN = r'''
require "json"
PD_PARITY = {}
Jekyll::Hooks.register :documents, :post_convert do |doc|
  PD_PARITY[doc.relative_path] = {"html" => doc.content, "url" => doc.url}
end
Jekyll::Hooks.register :pages, :post_convert do |page|
  PD_PARITY["page:" + page.relative_path] = {"html" => page.content, "url" => page.url}
end
Jekyll::Hooks.register :site, :post_write do |site|
  File.write(ENV.fetch("PD_PARITY_OUT"), JSON.generate(PD_PARITY))
end
'''


def post_files() -> list[Path]:
    """Every post the comparison covers: the probe, the sample site's, the kept-aside ones."""
    files = [PROBE] if PROBE.exists() else []
    for pattern in ("content/_posts/*.md", "content/_drafts/*.md",
                    "tests/fixtures/aside/site/_posts/*.md"):
        files.extend(sorted(REPO.glob(pattern)))
    return files


def post_id(path: Path) -> str:
    return str(path.relative_to(REPO))


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """(front matter fields, body, file line of the body's first line).

    The front matter is the text between the first two `---` lines; a stand-in until
    the Document class (app/core/document.py) is used here.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text, 1
    for n in range(1, len(lines)):
        if lines[n].strip() in ("---", "..."):
            fields = yaml.safe_load("\n".join(lines[1:n])) or {}
            return (fields if isinstance(fields, dict) else {}), "\n".join(lines[n + 1:]), n + 2
    return {}, text, 1


def jekyll_config() -> dict[str, Any]:
    """The temporary site's `_config.yml`: the sample site's, with the comparison's settings."""
    sample = REPO / "content" / "_config.yml"
    config = (yaml.safe_load(sample.read_text(encoding="utf-8")) or {}) if sample.exists() else {}
    for key in ("plugins", "theme", "exclude", "include"):
        config.pop(key, None)
    config.update({"markdown": "kramdown", "kramdown": {"input": "GFM"},
                   "permalink": "/:year/:month/:day/:title/", "timezone": "Asia/Tokyo",
                   "future": True, "show_drafts": True, "unpublished": True, "quiet": True})
    config.setdefault("title", "PostDesk parity")
    return config


@dataclass
class JekyllBuild:
    """What Jekyll produced: per post id, the body HTML and the URL."""

    html: dict[str, str]
    urls: dict[str, str]
    sources: dict[str, str]
    """The text Jekyll was given, per post: render this, not the live file (it may be edited)."""


def build_with_jekyll(files: list[Path], workdir: Path) -> JekyllBuild:
    """Copy `files` into a fresh site under `workdir`, run `jekyll build` once, read the HTML."""
    jekyll = shutil.which("jekyll")
    if jekyll is None:
        raise RuntimeError(SETUP_HINT)
    src = workdir / "site"
    (src / "_layouts").mkdir(parents=True)
    (src / "_plugins").mkdir()
    (src / "_plugins" / "parity.rb").write_text(_PLUGIN, encoding="utf-8")
    (src / "_config.yml").write_text(yaml.safe_dump(jekyll_config(), allow_unicode=True), encoding="utf-8")
    layouts = {"default", "post", "page"}
    placed: dict[str, str] = {}
    sources: dict[str, str] = {}
    for n, path in enumerate(files):
        fields, _body, _line = split_front_matter(path.read_text(encoding="utf-8-sig"))
        if isinstance(fields.get("layout"), str):
            layouts.add(fields["layout"])
        kind = "_drafts" if path.parent.name == "_drafts" else "_posts"
        name = path.name if re.match(r"\d{4}-\d\d-\d\d-", path.name) or kind == "_drafts" \
            else f"2026-01-01-{path.name}"
        rel = f"g{n:03d}/{kind}/{name}"
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        text = path.read_bytes()
        (src / rel).write_bytes(text)
        placed[rel] = post_id(path)
        sources[post_id(path)] = text.decode("utf-8-sig")
    for page in ("contact.md", "services.md"):  # targets of `{% link %}` in the probe
        sample = REPO / "content" / page
        if sample.exists():
            shutil.copyfile(sample, src / page)
    for layout in layouts:
        (src / "_layouts" / f"{layout}.html").write_text("{{ content }}", encoding="utf-8")
    out = workdir / "parity.json"
    proc = subprocess.run(
        [jekyll, "build", "--trace", "-s", str(src), "-d", str(workdir / "_site")],
        capture_output=True, text=True, env={**_clean_env(), "PD_PARITY_OUT": str(out)}, timeout=600)
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"jekyll build failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    data = json.loads(out.read_text(encoding="utf-8"))
    build = JekyllBuild({}, {}, sources)
    for rel, item in data.items():
        if rel.startswith("page:"):
            build.urls[rel] = item["url"]
        elif rel in placed:
            build.html[placed[rel]] = item["html"]
            build.urls[placed[rel]] = item["url"]
    return build


def _clean_env() -> dict[str, str]:
    import os
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GEM_", "BUNDLE"))}
    env.setdefault("LANG", "C.UTF-8")
    env["LC_ALL"] = "C.UTF-8"
    return env


class ParitySite:
    """The duck-typed site the Liquid pass needs, answering from Jekyll's own URLs."""

    def __init__(self, build: JekyllBuild, config: dict[str, Any]):
        self.root = REPO
        self.jekyll_config = config
        self._by_stem = {Path(pid).stem: url for pid, url in build.urls.items()}
        self._pages = {pid[len("page:"):]: url for pid, url in build.urls.items() if pid.startswith("page:")}

    def post_url(self, stem: str) -> str | None:
        return self._by_stem.get(stem)

    def url_for_path(self, relpath: str) -> str | None:
        return self._pages.get(relpath)


def render_post(text: str, site: Any = None) -> str:
    """PostDesk's HTML for a post's text, in Jekyll-comparison mode."""
    from app.core.markdown import tokenize
    from app.core.render import render_html
    fields, body, line = split_front_matter(text)
    tokens, env = tokenize(body, fields, site)
    return render_html(tokens, env, body_line=line).html


# -- comparing -------------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
_BLOCK = ("p|h[1-6]|ul|ol|li|div|table|thead|tbody|tfoot|tr|th|td|blockquote|pre|hr|dl|dt|dd|"
          "figure|figcaption|section|iframe|script|style")
_AROUND_BLOCK_TAG = re.compile(r"\s*(</?(?:%s)\b[^>]*>)\s*" % _BLOCK)
_IGNORED_ATTRS = {"data-line"}


class _Node:
    def __init__(self, tag: str | None, attrs: list[tuple[str, str | None]] | None = None, text: str = ""):
        self.tag = tag
        self.attrs = attrs or []
        self.text = text
        self.children: list[_Node] = []


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Node(tag, attrs))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(_Node(None, text=data))

    def handle_comment(self, data):
        self.stack[-1].children.append(_Node(None, text=f"<!--{data}-->"))


def _canonical(node: _Node, in_code: bool = False) -> str:
    """A block as a string: tags with sorted attributes, text with whitespace collapsed.

    Rouge's token spans inside highlighted code are dropped (only their text counts).
    """
    if node.tag is None:
        return node.text
    inner_code = in_code or node.tag == "pre"
    inner = "".join(_canonical(c, inner_code) for c in node.children)
    if in_code and node.tag == "span":
        return inner
    attrs = "".join(f' {k}="{v or ""}"' for k, v in sorted(node.attrs) if k not in _IGNORED_ATTRS)
    if node.tag in _VOID:
        return f"<{node.tag}{attrs}>"
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"


def html_blocks(html: str) -> list[str]:
    """The top-level blocks of a body's HTML, each in canonical form."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    blocks = []
    for node in builder.root.children:
        if node.tag is None and not node.text.strip():
            continue
        text = re.sub(r"[ \t\r\n\f]+", " ", _canonical(node))
        text = _AROUND_BLOCK_TAG.sub(r"\1", text).strip()
        blocks.append(text)
    return blocks


@dataclass
class Comparison:
    post: str
    equal: int
    total: int
    differences: list[str]


def compare(post: str, expected_html: str, actual_html: str) -> Comparison:
    """Pair Jekyll's blocks with PostDesk's; name each block that differs."""
    expected, actual = html_blocks(expected_html), html_blocks(actual_html)
    matcher = difflib.SequenceMatcher(a=expected, b=actual, autojunk=False)
    equal = sum(size for _a, _b, size in matcher.get_matching_blocks())
    differences = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        for k in range(max(a1 - a0, b1 - b0)):
            jek = expected[a0 + k] if a0 + k < a1 else "(none)"
            ours = actual[b0 + k] if b0 + k < b1 else "(none)"
            differences.append(f"{post} block {a0 + k}:\n  jekyll:   {jek}\n  postdesk: {ours}")
    return Comparison(post, equal, max(len(expected), len(actual)), differences)
