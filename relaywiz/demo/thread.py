"""The practice server on its own thread and event loop, so the wizard's loop only draws.

`relaywiz --demo` runs the pretend ISP inside the wizard's process; its TLS
handshakes and SMTP replies must not take turns with key presses on the UI
loop, so it gets a loop of its own.
"""

from __future__ import annotations

import asyncio
import threading

from relaywiz.demo.server import DemoInfo, practice_server


class PracticeThread:
    """Start with `start()` (returns where it listens), end with `stop()`."""

    def __init__(self) -> None:
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._info: DemoInfo | None = None
        self._error: BaseException | None = None

    def start(self, timeout: float = 20.0) -> DemoInfo:
        """Run the practice server on a new thread; blocks until it listens."""
        self._thread = threading.Thread(target=self._run, name="relaywiz-practice", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError("the practice server did not start")
        if self._error is not None or self._info is None:
            raise RuntimeError(f"the practice server did not start: {self._error}")
        return self._info

    def stop(self) -> None:
        """Close the practice server and wait for its thread."""
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(10)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # reported to start(); the thread ends quietly
            self._error = exc
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with practice_server() as info:
            self._info = info
            self._ready.set()
            await self._stop.wait()
