"""Bake time: the whole ``cookiecutter --no-input`` process, against the floor and startproject.

    .venv/bin/python bench/bake.py [--quick]

The floor is the same command on a trivial one-file template: what cookiecutter
itself costs. Each row is the median of several runs after a warm-up run.
"""

import shutil
from pathlib import Path

from support import BIN, QUICK, TEMPLATE, median_seconds, print_table, scratch

RUNS = 1 if QUICK else 7
LARGEST = ["database=postgresql", "use_redis=yes", "use_channels=yes", "use_docker=yes"]


def main():
    with scratch() as temporary:
        directory = Path(temporary)
        floor = directory / "floor"
        (floor / "{{cookiecutter.name}}").mkdir(parents=True)
        (floor / "cookiecutter.json").write_text('{"name": "trivial"}\n')
        (floor / "{{cookiecutter.name}}" / "README.md").write_text("# {{ cookiecutter.name }}\n")
        output = directory / "output"

        def clean_output():
            shutil.rmtree(output, ignore_errors=True)

        cookiecutter = [BIN / "cookiecutter", "--no-input", "-o", output]
        commands = {
            "floor: cookiecutter on a one-file template": [*cookiecutter, floor],
            "this template, default answers": [*cookiecutter, TEMPLATE],
            "this template, largest variant": [*cookiecutter, TEMPLATE, *LARGEST],
            "django-admin startproject": [BIN / "django-admin", "startproject", "bare", output],
        }
        seconds = {}
        for name, command in commands.items():
            before = clean_output if "startproject" not in name else make_empty(output)
            seconds[name] = median_seconds(command, RUNS, before_each=before)

    floor_seconds = seconds["floor: cookiecutter on a one-file template"]
    print_table(
        f"Bake (median of {RUNS} after a warm-up)",
        ["command", "seconds", "÷ floor"],
        [
            [name, f"{value:.3f}", f"{value / floor_seconds:.2f}"]
            for name, value in seconds.items()
        ],
    )
    default = seconds["this template, default answers"] / floor_seconds
    print_table(
        "Target", ["ratio", "value", "target"], [["default ÷ floor", f"{default:.2f}", "≤ 1.5"]]
    )


def make_empty(directory):
    """startproject wants its target directory to exist, and empty."""

    def before():
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir()

    return before


if __name__ == "__main__":
    main()
