"""Jinja filters that cookiecutter.json loads through ``_extensions``, and the answer checks.

cookiecutter offers no validation hook, so the checks ride on what it does offer:
private ``__`` variables, rendered in order between the questions (prompt.py,
prompt_for_config), and this extension's filters. It cannot ask a question again:
the questions are a loop over cookiecutter.json that a filter cannot re-enter, and
a filter is not told whether --no-input is on. So a bad answer stops the run right
after its question, in one line, before anything is written.
"""

import copy
import os
import sys

import click
from cookiecutter.cli import main as cookiecutter_command
from cookiecutter.config import get_user_config
from cookiecutter.generate import apply_overwrites_to_context
from jinja2 import pass_context, pass_environment
from jinja2.ext import Extension

from hooks.pre_gen_project import first_broken_rule, kind_rule, load_questions

QUESTIONS = load_questions()


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


def stop(problem):
    """One line on stderr and exit status 1, before any directory exists."""
    print(problem, file=sys.stderr)
    raise SystemExit(1)


def renderer(environment):
    """Renders a question's default as cookiecutter does, to tell derived answers."""

    def render(raw, answers):
        return environment.from_string(raw).render(cookiecutter=answers)

    return render


def config_file_problem():
    """The first default of the user's config file that cookiecutter could not apply.

    cookiecutter only warns about it ("Invalid default received"), then drops that
    default and every one after it, and builds another project than the one asked
    for. The file is the command line's --config-file, else COOKIECUTTER_CONFIG,
    else ~/.cookiecutterrc, read by cookiecutter's own loader; each question's
    default is applied alone, by cookiecutter's own function, to find the one it
    dropped. Only the cookiecutter command is checked: a Python caller
    (pytest-cookies, cruft) passes its config file where no filter can see it.
    """
    command_line = click.get_current_context(silent=True)
    if command_line is None or command_line.command is not cookiecutter_command:
        return None
    if command_line.params.get("default_config"):
        return None
    config_file = command_line.params.get("config_file")
    defaults = get_user_config(config_file=config_file)["default_context"]
    path = config_file or os.environ.get("COOKIECUTTER_CONFIG") or "~/.cookiecutterrc"
    for question, value in defaults.items():
        if question not in QUESTIONS:
            continue  # cookiecutter ignores defaults for questions a template does not ask
        try:
            apply_overwrites_to_context(
                {question: copy.deepcopy(QUESTIONS[question])}, {question: value}
            )
        except ValueError:
            rule = kind_rule(QUESTIONS[question])[0]
            return (
                f"Invalid default for {question} in {path} ({value!r}): it {rule}; "
                "cookiecutter would drop it and every default after it."
            )
    return None


@pass_environment
def checked(environment, answers):
    """Stop before anything is written when an answer given so far breaks a rule.

    cookiecutter.json has a private ``__..._checked`` variable after each question
    that a rule can refuse; cookiecutter renders it right after that question,
    so the refusal comes before the next question is asked and before any
    directory exists. Each also checks the config file's defaults: the first one,
    before the first question, is there for that.
    """
    problem = config_file_problem() or first_broken_rule(answers, QUESTIONS, renderer(environment))
    if problem:
        stop(problem)
    return "yes"


def complete_answers_checker(environment):
    """A Jinja ``finalize`` that checks every answer the first time all are there.

    A replay file skips the questions, and with them the ``__`` checks; the
    first thing cookiecutter renders with the replayed answers is the project's
    directory name, before it makes the directory. Each set of answers is
    checked once: the last one is kept, so that its identity cannot be reused.
    """
    last_checked = []

    @pass_context
    def finalize(context, value):
        answers = context.get("cookiecutter")
        complete = isinstance(answers, dict) and QUESTIONS.keys() <= answers.keys()
        if complete and not (last_checked and last_checked[0] is answers):
            last_checked[:] = [answers]
            problem = first_broken_rule(answers, QUESTIONS, renderer(environment))
            if problem:
                stop(problem)
        return value

    return finalize


class AnswersExtension(Extension):
    """The ``toml_string``, ``python_string`` and ``checked`` filters; the replay check."""

    def __init__(self, environment):
        super().__init__(environment)
        environment.finalize = complete_answers_checker(environment)
        environment.filters["toml_string"] = toml_string
        environment.filters["python_string"] = python_string
        environment.filters["checked"] = checked
