"""Jinja filters that cookiecutter.json loads through ``_extensions``, and the answer check.

cookiecutter offers no validation hook, so the one check, ``enforce``, rides on
what it does offer: private ``__`` variables, rendered in order between the
questions (prompt.py, prompt_for_config), through the ``checked`` filter; and the
environment's ``finalize``, which sees a replayed project's answers when its
directory's name is rendered, before that directory is made (generate.py,
generate_files). It cannot ask a question again: the questions are a loop over
cookiecutter.json that a filter cannot re-enter, and a filter is not told
whether --no-input is on. So a bad answer stops the run right after its question,
in one line, before anything is written. The rules are in hooks/answer_rules.py.
"""

import copy
import functools
import os
import sys

import click
from cookiecutter.cli import main as cookiecutter_command
from cookiecutter.config import get_user_config
from cookiecutter.environment import StrictEnvironment
from cookiecutter.generate import apply_overwrites_to_context
from jinja2 import pass_context
from jinja2.ext import Extension

from hooks.answer_rules import first_broken_rule, kind_rule, load_questions, unknown_keys_problem

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


@functools.cache
def defaults_environment():
    """cookiecutter's own environment, with its filters (slugify), and no answer check."""
    return StrictEnvironment()


def render_default(raw, answers):
    """A question's default as cookiecutter renders it, to tell derived answers."""
    return defaults_environment().from_string(raw).render(cookiecutter=answers)


def command_line():
    """The click context of the cookiecutter command, or None under a Python caller."""
    context = click.get_current_context(silent=True)
    if context is None or context.command is not cookiecutter_command:
        return None
    return context


def given_answers_problem():
    """The first thing the cookiecutter command was given that it would not honour.

    cookiecutter ignores a key of its extra context (key=value) or of a config
    file's default_context that the template does not ask, and a default it
    cannot apply from a config file it only warns about ("Invalid default
    received"), then drops that default and every one after it. Either way it
    builds another project than the one asked for, so both are refused. The
    config file is --config-file, else COOKIECUTTER_CONFIG, else ~/.cookiecutterrc,
    read by cookiecutter's own loader; the two user-wide ones serve every template,
    so keys for other templates' questions are allowed there. Each question's
    default is applied alone, by cookiecutter's own function, to find the one it
    would drop. A Python caller (pytest-cookies, cruft) passes its answers where no
    filter can see them: this checks the cookiecutter command only.
    """
    command = command_line()
    if command is None:
        return None
    extra_context = command.params.get("extra_context") or {}
    problem = unknown_keys_problem(extra_context, QUESTIONS, "on the command line")
    if problem or command.params.get("default_config"):
        return problem
    config_file = command.params.get("config_file")
    defaults = get_user_config(config_file=config_file)["default_context"]
    if config_file:
        problem = unknown_keys_problem(defaults, QUESTIONS, f"in {config_file}")
        if problem:
            return problem
    path = config_file or os.environ.get("COOKIECUTTER_CONFIG") or "~/.cookiecutterrc"
    for question, value in defaults.items():
        if question not in QUESTIONS:
            continue
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


def enforce(answers):
    """Stop the run, in one line with exit status 1, when what was given breaks a rule.

    The one answer check. Before the first question it checks what the command
    line gave; then the answers given so far. Keys that are not questions can only
    come from a replay file there: its private ``_`` keys are cookiecutter's own.
    """
    problem = None
    if not QUESTIONS.keys() & answers.keys():
        problem = given_answers_problem()
    replayed = [key for key in answers if not key.startswith("_")]
    problem = (
        problem
        or unknown_keys_problem(replayed, QUESTIONS, "in the replayed answers")
        or first_broken_rule(answers, QUESTIONS, render_default)
    )
    if problem:
        stop(problem)


def checked(answers):
    """The filter of the private ``__..._checked`` variables: enforce the answers so far.

    cookiecutter.json has one right after each question that a rule can refuse,
    and one before the first question, for what the command line gave;
    cookiecutter renders each right after the question before it, so a refusal
    comes before the next question is asked and before any directory exists.
    """
    enforce(answers)
    return "yes"


def complete_answers_checker():
    """A Jinja ``finalize`` that enforces every answer the first time all are there.

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
            enforce(answers)
        return value

    return finalize


class AnswersExtension(Extension):
    """The ``toml_string``, ``python_string`` and ``checked`` filters; the replay check."""

    def __init__(self, environment):
        super().__init__(environment)
        environment.finalize = complete_answers_checker()
        environment.filters["toml_string"] = toml_string
        environment.filters["python_string"] = python_string
        environment.filters["checked"] = checked
