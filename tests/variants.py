"""The one list of variants that every baking test runs on.

It is derived from cookiecutter.json, so a new option is covered as soon as it
is added: the defaults, then every other value of each choice (and the opposite
of each yes/no answer) alone. COMBINATIONS adds the pairs of answers that act
on each other, and AWKWARD the answers that are legal but hard on templates.
"""

import itertools
import json
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent
QUESTIONS = json.loads((TEMPLATE / "cookiecutter.json").read_text())

# Answers that change the same files (settings, asgi.py, pyproject.toml), so each
# pair is proven together, and all three at once: the scale-out set-up.
SERVICES = {"database": "postgresql", "use_redis": True, "use_channels": True}
COMBINATIONS = [
    *(dict(pair) for pair in itertools.combinations(SERVICES.items(), 2)),
    SERVICES,
    # The other CI service definitions, and a container with PostgreSQL; email sign-in
    # there is the only place its LOWER(email) index is proven with EXPLAIN.
    {"ci": "gitlab", "database": "postgresql", "use_redis": True, "username_type": "email"},
    # The richest Kubernetes manifests: web that scales, worker Deployment, migrations Job.
    {"use_kubernetes": True, **SERVICES},
]

# Legal answers that would break a careless template: quotes, backslashes,
# markup characters and letters beyond ASCII, in every free-text answer.
AWKWARD = {
    "project_name": 'Café "Zoë" <Ünïcode> & \\ Co',
    "project_slug": "cafe_zoe",
    "description": "Quotes \" ' <b>markup</b> & a backslash \\",
    "author_name": 'Seán O\'Brien-Ñúñez "Bob"',
    "timezone": "America/Argentina/Buenos_Aires",
}


def single_option_changes():
    """Every non-default value of every question, one at a time."""
    for name, default in QUESTIONS.items():
        if name.startswith("_"):
            continue
        if isinstance(default, list):
            for value in default[1:]:
                yield {name: value}
        elif isinstance(default, bool):
            yield {name: not default}


def variant_id(answers):
    if not answers:
        return "defaults"
    return ",".join(f"{name}={value}" for name, value in answers.items())


VARIANTS = {
    variant_id(answers): answers for answers in [{}, *single_option_changes(), *COMBINATIONS]
}
VARIANTS["awkward"] = AWKWARD

# Answers that change how a project is packaged and shipped, not the code that runs:
# variants that differ only in these run the same package, templates and settings.
PACKAGING_QUESTIONS = {"python_version", "license", "use_docker", "ci", "use_kubernetes"}


def runtime_class(variant):
    """The id of the variants that run the same code as this one: its answers, less packaging."""
    answers = VARIANTS[variant]
    runtime = {name: value for name, value in answers.items() if name not in PACKAGING_QUESTIONS}
    return variant if runtime == answers else variant_id(runtime)
