"""Settings, split by environment; choose one with DJANGO_SETTINGS_MODULE.

``base`` holds what every environment shares; ``dev`` (manage.py's default),
``test`` (the test suite's) and ``prod`` (asgi.py's and wsgi.py's) build on it.
``readers`` is plumbing: the strict readers of the environment that they use.
"""
