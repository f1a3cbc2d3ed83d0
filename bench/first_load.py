"""A phone's first load on weak Wi-Fi: bytes transferred, and time until it can cast a vote.

Starts `python -m workshop run` from a checkout (this one, or `--root` another, e.g. the main
checkout before a change) on SQLite in a fresh data folder, creates a PMQA session and opens its
first round from an unthrottled facilitator page. Then a 360x640 Chromium phone (Debian's
chromium via Playwright) throttled by CDP Network.emulateNetworkConditions opens the join link,
taps join and waits until a level button can be tapped:

- cold: a fresh browser profile (empty cache);
- warm: the same phone reloads the page (its cache and its participant token kept).

Bytes are what crossed the network (CDP encodedDataLength of every HTTP response, headers
included; WebSocket frames are not HTTP responses and are not counted), split into static files
and the rest (page, QR, Socket.IO polling). Printed as a Markdown table of medians over --repeat
runs per profile.

    .venv/bin/python bench/first_load.py                       # slow 3G and wifi, 3 runs each
    .venv/bin/python bench/first_load.py --root /path/to/other/checkout --repeat 5
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Chrome DevTools' "Slow 3G" preset (2 s round trip, 400 kbit/s both ways) and an unthrottled LAN.
PROFILES = {
    "slow-3g": {"offline": False, "latency": 2000, "downloadThroughput": 50_000,
                "uploadThroughput": 50_000},
    "wifi": {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
}
PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True,
         "locale": "th-TH"}
WAIT_MS = 180_000


def start(root: Path, data_dir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "WORKSHOP_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    log = open(data_dir / "server.log", "wb")
    server = subprocess.Popen([sys.executable, "-m", "workshop", "run", "--host", "127.0.0.1",
                               "--port", str(port)], cwd=root, env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                return server
        except requests.ConnectionError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"the server did not start: see {data_dir / 'server.log'}")


class Meter:
    """Counts the bytes of one page's HTTP responses through CDP, throttled as asked."""

    def __init__(self, context, page, conditions: dict):
        self.static = self.other = 0
        self.urls: dict[str, str] = {}
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", conditions)
        cdp.on("Network.requestWillBeSent", lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", self._finished)

    def _finished(self, event) -> None:
        if "/static/" in self.urls.get(event["requestId"], ""):
            self.static += int(event["encodedDataLength"])
        else:
            self.other += int(event["encodedDataLength"])

    def reset(self) -> None:
        self.static = self.other = 0


def until_a_vote_can_be_cast(page, reload: bool) -> float:
    from playwright.sync_api import expect

    begun = time.monotonic()
    if reload:
        page.reload(wait_until="commit", timeout=WAIT_MS)
    join = page.locator("#join-form button[type=submit]")
    level = page.locator('.level[data-level="2"]')
    # Once its scripts ran, a phone with a token rejoins by itself; a new one taps join.
    page.wait_for_load_state("load", timeout=WAIT_MS)
    if join.is_visible():
        join.tap()
    expect(level).to_be_enabled(timeout=WAIT_MS)
    expect(page.locator("#status")).to_have_attribute("data-phase", "voting", timeout=WAIT_MS)
    return time.monotonic() - begun


def one_phone(browser, join_url: str, conditions: dict) -> dict:
    context = browser.new_context(**PHONE)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    meter = Meter(context, page, conditions)
    begun = time.monotonic()
    page.goto(join_url, wait_until="commit", timeout=WAIT_MS)
    until_a_vote_can_be_cast(page, reload=False)
    cold = time.monotonic() - begun  # from the tap on the join link
    page.wait_for_timeout(500)  # the last Socket.IO exchange of the first load lands
    figures = {"cold s": cold, "cold static B": meter.static, "cold other B": meter.other}
    meter.reset()
    figures["warm s"] = until_a_vote_can_be_cast(page, reload=True)
    page.wait_for_timeout(500)
    figures.update({"warm static B": meter.static, "warm other B": meter.other})
    context.close()
    return figures


def run(root: Path, profiles: list[str], repeat: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from tests.browsers import CHROMIUM, CHROMIUM_ARGS
    from tests.helpers import make_session
    from tests.servers import free_port

    rows = []
    with tempfile.TemporaryDirectory(prefix="first-load-") as folder:
        data_dir = Path(folder)
        port = free_port()
        server = start(root, data_dir, port)
        try:
            session = make_session(data_dir, f"http://127.0.0.1:{port}",
                                   title="ประเมิน PMQA 4.0 ปีงบประมาณ พ.ศ. 2570")
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                facilitator = browser.new_page()
                facilitator.goto(session["facilitator"])
                facilitator.locator("#criterion .crit-code").wait_for(timeout=WAIT_MS)
                facilitator.keyboard.press("o")
                for name in profiles:
                    runs = [one_phone(browser, session["join"], PROFILES[name]) for _ in range(repeat)]
                    rows.append({"profile": name, **{key: statistics.median(r[key] for r in runs)
                                                     for key in runs[0]}})
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return rows


def table(rows: list[dict]) -> str:
    header = ["profile", "cold: s to vote", "cold: static bytes", "cold: other bytes",
              "warm: s to vote", "warm: static bytes", "warm: other bytes"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        lines.append(f"| {r['profile']} | {r['cold s']:.1f} | {r['cold static B']:,.0f} | "
                     f"{r['cold other B']:,.0f} | {r['warm s']:.1f} | {r['warm static B']:,.0f} | "
                     f"{r['warm other B']:,.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose server runs")
    parser.add_argument("--profiles", default="slow-3g,wifi", help=f"of {', '.join(PROFILES)}")
    parser.add_argument("--repeat", type=int, default=3, help="runs per profile (median shown)")
    args = parser.parse_args()
    print(table(run(args.root.resolve(), args.profiles.split(","), args.repeat)))


if __name__ == "__main__":
    main()
