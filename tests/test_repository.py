"""The template repository keeps its promises: the README's commands are the ones CI runs."""

import re

from tests.variants import TEMPLATE


def readme_commands():
    return re.findall(r"```sh\n(.+?)\n```", (TEMPLATE / "README.md").read_text(), re.DOTALL)


def test_ci_runs_the_readme_test_command_verbatim():
    ci_script = (TEMPLATE / ".ci" / "run").read_text().splitlines()
    test_command = readme_commands()[1]

    assert test_command.endswith(".venv/bin/pytest")
    assert test_command in ci_script


def test_ci_runs_every_benchmark():
    ci_script = (TEMPLATE / ".ci" / "run").read_text()
    benchmarks = sorted(path.stem for path in (TEMPLATE / "bench").glob("*.py"))

    names = "bake serving handlers cold_start suite tasks first_page proxy passwords"
    loop = f"for benchmark in {names}; do"
    assert loop in ci_script
    helpers = {"support", "raw_asgi", "asgi_driver", "task_jobs"}
    expected = {"bake", "serving", "handlers", "cold_start", "suite", "tasks"}
    expected |= {"first_page", "proxy", "passwords"}
    assert set(benchmarks) - helpers == expected


def test_readme_generates_and_serves_the_default_project():
    generate_and_serve = readme_commands()[0]

    assert "cookiecutter --no-input" in generate_and_serve
    assert generate_and_serve.endswith("manage.py runserver")


def test_changelog_has_an_unreleased_section():
    assert "## Unreleased" in (TEMPLATE / "CHANGELOG.md").read_text()
