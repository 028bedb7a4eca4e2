"""A pipeline: answers on the command line, in an answers file, or replayed; never a prompt."""

import json

import pytest

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


# A replay file skips cookiecutter's own choice check: the hook's rules are the guard.
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
        "Invalid answer for username_type ('phone'): it must be username or email.",
    ),
]


@pytest.mark.parametrize(("question", "value", "refusal"), REPLAYED_BAD_ANSWERS)
def test_a_replayed_bad_answer_is_refused_by_the_hook(question, value, refusal, tmp_path):
    cookiecutter("--no-input", "-o", tmp_path / "first", TEMPLATE, home=tmp_path)
    replay_file = next((tmp_path / ".cookiecutter_replay").glob("*.json"))
    replay = json.loads(replay_file.read_text())
    replay["cookiecutter"][question] = value
    replay_file.write_text(json.dumps(replay))

    finished = cookiecutter(
        "--replay-file", replay_file, "-o", tmp_path / "replayed", TEMPLATE, home=tmp_path
    )

    assert finished.returncode != 0
    assert finished.stderr.splitlines() == [refusal]
    assert list((tmp_path / "replayed").iterdir()) == []


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
