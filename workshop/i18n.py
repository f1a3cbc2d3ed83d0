"""Languages: Thai and English through gettext catalogs, and dates as each language writes them.

The language of a page comes from `?lang=`, then the `lang` cookie, then the browser's
Accept-Language, then the configured default. Thai dates use the Buddhist era (CE + 543).
"""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, g, request
from flask_babel import get_translations

from .domain.dates import BUDDHIST_ERA_OFFSET
from .extensions import babel
from .thai_words import keep_whole

LANGUAGES = ("th", "en")
LANGUAGE_NAMES = {"th": "ไทย", "en": "English"}

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def buddhist_year(year: int) -> int:
    return year + BUDDHIST_ERA_OFFSET


def format_date(value: date | datetime | None, lang: str, short: bool = False) -> str:
    """`5 พฤศจิกายน 2563` in Thai (Buddhist era), `5 November 2020` in English."""
    if value is None:
        return ""
    if lang == "th":
        months = THAI_MONTHS_SHORT if short else THAI_MONTHS
        return f"{value.day} {months[value.month - 1]} {buddhist_year(value.year)}"
    month = ENGLISH_MONTHS[value.month - 1]
    return f"{value.day} {month[:3] if short else month} {value.year}"


def pick_language(requested: str | None = None) -> str:
    """The language to use: an explicit request, the cookie, the browser, the default."""
    for candidate in (requested, request.args.get("lang"), request.cookies.get("lang")):
        if candidate in LANGUAGES:
            return candidate
    best = request.accept_languages.best_match(LANGUAGES)
    return best or current_app.config["WORKSHOP"].default_language


def current_language() -> str:
    if "lang" not in g:
        g.lang = pick_language()
    return g.lang


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=current_language, default_translation_directories="translations")
    # the pages' strings as Flask-Babel gives them, with Thai loanwords kept whole on a line
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: keep_whole(get_translations().ugettext(s)),
        ngettext=lambda s, p, n: keep_whole(get_translations().ungettext(s, p, n)),
        newstyle=True)

    @app.after_request
    def remember_language(response):
        chosen = request.args.get("lang")
        if chosen in LANGUAGES and request.cookies.get("lang") != chosen:
            response.set_cookie("lang", chosen, max_age=365 * 24 * 3600, samesite="Lax")
        return response

    @app.context_processor
    def language_helpers():
        lang = current_language()
        return {
            "lang": lang,
            "languages": LANGUAGE_NAMES,
            "format_date": lambda value, short=False: format_date(value, lang, short),
        }
