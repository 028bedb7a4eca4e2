"""The answer rules, unit-tested as the pure functions they are."""

import pytest

from hooks import pre_gen_project as rules

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
        (rules.is_not_keyword, "lambda", False),
        (rules.is_not_keyword, "type", False),
        (rules.is_not_keyword, "billing", True),
        (rules.shadows_no_module, "json", False),
        (rules.shadows_no_module, "servestatic", False),
        (rules.shadows_no_module, "billing", True),
        (rules.is_no_app_label, "users", False),
        (rules.is_no_app_label, "admin", False),
        (rules.is_no_app_label, "billing_users", True),
        (rules.is_username_type, "email", True),
        (rules.is_username_type, "Email", False),
        (rules.is_username_type, "phone", False),
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
