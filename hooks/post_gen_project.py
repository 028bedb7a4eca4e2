"""Finish the generated project: its secret, its license, its answers, only the chosen files.

Runs inside the new project directory. It needs no network. Last, it prints what to
run next, fitted to the answers.
"""

import json
import os
import secrets
import shlex
import shutil
import sys
from pathlib import Path

# Paths that exist only for some answers: {question: {answer: [paths it removes]}}.
# "{project_slug}" stands for the package. Adding an option is a row here plus its
# files in the template.
REMOVED_BY_ANSWER = {
    "database": {
        "sqlite": [
            "tests/test_postgresql.py",
            "tests/test_email_sign_in_index.py",
            "deploy/kubernetes/migrate.yaml",
            "deploy/kubernetes/worker.yaml",
            "{project_slug}/backups/postgresql.py",
        ],
        "postgresql": ["{project_slug}/backups/sqlite.py"],
    },
    "use_redis": {
        False: ["tests/test_redis_cache.py"],
        True: ["{project_slug}/rooms/layers.py", "tests/test_channel_layer.py"],
    },
    "use_channels": {
        False: ["{project_slug}/rooms", "tests/test_rooms.py", "tests/test_channel_layer.py"]
    },
    "use_sentry": {
        False: [
            "{project_slug}/serving/sentry.py",
            "tests/test_sentry.py",
            "tests/sentry_settings.py",
            "tests/sentry_urls.py",
        ]
    },
    "use_tasks": {
        False: [
            "{project_slug}/users/tasks.py",
            "{project_slug}/users/stale_tasks.py",
            "{project_slug}/users/views.py",
            "{project_slug}/users/management",
            "tests/test_tasks.py",
            "deploy/kubernetes/worker.yaml",
            "deploy/systemd/{project_slug}-worker.service",
            "deploy/systemd/{project_slug}-requeue.service",
            "deploy/systemd/{project_slug}-requeue.timer",
        ]
    },
    "use_docker": {False: ["Dockerfile", ".dockerignore", "compose.yaml"]},
    "use_kubernetes": {False: ["deploy/kubernetes"]},
    "api": {"none": ["{project_slug}/api", "tests/test_api.py"]},
    "username_type": {
        "username": ["{project_slug}/users/managers.py", "tests/test_email_sign_in_index.py"]
    },
    "ci": {
        "github": [".gitlab-ci.yml", "renovate.json"],
        "gitlab": [".github"],
        "none": [".github", ".gitlab-ci.yml", "renovate.json"],
    },
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


def write_env_file(project, answers=None):
    """A fresh secret key for local development, in the git-ignored .env.

    With PostgreSQL in compose.yaml, also a fresh password for its database, which
    compose.yaml requires (it has none of its own to fall back on in production),
    and the URL on which the development server reaches that database. An existing
    .env (a project generated again over itself) is kept as it is.
    """
    try:
        # Readable by its owner alone from the moment it exists, whatever the umask.
        descriptor = os.open(project / ".env", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    # URL-safe: django-environ reads a leading "$" as a reference and may cut at "#".
    lines = [f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}"]
    if answers and answers["database"] == "postgresql" and answers["use_docker"]:
        slug, password = answers["project_slug"], secrets.token_urlsafe(24)
        lines += [
            "# compose.yaml's database (docker compose up -d db), and the dev server's URL.",
            f"POSTGRES_PASSWORD={password}",
            f"DATABASE_URL=postgres://{slug}:{password}@localhost:5432/{slug}",
        ]
    with os.fdopen(descriptor, "w", encoding="utf-8") as env_file:
        env_file.write("\n".join(lines) + "\n")


def write_answers_file(project, answers):
    """The answers, as a cookiecutter config file: ``--config-file .cookiecutter.json``.

    JSON is YAML too, so cookiecutter reads it back. Private keys (paths of this
    machine, the template's own settings) stay out; no answer is a secret.
    """
    recorded = {name: value for name, value in answers.items() if not name.startswith("_")}
    text = json.dumps({"default_context": recorded}, indent=2, ensure_ascii=False)
    (project / ".cookiecutter.json").write_text(text + "\n", encoding="utf-8")


def installed_uv():
    """How this machine runs uv: by name if it is on PATH, else by the path of the uv
    installed beside the Python running cookiecutter (a template clone's ``.venv``),
    which a new shell would not find by name; None when there is no uv."""
    if shutil.which("uv"):
        return "uv"
    beside = Path(sys.executable).parent / "uv"
    return shlex.quote(str(beside)) if beside.is_file() else None


def next_steps(answers, project, uv="detect"):
    """What to run next, at most 12 lines: install, services, migrate, serve, the worker.

    Every line runs in a new shell on this machine: uv by the name or path that works
    here, pip when there is no uv, and the project's tools from its own ``.venv``.
    """
    uv = installed_uv() if uv == "detect" else uv
    slug = answers["project_slug"]
    postgresql, redis = answers["database"] == "postgresql", answers["use_redis"]
    lines = [
        f"Generated {answers['project_name']} in {project}. Next:",
        f"  cd {shlex.quote(str(project))}",
    ]
    if uv:
        lines.append(f'  {uv} sync -q --python "$(sh find-python.sh)"')
    else:
        lines += [
            '  PY=$(sh find-python.sh) && "$PY" -m venv .venv    # no uv here: pip, see README.md',
            "  .venv/bin/python -m pip install -q -U 'pip>=25.1'",
            "  .venv/bin/pip install -q --group dev -e .",
        ]
    if answers["use_docker"] and (postgresql or redis):
        # compose.yaml publishes its db and redis services on loopback for this.
        services = " ".join(
            name for name, chosen in (("db", postgresql), ("redis", redis)) if chosen
        )
        # .env already points the dev server at compose's database (write_env_file).
        lines.append(f"  docker compose up -d {services}")
    else:
        if postgresql:
            lines.append(
                f"  createdb {slug}    # needs PostgreSQL running; or set DATABASE_URL in .env"
            )
        if redis:
            lines.append(
                "  redis-server --daemonize yes    # needs Redis; or set REDIS_URL in .env"
            )
    lines += [
        "  .venv/bin/python manage.py migrate",
        "  .venv/bin/python manage.py runserver    # http://127.0.0.1:8000/",
    ]
    if answers["use_tasks"]:
        lines.append(
            "  .venv/bin/python manage.py db_worker --interval 0.1    # in another terminal"
        )
    return lines


def main(answers, project):
    (project / "_licenses" / answers["license"]).rename(project / "LICENSE")
    for path in paths_to_remove(answers):
        remove(project / path)
    write_env_file(project, answers)
    write_answers_file(project, answers)
    print("\n".join(next_steps(answers, project)))
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(r"""{{ cookiecutter | tojson }}"""), Path.cwd()))
