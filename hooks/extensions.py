"""Jinja filters that cookiecutter.json loads through ``_extensions``."""

import sys

from jinja2.ext import Extension

from hooks.pre_gen_project import first_broken_rule


def toml_string(value):
    """A TOML basic string holding the value: double-quoted, with \\ and \" escaped.

    Unlike ``tojson``, it keeps non-ASCII letters as they were typed. Control
    characters never get here: the answer rules refuse them.
    """
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def python_string(value):
    """A Python string literal holding the value, quoted the way ruff format quotes it.

    Double quotes, unless the value holds more double than single quotes.
    """
    value = str(value).replace("\\", "\\\\")
    if value.count('"') > value.count("'"):
        return "'" + value.replace("'", "\\'") + "'"
    return '"' + value.replace('"', '\\"') + '"'


def checked(answers):
    """Stop before anything is written when an answer breaks a rule.

    cookiecutter renders the private ``__answers_checked`` variable right after
    the last question, before it creates any directory, so a refusal here leaves
    nothing behind, not even an empty folder for a slug such as ``a/b``. It is
    one line on stderr and exit status 1.
    """
    problem = first_broken_rule(answers)
    if problem:
        print(problem, file=sys.stderr)
        raise SystemExit(1)
    return "yes"


class AnswersExtension(Extension):
    """Adds the ``toml_string``, ``python_string`` and ``checked`` filters."""

    def __init__(self, environment):
        super().__init__(environment)
        environment.filters["toml_string"] = toml_string
        environment.filters["python_string"] = python_string
        environment.filters["checked"] = checked
