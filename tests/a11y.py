"""What the whole-workshop browser test watches on every page: axe-core's accessibility check
(from the test's own pinned copy, the axe-playwright-python package, never a CDN), requests that
would leave the machine (blocked and recorded), console errors, and the Thai screenshots the
README and the facilitator's guide show (docs/screenshots/<screen>-<state>-th.png, written only
when WORKSHOP_SCREENSHOTS names a folder)."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

LOOPBACK = {"127.0.0.1"}
GRAVE = {"serious", "critical"}
_axe = Axe()
# axe's default rules, and one it keeps experimental: a control whose accessible name does not
# contain its visible words cannot be operated by speech ("click Reveal").
OPTIONS = {"resultTypes": ["violations"], "rules": {"label-content-name-mismatch": {"enabled": True}}}


def grave_violations(page, where: str) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each.

    The script is evaluated through the DevTools protocol, which the pages' strict CSP allows
    without loosening it for the product."""
    results = _axe.run(page, options=OPTIONS)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in GRAVE:
            for node in violation["nodes"]:
                found.append(f"{where}: {violation['id']} ({violation['impact']}) {node['target']} "
                             f"{node.get('failureSummary', '').splitlines()[-1:]}")
    return found


class Watch:
    """Everything the pages of one run must not do, gathered across every browser context."""

    def __init__(self) -> None:
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.offline_pages: set = set()

    def guard(self, context) -> None:
        """Block every request of the context that is not for the loopback server, and record it."""
        def route(route_):
            if urlsplit(route_.request.url).hostname in LOOPBACK:
                route_.continue_()
            else:
                self.outside.append(route_.request.url)
                route_.abort("blockedbyclient")

        def socket_route(ws):
            if urlsplit(ws.url).hostname in LOOPBACK:
                ws.connect_to_server()
            else:
                self.outside.append(ws.url)
                ws.close()

        context.route("**/*", route)
        context.route_web_socket("**/*", socket_route)
        context.on("page", self.listen)

    def listen(self, page) -> None:
        def console(message):
            if message.type != "error":
                return
            if page in self.offline_pages and "ERR_INTERNET_DISCONNECTED" in message.text:
                return  # a phone the test took off the network fails to reach the server: expected
            self.errors.append(f"{page.url}: {message.text}")

        page.on("console", console)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))


def screenshot(page, screen: str, state: str | None = None) -> None:
    """Save the Thai screenshot of a screen (in a state) as <screen>[-<state>]-th.png, at one
    image pixel per CSS pixel, when WORKSHOP_SCREENSHOTS names a folder."""
    folder = os.environ.get("WORKSHOP_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    name = "-".join(part for part in (screen, state, "th") if part)
    page.screenshot(path=str(Path(folder) / f"{name}.png"), scale="css")


def tab_to(page, selector: str, limit: int = 30) -> list[str]:
    """Press Tab until the element matching `selector` has the keyboard focus; fail if it is not
    reached within `limit` steps. Every element passed on the way must show a focus ring at
    least 2 px thick (WCAG 2.4.7 and 2.4.13). Returns where the focus went, in order."""
    path = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
            const el = document.activeElement, style = getComputedStyle(el);
            return {name: el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''),
                    ring: style.outlineStyle !== 'none' ? parseFloat(style.outlineWidth) : 0};
        }""")
        path.append(focused["name"])
        assert focused["ring"] >= 2, f"no visible focus ring on {focused['name']} (after {path})"
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return path
    raise AssertionError(f"{selector} not reached by Tab; the focus went {path}")


def announced(page, selector: str) -> bool:
    """Whether what the element says is read out when it changes (it sits in a live region)."""
    return page.locator(selector).evaluate(
        "el => !!el.closest('[aria-live]:not([aria-live=off]), [role=status], [role=alert], [role=log]')")
