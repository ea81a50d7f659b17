"""Lossless documents: bytes in, the same bytes out; one field changes one field."""
import difflib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.document import Document, DocumentError, atomic_write
from app.core.findings import Edit

POST = """---
layout: post
title: "中小企業の生成AI導入、最初の90日で何をすべきか"
date: 2026-03-04 09:12:30 +0900
categories: [AI導入戦略]
tags: ["生成AI", "中小企業", "PoC"]
author: "編集部"
excerpt: "生成AIを導入する中小企業が最初の90日で取り組むべき準備と、つまずきやすい点を実例とともに整理します。"
reading_time: 9
image: "/assets/images/posts/2026-03-04-1-smb-genai-first-90-days-ogp.png"
---

## 最初の90日

本文です。

"""


def changed_lines(a: str, b: str) -> list[str]:
    return [l for l in difflib.unified_diff(a.split("\n"), b.split("\n"), lineterm="", n=0)
            if l[:1] in "+-" and not l.startswith(("+++", "---"))]


def test_unchanged_document_gives_same_bytes():
    raw = POST.encode()
    assert Document.from_bytes(raw).to_bytes() == raw


def test_fields_are_typed():
    doc = Document(POST)
    assert doc.get("tags") == ["生成AI", "中小企業", "PoC"]
    assert doc.get("reading_time") == 9
    assert doc.get("date") == "2026-03-04 09:12:30 +0900"  # kept a string, in its format
    assert doc.body_line == 12
    assert doc.body.startswith("\n## 最初の90日")


@pytest.mark.parametrize("key,value,expected", [
    ("title", "新しい題名: コロン入り", 'title: "新しい題名: コロン入り"'),
    ("reading_time", 99, "reading_time: 99"),
    ("tags", ["生成AI", "RAG"], 'tags: ["生成AI", "RAG"]'),
    ("categories", ["導入事例"], "categories: [導入事例]"),
    ("date", "2026-03-05 10:00:00 +0900", "date: 2026-03-05 10:00:00 +0900"),
])
def test_one_field_changes_one_line_in_its_style(key, value, expected):
    doc = Document(POST)
    new = doc.with_field(key, value)
    diff = changed_lines(doc.text, new.text)
    assert len(diff) == 2 and diff[1] == "+" + expected
    assert Document(new.source).get(key) == value


def test_new_field_follows_sibling_style_at_the_end():
    new = Document(POST).with_field("series", "AI入門")
    diff = changed_lines(POST, new.text)
    assert diff == ['+series: "AI入門"']
    assert new.text.split("\n")[10] == 'series: "AI入門"'


def test_trailing_comment_and_block_list_kept():
    src = "---\ntitle: 題名  # 仮\ntags:\n  - a\n  - b\n# 終わり\n---\n本文\n"
    doc = Document(src)
    new = doc.with_field("title", "本題").with_field("tags", ["a", "b", "c"])
    assert new.text == "---\ntitle: 本題  # 仮\ntags:\n  - a\n  - b\n  - c\n# 終わり\n---\n本文\n"


def test_setting_current_value_is_a_no_op():
    doc = Document(POST)
    for key, value in doc.fields.items():
        assert doc.with_field(key, value).to_bytes() == doc.to_bytes()


def test_bom_and_crlf_survive_an_edit():
    raw = b"\xef\xbb\xbf" + POST.replace("\n", "\r\n").encode()
    doc = Document.from_bytes(raw)
    assert doc.bom and doc.newline == "\r\n" and doc.to_bytes() == raw
    out = doc.with_field("reading_time", 12).to_bytes()
    assert out.startswith(b"\xef\xbb\xbf")
    assert out.count(b"\r\n") == raw.count(b"\r\n") and out.count(b"\n") == raw.count(b"\n")
    assert out.replace(b"reading_time: 12", b"reading_time: 9") == raw


def test_mixed_newlines_outside_an_edit_are_untouched():
    src = "---\ntitle: a\r\n---\r\nline one\nline two\r\n"
    doc = Document(src)
    assert doc.text == "---\ntitle: a\n---\nline one\nline two\n"
    new = doc.with_edits([Edit(doc.offset(4), doc.offset(4) + 4, "LINE")])
    assert new.source == "---\ntitle: a\r\n---\r\nLINE one\nline two\r\n"


def test_malformed_yaml_is_a_clear_problem_and_nothing_else_changes():
    doc = Document("---\ntitle: [閉じていない\nauthor: x\n---\n本文\n")
    assert doc.problem.code == "PD502"
    assert "YAML" in doc.problem.message.ja and doc.problem.line >= 2
    with pytest.raises(DocumentError):
        doc.with_field("title", "x")


@pytest.mark.parametrize("src,code", [
    ("本文だけ\n", "PD501"),
    ("---\ntitle: x\n本文\n", "PD501"),
    ("---\n- a\n- b\n---\n", "PD502"),
])
def test_front_matter_problems(src, code):
    assert Document(src).problem.code == code


@pytest.mark.parametrize("yaml_text,ja,en", [
    # ruamel raises TypeError (a mapping inside a key is unhashable)
    ("tags: [[b: 0]: 0]", "キーにリストやマッピング", "is used as a key"),
    ("tags: " + "[" * 3000 + "]" * 3000, "入れ子が深すぎます", "nested too deeply"),  # deeper than Python's stack
])
def test_yaml_that_breaks_the_loader_itself_is_a_front_matter_problem_not_a_crash(yaml_text, ja, en):
    doc = Document(f"---\ntitle: x\n{yaml_text}\n---\n本文\n")
    assert doc.problem.code == "PD502" and doc.problem.line == 2
    assert doc.fields == {} and doc.field_lines("title") is None
    # Worded for an editor, not in Python's terms ("unhashable type", "recursion depth").
    assert ja in doc.problem.message.ja and en in doc.problem.message.en
    assert "unhashable" not in doc.problem.message.en and "recursion" not in doc.problem.message.en


@pytest.mark.parametrize("raw,word", [
    ("本文です".encode("cp932"), "Shift_JIS"),
    ("本文です".encode("utf-16"), "UTF-16"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "バイナリ"),
])
def test_unreadable_bytes_name_the_likely_encoding(raw, word):
    with pytest.raises(DocumentError) as exc:
        Document.from_bytes(raw)
    assert exc.value.code == "PD500" and word in exc.value.message.ja


def test_atomic_write_keeps_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "post.md"
    target.write_bytes(b"old")
    import os
    def boom(*a, **k):
        raise OSError("disk full")
    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["post.md"]  # no temporary left behind


# -- generated front matter ---------------------------------------------------
KEYS = st.sampled_from(["title", "author", "excerpt", "layout", "series", "note"])
TEXT = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"],
                                       exclude_characters="\u2028\u2029\x85"), min_size=1, max_size=40)


def dq(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def front_matter(draw):
    keys = draw(st.lists(KEYS, min_size=1, max_size=5, unique=True))
    lines = []
    for k in keys:
        v = draw(TEXT)
        style = draw(st.sampled_from(["dq", "sq", "plain"]))
        if style == "dq":
            lines.append(f"{k}: {dq(v)}")
        elif style == "sq":
            lines.append(f"{k}: '" + v.replace("'", "''") + "'")
        else:
            lines.append(f"{k}: {dq(v)}")
    tags = draw(st.lists(st.text(alphabet="abcあいう漢字AI", min_size=1, max_size=6), max_size=4))
    lines.append("tags: [" + ", ".join(dq(t) for t in tags) + "]")
    lines.append(f"reading_time: {draw(st.integers(0, 500))}")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.booleans())
    body = draw(st.text(alphabet=st.characters(exclude_categories=["Cc", "Cs"], include_characters="\n\t"),
                        max_size=60))
    text = "---\n" + "\n".join(lines) + "\n---\n" + body
    return (b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", newline).encode("utf-8")


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter(), TEXT, st.integers(0, 999))
def test_round_trip_and_single_field_edits(raw, new_title, minutes):
    doc = Document.from_bytes(raw)
    assert doc.problem is None
    assert doc.to_bytes() == raw
    for key, value in doc.fields.items():
        assert doc.with_field(key, value).to_bytes() == raw
    edited = doc.with_field("reading_time", minutes)
    diff = changed_lines(doc.text, edited.text)
    assert len(diff) == (0 if minutes == doc.get("reading_time") else 2)
    again = Document.from_bytes(edited.with_field("title", new_title).to_bytes())
    assert again.get("title") == new_title and again.get("reading_time") == minutes
    assert again.get("tags") == doc.get("tags") and again.bom == doc.bom and again.newline == doc.newline
    assert again.body == doc.body


def test_bomless_utf16_japanese_is_named_and_binary_is_not():
    """Japanese text in UTF-16 has few zero bytes; random binary data is never taken for it."""
    import random
    from app.core.document import guess_encoding
    text = "---\ntitle: 生成AIの導入手順\n---\n本文です。社内の規程を整えてから始めます。\n" * 3
    assert guess_encoding(text.encode("utf-16-le")) == guess_encoding(text.encode("utf-16-be")) == "UTF-16"
    assert guess_encoding("本文です".encode("cp932")) == "Shift_JIS"
    rng = random.Random(7)
    assert all(guess_encoding(bytes(rng.randrange(256) for _ in range(300))) is None for _ in range(300))


def test_impossible_unquoted_date_stays_a_string_and_the_file_loads():
    """As in Jekyll's YAML reader: `date: 2026-02-30` is a string, not a load failure."""
    src = "---\ntitle: x\ndate: 2026-02-30\nupdated: 2026-02-28\n---\n本文\n"
    doc = Document(src)
    assert doc.problem is None
    assert doc.get("date") == "2026-02-30" and str(doc.get("updated")) == "2026-02-28"
    assert doc.with_field("title", "y").to_bytes() == src.replace("title: x", "title: y").encode()
