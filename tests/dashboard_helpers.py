"""Helpers for the dashboard tests: a Voila server on a free port, headless Chromium, hostile corpora.

Imported by tests/test_dashboard_widgets.py and tests/test_browser.py (no fixtures here,
so conftest.py stays untouched).
"""
from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

# A hostile article: markup in the title and the body must stay text everywhere.
EVIL_TITLE = "Lavrov <script>window.__pwned=1</script> warns NATO <img src=x onerror=\"window.__pwned=2\">"
EVIL_BODY = (
    "Russian Foreign Minister Sergey Lavrov warned NATO on Friday that Moscow would respond with military "
    "measures if the alliance expanded east. <script>window.__pwned=3</script>\n\n"
    "“We will take retaliatory steps <img src=x onerror=\"window.__pwned=4\">,” Lavrov said in Geneva after "
    "meeting Secretary of State Antony Blinken.\n\n"
    "Blinken said the United States would impose <img src=x onerror=\"window.__pwned=5\"> severe economic "
    "sanctions on Russia if it invaded Ukraine."
)


def write_evil_corpus(directory: Path) -> Path:
    """A two-article corpus (one hostile, one plain) with metadata, ready for `ukraine-briefs build`."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "evil_article.txt").write_text(f"{EVIL_TITLE}\n\n{EVIL_BODY}\n", encoding="utf-8")
    (directory / "plain_article.txt").write_text(
        "Blinken and Lavrov meet in Geneva\n\n"
        "Secretary of State Antony Blinken met Russian Foreign Minister Sergey Lavrov in Geneva on Friday.\n\n"
        "Blinken warned that Russia would face severe consequences if it invaded Ukraine.\n",
        encoding="utf-8")
    (directory / "metadata.csv").write_text(
        "doc_id,file,title,outlet,url,published,date_note\n"
        "evil_article,evil_article.txt,,Evil <b>Outlet</b>,,2022-01-21,test\n"
        "plain_article,plain_article.txt,,Plain Wire,,2022-01-14,test\n",
        encoding="utf-8")
    return directory


def build_tables(corpus: Path, out: Path) -> Path:
    """Run ``ukraine-briefs build CORPUS --out OUT`` (the real pipeline) and return OUT."""
    subprocess.run([sys.executable, "-m", "ukraine_briefs.cli", "build", str(corpus), "--out", str(out), "--quiet"],
                   check=True, cwd=ROOT, capture_output=True, text=True)
    return out


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class VoilaServer:
    """``serve.start`` on a free port; ``startup_seconds`` = launch to the first served page."""

    def __init__(self, tables_dir: Path, *, log_path: Path | None = None, timeout: float = 120.0):
        self.tables_dir = Path(tables_dir)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.timeout = timeout
        self.log_path = log_path
        self.proc = None
        self.startup_seconds = None

    def __enter__(self) -> "VoilaServer":
        from ukraine_briefs.dashboard.serve import start

        log = open(self.log_path, "wb") if self.log_path else subprocess.DEVNULL
        t0 = time.perf_counter()
        self.proc = start(self.tables_dir, host="127.0.0.1", port=self.port, stdout=log, stderr=subprocess.STDOUT)
        try:
            self._wait_until_served(t0 + self.timeout)
        except BaseException:
            self.__exit__()
            raise
        self.startup_seconds = time.perf_counter() - t0
        return self

    def _wait_until_served(self, deadline: float) -> None:
        # Poll the port, then fetch the page once: every GET of the notebook takes a
        # preheated kernel, so retrying it on a short timeout would start kernels in a loop.
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"voila exited with {self.proc.returncode}; see {self.log_path}")
            with contextlib.closing(socket.socket()) as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    break
            if time.perf_counter() > deadline:
                raise TimeoutError(f"voila did not listen on {self.port} within {self.timeout}s")
            time.sleep(0.2)
        with urllib.request.urlopen(self.url, timeout=max(5.0, deadline - time.perf_counter())) as r:
            if r.status != 200:
                raise RuntimeError(f"GET {self.url} -> {r.status}")
            self.first_page = r.read().decode("utf-8", "replace")

    def wait_pool_filled(self, n: int = 2, timeout: float = 90.0) -> bool:
        """Wait until Voila reports its preheated kernel pool refilled ``n`` times (needs ``log_path``)."""
        if not self.log_path:
            return False
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            text = Path(self.log_path).read_text(errors="replace")
            if text.count("is filled with") >= n:
                return True
            time.sleep(0.25)
        return False

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def launch_chromium(playwright):
    """Debian's Chromium, headless; never a downloaded browser."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
