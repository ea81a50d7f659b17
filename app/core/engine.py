"""Run the rules over one post or a whole site.

One parse per post; every rule reads it. Site-wide rules (PD204) run in a second
pass over small per-post signatures, so a site check holds no more than one parsed
post at a time. Severities and on/off come from the configuration; inline
`postdesk-disable` comments are applied as a filter after the rules ran, as
markdownlint and textlint do.

A site check can use every core (`jobs`): the posts go out in chunks to worker
processes, each of which builds its own Engine once, and the results come back in
the serial order. It can also reuse earlier results (`cache`, see cache.py): only
posts whose bytes or dependencies changed are parsed again; the site-wide pass is
recomputed every time from the stored signatures.
"""
from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import re
import sys
import threading
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import cache as cache_mod
from .config import Config
from .document import Document, DocumentError
from .findings import Finding, Severity, Text, count_by_severity
from .parse import ParsedPost
from .rules import REGISTRY, Context, Rule
from .site import PostInfo, Site

_DIRECTIVE = re.compile(r"<!--\s*postdesk-(disable-next-line|disable|enable)\b([^>]*?)-->")
_CODE = re.compile(r"PD\d{3}")


@dataclass
class FileResult:
    path: Path
    rel: str  # site-relative, `/`-separated
    findings: list[Finding] = field(default_factory=list)
    signature: object = None  # for site-wide rules (PD204)
    title: str | None = None
    draft: bool = False
    digest: str | None = None  # content hash of the bytes checked (for the result cache)
    deps: object = None  # cache.Dependencies: what the findings read of other files

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)


def _problem_finding(problem: DocumentError) -> Finding:
    r = REGISTRY.get(problem.code)
    name = r.name if r else problem.code
    return Finding(problem.code, name, Severity.ERROR, problem.line, problem.message, col=problem.col)


def suppressed_lines(lines: list[str]) -> Callable[[str, int], bool]:
    """A predicate `(code, line) -> bool` from the post's inline directives.

    `<!-- postdesk-disable PD106 -->` … `<!-- postdesk-enable PD106 -->` (no codes:
    every rule), `<!-- postdesk-disable-next-line PD201 -->`.
    """
    ranges: list[tuple[frozenset | None, int, int]] = []  # (codes or None=all, first, last)
    open_: dict[object, int] = {}
    if not any("postdesk-" in text for text in lines):  # most posts: no directive to look for
        return lambda code, line: False
    for i, text in enumerate(lines, start=1):
        for m in _DIRECTIVE.finditer(text):
            kind, codes = m.group(1), frozenset(_CODE.findall(m.group(2))) or None
            if kind == "disable-next-line":
                ranges.append((codes, i + 1, i + 1))
            elif kind == "disable":
                for c in codes or [None]:
                    open_.setdefault(c, i)
            else:
                for c in (codes or list(open_)):
                    if c in open_:
                        ranges.append((None if c is None else frozenset([c]), open_.pop(c), i))
    for c, start in open_.items():
        ranges.append((None if c is None else frozenset([c]), start, len(lines)))
    if not ranges:
        return lambda code, line: False

    def is_suppressed(code: str, line: int) -> bool:
        return any(first <= line <= last and (codes is None or code in codes) for codes, first, last in ranges)
    return is_suppressed


class Engine:
    """Checks posts against the rules, with a site's configuration."""

    def __init__(self, site: Site | None = None, config: Config | None = None, rules: Iterable[str] | None = None):
        self.site = site
        self.config = config or (site.config if site else Config())
        wanted = set(rules) if rules is not None else None
        self.rules: list[Rule] = [r for code, r in sorted(REGISTRY.items())
                                  if (wanted is None or code in wanted) and self.config.rule_enabled(code)]
        self.post_rules = [r for r in self.rules if r.family != "similar"]
        self.site_rules = [r for r in self.rules if r.family == "similar"]
        # The similarity index the last `check_site` built (None when it built none:
        # no site rules, or every finding reused from the cache).
        self.site_index = None

    # -- one post -----------------------------------------------------------
    def parse(self, doc: Document) -> ParsedPost:
        return ParsedPost(doc, self.config, self.site)

    def check_document(self, doc: Document, info: PostInfo | None = None, index=None) -> list[Finding]:
        """Every finding for one document (site-wide rules too, when `index` is given)."""
        result = self._check(doc, info)
        if index is not None and result.signature is not None:
            result.findings.extend(self._site_findings(result, index, doc))
            result.findings = self._finish(result.findings, doc.lines)
        return result.findings

    def _check(self, doc: Document, info: PostInfo | None) -> FileResult:
        rel = info.rel if info else (doc.path.name if doc.path else "")
        result = FileResult(doc.path or Path(rel), rel, draft=bool(info and info.draft))
        findings: list[Finding] = []
        fm_ok = doc.problem is None
        if doc.problem is not None:
            findings.append(_problem_finding(doc.problem))
        post = self.parse(doc)
        ctx = Context(post, self.site, info)
        for r in self.post_rules:
            if r.needs_front_matter and not fm_ok:
                continue
            ctx.rule = r
            findings.extend(r.check(ctx))
        result.title = doc.get("title") if fm_ok else None
        if self.site_rules:
            from .rules import similar  # the family that provides signatures
            result.signature = similar.signature(post)
        result.deps = cache_mod.dependencies(post, info, self.site)
        result.findings = self._finish(findings, doc.lines)
        return result

    def _finish(self, findings: list[Finding], lines: list[str]) -> list[Finding]:
        """Configured severities, inline suppression, stable order."""
        hidden = suppressed_lines(lines)
        out = []
        for f in findings:
            if hidden(f.rule, f.line):
                continue
            sev = self.config.rule_severity(f.rule, f.severity.value)
            out.append(f if sev == f.severity.value else f.with_severity(Severity(sev)))
        return sorted(set(out), key=Finding.sort_key)

    def _site_findings(self, result: FileResult, index, doc: Document | None = None) -> list[Finding]:
        ctx = Context(None, self.site, None, index)  # type: ignore[arg-type]
        ctx.shared["rel"] = result.rel
        ctx.shared["signature"] = result.signature
        out = []
        for r in self.site_rules:
            ctx.rule = r
            out.extend(r.check(ctx))
        return out

    def check_path(self, path: Path, info: PostInfo | None = None) -> FileResult:
        """Check a file on disk; an unreadable file gets its PD500 finding."""
        rel = info.rel if info else (self.site.rel(path) if self.site else path.name)
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            msg = Text(f"ファイルを読めません: {exc.strerror}", f"Cannot read the file: {exc.strerror}")
            return FileResult(path, rel, [Finding("PD500", "unreadable-file", Severity.ERROR, 1, msg)])
        return self.check_bytes(raw, path, info)

    def check_bytes(self, raw: bytes, path: Path, info: PostInfo | None = None) -> FileResult:
        """Check a file's bytes as read from `path` (the result carries their digest)."""
        rel = info.rel if info else (self.site.rel(path) if self.site else path.name)
        try:
            doc = Document.from_bytes(raw, path)
        except DocumentError as exc:
            result = FileResult(path, rel, [_problem_finding(exc)], draft=bool(info and info.draft))
            result.deps = cache_mod.Dependencies()  # unreadable bytes: nothing else is read
        else:
            result = self._check(doc, info)
        result.digest = cache_mod.digest(raw)
        return result

    # -- a site -------------------------------------------------------------
    def check_site(self, paths: Iterable[Path] | None = None,
                   progress: Callable[[int, int, FileResult], None] | None = None,
                   cancelled: Callable[[], bool] | None = None, *,
                   jobs: int | None = None, cache: "cache_mod.ResultCache | None" = None) -> list[FileResult]:
        """Check `paths` (default: every post and draft of the site).

        `jobs`: worker processes (None: every core when there are enough posts to pay
        for starting them; 1: in this process). `cache`: a ResultCache to reuse and
        update (None: check everything, store nothing). Either way the results are the
        same, in the same order.
        """
        infos = self._targets(paths)
        total = len(infos)
        results: list[FileResult | None] = [None] * total
        done = 0
        state = cache_mod.SiteState(self.site) if cache is not None and self.site is not None else None
        todo: list[int] = []
        hits: list[FileResult] = []
        for i, (path, info) in enumerate(infos):
            hit = self._cached(cache, state, path, info) if state is not None else None
            if hit is None:
                todo.append(i)
                continue
            results[i] = hit
            hits.append(hit)
            done += 1
            if progress:
                progress(done, total, hit)
        # PD204's index grows as the workers' results come in (see add_measured); the
        # cached results join it with the first checked one, so a run that checks
        # nothing (and may reuse the whole pass's findings) builds none here.
        index = self._new_index() if self.site_rules and self.site is not None else None
        self.site_index = None
        for i, res in self._run(infos, todo, jobs, cancelled):
            results[i] = res
            done += 1
            if state is not None:
                self._store(cache, state, res)
            if index is not None:
                for hit in hits:
                    index.add(hit.rel, hit.signature)
                hits.clear()
                index.add_measured(res.rel, res.signature)
            if progress:
                progress(done, total, res)
        checked = [r for r in results if r is not None]
        if cache is not None:
            if paths is None and len(checked) == total and self.site is not None:
                cache.prune(i.rel for i in self.site.all_posts)
            cache.save()
        if index is not None:
            self._apply_site_rules(checked, cache, state, index)
        return checked

    def _cached(self, cache, state, path: Path, info: PostInfo | None) -> FileResult | None:
        """The stored result for this file's current bytes and dependencies, if any."""
        rel = info.rel if info else self.site.rel(path)
        try:
            raw = Path(path).read_bytes()
        except OSError:
            return None
        content = cache_mod.digest(raw)
        state.digests[rel] = content
        entry = cache.get(rel, content, state)
        if entry is None:
            return None
        return FileResult(path, rel, entry.findings, entry.signature, entry.title, entry.draft, content, entry.deps)

    @staticmethod
    def _store(cache, state, res: FileResult) -> None:
        if res.digest is None or res.deps is None:
            return  # unreadable: check it again next time
        state.digests[res.rel] = res.digest
        cache.put(res.rel, res.digest, res.deps, state, res.findings, res.title, res.signature, res.draft)

    def _run(self, infos, todo: list[int], jobs: int | None,
             cancelled: Callable[[], bool] | None) -> Iterator[tuple[int, FileResult]]:
        """(index, result) for each post in `todo`, in order, here or in workers."""
        workers = self._workers(len(todo), jobs)
        if workers <= 1:
            for i in todo:
                if cancelled and cancelled():
                    return
                yield i, self.check_path(*infos[i])
            return
        yield from self._run_parallel(infos, todo, workers, cancelled)

    @staticmethod
    def _workers(n: int, jobs: int | None) -> int:
        """How many processes: starting one costs about as much as checking a few
        dozen posts, so small batches stay in this process."""
        if jobs is not None:
            return max(1, min(jobs, n))
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        return max(1, min(cores, n // PARALLEL_MIN_POSTS))

    def _run_parallel(self, infos, todo: list[int], workers: int,
                      cancelled: Callable[[], bool] | None) -> Iterator[tuple[int, FileResult]]:
        """Chunks of posts to `workers` processes; results yielded in serial order as
        the chunks finish (a chunk that finishes early waits for its predecessors)."""
        chunks = _chunks(todo, workers)
        ready: dict[int, list[FileResult]] = {}
        next_chunk = 0
        with ProcessPoolExecutor(workers, mp_context=_mp_context(), initializer=_init_worker,
                                 initargs=(self.site, self.config, [r.code for r in self.rules])) as pool:
            pending = {pool.submit(_check_chunk, [infos[i] for i in chunk]): n for n, chunk in enumerate(chunks)}
            try:
                while pending:
                    finished, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                    if cancelled and cancelled():
                        return
                    for fut in finished:
                        ready[pending.pop(fut)] = fut.result()
                    while next_chunk in ready:
                        for i, res in zip(chunks[next_chunk], ready.pop(next_chunk)):
                            yield i, res
                        next_chunk += 1
            finally:
                for fut in pending:
                    fut.cancel()

    def _targets(self, paths: Iterable[Path] | None) -> list[tuple[Path, PostInfo | None]]:
        if paths is None:
            if self.site is None:
                return []
            return [(i.path, i) for i in self.site.all_posts]
        out = []
        by_path = {i.path: i for i in self.site.all_posts} if self.site else {}
        for p in paths:
            p = Path(p).resolve()
            out.append((p, by_path.get(p)))
        return out

    def _apply_site_rules(self, results: list[FileResult], cache=None, state=None, index=None) -> None:
        """PD204 over the whole site: posts not among `results` join the index too
        (`index`: one that already holds some of them, else a new one); it is kept
        as `site_index`.

        With a cache, a run over the whole site whose every post has the same bytes
        as the last such run reuses that run's findings: they are a function of the
        posts' signatures, which are a function of their bytes (and of the engine and
        configuration, which the cache's own key holds). Comparing every candidate
        pair again is most of a warm run's work. When the pass does run, the pairs
        the last one measured (stored with both posts' digests) are taken as
        measured where both posts are unchanged, so only a changed post's pairs are
        measured again."""
        key = self._site_state_key(results, cache)
        found = cache.site_findings(key) if key is not None else None
        if found is None:
            index = self.build_index(results, cache=cache, state=state, into=index)
            self.site_index = index
            digests = {res.rel: res.digest for res in results if res.digest is not None}
            if cache is not None:
                # PD204's pairs measured last time whose posts are unchanged: only the
                # pairs of changed posts are measured again.
                index.seed(cache.pair_scores(digests))
            found = {res.rel: self._site_findings(res, index) for res in results if res.signature is not None}
            if key is not None:
                cache.put_site_findings(key, found)
                cache.put_pair_scores(digests, index.measured())
        for res in results:
            extra = found.get(res.rel) if res.signature is not None else None
            if extra:
                lines = res.path.read_text(encoding="utf-8-sig", errors="replace").split("\n") if res.path.exists() else []
                res.findings = self._finish(res.findings + extra, lines)

    def _site_state_key(self, results: list[FileResult], cache) -> str | None:
        """A digest of every post's bytes when `results` cover the whole index (each
        of the site's posts, each with its bytes' digest), else None (some post's
        signature would come from outside `results`)."""
        if cache is None or self.site is None or any(r.digest is None for r in results):
            return None
        if not {i.rel for i in self.site.posts} <= {r.rel for r in results}:
            return None
        h = hashlib.sha1(cache.key.encode())
        for rel, content in sorted((r.rel, r.digest) for r in results):
            h.update(f"\0{rel}\0{content}".encode())
        return h.hexdigest()

    def _new_index(self):
        from .rules import similar
        return similar.SimilarityIndex(self.config)

    def build_index(self, results: Iterable[FileResult] = (), *, cache=None, state=None, into=None):
        """The cross-post similarity index over every post of the site (`into`: an
        index to complete, else a new one).

        Posts outside `results` are added from the cache's stored signatures where
        their bytes are unchanged, else parsed here.
        """
        index = self._new_index() if into is None else into
        seen = set()
        for res in results:
            if res.signature is not None:
                index.add(res.rel, res.signature)
                seen.add(res.rel)
        if self.site is not None:
            for info in self.site.posts:
                if info.rel in seen:
                    continue
                sig = self._signature_of(info, cache, state)
                if sig is not None:
                    index.add(info.rel, sig)
        return index

    def _signature_of(self, info: PostInfo, cache, state):
        """A post's PD204 signature: from the cache when its bytes are unchanged."""
        from .rules import similar
        try:
            raw = info.path.read_bytes()
        except OSError:
            return None
        if cache is not None:
            found, sig = cache.signature(info.rel, state.digests.get(info.rel) or cache_mod.digest(raw))
            if found:
                return sig
        try:
            doc = Document.from_bytes(raw, info.path)
        except DocumentError:
            return None
        return similar.signature(self.parse(doc))


PARALLEL_MIN_POSTS = 24  # below this many posts per extra process, stay serial

_WORKER: Engine | None = None


def _mp_context():
    """fork where it is safe (no other threads: the command line), else forkserver
    (a window's check thread must not fork a threaded process); spawn off Linux."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and _single_threaded():
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["app.core.engine"])
        return ctx
    return multiprocessing.get_context("spawn")


def _single_threaded() -> bool:
    """True when this process runs one thread only, counted by the kernel: threads
    Python did not start (Qt's, a thread pool's in a C library) do not show in
    `threading.active_count()`, and forking a process while one of them holds a lock
    leaves the child stuck on it."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return threading.active_count() == 1


def _init_worker(site: Site | None, config: Config, rule_codes: list[str]) -> None:
    """Each worker builds its Engine once."""
    global _WORKER
    _WORKER = Engine(site, config, rule_codes)
    # A check allocates hundreds of short-lived objects per post (tokens, blocks,
    # findings) and frees them by reference counting; what lives long (modules,
    # compiled patterns, the site) is set up by now. Freezing it keeps the cyclic
    # collector from walking it again, and a larger first generation lets it run
    # less often over the short-lived rest.
    gc.freeze()
    gc.set_threshold(10_000, 50, 50)


def _chunks(todo: list[int], workers: int) -> list[list[int]]:
    """`todo` cut into consecutive chunks for `workers` processes, shrinking as the
    end nears (guided scheduling): a chunk is at most 24 posts and at least 2, and
    about a sixteenth of what is left per worker. Sending a chunk costs far less
    than checking a post, and the chunk that finishes last leaves the other workers
    idle: with chunks of 15 (a 1,000-post site on two cores) that was some 75 ms of
    a core on average; the last chunks are now two posts (some 20 ms)."""
    chunks = []
    k = 0
    while k < len(todo):
        size = max(2, min(24, (len(todo) - k) // (workers * 8)))
        chunks.append(todo[k:k + size])
        k += size
    return chunks


def _check_chunk(items: list[tuple[Path, PostInfo | None]]) -> list[FileResult]:
    assert _WORKER is not None
    return [_WORKER.check_path(path, info) for path, info in items]


def summary(results: Iterable[FileResult]) -> dict[str, int]:
    results = list(results)
    counts = count_by_severity(f for r in results for f in r.findings)
    return {"files": len(results), "errors": counts[Severity.ERROR], "warnings": counts[Severity.WARNING],
            "infos": counts[Severity.INFO]}


def iter_findings(results: Iterable[FileResult]) -> Iterator[tuple[FileResult, Finding]]:
    for r in results:
        for f in r.findings:
            yield r, f
