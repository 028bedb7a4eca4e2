"""The CPU that one sign-in's password costs: Django's PBKDF2 against its Argon2 hasher.

    .venv/bin/python bench/passwords.py [--quick]

Each hasher at Django's own defaults (PBKDF2-SHA256 with Django's iterations;
Argon2id with Django's time_cost, memory_cost and parallelism, through
argon2-cffi). ``check_password`` is what every sign-in pays, ``make_password``
what sign-up, a reset and a hasher upgrade pay. CPU is the process's (all of
Argon2's threads), wall time what the person waits; each figure is the median
of its runs, after one warm-up.

"Comparable strength": OWASP's password storage guidance puts PBKDF2-SHA256 at
600,000 iterations on a par with Argon2id at 19 MiB, 2 passes, 1 lane; Django's
Argon2 defaults (100 MiB, 2 passes, 8 lanes) are above that floor, and memory-hard,
which PBKDF2 is not at any iteration count.
"""

import statistics
import sys
import time

import django
from django.conf import settings

from support import QUICK, print_table

settings.configure(
    PASSWORD_HASHERS=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]
)
django.setup()

from django.contrib.auth.hashers import (  # noqa: E402 (after settings)
    Argon2PasswordHasher,
    PBKDF2PasswordHasher,
    check_password,
    make_password,
)

PASSWORD = "correct horse battery staple"
RUNS = 3 if QUICK else 15


def measure(action):
    """Median (CPU ms, wall ms) of an action over RUNS runs, after one warm-up."""
    action()
    cpu, wall = [], []
    for _ in range(RUNS):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        action()
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started_wall) * 1000)
    return statistics.median(cpu), statistics.median(wall)


def main():
    pbkdf2, argon2 = PBKDF2PasswordHasher(), Argon2PasswordHasher()
    rows = []
    for name, hasher, parameters in [
        ("PBKDF2-SHA256", pbkdf2, f"{pbkdf2.iterations:,} iterations"),
        (
            "Argon2id",
            argon2,
            f"{argon2.memory_cost // 1024} MiB, {argon2.time_cost} passes, "
            f"{argon2.parallelism} lanes",
        ),
    ]:
        encoded = make_password(PASSWORD, hasher=hasher)
        assert check_password(PASSWORD, encoded)
        made_cpu, made_wall = measure(lambda hasher=hasher: make_password(PASSWORD, hasher=hasher))
        checked_cpu, checked_wall = measure(
            lambda encoded=encoded: check_password(PASSWORD, encoded)
        )
        rows.append(
            [
                name,
                parameters,
                f"{checked_cpu:.0f}",
                f"{checked_wall:.0f}",
                f"{made_cpu:.0f}",
                f"{made_wall:.0f}",
            ]
        )
    print_table(
        f"Password hashing, Django {django.get_version()}, median of {RUNS} (ms)",
        [
            "hasher",
            "Django's defaults",
            "check CPU",
            "check wall",
            "make CPU",
            "make wall",
        ],
        rows,
    )


if __name__ == "__main__":
    sys.exit(main())
