"""How long the preview takes: tokenize() + render_html() on a 42 KB Japanese post.

Run on demand (not a test): `python tests/benchmarks/bench_render.py`. The post is
made of the sample site's and the aside posts' bodies, repeated up to 42 KB, so it
has their mix of headings, lists, links and CTA blocks. Prints the median and best
of several runs, cold (a new body each time, no caching) as the preview sees it.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "render"))

from app.core.markdown import tokenize  # noqa: E402
from app.core.render import render_html  # noqa: E402
import parity  # noqa: E402

TARGET_BYTES = 42 * 1024


def sample_body() -> str:
    bodies = [parity.split_front_matter(p.read_text(encoding="utf-8-sig"))[1]
              for p in parity.post_files() if p != parity.PROBE]
    if not bodies:
        bodies = [parity.split_front_matter(parity.PROBE.read_text(encoding="utf-8"))[1]]
    text = ""
    while len(text.encode("utf-8")) < TARGET_BYTES:
        text += "\n".join(bodies) + "\n"
    cut = text.encode("utf-8")[:TARGET_BYTES].decode("utf-8", "ignore")
    return cut[:cut.rfind("\n\n") + 1]  # end on a paragraph boundary


def main(runs: int = 30) -> None:
    body = sample_body()
    times = []
    for n in range(runs):
        variant = body + f"\n<!-- run {n} -->\n"  # a new text each run: nothing is cached
        start = time.perf_counter()
        tokens, env = tokenize(variant)
        render_html(tokens, env, body_line=12)
        times.append((time.perf_counter() - start) * 1000)
    size = len(body.encode("utf-8"))
    print(f"render of a {size / 1024:.1f} KB post ({len(body.splitlines())} lines): "
          f"median {statistics.median(times):.1f} ms, best {min(times):.1f} ms over {runs} runs")


if __name__ == "__main__":
    main()
