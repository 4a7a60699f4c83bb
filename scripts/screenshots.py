"""Screenshots of every dashboard tab at 1280 and 1920 px: ``make screenshots``.

Starts the Voila app (the same command as ``ukraine-briefs serve``) over a built
tables directory on a free local port, opens it in Debian's Chromium through
Playwright and writes ``<out>/<width>/<nn>-<tab>.png`` for every tab, after its
charts are drawn. Every browser call has a deadline. Reuses the test helpers'
server and browser launcher (tests/dashboard_helpers.py).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from dashboard_helpers import VoilaServer, launch_chromium  # noqa: E402

WIDTHS = (1280, 1920)


def _wait_drawn(page, timeout_s: float = 120.0) -> None:
    """Until every chart of the visible tab has its title drawn (or the deadline passes)."""
    page.wait_for_function(
        """() => { const tab = [...document.querySelectorAll('.ub-tab')].find(t => t.offsetParent !== null);
                   if (!tab) return false;
                   const charts = tab.querySelectorAll('.ub-chart');
                   return [...charts].every(c => c.querySelector('.main-svg .gtitle')); }""",
        timeout=timeout_s * 1000)


def shoot(tables: Path, out: Path, widths=WIDTHS) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    log = ROOT / "build" / "screenshots-voila.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with VoilaServer(tables, log_path=log) as srv, sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            for width in widths:
                page = browser.new_page(viewport={"width": width, "height": 2400})  # the app scrolls inside Voila's container: a tall window shows it all
                page.set_default_timeout(120_000)
                page.goto(srv.url, timeout=180_000)
                page.locator(".ub-chart .main-svg .gtitle").first.wait_for(timeout=180_000)
                titles = [t.strip() for t in page.locator(".lm-TabBar-tab").all_inner_texts()]
                for i, title in enumerate(titles, 1):
                    page.locator(".lm-TabBar-tab", has_text=title).first.click(timeout=30_000)
                    _wait_drawn(page)
                    page.wait_for_timeout(1500)  # plotly's resize after the tab became visible
                    path = out / str(width) / f"{i:02d}-{title.lower().replace(' ', '-')}.png"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(path), full_page=True, timeout=60_000)
                    written.append(path)
                    print(f"wrote {path}")
                page.close()
        finally:
            browser.close()
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tables", type=Path, default=ROOT / "build" / "seeds")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    paths = shoot(args.tables, args.out)
    print(f"{len(paths)} screenshots in {args.out} ({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
