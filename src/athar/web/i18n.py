"""The interface in English and Arabic: gettext catalogs through Babel, wired into Jinja2.

Catalogs live in ``locale/<lang>/LC_MESSAGES/messages.po`` (in git). A compiled
``messages.mo`` beside it is used when present; otherwise the ``.po`` is compiled
in memory with Babel on first use, so a source checkout needs no build step.
The language is chosen by the ``athar_lang`` cookie (set by the switch in the
page header), then the browser's ``Accept-Language``; English is the fallback.
Arabic pages are laid out right to left (``dir="rtl"``).

Templates use ``{{ _("...") }}`` and ``{% trans %}``; the translation in force is
held in a context variable set just before each page is rendered. Tables built
at import time (a title per finding code, say) use :func:`lazy_gettext`, which
translates each time the text is shown; extraction needs ``-k lazy_gettext``
(see ``babel.cfg``).
"""

from __future__ import annotations

import contextvars
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, NullTranslations, Translations
from jinja2 import Environment
from starlette.requests import HTTPConnection

__all__ = ["DEFAULT_LANGUAGE", "LANG_COOKIE", "LANGUAGES", "activate", "direction", "install",
           "language_of", "lazy_gettext", "translations"]

LOCALE_DIR = Path(__file__).parent / "locale"
LANG_COOKIE = "athar_lang"
DEFAULT_LANGUAGE = "en"
LANGUAGES = {"en": "English", "ar": "العربية"}
_RTL = frozenset({"ar"})
_NULL = NullTranslations()
_current: contextvars.ContextVar[NullTranslations | None] = contextvars.ContextVar(
    "athar_translations", default=None)


@cache
def translations(lang: str) -> NullTranslations:
    """The catalog for ``lang`` (identity for English or a missing catalog)."""
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    mo, po = folder / "messages.mo", folder / "messages.po"
    if mo.exists():
        with mo.open("rb") as f:
            return Translations(f)
    if po.exists():
        with po.open("rb") as f:
            catalog = read_po(f, locale=lang)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        return Translations(buf)
    return NullTranslations()


def direction(lang: str) -> str:
    """``rtl`` for Arabic, ``ltr`` otherwise."""
    return "rtl" if lang in _RTL else "ltr"


def language_of(conn: HTTPConnection) -> str:
    """The language for this request: cookie, then Accept-Language, then English."""
    chosen = conn.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    for part in conn.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def activate(lang: str) -> None:
    """Make ``lang`` the language of templates rendered from now on in this context."""
    _current.set(translations(lang))


def _gettext(message: str) -> str:
    return (_current.get() or _NULL).gettext(message)


def lazy_gettext(message: str) -> LazyProxy:
    """``message``, translated into the active language each time it is shown (never cached)."""
    return LazyProxy(_gettext, message, enable_cache=False)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return (_current.get() or _NULL).ngettext(singular, plural, n)


def install(env: Environment) -> None:
    """Add ``jinja2.ext.i18n`` to ``env`` with gettext that follows :func:`activate`."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
