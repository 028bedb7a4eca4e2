"""Cold start: management commands under the production settings, against the bare project.

    .venv/bin/python bench/cold_start.py [--quick]

``manage.py check`` and ``migrate --check`` are what a deploy and a container's
start run first. Each row is the median of several runs after a warm-up.
"""

import subprocess
import sys
from pathlib import Path

from support import BIN, QUICK, bake, manage, median_seconds, print_table, scratch

RUNS = 1 if QUICK else 7


def main():
    with scratch() as temporary:
        directory = Path(temporary)
        generated = bake(directory / "generated")
        env = {
            "PATH": f"{BIN}:/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": f"{generated.name}.settings.prod",
            "DJANGO_SECRET_KEY": "bench-only-" + "c" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{directory / 'generated.sqlite3'}",
        }
        bare = directory / "bare"
        bare.mkdir()
        subprocess.run([BIN / "django-admin", "startproject", "bare", bare], check=True)
        bare_env = {"PATH": env["PATH"]}
        manage(generated, env, "migrate", "--noinput")
        manage(bare, bare_env, "migrate", "--noinput")

        rows = []
        for command in (["check"], ["migrate", "--check"]):
            ours = median_seconds([sys.executable, "manage.py", *command], RUNS, generated, env)
            theirs = median_seconds([sys.executable, "manage.py", *command], RUNS, bare, bare_env)
            rows.append(
                [" ".join(command), f"{ours:.3f}", f"{theirs:.3f}", f"{ours / theirs:.2f}"]
            )

    print_table(
        f"Cold start, production settings (median of {RUNS} after a warm-up)",
        ["manage.py", "generated s", "bare startproject s", "ratio (target ≤ 1.1)"],
        rows,
    )


if __name__ == "__main__":
    main()
