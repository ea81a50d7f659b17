"""The window's speed targets (issue 6): opening a site and a post, and typing into
a 40,000-character post while the preview and the findings follow.

Run on demand (not a test):

    python tests/benchmarks/bench_window.py                 # 300-post site, offscreen
    python tests/benchmarks/bench_window.py --posts 1000 --keys 300 --profile

It starts the window as `postdesk` does (app.ui.app.create_app: the Chromium flag,
the preview's URL scheme, the PySide6 emit guard), opens the real MainWindow on a
copy of a generated site (tests/benchmarks/sitegen.py, seed 1) to which a post of
40,000 characters is added (generated bodies put end to end), and then:

- the list: seconds until the rows show, until every count is in, and again on a
  second open (counts from the result cache);
- opening the long post: the time `open_post` holds the window;
- typing: real key events (QKeyEvent with the text, as an input method commits it)
  into the middle of the post, in bursts of a few characters with pauses, as a
  person types. A 1 ms heartbeat timer on the main thread measures every stall
  (the gap between two beats, less the beat) while the debounced preview and the
  findings update; the time each key event takes to be processed is printed too;
- the preview: from the moment the debounced refresh starts to the `rendered`
  signal (the new HTML is in the page), and from the last keystroke to it.

Figures are printed with their targets and the ratio to them. `--profile` runs
pyinstrument on the main thread during the typing and prints the tree.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import sitegen  # noqa: E402

LONG_CHARS = 40_000
LONG_NAME = "2030-01-01-1-long-post.md"
TYPED = "生成AIの導入では、現場の声を集めることが大切です。"
FRAME_MS = 16.0  # one frame at 60 Hz: the longest a keystroke may stall the window
PREVIEW_P95_MS = 50.0
OPEN_POST_MS = 100.0
LIST_S = 2.0


# -- the site ----------------------------------------------------------------------
def bench_site(work: Path, posts: int) -> Path:
    """A generated site plus one post of about LONG_CHARS characters, made again
    only when the generator or this script changed."""
    stamp = hashlib.sha1(Path(sitegen.__file__).read_bytes() + Path(__file__).read_bytes()).hexdigest()[:12]
    root = work / f"postdesk-window-{posts}-{stamp}"
    if not (root / ".complete").exists():
        sitegen.make_site(root, posts=posts, seed=1)
        (root / "_posts" / LONG_NAME).write_text(long_post(root), encoding="utf-8")
        (root / ".complete").write_text("", encoding="utf-8")
    return root


def long_post(root: Path) -> str:
    """The first post's front matter and footer around the bodies of as many posts
    as make LONG_CHARS characters (a long post with the usual structure; its repeated
    sections give PD202 and PD201 their worst case, which is fine for a benchmark)."""
    posts = sorted((root / "_posts").glob("*.md"))
    first = posts[0].read_text(encoding="utf-8")
    front, rest = first.split("\n---\n", 1)
    body, footer = rest.split("\n---\n\n### あわせて読みたい", 1)
    parts = [body.strip()]
    size = len(front) + len(footer) + len(parts[0])
    for p in posts[1:]:
        if size >= LONG_CHARS:
            break
        other = p.read_text(encoding="utf-8").split("\n---\n", 1)[1].split("\n---\n\n### あわせて読みたい")[0]
        parts.append(other.strip())
        size += len(parts[-1]) + 2
    text = front + "\n---\n" + "\n\n".join(parts) + "\n---\n\n### あわせて読みたい" + footer
    return text if len(text) <= LONG_CHARS * 1.1 else trim(text)


def trim(text: str) -> str:
    """Keep the text near LONG_CHARS by dropping whole paragraphs before the footer."""
    head, footer = text.split("\n---\n\n### あわせて読みたい", 1)
    blocks = head.split("\n\n")
    while len(blocks) > 10 and sum(len(b) + 2 for b in blocks) + len(footer) > LONG_CHARS:
        blocks.pop()
    return "\n\n".join(blocks) + "\n---\n\n### あわせて読みたい" + footer


# -- measuring ----------------------------------------------------------------------
def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))]


class Heartbeat:
    """A 1 ms precise timer on the main thread: a gap between two beats longer than
    the beat is a stall (the event loop did not run for that long). Each gap also
    records the main thread's own CPU time in it (`busy`): a stall with little of
    it was spent waiting (for the GIL while a worker thread runs Python, or for a
    core on a loaded machine), not computing."""

    def __init__(self):
        from PySide6.QtCore import Qt, QTimer
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._beat)
        self.last = None
        self.last_cpu = 0.0
        self.gaps: list[float] = []
        self.busy: list[float] = []
        self.stalls: list[tuple[float, float]] = []  # (start, end) of gaps over a frame
        self.stall_cpu: list[float] = []  # the main thread's own CPU in each of them

    def _beat(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        if self.last is not None:
            gap = (now - self.last) * 1000 - 1
            self.gaps.append(gap)
            self.busy.append((cpu - self.last_cpu) * 1000)
            if gap > FRAME_MS:
                self.stalls.append((self.last, now))
                self.stall_cpu.append(self.busy[-1])
        self.last, self.last_cpu = now, cpu

    def start(self) -> None:
        self.gaps, self.busy, self.stalls, self.stall_cpu, self.last = [], [], [], [], None
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.gaps


def widget_path(w) -> str:
    """A widget named by its class and its ancestors' (the editor's viewport is a
    QWidget inside a MarkdownEditor)."""
    names = []
    while w is not None and len(names) < 4:
        names.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    return "<".join(names)


class Tracer:
    """What the main thread did, stamped for explaining stalls: the steps of showing
    findings (each with its own CPU), every cyclic-GC pass (which thread, which
    generation, how long) and, with `events=True`, every event Qt delivers on the
    main thread (an application event filter: a paint, a layout request, a timer, a
    queued call). Within a stall, the longest silence between two stamps starts
    with the stamp that was running."""

    def __init__(self, app, events: bool):
        import gc
        import threading
        from PySide6.QtCore import QObject
        self.stamps: list[tuple[float, str]] = []
        self.gc_passes: list[tuple[float, float, int, bool]] = []  # (start, end, generation, main thread)
        self._gc_open: dict[int, float] = {}
        self._main = threading.main_thread().ident
        self._threading = threading
        gc.callbacks.append(self._gc)
        self.filter = None
        self.app = app
        if events:
            stamps = self.stamps

            class Filter(QObject):
                def eventFilter(self, obj, event):  # noqa: N802
                    stamps.append((time.perf_counter(), (event.type(), obj)))
                    return False

            self.filter = Filter()

    def trace_events(self, window, on: bool) -> None:
        """Stamp the events of the window's widgets (only while typing). On each
        widget, not on the application: an application-wide filter crashed PySide6
        6.12 within seconds (in processEvents, in C++)."""
        if self.filter is None:
            return
        from PySide6.QtWidgets import QWidget
        for w in [window] + window.findChildren(QWidget):
            (w.installEventFilter if on else w.removeEventFilter)(self.filter)

    def _gc(self, phase: str, info: dict) -> None:
        ident = self._threading.get_ident()
        if phase == "start":
            self._gc_open[ident] = time.perf_counter()
        elif ident in self._gc_open:
            self.gc_passes.append((self._gc_open.pop(ident), time.perf_counter(), info["generation"],
                                   ident == self._main))

    def timed(self, obj, name: str, label: str, cpu_log: dict) -> None:
        """Replace obj.name by a wrapper stamping its end with its main-thread CPU."""
        original = getattr(obj, name)

        def wrapper(*args, **kwargs):
            cpu = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                ms = (time.thread_time() - cpu) * 1000
                cpu_log.setdefault(label, []).append(ms)
                self.stamps.append((time.perf_counter(), f"{label} ({ms:.0f} ms CPU)"))

        setattr(obj, name, wrapper)

    def gc_report(self, since: float, what: str) -> None:
        passes = [(b - a) * 1000 for a, b, _g, _m in self.gc_passes if a >= since]
        long = [(g, m, (b - a) * 1000) for a, b, g, m in self.gc_passes if a >= since and (b - a) * 1000 > 5]
        print(f"  GC while {what}: {len(passes)} passes, {sum(passes):.0f} ms in all; over 5 ms: "
              + (", ".join(f"gen {g} {'main' if m else 'pool'} {ms:.0f} ms" for g, m, ms in long) or "none"))

    def in_stall(self, a: float, b: float) -> list[str]:
        """Labels for one stall: GC passes overlapping it, and the stamp before the
        longest silence inside it."""
        out = [f"GC gen {g} on the {'main' if m else 'a pool'} thread {(e - s) * 1000:.0f} ms"
               for s, e, g, m in self.gc_passes if s < b and e > a and (e - s) * 1000 > 2]
        inside = [(t, label if isinstance(label, str) else f"Qt event {label[0].name} to {widget_path(label[1])}")
                  for t, label in self.stamps if a < t <= b]
        if self.filter is not None:
            edges = [(a, "stall start")] + inside + [(b, "stall end")]
            silences = sorted((((edges[i + 1][0] - edges[i][0]) * 1000, edges[i][1]) for i in range(len(edges) - 1)),
                              reverse=True)
            out += [f"{gap:.0f} ms after {label}" for gap, label in silences[:3] if gap > 2]
            out.append("all stamps: " + " | ".join(f"{(t - a) * 1000:.0f} {label}" for t, label in inside))
        out += sorted({label for _t, label in inside if "CPU" in label})
        return out


def wait(app, seconds: float, until=None) -> bool:
    """Run the event loop for `seconds` or until `until()` is true."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        if until is not None and until():
            return True
        time.sleep(0.0005)
    return until is None


def open_site(app, window, root: Path, timeout: float) -> tuple[float, float | None]:
    """(seconds until open_site returned with the rows listed, seconds until every
    count is in, or None after `timeout`)."""
    filled = []
    stamp = lambda: filled.append(time.perf_counter())  # noqa: E731
    window.post_list.model.filled.connect(stamp)
    t = time.perf_counter()
    window.open_site(root)
    listed = time.perf_counter() - t
    wait(app, timeout, lambda: bool(filled))
    window.post_list.model.filled.disconnect(stamp)  # only ours: the window's own slot stays
    return listed, (filled[0] - t) if filled else None


def type_into(app, window, keys: int, burst: int, gap_ms: int, pause_ms: int, profile: bool, tracer: Tracer):
    """Type `keys` characters in bursts; returns (heartbeat gaps, per-key processing
    times, preview refresh times from start, from the last key, findings times)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent, QTextCursor

    editor, preview = window.editor, window.preview
    doc = editor.document()
    # the middle of the post: the end of a prose line halfway down
    block = doc.findBlockByNumber(doc.blockCount() // 2)
    while block.isValid() and (block.text().startswith(("#", "-", "{", "[")) or len(block.text()) < 20):
        block = block.next()
    cur = QTextCursor(block)
    cur.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cur)
    editor.setFocus()
    editor.ensureCursorVisible()

    events: list[tuple[float, str]] = []  # what happened on the main thread, for the stalls
    starts: list[float] = []
    rendered: list[float] = []
    checked: list[float] = []
    keyed: list[float] = []
    original_render = preview._render_now

    def render_now():
        if preview._pending is not None:
            starts.append(time.perf_counter())
        original_render()
        events.append((time.perf_counter(), "preview render started"))

    preview._render_now = render_now
    preview._timer.timeout.disconnect()
    preview._timer.timeout.connect(render_now)
    preview.rendered.connect(lambda: rendered.append(time.perf_counter()))
    preview.rendered.connect(lambda: events.append((time.perf_counter(), "preview updated")))
    window.findingsUpdated.connect(lambda _f: checked.append(time.perf_counter()))
    window.findingsUpdated.connect(lambda _f: events.append((time.perf_counter(), "findings shown")))
    window._check_timer.timeout.connect(lambda: events.append((time.perf_counter(), "check started")))
    steps: dict[str, list[float]] = {}  # the steps of showing findings: main-thread CPU each
    for obj, name, label in ((window.editor, "set_findings", "editor marks"),
                             (window.findings_panel, "set_findings", "panel rows"),
                             (window.form, "set_findings", "form notes"),
                             (window.post_list.model, "set_counts", "list counts"),
                             (window.findings_panel.model, "set_findings", "panel model"),
                             (window, "_checked", "findings shown in all")):
        if obj is not None:
            tracer.timed(obj, name, label, steps)

    per_key: list[float] = []
    refresh: list[float] = []
    since_key: list[float] = []
    findings_since_key: list[float] = []
    heart = Heartbeat()
    profiler = start_profiler() if profile else None
    tracer.trace_events(window, True)
    heart.start()
    cpu_start, wall_start = time.thread_time(), time.perf_counter()
    typed = 0
    while typed < keys:
        for _ in range(burst):
            ch = TYPED[typed % len(TYPED)]
            t = time.perf_counter()
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                app.sendEvent(editor, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))
            per_key.append((time.perf_counter() - t) * 1000)
            events.append((time.perf_counter(), "key"))
            keyed.append(time.perf_counter())
            typed += 1
            wait(app, gap_ms / 1000)
        last = keyed[-1]
        n_start, n_rendered, n_checked = len(starts), len(rendered), len(checked)
        wait(app, pause_ms / 1000)
        # the refresh this pause triggered: the first start after the last key and the
        # first `rendered` after that start
        new_starts = [s for s in starts[n_start:] if s >= last]
        if new_starts:
            done = [r for r in rendered[n_rendered:] if r >= new_starts[0]]
            if done:
                refresh.append((done[0] - new_starts[0]) * 1000)
                since_key.append((done[0] - last) * 1000)
        done_checks = [c for c in checked[n_checked:] if c >= last]
        if done_checks:
            findings_since_key.append((done_checks[0] - last) * 1000)
    gaps = heart.stop()
    tracer.trace_events(window, False)
    cpu = (time.thread_time() - cpu_start) * 1000
    wall = time.perf_counter() - wall_start
    if profiler is not None:
        stop_profiler(profiler, "typing")
    explain(heart, events, tracer)
    tracer.gc_report(wall_start, "typing")
    for label, values in steps.items():
        print(f"  {label}: main-thread CPU max {max(values):.1f} ms, median {statistics.median(values):.1f}, n={len(values)}")
    print(f"  main thread's own CPU time while typing: {cpu:.0f} ms in {wall:.1f} s "
          f"({cpu / max(1, typed):.1f} ms per key, pauses' updates included)")
    print(f"  main thread's own CPU time in one gap: max {max(heart.busy):.1f} ms, "
          f"p99 {pct(heart.busy, 99):.1f}; {sum(b > FRAME_MS for b in heart.busy)} gaps with over {FRAME_MS:.0f} ms")
    return gaps, per_key, refresh, since_key, findings_since_key


def explain(heart: Heartbeat, events: list[tuple[float, str]], tracer: Tracer) -> None:
    """Print what happened during each stall over a frame (events stamped inside it;
    the preview and the checks run in processes of their own, so nothing else of
    PostDesk's runs Python in this process meanwhile), then each stall on its own
    line with the main thread's own CPU in it and what the tracer saw."""
    from collections import Counter
    seen: Counter = Counter()
    for a, b in heart.stalls:
        during = sorted({label for t, label in events if a < t <= b})
        during = during or ["nothing PostDesk stamps"]
        seen[" + ".join(during)] += 1
    for what, n in seen.most_common():
        print(f"  {n:3d} stalls over {FRAME_MS:.0f} ms during: {what}")
    for (a, b), cpu in zip(heart.stalls, heart.stall_cpu):
        print(f"    stall {(b - a) * 1000 - 1:.0f} ms, own CPU {cpu:.0f} ms: " + "; ".join(tracer.in_stall(a, b)))


def start_profiler():
    """pyinstrument on the main thread (the thread that must never stall)."""
    from pyinstrument import Profiler
    profiler = Profiler(interval=0.0005)
    profiler.start()
    return profiler


def stop_profiler(profiler, what: str) -> None:
    profiler.stop()
    print(f"--- main thread while {what} ---")
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def verdict(value: float, target: float) -> str:
    return f"{value / target:.2f} of target ({'ok' if value <= target else 'MISSED'})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--posts", type=int, default=300)
    ap.add_argument("--keys", type=int, default=120, help="characters typed")
    ap.add_argument("--burst", type=int, default=6, help="characters per burst")
    ap.add_argument("--gap-ms", type=int, default=90, help="between two characters of a burst")
    ap.add_argument("--pause-ms", type=int, default=1200, help="after each burst")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    ap.add_argument("--timeout", type=float, default=900, help="seconds to wait for the list's counts")
    ap.add_argument("--profile", action="store_true", help="pyinstrument on the main thread while typing")
    ap.add_argument("--trace", action="store_true",
                    help="stamp every event the main thread delivers, to say what each stall was")
    args = ap.parse_args()

    source = bench_site(args.work, args.posts)
    scratch = Path(tempfile.mkdtemp(prefix="postdesk-bench-window-"))
    root = scratch / "site"
    shutil.copytree(source, root)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.environ[var] = str(scratch / var.lower())  # settings of this run only
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from app.ui.app import create_app
    app = create_app(["postdesk-bench"])
    from app.ui.main_window import MainWindow
    from app.ui.workers import shutdown

    print(f"PostDesk window benchmark, {date.today()}, {platform.platform()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, QPA {app.platformName()}")
    long_path = root / "_posts" / LONG_NAME
    print(f"site: {args.posts} posts + a post of {len(long_path.read_text(encoding='utf-8')):,} characters")

    tracer = Tracer(app, events=args.trace)
    window = None
    for label in ("first open: ", "second open:"):  # the second fills its counts from the cache
        if window is not None:
            window.close()
            wait(app, 0.5)
            shutdown()
        window = MainWindow()
        window.resize(1500, 920)
        window.show()
        wait(app, 0.5)
        since = time.perf_counter()
        listed, filled = open_site(app, window, root, args.timeout)
        tracer.gc_report(since, f"the list's {label.strip(': ')} ran")
        print(f"list, {label} rows in {listed:.2f} s ({verdict(listed, LIST_S)}), counts in "
              + (f"{filled:.2f} s" if filled is not None else f"more than {args.timeout:.0f} s"))

    opened: list[float] = []
    opened_cpu: list[float] = []
    first_render: list[float] = []
    for _ in range(3):
        window.close_post()
        wait(app, 0.3)
        marks = []
        window.preview.rendered.connect(lambda: marks.append(time.perf_counter()))
        profiler = start_profiler() if args.profile else None
        t, cpu = time.perf_counter(), time.thread_time()
        window.open_post(long_path)
        opened.append((time.perf_counter() - t) * 1000)
        opened_cpu.append((time.thread_time() - cpu) * 1000)
        if profiler is not None:
            stop_profiler(profiler, "opening the long post")
        wait(app, 10, lambda: bool(marks))
        window.preview.rendered.disconnect()
        if marks:
            first_render.append((marks[0] - t) * 1000)
        wait(app, 1.5)
    print(f"open the long post: {statistics.median(opened):.0f} ms holding the window "
          f"({verdict(statistics.median(opened), OPEN_POST_MS)}; main thread's own CPU "
          f"{statistics.median(opened_cpu):.0f} ms); preview shown after "
          f"{statistics.median(first_render):.0f} ms" if first_render else "")

    heart = Heartbeat()
    heart.start()
    wait(app, 3)
    idle = heart.stop()
    print(f"idle window (the machine's floor): max stall {max(idle):.1f} ms, p99 {pct(idle, 99):.1f}, "
          f"{sum(g > FRAME_MS for g in idle)} stalls over {FRAME_MS:.0f} ms in 3 s; load {os.getloadavg()[0]:.1f}")
    gaps, per_key, refresh, since_key, findings = type_into(app, window, args.keys, args.burst, args.gap_ms,
                                                          args.pause_ms, args.profile, tracer)
    long_gaps = [g for g in gaps if g > FRAME_MS]
    print(f"typing {len(per_key)} characters ({args.burst} per burst, {args.gap_ms} ms apart, "
          f"{args.pause_ms} ms pauses):")
    print(f"  main-thread stall: max {max(gaps):.1f} ms ({verdict(max(gaps), FRAME_MS)}), p99 {pct(gaps, 99):.1f}, "
          f"p95 {pct(gaps, 95):.1f}; {len(long_gaps)} stalls over {FRAME_MS:.0f} ms")
    print(f"  key event processing: max {max(per_key):.1f} ms, p95 {pct(per_key, 95):.1f}, "
          f"median {statistics.median(per_key):.1f}")
    if refresh:
        print(f"  preview refresh (debounce fired -> page updated): p95 {pct(refresh, 95):.0f} ms "
              f"({verdict(pct(refresh, 95), PREVIEW_P95_MS)}), max {max(refresh):.0f}, "
              f"median {statistics.median(refresh):.0f}; n={len(refresh)}")
        print(f"  preview after the last key (debounce included): p95 {pct(since_key, 95):.0f} ms, "
              f"median {statistics.median(since_key):.0f}")
    if findings:
        print(f"  findings after the last key (debounce included): p95 {pct(findings, 95):.0f} ms, "
              f"median {statistics.median(findings):.0f}")
    window.editor.document().setModified(False)
    window.close()
    wait(app, 0.3)
    shutdown()
    shutil.rmtree(scratch, ignore_errors=True)
    os._exit(0)  # skip Qt's teardown of the web engine: nothing is left to measure


if __name__ == "__main__":
    main()
