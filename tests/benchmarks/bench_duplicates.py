"""How long PD201-PD203's analysis takes on a long post, and what the candidate
index saves over comparing every pair.

Run on demand (not a test): `python tests/benchmarks/bench_duplicates.py [SITE]`. Uses
tests/fixtures/rules/duplicates/long_post.md (42,000 characters, ~500 blocks). Prints
the best and median of several runs of `duplicates.analyse` on an already parsed post
(what the editor pays per keystroke pause on top of the parse), and the number of
pairs the index proposes against every pair of blocks.

With a site root (e.g. one made by sitegen.py), also the process CPU per post of
`analyse` over all its posts (parsed beforehand, best of three passes: what a batch
check pays), the pairs the index proposes, and how many of them still needed a
rapidfuzz measure after the common-subsequence bound (see `duplicates.similarity`).
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from app.core.document import Document  # noqa: E402
from app.core.engine import Engine  # noqa: E402
from app.core.parse import ParsedPost  # noqa: E402
from app.core.rules import duplicates  # noqa: E402
from app.core.site import Site  # noqa: E402

LONG_POST = REPO / "tests" / "fixtures" / "rules" / "duplicates" / "long_post.md"


def main(runs: int = 20) -> None:
    text = LONG_POST.read_text(encoding="utf-8")
    post = ParsedPost(Document(text))
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = duplicates.analyse(post)
        times.append(time.perf_counter() - t)
    n = len(result.units)
    candidates = duplicates.candidate_pairs([u.text for u in result.units])
    print(f"long_post.md: {len(text)} characters, {n} blocks, {len(result.repeats)} repeats found")
    print(f"analyse: best {min(times) * 1000:.1f} ms, median {statistics.median(times) * 1000:.1f} ms over {runs} runs")
    print(f"pairs compared: {len(candidates)} proposed by the index, of {n * (n - 1) // 2} possible")


class CountingFuzz:
    """rapidfuzz's fuzz module, counting the calls analyse() makes to it."""

    def __init__(self, fuzz) -> None:
        self.fuzz, self.calls = fuzz, 0

    def __getattr__(self, name: str):
        measure = getattr(self.fuzz, name)

        def counted(*args, **kwargs):
            self.calls += 1
            return measure(*args, **kwargs)
        return counted


def site(root: Path) -> None:
    """Per-post CPU of analyse() over a site's posts, and what the bound saves."""
    s = Site(root)
    engine = Engine(s)
    posts = [engine.parse(Document.from_bytes(info.path.read_bytes(), info.path)) for info in s.all_posts]
    for post in posts:
        post.sections  # parsed once, as the engine's earlier rules leave it
    passes = []
    for _ in range(3):
        t = time.process_time()
        for post in posts:
            duplicates.analyse(post)
        passes.append(time.process_time() - t)
    pairs = sum(len(duplicates.candidate_pairs([u.text for u in duplicates.analyse(p).units])) for p in posts)
    counting = duplicates.fuzz = CountingFuzz(duplicates.fuzz)
    try:
        for post in posts:
            duplicates.analyse(post)
    finally:
        duplicates.fuzz = counting.fuzz
    print(f"{root}: {len(posts)} posts, analyse {min(passes) / len(posts) * 1000:.2f} ms/post (process CPU, best of 3)")
    print(f"  {pairs / len(posts):.1f} candidate pairs a post; rapidfuzz calls a post after the bound: "
          f"{counting.calls / len(posts):.1f} (sections included)")


if __name__ == "__main__":
    main()
    for arg in sys.argv[1:]:
        site(Path(arg))
