"""Capacity: the serving config, the kernel cap and its busy page, and no kernel left by clients that hang up.

The Voila tests run a one-cell notebook (not the dashboard) with the app's
``voila.json``, template and kernel manager, on 127.0.0.1, with a short cull
(``--MappingKernelManager.cull_idle_timeout=5``) so they finish in seconds.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import re
import shutil
import socket
import time
import types
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psutil
import pytest
from tornado import web

from dashboard_helpers import free_port
from ukraine_briefs.dashboard import capacity, serve

VOILA_JSON = json.loads((serve.DASHBOARD_DIR / "voila.json").read_text())
NOTEBOOK = {"cells": [{"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {}, "outputs": [],
                       "source": "print('ready')"}],
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


def test_voila_json_culls_within_a_minute_and_caps_kernels():
    mkm = VOILA_JSON["MappingKernelManager"]
    assert 0 < mkm["cull_idle_timeout"] + mkm["cull_interval"] <= 60
    assert mkm["cull_connected"] is False  # an open page keeps its kernel
    assert VOILA_JSON["VoilaConfiguration"]["multi_kernel_manager_class"] == \
        "ukraine_briefs.dashboard.capacity.CappedKernelManager"
    cap = VOILA_JSON["CappedKernelManager"]["max_kernels"]
    pool = VOILA_JSON["VoilaConfiguration"]["default_pool_size"]
    assert VOILA_JSON["VoilaConfiguration"]["preheat_kernel"] is True and 1 <= pool < cap
    # nbclient's default (4 s) dropped the dashboard's output on a busy machine: the blank pages
    assert VOILA_JSON["VoilaExecutor"]["iopub_timeout"] >= 30


def test_the_busy_page_retries_by_itself_and_loads_nothing_external():
    page = (serve.DASHBOARD_DIR / "jupyter" / "voila" / "templates" / serve.TEMPLATE / "503.html").read_text()
    assert "data-ub-busy" in page and "Busy, retrying" in page
    assert "window.location.reload()" in page and 'http-equiv="refresh"' in page
    assert "http://" not in page and "https://" not in page


def _manager(max_kernels: int) -> capacity.CappedKernelManager:
    return capacity.CappedKernelManager(max_kernels=max_kernels)


def test_a_page_beyond_the_cap_gets_503_and_a_refill_is_refused_quietly():
    km = _manager(0)
    with pytest.raises(web.HTTPError) as exc:
        asyncio.run(km.start_kernel(kernel_name="python3", env={"VOILA_PREHEAT": "False"}))
    assert exc.value.status_code == 503
    with pytest.raises(capacity.PoolFull):
        asyncio.run(km.start_kernel(kernel_name="python3", env={"VOILA_PREHEAT": "True"}))
    assert km.live_kernels() == 0


def test_reserved_and_pending_starts_count_against_the_cap():
    km = _manager(2)
    km._reserved.add("a")
    km._pending_kernels["b"] = None
    assert km.live_kernels() == 2 and not km.has_room()
    km._pending_kernels["a"] = None  # the same kernel reserved and pending counts once
    assert km.live_kernels() == 2


def test_a_claimed_kernel_waits_for_its_slow_page_an_unclaimed_one_is_culled_as_usual():
    km = _manager(4)
    km._kernels["page"] = km._kernels["hung-up"] = None
    km._claimed["page"] = time.monotonic()
    assert asyncio.run(km.cull_kernel_if_idle("page")) is None  # within connect_grace: not even looked at
    with pytest.raises(AttributeError):  # Jupyter's own idle check runs (and meets the fake kernel)
        asyncio.run(km.cull_kernel_if_idle("hung-up"))
    km._claimed["page"] -= km.connect_grace + 1
    with pytest.raises(AttributeError):
        asyncio.run(km.cull_kernel_if_idle("page"))
    template = (serve.DASHBOARD_DIR / "jupyter" / "voila" / "templates" / serve.TEMPLATE / "index.html.j2").read_text()
    assert '"api/kernels/" + c.kernelId' in template and "{{ super() }}" in template
    # never a white page between Voila's spinner and the app: a loading line until .ub-app exists
    assert "Loading the dashboard" in template and "body:has(.ub-app) .ub-loading { display: none; }" in template


def test_a_preheated_kernel_s_idle_time_starts_when_it_is_handed_to_a_page():
    class Preheating(capacity.CappedKernelManager):  # the shape of Voila's subclass: its own hand-out
        async def get_rendered_notebook(self, notebook_name, **kwargs):
            return "task", ["<div>cell</div>"], "pooled"

    km = Preheating(max_kernels=4)
    preheated_at = datetime.now(timezone.utc) - timedelta(minutes=10)
    km._kernels["pooled"] = types.SimpleNamespace(last_activity=preheated_at)
    assert asyncio.run(km.get_rendered_notebook("app.ipynb")) == ("task", ["<div>cell</div>"], "pooled")
    idle = datetime.now(timezone.utc) - km._kernels["pooled"].last_activity
    assert idle < timedelta(seconds=5)  # not culled at the next tick: the page has cull_idle_timeout to claim it
    from voila.voila_kernel_manager import voila_kernel_manager_factory  # Voila's real subclass has that hand-out

    assert "get_rendered_notebook" in vars(voila_kernel_manager_factory(capacity.CappedKernelManager, True, 1))


@pytest.fixture
def tiny_app(tmp_path) -> Path:
    """A dashboard dir with the real voila.json and template and a one-cell notebook."""
    d = tmp_path / "app"
    shutil.copytree(serve.DASHBOARD_DIR / "jupyter", d / "jupyter")
    shutil.copy(serve.DASHBOARD_DIR / "voila.json", d / "voila.json")
    (d / "app.ipynb").write_text(json.dumps(NOTEBOOK))
    (tmp_path / "tables").mkdir()
    return d


def _kernels(proc) -> int:
    with contextlib.suppress(psutil.Error):
        return sum("ipykernel_launcher" in " ".join(c.cmdline()) for c in psutil.Process(proc.pid).children(True))
    return 0


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def _wait(pred, timeout: float, step: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(step)
    return pred()


def _hang_up_requests(port: int, n: int) -> None:
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        socks.append(s)
    for s in socks:
        s.close()


@pytest.mark.slow
def test_fifty_requests_that_hang_up_leave_no_kernel_and_the_busy_page_then_renders(tiny_app, tmp_path):
    port = free_port()
    args = ("--VoilaConfiguration.default_pool_size=0", "--CappedKernelManager.max_kernels=2",
            "--MappingKernelManager.cull_idle_timeout=5", "--MappingKernelManager.cull_interval=1")
    log = tmp_path / "voila.log"
    with open(log, "wb") as out:
        proc = serve.start(tmp_path / "tables", port=port, dashboard_dir=tiny_app, voila_args=args,
                           stdout=out, stderr=out)
    try:
        assert _wait(lambda: _connectable(port), 90), log.read_text()[-2000:]
        _hang_up_requests(port, 50)
        peak = 0
        t0 = time.monotonic()
        while time.monotonic() - t0 < 2:
            peak = max(peak, _kernels(proc))
            time.sleep(0.1)
        status, body = _get(f"http://127.0.0.1:{port}/")
        if status == 503:  # the cap is reached: the busy page, which retries by itself
            assert "data-ub-busy" in body and "Busy, retrying" in body
        peak = max(peak, _kernels(proc))
        # Kernel processes, counted from the OS: a kernel the server has already let go can still be
        # exiting when its place goes to the next page (seen 2 runs in 9: 3 processes for a cap of 2),
        # so one over the cap for a moment; the server's own count never passes the cap (its log).
        # Not reproduced in 15 traced runs of this burst at load 13-20 (every kernel process, its id and
        # status every 50 ms: peak 2, no other child, clean shutdowns). Two jupyter_client paths drop a
        # kernel whose process may still run: KernelManager._async_kill_kernel goes on after waiting 5 s
        # for a killed kernel to exit, and MultiKernelManager._async_shutdown_kernel removes a kernel
        # whose start raised without stopping its process.
        assert peak <= 3, f"{peak} kernel processes for 50 requests with a cap of 2"
        counts = [int(n) for n in re.findall(r"busy: (\d+) kernels alive \(cap 2\)", log.read_text())]
        assert counts and max(counts) == 2, counts
        # the kernels of pages nobody opened are culled: none is left (bounded wait)
        assert _wait(lambda: _kernels(proc) == 0, 60, 0.5), f"{_kernels(proc)} kernels left"
        # room again: the page renders, at once or after the busy page's own retry (every 3-7 s), as a
        # browser would see it while the server finishes letting the culled kernels go
        got = []
        assert _wait(lambda: got.append(_get(f"http://127.0.0.1:{port}/")) or got[-1][0] == 200, 30, 3), got[-1][0]
        assert "ready" in got[-1][1]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except Exception:
            proc.kill()


def _connectable(port: int) -> bool:
    with contextlib.closing(socket.socket()) as s:
        return s.connect_ex(("127.0.0.1", port)) == 0
