"""A team grows the user model as any other: a field, ``makemigrations``, ``migrate``.

Proven for each username_type on a copy of the bake, with the real manage.py.
"""

import re
import shutil
import sys

import pytest

from tests.conftest import clean_environment, succeed
from tests.variants import variant_id

# One variant per username_type; the user model does not depend on the other answers.
EACH_USERNAME_TYPE = [variant_id({}), variant_id({"username_type": "email"})]
CLASS_AND_DOCSTRING = re.compile(r'^class User\(AbstractUser\):\n    """.*"""\n', re.MULTILINE)


@pytest.fixture
def project(baked, tmp_path):
    """A copy of the bake for the team to change; the shared bake stays as it was baked."""
    copy = tmp_path / baked.name
    ignored = shutil.ignore_patterns(".venv", "db.sqlite3", "staticfiles", "__pycache__")
    shutil.copytree(baked, copy, ignore=ignored)
    return copy


def manage(project, *command):
    """Run the project's manage.py, on a database of its own; fail with its output if it fails."""
    env = {**clean_environment(), "DATABASE_URL": f"sqlite:///{project / 'db.sqlite3'}"}
    return succeed([sys.executable, "manage.py", *command], cwd=project, env=env)


def add_field(models_file, field):
    """Add a field to User, first in its body, importing models if it is not yet imported."""
    text = models_file.read_text()
    if "from django.db import models\n" not in text:
        text = text.replace(
            "from django.contrib.auth.models import AbstractUser\n",
            "from django.contrib.auth.models import AbstractUser\nfrom django.db import models\n",
        )
    text, added = CLASS_AND_DOCSTRING.subn(lambda match: f"{match[0]}\n    {field}\n", text)
    assert added == 1, text
    models_file.write_text(text)


@pytest.mark.parametrize("variant", EACH_USERNAME_TYPE)
def test_a_team_adds_a_field_to_the_user_model_with_a_plain_makemigrations(project, variant):
    users = project / project.name / "users"
    shipped = {path.name for path in (users / "migrations").glob("0*.py")}
    # The shipped migration matches the model: nothing to create on a fresh bake.
    assert (
        "No changes detected" in manage(project, "makemigrations", "--check", "--dry-run").stdout
    )

    add_field(users / "models.py", "bio = models.TextField(blank=True)")
    manage(project, "makemigrations")

    [new] = {path.name for path in (users / "migrations").glob("0*.py")} - shipped
    assert new == "0002_user_bio.py"
    manage(project, "migrate")

    assert "[X] 0002_user_bio" in manage(project, "showmigrations", "users").stdout
    assert "No changes detected" in manage(project, "makemigrations", "--check").stdout
