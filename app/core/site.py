"""A Jekyll site as PostDesk sees it: root, configuration, posts, drafts, pages, URLs.

URLs are computed as Jekyll computes them: the permalink template filled from the
post's date (in the site's time zone when `_config.yml` sets one) and `:title` from
the file name's slug through Jekyll's default ("pretty", cased) slugify, which
drops a trailing `-`.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Iterator
from urllib.parse import unquote, urlsplit

from ruamel.yaml.error import YAMLError

from .config import CONFIG_NAME, Config, ConfigError
from .document import Document, DocumentError, decode, load_safe, plain

DEFAULT_PERMALINK = "/:year/:month/:day/:title/"
POST_NAME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)\.(md|markdown|mkd|html)$")
MARKDOWN_EXT = (".md", ".markdown", ".mkd")
_DATE_VALUE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?\s*$")


def find_root(start: Path | str) -> Path | None:
    """The site root: the nearest folder at or above `start` holding `_posts/` or
    `.editorial.yml` (as git finds its repository)."""
    p = Path(start).resolve()
    if p.is_file() or not p.exists():
        p = p.parent
    for candidate in (p, *p.parents):
        if (candidate / "_posts").is_dir() or (candidate / CONFIG_NAME).is_file():
            return candidate
    return None


def slugify(text: str) -> str:
    """Jekyll's `Utils.slugify(mode: "pretty", cased: true)`."""
    s = re.sub(r"[^\w._~!$&'()+,;=@]+", "-", text)
    return s.strip("-")


def parse_date(value: object) -> datetime | None:
    """A front-matter date (`2026-03-04 09:12:30 +0900`, a date, or a datetime) as an
    aware datetime (naive values taken as UTC offset unknown -> None tzinfo kept)."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    m = _DATE_VALUE.match(value)
    if not m:
        return None
    y, mo, d, h, mi, s, tz = m.groups()
    tzinfo = None
    if tz:
        if tz == "Z":
            tzinfo = timezone.utc
        else:
            sign = -1 if tz[0] == "-" else 1
            digits = tz[1:].replace(":", "")
            tzinfo = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        return datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), tzinfo=tzinfo)
    except ValueError:
        return None


@dataclass
class PostInfo:
    """A post or draft file, as listed (cheap: no parse until asked)."""

    path: Path
    rel: str  # site-relative, `/`-separated
    draft: bool
    file_date: date | None  # from the file name (posts only)
    slug: str  # the file name's slug part (posts: after the date)
    url: str | None = None  # set by Site for posts

    @property
    def stem(self) -> str:
        return self.path.stem


@dataclass
class PageInfo:
    path: Path
    rel: str
    url: str


class Site:
    """A site root with its configuration and its posts, drafts and pages."""

    def __init__(self, root: Path | str, config: Config | None = None):
        self.root = Path(root).resolve()
        if config is None:
            cfg_path = self.root / CONFIG_NAME
            config = Config.load(cfg_path) if cfg_path.is_file() else Config()
        self.config = config
        self.jekyll_config = self._read_jekyll_config()
        self.permalink = config["permalink"] or self.jekyll_config.get("permalink") or DEFAULT_PERMALINK
        if not isinstance(self.permalink, str):
            raise ConfigError("permalink", "expected a string")
        self.timezone = self._zone(self.jekyll_config.get("timezone"))
        self.posts: list[PostInfo] = []
        self.drafts: list[PostInfo] = []
        self.refresh()

    @classmethod
    def open(cls, path: Path | str) -> "Site":
        """Open the site holding `path` (a site root or a file/folder inside it)."""
        root = find_root(path)
        if root is None:
            p = Path(path).resolve()
            root = p if p.is_dir() else p.parent
        return cls(root)

    # -- reading ------------------------------------------------------------
    def _read_jekyll_config(self) -> dict:
        path = self.root / "_config.yml"
        if not path.is_file():
            return {}
        try:
            loaded = load_safe(decode(path.read_bytes())[0])
        except (YAMLError, DocumentError) as exc:
            raise ConfigError("", f"_config.yml cannot be read: {exc}", path) from exc
        return plain(loaded) if isinstance(loaded, dict) else {}

    @staticmethod
    def _zone(name: object):
        if not isinstance(name, str):
            return None
        try:
            from zoneinfo import ZoneInfo
            return ZoneInfo(name)
        except Exception:
            return None

    def refresh(self) -> None:
        """List posts, drafts and pages again from disk."""
        self.posts = sorted(self._list("_posts", draft=False), key=lambda p: p.rel)
        self.drafts = sorted(self._list("_drafts", draft=True), key=lambda p: p.rel)
        self.__dict__.pop("pages", None)
        self.__dict__.pop("_url_index", None)
        self.__dict__.pop("_stem_index", None)
        self._dates: dict[str, datetime | None] = {}

    def _list(self, folder: str, draft: bool) -> Iterator[PostInfo]:
        base = self.root / folder
        if not base.is_dir():
            return
        for path in base.rglob("*"):
            if not path.is_file() or path.name.startswith(".") or path.suffix.lower() not in MARKDOWN_EXT + (".html",):
                continue
            rel = path.relative_to(self.root).as_posix()
            m = POST_NAME.match(path.name)
            if draft:
                yield PostInfo(path, rel, True, None, path.stem)
            elif m:
                try:
                    fdate = date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    fdate = None
                info = PostInfo(path, rel, False, fdate, m[4])
                info.url = self._post_url(info, None)
                yield info

    @property
    def all_posts(self) -> list[PostInfo]:
        return self.posts + self.drafts

    def info_for(self, path: Path | str) -> PostInfo | None:
        p = Path(path).resolve()
        return next((i for i in self.all_posts if i.path == p), None)

    def rel(self, path: Path | str) -> str:
        p = Path(path).resolve()
        try:
            return p.relative_to(self.root).as_posix()
        except ValueError:
            return p.as_posix()

    # -- URLs ---------------------------------------------------------------
    def _post_url(self, info: PostInfo, when: datetime | None) -> str:
        if when is None:
            when = datetime.combine(info.file_date or date(1970, 1, 1), datetime.min.time())
        elif when.tzinfo is not None and self.timezone is not None:
            when = when.astimezone(self.timezone)
        title = slugify(info.slug)
        values = {
            "year": f"{when.year:04d}", "month": f"{when.month:02d}", "day": f"{when.day:02d}",
            "i_month": str(when.month), "i_day": str(when.day), "short_year": f"{when.year % 100:02d}",
            "hour": f"{when.hour:02d}", "minute": f"{when.minute:02d}", "second": f"{when.second:02d}",
            "title": title, "slug": title, "categories": "", "output_ext": ".html",
        }
        url = _PERMALINK_TOKEN.sub(lambda m: values[m.group(1)], self.permalink)
        url = _SLASHES.sub("/", url)
        return url if url.startswith("/") else "/" + url

    def post_url_with_date(self, info: PostInfo, date_value: object) -> str:
        """The URL for a post whose front matter `date:` is `date_value`: Jekyll takes
        the date from the front matter when it has one."""
        return self._post_url(info, parse_date(date_value))

    @cached_property
    def pages(self) -> list[PageInfo]:
        """Pages Jekyll would publish: Markdown/HTML files outside `_` and `.` folders
        (and node_modules/vendor), in path order.

        Those folders are pruned from the walk rather than filtered afterwards: a site
        root holds .git, _posts and the result cache, thousands of files no page can
        come from."""
        pages = []
        for folder, dirs, files in os.walk(self.root):
            top = folder == str(self.root)
            dirs[:] = [d for d in dirs if not d.startswith(("_", "."))
                       and not (top and d in ("node_modules", "vendor"))]
            for name in files:
                if name.startswith(("_", ".")) or not name.lower().endswith(MARKDOWN_EXT + (".html",)):
                    continue
                path = Path(folder, name)
                rel = path.relative_to(self.root).as_posix()
                url = self._page_permalink(path)
                if url is None:
                    stem = PurePosixPath(rel).with_suffix("")
                    url = "/" if rel in ("index.md", "index.html") else "/" + (
                        str(stem.parent) + "/" if stem.name == "index" else str(stem) + "/")
                pages.append(PageInfo(path, rel, url.replace("//", "/")))
        return sorted(pages, key=lambda p: p.rel)

    @staticmethod
    def _page_permalink(path: Path) -> str | None:
        try:
            head = path.read_bytes()[:4096]
            doc = Document.from_bytes(head if b"\n---" in head else path.read_bytes())
        except (DocumentError, OSError):
            return None
        value = doc.get("permalink")
        return value if isinstance(value, str) else None

    @cached_property
    def _url_index(self) -> dict[str, PostInfo]:
        return {_norm_url(p.url): p for p in self.posts if p.url}

    @cached_property
    def _stem_index(self) -> dict[str, PostInfo]:
        return {p.stem: p for p in self.posts}

    def post_for_url(self, url: str) -> PostInfo | None:
        return self._url_index.get(_norm_url(url))

    def post_url(self, stem: str) -> str | None:
        """`{% post_url STEM %}`."""
        info = self._stem_index.get(stem.strip())
        return info.url if info else None

    def url_for_path(self, relpath: str) -> str | None:
        """`{% link PATH %}`: the URL of a post, page or file given by its path."""
        relpath = relpath.strip().lstrip("/")
        for p in self.posts:
            if p.rel == relpath:
                return p.url
        for page in self.pages:
            if page.rel == relpath:
                return page.url
        return "/" + relpath if (self.root / relpath).is_file() else None

    def resolve_internal(self, url: str) -> object | None:
        """What a site-internal link (`/…`) points at: a PostInfo, a PageInfo, a
        Path for another file, or None. Query and fragment are ignored."""
        parts = urlsplit(url)
        path = unquote(parts.path or "/")
        post = self.post_for_url(path)
        if post:
            return post
        norm = _norm_url(path)
        for page in self.pages:
            if _norm_url(page.url) == norm:
                return page
        target = self.root / path.lstrip("/")
        if path != "/" and target.is_file() and not any(s.startswith("_") for s in Path(path.lstrip("/")).parts):
            return target
        return None


_PERMALINK_TOKEN = re.compile(
    r":(i_month|i_day|short_year|output_ext|year|month|day|hour|minute|second|title|slug|categories)")
_SLASHES = re.compile(r"/+")


def _norm_url(url: str) -> str:
    url = unquote(url.split("?", 1)[0].split("#", 1)[0])
    if url.endswith("/index.html"):
        url = url[: -len("index.html")]
    if not url.endswith("/") and "." not in url.rsplit("/", 1)[-1]:
        url += "/"
    return url
