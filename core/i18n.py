"""Translation helpers that match how `make transup` (pylupdate5) files the strings.

pylupdate5 files a bare `tr("...")` call under the context "@default" and `self.tr("...")`
under the name of the class whose code makes the call; these helpers look strings up in the
same contexts, so that the compiled translation finds them.
"""

from __future__ import annotations

from types import FrameType

from qgis.PyQt.QtCore import QCoreApplication

DEFAULT_CONTEXT = "@default"


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
