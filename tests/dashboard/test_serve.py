"""Serving safely: loopback as before; any other address refused unless asked for, then with a token.

Nothing here binds a non-loopback address: the refusal and the Voila command line
are tested as built, and the one real Voila runs on 127.0.0.1 with a token.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest_charts import build
from dashboard_helpers import free_port
from ukraine_briefs import cli
from ukraine_briefs.dashboard import serve


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tables")
    for name, df in build().as_dict().items():
        df.to_parquet(out / f"{name}.parquet")
    return out


class _FakeProc:
    def wait(self, timeout=None):
        return 0


@pytest.fixture
def started(monkeypatch):
    """Replace the Voila launch with a recorder: what `serve` would start, without starting it."""
    calls = []

    def fake_start(tables_dir, **kwargs):
        calls.append(kwargs)
        return _FakeProc()

    monkeypatch.setattr(serve, "start", fake_start)
    return calls


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("LOCALHOST", True), ("::ffff:127.0.0.1", True),
    ("0.0.0.0", False), ("::", False), ("", False), ("192.168.1.20", False), ("10.0.0.5", False),
    ("example.org", False), ("128.0.0.1", False),
])
def test_is_loopback(host, loopback):
    assert serve.is_loopback(host) is loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", ""])
def test_a_non_loopback_host_is_refused_without_the_flag(host, tables):
    with pytest.raises(serve.RemoteServeRefused, match="refusing to serve the dashboard on .*--allow-remote"):
        serve.access_token(host)
    with pytest.raises(serve.RemoteServeRefused):
        serve.start(tables, host=host, port=free_port())  # refused before any process starts
    with pytest.raises(serve.RemoteServeRefused):
        serve.access_token(host, use_token=False)  # --no-token alone is no way around it


def test_cli_serve_on_0000_without_the_flag_refuses(tables):
    res = subprocess.run([sys.executable, "-m", "ukraine_briefs.cli", "serve", "--host", "0.0.0.0",
                          "--tables", str(tables), "--port", str(free_port())],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2
    assert "refusing to serve the dashboard on 0.0.0.0" in res.stderr
    assert "--allow-remote" in res.stderr and "--host 127.0.0.1" in res.stderr
    assert "Traceback" not in res.stderr and "Serving" not in res.stdout


def test_with_the_flag_the_voila_command_carries_a_token(tables):
    token = serve.access_token("0.0.0.0", allow_remote=True)
    assert token and len(token) >= 40 and token != serve.access_token("0.0.0.0", allow_remote=True)
    cmd = serve.voila_command(host="0.0.0.0", port=9123, token=bool(token))
    assert {"--Voila.ip=0.0.0.0", "--Voila.port=9123", "--Voila.auto_token=True"} <= set(cmd)
    # the token itself goes in the environment: a command line is readable by every local user (ps)
    assert not any(token in arg for arg in cmd)
    env = serve.voila_env(tables, token=token, base={"PATH": os.environ["PATH"]})
    assert env[serve.TOKEN_ENV] == token


def test_loopback_stays_as_it_was(tables):
    assert serve.access_token("127.0.0.1") is None
    assert serve.access_token("localhost", allow_remote=True) is None  # the flag changes nothing on loopback
    cmd = serve.voila_command(host="127.0.0.1", port=9123)
    assert "--Voila.auto_token=True" not in cmd and not any("token" in arg for arg in cmd)
    # a JUPYTER_TOKEN left in the caller's environment is not picked up by accident
    env = serve.voila_env(tables, base={"PATH": os.environ["PATH"], serve.TOKEN_ENV: "stale"})
    assert serve.TOKEN_ENV not in env


def test_cli_serve_with_allow_remote_warns_and_prints_the_token_url(started, tables, capsys):
    assert cli.main(["serve", "--host", "0.0.0.0", "--allow-remote", "--port", "9124", "--tables", str(tables)]) == 0
    (kwargs,) = started
    token = kwargs["token"]
    assert token and kwargs["allow_remote"] is True and kwargs["host"] == "0.0.0.0"
    out, err = capsys.readouterr()
    assert err.count("warning:") == 1 and "not loopback" in err
    assert f":9124/?token={token}" in out and socket.gethostname() in out


def test_cli_serve_with_no_token_warns_twice_and_serves_without_one(started, tables, capsys):
    assert cli.main(["serve", "--host", "0.0.0.0", "--allow-remote", "--no-token", "--tables", str(tables)]) == 0
    assert started[0]["token"] is None
    out, err = capsys.readouterr()
    assert err.count("warning:") == 2 and "NO authentication" in err
    assert "token=" not in out


def test_cli_serve_on_loopback_needs_no_flag_and_no_token(started, tables, capsys):
    assert cli.main(["serve", "--tables", str(tables), "--port", "9125"]) == 0
    assert started[0]["token"] is None and started[0]["host"] == "127.0.0.1"
    out, err = capsys.readouterr()
    assert "warning" not in err and "http://127.0.0.1:9125/ " in out


def test_extra_voila_args_come_last_so_they_override_voila_json():
    cmd = serve.voila_command(port=9123, voila_args=("--CappedKernelManager.max_kernels=3",))
    assert cmd[-1] == "--CappedKernelManager.max_kernels=3"
    assert "--Voila.config_file_paths" in cmd and cmd.index("--Voila.config_file_paths") < len(cmd) - 1


def test_dashboard_url_brackets_ipv6():
    assert serve.dashboard_url("::1", 8866) == "http://[::1]:8866/"
    assert serve.dashboard_url("127.0.0.1", 8866, "abc") == "http://127.0.0.1:8866/?token=abc"


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.geturl()
    except urllib.error.HTTPError as e:
        return e.code, e.geturl()


@pytest.mark.slow
def test_voila_really_requires_the_token(tables, tmp_path):
    """The token reaches Voila through JUPYTER_TOKEN (on loopback here: no test binds 0.0.0.0)."""
    token = serve.access_token("0.0.0.0", allow_remote=True)
    port = free_port()
    log = tmp_path / "voila.log"
    with open(log, "wb") as out:
        proc = serve.start(tables, host="127.0.0.1", port=port, token=token, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, log.read_text()
            with contextlib.closing(socket.socket()) as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert time.monotonic() < deadline, "voila did not listen within 120 s"
            time.sleep(0.2)
        base = f"http://127.0.0.1:{port}/"
        assert "/login" in _get(base)[1]
        assert "/login" in _get(base + "?token=wrong")[1]
        status, url = _get(base + f"?token={token}")
        assert status == 200 and "/login" not in url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    assert token not in log.read_text()  # Voila shows the URL as ?token=...
