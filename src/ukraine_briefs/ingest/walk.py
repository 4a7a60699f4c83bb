"""Finding the input files below a corpus directory, and what could not be looked at.

`pathlib.Path.rglob` skips a directory it may not read and a broken symbolic link
without a word; here each becomes a `Skipped` entry, which the reader turns into a
``documents`` row naming the path and the problem. Only regular files are read
(a named pipe would block the build).
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

METADATA_FILE = "metadata.csv"
TEXT_SUFFIXES = {".txt"}
RECORD_SUFFIXES = {".jsonl", ".csv"}
HTML_SUFFIXES = {".html", ".htm"}
INPUT_SUFFIXES = TEXT_SUFFIXES | RECORD_SUFFIXES | HTML_SUFFIXES


@dataclass(frozen=True)
class Skipped:
    """A path below the corpus that could not be looked at, and why."""

    path: Path
    problem: str
    is_dir: bool = False


def _is_input(name: str) -> bool:
    return Path(name).suffix.lower() in INPUT_SUFFIXES and name != METADATA_FILE


def find_inputs(root: Path) -> tuple[list[Path], list[Skipped]]:
    """Input files below ``root`` in a stable order, and the paths skipped with the reason.

    Hidden files and directories and ``metadata.csv`` are left out on purpose (no
    entry). Symbolic links are followed, each real directory once.
    """
    files: list[Path] = []
    skipped: list[Skipped] = []
    seen_dirs: set[str] = set()

    def walk(d: Path) -> None:
        real = os.path.realpath(d)
        if real in seen_dirs:
            return  # a link back up the tree
        seen_dirs.add(real)
        try:
            with os.scandir(d) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skipped(d, f"cannot read directory ({exc.strerror or exc}); its files are not in the corpus", is_dir=True))
            return
        for e in entries:
            if e.name.startswith("."):
                continue
            p = Path(e.path)
            try:
                st = os.stat(e.path)  # follows a link
            except FileNotFoundError:
                if e.is_symlink():
                    target = os.readlink(e.path)
                    if _is_input(e.name) or _is_input(os.path.basename(target)):
                        skipped.append(Skipped(p, f"broken symbolic link (its target {target!r} does not exist)"))
                continue
            except OSError as exc:
                if _is_input(e.name):
                    skipped.append(Skipped(p, f"cannot read file ({exc.strerror or exc})"))
                continue
            if stat.S_ISDIR(st.st_mode):
                walk(p)
            elif _is_input(e.name):
                if stat.S_ISREG(st.st_mode):
                    files.append(p)
                else:
                    skipped.append(Skipped(p, "not a regular file (a pipe, socket or device); not read"))

    walk(root)
    return sorted(files), skipped
