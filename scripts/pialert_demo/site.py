"""A small website on 127.0.0.1 for the demo's HTTP targets to watch."""

from __future__ import annotations

from aiohttp import web


class DemoSite:
    """A small website on 127.0.0.1 for the HTTP targets to watch.

    ``/`` and ``/api/health`` answer 200, ``/broken`` 503, and ``/flaky``
    alternates 200 and 500. It runs in this script's event loop, for as long as
    the demo does.
    """

    def __init__(self) -> None:
        """Nothing is served yet."""
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._flaky_requests = 0

    async def start(self) -> str:
        """Serve on a free port of 127.0.0.1; return the site's base URL."""
        app = web.Application()
        app.router.add_get("/", self._home)
        app.router.add_get("/api/health", self._health)
        app.router.add_get("/broken", self._broken)
        app.router.add_get("/flaky", self._flaky)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        self._runner = runner
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self.url

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    @staticmethod
    async def _home(request: web.Request) -> web.Response:
        return web.Response(text="PiAlert demo OK")

    @staticmethod
    async def _health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    @staticmethod
    async def _broken(request: web.Request) -> web.Response:
        return web.Response(status=503, text="Service Unavailable (on purpose)\n")

    async def _flaky(self, request: web.Request) -> web.Response:
        self._flaky_requests += 1
        if self._flaky_requests % 2:
            return web.Response(text="OK this time\n")
        return web.Response(status=500, text="Failed this time\n")
