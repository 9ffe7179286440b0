"""Messages that the plugin can show translated, while `api` stays free of Qt.

`QT_TRANSLATE_NOOP(context, text)` is the marker that `pylupdate5` finds in the source (so the
text goes into the plugin's `.ts` files); here it returns a `Phrase`. A `Phrase` *is* the English
text (a `str`: the CLI, logs and tests see exactly the English message) and also remembers its
context, its source and the arguments of `.format()`, so that `core.i18n.translated()` can, on
the QGIS side, translate the source and then format it with the (translated) arguments.

    QT_TRANSLATE_NOOP("api", "Not found (404): {what}.").format(what=QT_TRANSLATE_NOOP(
        "api", "the list of products"))

`+` and `join()` keep the parts of a message made of several phrases. Anything else that makes
a new string from a `Phrase` (f-strings, `%`, `.replace()`) gives plain English.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Tuple


class Phrase(str):
    """English text that can be translated later: `context` and `source` as `pylupdate5` files
    them, the `args`/`kwargs` of `.format()`. A `context` of None marks a joining template
    (`"{0}{1}"`) that is not translated itself, only its arguments."""

    context: str | None
    source: str
    args: Tuple[Any, ...]
    kwargs: Mapping[str, Any]

    def __new__(
        cls,
        context: str | None,
        source: str,
        args: Tuple[Any, ...] = (),
        kwargs: Mapping[str, Any] | None = None,
    ) -> Phrase:
        kwargs = dict(kwargs or {})
        text = source.format(*args, **kwargs) if (args or kwargs) else source
        phrase = super().__new__(cls, text)
        phrase.context = context
        phrase.source = source
        phrase.args = tuple(args)
        phrase.kwargs = kwargs
        return phrase

    def format(self, *args: Any, **kwargs: Any) -> Phrase:
        return Phrase(self.context, self.source, args, kwargs)

    def __add__(self, other: str) -> Phrase:  # type: ignore[override]
        return join((self, other), "")

    def __radd__(self, other: str) -> Phrase:
        return join((other, self), "")

    def __reduce__(self) -> Any:
        return (Phrase, (self.context, self.source, self.args, dict(self.kwargs)))


def QT_TRANSLATE_NOOP(context: str, text: str) -> Phrase:
    """Mark `text` for translation in `context` (Qt's name, which pylupdate5 looks for); the
    English `Phrase` of it."""
    return Phrase(context, text)


def join(parts: Iterable[str], separator: str = " ") -> Phrase:
    """The parts one after the other, each translatable on its own."""
    items = tuple(parts)
    if "{" in separator or "}" in separator:
        raise ValueError("the separator cannot hold braces")
    template = separator.join(f"{{{index}}}" for index in range(len(items)))
    return Phrase(None, template, items)
