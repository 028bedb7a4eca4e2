"""Backups that restore: the commands run as an operator would, on SQLite and a real PostgreSQL.

Rows are written, the database is backed up and then lost, and the restore brings
the rows back; a backup also restores into a fresh database for another release
of the same migrations; retention keeps the newest DJANGO_BACKUP_KEEP files; an
unmigrated database is refused in one line.
"""

import sys
from pathlib import Path

import psycopg

from tests.conftest import clean_environment, copy_project, run, succeed
from tests.variants import variant_id

DEFAULT = "defaults"
WITH_POSTGRESQL = variant_id({"database": "postgresql"})


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


def create_user(project, env, name):
    users = "from django.contrib.auth import get_user_model as g; g().objects"
    manage(project, env, "shell", "-c", f"{users}.create_user({name!r})", check=True)


COUNT_USERS = [
    "shell",
    "-c",
    "from django.contrib.auth import get_user_model as g; print(g().objects.count())",
]


def users(project, env):
    # The last line: the shell first says what it imported.
    return int(manage(project, env, *COUNT_USERS, check=True).stdout.split()[-1])


def test_a_lost_sqlite_database_comes_back_from_its_backup(baked_projects, tmp_path):
    project = copy_project(baked_projects(DEFAULT).project_path, tmp_path / "project")
    env = environment(project, tmp_path, DJANGO_BACKUP_KEEP="2")
    manage(project, env, "migrate", "--noinput", check=True)
    create_user(project, env, "ada")
    assert users(project, env) == 1

    for _ in range(3):
        manage(project, env, "backup_database", check=True)
    backups = sorted((tmp_path / "backups").iterdir())
    assert len(backups) == 2

    for path in tmp_path.glob("db.sqlite3*"):
        path.unlink()
    manage(project, env, "restore_database", backups[-1], "--no-input", check=True)
    assert users(project, env) == 1


def the_only_backup(env):
    (backup,) = Path(env["DJANGO_BACKUP_DIR"]).iterdir()
    return backup


def another_release(project, directory):
    """A copy of the project with a change of code, and none of its migrations."""
    release = copy_project(project, directory)
    views = release / release.name / "pages" / "views.py"
    views.write_text(views.read_text() + '\n\nRELEASE = "next"\n')
    return release


def backed_up(baked_projects, variant, tmp_path, **extra):
    """A copy of a variant's project, migrated, with Ada in it, and backed up once."""
    project = copy_project(baked_projects(variant).project_path, tmp_path / "project")
    env = environment(project, tmp_path, **extra)
    manage(project, env, "migrate", "--noinput", check=True)
    create_user(project, env, "ada")
    manage(project, env, "backup_database", check=True)
    return project, env


def test_a_lost_postgresql_database_comes_back_from_its_backup(
    baked_projects, postgresql_server, tmp_path
):
    database = postgresql_server.create_database("backup_round_trip")
    project, env = backed_up(baked_projects, WITH_POSTGRESQL, tmp_path, DATABASE_URL=database)

    # Lost: the database dropped, with its sessions, and made again empty.
    with psycopg.connect(postgresql_server.url(), autocommit=True) as connection:
        connection.execute('DROP DATABASE "backup_round_trip" WITH (FORCE)')
        connection.execute('CREATE DATABASE "backup_round_trip"')
    assert 'relation "users_user" does not exist' in manage(project, env, *COUNT_USERS).stderr

    manage(project, env, "restore_database", the_only_backup(env), "--no-input", check=True)
    assert users(project, env) == 1


def test_a_postgresql_backup_restores_into_a_fresh_database_for_another_release(
    baked_projects, postgresql_server, tmp_path
):
    database = postgresql_server.create_database("backup_old_release")
    project, env = backed_up(baked_projects, WITH_POSTGRESQL, tmp_path, DATABASE_URL=database)

    release = another_release(project, tmp_path / "release")
    fresh = {**env, "DATABASE_URL": postgresql_server.create_database("backup_new_release")}
    manage(release, fresh, "restore_database", the_only_backup(env), "--no-input", check=True)
    assert users(release, fresh) == 1
    manage(release, fresh, "migrate", "--check", check=True)


def test_a_sqlite_backup_restores_into_a_fresh_database_for_another_release(
    baked_projects, tmp_path
):
    project, env = backed_up(baked_projects, DEFAULT, tmp_path)

    release = another_release(project, tmp_path / "release")
    fresh = {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}
    manage(release, fresh, "restore_database", the_only_backup(env), "--no-input", check=True)
    assert users(release, fresh) == 1
    manage(release, fresh, "migrate", "--check", check=True)


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
