"""CPU per request of an ASGI application driven in-process, with no server around it.

    python asgi_driver.py MODULE:ATTRIBUTE PATH [COUNT]

Run in a project's directory with its settings in the environment. The requests go
one at a time through the application as a server would call it (an HTTP scope, a
receive that gives an empty body, a send that keeps the status), after a warm-up.
The process's CPU time (every thread's, so Django's thread hops count) over the
requests, in ms, is printed alone on the last line. Without a server's noise, it
tells apart costs of a tenth of a millisecond that a load test cannot.
"""

import asyncio
import importlib
import sys
import time

HEADERS = [(b"host", b"127.0.0.1"), (b"x-forwarded-proto", b"https")]


async def one_request(application, path):
    statuses, messages = [], [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        # The body once; then, as a server does, nothing until the client goes away.
        if messages:
            return messages.pop()
        await asyncio.Event().wait()

    async def send(message):
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": HEADERS,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    await application(scope, receive, send)
    assert statuses == [200], f"{path} answered {statuses}"


async def main(target, path, count):
    sys.path.insert(0, ".")
    module, _, attribute = target.partition(":")
    application = getattr(importlib.import_module(module), attribute)
    for _ in range(200):
        await one_request(application, path)
    started = time.process_time()
    for _ in range(count):
        await one_request(application, path)
    print(f"{(time.process_time() - started) * 1000 / count:.4f}")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    asyncio.run(main(arguments[0], arguments[1], int(arguments[2]) if arguments[2:] else 2000))
