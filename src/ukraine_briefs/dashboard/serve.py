"""Start the Voila app: ``serve(tables_dir)`` is what ``ukraine-briefs serve`` and ``make dashboard`` run.

Voila runs ``dashboard/app.ipynb`` with ``dashboard/voila.json`` (tracebacks hidden,
sources stripped, a preheated kernel, idle kernels culled) and the project's
``ukraine-briefs`` template, which is the stock ``lab`` template minus its two
CDN stylesheets: nothing is fetched from the internet at view time.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from ukraine_briefs.config import PACKAGE_DIR, cache_root
from ukraine_briefs.dashboard import figure

#: Where ``app.ipynb``, ``voila.json`` and the template live (a source checkout).
DASHBOARD_DIR = Path(os.environ.get("UKRAINE_BRIEFS_DASHBOARD", PACKAGE_DIR.parents[1] / "dashboard"))
TEMPLATE = "ukraine-briefs"


def voila_command(*, host: str = "127.0.0.1", port: int = 8866, open_browser: bool = False,
                  dashboard_dir: Path = DASHBOARD_DIR) -> list[str]:
    """The ``voila`` command line (run it with `voila_env` and ``cwd=dashboard_dir``)."""
    cmd = [sys.executable, "-m", "voila", str(dashboard_dir / "app.ipynb"),
           f"--Voila.ip={host}", f"--Voila.port={int(port)}", "--Voila.port_retries=0",
           f"--template={TEMPLATE}", "--Voila.config_file_paths", str(dashboard_dir)]
    if not open_browser:
        cmd.append("--no-browser")
    return cmd


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
              base: dict | None = None) -> dict[str, str]:
    """Environment for Voila and its kernels: the tables to open and where the template is."""
    env = dict(os.environ if base is None else base)
    env["UKRAINE_BRIEFS_TABLES"] = str(Path(tables_dir).resolve())
    env[figure.ENV_VAR] = "1"
    extra = str(prepare_template(dashboard_dir))
    env["JUPYTER_PATH"] = os.pathsep.join([extra] + ([env["JUPYTER_PATH"]] if env.get("JUPYTER_PATH") else []))
    # Kernels must not try to reach the internet or a display.
    env.setdefault("MPLBACKEND", "Agg")
    return env


def start(tables_dir: str | os.PathLike, *, host: str = "127.0.0.1", port: int = 8866,
          open_browser: bool = False, dashboard_dir: Path = DASHBOARD_DIR, **popen_kwargs) -> subprocess.Popen:
    """Start Voila in the background and return the process (tests use this)."""
    tables = Path(tables_dir)
    if not tables.is_dir():
        raise FileNotFoundError(f"tables directory not found: {tables} (build it with `ukraine-briefs build`)")
    if not (dashboard_dir / "app.ipynb").exists():
        raise FileNotFoundError(f"dashboard notebook not found: {dashboard_dir / 'app.ipynb'}")
    return subprocess.Popen(voila_command(host=host, port=port, open_browser=open_browser,
                                          dashboard_dir=dashboard_dir),
                            cwd=dashboard_dir, env=voila_env(tables, dashboard_dir=dashboard_dir), **popen_kwargs)


def serve(tables_dir: str | os.PathLike, *, host: str = "127.0.0.1", port: int = 8866,
          open_browser: bool = False) -> int:
    """Serve the dashboard over ``tables_dir`` on http://host:port until interrupted; returns Voila's exit code."""
    proc = start(tables_dir, host=host, port=port, open_browser=open_browser)
    print(f"Serving the ukraine-briefs dashboard on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()
