"""Bad answers are refused with one line naming the question and the rule; nothing is left."""

import pytest

from tests.conftest import BIN, run
from tests.variants import QUESTIONS, TEMPLATE

# (answer given with --no-input, the question the refusal must name)
BAD_ANSWERS = [
    ("project_name=", "project_name"),
    ("project_name=   ", "project_name"),
    ("project_name=Line\tbreak", "project_name"),
    ("project_name=" + "N" * 41, "project_name"),
    # cookiecutter renders answers as Jinja: raw lets template markup reach the rules.
    ("project_name={% raw %}Shop {{ price }}{% endraw %}", "project_name"),
    ("project_name={% raw %}Shop {% if %}{% endraw %}", "project_name"),
    ("project_slug=my-project", "project_slug"),
    ("project_slug=My_Project", "project_slug"),
    ("project_slug=2fast", "project_slug"),
    ("project_slug=café", "project_slug"),
    ("project_slug=a/b", "project_slug"),
    ("project_slug=", "project_slug"),
    ("project_slug=class", "project_slug"),
    ("project_slug=match", "project_slug"),
    ("project_slug=test", "project_slug"),
    ("project_slug=email", "project_slug"),
    ("project_slug=logging", "project_slug"),
    ("project_slug=site", "project_slug"),
    ("project_slug=django", "project_slug"),
    ("project_slug=daphne", "project_slug"),
    ("project_slug=environ", "project_slug"),
    ("project_slug=tests", "project_slug"),
    ("project_slug=psycopg", "project_slug"),
    ("project_slug=redis", "project_slug"),
    ("project_slug=channels", "project_slug"),
    ("project_slug=websockets", "project_slug"),
    ("project_slug=twisted", "project_slug"),
    ("project_slug=users", "project_slug"),
    ("project_slug=admin", "project_slug"),
    ("project_slug=rooms", "project_slug"),
    ("project_slug=debug_toolbar", "project_slug"),
    ("project_slug=django_tasks_database", "project_slug"),
    ("project_slug=mypy", "project_slug"),
    ("project_slug=pg_site", "project_slug"),
    ("project_slug=_private", "project_slug"),
    ("project_slug=billing_", "project_slug"),
    ("project_slug=" + "s" * 31, "project_slug"),
    ("description=Bell\a", "description"),
    ("description={% raw %}Costs {{ price }}{% endraw %}", "description"),
    ("author_name={% raw %}{# nobody #}{% endraw %}", "author_name"),
    ("author_name= ", "author_name"),
    ("author_email=nobody", "author_email"),
    ("author_email=a@b", "author_email"),
    ("author_email=two@@example.com", "author_email"),
    ("author_email=with space@example.com", "author_email"),
    ('author_email=quote"d@example.com', "author_email"),
    ("domain_name=https://example.com", "domain_name"),
    ("domain_name=example.com/app", "domain_name"),
    ("domain_name=example.com:8000", "domain_name"),
    ("domain_name=-bad-.example.com", "domain_name"),
    ("domain_name=localhost", "domain_name"),
    ("timezone=Mars/Olympus_Mons", "timezone"),
    ("timezone=utc", "timezone"),
    ("timezone=../../etc/passwd", "timezone"),
]


def generate_with(answer, directory):
    """cookiecutter --no-input with one answer, into an empty directory/output."""
    output = directory / "output"
    output.mkdir()
    finished = run(
        [BIN / "cookiecutter", "--no-input", "--output-dir", output, TEMPLATE, answer],
        cwd=directory,
    )
    return finished, output


@pytest.mark.parametrize(("answer", "question"), BAD_ANSWERS)
def test_bad_answer_is_refused_in_one_line_and_leaves_nothing(answer, question, tmp_path):
    finished, output = generate_with(answer, tmp_path)

    assert finished.returncode == 1
    lines = finished.stderr.splitlines()
    assert len(lines) == 1, finished.stderr
    assert lines[0].startswith(f"Invalid answer for {question} ("), lines[0]
    assert ": it must " in lines[0]
    assert list(output.iterdir()) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["output"]


# Answers that cookiecutter itself refuses before the template's rules run: a value
# outside a choice list, or a yes/no answer it cannot read. It exits 1 and writes
# nothing, but prints its own traceback, whose last line names the question.
REFUSED_BY_COOKIECUTTER = [
    ("python_version=3.11", "python_version"),
    ("license=WTFPL", "license"),
    ("database=mysql", "database"),
    ("use_redis=maybe", "use_redis"),
    ("use_channels=sure", "use_channels"),
    ("username_type=phone", "username_type"),
    ("use_sentry=perhaps", "use_sentry"),
]


@pytest.mark.parametrize(("answer", "question"), REFUSED_BY_COOKIECUTTER)
def test_cookiecutter_refuses_an_unknown_choice_and_leaves_nothing(answer, question, tmp_path):
    finished, output = generate_with(answer, tmp_path)

    assert finished.returncode != 0
    last_line = finished.stderr.strip().splitlines()[-1]
    value = answer.partition("=")[2]
    assert last_line.startswith(f"ValueError: {value} provided for "), last_line
    assert f"variable {question}" in last_line, last_line
    assert list(output.iterdir()) == []


# Every question whose default is derived from other answers, with answers that derive
# a value it refuses: the refusal must name what was typed, not the derived value.
DERIVED_DEFAULTS = {
    "project_slug": [
        ("project_name=2 Fast", "project_name ('2 Fast'): it gives project_slug '2_fast'"),
        ("project_name=Class", "project_name ('Class'): it gives project_slug 'class'"),
        ("project_name=Users", "project_name ('Users'): it gives project_slug 'users'"),
        ("project_name=Django", "project_name ('Django'): it gives project_slug 'django'"),
        # Both baked, then failed Django's check: "Application labels aren't unique".
        ("project_name=Rooms", "project_name ('Rooms'): it gives project_slug 'rooms'"),
        (
            "project_name=Debug Toolbar",
            "project_name ('Debug Toolbar'): it gives project_slug 'debug_toolbar'",
        ),
        ("project_name=PG Site", "project_name ('PG Site'): it gives project_slug 'pg_site'"),
    ],
}


def test_every_derived_default_has_answers_that_derive_a_refused_value():
    derived = {
        name
        for name, default in QUESTIONS.items()
        if not name.startswith("_") and isinstance(default, str) and "{{" in default
    }
    assert derived == set(DERIVED_DEFAULTS)


@pytest.mark.parametrize(
    ("question", "answer", "blame"),
    [(question, *case) for question, cases in DERIVED_DEFAULTS.items() for case in cases],
)
def test_a_refused_derived_value_names_the_typed_answer_and_both_ways_out(
    question, answer, blame, tmp_path
):
    finished, output = generate_with(answer, tmp_path)

    assert finished.returncode == 1
    [line] = finished.stderr.splitlines()
    source = answer.partition("=")[0]
    assert line.startswith(f"Invalid answer for {blame}, which must "), line
    assert line.endswith(f"Change {source} or set {question}."), line
    assert list(output.iterdir()) == []


# Keys that the template does not ask: cookiecutter would drop them without a word.
UNKNOWN_KEYS = [
    (
        ["databse=postgresql"],
        "Unknown key on the command line: databse (did you mean database?); "
        "the template asks no such question.",
    ),
    (
        ["use_chanels=yes", "project_name=Billing", "colour=blue"],
        "Unknown keys on the command line: use_chanels (did you mean use_channels?), colour; "
        "the template asks no such questions.",
    ),
    (
        ["_checkout=main"],
        "Unknown key on the command line: _checkout; the template asks no such question.",
    ),
]


@pytest.mark.parametrize(
    ("answers", "refusal"), UNKNOWN_KEYS, ids=[" ".join(answers) for answers, _ in UNKNOWN_KEYS]
)
def test_a_key_the_template_does_not_ask_is_refused_in_one_line_naming_it(
    answers, refusal, tmp_path
):
    output = tmp_path / "output"
    output.mkdir()
    finished = run(
        [BIN / "cookiecutter", "--no-input", "--output-dir", output, TEMPLATE, *answers],
        cwd=tmp_path,
    )

    assert finished.returncode == 1
    assert finished.stderr.splitlines() == [refusal]
    assert list(output.iterdir()) == []
