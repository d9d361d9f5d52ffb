"""Languages: gettext catalogs through babel, and locale-aware formatting.

Dutch is the default. The language comes from ``--lang``, else from the
environment variable ``INTAKE_LANG`` (``nl`` or ``en``), else it is Dutch.
``LANG`` and ``LC_*`` are not read: many Dutch consultants' laptops run an
English locale, and the intake speaks the SWV's language unless asked not to.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import cache, lru_cache
from gettext import NullTranslations, translation

from intake_tui.paths import locales_dir

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
LANGUAGE_VARIABLE = "INTAKE_LANG"
_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def N_(message: str) -> str:
    """Mark an English msgid for the catalogs; it is translated where it is shown."""
    return message


def detect_language(explicit: str | None = None, environ: dict[str, str] | None = None) -> str:
    """``explicit`` (``--lang``), else ``INTAKE_LANG``, else Dutch. ValueError names a
    language that is not nl or en (``nl_NL.UTF-8`` and ``EN`` count as nl and en)."""
    if explicit:
        if explicit not in LANGUAGES:
            raise ValueError(f"unknown language {explicit!r}; choose nl or en")
        return explicit
    environ = dict(os.environ) if environ is None else environ
    value = environ.get(LANGUAGE_VARIABLE, "").strip()
    if not value:
        return DEFAULT_LANGUAGE
    code = value.split("_")[0].split(".")[0].split("-")[0].lower()
    if code not in LANGUAGES:
        raise ValueError(f"{LANGUAGE_VARIABLE}={value!r} is not a language of intake_tui; choose nl or en")
    return code


@cache
def _translations(language: str) -> NullTranslations:
    # The standard library reads the catalogs: importing babel's support module (dates, time
    # zones) would cost every start-up; babel's formatting loads on first use below.
    return translation("messages", str(locales_dir()), [language], fallback=True)


@dataclass(frozen=True)
class Language:
    """Everything that differs between nl and en output."""

    code: str

    # babel's formatting modules load on first use: most runs format little.
    @property
    def locale(self):
        return _babel_locale(self.code)

    def gettext(self, message: str) -> str:
        if not message:
            return message
        return _translations(self.code).gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return _translations(self.code).ngettext(singular, plural, count)

    def number(self, value: float | int) -> str:
        return _number(self.code, value)

    def money(self, value: float | int) -> str:
        return _money(self.code, value)

    def date(self, value: dt.date) -> str:
        from babel.dates import format_date

        return format_date(value, format="long", locale=_LOCALES[self.code])

    def datetime(self, value: dt.datetime) -> str:
        from babel.dates import format_datetime

        return format_datetime(value, format="medium", locale=_LOCALES[self.code])


@cache
def _babel_locale(code: str):
    from babel import Locale

    return Locale.parse(_LOCALES[code])


# A batch writes the same few hundred numbers and amounts again and again (hours, months, a rate):
# each is formatted once (typed: 2 and 2.0 are kept apart).
@lru_cache(maxsize=4096, typed=True)
def _number(code: str, value: float | int) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_babel_locale(code), decimal_quantization=False)


@lru_cache(maxsize=4096, typed=True)
def _money(code: str, value: float | int) -> str:
    from babel.numbers import format_currency

    return format_currency(value, "EUR", locale=_babel_locale(code))


class Shown:
    """A value put into a dialog text: as ``show`` writes it, or as money where the
    text asks ``{cost:money}`` (always two decimals)."""

    def __init__(self, value: object, lang: Language, show) -> None:
        self.value, self.lang, self.show = value, lang, show

    def __format__(self, spec: str) -> str:
        if spec == "money" and isinstance(self.value, (int, float)) and not isinstance(self.value, bool):
            return self.lang.money(round(self.value, 2))
        return self.show(self.value, self.lang)

    def __str__(self) -> str:
        return self.show(self.value, self.lang)


def language(code: str | None = None) -> Language:
    return Language(detect_language(code))


def all_languages() -> list[Language]:
    return [Language(code) for code in LANGUAGES]
