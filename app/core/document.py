"""A post's bytes as a lossless document: front matter + body.

The bytes are decoded once; a BOM, the newline style (even mixed), the front-matter
delimiters and every byte of the body are kept. Everything PostDesk reads works on
`Document.text`, the normalised text (no BOM, `\\n` newlines); everything it writes
goes through `with_edits()` or `with_field()`, which map offsets back onto the
original text so that only what changed changes.

Front matter is split here rather than by python-frontmatter, which strips the body,
misses front matter behind a BOM and rewrites CRLF as LF. Its YAML is read with
ruamel.yaml's round-trip loader; a field edit re-dumps only that field, styled like
the value it replaces (or like its siblings), and splices it into the original text.

Checking a post only reads values and key lines, so the round-trip tree (comments,
quoting, key order: ~2 ms a post) is built only when something needs it (`data`, an
edit). Values and lines are first read with ruamel's C-accelerated safe loader
(ruamel.yaml.clib) when the front matter is in the plain subset of YAML on which it
provably reads what the round-trip loader reads (see `_fast_load`); anything else, and
every malformed front matter, goes through the round-trip loader as before, so its
values, lines and errors are the round-trip loader's own.
"""
from __future__ import annotations

import io
import os
import re
import tempfile
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime
from itertools import accumulate
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor, SafeConstructor
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, SequenceNode
try:  # ruamel.yaml.clib: the C parser (a dependency; missing only on an odd platform)
    from ruamel.yaml.cyaml import CParser
except ImportError:  # pragma: no cover - exercised where ruamel.yaml.clib has no wheel
    CParser = None
from ruamel.yaml.reader import Reader
from ruamel.yaml.resolver import VersionedResolver, _DEFAULT_YAML_VERSION
from ruamel.yaml.timestamp import TimeStamp
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    PlainScalarString,
    ScalarString,
    SingleQuotedScalarString,
)

from .findings import Edit, Text

BOM = b"\xef\xbb\xbf"
_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


class DocumentError(Exception):
    """Why a file cannot be read as a post. `code` is the rule that reports it."""

    def __init__(self, code: str, message: Text, line: int = 1, col: int | None = None):
        super().__init__(message.en)
        self.code = code
        self.message = message
        self.line = line
        self.col = col


def _lenient_timestamp(base):
    """A timestamp constructor that leaves an impossible date (`2026-02-30`) as the
    string it was, as Jekyll's YAML reader does, so PD504 can name it instead of the
    whole front matter failing to load."""
    def construct(self, node, values=None):
        try:
            return base.construct_yaml_timestamp(self, node, values)
        except ValueError:
            return self.construct_scalar(node)
    return construct


class _RoundTrip(RoundTripConstructor):
    pass


class _Safe(SafeConstructor):
    pass


class _Fast(SafeConstructor):
    """The fast loader's constructor: safe, except that timestamps are built by the
    round-trip constructor's own code, so a date with a time zone or a `T` is the same
    `TimeStamp` (with the same `str()`) that the round-trip load gives."""


_RoundTrip.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp(RoundTripConstructor))
_Safe.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp(SafeConstructor))
_Fast.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp(RoundTripConstructor))


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.Constructor = _RoundTrip
    y.preserve_quotes = True
    y.width = 4096
    y.allow_unicode = True
    return y


class _FastResolver(VersionedResolver):
    """ruamel's resolver for `YAML(typ="safe")`, with its YAML version fixed.

    The stock one asks the loader for the version on every scalar, through two
    attribute lookups that fail on the C parser (two exceptions a scalar, ~20 a
    post), and then builds its table of implicit types again for each new loader.
    The fast load never sees a `%YAML` directive (`_ROUND_TRIP_ONLY` sends `^%` to
    the round-trip loader), so the version is always ruamel's default and the table
    for it can be built once and shared: it is only read after that.
    """

    processing_version = _DEFAULT_YAML_VERSION
    _shared_table: dict = {}

    def __init__(self, loadumper) -> None:
        super().__init__(loadumper=loadumper)
        self._version_implicit_resolver = _FastResolver._shared_table


if CParser is not None:
    class _FastLoader(CParser, _Fast, _FastResolver):  # type: ignore[misc,valid-type]
        """The loader `YAML(typ="safe")` makes on the C parser, made once as a class.

        ruamel builds this same combination (its `XLoader`: C reader, scanner,
        parser and composer; Python constructor and resolver) as a new class on
        every `YAML.compose` call, after a `YAML()` that globs for plug-ins: about
        half of a post's front-matter time. `allow_duplicate_keys` is YAML()'s
        default, so a duplicate key fails here as it does there.
        """

        allow_duplicate_keys = False

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            self._parser = self._composer = self
            _Fast.__init__(self, loader=self)
            _FastResolver.__init__(self, loadumper=self)

    _FastResolver(None).versioned_resolver  # fill the shared table while single-threaded
else:  # pragma: no cover
    _FastLoader = None


# Text the fast load leaves to the round-trip loader, found by one search:
# - an anchor, alias or tag at the start of a token (the round-trip loader keeps an
#   anchored `true` as a ScalarBoolean, a tagged scalar as a TaggedScalar, a `!!set`
#   as a CommentedSet), a merge key `<<` (it orders merged keys differently) and a
#   directive (`%YAML 1.1` changes how values resolve). A match inside a quoted
#   string only costs the slow path;
# - what the two parsers may count or read differently: tabs, lone CRs, the
#   Unicode line breaks U+0085/U+2028/U+2029, a BOM, and every character ruamel's
#   reader refuses (its error message is the round-trip loader's to give);
# - a `:` right after a quote or a closing bracket and right before a value:
#   libyaml reads `["x":y]` as a one-pair mapping where ruamel's parser refuses it;
# - a block scalar header (`|`, `>-`, `|2`) followed by anything but a space or the
#   line's end: libyaml takes `|#` as a header and a comment, ruamel refuses it.
_ROUND_TRIP_ONLY = re.compile(
    r"(?:^|[\s\[\]{},:])[&*!]|<<|^%|[\"'\]}]:(?!\s)|(?:^|\s)[|>][-+0-9]*[^-+0-9\s]"
    r"|[\t\r\x85\u2028\u2029\ufeff]|" + Reader.NON_PRINTABLE.pattern,
    re.MULTILINE)

# The Python types a fast value may hold. The round-trip loader gives subclasses
# of these (ScalarString, ScalarInt, ScalarFloat, CommentedMap, CommentedSeq) that
# `plain()` turns into exactly these; anything else (bytes, sets, ordered pairs) is
# left to the round-trip loader.
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None), date, datetime, TimeStamp})


def _is_plain(value: Any) -> bool:
    """Whether a fast-loaded value is made only of `_PLAIN_TYPES`, lists and
    string-keyed dicts (keys of other types print differently after `plain()`)."""
    kind = type(value)
    if kind is dict:
        return all(type(k) is str and _is_plain(v) for k, v in value.items())
    if kind is list:
        return all(map(_is_plain, value))
    return kind in _PLAIN_TYPES


@dataclass(frozen=True)
class _FastLoad:
    """What checking reads from the front matter, without the round-trip tree.

    `keys` holds each top-level key's 0-based YAML line, in document order, and
    `items` the (line, column) of each item of a top-level list: the same marks of
    the same nodes that the round-trip constructor stores in `lc`.
    """

    values: dict[str, Any]
    keys: tuple[tuple[int, str], ...]
    items: dict[str, tuple[tuple[int, int], ...]]


def _fast_load(yaml_text: str) -> _FastLoad | None:
    """The front matter read by the C safe loader, or None to use the round-trip one.

    None whenever the text is outside the plain subset (`_ROUND_TRIP_ONLY`), the
    fast load fails in any way (the round-trip loader then gives the error, as before), the
    front matter is not a mapping, or a value is not plain (`_is_plain`).
    tests/core/test_document_fast_load.py proves on generated front matter and every
    fixture post that a non-None answer equals the round-trip load's values and lines.
    """
    if _ROUND_TRIP_ONLY.search(yaml_text):
        return None
    if _FastLoader is None:
        return None
    loader = _FastLoader(yaml_text)
    try:
        node = loader.get_single_node()
        if not isinstance(node, MappingNode):
            return None
        values = loader.construct_document(node)
        if not _is_plain(values):
            return None
    except Exception:  # noqa: BLE001 - any failure here only means "ask the round-trip loader"
        # A YAML error, a constructor's TypeError on a mapping used as a key, a
        # RecursionError on deep nesting: the round-trip loader then fails (or
        # answers) in its own way.
        return None
    finally:
        loader.dispose()
    # Keys are unique (a duplicate fails the load) and merge keys never get here,
    # so the dict's keys and the mapping node's pairs are in step.
    pairs = list(zip(values, node.value))
    keys = tuple((key_node.start_mark.line, key) for key, (key_node, _) in pairs)
    items = {key: tuple((i.start_mark.line, i.start_mark.column) for i in value_node.value)
             for key, (_, value_node) in pairs if isinstance(value_node, SequenceNode)}
    return _FastLoad(values, keys, items)


def _round_trip_load(yaml_text: str) -> Any:
    """The lossless tree (a CommentedMap for a well-formed front matter)."""
    return _yaml().load(yaml_text) if yaml_text.strip() else CommentedMap()


def _unplaced_problem(exc: Exception) -> Text:
    """PD502's message for a load that failed without a position in the text.

    Python's own wording ("unhashable type: 'CommentedMap'", "maximum recursion
    depth exceeded") says nothing to an editor; the two cases known to reach here
    are named in words they can act on, anything else keeps the loader's message."""
    if isinstance(exc, RecursionError):
        ja, en = "かっこ（[ や {）の入れ子が深すぎます", "brackets ([ or {) are nested too deeply"
    elif isinstance(exc, TypeError) and "unhashable" in str(exc):
        ja, en = ("キーにリストやマッピング（[…] や {…}）が使われています。キーは文字で書いてください",
                  "a list or mapping ([…] or {…}) is used as a key; write keys as plain text")
    else:
        ja = en = str(exc)
    return Text(f"フロントマターの YAML が読めません: {ja}。", f"The front matter YAML does not parse: {en}.")


def _plausible(ch: str) -> bool:
    """A character a Japanese post is made of: ASCII text, CJK punctuation, kana,
    kanji or full-width forms."""
    o = ord(ch)
    return (0x20 <= o < 0x7F or ch in "\n\r\t" or 0x3000 <= o <= 0x30FF
            or 0x4E00 <= o <= 0x9FFF or 0xFF00 <= o <= 0xFFEF)


def _looks_like_utf16(sample: bytes) -> bool:
    """BOM-less UTF-16 text. Japanese text in UTF-16 has few zero bytes, so counting
    zeros misses it; decoding does not: binary data decoded as UTF-16 scatters over
    the whole code space, Japanese text stays in a few blocks."""
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 4:
        return False
    for codec in ("utf-16-le", "utf-16-be"):
        chars = sample.decode(codec, errors="replace")
        if sum(map(_plausible, chars)) >= 0.95 * len(chars):
            return True
    return False


def guess_encoding(raw: bytes) -> str | None:
    """Name the likely encoding of bytes that are not UTF-8, or None for binary."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    sample = raw[:4096]
    if b"\x00" in sample:  # text in the legacy codecs has no zero bytes
        return "UTF-16" if _looks_like_utf16(sample) else None
    for name, codec in (("Shift_JIS", "cp932"), ("EUC-JP", "euc_jp"), ("ISO-2022-JP", "iso2022_jp")):
        try:
            raw.decode(codec)
            return name
        except UnicodeDecodeError:
            continue
    return "UTF-16" if _looks_like_utf16(sample) else None


def decode(raw: bytes) -> tuple[str, bool]:
    """UTF-8 text (BOM removed) and whether there was a BOM; DocumentError otherwise."""
    bom = raw.startswith(BOM)
    body = raw[len(BOM):] if bom else raw
    if b"\x00" not in body[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return body.decode("utf-8"), bom
        except UnicodeDecodeError:
            pass
    enc = guess_encoding(raw)
    if enc:
        msg = Text(f"UTF-8 のテキストではありません（{enc} と思われます）。UTF-8 で保存し直してください。",
                   f"Not UTF-8 text (looks like {enc}). Save it again as UTF-8.")
    else:
        msg = Text("テキストファイルではありません（バイナリ）。", "Not a text file (binary data).")
    raise DocumentError("PD500", msg)


@dataclass(frozen=True)
class _Lines:
    """Line tables for mapping normalised offsets onto the original text."""

    norm_starts: tuple[int, ...]
    src_starts: tuple[int, ...]


def _line_starts(lines: list[str]) -> tuple[int, ...]:
    """The offset of each line in the text that `lines` was split from at `\\n`."""
    return tuple(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))


def _split_source(source: str) -> tuple[str, _Lines, str]:
    """The normalised text (each CRLF made LF; a lone CR stays), the start of each
    line in it and in the source, and the newline style most lines end with.

    Without a CR the normalised text is the source itself and both tables are one;
    only then is no line rebuilt (the common case: ~0.2 ms saved on a 20 KB post).
    """
    pieces = source.split("\n")
    src_starts = _line_starts(pieces)
    if "\r" not in source:
        return source, _Lines(src_starts, src_starts), "\n"
    stripped = [p[:-1] if p.endswith("\r") else p for p in pieces[:-1]] + pieces[-1:]
    crlf = source.count("\r\n")
    lf = len(pieces) - 1 - crlf
    newline = "\r\n" if crlf > lf else "\n"
    return "\n".join(stripped), _Lines(_line_starts(stripped), src_starts), newline


def plain(value: Any) -> Any:
    """ruamel's round-trip types as plain Python values."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, ScalarString):
        return str(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


class FrontMatter:
    """The front matter's place in the file, its YAML text and what it holds.

    `data`, the round-trip tree, is loaded on first use when the fast load served
    the values (`_fast`); otherwise it was loaded at once (None: it does not parse).
    """

    def __init__(self, open_line: int, close_line: int, yaml_text: str,
                 data: CommentedMap | None = None, fast: _FastLoad | None = None):
        self.open_line = open_line  # 1-based file line of the opening `---`
        self.close_line = close_line  # 1-based file line of the closing delimiter
        self.yaml_text = yaml_text  # normalised text between the delimiters
        self._data = data
        self._fast = fast

    @property
    def data(self) -> CommentedMap | None:
        """The round-trip tree (None when the YAML does not parse)."""
        if self._data is None and self._fast is not None:
            self._data = _round_trip_load(self.yaml_text)
        return self._data

    @property
    def values(self) -> dict | None:
        """The top-level mapping to read values from: the fast load's plain dict, or
        the round-trip tree; `plain()` of either gives the same answer."""
        return self._fast.values if self._fast is not None else self._data

    def _key_starts(self) -> list[tuple[int, str]]:
        """(0-based YAML line, key) of each top-level key, in line order."""
        if self._fast is not None:
            return sorted(self._fast.keys)
        return sorted((self._data.lc.key(k)[0], str(k)) for k in self._data)

    def item_position(self, key: str, index: int) -> tuple[int, int] | None:
        """0-based YAML (line, column) of item `index` of the top-level list `key`,
        as the round-trip tree's `lc.item()` gives it; None when there is none."""
        if self._fast is not None:
            items = self._fast.items.get(key, ())
            return items[index] if 0 <= index < len(items) else None
        seq = self._data.get(key) if self._data is not None else None
        try:
            line, col = seq.lc.item(index)
        except (AttributeError, KeyError, TypeError):
            return None
        return line, col

    def key_lines(self) -> dict[str, tuple[int, int]]:
        """Each top-level key's 1-based file lines (start, end); trailing blank and
        comment lines stay outside so that editing a key never touches them."""
        if self.values is None:
            return {}
        yaml_lines = self.yaml_text.split("\n")
        starts = self._key_starts()
        result = {}
        for i, (start, key) in enumerate(starts):
            end = starts[i + 1][0] - 1 if i + 1 < len(starts) else len(yaml_lines) - 1
            while end > start and (not yaml_lines[end].strip() or yaml_lines[end].lstrip().startswith("#")):
                end -= 1
            result[key] = (self.open_line + 1 + start, self.open_line + 1 + end)
        return result


class Document:
    """An immutable post. `with_*` methods return a new Document."""

    def __init__(self, source: str, *, bom: bool = False, path: Path | None = None):
        self.path = Path(path) if path is not None else None
        self.bom = bom
        self.source = source
        self.text, self._lines, self.newline = _split_source(source)
        self.problem: DocumentError | None = None
        self.front_matter: FrontMatter | None = None
        self.body = self.text
        self.body_line = 1
        self._split_front_matter()

    # -- construction -------------------------------------------------------
    @classmethod
    def from_bytes(cls, raw: bytes, path: Path | str | None = None) -> "Document":
        """Decode bytes. Raises DocumentError (PD500) for binary or non-UTF-8 data."""
        text, bom = decode(raw)
        return cls(text, bom=bom, path=Path(path) if path else None)

    @classmethod
    def load(cls, path: Path | str) -> "Document":
        path = Path(path)
        return cls.from_bytes(path.read_bytes(), path)

    def to_bytes(self) -> bytes:
        return (BOM if self.bom else b"") + self.source.encode("utf-8")

    def save(self, path: Path | str | None = None) -> Path:
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("no path to save to")
        atomic_write(target, self.to_bytes())
        return target

    # -- front matter -------------------------------------------------------
    def _split_front_matter(self) -> None:
        lines = self.text.split("\n")
        if not lines or not _FENCE.match(lines[0]):
            self.problem = DocumentError(
                "PD501", Text("フロントマターがありません（先頭行が --- ではありません）。",
                              "No front matter (the first line is not ---)."))
            return
        close = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i])), None)
        if close is None:
            self.problem = DocumentError(
                "PD501", Text("フロントマターが閉じられていません（終わりの --- がありません）。",
                              "The front matter is not closed (no closing ---)."))
            return
        yaml_text = "\n".join(lines[1:close])
        self.body_line = close + 2
        self.body = "\n".join(lines[close + 1:])
        fast = _fast_load(yaml_text)
        if fast is not None:
            self.front_matter = FrontMatter(1, close + 1, yaml_text, fast=fast)
            return
        data = None
        try:
            loaded = _round_trip_load(yaml_text)
            if isinstance(loaded, CommentedMap):
                data = loaded
            else:
                self.problem = DocumentError(
                    "PD502", Text("フロントマターが「キー: 値」の形になっていません。",
                                  "The front matter is not a mapping of keys to values."), line=2)
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            yline = mark.line if mark else 0
            col = mark.column if mark else 0
            what = (exc.problem or exc.context or "").strip()
            self.problem = DocumentError(
                "PD502",
                Text(f"フロントマターの YAML が読めません（{yline + 1} 行 {col + 1} 列: {what}）。",
                     f"The front matter YAML does not parse (line {yline + 1}, column {col + 1}: {what})."),
                line=yline + 2, col=col)
        except (YAMLError, TypeError, RecursionError) as exc:
            # Errors without a position, including ruamel's own TypeError on a key
            # that holds a mapping inside a list (`[[a: 1]: 2]`) and nesting deeper
            # than Python's stack: a PD502 for this post, not a crash of the check.
            self.problem = DocumentError("PD502", _unplaced_problem(exc), line=2)
        self.front_matter = FrontMatter(1, close + 1, yaml_text, data)

    @property
    def data(self) -> CommentedMap | None:
        return self.front_matter.data if self.front_matter else None

    @property
    def _values(self) -> dict | None:
        return self.front_matter.values if self.front_matter else None

    @property
    def fields(self) -> dict[str, Any]:
        """The front matter as plain Python values ({} when it cannot be read)."""
        values = self._values
        return plain(values) if values is not None else {}

    def get(self, key: str, default: Any = None) -> Any:
        values = self._values
        if values is None or key not in values:
            return default
        return plain(values[key])

    def has_field(self, key: str) -> bool:
        """Whether the front matter has the top-level key (`key in doc.data`, without
        building the round-trip tree)."""
        values = self._values
        return values is not None and key in values

    def field_lines(self, key: str) -> tuple[int, int] | None:
        """1-based file lines of a top-level key, or None."""
        fm = self.front_matter
        return fm.key_lines().get(key) if fm else None

    def field_item_position(self, key: str, index: int) -> tuple[int, int] | None:
        """1-based file line and 0-based column of item `index` of the top-level
        list `key` (what `doc.data[key].lc.item(index)` gives, as a file line), or
        None when `key` holds no such item. Needs no round-trip tree."""
        fm = self.front_matter
        pos = fm.item_position(key, index) if fm else None
        return (fm.open_line + 1 + pos[0], pos[1]) if pos else None

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    # -- offsets ------------------------------------------------------------
    def offset(self, line: int, col: int = 0) -> int:
        """Offset into `text` of a 1-based line and 0-based column."""
        starts = self._lines.norm_starts
        line = max(1, min(line, len(starts)))
        return starts[line - 1] + col

    def line_of(self, offset: int) -> int:
        """1-based line holding an offset into `text`."""
        return bisect_right(self._lines.norm_starts, offset)

    def _to_source(self, offset: int) -> int:
        i = bisect_right(self._lines.norm_starts, offset) - 1
        return self._lines.src_starts[i] + (offset - self._lines.norm_starts[i])

    # -- editing ------------------------------------------------------------
    def with_edits(self, edits: Iterable[Edit]) -> "Document":
        """Apply non-overlapping edits (offsets into `text`); returns a new Document.

        Inserted newlines take the document's newline style; bytes outside the edits
        are untouched. Overlapping edits: the later-starting one is dropped.
        """
        ordered = sorted(set(edits))
        kept: list[Edit] = []
        for e in ordered:
            if not (0 <= e.start <= e.end <= len(self.text)):
                raise ValueError(f"edit out of range: {e}")
            if kept and e.start < kept[-1].end:
                continue
            kept.append(e)
        if not kept:
            return self
        out, pos = [], 0
        for e in kept:
            s, t = self._to_source(e.start), self._to_source(e.end)
            out.append(self.source[pos:s])
            out.append(e.text.replace("\n", self.newline) if self.newline != "\n" else e.text)
            pos = t
        out.append(self.source[pos:])
        return Document("".join(out), bom=self.bom, path=self.path)

    def with_text(self, text: str) -> "Document":
        """A document holding `text` (normalised newlines), written back in this
        document's newline style and BOM. Used by the editor, which holds `\\n` text."""
        if text == self.text:
            return self
        source = text.replace("\n", self.newline) if self.newline != "\n" else text
        return Document(source, bom=self.bom, path=self.path)

    def with_field(self, key: str, value: Any) -> "Document":
        """Set a top-level front-matter field, changing only its line(s).

        A string keeps the quoting the field had; a list keeps its flow or block
        style and its items' quoting; a new field takes its siblings' style and goes
        after the last key. Setting a field to its current value changes nothing.
        """
        fm = self.front_matter
        if fm is None or fm.data is None:
            raise self.problem or DocumentError("PD501", Text("フロントマターがありません。", "No front matter."))
        data = fm.data
        if key in data and plain(data[key]) == plain(value) and type(plain(value)) is type(plain(data[key])):
            return self
        styled = _style_like(data.get(key), value, data)
        dumped = _dump_field(key, styled, fm.yaml_text)
        lines = self.text.split("\n")
        span = fm.key_lines().get(key)
        if span is not None:
            first, last = span
            old_first = lines[first - 1]
            comment = _trailing_comment(old_first) if first == last else ""
            if comment and len(dumped) == 1:
                dumped = [dumped[0] + comment]
            start, end = self.offset(first), self.offset(last) + len(lines[last - 1])
            return self.with_edits([Edit(start, end, "\n".join(dumped))])
        # A new key: after the last key (before any trailing comments of the block).
        spans = fm.key_lines()
        after = max((e for _, e in spans.values()), default=fm.open_line)
        pos = self.offset(after) + len(lines[after - 1])
        return self.with_edits([Edit(pos, pos, "\n" + "\n".join(dumped))])

    def with_field_yaml(self, key: str, yaml_value: str) -> "Document":
        """Set a field from a YAML snippet (`[a, b]` is a list, `12` a number)."""
        return self.with_field(key, parse_yaml_value(yaml_value))

    def without_field(self, key: str) -> "Document":
        span = self.field_lines(key)
        if span is None:
            return self
        first, last = span
        lines = self.text.split("\n")
        return self.with_edits([Edit(self.offset(first), self.offset(last) + len(lines[last - 1]) + 1, "")])


def load_safe(text: str) -> Any:
    """`YAML(typ="safe", pure=True).load(text)`, through the C parser where the answer
    is the same: a site's `.editorial.yml` and `_config.yml`, read at every start
    (some 30 ms each in ruamel's Python parser, a few in the C one).

    The C load is kept only for text outside `_ROUND_TRIP_ONLY` whose values are
    plain and hold no date (the fast constructor builds timestamps as the round-trip
    one does); anything else, and every error, comes from the Python loader, so a
    broken file gets the message it always got (tested on the fixtures' files)."""
    if _FastLoader is not None and not _ROUND_TRIP_ONLY.search(text):
        loader = _FastLoader(text)
        try:
            node = loader.get_single_node()
            value = None if node is None else loader.construct_document(node)
        except Exception:  # noqa: BLE001 - only means "ask the Python loader"
            value = _NOT_LOADED
        finally:
            loader.dispose()
        if value is not _NOT_LOADED and _is_plain(value) and not _holds_date(value):
            return value
    return YAML(typ="safe", pure=True).load(text)


_NOT_LOADED = object()  # load_safe's C load failed


def _holds_date(value: Any) -> bool:
    if isinstance(value, dict):
        return any(map(_holds_date, value.values()))
    if isinstance(value, list):
        return any(map(_holds_date, value))
    return isinstance(value, date)


def parse_yaml_value(yaml_value: str) -> Any:
    try:
        y = YAML(typ="safe", pure=True)
        y.Constructor = _Safe
        return plain(y.load(yaml_value))
    except YAMLError as exc:
        raise ValueError(f"not a YAML value: {yaml_value!r} ({exc})") from exc


_COMMENT = re.compile(r"""\s+#[^'"]*$""")


def _trailing_comment(line: str) -> str:
    m = _COMMENT.search(line)
    return m.group(0) if m else ""


def _string_style(old: Any, siblings: CommentedMap) -> type:
    if isinstance(old, ScalarString):
        return type(old)
    if isinstance(old, str):
        return PlainScalarString
    quoted = [v for v in siblings.values() if isinstance(v, (DoubleQuotedScalarString, SingleQuotedScalarString))]
    if quoted:
        return type(quoted[0])
    return PlainScalarString


def _style_like(old: Any, value: Any, siblings: CommentedMap) -> Any:
    value = plain(value)
    if isinstance(value, str):
        kind = _string_style(old, siblings)
        return str(value) if kind is PlainScalarString else kind(value)
    if isinstance(value, list):
        if isinstance(old, CommentedSeq):
            flow = old.fa.flow_style()
            item_model = old[0] if len(old) else None
        else:
            flow = not any(isinstance(v, CommentedSeq) and not v.fa.flow_style() for v in siblings.values())
            item_model = None
        seq = CommentedSeq(_style_like(item_model, v, siblings) for v in value)
        if flow:
            seq.fa.set_flow_style()
        else:
            seq.fa.set_block_style()
        return seq
    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = _style_like(None, v, siblings)
        return m
    return value


_SEQ_ITEM = re.compile(r"^(\s*)- ")


def _dump_field(key: str, value: Any, yaml_text: str) -> list[str]:
    y = _yaml()
    offset = next((len(m.group(1)) for m in map(_SEQ_ITEM.match, yaml_text.split("\n")) if m), 2)
    y.indent(mapping=2, sequence=offset + 2, offset=offset)
    m = CommentedMap()
    m[key] = value
    buf = io.StringIO()
    y.dump(m, buf)
    return buf.getvalue().rstrip("\n").split("\n")


def atomic_write(path: Path | str, data: bytes) -> None:
    """Write bytes so that a crash leaves either the old file or the new one.

    A temporary file in the same folder is written, flushed to disk and renamed over
    the target; the target's permissions are kept.
    """
    path = Path(path)
    mode = None
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        pass
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
