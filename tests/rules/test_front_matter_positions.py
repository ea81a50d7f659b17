"""PD503 and PD505 read key presence and list-item positions without building the
round-trip tree (`Document.has_field`, `Document.field_item_position`): the same
answers as the old reading through `doc.data` (`key in data`, `data[key].lc.item(i)`)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.document import Document
from app.core.parse import parse
from app.core.rules import REGISTRY, Context
from app.core.rules.front_matter import item_position, key_line

ITEMS = st.sampled_from(["生成AI", "LLM", '"ROI 分析"', "'PoC'", "DX", "ＲＯＩ分析", "1", "true", "a: b", "",
                         '"x, y"', "[nested]"])
KEYS = ["layout", "title", "date", "categories", "tags", "author", "excerpt", "image", "yes", "on"]


@st.composite
def front_matter(draw) -> str:
    lines = []
    for key in draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=8)):
        items = draw(st.lists(ITEMS, max_size=4))
        style = draw(st.sampled_from(["flow", "block", "scalar", "empty"]))
        if style == "flow":
            lines.append(f"{key}: [{', '.join(items)}]")
        elif style == "block":
            lines.append(f"{key}:" + "".join(f"\n{draw(st.sampled_from(['', '  ']))}- {i}" for i in items))
        elif style == "scalar":
            lines.append(f"{key}: {items[0] if items else 'x'}")
        else:
            lines.append(f"{key}:")
    return "---\n" + "\n".join(lines) + "\n---\n\n本文です。\n"


def _old_item_position(ctx: Context, key: str, i: int):
    seq = ctx.doc.data[key]
    try:
        yline, col = seq.lc.item(i)
        return ctx.doc.front_matter.open_line + 1 + yline, col
    except (AttributeError, KeyError, TypeError):
        return key_line(ctx, key), None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter())
def test_presence_and_item_positions_match_the_round_trip_tree(source):
    doc = Document(source)
    if doc.problem is not None or doc.data is None:
        return
    ctx = Context(parse(Document(source)))  # a fresh Document: nothing built its tree yet
    for key in KEYS:
        assert ctx.doc.has_field(key) == (key in doc.data), key
        values = ctx.doc.get(key)
        if isinstance(values, list):
            for i in range(len(values)):
                assert item_position(ctx, key, i) == _old_item_position(Context(parse(doc)), key, i), (key, i)


def test_pd503_and_pd505_findings_on_a_post_with_flow_and_block_lists():
    source = ("---\nlayout: post\ntitle: t\ncategories: [AI導入戦略]\ntags:\n  - 生成AI\n  - \"ROI 分析\"\n"
              "  - ROI分析\nauthor:\n---\n\n本文です。\n")
    ctx = Context(parse(Document(source)))
    ctx.rule = REGISTRY["PD503"]
    missing = [(f.line, f.message.en) for f in REGISTRY["PD503"].check(ctx)]
    assert (1, "Required field `date` is missing.") in missing
    assert (9, "Required field `author` is empty.") in missing
    assert ctx.doc.front_matter._data is None  # PD503 did not build the round-trip tree
    ctx.rule = REGISTRY["PD505"]
    assert [(f.line, f.col) for f in REGISTRY["PD505"].check(ctx)] == [(8, 4)]  # ROI分析 repeats "ROI 分析"


def test_pd505_reads_item_positions_without_the_round_trip_tree():
    """Only a fix (an edit of the front matter) needs the tree; a post with known
    terms has none to offer."""
    ctx = Context(parse(Document("---\ncategories: [AI導入戦略]\ntags:\n  - 生成AI\n  - LLM\n---\n\n本文です。\n")))
    ctx.rule = REGISTRY["PD505"]
    assert list(REGISTRY["PD505"].check(ctx)) == []
    assert ctx.doc.front_matter._data is None
