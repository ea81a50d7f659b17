"""The rule catalogue, generated from the rules' own metadata (`postdesk rules`)."""
from __future__ import annotations

from .rules import REGISTRY

_SEV = {"ja": {"error": "エラー", "warning": "警告", "info": "情報"}, "en": {"error": "error", "warning": "warning", "info": "info"}}
_FIX = {"ja": {"safe": "自動修正あり", "unsafe": "修正あり（要確認）", None: "自動修正なし"},
        "en": {"safe": "fixable", "unsafe": "fixable (review)", None: "no fix"}}


def listing(lang: str = "ja") -> str:
    lines = []
    for code, r in sorted(REGISTRY.items()):
        lines.append(f"{code}  {r.name:<28} {_SEV[lang][r.severity.value]:<8} {r.title(lang)}")
    return "\n".join(lines) + "\n"


def describe(code: str, lang: str = "ja") -> str | None:
    r = REGISTRY.get(code)
    if r is None:
        return None
    labels = ({"sev": "既定の重大度", "fix": "修正", "ex": "この規則が反応する例", "off": "無効にするには"} if lang == "ja"
              else {"sev": "Default severity", "fix": "Fix", "ex": "Example that fires", "off": "To turn it off"})
    out = [f"{r.code} {r.name}: {r.title(lang)}", "", r.description(lang), "",
           f"{labels['sev']}: {_SEV[lang][r.severity.value]}", f"{labels['fix']}: {_FIX[lang][r.fix]}"]
    if r.example:
        out += ["", f"{labels['ex']}:", "", *("    " + line for line in r.example.rstrip("\n").split("\n"))]
    out += ["", f"{labels['off']}: .editorial.yml `rules: {{{r.code}: off}}`, "
            f"<!-- postdesk-disable-next-line {r.code} -->"]
    return "\n".join(out) + "\n"
