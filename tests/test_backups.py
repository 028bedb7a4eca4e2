"""Backups that restore: the default (SQLite) variant's commands, run as an operator would.

Rows are written, the database is backed up and then lost, and the restore brings
the rows back; retention keeps the newest DJANGO_BACKUP_KEEP files; an unmigrated
database is refused in one line.
"""

import sys

from tests.conftest import clean_environment, copy_project, run, succeed

DEFAULT = "defaults"


def manage(project, env, *arguments, check=False):
    """manage.py in the project; with check, it must succeed."""
    command = [sys.executable, "manage.py", *arguments]
    return succeed(command, project, env) if check else run(command, cwd=project, env=env)


def environment(project, tmp_path, **extra):
    return {
        **clean_environment(),
        "DJANGO_SETTINGS_MODULE": f"{project.name}.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_BACKUP_DIR": str(tmp_path / "backups"),
        **extra,
    }


def users(project, env):
    code = "from django.contrib.auth import get_user_model as g; print(g().objects.count())"
    # The last line: the shell first says what it imported.
    return int(manage(project, env, "shell", "-c", code, check=True).stdout.split()[-1])


def test_a_lost_sqlite_database_comes_back_from_its_backup(baked_projects, tmp_path):
    project = copy_project(baked_projects(DEFAULT).project_path, tmp_path / "project")
    env = environment(project, tmp_path, DJANGO_BACKUP_KEEP="2")
    manage(project, env, "migrate", "--noinput", check=True)
    code = "from django.contrib.auth import get_user_model as g; g().objects.create_user('ada')"
    manage(project, env, "shell", "-c", code, check=True)
    assert users(project, env) == 1

    for _ in range(3):
        manage(project, env, "backup_database", check=True)
    backups = sorted((tmp_path / "backups").iterdir())
    assert len(backups) == 2

    for path in tmp_path.glob("db.sqlite3*"):
        path.unlink()
    manage(project, env, "restore_database", backups[-1], "--no-input", check=True)
    assert users(project, env) == 1


def test_an_unmigrated_database_is_not_backed_up(baked_projects, tmp_path):
    project = copy_project(baked_projects(DEFAULT).project_path, tmp_path / "project")
    finished = manage(project, environment(project, tmp_path), "backup_database")

    assert finished.returncode == 1
    assert "run manage.py migrate first" in finished.stderr
    assert len(finished.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())


def test_a_file_that_is_no_backup_is_not_restored(baked_projects, tmp_path):
    project = copy_project(baked_projects(DEFAULT).project_path, tmp_path / "project")
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_text("not a database")
    finished = manage(
        project, environment(project, tmp_path), "restore_database", bogus, "--no-input"
    )

    assert finished.returncode == 1
    assert "is not a backup" in finished.stderr
