"""Print how closely PostDesk's preview agrees with Jekyll, for the README.

Run on demand: `python tests/render/parity_report.py [-v]`. Builds every post once
with `jekyll build` (see parity.py), renders it with tokenize() + render_html(), and
prints blocks equal / total per group of posts (probe, sample site, kept-aside real
posts) and overall; with -v, every differing block. For comparison it also prints
the figure for plain markdown-it (CommonMark), the engine PostDesk started from.
"""
from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import parity  # noqa: E402


def group_of(pid: str) -> str:
    if "probe" in pid:
        return "probe"
    return "kept-aside posts" if "aside" in pid else "sample site"


def commonmark_html(text: str) -> str:
    from markdown_it import MarkdownIt
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return md.render(parity.split_front_matter(text)[1])


def main(verbose: bool = False) -> int:
    files = parity.post_files()
    with tempfile.TemporaryDirectory() as tmp:
        build = parity.build_with_jekyll(files, Path(tmp))
    site = parity.ParitySite(build, parity.jekyll_config())
    ours: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    plain: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path in files:
        pid = parity.post_id(path)
        text = build.sources[pid]
        result = parity.compare(pid, build.html[pid], parity.render_post(text, site))
        baseline = parity.compare(pid, build.html[pid], commonmark_html(text))
        for table, res in ((ours, result), (plain, baseline)):
            for key in (group_of(pid), "all posts"):
                table[key][0] += res.equal
                table[key][1] += res.total
        if verbose:
            for diff in result.differences:
                print(diff)
    print(f"{'posts':<18}{'PostDesk':>22}{'plain markdown-it':>22}")
    for key in ("probe", "sample site", "kept-aside posts", "all posts"):
        if key in ours:
            (e, t), (pe, pt) = ours[key], plain[key]
            print(f"{key:<18}{f'{e}/{t} = {100 * e / t:.1f} %':>22}{f'{pe}/{pt} = {100 * pe / pt:.1f} %':>22}")
    return 0 if ours["all posts"][0] == ours["all posts"][1] else 1


if __name__ == "__main__":
    sys.exit(main("-v" in sys.argv))
