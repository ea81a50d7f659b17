"""Every rule, registered by importing its family's module.

One module per family; each rule carries its own metadata (see base.py). To add a
rule, write it in its family's module; the registry, the catalogue, the reports and
the window pick it up from there.
"""
from __future__ import annotations

import importlib

from .base import REGISTRY, Context, Rule, iter_rules, rule

FAMILIES = ("residue", "duplicates", "similar", "cta", "affiliate", "front_matter", "links", "headings")

for _family in FAMILIES:
    try:
        importlib.import_module(f"{__name__}.{_family}")
    except ModuleNotFoundError as exc:  # a family not written yet
        if exc.name != f"{__name__}.{_family}":
            raise

__all__ = ["REGISTRY", "Context", "Rule", "iter_rules", "rule"]
