"""How long PD201-PD203's analysis takes on a long post, and what the candidate
index saves over comparing every pair.

Run on demand (not a test): `python tests/benchmarks/bench_duplicates.py`. Uses
tests/fixtures/rules/duplicates/long_post.md (42,000 characters, ~500 blocks). Prints
the best and median of several runs of `duplicates.analyse` on an already parsed post
(what the editor pays per keystroke pause on top of the parse), and the number of
pairs the index proposes against every pair of blocks.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from app.core.document import Document  # noqa: E402
from app.core.parse import ParsedPost  # noqa: E402
from app.core.rules import duplicates  # noqa: E402

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


if __name__ == "__main__":
    main()
