"""Jinja filters that the template loads through ``_extensions`` in cookiecutter.json."""

from jinja2.ext import Extension


def quoted(value):
    """A double-quoted string literal that reads the same in Python and in TOML.

    Unlike ``tojson``, it keeps non-ASCII letters as they are, so the generated
    code shows the name the way it was typed. Control characters never get here:
    the pre-generation hook refuses them.
    """
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


class QuotedExtension(Extension):
    """Adds the ``quoted`` filter."""

    def __init__(self, environment):
        super().__init__(environment)
        environment.filters["quoted"] = quoted
