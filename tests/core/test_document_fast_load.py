"""The fast front-matter load reads exactly what the round-trip load reads.

`Document` serves values, key lines and list-item positions from ruamel's C safe
loader when `_fast_load` accepts the front matter, and builds the round-trip tree only
when an edit needs it. These tests compare the two on generated front matter (plain,
quoted, block and flow scalars, numbers, dates, nested lists and maps, comments, and
the anchors, tags and odd characters the fast path must refuse) and on every fixture
post: whenever the fast load answers, its answer must be the round-trip one, type for
type, line for line.
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.timestamp import TimeStamp

from app.core import document
from app.core.document import Document, _fast_load, _FastLoader, _split_source, _yaml, plain

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(_FastLoader is None, reason="ruamel.yaml.clib is not installed")


# -- comparing ------------------------------------------------------------------
def assert_same(a, b, where="value"):
    """Equal values of identical types, all the way down (dict order included)."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__} ({a!r} / {b!r})"
    if isinstance(a, dict):
        assert list(a) == list(b), f"{where}: keys {list(a)} != {list(b)}"
        for k in a:
            assert_same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, list):
        assert len(a) == len(b), f"{where}: {a!r} != {b!r}"
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b), where
    else:
        # Round-trip-only objects (TaggedScalar) have no value equality: their repr says it all.
        equal = a == b or type(a).__eq__ is object.__eq__
        assert equal and repr(a) == repr(b) and str(a) == str(b), f"{where}: {a!r} != {b!r}"
        if isinstance(a, TimeStamp):
            assert a._yaml == b._yaml and a.tzinfo == b.tzinfo, where


def round_trip_view(yaml_text: str):
    """What the round-trip tree says: plain values, (line, key) of each key, and the
    (line, column) of each list item."""
    data = _yaml().load(yaml_text)
    assert isinstance(data, CommentedMap)
    keys = sorted((data.lc.key(k)[0], str(k)) for k in data)
    items = {str(k): tuple(tuple(v.lc.item(i)) for i in range(len(v)))
             for k, v in data.items() if isinstance(v, CommentedSeq)}
    return plain(data), keys, items


def check_fast_equals_round_trip(yaml_text: str) -> bool:
    """Compare the two loads; True when the fast one answered."""
    fast = _fast_load(yaml_text)
    if fast is None:
        return False
    values, keys, items = round_trip_view(yaml_text)  # must not raise: the fast load parsed it
    assert_same(plain(fast.values), values)
    assert sorted(fast.keys) == keys
    assert fast.items == items
    return True


# -- generated front matter ---------------------------------------------------
WORD = st.text(alphabet=st.sampled_from(list("abcXYZ019 あいう漢字カナ。、「」・ー＆！？") + ["🙂"]),
               min_size=1, max_size=8)
NOISY = st.lists(st.sampled_from(list("ab あ漢 :#-[]{},&*!|>'\"%@`?\\/~.+_\t") + ["\n", "\n  "]),
                 max_size=12).map("".join)
NUMBER = st.one_of(
    st.integers(-10**6, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["0o17", "0x1F", "0b101", "012", "1_000", "1:20", "+12", "-0", "1e3", "1E+3", "1.",
                     ".5", "-.5", "1_0.5", ".inf", "-.Inf", ".NaN", "1e", "0x", "00", "1__0", "0.1e-3"]),
)
DATE = st.one_of(
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(1, 9999), st.integers(0, 13),
              st.integers(0, 32)),
    st.sampled_from([
        "2026-03-04", "2026-02-30", "2026-3-4", "2026-03-04 09:12:30", "2026-03-04 09:12:30 +0900",
        "2026-03-04 09:12:30 +09:00", "2026-03-04T09:12:30Z", "2026-03-04t09:12:30z",
        "2026-03-04 9:12:30 -5", "2026-03-04 09:12:30.123456789 +09:00", "2026-03-04T09:12:30",
        "2026-03-04 25:00:00 +09:00", "2026-03-04 09:12:30 +24:00", "2026-03-04 09:12:30.5",
        "2026-03-04  09:12:30", "2026-03-04 09:12", "2026-02-29 00:00:00 Z",
    ]),
)
WORDS = st.sampled_from(["yes", "no", "on", "off", "true", "True", "TRUE", "false", "null", "Null", "~",
                         "y", "n", "NULL", "", "-", "...", "---x", "=", "<<", "*", "&", "!", "%x"])


def dq(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sq(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


CLEAN_SCALAR = st.one_of(  # what real front matter holds: mostly taken by the fast path
    WORD, NUMBER, DATE, WORDS.filter(lambda w: w not in ("<<", "*", "&", "!")),
    WORD.map(dq), WORD.map(sq), DATE.map(dq), NUMBER.map(sq),
    st.sampled_from(['"a\\tb\\u3042\\x41\\/"', '"\\N\\_\\L\\P"', '"line\n  two"', "'line\n\n  two'",
                     "plain\n  more", "a # comment", "a #not", "a:b", "http://x.y/z?a=1#f", "? x", "[]", "{}"]),
)
SCALAR = st.one_of(  # anything: indicators, tabs, anchors and tags, which the fast path must refuse
    CLEAN_SCALAR, WORDS, NOISY, NOISY.map(dq), NOISY.map(sq),
    st.sampled_from(["!tag x", "&anc x", "*ali", "!!str 12", "!!int '7'", "!!binary aGk=", "!!set {a, b}",
                     "@x", "`x", "%x", "|x", ">x", "x\t# tab"]),
)
KEY = st.one_of(
    st.sampled_from(["layout", "title", "date", "categories", "tags", "author", "excerpt", "reading_time",
                     "image", "permalink", "published", "series", "タイトル", "a b", "1", "true", "null",
                     "x:y", "-k"]),
    WORD.filter(lambda s: s.strip() == s and s[:1] not in "-?:" and "#" not in s),
    WORD.map(dq), WORD.map(sq),
)


def grammar(scalar: st.SearchStrategy[str], colons: list[str]) -> st.SearchStrategy[str]:
    """Front matter built from `scalar` values, with `colons` between a flow key and
    its value (`":"` right after a quoted key is one of the refused cases)."""

    @st.composite
    def block_scalar(draw, indent: str) -> str:
        head = draw(st.sampled_from(["|", ">", "|-", ">-", "|+", ">+", "|2", ">1-", "| # c", "|1+", ">+1",
                                     "|+-", "|22", "|0", "|#", ">-x", "|2  "]))
        lines = draw(st.lists(st.one_of(WORD, scalar.filter(lambda s: "\n" not in s), st.just("")),
                              min_size=1, max_size=4))
        extra = draw(st.sampled_from(["", " ", "  "]))
        return head + "".join("\n" + (indent + "  " + extra + ln if ln else "") for ln in lines)

    @st.composite
    def flow(draw, depth: int = 0) -> str:
        pair = st.builds("{}{}{}".format, st.one_of(KEY, flow(depth + 1)) if depth < 1 else KEY,
                         st.sampled_from(colons), scalar)
        items = draw(st.lists(st.one_of(scalar, pair) if depth > 1 else st.one_of(scalar, pair, flow(depth + 1)),
                              max_size=4))
        if draw(st.booleans()):
            return "[" + ", ".join(i.replace("\n", " ") for i in items) + draw(st.sampled_from(["]", ",]", " ]"]))
        keys = draw(st.lists(WORD, max_size=len(items), unique=True))
        colon = draw(st.sampled_from(colons))
        return "{" + ", ".join(f"{k}{colon}{v}".replace("\n", " ") for k, v in zip(keys, items)) + "}"

    @st.composite
    def value(draw, indent: str = "", depth: int = 0) -> str:
        """The text after `key:` (leading space included), at a key indented by `indent`."""
        kind = draw(st.sampled_from(["scalar", "scalar", "scalar", "flow", "block", "list", "map", "empty"]))
        if kind == "scalar":
            return " " + draw(scalar).replace("\n", "\n" + indent)
        if kind == "flow":
            return " " + draw(flow())
        if kind == "block":
            return " " + draw(block_scalar(indent))
        if kind == "empty":
            return draw(st.sampled_from(["", " ", " # nothing"]))
        child = indent + draw(st.sampled_from(["", "  ", "    "] if kind == "list" else ["  ", " "]))
        lines = []
        for _ in range(draw(st.integers(1, 3))):
            if kind == "list":
                item = draw(st.one_of(scalar.map(lambda s: s.replace("\n", "\n" + child + "  ")), flow()))
                lines.append(f"{child}- {item}")
            else:
                sub = draw(value(child, depth + 1)) if depth < 1 else " " + draw(WORD)
                lines.append(f"{child}{draw(KEY)}:{sub}")
            if draw(st.integers(0, 5)) == 0:
                lines.append(draw(st.sampled_from(["", "# comment", child + "# inner", "  "])))
        return "\n" + "\n".join(lines)

    @st.composite
    def front_matter(draw) -> str:
        lines = []
        for key in draw(st.lists(KEY, min_size=1, max_size=6, unique=True)):
            lines.append(f"{key}:{draw(value())}")
            if draw(st.integers(0, 4)) == 0:
                lines.append(draw(st.sampled_from(["", "# comment", "   ", "  # indented"])))
        return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n# end", "\n\n"]))

    return front_matter()


NOISE = st.text(alphabet=st.sampled_from(list("ab: -[]{}#'\"&*!|>\n\t漢")), max_size=40)  # mostly errors
FRONT_MATTER_YAML = st.one_of(grammar(CLEAN_SCALAR, [": ", " : "]), grammar(SCALAR, [": ", ":", " : "]), NOISE)


PLAIN_EXAMPLES = [  # each must take the fast path (tests that the path is not dead)
    'layout: post\ntitle: "生成AI: 入門"\ndate: 2026-03-04 09:12:30 +0900\ncategories: [AI導入戦略]\n'
    'tags: ["生成AI", "PoC"]\nreading_time: 9\npublished: false\nnote:\n',
    "title: 題名  # 仮\ntags:\n  - a\n  - 'b'\n# 終わり\n",
    "date: 2026-03-04T09:12:30+09:00\nupdated: 2026-03-04\nwhen: 2026-03-04 09:12:30\nbad: 2026-02-30\n",
    "excerpt: >-\n  一行目\n  二行目\nbody: |\n  a\n\n  b\nsize: 1.5e3\nhex: 0x1F\nyes: yes\n",
    "nested:\n  a: [1, {b: c}]\n  d:\n  - e\n  - f: g\n",
    "tags:\n- a\n- b\n",
    "title: 'it''s'\nmulti: plain\n  continued\nquoted: \"a\n  b\"\n",
]


@pytest.mark.parametrize("yaml_text", PLAIN_EXAMPLES)
def test_plain_front_matter_takes_the_fast_path_and_reads_the_same(yaml_text):
    assert check_fast_equals_round_trip(yaml_text)


@pytest.mark.parametrize("yaml_text", [
    "a: &x true\nb: *x\n",  # the round-trip loader keeps an anchored bool as a ScalarBoolean (1)
    "a: !!str 12\n",  # a TaggedScalar
    "a: !local x\n",
    "a: {x: 1}\nb:\n  <<: {y: 2}\n  z: 3\n",  # merged keys come in another order
    "%YAML 1.1\n---\na: yes\n",
    "a: 1\n\tb: 2\n",
    "a: x\rb: y\n",
    "a: x\u2028b\n",
    "a: 1\na: 2\n",  # duplicate key: the round-trip loader's error
    "- a\n- b\n",  # not a mapping
    "a: [unclosed\n",
    "# only a comment\n",
    "1: one\n",  # a non-string key
    'a: ["x":y]\n',  # libyaml reads a one-pair mapping, ruamel's parser refuses it
    "a: [[b]:c]\n",
    "a: [[b: 0]: 0]\n",  # a mapping as a key: the constructors raise TypeError
    "a: " + "[" * 3000 + "]" * 3000 + "\n",  # deeper than Python's stack
    "a: |#\n",  # libyaml reads a header and a comment, ruamel's scanner refuses it
    "a: >-x\n",
])
def test_what_the_fast_path_leaves_to_the_round_trip_loader(yaml_text):
    assert _fast_load(yaml_text) is None


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(FRONT_MATTER_YAML)
@example("a: [x, y]\nb: {c: [1, 2]}\n")
@example("k: \"a\\\n  b\"\n")
@example("k: 2026-03-04 09:12:30 -05:30\n")
@example("k: '\U0001F642 x'\nl: [\U0001F642, y]\n")
def test_fast_load_equals_round_trip_on_generated_front_matter(yaml_text):
    event("fast" if check_fast_equals_round_trip(yaml_text) else "round trip")


# -- whole documents ------------------------------------------------------------
@contextmanager
def round_trip_only():
    """Documents built inside read their front matter the old way only."""
    with mock.patch.object(document, "_fast_load", return_value=None):
        yield


def assert_documents_agree(source: str) -> bool:
    """A Document and its round-trip-only twin read the same; True if the fast path served it."""
    doc = Document(source)
    with round_trip_only():
        ref = Document(source)
    for attr in ("code", "line", "col", "message"):
        assert getattr(doc.problem, attr, None) == getattr(ref.problem, attr, None)
    assert (doc.front_matter is None) == (ref.front_matter is None)
    assert_same(doc.fields, ref.fields, "fields")
    keys = list(ref.fields) + ["absent"]
    for key in keys:
        assert doc.field_lines(key) == ref.field_lines(key), key
        assert doc.has_field(key) == (ref.data is not None and key in ref.data), key
        assert_same(doc.get(key, "dflt"), ref.get(key, "dflt"), key)
        for i in range(-1, 12):
            assert doc.field_item_position(key, i) == ref.field_item_position(key, i), (key, i)
    fast = doc.front_matter is not None and doc.front_matter._fast is not None
    if fast:
        assert doc.front_matter._data is None  # nothing built the round-trip tree yet
        assert_same(plain(doc.data), ref.fields, "data")  # built on demand, the same tree
    return fast


def fixture_posts() -> list[Path]:
    paths = set((ROOT / "content").rglob("*.md")) | set((ROOT / "tests" / "fixtures").rglob("*.md"))
    for fixtures in (ROOT / "tests").glob("*/fixtures"):
        paths |= set(fixtures.rglob("*.md"))
    return sorted(p for p in paths if "_site" not in p.parts and ".jekyll-cache" not in p.parts)


def test_every_fixture_post_reads_the_same():
    posts = fixture_posts()
    assert len(posts) > 50
    served = 0
    for path in posts:
        try:
            text = document.decode(path.read_bytes())[0]
        except document.DocumentError:
            continue
        served += assert_documents_agree(text)
    assert served >= 0.9 * len(posts)  # the fast path is the common one, not a dead branch


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(FRONT_MATTER_YAML, st.sampled_from(["\n", "\r\n"]), st.sampled_from(["---", "..."]))
def test_documents_agree_on_generated_front_matter(yaml_text, newline, close):
    source = f"---\n{yaml_text}\n{close}\n本文です。\n".replace("\n", newline)
    event("fast" if assert_documents_agree(source) else "round trip")


def test_an_edit_builds_the_round_trip_tree_and_stays_lossless():
    src = "---\ntitle: 題名  # 仮\ntags:\n  - a\n  - b\n# 終わり\n---\n本文\n"
    doc = Document(src)
    assert doc.front_matter._fast is not None and doc.front_matter._data is None
    assert doc.field_item_position("tags", 1) == (5, 4)
    new = doc.with_field("title", "本題")
    assert new.text == src.replace("title: 題名", "title: 本題")
    assert isinstance(doc.data, CommentedMap) and doc.data.lc.item  # the tree, built on demand


# -- line tables ------------------------------------------------------------------
def reference_split(source: str):
    """_split_source by definition: CRLF → LF; line starts found one character at a time."""
    text = source.replace("\r\n", "\n")
    norm = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    src = [0] + [i + 1 for i, c in enumerate(source) if c == "\n"]
    crlf = source.count("\r\n")
    return text, norm, src, "\r\n" if crlf > source.count("\n") - crlf else "\n"


@given(st.lists(st.sampled_from(["a", "あ", " ", "\n", "\r", "\r\n", "\U0001F642"]), max_size=60).map("".join))
def test_split_source_matches_its_definition(source):
    text, lines, newline = _split_source(source)
    assert (text, list(lines.norm_starts), list(lines.src_starts), newline) == reference_split(source)
