"""Translations: the plugin's language, its translator, and helpers that match how
`make translations` (pylupdate5) files the strings.

pylupdate5 files a bare `tr("...")` call under the context "@default" and `self.tr("...")`
under the name of the class whose code makes the call; these helpers look strings up in the
same contexts, so that the compiled translation finds them. Messages from `api` (which knows no
Qt) are `api.phrases.Phrase`s: `translated()` and `error_text()` show them in the user's language.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import FrameType

from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

from ..api.errors import redact
from ..api.phrases import Phrase

DEFAULT_CONTEXT = "@default"
I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"
QM_PREFIX = "os_data_hub_loader_"


def tr(text: str) -> str:
    """For code that is not a method of a QObject: tasks' worker code, helpers."""
    return QCoreApplication.translate(DEFAULT_CONTEXT, text)


def _lexical_class(frame: FrameType) -> str | None:
    """The class whose body defines the function running in `frame`, if any."""
    owner = frame.f_locals.get("self", frame.f_locals.get("cls"))
    if owner is None:
        return None
    klass = owner if isinstance(owner, type) else type(owner)
    code = frame.f_code
    for candidate in klass.__mro__:
        for value in vars(candidate).values():
            function = getattr(value, "__func__", value)
            if getattr(function, "__code__", None) is code:
                return candidate.__name__
    return klass.__name__


def translate_from(frame: FrameType, text: str) -> str:
    """For a `tr` method of a class that is not a QObject (Processing algorithms): translate
    in the context of the class whose code, running in `frame`, called `self.tr()`."""
    return QCoreApplication.translate(_lexical_class(frame) or DEFAULT_CONTEXT, text)


# -- messages from api ---------------------------------------------------------------------------
def translated(text: str) -> str:
    """A `Phrase` from `api` in the user's language (its source translated, then formatted with
    its arguments, translated in turn); any other text as it is."""
    if not isinstance(text, Phrase):
        return text
    template = text.source if text.context is None else QCoreApplication.translate(
        text.context, text.source)
    args = [translated(arg) if isinstance(arg, Phrase) else arg for arg in text.args]
    kwargs = {name: translated(value) if isinstance(value, Phrase) else value
              for name, value in text.kwargs.items()}
    if not (args or kwargs):
        return template
    try:
        return template.format(*args, **kwargs)
    except (IndexError, KeyError, ValueError):  # a broken translation: the English then
        return str(text)


def error_text(error: BaseException) -> str:
    """What to show for an error: an `api` error's message in the user's language, else the
    error as text; never a key, secret or token the plugin knows (`api.errors.redact`)."""
    message = error.args[0] if len(error.args) == 1 else None
    return redact(translated(message) if isinstance(message, Phrase) else str(error))


# -- the plugin's language -----------------------------------------------------------------------
def qgis_language() -> str:
    """The language of QGIS's user interface, chosen as QGIS chooses it: `--lang`, else the
    override in Settings → Options → General (`locale/overrideFlag`, `locale/userLocale`),
    else the system's locale. A code such as `cy`, `cy_GB` or `en_US` (`C`: none)."""
    app = QgsApplication.instance()
    code = app.translation() if isinstance(app, QgsApplication) else ""
    if not code:
        settings = QgsSettings()
        if settings.value("locale/overrideFlag", False, type=bool):
            code = settings.value("locale/userLocale", "", type=str)
    return (code or QLocale.system().name()).strip()


def translation_file(language: str, folder: Path = I18N_DIR) -> Path | None:
    """The compiled translation for `language` (`cy_GB` falls back to `cy`), or None."""
    parts = [part for part in re.split(r"[_\-.@]", language) if part]
    if not parts or parts[0] == "C":
        return None
    names = ["_".join([parts[0].lower(), *parts[1:2]]), parts[0].lower()]
    for name in dict.fromkeys(names):
        path = folder / f"{QM_PREFIX}{name}.qm"
        if path.is_file():
            return path
    return None


def install_translator(language: str | None = None) -> QTranslator | None:
    """Load and install the plugin's translation for `language` (default: QGIS's); None when
    there is none (English). Keep the translator referenced (Qt drops a translator whose
    Python object is collected) and remove it with `QCoreApplication.removeTranslator()` on
    unload."""
    path = translation_file(qgis_language() if language is None else language)
    if path is None:
        return None
    translator = QTranslator()
    if not translator.load(str(path)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator
