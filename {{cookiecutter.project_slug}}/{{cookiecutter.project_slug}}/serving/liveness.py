"""Liveness at the ASGI layer: ``/healthz`` answers before Django is involved.

A liveness probe asks only whether the process answers. Answered here, it costs
no middleware, no thread and no host check, so under load it never queues behind
the application's requests, and an orchestrator never restarts a healthy process
for being busy. Readiness (``/readyz``) goes through Django: it checks services.

See https://asgi.readthedocs.io/en/latest/specs/www.html
"""

from .asgi_types import Application, Receive, Scope, Send

PATH = "/healthz"
HEADERS = [(b"content-type", b"text/plain"), (b"cache-control", b"no-store")]


class LivenessProbe:
    """Wraps an ASGI application; answers ``GET /healthz`` with 200 "ok" itself."""

    def __init__(self, application: Application) -> None:
        self.application = application

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == PATH:
            await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
            await send({"type": "http.response.body", "body": b"ok"})
            return
        await self.application(scope, receive, send)
