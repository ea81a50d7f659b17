"""PD5xx: the front matter.

PD500–PD502 (unreadable file, missing or unclosed front matter, broken YAML) are
found while the Document is built: the engine turns `doc.problem` into their
finding. They are registered here only for their metadata (the catalogue, the
reports' rule lists), with a check that yields nothing.

PD503–PD509 read the parsed front matter and the site's `front_matter`, `taxonomy`
and `reading_speed_cpm` settings; they are skipped when the front matter cannot be
read. Every finding sits on the key's own line (`doc.field_lines`), or on the
opening `---` when the key is absent, so that the editor lands on what to change.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

from rapidfuzz import fuzz, process

from ..findings import Finding, Text
from ..site import _DATE_VALUE, POST_NAME, parse_date
from .base import ERROR, WARNING, Context, rule

# -- PD500–PD502: reported by the Document ------------------------------------


@rule("PD502", "front-matter-syntax", ERROR,
      title=Text("フロントマターの YAML が読めません", "The front matter YAML does not parse"),
      description=Text(
          "フロントマターの YAML に文法の誤りがあります。メッセージに YAML の行と列を示します。"
          "このファイルのほかの検査は行いませんが、サイトのほかの記事は検査します。",
          "The front matter's YAML has a syntax error; the message gives its YAML line and column. "
          "Nothing else is checked in this file; the other posts are still checked."),
      example='---\ntitle: "閉じていない引用符\ndate: 2026-03-04 09:12:30 +0900\n---\n')
@rule("PD501", "front-matter-missing", ERROR,
      title=Text("フロントマターがないか、閉じられていません", "No front matter, or it is not closed"),
      description=Text(
          "ファイルの先頭に `---` で始まり `---` で終わるフロントマターがありません。"
          "Jekyll はこのファイルを記事として扱わず、そのままコピーします。",
          "The file does not start with front matter between `---` lines. Jekyll does not treat "
          "such a file as a post; it copies it as it is."),
      example="## 見出しだけで始まる記事\n\n本文です。\n")
@rule("PD500", "unreadable-file", ERROR,
      title=Text("UTF-8 のテキストとして読めないファイルです", "The file is not UTF-8 text"),
      description=Text(
          "バイナリファイル、または Shift_JIS や UTF-16 など UTF-8 以外の文字コードで保存されたファイルです。"
          "メッセージに推定した文字コードを示します。このファイルはほかの検査も修正も行いません。",
          "A binary file, or text in another encoding than UTF-8 (the message names a likely one, "
          "such as Shift_JIS or UTF-16). Nothing else is checked in it, and nothing is written to it."),
      example="（Shift_JIS で保存された記事）")
def reported_by_document(ctx: Context) -> Iterator[Finding]:
    """The engine reports these from `doc.problem`; there is nothing to look for here."""
    return iter(())


# -- shared helpers -------------------------------------------------------------


def is_empty(value: Any) -> bool:
    """A value an editor would call "not filled in": null, blank text, an empty
    mapping, a list of nothing but such values (`tags:` + a bare `-`). `0` and
    `false` are values."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return all(is_empty(v) for v in value)
    if isinstance(value, dict):
        return not value
    return False


def key_line(ctx: Context, key: str) -> int:
    """The key's first file line, or the opening `---` when the key is absent."""
    span = ctx.doc.field_lines(key)
    if span:
        return span[0]
    fm = ctx.doc.front_matter
    return fm.open_line if fm else 1


def field_spec(ctx: Context, key: str) -> dict:
    return ctx.config.fields.get(key, {})


def fields_of_type(ctx: Context, *types: str) -> Iterator[tuple[str, dict]]:
    """(key, spec) for each configured field of one of `types`."""
    for key, spec in ctx.config.fields.items():
        if spec.get("type") in types:
            yield key, spec


def describe(value: Any) -> Text:
    """What kind of value the editor wrote, for messages."""
    if isinstance(value, bool):
        return Text("真偽値", "true/false")
    if isinstance(value, int):
        return Text("整数", "a whole number")
    if isinstance(value, float):
        return Text("小数", "a decimal number")
    if isinstance(value, str):
        return Text("文字列", "text")
    if isinstance(value, list):
        return Text("リスト", "a list")
    if isinstance(value, dict):
        return Text("キーと値の組", "a mapping")
    if isinstance(value, datetime):
        return Text("日時", "a date and time")
    if isinstance(value, date):
        return Text("日付", "a date")
    return Text(type(value).__name__, type(value).__name__)


def normalize_term(term: str) -> str:
    """A category or tag as compared: NFKC, case folded, whitespace removed, so that
    `ROI 分析`, `ＲＯＩ分析` and `roi分析` are all `roi分析`."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(term))).casefold()


# -- PD503 ----------------------------------------------------------------------


@rule("PD503", "missing-field", ERROR,
      title=Text("必須の項目がないか、空です", "A required field is missing or empty"),
      description=Text(
          "`front_matter.required` に挙げた項目がフロントマターにないか、空（空文字、空のリスト、null）です。"
          "項目がないときはフロントマターの先頭行、空のときはその項目の行で報告します。"
          "下書きの `date` は公開時に設定されるので対象外です。",
          "A field listed in `front_matter.required` is absent from the front matter, or empty (blank "
          "text, an empty list, null). Reported on the front matter's first line when absent, on the "
          "key's line when empty. A draft's `date` is not asked for: publishing the draft sets it."),
      example='---\nlayout: post\ntitle: ""\n---\n', needs_front_matter=True)
def missing_field(ctx: Context) -> Iterator[Finding]:
    for key in ctx.config.required:
        if key == "date" and is_draft(ctx) and is_empty(ctx.doc.get(key)):
            continue  # publishing a draft sets its date
        if not ctx.doc.has_field(key):  # not `doc.data`: that builds the round-trip tree
            yield ctx.finding(key_line(ctx, key), Text(
                f"必須の項目「{key}」がありません。", f"Required field `{key}` is missing."))
        elif is_empty(ctx.doc.get(key)):
            first, last = ctx.doc.field_lines(key)
            yield ctx.finding(first, Text(
                f"必須の項目「{key}」が空です。", f"Required field `{key}` is empty."), end_line=last)


# -- PD504 ----------------------------------------------------------------------


def datetime_problem(value: Any, with_time: bool) -> Text | None:
    """Why `value` is not a date(-time) as the field wants, or None.

    A `datetime` field needs a time and a UTC offset (`2026-03-04 09:12:30 +0900`):
    without one, Jekyll takes the build machine's zone and the URL's day can shift.
    Values YAML already read as dates or times keep their offset, if any, in tzinfo.
    """
    if isinstance(value, datetime):
        if with_time and value.tzinfo is None:
            return Text("UTC からの時差（+0900 など）がありません", "it has no UTC offset (such as +0900)")
        return None
    if isinstance(value, date):
        if with_time:
            return Text("時刻と UTC からの時差（09:00:00 +0900 など）がありません",
                        "it has no time and UTC offset (such as 09:00:00 +0900)")
        return None
    if not isinstance(value, str):
        return Text(f"日時ではなく{describe(value).ja}です", f"it is {describe(value).en}, not a date")
    m = _DATE_VALUE.match(value)
    if not m:
        return Text("日時の形（2026-03-04 09:12:30 +0900）になっていません",
                    "it is not written as a date (2026-03-04 09:12:30 +0900)")
    try:
        ok = parse_date(value) is not None
    except ValueError:  # an offset beyond ±24 hours
        ok = False
    if not ok:
        return Text("存在しない日付か時刻です", "that date or time does not exist")
    if with_time and (m.group(4) is None or m.group(7) is None):
        return Text("時刻と UTC からの時差（+0900 など）が必要です", "it needs a time and a UTC offset (such as +0900)")
    return None


def list_problem(value: Any, spec: dict) -> Text | None:
    if not isinstance(value, list):
        return Text(f"リスト（[a, b]）であるべきところが{describe(value).ja}です",
                    f"it should be a list ([a, b]) but is {describe(value).en}")
    bad = next((v for v in value if not isinstance(v, (str, int, float)) or isinstance(v, bool)), None)
    if bad is not None or any(is_empty(v) for v in value):
        return Text("リストの要素は空でない文字列にしてください", "list items should be non-empty text")
    lo, hi = spec.get("min"), spec.get("max")
    if lo is not None and len(value) < lo:
        return Text(f"{lo} 個以上必要です（{len(value)} 個）", f"it needs at least {lo} items (has {len(value)})")
    if hi is not None and len(value) > hi:
        return Text(f"{hi} 個までです（{len(value)} 個）", f"it allows at most {hi} items (has {len(value)})")
    return None


def type_problem(value: Any, spec: dict) -> Text | None:
    """Why `value` does not fit the field's configured type, or None."""
    kind = spec.get("type")
    if kind in ("text", "image"):
        return None if isinstance(value, str) else Text(
            f"文字列であるべきところが{describe(value).ja}です", f"it should be text but is {describe(value).en}")
    if kind == "choice":
        choices = spec.get("choices", [])
        if value in choices:
            return None
        return Text(f"「{value}」は選択肢（{', '.join(choices)}）にありません",
                    f"“{value}” is not one of the choices ({', '.join(choices)})")
    if kind in ("datetime", "date"):
        return datetime_problem(value, with_time=kind == "datetime")
    if kind == "list":
        return list_problem(value, spec)
    if kind == "integer":
        return None if isinstance(value, int) and not isinstance(value, bool) else Text(
            f"整数であるべきところが{describe(value).ja}です", f"it should be a whole number but is {describe(value).en}")
    if kind == "number":
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else Text(
            f"数値であるべきところが{describe(value).ja}です", f"it should be a number but is {describe(value).en}")
    if kind == "boolean":
        return None if isinstance(value, bool) else Text(
            f"true か false であるべきところが{describe(value).ja}です", f"it should be true or false but is {describe(value).en}")
    return None


@rule("PD504", "field-type", ERROR,
      title=Text("項目の型や書式が違います", "A field has the wrong type or format"),
      description=Text(
          "`front_matter.fields` の型に合わない値です。UTC からの時差のない日時や存在しない日付（2026-02-30、25:00）、"
          "リストであるべき項目の文字列、整数でない `reading_time`、選択肢にない値、リストの個数の過不足などです。",
          "A value does not fit its type in `front_matter.fields`: a date without a UTC offset or one that "
          "does not exist (2026-02-30, 25:00), text where a list belongs, a `reading_time` that is not a "
          "whole number, a value outside the field's choices, too few or too many list items."),
      example='---\ndate: "2026-02-30 09:00:00 +0900"\ntags: 生成AI\nreading_time: 9.5\n---\n',
      needs_front_matter=True)
def field_type(ctx: Context) -> Iterator[Finding]:
    data = ctx.doc.fields
    for key, spec in ctx.config.fields.items():
        if key not in data or is_empty(data[key]):
            continue  # absent or empty: PD503's business when required
        why = type_problem(data[key], spec)
        if why is not None:
            first, last = ctx.doc.field_lines(key)
            yield ctx.finding(first, Text(f"「{key}」の値が正しくありません: {why.ja}。",
                                          f"`{key}` has a wrong value: {why.en}."), end_line=last)


# -- PD505 ----------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    term: str  # the known category or tag
    score: float  # 0–100
    confident: bool  # safe to replace without asking


def closest_term(term: str, known: list[str]) -> Suggestion | None:
    """The known term closest to `term` (compared normalised), or None when nothing
    is close. Equal once normalised, or a rapidfuzz ratio of 90 or more, is a
    confident match; 70 or more is only worth naming."""
    key = normalize_term(term)
    normalised = {normalize_term(k): k for k in reversed(known)}  # first spelling wins
    if key in normalised:
        return Suggestion(normalised[key], 100.0, True)
    best = process.extractOne(key, list(normalised), scorer=fuzz.ratio, score_cutoff=70)
    if best is None:
        return None
    match, score, _ = best
    return Suggestion(normalised[match], score, score >= 90)


def item_position(ctx: Context, key: str, i: int) -> tuple[int, int | None]:
    """File line and column of item `i` of the list under `key` (the key's line when
    the item's position is unknown). Read without the round-trip tree, which a
    check does not otherwise need (`Document.field_item_position`)."""
    pos = ctx.doc.field_item_position(key, i)
    return pos if pos is not None else (key_line(ctx, key), None)


def taxonomy_fields(ctx: Context) -> Iterator[tuple[str, list[str]]]:
    """(front-matter key, known terms) for each list field drawn from the taxonomy."""
    seen = False
    for key, spec in fields_of_type(ctx, "list"):
        if spec.get("from"):
            seen = True
            yield key, ctx.config["taxonomy"].get(spec["from"], [])
    if not seen:
        yield "categories", ctx.config.categories
        yield "tags", ctx.config.tags


@rule("PD505", "unknown-taxonomy", WARNING,
      title=Text("分類にないカテゴリーやタグです", "A category or tag outside the taxonomy"),
      description=Text(
          "`taxonomy` に登録されていないカテゴリーやタグ、または一つの記事の中でほぼ同じタグ（`ROI分析` と `ROI 分析`）です。"
          "最も近い既知の語を示し、確かなときはその語に置き換えます。",
          "A category or tag not listed in `taxonomy`, or two near-identical tags in one post "
          "(`ROI分析` and `ROI 分析`). Names the closest known term, and replaces the tag with it when "
          "the match is certain."),
      example='---\ncategories: [AI導入戦略]\ntags: ["ROI 分析"]\n---\n', fix="safe", needs_front_matter=True)
def unknown_taxonomy(ctx: Context) -> Iterator[Finding]:
    for key, known in taxonomy_fields(ctx):
        values = ctx.doc.get(key)
        if not isinstance(values, list):
            continue  # a string where a list belongs is PD504's
        terms = [str(v) for v in values]
        keep = kept_spellings(terms, known)
        for i, term in enumerate(terms):
            norm = normalize_term(term)
            line, col = item_position(ctx, key, i)
            if keep[norm] != i:
                kept = terms[keep[norm]]
                yield ctx.finding(line, Text(
                    f"「{key}」の「{term}」は「{kept}」と重複しています。",
                    f"`{key}` item “{term}” duplicates “{kept}”."), col=col,
                    fix=ctx.fix(Text(f"「{term}」を削除", f"Remove “{term}”"),
                                [ctx.set_field_edit(key, terms[:i] + terms[i + 1:])]))
            elif known and term not in known:
                hint = closest_term(term, known)
                yield ctx.finding(line, unknown_message(key, term, hint), col=col,
                                  fix=replace_fix(ctx, key, terms, i, hint))


def kept_spellings(terms: list[str], known: list[str]) -> dict[str, int]:
    """For each normalised term, the index of the item to keep among near-identical
    ones (`ROI分析`, `ROI 分析`): the first known spelling, else the first written.
    Every other item of the group is a duplicate to remove."""
    keep: dict[str, int] = {}
    for i, term in enumerate(terms):
        norm = normalize_term(term)
        if norm not in keep or (term in known and terms[keep[norm]] not in known):
            keep[norm] = i
    return keep


def replace_fix(ctx: Context, key: str, terms: list[str], i: int, hint: Suggestion | None):
    """Replace item `i` with the confidently suggested known term, or remove it when
    that term is already in the list; no fix for a mere guess."""
    if hint is None or not hint.confident:
        return None
    if any(normalize_term(t) == normalize_term(hint.term) for j, t in enumerate(terms) if j != i):
        return ctx.fix(Text(f"「{terms[i]}」を削除（「{hint.term}」があります）",
                            f"Remove “{terms[i]}” (“{hint.term}” is already there)"),
                       [ctx.set_field_edit(key, terms[:i] + terms[i + 1:])])
    return ctx.fix(Text(f"「{hint.term}」に置き換え", f"Replace “{terms[i]}” with “{hint.term}”"),
                   [ctx.set_field_edit(key, terms[:i] + [hint.term] + terms[i + 1:])])


def unknown_message(key: str, term: str, hint: Suggestion | None) -> Text:
    if hint is None:
        return Text(f"「{key}」の「{term}」は分類（taxonomy）にありません。",
                    f"`{key}` item “{term}” is not in the taxonomy.")
    return Text(f"「{key}」の「{term}」は分類（taxonomy）にありません。「{hint.term}」ではありませんか？",
                f"`{key}` item “{term}” is not in the taxonomy. Did you mean “{hint.term}”?")


# -- PD506 ----------------------------------------------------------------------


@rule("PD506", "field-length", WARNING,
      title=Text("タイトルや抜粋の長さが範囲外です", "A title or excerpt is too long or too short"),
      description=Text(
          "`title` や `excerpt` の文字数が `front_matter.fields` の `min_length`／`max_length` の範囲外です。"
          "検索結果や SNS のカードで切れたり、内容が伝わらなかったりします。文字数は全角も半角も 1 文字と数えます。",
          "`title` or `excerpt` is outside its `min_length` / `max_length` in `front_matter.fields`: search "
          "results and share cards cut it off, or it says too little. Counted in characters (a full-width "
          "character counts as one)."),
      example='---\nexcerpt: "短すぎる抜粋です。"\n---\n', needs_front_matter=True)
def field_length(ctx: Context) -> Iterator[Finding]:
    for key, spec in ctx.config.fields.items():
        lo, hi = spec.get("min_length"), spec.get("max_length")
        value = ctx.doc.get(key)
        if (lo is None and hi is None) or not isinstance(value, str) or is_empty(value):
            continue
        n = len(unicodedata.normalize("NFC", value.strip()))
        if hi is not None and n > hi:
            msg = Text(f"「{key}」が長すぎます（{n} 文字、上限 {hi} 文字）。",
                       f"`{key}` is too long ({n} characters, at most {hi}).")
        elif lo is not None and n < lo:
            msg = Text(f"「{key}」が短すぎます（{n} 文字、下限 {lo} 文字）。",
                       f"`{key}` is too short ({n} characters, at least {lo}).")
        else:
            continue
        first, last = ctx.doc.field_lines(key)
        yield ctx.finding(first, msg, end_line=last)


# -- PD507 ----------------------------------------------------------------------


@rule("PD507", "reading-time", WARNING,
      title=Text("読了時間が本文の長さと合いません", "reading_time does not match the text"),
      description=Text(
          "`reading_time` が、本文の読める文字数（フッター、コード、記法を除いた空白以外の文字。見出しを含む）を "
          "`reading_speed_cpm` で割って四捨五入した分数と、max(1, 20%) を超えて違います。修正で計算値にします。",
          "`reading_time` differs by more than max(1, 20 %) from the minutes computed from the readable text "
          "(the body's non-whitespace characters without the footer, code and markup; headings included) "
          "divided by `reading_speed_cpm`, rounded half up. The fix sets the computed value."),
      example="---\nreading_time: 30\n---\n\n短い本文です。\n", fix="safe", needs_front_matter=True)
def reading_time(ctx: Context) -> Iterator[Finding]:
    value = ctx.doc.get("reading_time")
    if not isinstance(value, int) or isinstance(value, bool):
        return  # absent (not asked for) or not a whole number (PD504)
    minutes = ctx.post.reading_minutes
    if abs(value - minutes) <= max(1, Fraction(minutes, 5)):
        return
    first, last = ctx.doc.field_lines("reading_time")
    yield ctx.finding(first, Text(
        f"reading_time が {value} 分ですが、本文（{ctx.post.readable_chars} 文字）からは {minutes} 分です。",
        f"reading_time is {value} min, but the text ({ctx.post.readable_chars} characters) reads in {minutes} min."),
        end_line=last,
        fix=ctx.fix(Text(f"{minutes} 分にする", f"Set it to {minutes}"), [ctx.set_field_edit("reading_time", minutes)]))


# -- PD508 ----------------------------------------------------------------------


def image_file(ctx: Context, url: str) -> Path | None:
    """The file a site-relative image URL names under the site root, or None for a
    URL on another host (nothing to check on disk)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or ctx.site is None:
        return None
    return ctx.site.root / unquote(parts.path).lstrip("/")


def post_stem(ctx: Context) -> str | None:
    if ctx.info is not None:
        return ctx.info.stem
    return ctx.doc.path.stem if ctx.doc.path is not None else None


def is_draft(ctx: Context) -> bool:
    if ctx.info is not None:
        return ctx.info.draft
    return ctx.doc.path is not None and ctx.doc.path.parent.name == "_drafts"


def pattern_regex(pattern: str) -> re.Pattern:
    """The image pattern with `{stem}` as any file-name part: a draft's image is named
    after the post it will become (`2026-03-04-1-slug`), which is not known yet."""
    return re.compile("^" + re.escape(pattern).replace(re.escape("{stem}"), r"[^/]+") + "$")


@rule("PD508", "share-image", WARNING,
      title=Text("シェア画像の指定が規則と違うか、ファイルがありません", "The share image is off-pattern or missing"),
      description=Text(
          "`image` が `front_matter.fields.image.pattern`（`{stem}` はファイル名から拡張子を除いたもの）に従っていないか、"
          "サイトにそのファイルがありません。下書きはまだ日付のないファイル名なので、`{stem}` にはどの名前も認めます。"
          "規則どおりの画像ファイルがあれば、修正でそれを指定します。",
          "`image` does not follow `front_matter.fields.image.pattern` (`{stem}`: the file name without its "
          "extension), or the file is missing under the site root. Drafts have no dated name yet, so any name "
          "is accepted for their `{stem}`. When the pattern's file exists, the fix points `image` at it."),
      example='---\nimage: "/assets/images/posts/old-name-ogp.png"\n---\n', fix="safe", needs_front_matter=True)
def share_image(ctx: Context) -> Iterator[Finding]:
    value = ctx.doc.get("image")
    pattern = field_spec(ctx, "image").get("pattern")
    if not isinstance(value, str) or is_empty(value):
        return  # absent/empty: PD503; not text: PD504
    value = value.strip()
    stem = post_stem(ctx)
    expected = pattern.replace("{stem}", stem) if pattern and stem else None
    if pattern is None or stem is None:
        follows = True
    elif is_draft(ctx):
        follows = bool(pattern_regex(pattern).match(value))
    else:
        follows = value == expected
    path = image_file(ctx, value)
    missing = path is not None and not path.is_file()
    if follows and not missing:
        return
    shown = pattern if is_draft(ctx) else expected
    ja, en = [], []
    if not follows:
        ja.append(f"シェア画像「{value}」がファイル名の規則（{shown}）に従っていません。")
        en.append(f"Share image “{value}” does not follow the pattern ({shown}).")
    if missing:
        ja.append(f"シェア画像「{value}」のファイルがサイトにありません。")
        en.append(f"Share image “{value}” is missing from the site.")
    fix = None
    if expected and not is_draft(ctx) and value != expected:
        target = image_file(ctx, expected)
        if target is not None and target.is_file():
            fix = ctx.fix(Text(f"{expected} にする", f"Use {expected}"), [ctx.set_field_edit("image", expected)])
    first, last = ctx.doc.field_lines("image")
    yield ctx.finding(first, Text("".join(ja), " ".join(en)), end_line=last, fix=fix)


# -- PD509 ----------------------------------------------------------------------


def file_date(ctx: Context) -> date | None:
    """The date in a post's file name; None for drafts and undated names."""
    if ctx.info is not None:
        return None if ctx.info.draft else ctx.info.file_date
    path = ctx.doc.path
    if path is None or path.parent.name != "_posts":
        return None
    m = POST_NAME.match(path.name)
    try:
        return date(int(m[1]), int(m[2]), int(m[3])) if m else None
    except ValueError:
        return None


def publication_day(ctx: Context, value: Any) -> date | None:
    """The day the post is dated, as Jekyll sees it: in the site's time zone when
    `_config.yml` sets one, else in the date's own offset."""
    try:
        when = parse_date(value)
    except ValueError:
        return None
    if when is None:
        return None
    zone = ctx.site.timezone if ctx.site is not None else None
    if when.tzinfo is not None and zone is not None:
        when = when.astimezone(zone)
    return when.date()


@rule("PD509", "date-filename", WARNING,
      title=Text("date とファイル名の日付が違います", "date and the file name's date differ"),
      description=Text(
          "`date:` の日付とファイル名の日付が違います。Jekyll は URL に `date:` の日付を使うので、"
          "ほかの記事からのリンクが切れることがあります。日付はサイトのタイムゾーン（`_config.yml` の timezone）、"
          "なければ `date:` 自身の時差で比べます。下書きは対象外です。",
          "The day in `date:` differs from the day in the file name. Jekyll builds the URL from `date:`, "
          "so links to the post from other posts can break. Compared in the site's time zone (`_config.yml` "
          "`timezone`), else in the date's own offset. Drafts have no date in their name."),
      example="# _posts/2026-03-04-1-slug.md\n---\ndate: 2026-03-05 09:00:00 +0900\n---\n", needs_front_matter=True)
def date_filename(ctx: Context) -> Iterator[Finding]:
    named = file_date(ctx)
    dated = publication_day(ctx, ctx.doc.get("date"))
    if named is None or dated is None or named == dated:
        return
    first, last = ctx.doc.field_lines("date")
    yield ctx.finding(first, Text(
        f"date の日付（{dated.isoformat()}）がファイル名の日付（{named.isoformat()}）と違います。",
        f"date's day ({dated.isoformat()}) differs from the file name's ({named.isoformat()})."), end_line=last)
