"""A pipeline: answers on the command line, in an answers file, or replayed; never a prompt."""

import json
import shutil

import pytest
import yaml

from hooks.post_gen_project import next_steps
from tests.conftest import BIN, clean_environment, project_files, run
from tests.variants import TEMPLATE

ANSWERS = {"project_name": "Billing", "database": "postgresql", "use_redis": True}


def cookiecutter(*arguments, home):
    """The real cookiecutter command, with a home of its own for its replay files."""
    return run(
        [BIN / "cookiecutter", *arguments],
        cwd=home,
        env={**clean_environment(), "HOME": str(home)},
    )


def tree(project):
    """The project's files, without the .env whose secret each generation makes anew."""
    return {name: text for name, text in project_files(project).items() if name != ".env"}


def recorded_answers(project):
    return json.loads((project / ".cookiecutter.json").read_text())["default_context"]


def test_no_input_takes_answers_from_the_command_line(tmp_path):
    finished = cookiecutter(
        "--no-input", "--output-dir", tmp_path / "out", TEMPLATE, "project_name=Billing",
        "database=postgresql", "use_redis=yes", home=tmp_path,
    )  # fmt: skip

    assert finished.returncode == 0, finished.stderr
    assert recorded_answers(tmp_path / "out" / "billing").items() >= ANSWERS.items()


def test_an_answers_file_generates_the_project_it_describes(tmp_path):
    answers_file = tmp_path / "answers.yaml"
    answers_file.write_text(json.dumps({"default_context": ANSWERS}))

    finished = cookiecutter(
        "--no-input", "--config-file", answers_file, "-o", tmp_path / "out", TEMPLATE,
        home=tmp_path,
    )  # fmt: skip

    assert finished.returncode == 0, finished.stderr
    project = tmp_path / "out" / "billing"
    assert recorded_answers(project).items() >= ANSWERS.items()
    assert '"psycopg[binary,pool]>=3.2"' in (project / "pyproject.toml").read_text()


def test_the_recorded_answers_regenerate_the_same_project(tmp_path):
    first = tmp_path / "first"
    cookiecutter("--no-input", "-o", first, TEMPLATE, "project_name=Billing", home=tmp_path)

    finished = cookiecutter(
        "--no-input", "--config-file", first / "billing" / ".cookiecutter.json",
        "-o", tmp_path / "again", TEMPLATE, home=tmp_path,
    )  # fmt: skip

    assert finished.returncode == 0, finished.stderr
    assert tree(tmp_path / "again" / "billing") == tree(first / "billing")


def test_replay_reproduces_the_previous_run(tmp_path):
    cookiecutter(
        "--no-input", "-o", tmp_path / "first", TEMPLATE, "use_channels=yes", home=tmp_path
    )

    finished = cookiecutter("--replay", "-o", tmp_path / "replayed", TEMPLATE, home=tmp_path)

    assert finished.returncode == 0, finished.stderr
    assert tree(tmp_path / "replayed" / "my_project") == tree(tmp_path / "first" / "my_project")


def test_a_replay_file_reproduces_a_run_from_elsewhere(tmp_path):
    cookiecutter("--no-input", "-o", tmp_path / "first", TEMPLATE, "license=MIT", home=tmp_path)
    replay_file = next((tmp_path / ".cookiecutter_replay").glob("*.json"))

    finished = cookiecutter(
        "--replay-file", replay_file, "-o", tmp_path / "replayed", TEMPLATE, home=tmp_path
    )

    assert finished.returncode == 0, finished.stderr
    assert tree(tmp_path / "replayed" / "my_project") == tree(tmp_path / "first" / "my_project")


def replay_file_with(home, **answers):
    """The replay file of a first run, with answers changed or added."""
    cookiecutter("--no-input", "-o", home / "first", TEMPLATE, home=home)
    replay_file = next((home / ".cookiecutter_replay").glob("*.json"))
    replay = json.loads(replay_file.read_text())
    replay["cookiecutter"].update(answers)
    replay_file.write_text(json.dumps(replay))
    return replay_file


# A replay file skips cookiecutter's own checks, and the questions with their checks:
# the answers are checked when cookiecutter first renders them, before any directory.
REPLAYED_BAD_ANSWERS = [
    (
        "timezone",
        "Mars/Olympus_Mons",
        "Invalid answer for timezone ('Mars/Olympus_Mons'): it must be an IANA time zone "
        "name such as Europe/Paris or UTC.",
    ),
    (
        "username_type",
        "phone",
        "Invalid answer for username_type ('phone'): it must be one of 'username', 'email'.",
    ),
    (
        "database",
        "mysql",
        "Invalid answer for database ('mysql'): it must be one of 'sqlite', 'postgresql'.",
    ),
    (
        "use_redis",
        "maybe",
        "Invalid answer for use_redis ('maybe'): it must be a yes or a no (true or false).",
    ),
    (
        "project_slug",
        "a/b",
        "Invalid answer for project_slug ('a/b'): it must be a lowercase Python identifier: "
        "a-z, 0-9 and _, not starting with a digit.",
    ),
]


@pytest.mark.parametrize(("question", "value", "refusal"), REPLAYED_BAD_ANSWERS)
def test_a_replayed_bad_answer_is_refused_in_one_line_and_makes_no_directory(
    question, value, refusal, tmp_path
):
    replay_file = replay_file_with(tmp_path, **{question: value})

    finished = cookiecutter(
        "--replay-file", replay_file, "-o", tmp_path / "replayed", TEMPLATE, home=tmp_path
    )

    assert finished.returncode == 1
    assert finished.stderr.splitlines() == [refusal]
    assert "Traceback" not in finished.stdout
    assert not (tmp_path / "replayed").exists()


def test_a_replayed_key_that_is_no_question_is_refused_and_makes_no_directory(tmp_path):
    replay_file = replay_file_with(tmp_path, use_chanels=True)

    finished = cookiecutter(
        "--replay-file", replay_file, "-o", tmp_path / "replayed", TEMPLATE, home=tmp_path
    )

    assert finished.returncode == 1
    assert finished.stderr.splitlines() == [
        "Unknown key in the replayed answers: use_chanels (did you mean use_channels?); "
        "the template asks no such question."
    ]
    assert not (tmp_path / "replayed").exists()


def test_replayed_answers_are_checked_even_with_the_hooks_turned_off(tmp_path):
    replay_file = replay_file_with(tmp_path, project_slug="rooms")

    finished = cookiecutter(
        "--accept-hooks", "no", "--replay-file", replay_file, "-o", tmp_path / "replayed",
        TEMPLATE, home=tmp_path,
    )  # fmt: skip

    assert finished.returncode == 1
    [line] = finished.stderr.splitlines()
    assert line.startswith("Invalid answer for project_slug ('rooms'): it must not be the label ")
    assert not (tmp_path / "replayed").exists()


# Defaults that cookiecutter cannot apply from a config file: it only warns, then builds
# with the template's defaults for that question and every one after it in the file.
BAD_CONFIG_DEFAULTS = [
    ("database", "mysql", "('mysql'): it must be one of 'sqlite', 'postgresql'"),
    ("use_redis", "maybe", "('maybe'): it must be a yes or a no (true or false)"),
    # YAML reads 3.12 as a number, which no choice equals.
    ("python_version", 3.12, "(3.12): it must be one of '3.12', '3.13'"),
]


@pytest.mark.parametrize(("question", "value", "refusal"), BAD_CONFIG_DEFAULTS)
def test_a_config_file_default_cookiecutter_would_drop_is_refused_and_nothing_is_made(
    question, value, refusal, tmp_path
):
    answers_file = tmp_path / "answers.yaml"
    answers = {"project_name": "Billing", question: value, "timezone": "Europe/Paris"}
    answers_file.write_text(json.dumps({"default_context": answers}))

    finished = cookiecutter(
        "--no-input", "--config-file", answers_file, "-o", tmp_path / "out", TEMPLATE,
        home=tmp_path,
    )  # fmt: skip

    assert finished.returncode == 1
    last_line = finished.stderr.splitlines()[-1]
    assert last_line == (
        f"Invalid default for {question} in {answers_file} {refusal}; "
        "cookiecutter would drop it and every default after it."
    )
    assert not (tmp_path / "out").exists()


def test_the_user_config_named_by_cookiecutter_config_is_checked_too(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("default_context:\n  full_name: Ada\n  database: mysql\n")

    finished = run(
        [BIN / "cookiecutter", "--no-input", "-o", tmp_path / "out", TEMPLATE],
        cwd=tmp_path,
        env={**clean_environment(), "HOME": str(tmp_path), "COOKIECUTTER_CONFIG": str(config)},
    )

    assert finished.returncode == 1
    assert finished.stderr.splitlines()[-1].startswith(
        f"Invalid default for database in {config} ('mysql'): "
    )
    assert not (tmp_path / "out").exists()


def test_an_answers_file_key_that_is_no_question_is_refused_and_nothing_is_made(tmp_path):
    answers_file = tmp_path / "answers.yaml"
    answers_file.write_text("default_context:\n  project_name: Billing\n  use_chanels: yes\n")

    finished = cookiecutter(
        "--no-input", "--config-file", answers_file, "-o", tmp_path / "out", TEMPLATE,
        home=tmp_path,
    )  # fmt: skip

    assert finished.returncode == 1
    assert finished.stderr.splitlines() == [
        f"Unknown key in {answers_file}: use_chanels (did you mean use_channels?); "
        "the template asks no such question."
    ]
    assert not (tmp_path / "out").exists()


def test_user_config_defaults_for_questions_the_template_does_not_ask_are_ignored(tmp_path):
    # A user's ~/.cookiecutterrc serves every template: its other keys are no error.
    (tmp_path / ".cookiecutterrc").write_text(
        "default_context:\n  full_name: Ada\n  github_username: ada\n  timezone: Europe/Paris\n"
    )

    finished = cookiecutter("--no-input", "-o", tmp_path / "out", TEMPLATE, home=tmp_path)

    assert finished.returncode == 0, finished.stderr
    assert recorded_answers(tmp_path / "out" / "my_project")["timezone"] == "Europe/Paris"


@pytest.fixture
def existing_project(tmp_path):
    """A generated project that its team has since worked in."""
    cookiecutter("--no-input", "-o", tmp_path, TEMPLATE, home=tmp_path)
    project = tmp_path / "my_project"
    (project / "NOTES.md").write_text("The team's own file.\n")
    (project / "README.md").write_text("The team's own README.\n")
    return project


def test_an_existing_project_directory_is_refused_and_left_alone(existing_project):
    before = tree(existing_project)
    secret = (existing_project / ".env").read_text()

    finished = cookiecutter(
        "--no-input", "-o", existing_project.parent, TEMPLATE, home=existing_project.parent
    )

    assert finished.returncode != 0
    assert "already exists" in finished.stdout + finished.stderr
    assert tree(existing_project) == before
    assert (existing_project / ".env").read_text() == secret


def test_overwrite_if_exists_refreshes_template_files_and_keeps_the_rest(existing_project):
    secret = (existing_project / ".env").read_text()

    finished = cookiecutter(
        "--no-input", "--overwrite-if-exists", "-o", existing_project.parent, TEMPLATE,
        home=existing_project.parent,
    )  # fmt: skip

    assert finished.returncode == 0, finished.stderr
    assert (existing_project / "NOTES.md").read_text() == "The team's own file.\n"
    assert (existing_project / ".env").read_text() == secret
    assert (existing_project / "README.md").read_text().startswith("# My Project")


def test_skip_if_file_exists_keeps_every_file_the_team_changed(existing_project):
    finished = cookiecutter(
        "--no-input", "--overwrite-if-exists", "--skip-if-file-exists",
        "-o", existing_project.parent, TEMPLATE, home=existing_project.parent,
    )  # fmt: skip

    assert finished.returncode == 0, finished.stderr
    assert (existing_project / "README.md").read_text() == "The team's own README.\n"


# (answers, what the next steps must say, what they must not)
NEXT_STEPS = [
    ({}, ["db_worker --interval 0.1"], ["docker compose", "DATABASE_URL", "REDIS_URL"]),
    (
        {"database": "postgresql", "use_redis": "yes"},
        ["docker compose up -d db redis", "db_worker"],
        ["createdb", "redis-server", "DATABASE_URL"],
    ),
    (
        {"use_redis": "yes", "use_tasks": "no"},
        ["docker compose up -d redis"],
        ["DATABASE_URL", "db_worker"],
    ),
    (
        {"database": "postgresql", "use_redis": "yes", "use_docker": "no"},
        ["createdb billing ", "DATABASE_URL in .env", "redis-server", "REDIS_URL in .env"],
        ["docker"],
    ),
]


@pytest.mark.parametrize(("answers", "said", "unsaid"), NEXT_STEPS)
def test_generation_ends_with_next_steps_fitted_to_the_answers(answers, said, unsaid, tmp_path):
    finished = cookiecutter(
        "--no-input", "-o", tmp_path / "out", TEMPLATE, "project_name=Billing",
        *(f"{name}={value}" for name, value in answers.items()), home=tmp_path,
    )  # fmt: skip

    assert finished.returncode == 0, finished.stderr
    project = tmp_path / "out" / "billing"
    steps = finished.stdout.splitlines()
    assert len(steps) <= 12, finished.stdout
    assert steps[:3] == [
        f"Generated Billing in {project}. Next:",
        f"  cd {project}",
        # Where uv is not on PATH, the steps name the one beside cookiecutter's Python.
        f'  {"uv" if shutil.which("uv") else BIN / "uv"} sync -q --python "$(sh find-python.sh)"',
    ]
    assert "  .venv/bin/python manage.py migrate" in steps
    assert steps.index("  .venv/bin/python manage.py migrate") > 2
    assert any(step.startswith("  .venv/bin/python manage.py runserver") for step in steps)
    for text in said:
        assert text in finished.stdout
    for text in unsaid:
        assert text not in finished.stdout
    if (project / "compose.yaml").exists():
        assert_compose_serves_the_steps(project, steps)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
@pytest.mark.parametrize("use_redis", [False, True])
@pytest.mark.parametrize("use_docker", [False, True])
@pytest.mark.parametrize("use_tasks", [False, True])
@pytest.mark.parametrize("uv", ["uv", None])
def test_the_next_steps_fit_twelve_lines_for_every_set_of_services(
    database, use_redis, use_docker, use_tasks, uv, tmp_path
):
    answers = {
        "project_name": "Billing", "project_slug": "billing", "database": database,
        "use_redis": use_redis, "use_docker": use_docker, "use_tasks": use_tasks,
    }  # fmt: skip

    steps = next_steps(answers, tmp_path, uv=uv)

    assert len(steps) <= 12
    text = "\n".join(steps)
    assert ("uv sync" in text) is (uv is not None)
    assert ("pip install" in text) is (uv is None)
    assert ("db_worker" in text) is use_tasks
    # With compose, .env already holds the URL of its database (write_env_file).
    assert ("DATABASE_URL" in text) is (database == "postgresql" and not use_docker)
    assert ("REDIS_URL" in text or "redis" in text) is use_redis
    assert ("docker compose" in text) is (use_docker and (database == "postgresql" or use_redis))


def assert_compose_serves_the_steps(project, steps):
    """The services the steps start exist, on loopback, where the steps' URLs point."""
    services = yaml.safe_load((project / "compose.yaml").read_text())["services"]
    [up] = [step for step in steps if "docker compose up" in step] or [""]
    for name in up.split()[4:]:
        port = {"db": 5432, "redis": 6379}[name]
        assert f"127.0.0.1:{port}:{port}" in services[name]["ports"]
    if "db" in services:
        # The dev server's .env reaches compose's database with the password compose takes.
        db = services["db"]["environment"]
        env = dict(
            line.split("=", 1)
            for line in (project / ".env").read_text().splitlines()
            if not line.startswith("#")
        )
        assert db["POSTGRES_PASSWORD"] == "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"
        user, password, name = db["POSTGRES_USER"], env["POSTGRES_PASSWORD"], db["POSTGRES_DB"]
        assert len(password) >= 32
        assert env["DATABASE_URL"] == f"postgres://{user}:{password}@localhost:5432/{name}"
    if "worker" in services:
        assert "db_worker --interval 0.1 " in services["worker"]["command"][-1]
