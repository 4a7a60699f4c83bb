"""A button that downloads bytes made in the kernel as a file, in Voila and JupyterLab.

ipywidgets has no download widget and ``FileLink`` needs the Jupyter file server,
which Voila does not expose. This small anywidget asks the kernel for the bytes
on click (so a PNG is only rendered when somebody wants it), receives them as a
binary buffer and hands them to the browser as a ``Blob`` download. Its
JavaScript is inline: nothing is fetched from a CDN.
"""
from __future__ import annotations

from typing import Callable

import anywidget
import traitlets

_ESM = r"""
function render({ model, el }) {
  const btn = document.createElement("button");
  btn.className = "ub-download";
  btn.type = "button";
  const sync = () => {
    btn.textContent = model.get("label");
    btn.title = model.get("hint") || ("Download " + model.get("filename"));
    btn.disabled = model.get("busy") || model.get("disabled");
    btn.dataset.status = model.get("status");
  };
  sync();
  model.on("change:label", sync);
  model.on("change:busy", sync);
  model.on("change:disabled", sync);
  model.on("change:status", sync);
  btn.addEventListener("click", () => model.send({ event: "request" }));
  model.on("msg:custom", (msg, buffers) => {
    if (!msg || msg.event !== "file" || !buffers || !buffers.length) return;
    const buf = buffers[0];
    const blob = new Blob([buf.buffer ? buf.buffer : buf], { type: msg.mime });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = msg.filename;
    a.style.display = "none";
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 30000);
  });
  el.appendChild(btn);
}
export default { render };
"""

_CSS = r"""
.ub-download {
  font: 500 12px/1 var(--jp-ui-font-family, system-ui, sans-serif);
  padding: 5px 10px; margin: 0 4px 0 0; cursor: pointer;
  color: #1f3a5f; background: #fff; border: 1px solid #b8c4d6; border-radius: 4px;
}
.ub-download:hover { background: #eef3fa; border-color: #1f3a5f; }
.ub-download:disabled { opacity: .55; cursor: progress; }
.ub-download[data-status^="error"] { border-color: #b00020; color: #b00020; }
"""

MIME_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "csv": "text/csv",
    "html": "text/html",
    "json": "application/json",
}


class DownloadButton(anywidget.AnyWidget):
    """A button; on click it calls ``content()`` in the kernel and downloads the bytes.

    Args:
        label: the button text.
        filename: the file name the browser saves to.
        content: a zero-argument callable returning ``bytes`` (called per click,
            so the file reflects the current filters).
        mime: the MIME type; guessed from the file extension when omitted.

    The traits ``status`` ("ready", "sent <n> bytes" or "error: ...") and
    ``n_sent`` let tests and the app see what happened without a browser.
    """

    _esm = _ESM
    _css = _CSS

    label = traitlets.Unicode("Download").tag(sync=True)
    hint = traitlets.Unicode("").tag(sync=True)
    filename = traitlets.Unicode("download.bin").tag(sync=True)
    mime = traitlets.Unicode("application/octet-stream").tag(sync=True)
    busy = traitlets.Bool(False).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    status = traitlets.Unicode("ready").tag(sync=True)
    n_sent = traitlets.Int(0).tag(sync=True)

    def __init__(self, label: str = "Download", *, filename: str = "download.bin",
                 content: Callable[[], bytes] | None = None, mime: str | None = None, **kwargs):
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        super().__init__(label=label, filename=filename,
                         mime=mime or MIME_TYPES.get(ext, "application/octet-stream"), **kwargs)
        self.content = content
        self.on_msg(self._on_msg)

    def _on_msg(self, _widget, msg, _buffers) -> None:
        if isinstance(msg, dict) and msg.get("event") == "request":
            self.trigger()

    def trigger(self) -> bytes | None:
        """Make the bytes and send them to the browser; returns them (``None`` on error)."""
        if self.content is None:
            self.status = "error: nothing to download"
            return None
        self.busy = True
        try:
            data = self.content()
            if isinstance(data, str):
                data = data.encode("utf-8")
            data = bytes(data)
        except Exception as exc:  # shown on the button, never as a traceback
            self.status = f"error: {type(exc).__name__}"
            return None
        finally:
            self.busy = False
        self.send({"event": "file", "filename": self.filename, "mime": self.mime}, buffers=[data])
        self.n_sent += 1
        self.status = f"sent {len(data)} bytes"
        return data
