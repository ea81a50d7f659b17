"""`.editorial.yml`: PostDesk's per-site configuration.

Every key has a default, so a site without the file works. The file is validated
strictly against a schema: an unknown key or a wrong type is a `ConfigError` naming
the key's path (`duplicates.similarity: expected a number`), never ignored.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ruamel.yaml.error import YAMLError

from .document import decode, load_safe, plain

CONFIG_NAME = ".editorial.yml"

DEFAULT_CTA_TEMPLATES = {
    "case_study": "## AI導入のご相談を承っています\n\n導入事例のような成果を自社でも実現したい方は、お気軽にご相談ください。\n\n"
    "[お問い合わせはこちら](/contact/?utm_source=article&utm_medium=cta&utm_campaign=case_study)\n{: .consulting-cta-link}",
    "strategy": "## AI導入のご相談を承っています\n\n自社に合ったAI導入の進め方を一緒に考えます。お気軽にご相談ください。\n\n"
    "[お問い合わせはこちら](/contact/?utm_source=article&utm_medium=cta&utm_campaign=strategy)\n{: .consulting-cta-link}",
    "tech_guide": "## AI導入のご相談を承っています\n\n技術選定や検証の進め方でお悩みの方は、お気軽にご相談ください。\n\n"
    "[サービス内容を見る](/services/?utm_source=article&utm_medium=cta&utm_campaign=tech_guide)\n{: .consulting-cta-link}",
    "news": "## 最新のAI動向をお届けしています\n\nほかにも生成AIの最新ニュースを解説しています。\n\n"
    "[他の記事も読む](/?utm_source=article&utm_medium=cta&utm_campaign=news)\n{: .consulting-cta-link}",
}

DEFAULTS: dict[str, Any] = {
    "permalink": None,  # None: _config.yml's, else /:year/:month/:day/:title/
    "front_matter": {
        "required": ["layout", "title", "date", "categories", "tags", "author", "excerpt", "image"],
        "fields": {
            "layout": {"type": "choice", "choices": ["post"]},
            "title": {"type": "text", "max_length": 60},
            "date": {"type": "datetime"},
            "categories": {"type": "list", "from": "categories", "min": 1, "max": 1},
            "tags": {"type": "list", "from": "tags", "min": 1, "max": 8},
            "author": {"type": "text"},
            "excerpt": {"type": "text", "min_length": 60, "max_length": 160},
            "reading_time": {"type": "integer"},
            "image": {"type": "image", "pattern": "/assets/images/posts/{stem}-ogp.png"},
        },
    },
    "taxonomy": {
        "categories": ["導入事例", "AI導入戦略", "AI技術ガイド", "AI最新ニュース"],
        "tags": [],  # empty: any tag is accepted
    },
    "reading_speed_cpm": 450,
    "footer": {"related_heading": "あわせて読みたい"},
    "cta": {
        "marker_class": "consulting-cta-link",
        "campaigns": {"導入事例": "case_study", "AI導入戦略": "strategy", "AI技術ガイド": "tech_guide", "AI最新ニュース": "news"},
        "templates": DEFAULT_CTA_TEMPLATES,
    },
    "affiliate": {
        "programs": [
            {"name": "Amazon", "hosts": ["amazon.co.jp", "www.amazon.co.jp", "amzn.to", "amzn.asia"],
             "tag_param": "tag", "tracking_ids": ["example-22"],
             "required_statement": "Amazonのアソシエイトとして、当サイトは適格販売により収入を得ています。"},
            {"name": "A8.net", "hosts": ["px.a8.net"]},
            {"name": "もしもアフィリエイト", "hosts": ["af.moshimo.com"]},
            {"name": "バリューコマース", "hosts": ["ck.jp.ap.valuecommerce.com"]},
            {"name": "楽天アフィリエイト", "hosts": ["hb.afl.rakuten.co.jp"]},
        ],
        "disclosure_patterns": ["アフィリエイトリンクが含まれ", "広告", "PR", "プロモーション"],
        "disclosure_text": "*※ 本ページのリンクにはアフィリエイトリンクが含まれます。*",
        "disclosure_position": "before_first_link",
    },
    "duplicates": {"similarity": 90, "min_chars": 60, "cross_post_similarity": 70},
    "rules": {},
}

FIELD_TYPES = ("text", "choice", "datetime", "date", "list", "integer", "number", "boolean", "image")
SEVERITIES = ("error", "warning", "info")


class ConfigError(Exception):
    """A configuration problem; `path` is the key's dotted path."""

    def __init__(self, path: str, message: str, file: Path | None = None):
        self.path = path
        self.file = file
        super().__init__(f"{path}: {message}" if path else message)


# -- a tiny schema language --------------------------------------------------
Check = Callable[[Any, str], Any]


def _type_name(v: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "true/false", int: "a number",
            float: "a number", type(None): "nothing"}.get(type(v), type(v).__name__)


def _expect(ok: bool, path: str, what: str, v: Any) -> None:
    if not ok:
        raise ConfigError(path, f"expected {what}, got {_type_name(v)}")


def string(v: Any, path: str) -> str:
    _expect(isinstance(v, str), path, "a string", v)
    return v


def optional_string(v: Any, path: str) -> str | None:
    return None if v is None else string(v, path)


def number(v: Any, path: str) -> float:
    _expect(isinstance(v, (int, float)) and not isinstance(v, bool), path, "a number", v)
    return v


def integer(v: Any, path: str) -> int:
    _expect(isinstance(v, int) and not isinstance(v, bool), path, "a whole number", v)
    return v


def in_range(lo: float, hi: float) -> Check:
    def check(v: Any, path: str) -> float:
        number(v, path)
        if not lo <= v <= hi:
            raise ConfigError(path, f"expected a number from {lo} to {hi}, got {v}")
        return v
    return check


def positive(v: Any, path: str) -> float:
    number(v, path)
    if v <= 0:
        raise ConfigError(path, f"expected a positive number, got {v}")
    return v


def one_of(*choices: str) -> Check:
    def check(v: Any, path: str) -> str:
        string(v, path)
        if v not in choices:
            raise ConfigError(path, f"expected one of {', '.join(choices)}, got {v!r}")
        return v
    return check


def list_of(item: Check) -> Check:
    def check(v: Any, path: str) -> list:
        _expect(isinstance(v, list), path, "a list", v)
        return [item(x, f"{path}[{i}]") for i, x in enumerate(v)]
    return check


def map_of(item: Check) -> Check:
    def check(v: Any, path: str) -> dict:
        _expect(isinstance(v, dict), path, "a mapping", v)
        return {str(k): item(x, f"{path}.{k}") for k, x in v.items()}
    return check


def record(fields: dict[str, Check], required: tuple[str, ...] = ()) -> Check:
    """A mapping with exactly these keys (any subset, plus the required ones)."""
    def check(v: Any, path: str) -> dict:
        _expect(isinstance(v, dict), path, "a mapping", v)
        for k in v:
            if k not in fields:
                raise ConfigError(_join(path, k), f"unknown key (known: {', '.join(fields)})")
        for k in required:
            if k not in v:
                raise ConfigError(_join(path, k), "missing")
        return {k: fields[k](x, _join(path, k)) for k, x in v.items()}
    return check


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _field_spec(v: Any, path: str) -> dict:
    spec = record({
        "type": one_of(*FIELD_TYPES), "choices": list_of(string), "max_length": integer,
        "min_length": integer, "from": one_of("categories", "tags"), "min": integer, "max": integer,
        "pattern": string, "label": string,
    }, required=("type",))(v, path)
    return spec


def _rule_setting(v: Any, path: str) -> dict:
    """`off`/`false`, `on`/`true`, a severity, or `{severity: …, enabled: …}`."""
    if isinstance(v, bool):
        return {"enabled": v}
    if isinstance(v, str):
        if v in ("off", "on"):
            return {"enabled": v == "on"}
        return {"severity": one_of(*SEVERITIES)(v, path)}
    return record({"severity": one_of(*SEVERITIES), "enabled": _boolean})(v, path)


def _boolean(v: Any, path: str) -> bool:
    _expect(isinstance(v, bool), path, "true or false", v)
    return v


_PROGRAM = record({
    "name": string, "hosts": list_of(string), "tag_param": string, "tracking_ids": list_of(string),
    "required_statement": string,
}, required=("name", "hosts"))

SCHEMA = record({
    "permalink": optional_string,
    "front_matter": record({"required": list_of(string), "fields": map_of(_field_spec)}),
    "taxonomy": record({"categories": list_of(string), "tags": list_of(string)}),
    "reading_speed_cpm": positive,
    "footer": record({"related_heading": string}),
    "cta": record({"marker_class": string, "campaigns": map_of(string), "templates": map_of(string)}),
    "affiliate": record({
        "programs": list_of(_PROGRAM), "disclosure_patterns": list_of(string),
        "disclosure_text": string, "disclosure_position": one_of("before_first_link", "anywhere"),
    }),
    "duplicates": record({"similarity": in_range(0, 100), "min_chars": integer,
                          "cross_post_similarity": in_range(0, 100)}),
    "rules": map_of(_rule_setting),
})


def _merge(base: dict, override: dict) -> dict:
    """Mappings merge key by key (front_matter.fields per field); lists replace."""
    out = copy.deepcopy(base)
    for k, v in override.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict) and k not in ("campaigns", "rules"):
            out[k] = _merge(out[k], v) if k != "fields" else {**out[k], **v}
        else:
            out[k] = v
    return out


@dataclass(frozen=True)
class Program:
    name: str
    hosts: tuple[str, ...]
    tag_param: str | None = None
    tracking_ids: tuple[str, ...] = ()
    required_statement: str | None = None

    def matches_host(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == h or host.endswith("." + h) for h in self.hosts)


class Config:
    """The effective configuration: defaults merged with the site's file."""

    def __init__(self, raw: dict | None = None, source: Path | None = None):
        raw = raw or {}
        SCHEMA(raw, "")
        self.source = source
        self.data = _merge(DEFAULTS, raw)
        self.rule_settings: dict[str, dict] = SCHEMA(self.data, "")["rules"]
        for code in self.rule_settings:
            if not (len(code) == 5 and code.startswith("PD") and code[2:].isdigit()):
                raise ConfigError(f"rules.{code}", "unknown rule code (expected PDnnn)")

    @classmethod
    def load(cls, path: Path | str) -> "Config":
        path = Path(path)
        try:
            text, _ = decode(path.read_bytes())
        except Exception as exc:  # DocumentError, OSError
            raise ConfigError("", f"cannot read {path.name}: {exc}", path) from exc
        try:
            loaded = load_safe(text)
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
            raise ConfigError("", f"{path.name} is not valid YAML{where}: {getattr(exc, 'problem', exc)}", path) from exc
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise ConfigError("", f"{path.name} must be a mapping of keys", path)
        try:
            return cls(plain(loaded), path)
        except ConfigError as exc:
            exc.file = path
            raise

    # -- convenient views ---------------------------------------------------
    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get_path(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            node = node[part]
        return node

    @property
    def fields(self) -> dict[str, dict]:
        return self.data["front_matter"]["fields"]

    @property
    def required(self) -> list[str]:
        return self.data["front_matter"]["required"]

    @property
    def categories(self) -> list[str]:
        return self.data["taxonomy"]["categories"]

    @property
    def tags(self) -> list[str]:
        return self.data["taxonomy"]["tags"]

    @property
    def programs(self) -> list[Program]:
        return [Program(p["name"], tuple(p["hosts"]), p.get("tag_param"), tuple(p.get("tracking_ids", ())),
                        p.get("required_statement")) for p in self.data["affiliate"]["programs"]]

    def program_for_host(self, host: str) -> Program | None:
        return next((p for p in self.programs if p.matches_host(host)), None)

    def rule_enabled(self, code: str) -> bool:
        return self.rule_settings.get(code, {}).get("enabled", True)

    def rule_severity(self, code: str, default: str) -> str:
        return self.rule_settings.get(code, {}).get("severity", default)

    def fingerprint(self) -> str:
        """A stable digest of the effective configuration (for result caches)."""
        import hashlib
        import json
        return hashlib.sha256(json.dumps(self.data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]
