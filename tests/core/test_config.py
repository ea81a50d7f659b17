"""`.editorial.yml`: defaults for everything, strict validation with key paths."""
import pytest

from app.core.config import Config, ConfigError


def test_defaults_without_a_file():
    c = Config()
    assert c["duplicates"]["similarity"] == 90
    assert c["cta"]["campaigns"]["AI導入戦略"] == "strategy"
    assert c.fields["excerpt"]["max_length"] == 160
    assert c.program_for_host("www.amazon.co.jp").name == "Amazon"
    assert c.program_for_host("example.com") is None


def test_file_overrides_merge_with_defaults(tmp_path):
    p = tmp_path / ".editorial.yml"
    p.write_text("duplicates: {similarity: 85}\nfront_matter:\n  fields:\n    title: {type: text, max_length: 50}\n"
                 "rules:\n  PD106: off\n  PD506: {severity: info}\n", encoding="utf-8")
    c = Config.load(p)
    assert c["duplicates"] == {"similarity": 85, "min_chars": 60, "cross_post_similarity": 70}
    assert c.fields["title"]["max_length"] == 50 and c.fields["excerpt"]["min_length"] == 60
    assert not c.rule_enabled("PD106") and c.rule_enabled("PD101")
    assert c.rule_severity("PD506", "warning") == "info"


@pytest.mark.parametrize("text,path,words", [
    ("duplicates: {similarity: high}\n", "duplicates.similarity", "expected a number"),
    ("duplicates: {similarity: 120}\n", "duplicates.similarity", "from 0 to 100"),
    ("colour: blue\n", "colour", "unknown key"),
    ("cta: {marker: x}\n", "cta.marker", "unknown key"),
    ("taxonomy: {tags: 生成AI}\n", "taxonomy.tags", "expected a list"),
    ("front_matter: {fields: {title: {type: txt}}}\n", "front_matter.fields.title.type", "expected one of"),
    ("affiliate: {programs: [{hosts: [a.com]}]}\n", "affiliate.programs[0].name", "missing"),
    ("rules: {PD106: loud}\n", "rules.PD106", "expected one of"),
    ("rules: {XY1: off}\n", "rules.XY1", "unknown rule code"),
    ("affiliate: {disclosure_position: top}\n", "affiliate.disclosure_position", "before_first_link"),
])
def test_errors_name_the_key_path(tmp_path, text, path, words):
    p = tmp_path / ".editorial.yml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        Config.load(p)
    assert exc.value.path == path and words in str(exc.value) and str(exc.value).startswith(path + ":")


def test_broken_yaml_says_where(tmp_path):
    p = tmp_path / ".editorial.yml"
    p.write_text("duplicates: {similarity: 90\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        Config.load(p)
    assert "line" in str(exc.value) and "not valid YAML" in str(exc.value)
