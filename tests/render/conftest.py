"""Helpers for the renderer's unit tests."""
from __future__ import annotations

import pytest

from app.core.markdown import tokenize
from app.core.render import render_html


@pytest.fixture
def html():
    """`html(body, page=None, site=None)`: the body's HTML, as Jekyll would write it."""
    def render(body: str, page=None, site=None, **options) -> str:
        tokens, env = tokenize(body, page, site)
        return render_html(tokens, env, **options).html
    return render
