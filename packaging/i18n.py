"""Regenerate and check PostDesk's translation (Japanese; the source strings are English).

    python packaging/i18n.py            update, then release (what to run after adding strings)
    python packaging/i18n.py update     pyside6-lupdate: every tr() of app/ui/*.py into
                                        resources/i18n/postdesk_ja.ts (existing translations
                                        kept, entries no longer in the code dropped), plus
                                        the tr() calls lupdate cannot see (inside f-strings)
    python packaging/i18n.py release    pyside6-lrelease: postdesk_ja.ts -> postdesk_ja.qm
    python packaging/i18n.py check      list unfinished entries and tr() strings with no
                                        entry; exit status 1 if there is any

Translate the new (unfinished) entries of the .ts between update and release, with Qt
Linguist (`pyside6-linguist resources/i18n/postdesk_ja.ts`) or any editor: put the
Japanese in <translation> and remove its type="unfinished". Commit the .ts and the .qm.
tests/ui/test_i18n.py runs the same check, so a string added without its translation
turns the suite red.

The check's reading of the sources is its own (Python's ast), not lupdate's, so it also
catches a string lupdate would miss: `self.tr("…")` / `QCoreApplication.translate("Ctx",
"…")` with literal text; the context of `self.tr` is the enclosing class, as for lupdate.
"""
from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "app" / "ui"
TS = ROOT / "resources" / "i18n" / "postdesk_ja.ts"
QM = TS.with_suffix(".qm")
TRANSLATE_NAMES = {"translate"}  # QCoreApplication.translate / QApplication.translate


@dataclass(frozen=True)
class Entry:
    """One message of a .ts file."""

    context: str
    source: str
    comment: str
    translations: tuple[str, ...]  # one, or the numerus forms
    unfinished: bool
    numerus: bool


def tool(name: str) -> str:
    """A PySide6 tool next to this Python (a venv's bin/), else on PATH."""
    for candidate in (Path(sys.executable).parent / name, Path(sys.executable).parent / f"{name}.exe"):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6 (pip install -e .)")
    return found


def source_files() -> list[Path]:
    return sorted(SOURCES.glob("*.py"))


def update(ts: Path = TS) -> None:
    """lupdate, then the entries lupdate's parser misses, with their earlier translations."""
    ts.parent.mkdir(parents=True, exist_ok=True)
    before = {(e.context, e.source, e.comment): e for e in entries(ts)} if ts.is_file() else {}
    subprocess.run([tool("pyside6-lupdate"), *map(str, source_files()), "-no-obsolete", "-locations", "none",
                    "-source-language", "en", "-target-language", "ja", "-ts", str(ts)], check=True, cwd=ROOT)
    supplement(ts, before)


def supplement(ts: Path, before: dict[tuple[str, str, str], Entry]) -> int:
    """Add to `ts` every literal tr() string of the sources it lacks (lupdate does not
    look inside f-strings), translated as `before` had it, else unfinished. Returns how
    many were added."""
    tree = ET.parse(ts)
    root = tree.getroot()
    contexts = {c.findtext("name"): c for c in root.iter("context")}
    have = {(e.context, e.source, e.comment) for e in entries(ts)}
    added = 0
    for path in source_files():
        for ctx, text, comment, _line in tr_calls(path):
            key = (ctx, text, comment)
            if key in have:
                continue
            have.add(key)
            if ctx not in contexts:
                contexts[ctx] = ET.SubElement(root, "context")
                ET.SubElement(contexts[ctx], "name").text = ctx
            msg = ET.SubElement(contexts[ctx], "message")
            ET.SubElement(msg, "source").text = text
            if comment:
                ET.SubElement(msg, "comment").text = comment
            tr = ET.SubElement(msg, "translation")
            old = before.get(key)
            if old is not None and not old.unfinished and not old.numerus:
                tr.text = old.translations[0]
            else:
                tr.set("type", "unfinished")
            added += 1
    if added:
        ET.indent(tree, "    ")
        body = ET.tostring(root, encoding="unicode")
        ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")
    return added


def release(ts: Path = TS, qm: Path = QM) -> None:
    subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, cwd=ROOT)


def entries(ts: Path = TS) -> list[Entry]:
    """Every current message of `ts` (entries lupdate marked vanished or obsolete left out)."""
    out = []
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.iter("message"):
            tr = m.find("translation")
            kind = tr.get("type") if tr is not None else "unfinished"
            if kind in ("vanished", "obsolete"):
                continue
            numerus = m.get("numerus") == "yes"
            if tr is None:
                forms: tuple[str, ...] = ("",)
            elif numerus:
                forms = tuple(f.text or "" for f in tr.iter("numerusform"))
            else:
                forms = (tr.text or "",)
            out.append(Entry(name, m.findtext("source") or "", m.findtext("comment") or "", forms,
                             kind == "unfinished" or not all(f.strip() for f in forms), numerus))
    return out


def tr_calls(path: Path) -> list[tuple[str, str, str, int]]:
    """(context, source, disambiguation, line) of each translatable literal in `path`:
    `<x>.tr("text"[, "comment"])` inside a class (context: the class) and
    `<x>.translate("Context", "text"[, "comment"])`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[tuple[str, str, str, int]] = []

    def literal(node) -> str | None:
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    def visit(node, cls: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute):
                args = [literal(a) for a in child.args]
                if child.func.attr == "tr" and cls and args and args[0] is not None:
                    found.append((cls, args[0], (args[1] or "") if len(args) > 1 else "", child.lineno))
                elif child.func.attr in TRANSLATE_NAMES and len(args) >= 2 and None not in args[:2]:
                    found.append((args[0], args[1], (args[2] or "") if len(args) > 2 else "", child.lineno))
            visit(child, cls)

    visit(tree, None)
    return found


def problems(ts: Path = TS) -> list[str]:
    """What keeps the translation from being complete, one line each (empty: complete)."""
    have = entries(ts)
    known = {(e.context, e.source, e.comment) for e in have}
    out = [f"unfinished: [{e.context}] {e.source!r}" for e in have if e.unfinished]
    for path in source_files():
        for ctx, text, comment, line in tr_calls(path):
            if (ctx, text, comment) not in known:
                shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                out.append(f"no entry: {shown}:{line} [{ctx}] {text!r} "
                           "(run python packaging/i18n.py update, translate, release)")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", nargs="?", default="all", choices=("all", "update", "release", "check"))
    args = ap.parse_args(argv)
    if args.command in ("all", "update"):
        update()
    if args.command in ("all", "release"):
        release()
    issues = problems()
    for line in issues:
        print(line)
    if args.command == "check":
        return 1 if issues else 0
    if issues:
        print(f"{len(issues)} strings still need a translation in {TS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
