"""The stylesheet: its size as served, its build time, and what the Tailwind CLI costs uv sync.

    .venv/bin/python bench/styles.py [--quick]

The default project and the largest variant are baked with their templates as they
are; `manage.py build_css` builds each. Sizes are the minified file, and gzip at
level 9 as ServeStatic writes it (brotli too when the brotli module is installed).
Build times are medians after a warm-up: the CLI alone, and `manage.py build_css`
(Django's start included), which collectstatic runs first. The install rows are
`uv sync` from a warm cache into a new .venv, of the project and of a copy whose dev
group leaves the css group out: the price of the wheel on a new user's first page.
Sizes are the files' apparent sizes (uv links them from its cache where it can).
"""

import gzip
import os
import shutil
import sys
from pathlib import Path

from support import BIN, QUICK, bake, median_seconds, print_table, scratch

RUNS = 1 if QUICK else 7
PYTHON = getattr(sys, "_base_executable", sys.executable)
VARIANTS = {
    "default": [],
    "largest": ["database=postgresql", "use_redis=yes", "use_channels=yes"],
}


def compressed_sizes(data):
    sizes = {"gzip": len(gzip.compress(data, compresslevel=9))}
    try:
        import brotli
    except ImportError:
        sizes["brotli"] = None
    else:
        sizes["brotli"] = len(brotli.compress(data))
    return sizes


def tree_bytes(path):
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def uv_environment():
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "VIRTUAL_ENV", "UV_"))
    }
    return {**env, "UV_PYTHON_DOWNLOADS": "never"}


def main():
    size_rows, time_rows = [], []
    with scratch() as temporary:
        directory = Path(temporary)
        for name, answers in VARIANTS.items():
            project = bake(directory / name, *answers)
            stylesheet = project / project.name / "pages" / "static" / "css" / "site.css"
            build_css = [sys.executable, "manage.py", "build_css"]
            cli = [
                BIN / "tailwindcss",
                "--input",
                project / project.name / "pages" / "styles" / "site.css",
                "--output",
                stylesheet,
                "--minify",
            ]
            cli_seconds = median_seconds(cli, RUNS, cwd=project)
            manage_seconds = median_seconds(build_css, RUNS, cwd=project)
            data = stylesheet.read_bytes()
            sizes = compressed_sizes(data)
            brotli = "not installed" if sizes["brotli"] is None else f"{sizes['brotli']:,}"
            size_rows.append([name, f"{len(data):,}", f"{sizes['gzip']:,}", brotli])
            time_rows.append([name, f"{cli_seconds * 1000:.0f}", f"{manage_seconds * 1000:.0f}"])

        # The same project, and a copy whose dev group leaves the css group out.
        project = directory / "default" / "my_project"
        without = directory / "without" / "my_project"
        shutil.copytree(project, without)
        pyproject = without / "pyproject.toml"
        pyproject.write_text(pyproject.read_text().replace('    {include-group = "css"},\n', ""))
        env = uv_environment()
        install = {}
        for label, place in [("with", project), ("without", without)]:
            sync = [BIN / "uv", "sync", "-q", "--python", PYTHON]

            def new_venv(place=place):
                shutil.rmtree(place / ".venv", ignore_errors=True)

            seconds = median_seconds(sync, RUNS, cwd=place, env=env, before_each=new_venv)
            install[label] = (seconds, tree_bytes(place / ".venv"))
        assert (project / ".venv" / "bin" / "tailwindcss").exists()
        assert not (without / ".venv" / "bin" / "tailwindcss").exists()

    print_table(
        "The built stylesheet (bytes)",
        ["project", "minified", "gzip -9", "brotli"],
        size_rows,
    )
    print_table(
        f"Building it (ms, median of {RUNS} after a warm-up)",
        ["project", "tailwindcss CLI", "manage.py build_css"],
        time_rows,
    )
    (with_seconds, with_bytes), (without_seconds, without_bytes) = install.values()
    print_table(
        f"uv sync from a warm cache into a new .venv (median of {RUNS})",
        ["install", "s", ".venv MB"],
        [
            ["dev group with the css group", f"{with_seconds:.2f}", f"{with_bytes / 1e6:.0f}"],
            ["dev group without it", f"{without_seconds:.2f}", f"{without_bytes / 1e6:.0f}"],
            [
                "the css group's cost",
                f"{with_seconds - without_seconds:+.2f}",
                f"{(with_bytes - without_bytes) / 1e6:+.0f}",
            ],
        ],
    )


if __name__ == "__main__":
    main()
