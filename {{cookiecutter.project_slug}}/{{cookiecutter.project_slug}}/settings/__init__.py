"""Settings, split by environment.

``base`` holds what every environment shares, ``dev`` and ``prod`` build on it.
Choose one with DJANGO_SETTINGS_MODULE.
"""
