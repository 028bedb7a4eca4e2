"""What makes daphne serve this project fast and safely: not application code.

- ``liveness.py`` answers ``/healthz`` before Django, so a busy process is never
  restarted for being slow to say it is alive.
- ``proxy.py`` believes X-Forwarded-For and X-Forwarded-Proto only from the
  proxies in ``DJANGO_TRUSTED_PROXIES``, so a client that reaches daphne
  directly can neither choose its own address nor claim HTTPS.
- ``request_id.py`` gives every request an id (a sane incoming ``X-Request-ID``
  or a new one), sends it back in the response and stamps it on every log
  record made while the request runs.
- ``handler.py`` and ``middleware.py`` run Django's own middleware on the event
  loop instead of hopping to a thread twice per middleware on every request
  (BENCHMARKS.md in the template has the figures). settings.MIDDLEWARE still
  names Django's classes; only the ASGI handler swaps in their inline
  subclasses, and only under settings they are proven safe for. Under any other
  settings it keeps Django's class, so a settings change can make the site
  slower, never broken.
- ``asgi_types.py`` names the types of an ASGI application and of its
  arguments, as Django's handler takes them, for mypy.

What a team must not break: a hook that runs inline must do no I/O. Before you
add a middleware, read "Middleware" in the README: a sync-only middleware turns
the inline hooks off (with a warning at start-up).

When to delete ``handler.py`` and ``middleware.py``: when Django's own
middleware is async-native (no ``MiddlewareMixin`` thread hops), point
``asgi.py`` back at ``django.core.asgi.get_asgi_application``.

See https://docs.djangoproject.com/en/6.1/topics/http/middleware/#asynchronous-support
"""
