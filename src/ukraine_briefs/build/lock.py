"""One build per output folder: an advisory lock on ``<out>/.build.lock``.

Two builds writing into one folder mix their tables (the documents of one corpus,
the sentences of the other) or delete each other's part files. `build_lock` takes
an exclusive ``flock`` on the lock file for the whole build; a second build is
refused at once with `BuildLockedError`, naming the holder (pid, host, start time,
which the holder writes into the file). The kernel releases the lock when the
holder's process ends, however it ends, so a ``kill -9`` leaves no stale lock and
the file itself is never deleted (deleting it would let two builds lock two
different files of the same name).
The CLI takes the lock before importing the build (spaCy and the extractors take
seconds to import, and a second build must be refused at once) and tells
`run.build` so (``locked=True``).
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

LOCK_FILE = ".build.lock"


class BuildLockedError(OSError):
    """Another build is writing to the output folder (its lock is held)."""


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def read_holder(out: str | Path, *, wait: float = 1.0) -> dict:
    """The record the lock's holder wrote ({} when there is none); waits up to ``wait`` seconds
    for it, since a holder writes it just after taking the lock."""
    path = Path(out) / LOCK_FILE
    deadline = time.monotonic() + wait
    while True:
        try:
            holder = json.loads(path.read_text() or "{}")
        except (OSError, ValueError):
            holder = {}
        if holder or time.monotonic() >= deadline:
            return holder
        time.sleep(0.05)


def is_locked(out: str | Path) -> bool:
    """Whether a build holds ``out``'s lock now (for tests and tools; a build just calls `build_lock`)."""
    path = Path(out) / LOCK_FILE
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        if not _try_lock(fd):
            return True
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _refusal(out: Path) -> str:
    h = read_holder(out)
    who = f"pid {h.get('pid', '?')}"
    if h.get("host") and h["host"] != socket.gethostname():
        who += f" on {h['host']}"
    return f"another build ({who}, started at {h.get('started', '?')}) is writing to {out}; wait for it or use another --out"


@contextmanager
def build_lock(out: str | Path) -> Iterator[dict]:
    """Hold ``out``'s build lock for the ``with`` block; yields the holder record written into it.

    Raises:
        BuildLockedError: another build holds it (the message names its pid and start time).
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(fd):
            raise BuildLockedError(_refusal(out))
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(holder).encode())
        try:
            yield holder
        finally:
            os.ftruncate(fd, 0)  # nobody holds it now (after a kill the record stays, but the lock is free)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)

