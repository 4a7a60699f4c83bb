"""Start the Voila app: ``serve(tables_dir)`` is what ``ukraine-briefs serve`` and ``make dashboard`` run.

Voila runs ``dashboard/app.ipynb`` with ``dashboard/voila.json`` (tracebacks hidden,
sources stripped, a pool of preheated kernels, kernels of closed or abandoned pages
culled within a minute, at most ``CappedKernelManager.max_kernels`` kernels with a
"busy, retrying" page beyond them: see `capacity`) and the project's
``ukraine-briefs`` template, which is the stock ``lab`` template minus its two
CDN stylesheets: nothing is fetched from the internet at view time.

Loopback (127.0.0.0/8, ::1, localhost) is served as before, without a token.
Any other address shows the article texts to whoever can reach the machine, so
it is refused unless asked for (``allow_remote``), and then served with a
Jupyter token (unless ``use_token=False``, knowingly). The token travels to
Voila in ``JUPYTER_TOKEN`` rather than on the command line, which every local
user can read in ``ps``.
"""
from __future__ import annotations

import ipaddress
import os
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from ukraine_briefs.config import PACKAGE_DIR, cache_root
from ukraine_briefs.dashboard import figure

#: Where ``app.ipynb``, ``voila.json`` and the template live (a source checkout).
DASHBOARD_DIR = Path(os.environ.get("UKRAINE_BRIEFS_DASHBOARD", PACKAGE_DIR.parents[1] / "dashboard"))
TEMPLATE = "ukraine-briefs"
TOKEN_ENV = "JUPYTER_TOKEN"


class RemoteServeRefused(ValueError):
    """Serving on a non-loopback address was not asked for explicitly."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (127.0.0.0/8, ::1) or ``localhost``; ``""`` and ``0.0.0.0`` are not.

    Examples:
        >>> [is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "::1", "localhost", "0.0.0.0", "::", "", "10.0.0.5")]
        [True, True, True, True, False, False, False, False]
    """
    host = host.strip().strip("[]").lower()
    if host in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return False  # a host name: it may resolve to any interface
    mapped = getattr(addr, "ipv4_mapped", None)
    return (mapped or addr).is_loopback


def check_host(host: str, *, allow_remote: bool = False) -> bool:
    """Whether ``host`` is remote (not loopback); raises `RemoteServeRefused` for one without ``allow_remote``."""
    if is_loopback(host):
        return False
    if not allow_remote:
        shown = host or "every interface"
        raise RemoteServeRefused(
            f"refusing to serve the dashboard on {shown}: that is not a loopback address, so anyone who can "
            f"reach this machine could read the corpus. Use --host 127.0.0.1, or pass --allow-remote to serve "
            f"on {shown} with token authentication.")
    return True


def access_token(host: str, *, allow_remote: bool = False, use_token: bool = True) -> str | None:
    """The token to serve ``host`` with: None on loopback, a fresh one elsewhere (unless ``use_token=False``).

    Raises `RemoteServeRefused` for a non-loopback host without ``allow_remote``.
    """
    remote = check_host(host, allow_remote=allow_remote)
    return secrets.token_urlsafe(32) if remote and use_token else None


def voila_command(*, host: str = "127.0.0.1", port: int = 8866, open_browser: bool = False,
                  dashboard_dir: Path = DASHBOARD_DIR, token: bool = False,
                  voila_args: tuple[str, ...] = ()) -> list[str]:
    """The ``voila`` command line (run it with `voila_env` and ``cwd=dashboard_dir``).

    With ``token``, Voila requires the Jupyter token that `voila_env` puts in
    ``JUPYTER_TOKEN`` (Voila otherwise forces an empty token, i.e. no authentication).
    ``voila_args`` override ``voila.json`` (e.g. ``--CappedKernelManager.max_kernels=4``).
    """
    cmd = [sys.executable, "-m", "voila", str(dashboard_dir / "app.ipynb"),
           f"--Voila.ip={host}", f"--Voila.port={int(port)}", "--Voila.port_retries=0",
           f"--template={TEMPLATE}", "--Voila.config_file_paths", str(dashboard_dir)]
    if token:
        cmd.append("--Voila.auto_token=True")
    if not open_browser:
        cmd.append("--no-browser")
    return cmd + list(voila_args)


def prepare_template(dashboard_dir: Path = DASHBOARD_DIR, *, root: Path | None = None) -> Path:
    """A Jupyter data dir holding the app's Voila template plus plotly's widget bundle as a static file.

    The template comes from ``dashboard/jupyter``; the bundle is copied from the
    installed plotly (so it always matches the kernel's plotly). Returns the dir
    to put on ``JUPYTER_PATH``.
    """
    import plotly

    root = Path(root or cache_root() / "voila-data")
    src = dashboard_dir / "jupyter" / "voila" / "templates" / TEMPLATE
    dst = root / "voila" / "templates" / TEMPLATE
    shutil.copytree(src, dst, dirs_exist_ok=True)
    bundle = Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"
    target = dst / "static" / figure.BUNDLE_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.stat().st_size != bundle.stat().st_size \
            or target.stat().st_mtime < bundle.stat().st_mtime:
        shutil.copyfile(bundle, target)
    return root


def voila_env(tables_dir: str | os.PathLike, *, dashboard_dir: Path = DASHBOARD_DIR,
              base: dict | None = None, token: str | None = None) -> dict[str, str]:
    """Environment for Voila and its kernels: the tables to open, where the template is, and the token if any."""
    env = dict(os.environ if base is None else base)
    env.pop(TOKEN_ENV, None)  # only a token chosen here is used
    if token:
        env[TOKEN_ENV] = token
    env["UKRAINE_BRIEFS_TABLES"] = str(Path(tables_dir).resolve())
    env[figure.ENV_VAR] = "1"
    extra = str(prepare_template(dashboard_dir))
    env["JUPYTER_PATH"] = os.pathsep.join([extra] + ([env["JUPYTER_PATH"]] if env.get("JUPYTER_PATH") else []))
    # Kernels must not try to reach the internet or a display.
    env.setdefault("MPLBACKEND", "Agg")
    return env


def start(tables_dir: str | os.PathLike, *, host: str = "127.0.0.1", port: int = 8866,
          open_browser: bool = False, dashboard_dir: Path = DASHBOARD_DIR, allow_remote: bool = False,
          token: str | None = None, voila_args: tuple[str, ...] = (), **popen_kwargs) -> subprocess.Popen:
    """Start Voila in the background and return the process (tests use this).

    A non-loopback ``host`` needs ``allow_remote`` (`RemoteServeRefused` otherwise);
    ``token`` (from `access_token`) turns on token authentication; ``voila_args``
    are passed to Voila after the others.
    """
    check_host(host, allow_remote=allow_remote)
    tables = Path(tables_dir)
    if not tables.is_dir():
        raise FileNotFoundError(f"tables directory not found: {tables} (build it with `ukraine-briefs build`)")
    if not (dashboard_dir / "app.ipynb").exists():
        raise FileNotFoundError(f"dashboard notebook not found: {dashboard_dir / 'app.ipynb'}")
    return subprocess.Popen(voila_command(host=host, port=port, open_browser=open_browser,
                                          dashboard_dir=dashboard_dir, token=bool(token), voila_args=voila_args),
                            cwd=dashboard_dir, env=voila_env(tables, dashboard_dir=dashboard_dir, token=token),
                            **popen_kwargs)


def dashboard_url(host: str, port: int, token: str | None = None) -> str:
    """The URL to open: the machine's name for a wildcard bind, the token as a query when there is one."""
    shown = socket.gethostname() if host.strip("[]") in ("", "0.0.0.0", "::") else host.strip("[]")
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{int(port)}/" + (f"?token={token}" if token else "")


def serve(tables_dir: str | os.PathLike, *, host: str = "127.0.0.1", port: int = 8866,
          open_browser: bool = False, allow_remote: bool = False, use_token: bool = True) -> int:
    """Serve the dashboard over ``tables_dir`` on http://host:port until interrupted; returns Voila's exit code.

    Loopback is served without a token. Another address is refused unless
    ``allow_remote`` (then with a warning and a fresh token, printed in the URL);
    ``use_token=False`` drops the token, with a second warning.
    """
    token = access_token(host, allow_remote=allow_remote, use_token=use_token)
    if not is_loopback(host):
        print(f"warning: serving on {host or 'every interface'}, not loopback: anyone who can reach this machine "
              f"on port {port} can reach the dashboard and the article texts it shows.", file=sys.stderr)
        if token is None:
            print("warning: --no-token: NO authentication. Anyone who can reach the port can open the dashboard "
                  "and run its kernels; use this only on a network you trust.", file=sys.stderr)
    proc = start(tables_dir, host=host, port=port, open_browser=open_browser, allow_remote=allow_remote, token=token)
    print(f"Serving the ukraine-briefs dashboard on {dashboard_url(host, port, token)} (Ctrl-C to stop)", flush=True)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()
