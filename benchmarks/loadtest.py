"""Load test of the dashboard: N viewers at once, then M requests that disconnect at once.

Starts the server the way ``make dashboard`` does (``ukraine-briefs serve`` on a free
loopback port), opens ``--viewers`` pages at once in Debian's Chromium
(``/usr/bin/chromium`` through Playwright; never a downloaded browser) and records
for each viewer whether a chart was drawn (a visible plotly ``.main-svg``), the
seconds from opening to the first chart, whether the "busy, retrying" page was
shown, and the longest stretch the page stayed blank (loaded, no spinner, no busy
notice, no text, no chart). Then ``--disconnects`` clients send ``GET /`` and hang up
at once, and the kernels still alive after the cull interval are counted.
Peak memory is the sum of RSS over the server and all its child processes
(kernels included), sampled every 0.25 s with psutil. RSS counts the pages of shared
libraries (pandas, pyarrow, plotly...) once per kernel although every kernel maps the same
ones, so the sum of PSS (shared pages split between the processes that map them; sampled
every 5 s) is also given: it is what the tree really takes from the machine. A kernel's
USS (pages no other process shares) is what one more viewer costs.

Everything is bounded: a fixed number of pages and sockets, a deadline on every
browser call and on the whole run, loopback only. Prints the figures and writes
them as JSON (``--json``).

    python benchmarks/loadtest.py --tables build/seeds            # or: make loadtest
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
#: A page counts as blank when it stays loaded but empty longer than this (widgets mount in well under it).
BLANK_SECONDS = 3.0

#: What the page shows, sampled in the browser: a drawn chart, the busy notice, Voila's spinner, any text.
STATE_JS = """() => {
  const vis = e => { if (!e) return false; const r = e.getBoundingClientRect();
                     return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
  const charts = [...document.querySelectorAll('.js-plotly-plot .main-svg')].filter(vis).length;
  const busy = !!document.querySelector('[data-ub-busy]');
  const spinner = vis(document.getElementById('loading'));
  const text = document.body ? document.body.innerText.trim().length : 0;
  return {charts, busy, spinner, text, ready: document.readyState};
}"""


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def is_kernel(p: psutil.Process) -> bool:
    try:
        return "ipykernel_launcher" in " ".join(p.cmdline())
    except psutil.Error:
        return False


class Sampler(threading.Thread):
    """Sums RSS over the server's process tree every ``period`` s; keeps the peak and the kernel count."""

    def __init__(self, pid: int, period: float = 0.25):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.period = period
        self.peak_rss = 0
        self.peak_kernels = 0
        self.kernel_rss: list[int] = []
        self.peak_pss = 0
        self.kernel_uss: list[int] = []
        self._cpu: dict[int, tuple[bool, float]] = {}
        self._stop = threading.Event()

    def tree(self) -> list[psutil.Process]:
        try:
            return [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return []

    def snapshot(self) -> tuple[int, int, list[int]]:
        total, kernels = 0, []
        for p in self.tree():
            try:
                rss = p.memory_info().rss
            except psutil.Error:
                continue
            total += rss
            if is_kernel(p):
                kernels.append(rss)
        return total, len(kernels), kernels

    def kernels(self) -> int:
        return self.snapshot()[1]

    def wait_kernels_idle(self, n: int, timeout: float) -> bool:
        """Wait until ``n`` kernels run and none used CPU for 2 s: Voila's "pool filled" comes before its
        kernels have run the notebook, and a viewer of a kernel still running it waits for the rest."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            cpu = 0.0
            ks = [p for p in self.tree() if is_kernel(p)]
            for p in ks:
                with contextlib.suppress(psutil.Error):
                    t = p.cpu_times()
                    cpu += t.user + t.system
            if len(ks) >= n and last is not None and cpu - last < 0.1:
                return True
            last = cpu if len(ks) >= n else None
            time.sleep(2)
        return False

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds so far of the server tree and of every other process this run started (the browser)."""
        own = {p.pid for p in self.tree()}
        server = browser = 0.0
        with contextlib.suppress(psutil.Error):
            for p in psutil.Process().children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    t = p.cpu_times()
                    self._cpu[p.pid] = (p.pid in own, t.user + t.system)
        for is_server, sec in self._cpu.values():
            server += sec if is_server else 0.0
            browser += 0.0 if is_server else sec
        return {"server": server, "browser": browser}

    def proportional(self) -> None:
        """Sum of PSS over the tree (keeps the peak) and each kernel's USS (keeps the largest set)."""
        pss, uss = 0, []
        for p in self.tree():
            try:
                full = p.memory_full_info()
            except psutil.Error:
                continue
            pss += full.pss
            if is_kernel(p):
                uss.append(full.uss)
        self.peak_pss = max(self.peak_pss, pss)
        if uss and max(uss) > max(self.kernel_uss or [0]):
            self.kernel_uss = uss

    def run(self) -> None:
        tick = 0
        while not self._stop.is_set():
            if tick % 20 == 0:
                self.proportional()
            tick += 1
            self.cpu_seconds()
            total, n, per = self.snapshot()
            self.peak_rss = max(self.peak_rss, total)
            self.peak_kernels = max(self.peak_kernels, n)
            if per:
                self.kernel_rss = per if max(per) > max(self.kernel_rss or [0]) else self.kernel_rss
            time.sleep(self.period)

    def stop(self) -> None:
        self._stop.set()


class Server:
    """``ukraine-briefs serve`` (what ``make dashboard`` runs) in its own process group, log to a file."""

    def __init__(self, tables: Path, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = log
        exe = Path(sys.executable).with_name("ukraine-briefs")
        cmd = [str(exe), "serve", "--tables", str(tables), "--host", "127.0.0.1", "--port", str(self.port)]
        self.t0 = time.monotonic()
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_listening(self, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: {self.log.read_text()[-2000:]}")
            with contextlib.closing(socket.socket()) as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return time.monotonic() - self.t0
            time.sleep(0.2)
        raise TimeoutError(f"server did not listen within {timeout} s")

    def wait_pool(self, timeout: float) -> bool:
        """Wait for Voila's "pool ... is filled" line (the preheated kernels are ready)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "is filled with" in self.log.read_text(errors="replace"):
                return True
            time.sleep(0.5)
        return False

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue


async def viewer(browser, url: str, i: int, deadline_s: float) -> dict:
    """One viewer: open the page, sample what it shows every 0.25 s until a chart is drawn or the deadline."""
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Failed to initialize" in m.text else None)
    res = {"viewer": i, "rendered": False, "first_chart_s": None, "first_text_s": None, "spinner_gone_s": None,
           "busy_seen": False, "max_blank_s": 0.0,
           "anywidget_errors": 0, "error": None}
    t0 = time.monotonic()
    blank_since = None
    try:
        with contextlib.suppress(Exception):  # a slow first byte is measured by the loop below, not failed here
            await page.goto(url, wait_until="commit", timeout=deadline_s * 1000)
        while time.monotonic() - t0 < deadline_s:
            try:
                st = await asyncio.wait_for(page.evaluate(STATE_JS), timeout=15)
            except Exception:  # mid-navigation (the busy page reloads itself)
                await asyncio.sleep(0.25)
                continue
            now = time.monotonic()
            res["busy_seen"] |= st["busy"]
            if st["ready"] == "complete" and not st["spinner"] and res["spinner_gone_s"] is None:
                res["spinner_gone_s"] = round(now - t0, 2)
            if st["text"] and not st["spinner"] and not st["busy"] and res["first_text_s"] is None:
                res["first_text_s"] = round(now - t0, 2)
            if st["charts"]:
                res["rendered"], res["first_chart_s"] = True, round(now - t0, 2)
                break
            empty = st["ready"] == "complete" and not st["spinner"] and not st["busy"] and st["text"] == 0
            if empty:
                blank_since = blank_since or now
                res["max_blank_s"] = max(res["max_blank_s"], round(now - blank_since, 2))
            else:
                blank_since = None
            await asyncio.sleep(0.25)
    except Exception as e:  # noqa: BLE001 - reported per viewer
        res["error"] = f"{type(e).__name__}: {e}"[:200]
    res["anywidget_errors"] = len(errors)
    res["blank"] = (not res["rendered"]) or res["max_blank_s"] > BLANK_SECONDS
    res["page"] = page
    res["ctx"] = ctx
    return res


async def run_viewers(url: str, n: int, deadline_s: float) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                                          timeout=60_000)
        try:
            results = await asyncio.gather(*(viewer(browser, url, i, deadline_s) for i in range(n)))
            for r in results:  # close every page, as viewers leave
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(r.pop("ctx").close(), timeout=15)
                r.pop("page", None)
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(browser.close(), timeout=20)
    return results


def disconnect_burst(port: int, n: int) -> None:
    """``n`` clients send ``GET /`` and hang up at once (what a readiness probe with a short timeout does)."""
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        socks.append(s)
    for s in socks:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST
        s.close()


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(q * (len(v) - 1) + 0.4999))))
    return v[k]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tables", default=str(ROOT / "build" / "seeds"))
    ap.add_argument("--viewers", type=int, default=10)
    ap.add_argument("--disconnects", type=int, default=50)
    ap.add_argument("--deadline", type=float, default=420.0, help="seconds each viewer waits for a chart")
    ap.add_argument("--cull-wait", type=float, default=75.0, help="seconds to wait after the burst before counting")
    pool = json.loads((ROOT / "dashboard" / "voila.json").read_text())["VoilaConfiguration"]["default_pool_size"]
    ap.add_argument("--pool", type=int, default=pool, help="preheated kernels to wait for before the viewers "
                                                          "(default: voila.json's default_pool_size)")
    ap.add_argument("--json", default=str(ROOT / "build" / "loadtest.json"))
    args = ap.parse_args(argv)
    if not (0 < args.viewers <= 20 and 0 <= args.disconnects <= 200):
        ap.error("at most 20 viewers and 200 disconnects")
    tables = Path(args.tables)
    if not (tables / "documents.parquet").exists():
        ap.error(f"no tables in {tables}: run `make tables` (or `ukraine-briefs build seeds --out {tables}`)")

    log = Path(args.json).with_suffix(".server.log")
    log.parent.mkdir(parents=True, exist_ok=True)
    out: dict = {"viewers": args.viewers, "cpus": os.cpu_count(), "load_before": os.getloadavg()}
    srv = Server(tables, log)
    sampler = None
    try:
        out["listening_s"] = round(srv.wait_listening(120), 2)
        sampler = Sampler(srv.proc.pid)
        sampler.start()
        out["pool_filled"] = srv.wait_pool(120)
        out["pool_idle"] = sampler.wait_kernels_idle(args.pool, 240)
        out["ready_s"] = round(time.monotonic() - srv.t0, 2)
        out["kernels_idle"] = sampler.kernels()
        own0 = sampler.cpu_seconds()
        cpu0 = psutil.cpu_times()
        t0 = time.monotonic()
        results = asyncio.run(run_viewers(srv.url, args.viewers, args.deadline))
        out["viewers_wall_s"] = round(time.monotonic() - t0, 2)
        cpu1 = psutil.cpu_times()
        own1 = sampler.cpu_seconds()
        out["cpu_s_server_and_kernels"] = round(own1["server"] - own0["server"], 1)
        out["cpu_s_browser"] = round(own1["browser"] - own0["browser"], 1)
        busy = (cpu1.user + cpu1.system + cpu1.nice) - (cpu0.user + cpu0.system + cpu0.nice)
        out["cpu_busy_during_viewers"] = round(busy / max(1e-9, out["viewers_wall_s"] * (os.cpu_count() or 1)), 2)
        out["load_after_viewers"] = os.getloadavg()
        times = [r["first_chart_s"] for r in results if r["rendered"]]
        out.update({
            "rendered": sum(r["rendered"] for r in results),
            "blank": sum(r["blank"] for r in results),
            "busy_then_rendered": sum(r["busy_seen"] and r["rendered"] for r in results),
            "anywidget_errors": sum(r["anywidget_errors"] for r in results),
            "p50_first_chart_s": percentile(times, 0.5), "p95_first_chart_s": percentile(times, 0.95),
            "max_first_chart_s": max(times) if times else None,
            "peak_kernels": sampler.peak_kernels,
            "peak_rss_mb": round(sampler.peak_rss / 2**20),
            "kernel_rss_mb": sorted(round(x / 2**20) for x in sampler.kernel_rss),
            "kernel_uss_mb": sorted(round(x / 2**20) for x in sampler.kernel_uss),
            "per_viewer": results,
        })
        if args.disconnects:
            out["kernels_before_burst"] = sampler.kernels()
            disconnect_burst(srv.port, args.disconnects)
            time.sleep(3)
            out["kernels_after_burst"] = sampler.kernels()
            time.sleep(max(0.0, args.cull_wait - 3))
            out["kernels_after_cull_wait"] = sampler.kernels()
            out["cull_wait_s"] = args.cull_wait
        out["peak_rss_mb"] = round(sampler.peak_rss / 2**20)
        out["peak_pss_mb"] = round(sampler.peak_pss / 2**20)
        out["peak_kernels"] = sampler.peak_kernels
        out["server_log_iopub_timeouts"] = log.read_text(errors="replace").count("Timeout waiting for IOPub")
    finally:
        if sampler:
            sampler.stop()
        srv.stop()
    Path(args.json).write_text(json.dumps(out, indent=2, default=str))
    report(out)
    return 0 if out.get("rendered") == args.viewers and not out.get("blank") else 1


def report(o: dict) -> None:
    print(f"machine: {o['cpus']} CPUs, load average before {o['load_before'][0]:.2f}, "
          f"after the viewers {o['load_after_viewers'][0]:.2f}; CPU busy during the viewers "
          f"{o['cpu_busy_during_viewers']:.0%}; CPU seconds during the viewers: server + kernels "
          f"{o['cpu_s_server_and_kernels']}, browser {o['cpu_s_browser']}, all processes "
          f"{o['cpu_busy_during_viewers'] * o['viewers_wall_s'] * o['cpus']:.0f} in {o['viewers_wall_s']} s")
    print(f"server: listening after {o['listening_s']} s, pool ready after {o['ready_s']} s "
          f"({o['kernels_idle']} idle kernels)")
    print(f"viewers: {o['rendered']}/{o['viewers']} rendered a chart; blank pages: {o['blank']}; "
          f"busy page then rendered: {o['busy_then_rendered']}; anywidget init errors: {o['anywidget_errors']}; "
          f"IOPub timeouts in the server log: {o['server_log_iopub_timeouts']}")
    print(f"time to first chart: p50 {o['p50_first_chart_s']} s, p95 {o['p95_first_chart_s']} s, "
          f"max {o['max_first_chart_s']} s")
    print(f"peak server memory (server + kernels RSS): {o['peak_rss_mb']} MB with up to {o['peak_kernels']} kernels; "
          f"kernel RSS (MB): {o['kernel_rss_mb']}")
    print(f"peak server memory as PSS (shared library pages split between the kernels): {o['peak_pss_mb']} MB; "
          f"kernel USS (MB, what one more kernel adds): {o['kernel_uss_mb']}")
    if "kernels_after_cull_wait" in o:
        print(f"disconnect burst: {o['kernels_before_burst']} kernels before, {o['kernels_after_burst']} 3 s after, "
              f"{o['kernels_after_cull_wait']} after {o['cull_wait_s']:.0f} s")
    for r in o["per_viewer"]:
        print(f"  viewer {r['viewer']}: rendered={r['rendered']} first_chart={r['first_chart_s']} "
              f"page_loaded={r['spinner_gone_s']} first_text={r['first_text_s']} "
              f"busy={r['busy_seen']} max_blank={r['max_blank_s']} err={r['error']}")


if __name__ == "__main__":
    sys.exit(main())
