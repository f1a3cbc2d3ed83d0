"""Thai and English: Buddhist-era dates, the language a page picks, and complete catalogs."""
from datetime import date

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from workshop import i18n
from workshop.config import PROJECT_ROOT
from workshop.domain.fiscal import fiscal_year_be

CATALOG = PROJECT_ROOT / "workshop" / "translations" / "th" / "LC_MESSAGES"


def test_thai_dates_are_written_in_the_buddhist_era():
    assert i18n.format_date(date(2020, 11, 5), "th") == "5 พฤศจิกายน 2563"
    assert i18n.format_date(date(2026, 1, 31), "th", short=True) == "31 ม.ค. 2569"


def test_english_dates_keep_the_common_era():
    assert i18n.format_date(date(2020, 11, 5), "en") == "5 November 2020"
    assert i18n.format_date(date(2026, 1, 31), "en", short=True) == "31 Jan 2026"


def test_the_fiscal_year_ends_on_the_thirtieth_of_september():
    assert fiscal_year_be(date(2025, 10, 1)) == i18n.buddhist_year(2026)
    assert fiscal_year_be(date(2026, 9, 30)) == i18n.buddhist_year(2026)
    assert fiscal_year_be(date(2025, 12, 1)) == 2569


def test_every_thai_message_is_translated_and_compiled():
    with open(CATALOG / "messages.po", "rb") as handle:
        source = read_po(handle)
    with open(CATALOG / "messages.mo", "rb") as handle:
        compiled = read_mo(handle)
    def texts(value):  # a plural message holds one text per plural form
        return tuple(value) if isinstance(value, (tuple, list)) else (value,)

    untranslated = [m.id for m in source if m.id and not all(texts(m.string))]
    assert untranslated == []
    fuzzy = [m.id for m in source if m.id and m.fuzzy]
    assert fuzzy == []
    def compiled_text(message):  # a message with a context (msgctxt) is found under it
        context = message.context and message.context.encode()  # read_mo keeps contexts as bytes
        found = compiled.get(message.id, context=context)
        return None if found is None else texts(found.string)

    stale = [m.id for m in source if m.id and compiled_text(m) != texts(m.string)]
    assert stale == [], "run: pybabel compile -d workshop/translations"


def test_every_string_the_pages_and_code_mark_is_in_the_catalog():
    from babel.messages.extract import extract_from_dir

    method_map = [("workshop/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "_l": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None,
                "N_": None, "pgettext": ((1, "c"), 2)}  # N_ and pgettext mark the exports' labels
    marked = {
        (context, message if isinstance(message, str) else message[0])
        for _, _, message, _, context in extract_from_dir(PROJECT_ROOT, method_map, keywords=keywords)
    }
    with open(CATALOG / "messages.po", "rb") as handle:
        known = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle) if m.id}
    assert ("workbook sheet", "Votes") in marked
    assert sorted(marked - known, key=str) == []


def test_the_home_page_speaks_thai_by_default_and_english_on_request(client):
    thai = client.get("/").get_data(as_text=True)
    assert "เข้าร่วมการประชุม" in thai and 'lang="th"' in thai
    english = client.get("/?lang=en")
    assert "Join a workshop" in english.get_data(as_text=True)
    assert "lang=en" in english.headers.get("Set-Cookie", "")
    assert "Join a workshop" in client.get("/").get_data(as_text=True)
