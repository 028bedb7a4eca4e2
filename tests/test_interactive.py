"""A person at a terminal: the real cookiecutter command, answered by typing at each prompt."""

import json
import re

import pexpect

from tests.conftest import BIN, clean_environment
from tests.variants import QUESTIONS, TEMPLATE

STEPS = len([name for name in QUESTIONS if not name.startswith("_")])


class Terminal:
    """cookiecutter in a pseudo-terminal, with what it printed kept for failure messages."""

    def __init__(self, output, home):
        self.child = pexpect.spawn(
            str(BIN / "cookiecutter"),
            ["--output-dir", str(output), str(TEMPLATE)],
            env={**clean_environment(), "HOME": str(home), "TERM": "dumb"},
            encoding="utf-8",
            timeout=30,
            dimensions=(50, 200),
        )

    def answer(self, step, text):
        """Wait for the prompt of a step ("[3/12] ..."), then type an answer and Enter."""
        self.child.expect(rf"(?s)\[{step}/{STEPS}\].*?\): ")
        self.child.sendline(text)

    def retype(self, refusal, text):
        """Wait for the refusal of the last answer and the same prompt again, then retype."""
        self.child.expect(re.escape(refusal))
        self.child.expect(r"\): ")
        self.child.sendline(text)

    def finish(self):
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus, self.child.before


def test_typed_answers_make_the_project_and_wrong_ones_are_asked_again(tmp_path):
    terminal = Terminal(tmp_path / "output", tmp_path)

    for step, text in enumerate(
        [
            "Billing Service",  # project_name
            "",  # project_slug: the default, derived from the name
            "Invoices for everyone.",
            "Ada Lovelace",
            "ada@example.org",
            "billing.example.org",
            "Europe/Paris",
            "2",  # python_version: 3.13, not the default
            "9",  # license: no such choice
        ],
        start=1,
    ):
        terminal.answer(step, text)
    terminal.retype("Please select one of the available options", "3")  # Apache-2.0
    terminal.answer(10, "2")  # database: postgresql
    terminal.answer(11, "maybe")  # use_redis: not a yes or a no
    terminal.retype("Please enter Y or N", "y")
    terminal.answer(12, "n")  # use_channels
    terminal.answer(13, "y")  # use_sentry
    terminal.answer(14, "")  # use_tasks: the default, yes
    terminal.answer(15, "")  # use_docker: the default, yes
    terminal.answer(16, "2")  # ci: gitlab
    terminal.answer(17, "2")  # username_type: email
    terminal.answer(18, "")  # use_kubernetes: the default, no
    terminal.answer(19, "2")  # api: ninja
    status, printed = terminal.finish()

    assert status == 0
    project = tmp_path / "output" / "billing_service"
    assert f"Generated Billing Service in {project}. Next:" in printed
    recorded = json.loads((project / ".cookiecutter.json").read_text())["default_context"]
    assert recorded == {
        "project_name": "Billing Service",
        "project_slug": "billing_service",
        "description": "Invoices for everyone.",
        "author_name": "Ada Lovelace",
        "author_email": "ada@example.org",
        "domain_name": "billing.example.org",
        "timezone": "Europe/Paris",
        "python_version": "3.13",
        "license": "Apache-2.0",
        "database": "postgresql",
        "use_redis": True,
        "use_channels": False,
        "use_sentry": True,
        "use_tasks": True,
        "use_docker": True,
        "ci": "gitlab",
        "username_type": "email",
        "use_kubernetes": False,
        "api": "ninja",
    }
    assert (
        'TIME_ZONE = "Europe/Paris"' in (project / "billing_service/settings/base.py").read_text()
    )
    assert "Apache License" in (project / "LICENSE").read_text()
    assert not (project / "billing_service" / "rooms").exists()
    assert (project / "billing_service" / "serving" / "sentry.py").is_file()
    assert (project / ".gitlab-ci.yml").is_file()
    assert 'USERNAME_FIELD = "email"' in (project / "billing_service/users/models.py").read_text()


def refusals(printed):
    return [line for line in printed.splitlines() if line.startswith("Invalid answer")]


def test_a_bad_typed_answer_is_refused_right_after_its_question_and_nothing_is_written(
    tmp_path,
):
    terminal = Terminal(tmp_path / "output", tmp_path)

    terminal.answer(1, "Shop {{ price }}")  # template markup in the project name
    status, printed = terminal.finish()

    assert status == 1
    assert refusals(printed) == [
        "Invalid answer for project_name ('Shop {{ price }}'): it must not contain "
        "template markup: {{, {% or {#."
    ]
    assert f"[2/{STEPS}]" not in printed  # the next question was never asked
    assert not (tmp_path / "output").exists()


def test_a_name_that_gives_a_bad_slug_is_named_right_after_the_slug_question(tmp_path):
    terminal = Terminal(tmp_path / "output", tmp_path)

    terminal.answer(1, "2 Fast")
    terminal.answer(2, "")  # project_slug: the default, derived from the name
    status, printed = terminal.finish()

    assert status == 1
    assert refusals(printed) == [
        "Invalid answer for project_name ('2 Fast'): it gives project_slug '2_fast', which "
        "must be a lowercase Python identifier: a-z, 0-9 and _, not starting with a digit. "
        "Change project_name or set project_slug."
    ]
    assert f"[3/{STEPS}]" not in printed
    assert not (tmp_path / "output").exists()


def test_a_typed_slug_that_breaks_a_rule_is_refused_before_the_description(tmp_path):
    terminal = Terminal(tmp_path / "output", tmp_path)

    terminal.answer(1, "Billing")
    terminal.answer(2, "Billing")  # not a lowercase identifier
    status, printed = terminal.finish()

    assert status == 1
    assert refusals(printed) == [
        "Invalid answer for project_slug ('Billing'): it must be a lowercase Python "
        "identifier: a-z, 0-9 and _, not starting with a digit."
    ]
    assert f"[3/{STEPS}]" not in printed
    assert not (tmp_path / "output").exists()
