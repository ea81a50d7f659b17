"""The interface language: Japanese first, English as the alternative.

Source strings in app/ui are English, through `tr()`; resources/i18n/postdesk_ja.ts
holds their Japanese, compiled to postdesk_ja.qm (packaging/i18n.py regenerates
both). English needs no catalogue: it is the source.

`install(app, lang=None)` puts the translators in at start-up: the language saved
in QSettings (`ui/language`, the View menu's choice) wins; otherwise the system's:
English on an English system, Japanese on a Japanese one and on any other (the
editors of this blog are Japanese). `switch(lang)` swaps the translators at run time
(Qt then sends every widget a LanguageChange event, and they retranslate) and
remembers the choice. `current_lang()` is the language the core's rule messages
(`Text(ja, en)`) are shown in, so they follow the interface.

The state lives on one `Translators` object attached to the application
(`translators()`); its `changed` signal tells the window to re-show rule messages.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QSettings, QTranslator, Signal

LANGUAGES = ("ja", "en")
SETTINGS_KEY = "ui/language"
CATALOGUE = "postdesk"  # resources/i18n/postdesk_<lang>.qm
_ATTR = "_postdesk_language"


def catalogue_path(lang: str) -> Path | None:
    """The compiled catalogue for `lang`, or None (English has none: it is the source)."""
    from app.core.paths import resource
    try:
        return resource("i18n", f"{CATALOGUE}_{lang}.qm")
    except FileNotFoundError:
        return None


def system_language(locale: QLocale | None = None) -> str:
    """English for an English system, Japanese for everything else."""
    locale = locale or QLocale.system()
    return "en" if locale.language() == QLocale.Language.English else "ja"


def saved_language() -> str | None:
    """The language chosen in the View menu, if any."""
    value = QSettings().value(SETTINGS_KEY)
    return str(value) if value in LANGUAGES else None


def preferred_language(locale: QLocale | None = None) -> str:
    return saved_language() or system_language(locale)


class Translators(QObject):
    """PostDesk's and Qt's own translators for one language, installed on the app.

    `set(lang, remember=True)` is the call the window's View menu makes; `changed`
    fires after a real change (widgets also get LanguageChange from Qt itself)."""

    changed = Signal(str)

    def __init__(self, app: QCoreApplication):
        super().__init__(app)
        self._app = app
        self._installed: list[QTranslator] = []
        self.lang = "en"  # nothing installed: the English source strings

    def set(self, lang: str, remember: bool = True) -> str:
        lang = lang if lang in LANGUAGES else "ja"
        self._remove()
        for t in self._load(lang):
            self._app.installTranslator(t)
            self._installed.append(t)
        changed, self.lang = lang != self.lang, lang
        if remember:
            QSettings().setValue(SETTINGS_KEY, lang)
        if changed:
            self.changed.emit(lang)
        return lang

    def _load(self, lang: str) -> list[QTranslator]:
        """PostDesk's catalogue and Qt's (standard dialogs and buttons) for `lang`."""
        if lang == "en":
            return []
        out = []
        ours = QTranslator(self)
        path = catalogue_path(lang)
        if path is not None and ours.load(str(path)):
            out.append(ours)
        qt = QTranslator(self)
        if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            out.append(qt)
        return out

    def _remove(self) -> None:
        for t in self._installed:
            self._app.removeTranslator(t)
        self._installed = []


def translators(app: QCoreApplication | None = None) -> Translators:
    """The application's Translators, created (nothing installed: English) on first use."""
    app = app or QCoreApplication.instance()
    t = getattr(app, _ATTR, None)
    if t is None:
        t = Translators(app)
        setattr(app, _ATTR, t)
    return t


def install(app: QCoreApplication, lang: str | None = None) -> str:
    """Install the translators for `lang` (None: the saved choice, else the system's);
    returns the language installed. Does not record a choice."""
    return translators(app).set(lang or preferred_language(), remember=False)


def switch(lang: str) -> str:
    """Change the interface language now and remember it."""
    return translators().set(lang, remember=True)


def current_lang() -> str:
    """The language rule messages are shown in: the interface's (Japanese before
    anything is installed)."""
    app = QCoreApplication.instance()
    t = getattr(app, _ATTR, None) if app is not None else None
    return t.lang if t is not None else "ja"
