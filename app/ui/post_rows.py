"""A post's row in the list, read from its front matter. Qt-free: the list's pass
reads rows in worker processes, which import this module and never Qt."""
from __future__ import annotations

from dataclasses import dataclass

from app.core.document import Document, DocumentError
from app.core.site import PostInfo, parse_date


@dataclass
class PostRow:
    info: PostInfo
    title: str = ""
    category: str = ""
    date: str = ""  # ISO-like text for display and sort
    draft: bool = False
    unpublished: bool = False  # `published: false` in _posts
    errors: int | None = None  # None: not checked yet
    warnings: int | None = None

    @property
    def status_key(self) -> str:
        return "draft" if self.draft or self.unpublished else "published"


def blank_row(info: PostInfo) -> PostRow:
    """What the list shows before the post is read: the file name's slug and date."""
    return PostRow(info, title=info.slug, draft=info.draft,
                   date=info.file_date.isoformat() if info.file_date else "")


def read_row(info: PostInfo) -> PostRow:
    """A post's metadata for its row (a worker: no Qt). Counts come later."""
    row = blank_row(info)
    try:
        doc = Document.load(info.path)
    except (DocumentError, OSError):
        return row
    fields = doc.fields
    title = fields.get("title")
    if isinstance(title, str) and title.strip():
        row.title = title
    cats = fields.get("categories")
    if isinstance(cats, list) and cats:
        row.category = str(cats[0])
    elif isinstance(cats, str):
        row.category = cats
    when = parse_date(fields.get("date"))
    if when is not None:
        row.date = when.strftime("%Y-%m-%d %H:%M")
    row.unpublished = fields.get("published") is False
    return row


def read_rows(infos: list[PostInfo]) -> list[PostRow]:
    """`read_row` for a chunk of posts (one round trip to a worker process)."""
    return [read_row(info) for info in infos]
