"""Production logs: one JSON object per line on stdout, or plain text for a person.

See https://docs.djangoproject.com/en/6.1/topics/logging/
"""

import json
import re
from datetime import datetime

import pytest

from .conftest import in_production, production_environment

PROJECT_LOGGER = "{{ cookiecutter.project_slug }}"
LOG_EACH_KIND = f"""
import logging

logging.getLogger("django").info("Django at INFO")
logging.getLogger("{PROJECT_LOGGER}").warning("The project at WARNING")
try:
    raise ValueError("what went wrong")
except ValueError:
    logging.getLogger("{PROJECT_LOGGER}").exception("A failure")
"""


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    return production_environment(tmp_path_factory.mktemp("logging"))


def logged(env):
    """The lines that production settings print for LOG_EACH_KIND."""
    return in_production(env, LOG_EACH_KIND).stdout.splitlines()


def test_production_logs_one_json_object_per_line(environment):
    records = [json.loads(line) for line in logged(environment)]

    assert [(record["level"], record["logger"], record["message"]) for record in records] == [
        ("INFO", "django", "Django at INFO"),
        ("WARNING", PROJECT_LOGGER, "The project at WARNING"),
        ("ERROR", PROJECT_LOGGER, "A failure"),
    ]
    assert all(datetime.fromisoformat(record["time"]).tzinfo for record in records)
    assert "exception" not in records[1]
    assert records[2]["exception"].startswith("Traceback (most recent call last):")
    assert records[2]["exception"].endswith("ValueError: what went wrong")


def test_plain_format_writes_text_for_a_person(environment):
    lines = logged({**environment, "DJANGO_LOG_FORMAT": "Plain"})

    assert re.fullmatch(
        rf"[\d-]+ [\d:,]+ WARNING {PROJECT_LOGGER} \[-\] The project at WARNING", lines[1]
    )
    assert lines[3] == "Traceback (most recent call last):"


def test_log_level_applies_to_djangos_own_logger_too(environment):
    lines = logged({**environment, "DJANGO_LOG_LEVEL": "warning"})

    assert not any("Django at INFO" in line for line in lines)
    assert [json.loads(line)["level"] for line in lines] == ["WARNING", "ERROR"]
