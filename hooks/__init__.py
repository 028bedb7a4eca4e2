"""Cookiecutter hooks, and the Jinja extension that cookiecutter.json loads from here."""
