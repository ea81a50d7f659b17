"""PD1xx: residue of machine drafting and structural damage."""
from __future__ import annotations

import re
from typing import Iterator

from ..findings import Finding, Text
from .base import ERROR, Context, rule

MARKER = re.compile(r"^\s*-{2,}\s*END\s*-{2,}\s*$", re.IGNORECASE)


@rule("PD101", "generation-marker", ERROR,
      title=Text("生成マーカーが残っています", "A generation marker is left in the text"),
      description=Text(
          "下書き生成の区切りとして入る `---END---` などの行が残っています。公開するとそのまま「—END—」と表示されます。",
          "A line such as `---END---`, left between drafting passes, is still in the post. "
          "Jekyll publishes it as “—END—”."),
      example="本文の段落です。\n\n---END---\n", fix="safe")
def generation_marker(ctx: Context) -> Iterator[Finding]:
    for line, text in ctx.post.prose_lines():
        if MARKER.match(text):
            yield ctx.finding(
                line, Text("生成マーカー「{}」が残っています。".format(text.strip()),
                           "Generation marker “{}” left in the text.".format(text.strip())),
                col=0, end_col=len(text),
                fix=ctx.fix(Text("マーカーの行を削除", "Delete the marker line"), [ctx.delete_lines(line)]))
