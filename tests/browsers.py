"""Headless Chromium for page tests: Debian's chromium driven by Playwright (never a browser
Playwright downloads). A missing chromium fails the test with what to install: it is not a skip.

One Chromium serves the browser tests of a module (`chromium`); each test gets it as `browser`,
whose contexts and pages are closed after the test, so no test sees another's cookies, storage or
pages. (Not one per run: Playwright's sync API marks an asyncio loop as running for as long as
it is started, which would refuse the asyncio.run of the live tests in other modules.)

Playwright is imported inside the fixtures, so a run without browser tests never loads it."""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WAIT_MS = 15_000
SCREENS = Path(os.environ.get("WORKSHOP_SCREENSHOTS", "/tmp/workshop-screens"))


@contextmanager
def launched_chromium():
    """Debian's chromium, headless, for as long as the block runs."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (bash .ci/test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for the browser tests of a module (they use it as `browser`)."""
    with launched_chromium() as launched:
        yield launched


class FreshContexts:
    """The module's Chromium as one test sees it: what the test opens is closed after it."""

    def __init__(self, launched):
        self._launched = launched
        self._contexts = []

    def new_context(self, **options):
        context = self._launched.new_context(**options)
        self._contexts.append(context)
        return context

    def new_page(self, **options):
        page = self._launched.new_page(**options)
        self._contexts.append(page.context)
        return page

    def close_all(self) -> None:
        for context in self._contexts:
            context.close()

    def __getattr__(self, name):
        return getattr(self._launched, name)


@pytest.fixture
def browser(chromium):
    """Chromium for one test: its contexts and pages are its own and closed after it."""
    fresh = FreshContexts(chromium)
    yield fresh
    fresh.close_all()


SMALL_PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True,
               "device_scale_factor": 2}


def joined_small_phone(browser, join_url: str, locale: str = "th-TH"):
    """A 360x640 phone that opened the join link and joined; returns it and the list its page
    errors go to."""
    from playwright.sync_api import expect

    phone = browser.new_context(locale=locale, **SMALL_PHONE).new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto(join_url)
    phone.locator("#join-form button[type=submit]").tap()
    expect(phone.locator("#live-view")).to_be_visible(timeout=WAIT_MS)
    return phone, errors
