"""Publishing: a draft becomes a dated post; a `published: false` post goes live.

A draft `_drafts/<slug>.md` moves to `_posts/YYYY-MM-DD-N-<slug>.md`, N being the
next free number on that day and the slug ASCII, cut at 30 characters; its `date:`
is set (`2026-03-04 09:12:30 +0900`, the site's time zone) through the lossless
`Document.with_field`, so nothing else in the file changes (the share image path
follows the new file name when it followed the draft's). A post with
`published: false` loses that field. Whether findings allow publishing is the
caller's decision: `split_findings()` gives the errors that block and the warnings
to confirm.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .document import Document, DocumentError, atomic_write
from .findings import Edit, Finding, Severity, Text
from .site import POST_NAME, Site

SLUG_MAX = 30
_DAY_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})-(\d+)-")


class PublishError(Exception):
    def __init__(self, message: Text):
        super().__init__(message.en)
        self.message = message


@dataclass(frozen=True)
class PublishPlan:
    source: Path
    target: Path
    doc: Document
    image_move: tuple[Path, Path] | None = None


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters, digits and `-`, at most 30 characters (a trailing `-`
    left by the cut is kept, as the blog's file names do)."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:SLUG_MAX]


def split_findings(findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(errors that block publishing, warnings that need confirmation)."""
    return ([f for f in findings if f.severity == Severity.ERROR],
            [f for f in findings if f.severity == Severity.WARNING])


def format_date(when: datetime) -> str:
    """`2026-03-04 09:12:30 +0900`: the house format (a string, not a YAML timestamp)."""
    return when.strftime("%Y-%m-%d %H:%M:%S %z")


def next_number(posts_dir: Path, day: date) -> int:
    """The next free N for `YYYY-MM-DD-N-…` files on `day`."""
    prefix = day.isoformat()
    used = [int(m.group(2)) for p in (posts_dir.iterdir() if posts_dir.is_dir() else [])
            if (m := _DAY_FILE.match(p.name)) and m.group(1) == prefix]
    return max(used, default=0) + 1


def _now(site: Site, now: datetime | None) -> datetime:
    if now is None:
        now = datetime.now().astimezone()
    elif now.tzinfo is None:
        now = now.astimezone()
    if site.timezone is not None:
        now = now.astimezone(site.timezone)
    return now.replace(microsecond=0)


def _draft_slug(path: Path) -> str:
    stem = path.stem
    m = POST_NAME.match(path.name)
    if m:  # a dated name in _drafts: keep only its slug
        stem = re.sub(r"^\d+-", "", m.group(4))
    return ascii_slug(stem) or "post"


def set_date(doc: Document, value: str) -> Document:
    """Set `date:` unquoted, as the house writes it (a YAML string, since the space
    before the offset makes it no timestamp), replacing the key's own lines or, for
    a new key, right after `title:` (the house order). Used by publishing and by the
    form. `with_field` would quote it like its siblings."""
    line = f"date: {value}"
    span = doc.field_lines("date") or doc.field_lines("title")
    if span is None:
        return doc.with_field("date", value)
    first, last = span
    end = doc.offset(last) + len(doc.lines[last - 1])
    if doc.field_lines("date") is not None:
        return doc.with_edits([Edit(doc.offset(first), end, line)])
    return doc.with_edits([Edit(end, end, "\n" + line)])


def _image_pattern(site: Site) -> str | None:
    spec = site.config.fields.get("image") or {}
    return spec.get("pattern")


def plan(site: Site, path: Path | str, *, now: datetime | None = None, doc: Document | None = None) -> PublishPlan:
    """What publishing `path` would do (nothing is written)."""
    path = Path(path).resolve()
    if doc is None:
        try:
            doc = Document.load(path)
        except DocumentError as exc:  # not text, another encoding: nothing is written
            raise PublishError(exc.message) from exc
    if doc.problem is not None:
        raise PublishError(Text("フロントマターが読めないため公開できません。",
                                "The front matter cannot be read, so the post cannot be published."))
    drafts = (site.root / "_drafts").resolve()
    if path.parent == drafts or drafts in path.parents:
        when = _now(site, now)
        posts = site.root / "_posts"
        slug = _draft_slug(path)
        target = posts / f"{when.date().isoformat()}-{next_number(posts, when.date())}-{slug}{path.suffix}"
        new = set_date(doc, format_date(when))
        if new.get("published") is False:
            new = new.without_field("published")
        image_move = None
        pattern = _image_pattern(site)
        if pattern and "{stem}" in pattern and doc.get("image") == pattern.replace("{stem}", path.stem):
            new_image = pattern.replace("{stem}", target.stem)
            new = new.with_field("image", new_image)
            old_file = site.root / pattern.replace("{stem}", path.stem).lstrip("/")
            if old_file.is_file():
                image_move = (old_file, site.root / new_image.lstrip("/"))
        return PublishPlan(path, target, new, image_move)
    if doc.get("published") is False:
        return PublishPlan(path, path, doc.without_field("published"))
    raise PublishError(Text("この記事はすでに公開されています。", "This post is already published."))


def publish(site: Site, path: Path | str, *, now: datetime | None = None, doc: Document | None = None) -> Path:
    """Publish `path`; returns the post's path. The new file is written (atomically)
    before the draft is removed, so a failure loses nothing."""
    p = plan(site, path, now=now, doc=doc)
    if p.target != p.source and p.target.exists():
        raise PublishError(Text(f"{p.target.name} はすでに存在します。", f"{p.target.name} already exists."))
    p.target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(p.target, p.doc.to_bytes())
    if p.target != p.source:
        os.unlink(p.source)
        if p.image_move and not p.image_move[1].exists():
            os.replace(*p.image_move)
    site.refresh()
    return p.target
