"""The home page through four designs of daphne's Django handler, in one run.

    .venv/bin/python bench/handlers.py [--quick] [--before COMMIT]

"before" is the template at COMMIT (default: the last commit before the handler
was hardened), whose home page was an async view rendering a template on the
event loop. Each row is measured as in serving.py; CPU ms per request is the
figure to compare, because it moves far less with the machine's load.
"""

import os
import subprocess
import sys
from pathlib import Path

from serving import HEADER, measure, prepare_bare, prepare_generated, table_row
from support import print_table, scratch

BEFORE = "a947633"  # the inline middleware before issue 11: async home, no safety rules
HTTPS = ("X-Forwarded-Proto: https",)
HERE = Path(__file__).resolve().parent


def template_at(commit, directory):
    """This repository's template as it was at a commit; None in a clone without it."""
    archive = subprocess.run(["git", "-C", HERE.parent, "archive", commit], capture_output=True)
    if archive.returncode:
        print(f"{commit} is not in this clone: the 'before' rows are left out")
        return None
    directory.mkdir()
    subprocess.run(["tar", "-x", "-C", directory], input=archive.stdout, check=True)
    return directory


def make_home_sync(project):
    views = project / project.name / "views.py"
    views.write_text(views.read_text().replace("async def home(", "def home("))


def main():
    before = sys.argv[sys.argv.index("--before") + 1] if "--before" in sys.argv else BEFORE
    python = sys.executable
    with scratch() as temporary:
        directory = Path(temporary)
        new, env = prepare_generated(directory / "new")
        bare_directory = directory / "bare_project"
        bare_directory.mkdir()
        bare_env = prepare_bare(bare_directory)

        daphne = [python, "-m", "daphne", "-b", "127.0.0.1", "-p", "{port}"]
        app = f"{new.name}.asgi:application"
        stock_env = {
            **env,
            "DJANGO_SETTINGS_MODULE": f"{new.name}.settings.prod",
            "PYTHONPATH": os.pathsep.join([str(new), str(HERE)]),
        }
        setups = {
            "bare startproject /hello (sync), daphne": (
                [*daphne, "bare.asgi:application"],
                "/hello",
                bare_directory,
                bare_env,
                (),
            ),
        }
        if old_template := template_at(before, directory / "old-template"):
            old, old_env = prepare_generated(directory / "old", template=old_template)
            old_sync, old_sync_env = prepare_generated(
                directory / "old-sync", template=old_template
            )
            make_home_sync(old_sync)
            old_command = [*daphne, "--proxy-headers", f"{old.name}.asgi:application"]
            setups[f"before ({before}): async home, inline middleware"] = (
                old_command,
                "/",
                old,
                old_env,
                HTTPS,
            )
            setups[f"before ({before}), home as a sync view"] = (
                old_command,
                "/",
                old_sync,
                old_sync_env,
                HTTPS,
            )
        setups |= {
            "Django's stock ASGIHandler, sync home": (
                [*daphne, "stock_asgi:application"],
                "/",
                new,
                stock_env,
                HTTPS,
            ),
            "now: sync home, inline middleware where safe": ([*daphne, app], "/", new, env, HTTPS),
        }
        rows = {
            name: measure(command, path, cwd, run_env, headers=headers)
            for name, (command, path, cwd, run_env, headers) in setups.items()
        }

    print_table(
        "Home page by handler design (same run)",
        HEADER,
        [table_row(name, figures) for name, figures in rows.items()],
    )
    bare_rate = rows["bare startproject /hello (sync), daphne"][0]
    print_table(
        "Home ÷ bare hello-world (requests/s, same run)",
        ["design", "ratio"],
        [[name, f"{figures[0] / bare_rate:.2f}"] for name, figures in list(rows.items())[1:]],
    )


if __name__ == "__main__":
    main()
