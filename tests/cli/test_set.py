"""`postdesk set`: lossless bulk edits from the command line."""
import subprocess
import sys

from app.cli import main

POST = ('---\nlayout: post\ntitle: "生成AIの基本"\ntags: ["LLM", "RAG"]\nreading_time: 5\n---\n\n## 本文\n\nテキスト。\n')


def test_set_current_title_keeps_bytes_and_set_reading_time_changes_one_line(tmp_path):
    p = tmp_path / "2026-01-01-1-a.md"
    p.write_bytes(POST.encode())
    assert main(["set", "--field", "title=生成AIの基本", str(p)]) == 0
    assert p.read_bytes() == POST.encode()
    assert main(["set", "--field", "reading_time=99", str(p)]) == 0
    assert p.read_text(encoding="utf-8") == POST.replace("reading_time: 5", "reading_time: 99")


def test_set_several_fields_in_several_posts(tmp_path):
    paths = []
    for i in range(3):
        p = tmp_path / f"2026-01-0{i + 1}-1-p.md"
        p.write_bytes(POST.replace("\n", "\r\n").encode())
        paths.append(str(p))
    assert main(["set", "--field", "tags=[LLM, 生成AI]", "--field", "title=新題", *paths]) == 0
    for p in paths:
        text = open(p, "rb").read().decode()
        assert 'tags: ["LLM", "生成AI"]\r\n' in text and 'title: "新題"\r\n' in text
        assert text.count("\r\n") == POST.count("\n")


def test_set_reports_broken_yaml_and_leaves_file(tmp_path, capsys):
    p = tmp_path / "bad.md"
    p.write_bytes(b"---\ntitle: [x\n---\n")
    assert main(["set", "--field", "title=y", str(p)]) == 1
    assert p.read_bytes() == b"---\ntitle: [x\n---\n"
    assert "PD502" in capsys.readouterr().err


def test_set_usage_error(tmp_path):
    p = tmp_path / "a.md"
    p.write_text(POST, encoding="utf-8")
    assert main(["set", "--field", "novalue", str(p)]) == 2


def test_python_dash_m_works(tmp_path):
    out = subprocess.run([sys.executable, "-m", "app", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("postdesk ")


ASIDE = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "aside"
ASIDE_POSTS = sorted((ASIDE / "site" / "_posts").glob("*.md")) + sorted((ASIDE / "bom_crlf").glob("*.md"))


def _ids(paths):
    return [p.name for p in paths]


import pytest  # noqa: E402

from app.core.document import Document  # noqa: E402


@pytest.mark.parametrize("src", ASIDE_POSTS, ids=_ids(ASIDE_POSTS))
def test_aside_posts_survive_set_title_and_reading_time(tmp_path, src):
    """Issue 2's acceptance: real posts keep every byte when their own title is set
    again, and reading_time=99 changes exactly one line (BOM and CRLF kept)."""
    original = src.read_bytes()
    post = tmp_path / src.name
    post.write_bytes(original)
    title = Document.from_bytes(original).get("title")
    assert main(["set", "--field", f"title={title}", str(post)]) == 0
    assert post.read_bytes() == original
    assert main(["set", "--field", "reading_time=99", str(post)]) == 0
    after = post.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") == original.startswith(b"\xef\xbb\xbf")
    assert after.count(b"\r\n") == original.count(b"\r\n")
    old_lines, new_lines = original.split(b"\n"), after.split(b"\n")
    changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b]
    if Document.from_bytes(original).get("reading_time") is None:  # added after its siblings
        assert len(new_lines) == len(old_lines) + 1
    else:
        assert len(new_lines) == len(old_lines) and len(changed) == 1
        assert new_lines[changed[0]].rstrip(b"\r") == b"reading_time: 99"
