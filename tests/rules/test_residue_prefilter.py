"""PD105's whole-post pre-scan (residue.CITATION_HINT) holds for every kind of
citation marker CITATION matches, in any letter case."""
from __future__ import annotations

import pytest

from app.core.rules import residue

MARKERS = ["[cite: 調査会社A]", "[CITE_START]", "[cite_end]", ":contentReference[oaicite:0]{index=0}",
           "【4†source】", "【12:3†ファイル】", "\ue200cite\ue202turn0search1\ue201", "filecite turn0file2x3",
           "citeturn0news12", "turn0search0", "TURN12News3", "[web:1]", "[Web:12]"]


@pytest.mark.parametrize("marker", MARKERS)
def test_every_marker_is_hinted(marker):
    text = f"本文です {marker}。"
    assert residue.CITATION.search(text)
    for m in residue.CITATION.finditer(text):
        assert residue.CITATION_HINT.search(m.group(0)), m.group(0)
    assert residue.CITATION_HINT.search(text)
