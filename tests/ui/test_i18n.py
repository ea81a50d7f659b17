"""The Japanese translation: complete, compiled, chosen from the system or the saved
choice, and switched at run time (menus, dialogs and rule messages follow)."""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, QTranslator

from app.ui import i18n

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "packaging"))
import i18n as catalogue  # noqa: E402  (packaging/i18n.py: the regeneration tool and its check)


@pytest.fixture
def ja(qapp):
    """Japanese installed (as at start-up on a Japanese system); Japanese again after."""
    i18n.install(qapp, "ja")
    yield
    i18n.install(qapp, "ja")


# -- the catalogue ------------------------------------------------------------------------
def test_every_string_is_translated():
    """Red when a tr() string of app/ui has no entry or an entry is unfinished: run
    `python packaging/i18n.py`, translate the new entries, run it again, commit."""
    assert catalogue.problems() == []


def test_the_catalogue_covers_a_real_number_of_strings():
    entries = catalogue.entries()
    assert len(entries) >= 150
    assert {"MainWindow", "BatchValidationDialog", "FindingsPanel", "PostList"} <= {e.context for e in entries}
    assert all(any(ord(ch) > 0x3000 for ch in e.translations[0]) for e in entries
               if any(c.isalpha() for c in e.source.replace("%n", "")))  # Japanese, not a copy of the English


def test_the_compiled_catalogue_matches_the_ts():
    """The committed .qm is the committed .ts compiled (lrelease was run after editing)."""
    t = QTranslator()
    assert t.load(str(catalogue.QM))
    for e in catalogue.entries():
        got = t.translate(e.context, e.source, e.comment or None, 1 if e.numerus else -1)
        assert got == e.translations[0], (e.context, e.source)


def test_translations_keep_placeholders_and_accelerators():
    import re
    for e in catalogue.entries():
        ja = e.translations[0]
        assert sorted(re.findall(r"%\d|%n", e.source)) == sorted(re.findall(r"%\d|%n", ja)), e.source
        if re.search(r"&\w", e.source):
            assert re.search(r"\(&[A-Z]\)|&\w", ja), e.source  # ファイル(&F)


def test_the_check_sees_strings_lupdate_cannot(tmp_path, monkeypatch):
    """A new string (also inside an f-string, where lupdate does not look) makes the
    check fail until the .ts has it translated."""
    src = tmp_path / "ui"
    src.mkdir()
    (src / "widget.py").write_text(
        "class Panel:\n"
        "    def labels(self, n):\n"
        "        a = self.tr('Brand new label')\n"
        "        b = f\"{self.tr('line')} {n}\"\n"
        "        c = QCoreApplication.translate('Other', 'Explicit context')\n"
        "        return a, b, c\n", encoding="utf-8")
    assert [c[:2] for c in catalogue.tr_calls(src / "widget.py")] == [
        ("Panel", "Brand new label"), ("Panel", "line"), ("Other", "Explicit context")]
    ts = tmp_path / "t_ja.ts"
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n<TS version="2.1" language="ja">\n'
                  "<context><name>Panel</name>\n"
                  "<message><source>Brand new label</source><translation type=\"unfinished\"></translation></message>\n"
                  "</context>\n</TS>\n", encoding="utf-8")
    monkeypatch.setattr(catalogue, "SOURCES", src)
    problems = catalogue.problems(ts)
    assert any(p.startswith("unfinished: [Panel] 'Brand new label'") for p in problems)
    assert any("no entry" in p and "'line'" in p for p in problems)
    assert any("no entry" in p and "[Other] 'Explicit context'" in p for p in problems)
    before = {("Panel", "line", ""): catalogue.Entry("Panel", "line", "", ("行",), False, False)}
    assert catalogue.supplement(ts, before) == 2
    got = {(e.context, e.source): e for e in catalogue.entries(ts)}
    assert got[("Panel", "line")].translations == ("行",) and not got[("Panel", "line")].unfinished
    assert got[("Other", "Explicit context")].unfinished
    ET.parse(ts)  # still a well-formed .ts


# -- choosing the language ----------------------------------------------------------------
@pytest.mark.parametrize("locale, lang", [
    (QLocale(QLocale.Language.Japanese, QLocale.Country.Japan), "ja"),
    (QLocale(QLocale.Language.English, QLocale.Country.UnitedStates), "en"),
    (QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom), "en"),
    (QLocale(QLocale.Language.French, QLocale.Country.France), "ja"),
    (QLocale(QLocale.Language.Chinese, QLocale.Country.China), "ja"),
])
def test_the_system_language_decides_without_a_saved_choice(qapp, locale, lang):
    assert i18n.saved_language() is None
    assert i18n.system_language(locale) == lang
    assert i18n.preferred_language(locale) == lang


def test_a_saved_choice_wins_over_the_system(qapp):
    QSettings().setValue(i18n.SETTINGS_KEY, "en")
    assert i18n.preferred_language(QLocale(QLocale.Language.Japanese)) == "en"
    assert i18n.install(qapp) == "en" and i18n.current_lang() == "en"
    QSettings().setValue(i18n.SETTINGS_KEY, "xx")  # junk: ignored
    assert i18n.preferred_language(QLocale(QLocale.Language.Japanese)) == "ja"
    i18n.install(qapp, "ja")


def test_install_does_not_record_a_choice_and_switch_does(qapp):
    i18n.install(qapp, "en")
    assert i18n.saved_language() is None
    i18n.switch("ja")
    assert i18n.saved_language() == "ja" and i18n.current_lang() == "ja"


# -- switching at run time ----------------------------------------------------------------
def test_menus_follow_the_language(ja, window, qtbot):
    assert window.file_menu.title() == "ファイル(&F)"
    assert window.tools_menu.title() == "ツール(&T)"
    assert window.actions_by_name["save"].text() == "保存(&S)"
    i18n.switch("en")  # Qt delivers LanguageChange through the event loop
    qtbot.waitUntil(lambda: window.file_menu.title() == "&File", timeout=5000)
    assert window.actions_by_name["validate_site"].text() == "&Validate Site…"
    i18n.switch("ja")
    qtbot.waitUntil(lambda: window.file_menu.title() == "ファイル(&F)", timeout=5000)


def test_rule_messages_follow_the_language(ja, window, qtbot):
    from conftest import DAMAGED, open_post
    findings = open_post(qtbot, window, DAMAGED)
    assert findings
    model = window.findings_panel.model
    shown = lambda: [model.item(g, 0).child(r, 0).text()  # noqa: E731
                     for g in range(model.rowCount()) for r in range(model.item(g, 0).rowCount())]
    assert findings[0].message("ja").split()[0] in " ".join(shown())
    i18n.switch("en")
    assert i18n.current_lang() == "en"
    qtbot.waitUntil(lambda: model.item(0, 0).text().startswith(("Errors", "Warnings", "Information")), timeout=5000)
    assert any(findings[0].message("en").split()[0] in s for s in shown())


def test_the_batch_dialog_retranslates(ja, qtbot, site):
    from app.core.engine import Engine
    from app.core.site import Site
    from app.ui.batch import BatchValidationDialog
    s = Site.open(site)
    d = BatchValidationDialog(s, Engine(s))
    qtbot.addWidget(d)
    with qtbot.waitSignal(d.completed, timeout=60000):
        d.start()
    assert d.windowTitle() == "サイトを検証"
    assert d.model.headerData(0, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) == "ファイル"
    ja_message = d.model.rows[0].message
    i18n.switch("en")
    qtbot.waitUntil(lambda: d.windowTitle() == "Validate Site", timeout=5000)
    assert d.cancel_btn.text() == "Cancel"
    assert d.rule_box.itemText(0) == "All rules"
    assert d.model.rows[0].message != ja_message  # the rule messages too
    assert "files:" in d.status.text()


def test_qts_own_buttons_follow_too(ja, qtbot):
    """Standard buttons (message boxes, file dialogs) come from Qt's catalogue."""
    from PySide6.QtWidgets import QDialogButtonBox
    Std = QDialogButtonBox.StandardButton

    def texts():
        box = QDialogButtonBox(Std.Yes | Std.Cancel)
        return sorted(b.text() for b in box.buttons())

    assert texts() == sorted(["はい(&Y)", "キャンセル"])
    i18n.switch("en")
    assert texts() == sorted(["&Yes", "Cancel"])
