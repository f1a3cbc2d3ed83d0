"""Headless Chromium for page tests: Debian's chromium driven by Playwright (never a browser
Playwright downloads). A missing chromium fails the test with what to install: it is not a skip.

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


@pytest.fixture
def browser():
    with launched_chromium() as launched:
        yield launched


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
