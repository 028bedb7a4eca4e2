"""The template's own test suite: its wall time, and where the time goes.

    .venv/bin/python bench/suite.py [--quick]

It runs the suite as the README does (parallel, every variant) and sums each
test's time (setup, call and teardown) into groups. The group sums are worker
time: with two workers they add up to about twice the wall time. --quick runs
only the default variant's proofs, to show that the script works.
"""

import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict

from support import BIN, QUICK, TEMPLATE, print_table, scratch

GROUPS = [
    ("baked projects' own suites", ["test_the_projects_own_suite_passes"]),
    (
        "server proofs: scale-out, faults, browser, fresh venv",
        ["test_scale_out", "test_faults", "test_browser", "test_fresh_machine"],
    ),
    ("bake and static proofs per variant", ["test_variants", "test_shipping"]),
    ("generation: answers, prompts, scripted runs, updates", ["tests."]),
]


def group_of(classname, name):
    for group, markers in GROUPS:
        if any(marker in f"{classname}.{name}" for marker in markers):
            return group
    return "other"


def main():
    selection = ["tests/test_variants.py", "-k", "defaults"] if QUICK else []
    with scratch() as temporary:
        report = f"{temporary}/report.xml"
        started = time.perf_counter()
        finished = subprocess.run(
            [BIN / "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}", *selection],
            cwd=TEMPLATE,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
        if finished.returncode != 0:
            sys.exit(finished.stdout[-3000:] + finished.stderr[-2000:])
        seconds = defaultdict(float)
        counts = defaultdict(int)
        for case in ET.parse(report).getroot().iter("testcase"):
            group = group_of(case.get("classname"), case.get("name"))
            seconds[group] += float(case.get("time"))
            counts[group] += 1

    rows = [
        [group, counts[group], f"{seconds[group]:.0f}"] for group, _ in GROUPS if counts[group]
    ]
    rows.append(["wall time of the whole run", sum(counts.values()), f"{wall:.0f}"])
    print_table(
        "Template test suite" + (" (quick: default variant only)" if QUICK else ""),
        ["part", "tests", "seconds"],
        rows,
    )


if __name__ == "__main__":
    main()
