"""How the project is served and watched: plumbing, not application code.

asgi.py wraps Django's own ASGI handler in the plain ASGI wrappers here, from
the outside in:

- ``liveness.py`` answers ``/healthz`` before Django, so a busy process is never
  restarted for being slow to say it is alive;
- ``request_id.py`` gives every request an id (a sane incoming ``X-Request-ID``
  or a new one), sends it back in the response and stamps it on every log
  record made while the request runs;
- ``proxy.py`` believes X-Forwarded-For and X-Forwarded-Proto only from the
  proxies in ``DJANGO_TRUSTED_PROXIES``, so a client that reaches daphne
  directly can neither choose its own address nor claim HTTPS.

Besides them: ``probes.py`` holds the ``/healthz`` and ``/readyz`` views,
``logs.py`` a logging filter, ``asgi_types.py`` the types of an ASGI
application (for mypy) and, in a project that reports errors to Sentry,
``sentry.py`` starts the reports.

settings.MIDDLEWARE is exactly what runs inside: nothing here rebuilds Django's
middleware chain.

See https://docs.djangoproject.com/en/6.1/howto/deployment/asgi/
"""
