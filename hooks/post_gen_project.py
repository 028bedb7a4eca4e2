"""Finish the generated project: its secret, its license, and only the chosen files.

Runs inside the new project directory. It needs no network.
"""

import json
import secrets
import shutil
import sys
from pathlib import Path

# Paths that exist only for some answers: {question: {answer: [paths it removes]}}.
# "{project_slug}" stands for the package. Adding an option is a row here plus its
# files in the template.
REMOVED_BY_ANSWER = {
    "database": {"sqlite": ["tests/test_postgresql.py"]},
    "use_redis": {False: ["tests/test_redis_cache.py"]},
    "use_channels": {False: ["{project_slug}/rooms", "tests/test_rooms.py"]},
}

# Staging material that never belongs in a generated project.
ALWAYS_REMOVED = ["_licenses"]


def paths_to_remove(answers):
    """The project paths that the answers leave out, in table order."""
    chosen = [
        path.format(project_slug=answers["project_slug"])
        for question, removals in REMOVED_BY_ANSWER.items()
        for path in removals.get(answers[question], [])
    ]
    return [*chosen, *ALWAYS_REMOVED]


def remove(path):
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def write_env_file(project):
    """A fresh secret key for local development, in the git-ignored .env."""
    env_file = project / ".env"
    # URL-safe: django-environ reads a leading "$" as a reference and may cut at "#".
    env_file.write_text(f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\n")
    env_file.chmod(0o600)


def main(answers, project):
    (project / "_licenses" / answers["license"]).rename(project / "LICENSE")
    for path in paths_to_remove(answers):
        remove(project / path)
    write_env_file(project)
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(r"""{{ cookiecutter | tojson }}"""), Path.cwd()))
