"""Backups of the database, and their restore: ``manage.py backup_database`` and
``manage.py restore_database FILE``.

Plumbing: each engine's own consistent copy (SQLite's online backup API, pg_dump's
custom format), written to ``DJANGO_BACKUP_DIR`` and pruned to the newest
``DJANGO_BACKUP_KEEP`` files. The project's README, "Backups", has the schedule
and the restore steps of each deploy target.
"""
