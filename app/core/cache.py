"""A site's cache of check results: one SQLite file in `<site>/.postdesk-cache/`.

Why inside the site: a site's CI restores the workspace's cache folder between runs
(actions/cache and the like keep paths in the workspace), and a folder beside the
posts goes wherever the site goes. The folder holds a `.gitignore` of `*`, as
pytest's cache does, so the site's repository never commits it.

What a stored result may be reused for, and why it stays correct:

* Each post's entry is keyed by its site-relative path and the SHA-1 of its bytes.
* The whole file is keyed by a *site key*: the engine version (a digest of the core's
  own source, so editing any rule invalidates everything), the configuration's
  fingerprint, the enabled rules, and the site-level inputs every post's rules may
  read: `_config.yml` (permalink, time zone, url), `_layouts/` and `_includes/`
  (PD403's statement) and the pages (their permalinks). A different site key empties
  the cache.
* What a post's findings read of *other* files is recorded as its dependencies
  (`Dependencies`): the site-internal URLs it links to, the files its front matter
  names, and whether it uses Liquid tags. On a later run the engine evaluates them
  again against the site as it is now (which post or page each URL resolves to, and
  that post's content hash; whether each file exists; the site's listing where a link
  resolves to nothing or Liquid is used) and reuses the entry only if the answer is
  the same. So a changed post re-checks itself and the posts that link to it (PD601,
  PD602), not the site.
* Site-wide findings (PD204) are never stored: the engine recomputes that pass on every
  run from the per-post signatures stored here, so a changed post changes the other
  posts' PD204 findings at once.

A cache that cannot be read (corrupt, locked, from another version) is ignored and
rebuilt; a check never fails because of its cache.
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import sqlite3
import struct
import sys
import zlib
from array import array
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import unquote

from .findings import Edit, Finding, Fix, Severity, Span, Text

CACHE_DIR = ".postdesk-cache"
CACHE_FILE = "results.sqlite3"
SCHEMA = 1


def digest(raw: bytes) -> str:
    """The content key of a file's bytes."""
    return hashlib.sha1(raw).hexdigest()


@lru_cache(maxsize=1)
def engine_version() -> str:
    """A digest of the core's own source files (and the package version).

    Any change to a rule, the parser or the engine changes it, so results computed by
    another version of the code are never reused. A frozen build without readable
    sources falls back to the package version.
    """
    from .. import __version__
    h = hashlib.sha1(f"{__version__}/{SCHEMA}".encode())
    core = Path(__file__).resolve().parent
    for path in sorted(core.rglob("*.py")):
        try:
            h.update(path.relative_to(core).as_posix().encode())
            h.update(path.read_bytes())
        except OSError:
            continue
    return h.hexdigest()[:20]


# -- what a post's findings depend on outside its own bytes ---------------------------

@dataclass
class Dependencies:
    """What a post's rules read of other files, taken from its one parse.

    `urls`: the site-internal link targets (PD601-PD603 resolve them; PD602 reads the
    target post's title). `files`: site paths the front matter names or that the
    configuration derives from the file name (PD508's share image). `listing`: the
    result also depends on the whole set of posts, drafts and pages (a link that
    resolves to nothing gets a "did you mean" from that set; Liquid tags resolve
    against it).
    """

    urls: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    listing: bool = False

    def to_json(self) -> list:
        return [self.urls, self.files, self.listing]

    @classmethod
    def from_json(cls, data: list) -> "Dependencies":
        return cls(list(data[0]), list(data[1]), bool(data[2]))


def dependencies(post, info, site) -> Dependencies:
    """The dependencies of one parsed post (see `Dependencies`)."""
    deps = Dependencies()
    if site is None:
        return deps
    deps.urls = sorted({link.url for link in post.links if link.url.startswith("/") and not link.url.startswith("//")})
    files = set()
    for value in post.doc.fields.values():
        if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
            files.add(value.split("?", 1)[0].split("#", 1)[0])
    stem = info.stem if info is not None else (post.doc.path.stem if post.doc.path else None)
    for spec in post.config["front_matter"]["fields"].values():
        pattern = spec.get("pattern") if isinstance(spec, dict) else None
        if isinstance(pattern, str) and stem:
            files.add(pattern.replace("{stem}", stem))
    deps.files = sorted(files)
    deps.listing = "{%" in post.doc.body
    return deps


class SiteState:
    """Answers dependency questions about the site as it is now, memoised for a run.

    `post_digest(rel)` gives a post's content hash (the engine fills in the ones it has
    already read; others are read on demand).
    """

    def __init__(self, site):
        self.site = site
        self.digests: dict[str, str] = {}
        self._listing: str | None = None
        self._urls: dict[str, str] = {}

    def post_digest(self, rel: str) -> str:
        d = self.digests.get(rel)
        if d is None:
            try:
                d = digest((self.site.root / rel).read_bytes())
            except OSError:
                d = "missing"
            self.digests[rel] = d
        return d

    def listing(self) -> str:
        """A digest of every post, draft and page path (post URLs follow from them)."""
        if self._listing is None:
            names = [i.rel for i in self.site.all_posts] + [p.rel for p in self.site.pages]
            self._listing = hashlib.sha1("\n".join(names).encode()).hexdigest()
        return self._listing

    def resolve(self, url: str) -> str:
        """What `url` points at now: a post (with its content hash), a page, a file, or
        nothing (with the listing, which the "did you mean" suggestion reads)."""
        hit = self._urls.get(url)
        if hit is None:
            from .site import PageInfo, PostInfo
            target = self.site.resolve_internal(url)
            if isinstance(target, PostInfo):
                hit = f"post:{target.rel}:{self.post_digest(target.rel)}"
            elif isinstance(target, PageInfo):
                hit = f"page:{target.rel}"
            elif target is not None:
                hit = "file"
            else:
                hit = f"none:{self.listing()}"
            self._urls[url] = hit
        return hit

    def state(self, deps: Dependencies) -> str:
        """One digest of every dependency's current answer."""
        parts = [self.resolve(u) for u in deps.urls]
        root = self.site.root
        parts += [f"{f}:{(root / unquote(f).lstrip('/')).is_file()}" for f in deps.files]
        if deps.listing:
            parts.append(self.listing())
        return hashlib.sha1("\n".join(parts).encode()).hexdigest()


def site_key(site, config, rule_codes: Iterable[str]) -> str:
    """The key every entry of a site's cache shares (see the module docstring)."""
    h = hashlib.sha1(engine_version().encode())
    h.update(config.fingerprint().encode())
    h.update(",".join(sorted(rule_codes)).encode())
    root = site.root
    files = [root / "_config.yml"]
    for folder in ("_layouts", "_includes"):
        if (root / folder).is_dir():
            files.extend(sorted(p for p in (root / folder).rglob("*") if p.is_file()))
    files.extend(p.path for p in site.pages)
    for path in files:
        h.update(str(path.relative_to(root) if path.is_relative_to(root) else path).encode())
        try:
            h.update(digest(path.read_bytes()).encode())
        except OSError:
            h.update(b"-")
    return h.hexdigest()


# -- findings and signatures as JSON --------------------------------------------------

def finding_to_json(f: Finding) -> list:
    fix = None
    if f.fix is not None:
        fix = [f.fix.title.ja, f.fix.title.en, f.fix.safe, [[e.start, e.end, e.text] for e in f.fix.edits]]
    return [f.rule, f.name, f.severity.value, f.line, f.message.ja, f.message.en, f.end_line, f.col, f.end_col,
            [[s.line, s.end_line] for s in f.related], fix]


def finding_from_json(d: list) -> Finding:
    fix = None
    if d[10] is not None:
        t_ja, t_en, safe, edits = d[10]
        fix = Fix(Text(t_ja, t_en), tuple(Edit(s, e, t) for s, e, t in edits), bool(safe))
    return Finding(d[0], d[1], Severity(d[2]), d[3], Text(d[4], d[5]), d[6], d[7], d[8],
                   tuple(Span(a, b) for a, b in d[9]), fix)


def encode_value(value: Any) -> Any:
    """A signature (for PD204) as tagged JSON: containers, scalars and dataclasses of
    PostDesk's own core. Raises TypeError for anything else (that post is then simply
    not cached). JSON rather than pickle: a cache file inside a site's workspace must
    never be able to run code."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [encode_value(v) for v in value]
    if isinstance(value, tuple):
        return {"~t": [encode_value(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        items = sorted((encode_value(v) for v in value), key=json.dumps)
        return {"~s" if isinstance(value, set) else "~f": items}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("~") for k in value):
            return {k: encode_value(v) for k, v in value.items()}
        return {"~d": [[encode_value(k), encode_value(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and type(value).__module__.startswith("app.core."):
        cls = type(value)
        return {"~c": [cls.__module__, cls.__qualname__,
                       {f.name: encode_value(getattr(value, f.name)) for f in dataclasses.fields(value)}]}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _tagged(obj: dict) -> Any:
    """json's object_hook: plain objects stay dicts, tagged ones become their type
    (the decoder calls it innermost first, so values are already decoded)."""
    if len(obj) != 1:
        return obj
    (tag, body), = obj.items()
    if not tag.startswith("~"):
        return obj
    if tag == "~t":
        return tuple(body)
    if tag == "~s":
        return set(body)
    if tag == "~f":
        return frozenset(body)
    if tag == "~d":
        return {_hashable(k): v for k, v in body}
    if tag == "~c":
        module, qualname, fields = body
        if not module.startswith("app.core."):
            raise ValueError("foreign class in cache")
        cls = importlib.import_module(module)
        for part in qualname.split("."):
            cls = getattr(cls, part)
        if not dataclasses.is_dataclass(cls):
            raise ValueError("not a dataclass")
        return cls(**fields)
    raise ValueError(f"unknown tag {tag}")


def _hashable(key: Any) -> Any:
    return tuple(_hashable(k) for k in key) if isinstance(key, list) else key


def decode_value(text: str | bytes) -> Any:
    """The value `encode_value` gave, from its JSON text."""
    return json.loads(text, object_hook=_tagged)


# -- the store --------------------------------------------------------------------------

@dataclass
class Entry:
    """One post's stored result."""

    digest: str
    deps: Dependencies
    state: str  # SiteState.state(deps) when it was checked
    findings: list[Finding]
    title: str | None
    signature: Any
    draft: bool


# Characters of a post's digest kept with the stored PD204 pairs (64 bits: enough
# to tell a post's versions apart).
PAIR_DIGEST = 16


def _encode_pairs(digests: dict[str, str], scores: dict[tuple[str, str], tuple[float, float]], key: str) -> bytes:
    """The stored form of PD204's pairs: a compressed JSON header (cache key, each
    post's rel and digest), then the pairs as post numbers (uint32) and their scores
    (float64), little-endian; bytes, which SQLite keeps as a blob."""
    number: dict[str, int] = {}
    posts: list[list[str]] = []
    pairs, values = array("I"), array("d")
    for (a, b), (body, title) in scores.items():
        if a not in digests or b not in digests:
            continue
        for rel in (a, b):
            if rel not in number:
                number[rel] = len(posts)
                posts.append([rel, digests[rel][:PAIR_DIGEST]])
        pairs.extend((number[a], number[b]))
        values.extend((body, title))
    if sys.byteorder == "big":
        pairs.byteswap()
        values.byteswap()
    header = zlib.compress(json.dumps({"key": key, "posts": posts}, ensure_ascii=False,
                                      separators=(",", ":")).encode(), 1)
    return struct.pack("<II", len(header), len(pairs)) + header + pairs.tobytes() + values.tobytes()


def _decode_pairs(blob: bytes, key: str) -> tuple[list, array, array]:
    """(posts, pairs, scores) of `_encode_pairs`' bytes; ValueError for another key."""
    size, count = struct.unpack_from("<II", blob)
    header = json.loads(zlib.decompress(blob[8:8 + size]))
    if header.get("key") != key:
        raise ValueError("pairs of another cache key")
    pairs, values = array("I"), array("d")
    pairs.frombytes(blob[8 + size:8 + size + 4 * count])
    values.frombytes(blob[8 + size + 4 * count:8 + size + 12 * count])
    if sys.byteorder == "big":
        pairs.byteswap()
        values.byteswap()
    if len(pairs) != count or len(values) != count or (pairs and max(pairs) >= len(header["posts"])):
        raise ValueError("a damaged pair list")
    return [tuple(p) for p in header["posts"]], pairs, values


class ResultCache:
    """The SQLite store. Every method swallows database errors: a broken cache only
    costs time."""

    def __init__(self, path: Path, key: str):
        self.path = Path(path)
        self.key = key
        self._rows: dict[str, tuple[str, str, str, bytes]] = {}
        self._pending: dict[str, tuple] = {}
        self._db: sqlite3.Connection | None = None
        self.hits = self.misses = 0
        self._open()

    @classmethod
    def for_site(cls, site, config, rule_codes: Iterable[str]) -> "ResultCache":
        return cls(site.root / CACHE_DIR / CACHE_FILE, site_key(site, config, rule_codes))

    def _open(self) -> None:
        for attempt in range(2):
            try:
                self._connect()
                return
            except (sqlite3.Error, OSError, ValueError):
                self.close()
                if attempt == 0:
                    try:  # a corrupt or foreign file: start again
                        self.path.unlink(missing_ok=True)
                    except OSError:
                        break
        self._db = None
        self._rows = {}

    def _connect(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        ignore = self.path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# PostDesk's result cache: safe to delete\n*\n", encoding="utf-8")
        db = sqlite3.connect(self.path, timeout=5)
        self._db = db
        db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
        db.execute("CREATE TABLE IF NOT EXISTS entries (rel TEXT PRIMARY KEY, digest TEXT NOT NULL, "
                   "deps TEXT NOT NULL, state TEXT NOT NULL, data BLOB NOT NULL)")
        row = db.execute("SELECT v FROM meta WHERE k = 'key'").fetchone()
        if row is None or row[0] != self.key:
            with db:
                db.execute("DELETE FROM entries")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('key', ?)", (self.key,))
            self._rows = {}
        else:
            self._rows = {r[0]: r[1:] for r in db.execute("SELECT rel, digest, deps, state, data FROM entries")}

    def close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None

    @property
    def usable(self) -> bool:
        return self._db is not None

    def get(self, rel: str, content_digest: str, state: SiteState) -> Entry | None:
        """The stored result for this exact content, if its dependencies still give
        the same answers; None otherwise."""
        row = self._rows.get(rel)
        if row is None or row[0] != content_digest:
            self.misses += 1
            return None
        try:
            deps = Dependencies.from_json(json.loads(row[1]))
            if state.state(deps) != row[2]:
                self.misses += 1
                return None
            data = decode_value(zlib.decompress(row[3]))
            entry = Entry(row[0], deps, row[2], [finding_from_json(f) for f in data["findings"]], data["title"],
                          data["signature"], data["draft"])
        except Exception:  # a damaged row is a miss, never a crash
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def put(self, rel: str, content_digest: str, deps: Dependencies, state: SiteState,
            findings: list[Finding], title: str | None, signature: Any, draft: bool) -> None:
        try:
            data = {"findings": [finding_to_json(f) for f in findings], "title": title,
                    "signature": encode_value(signature), "draft": draft}
        except TypeError:
            return  # a signature we cannot store as JSON: this post is re-checked each run
        blob = zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), 6)
        row = (content_digest, json.dumps(deps.to_json(), ensure_ascii=False), state.state(deps), blob)
        self._rows[rel] = row
        self._pending[rel] = row

    def signature(self, rel: str, content_digest: str) -> tuple[bool, Any]:
        """(found, signature) of a post's stored result with this content, whatever its
        dependencies: signatures come from the post's own text alone."""
        row = self._rows.get(rel)
        if row is None or row[0] != content_digest:
            return False, None
        try:
            return True, decode_value(zlib.decompress(row[3]))["signature"]
        except Exception:
            return False, None

    def site_findings(self, key: str) -> dict[str, list[Finding]] | None:
        """The site-wide rules' findings (rel -> findings) stored under `key` by
        `put_site_findings`, or None when another key (or nothing) is stored."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT v FROM meta WHERE k = 'site_findings'").fetchone()
            if row is None:
                return None
            data = json.loads(row[0])
            if data.get("key") != key:
                return None
            return {rel: [finding_from_json(f) for f in found] for rel, found in data["findings"].items()}
        except Exception:  # a damaged row is a miss, never a crash
            return None

    def put_site_findings(self, key: str, findings: dict[str, list[Finding]]) -> None:
        """Store the site-wide rules' findings for the site state `key` (one row,
        replaced each time: only the latest state can be asked for again)."""
        if self._db is None:
            return
        value = json.dumps({"key": key, "findings": {rel: [finding_to_json(f) for f in found]
                                                     for rel, found in findings.items() if found}},
                           ensure_ascii=False, separators=(",", ":"))
        try:
            with self._db:
                self._db.execute("INSERT OR REPLACE INTO meta VALUES ('site_findings', ?)", (value,))
        except sqlite3.Error:
            self.close()

    def pair_scores(self, digests: dict[str, str]) -> Iterator[tuple[str, str, float, float]]:
        """PD204's pairs measured in the last whole-site pass, (rel_a, rel_b, body,
        title), of the posts whose digests (`digests`: rel -> digest) are still the
        ones they were measured on; nothing when none are stored for this cache key."""
        if self._db is None:
            return
        try:
            row = self._db.execute("SELECT v FROM meta WHERE k = 'pair_scores'").fetchone()
            if row is None:
                return
            posts, pairs, scores = _decode_pairs(bytes(row[0]), self.key)
        except Exception:  # a damaged or foreign row is a miss, never a crash
            return
        valid = [digests.get(rel, "")[:PAIR_DIGEST] == digest for rel, digest in posts]
        rels = [rel for rel, _ in posts]
        for k in range(0, len(pairs), 2):
            i, j = pairs[k], pairs[k + 1]
            if valid[i] and valid[j]:
                yield rels[i], rels[j], scores[k], scores[k + 1]

    def put_pair_scores(self, digests: dict[str, str], scores: dict[tuple[str, str], tuple[float, float]]) -> None:
        """Store PD204's measured pairs (`scores`: (rel_a, rel_b) -> (body, title)) of
        the posts in `digests`: the scores are a function of the two posts' bytes,
        the engine and the configuration, which the digests and the cache key name.
        One row, replaced each time; the pairs go as packed numbers (a whole-site
        pass at 5,000 posts measures some 34,000)."""
        if self._db is None:
            return
        try:
            value = _encode_pairs(digests, scores, self.key)
            with self._db:
                self._db.execute("INSERT OR REPLACE INTO meta VALUES ('pair_scores', ?)", (value,))
        except sqlite3.Error:
            self.close()

    def prune(self, keep: Iterable[str]) -> None:
        """Forget posts that are no longer in the site."""
        gone = set(self._rows) - set(keep)
        for rel in gone:
            self._rows.pop(rel, None)
            self._pending[rel] = None

    def save(self) -> None:
        """Write what changed in one transaction."""
        if self._db is None or not self._pending:
            return
        try:
            with self._db:
                self._db.executemany("DELETE FROM entries WHERE rel = ?",
                                     [(r,) for r, row in self._pending.items() if row is None])
                self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)",
                                     [(r, *row) for r, row in self._pending.items() if row is not None])
            self._pending.clear()
        except sqlite3.Error:
            self.close()
