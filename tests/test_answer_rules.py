"""The answer rules, unit-tested as the pure functions they are."""

import re

import pytest

from hooks import answer_rules as rules
from hooks.extensions import render_default

GOOD = {
    "project_name": "Billing",
    "project_slug": "billing",
    "description": "Invoices.",
    "author_name": "Ada",
    "author_email": "ada@example.com",
    "domain_name": "billing.example.com",
    "timezone": "Europe/Paris",
    "username_type": "username",
    "use_docker": True,
    "use_kubernetes": False,
}


@pytest.mark.parametrize(
    ("check", "value", "expected"),
    [
        (rules.is_lowercase_identifier, "billing_2", True),
        (rules.is_lowercase_identifier, "_private", True),
        (rules.is_lowercase_identifier, "Billing", False),
        (rules.is_lowercase_identifier, "bill-ing", False),
        (rules.is_lowercase_identifier, "1billing", False),
        (rules.is_lowercase_identifier, "écoles", False),
        (rules.is_package_name, "billing_2", True),
        (rules.is_package_name, "_private", False),
        (rules.is_package_name, "billing_", False),
        (rules.is_not_keyword, "lambda", False),
        (rules.is_not_keyword, "type", False),
        (rules.is_not_keyword, "billing", True),
        (rules.shadows_no_module, "json", False),
        (rules.shadows_no_module, "servestatic", False),
        (rules.shadows_no_module, "billing", True),
        (rules.is_no_app_label, "users", False),
        (rules.is_no_app_label, "admin", False),
        (rules.is_no_app_label, "rooms", False),
        (rules.is_no_app_label, "debug_toolbar", False),
        (rules.is_no_app_label, "django_tasks_database", False),
        (rules.is_no_app_label, "billing_users", True),
        (rules.is_postgresql_role, "pg_site", False),
        (rules.is_postgresql_role, "pgsite", True),
        (rules.is_domain, "example.co.uk", True),
        (rules.is_domain, "xn--bcher-kva.example", True),
        (rules.is_domain, "EXAMPLE.COM", True),
        (rules.is_domain, "example", False),
        (rules.is_domain, "example.com.", False),
        (rules.is_domain, "a..example.com", False),
        (rules.is_email, "first.last+tag@example.com", True),
        (rules.is_email, "first@last@example.com", False),
        (rules.is_email, "@example.com", False),
        (rules.is_time_zone, "UTC", True),
        (rules.is_time_zone, "America/Argentina/Buenos_Aires", True),
        (rules.is_time_zone, "America", False),
        (rules.is_time_zone, "/etc/localtime", False),
        (rules.has_no_control_characters, 'Zoë "quoted" \\ ok', True),
        (rules.has_no_control_characters, "new\nline", False),
        (rules.is_filled, " \t", False),
    ],
)
def test_rule_check(check, value, expected):
    assert bool(check(value)) is expected


def test_good_answers_break_no_rule():
    assert rules.first_broken_rule(GOOD) is None


def test_the_first_broken_rule_names_its_question_and_value():
    answers = {**GOOD, "project_slug": "Billing", "timezone": "Nowhere"}

    assert rules.first_broken_rule(answers) == (
        "Invalid answer for project_slug ('Billing'): it must be a lowercase Python "
        "identifier: a-z, 0-9 and _, not starting with a digit."
    )


def test_kubernetes_needs_the_docker_image_and_a_no_needs_nothing():
    answers = {**GOOD, "use_kubernetes": True, "use_docker": False}

    assert rules.first_broken_rule(answers) == (
        "Invalid answer for use_kubernetes (True): it must go with use_docker: it runs its image."
    )
    assert rules.first_broken_rule({**answers, "use_kubernetes": False}) is None
    assert rules.first_broken_rule({**answers, "use_docker": True}) is None


def test_every_rule_names_a_question_that_cookiecutter_asks():
    from tests.variants import QUESTIONS

    assert {question for question, _, _ in rules.RULES} <= set(QUESTIONS)


def test_a_choice_or_a_yes_no_outside_its_form_is_refused_by_its_question():
    # A replay file can hold anything; cookiecutter checks neither.
    assert rules.first_broken_rule({**GOOD, "database": "mysql"}) == (
        "Invalid answer for database ('mysql'): it must be one of 'sqlite', 'postgresql'."
    )
    assert rules.first_broken_rule({**GOOD, "use_redis": "maybe"}) == (
        "Invalid answer for use_redis ('maybe'): it must be a yes or a no (true or false)."
    )
    assert rules.first_broken_rule({**GOOD, "database": "sqlite", "use_redis": False}) is None


def test_a_derived_value_is_blamed_on_what_was_typed():
    answers = {"project_name": "2 Fast", "project_slug": "2_fast"}

    assert rules.first_broken_rule(answers, render=render_default) == (
        "Invalid answer for project_name ('2 Fast'): it gives project_slug '2_fast', which "
        "must be a lowercase Python identifier: a-z, 0-9 and _, not starting with a digit. "
        "Change project_name or set project_slug."
    )


def test_a_typed_value_that_differs_from_its_default_is_blamed_on_itself():
    answers = {"project_name": "Fast", "project_slug": "2_fast"}

    problem = rules.first_broken_rule(answers, render=render_default)

    assert problem.startswith("Invalid answer for project_slug ('2_fast'): it must be ")


def test_only_the_questions_answered_so_far_are_checked():
    assert rules.first_broken_rule({"project_name": "Billing"}) is None
    assert rules.first_broken_rule({}) is None


def test_every_question_a_rule_can_refuse_is_checked_before_the_next_question():
    from tests.variants import QUESTIONS

    with_rules = {question for question, _, _ in rules.RULES}
    unchecked = None
    for name, raw in QUESTIONS.items():
        if raw == "{{ cookiecutter | checked }}":
            unchecked = None
        elif not name.startswith("_"):
            assert unchecked is None, f"{unchecked} is not checked before {name} is asked"
            # A typed answer to a choice or a yes/no is kept to its options by cookiecutter.
            if not isinstance(raw, (list, bool)) or name in with_rules:
                unchecked = name
    assert unchecked is None, f"{unchecked} is not checked after it is asked"


def test_what_the_command_line_gave_is_checked_before_the_first_question():
    from tests.variants import QUESTIONS

    first = next(iter(QUESTIONS))
    assert QUESTIONS[first] == "{{ cookiecutter | checked }}"


def test_every_key_that_is_not_a_question_is_named_once_in_one_line():
    from tests.variants import QUESTIONS

    questions = rules.questions_of(QUESTIONS)

    assert rules.unknown_keys_problem(["database", "use_redis"], questions, "here") is None
    assert rules.unknown_keys_problem(["databse"], questions, "on the command line") == (
        "Unknown key on the command line: databse (did you mean database?); "
        "the template asks no such question."
    )
    assert rules.unknown_keys_problem(
        ["use_chanels", "database", "colour"], questions, "in a"
    ) == (
        "Unknown keys in a: use_chanels (did you mean use_channels?), colour; "
        "the template asks no such questions."
    )


def test_the_default_python_is_the_oldest_the_project_supports():
    from tests.variants import QUESTIONS

    # The default project must run on every Python it lists, the oldest too.
    options = QUESTIONS["python_version"]
    assert options[0] == min(options, key=lambda version: tuple(map(int, version.split("."))))


def test_no_prompt_shows_a_questions_key():
    from tests.variants import QUESTIONS

    # A key with an underscore is code, never English: the prompts say what it means.
    keys = [name for name in rules.questions_of(QUESTIONS) if "_" in name]
    texts = []
    for prompt in QUESTIONS["__prompts__"].values():
        texts.extend(prompt.values() if isinstance(prompt, dict) else [prompt])
    shown = [(key, text) for text in texts for key in keys if re.search(rf"\b{key}\b", text)]
    assert shown == []
