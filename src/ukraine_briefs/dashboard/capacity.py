"""A cap on the Voila server's live kernels, and a preheated pool that never makes a viewer wait on a start.

Each viewer's page holds one kernel (about 250 MB), so anyone able to request the
page could otherwise start kernels until the machine runs out of memory.
`CappedKernelManager` (named in ``dashboard/voila.json`` as Voila's
``multi_kernel_manager_class``) refuses a kernel for a page once ``max_kernels``
are alive or starting: Voila then answers ``503`` with the template's ``503.html``,
a "busy, retrying" page that reloads itself until a kernel is free. Memory is
bounded by ``max_kernels`` times a kernel's size plus the server.

A kernel is culled ``cull_idle_timeout`` after its page closed, or after a client
asked for the page and hung up (for a preheated kernel, counted from its hand-out). A page that did arrive claims its kernel at once
(a one-line script of the template fetches ``api/kernels/<id>`` before the app's
JavaScript loads), and a claimed kernel waits up to ``connect_grace`` for its page
to connect: on a loaded machine the app's scripts can take minutes to start, and
culling the kernel then left a broken page.

Voila's preheated pool counts kernels still starting as available, so a request
arriving while the pool refills waited for that start; here only started pool
kernels count, and the pool is refilled whenever there is room again (a refill
never takes a viewer's place).
"""
from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Int

#: Voila marks the kernels it starts for its pool with this variable set to "True".
PREHEAT_ENV = "VOILA_PREHEAT"
BUSY_MESSAGE = "All dashboard sessions are in use"


class PoolFull(RuntimeError):
    """A pool refill found no room under the cap (retried when a kernel ends)."""


class CappedKernelManager(AsyncMappingKernelManager):
    """An ``AsyncMappingKernelManager`` that starts at most ``max_kernels`` kernels at a time."""

    max_kernels = Int(12, config=True, help="Most kernels alive or starting at once (pool included); "
                                             "a page beyond it gets the busy page (503), which retries.")

    connect_grace = Int(300, config=True, help="Seconds a kernel whose page arrived (and claimed it) may "
                                               "wait for the page to connect before idle culling applies.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._reserved: set[str] = set()
        self._claimed: dict[str, float] = {}
        self._connected: set[str] = set()
        if hasattr(type(self), "fill_if_needed"):  # Voila's preheating subclass
            self.get_pool_size = self._ready_pool_size
        if hasattr(type(self), "get_rendered_notebook"):
            self.get_rendered_notebook = self._handed_out(self.get_rendered_notebook)

    def live_kernels(self) -> int:
        """Kernels alive, starting, or about to start (reserved by a start in progress)."""
        return len(set(self._kernels) | set(self._pending_kernels) | self._reserved)

    def has_room(self) -> bool:
        return self.live_kernels() < self.max_kernels

    async def start_kernel(self, *args, **kwargs) -> str:
        """Start a kernel if there is room: a page's start raises HTTP 503 (the busy page), a refill `PoolFull`."""
        if not self.has_room():
            env = kwargs.get("env") or {}
            if env.get(PREHEAT_ENV) == "True":
                raise PoolFull(f"{self.live_kernels()} kernels alive, cap {self.max_kernels}")
            self.log.warning("busy: %s kernels alive (cap %s); serving the busy page",
                             self.live_kernels(), self.max_kernels)
            raise web.HTTPError(503, BUSY_MESSAGE)
        kernel_id = kwargs.pop("kernel_id", None) or str(uuid.uuid4())
        self._reserved.add(kernel_id)
        try:
            return await super().start_kernel(*args, kernel_id=kernel_id, **kwargs)
        finally:
            self._reserved.discard(kernel_id)

    def kernel_model(self, kernel_id: str) -> dict:
        """The kernel's API model; asking for it (``GET api/kernels/<id>``, the page's first request) claims it."""
        model = super().kernel_model(kernel_id)
        self._claimed.setdefault(kernel_id, time.monotonic())
        return model

    async def cull_kernel_if_idle(self, kernel_id: str):
        """Cull as Jupyter does, except a claimed kernel whose page has not connected yet, within ``connect_grace``."""
        for gone in [k for k in self._claimed if k not in self._kernels]:
            self._claimed.pop(gone, None)
            self._connected.discard(gone)
        if self._kernel_connections.get(kernel_id, 0) > 0:
            self._connected.add(kernel_id)
        claimed = self._claimed.get(kernel_id)
        if claimed is not None and kernel_id not in self._connected \
                and time.monotonic() - claimed < self.connect_grace:
            return None  # its page arrived and is still loading
        return await super().cull_kernel_if_idle(kernel_id)

    def _handed_out(self, get_rendered_notebook):
        """Voila's hand-out of a preheated kernel, with the kernel's idle time starting at the hand-out.

        A pool kernel's last activity is the end of its preheating, often minutes before a
        page asks for it: the next cull tick (every ``cull_interval``) would shut it down
        before the page's claim arrives. From the hand-out, the page has ``cull_idle_timeout``
        to claim it, as a page whose kernel started on request has.
        """
        async def wrapped(*args, **kwargs):
            render_task, rendered, kernel_id = await get_rendered_notebook(*args, **kwargs)
            kernel = self._kernels.get(kernel_id)
            if kernel is not None:
                kernel.last_activity = datetime.now(timezone.utc)
            return render_task, rendered, kernel_id

        return wrapped

    def _ready_pool_size(self, notebook_name: str) -> int:
        """Pool kernels that have started (those still starting or refused are not offered to a page).

        Started ones are moved to the front, where Voila takes its kernel from;
        failed refills are dropped, and the pool is topped up if there is room.
        """
        pool = self._pools.get(notebook_name, [])
        for task in [t for t in pool if t.done() and (t.cancelled() or t.exception() is not None)]:
            pool.remove(task)
        pool.sort(key=lambda t: not t.done())
        target = self.kernel_pools_config.get("default", {}).get("pool_size", 1)
        if len(pool) < target and self.live_kernels() + 1 < self.max_kernels:  # leave this request its room
            self.fill_if_needed(notebook_name=notebook_name)
        return sum(1 for t in pool if t.done())

