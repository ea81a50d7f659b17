"""The command line: `postdesk check | set | rules | render`, and `postdesk [SITE]`
opening the window. Needs no Qt except for the window."""
from __future__ import annotations

import argparse
import locale
import os
import sys
import time
from pathlib import Path
from typing import Sequence

from . import __version__

SUBCOMMANDS = ("check", "set", "rules", "render")
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def system_lang() -> str:
    """`ja` or `en`, from the environment as gettext reads it."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "ja" if loc.lower().startswith("ja") else "en"


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="postdesk", description="PostDesk: pre-publish checks for Jekyll posts.")
    p.add_argument("--version", action="version", version=f"postdesk {__version__}")
    sub = p.add_subparsers(dest="command")

    c = sub.add_parser("check", help="check posts and drafts")
    c.add_argument("paths", nargs="*", type=Path)
    c.add_argument("--site", type=Path, help="the site root (default: found upward from the paths)")
    c.add_argument("--format", default="text", choices=["text", "json", "sarif", "junit", "github"])
    c.add_argument("--output", type=Path)
    c.add_argument("--lang", choices=["ja", "en"])
    c.add_argument("--fix", action="store_true", help="apply safe fixes")
    c.add_argument("--unsafe-fixes", action="store_true", help="with --fix, also apply fixes to review")
    c.add_argument("--no-cache", action="store_true", help="ignore and leave untouched any cache")
    c.add_argument("--jobs", "-j", type=int, metavar="N",
                   help="worker processes (default: every core when there are enough posts; 1: no workers)")

    s = sub.add_parser("set", help="set front-matter fields losslessly")
    s.add_argument("--field", action="append", required=True, metavar="KEY=VALUE", help="VALUE is read as YAML")
    s.add_argument("paths", nargs="+", type=Path)

    r = sub.add_parser("rules", help="print the rule catalogue, or one rule")
    r.add_argument("code", nargs="?")
    r.add_argument("--lang", choices=["ja", "en"])

    rd = sub.add_parser("render", help="print the HTML a post's body becomes under Jekyll")
    rd.add_argument("post", type=Path)
    rd.add_argument("--output", type=Path)
    rd.add_argument("--standalone", action="store_true", help="a whole page with the site stylesheet")
    return p


def _open_site(paths: Sequence[Path], site_arg: Path | None):
    from .core.site import Site, find_root
    if site_arg is not None:
        if not site_arg.is_dir():
            raise UsageError(f"--site {site_arg}: not a folder")
        return Site(site_arg)
    start = paths[0] if paths else Path.cwd()
    if not start.exists():
        raise UsageError(f"{start}: no such file or folder")
    root = find_root(start)
    if root is None:  # a lone file: its folder, with the default configuration
        root = start.resolve() if start.is_dir() else start.resolve().parent
    return Site(root)


def _expand(paths: Sequence[Path], site) -> list[Path] | None:
    """Files to check: given files, and posts/drafts under given folders; None = all."""
    if not paths:
        return None
    out: list[Path] = []
    for p in paths:
        if not p.exists():
            raise UsageError(f"{p}: no such file or folder")
        if p.is_dir():
            rp = p.resolve()
            if rp == site.root:
                return None
            out.extend(i.path for i in site.all_posts if rp in i.path.parents)
        else:
            out.append(p.resolve())
    return out


def cmd_check(args) -> int:
    from .core.engine import Engine
    from .core.reports import Report, renderer
    lang = args.lang or system_lang()
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs: expected a number of processes, 1 or more")
    site = _open_site(args.paths, args.site)
    engine = Engine(site)
    targets = _expand(args.paths, site)
    started = time.perf_counter()
    if args.fix:
        _apply_fixes(engine, targets, site, args.unsafe_fixes, lang)
    results = engine.check_site(targets, jobs=args.jobs, cache=_result_cache(engine, site, args.no_cache))
    report = Report(results, site.root, lang, __version__, time.perf_counter() - started)
    text = renderer(args.format)(report)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_FINDINGS if report.summary["errors"] else EXIT_OK


def _result_cache(engine, site, disabled: bool):
    """The site's result cache (`<site>/.postdesk-cache/`), or None with --no-cache,
    which neither reads nor writes it."""
    if disabled:
        return None
    from .core.cache import ResultCache
    return ResultCache.for_site(site, engine.config, [r.code for r in engine.rules])


def _apply_fixes(engine, targets, site, unsafe: bool, lang: str) -> None:
    from .core.document import Document, DocumentError
    from .core.fixes import fix_until_clean
    paths = targets if targets is not None else [i.path for i in site.all_posts]
    for path in paths:
        try:
            doc = Document.load(path)
        except (DocumentError, OSError):
            continue
        info = site.info_for(path)
        fixed, n = fix_until_clean(doc, lambda d: engine.check_document(d, info), unsafe)
        if n:
            fixed.save(path)
            print(f"{site.rel(path)}: {n} fix(es) applied" if lang == "en" else f"{site.rel(path)}: {n} 件を修正",
                  file=sys.stderr)


def cmd_set(args) -> int:
    from .core.document import Document, DocumentError
    pairs = []
    for item in args.field:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--field {item!r}: expected KEY=VALUE")
        pairs.append((key.strip(), value))
    status = EXIT_OK
    for path in args.paths:
        try:
            doc = Document.load(path)
            for key, value in pairs:
                doc = doc.with_field_yaml(key, value)
        except DocumentError as exc:
            print(f"{path}: {exc.code} {exc.message.en}", file=sys.stderr)
            status = EXIT_FINDINGS
            continue
        except (OSError, ValueError) as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            status = EXIT_FINDINGS
            continue
        if doc.to_bytes() != path.read_bytes():
            doc.save(path)
    return status


def cmd_rules(args) -> int:
    from .core.catalogue import describe, listing
    lang = args.lang or system_lang()
    if args.code:
        text = describe(args.code.upper(), lang)
        if text is None:
            raise UsageError(f"unknown rule {args.code}")
        sys.stdout.write(text)
    else:
        sys.stdout.write(listing(lang))
    return EXIT_OK


def cmd_render(args) -> int:
    from .core.preview import render_post_file
    html = render_post_file(args.post, standalone=args.standalone)
    if args.output:
        args.output.write_text(html, encoding="utf-8")
    else:
        sys.stdout.write(html)
    return EXIT_OK


def open_window(argv: Sequence[str]) -> int:
    try:
        import PySide6  # noqa: F401
    except ImportError:
        print("The PostDesk window needs the GUI extra: pip install \"postdesk[gui]\"\n"
              "(the command line works without it: postdesk check --help)", file=sys.stderr)
        return EXIT_USAGE
    from .ui.app import run
    return run(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in SUBCOMMANDS and not argv[0].startswith("-")):
        return open_window(argv)
    args = _parser().parse_args(argv)
    from .core.config import ConfigError
    try:
        return {"check": cmd_check, "set": cmd_set, "rules": cmd_rules, "render": cmd_render}[args.command](args)
    except UsageError as exc:
        print(f"postdesk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ConfigError as exc:
        where = f"{exc.file}: " if exc.file else ""
        print(f"postdesk: configuration error: {where}{exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
