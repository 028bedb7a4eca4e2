"""The types of an ASGI application and of what it is called with.

Typed as Django's ASGIHandler takes them, so that each wrapper here and Django's
handler fit inside one another.

See https://asgi.readthedocs.io/en/latest/specs/main.html#applications
"""

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

type Scope = dict[str, Any]
type Message = Mapping[str, Any]
type Receive = Callable[[], Awaitable[Message]]
type Send = Callable[[Message], Awaitable[None]]
type Application = Callable[[Scope, Receive, Send], Awaitable[None]]
