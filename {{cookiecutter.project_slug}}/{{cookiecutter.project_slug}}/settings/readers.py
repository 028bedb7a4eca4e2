"""The readers that the settings read the environment with: strict, one line per mistake.

Each reads one variable through django-environ, from the process environment or
the optional ``.env`` file at the project root (which never overrides a variable
already set), or from the file that ``NAME_FILE`` names (a Docker or Kubernetes
secret). A value that is missing or malformed stops start-up with one line that
names the variable and the rule, never the value of a secret.

Plumbing: the settings modules beside this one are the declarations to edit.

See https://django-environ.readthedocs.io/en/latest/
"""

import ipaddress
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


def given(name: str) -> str:
    """The variable that holds a setting's value: NAME, or NAME_FILE when that is set."""
    return f"{name}_FILE" if os.environ.get(f"{name}_FILE") else name


def invalid(name: str, rule: str, value: str) -> ImproperlyConfigured:
    """The one-line error for a malformed value; never pass it a secret's value."""
    shown = value if len(value) <= 40 else value[:40] + "..."
    return ImproperlyConfigured(f"{given(name)} must {rule}, not {shown!r}")


class SecretFiles(environ.FileAwareMapping):
    """The environment, where NAME_FILE (a Docker or Kubernetes secret) stands for NAME.

    A file written by ``echo`` ends in a newline that is no part of the value, and
    a path that cannot be read is reported as the variable that names it.
    """

    def __getitem__(self, key: str) -> str:
        path = self.env.get(f"{key}_FILE")
        try:
            value: str = super().__getitem__(key)
        except (OSError, UnicodeError) as error:
            reason = "not UTF-8 text" if isinstance(error, UnicodeError) else error.strerror
            raise invalid(key, f"name a readable file ({reason})", path) from None
        return value.rstrip("\r\n") if path else value


class FileAwareEnv(environ.FileAwareEnv):
    ENVIRON = SecretFiles()


env = FileAwareEnv()
# Servers usually have no .env, and django-environ would log that it found none.
if (PROJECT_ROOT / ".env").is_file():
    FileAwareEnv.read_env(PROJECT_ROOT / ".env", overwrite=False)


def env_bool(name: str, default: bool) -> bool:
    """A true/false variable, refusing anything else instead of guessing."""
    value = env.str(name, default=str(default)).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise invalid(name, "be true or false", value)


def env_int(name: str, default: int) -> int:
    """A whole number, naming the variable when the value is not one."""
    value = env.str(name, default=str(default)).strip()
    try:
        return int(value)
    except ValueError:
        raise invalid(name, "be a whole number", value) from None


def env_positive_int(name: str, default: int) -> int:
    """A whole number of at least 1: zero or less would turn a limit off unseen."""
    value = env_int(name, default)
    if value < 1:
        raise invalid(name, "be at least 1", str(value))
    return value


def env_list(name: str, default: str = env.NOTSET) -> list[str]:
    """A comma-separated list; spaces around the commas are no part of the items."""
    value: str = env.str(name, default=default)
    items = [item.strip() for item in value.split(",") if item.strip()]
    if any(char.isspace() for item in items for char in item):
        raise invalid(name, "be a comma-separated list", value)
    return items


def env_hosts(name: str) -> list[str]:
    """A required comma-separated list of host names: production must name at least one."""
    hosts = env_list(name)
    if not hosts:
        raise ImproperlyConfigured(f"{given(name)} must name at least one host")
    return hosts


def env_url(
    name: str,
    default: str,
    schemes: Sequence[str],
    parse: Callable[[str], dict[str, Any]],
) -> dict[str, Any]:
    """A service URL, parsed by django-environ's parser, e.g. ``env.db_url_config``.

    A scheme with no backend in this project, or a URL that does not parse, stops
    start-up here instead of in a traceback from the backend.
    """
    value: str = env.str(name, default=default)
    try:
        if urlsplit(value).scheme in schemes:
            return parse(value)
    except ValueError:
        pass
    *others, last = [f"{scheme}://" for scheme in schemes]
    expected = f"{', '.join(others)} or {last}" if others else last
    # The password of a URL is a secret: it never reaches the error.
    raise invalid(name, f"be a valid {expected} URL", re.sub(r":[^:/@]*@", ":***@", value))


def env_url_path(name: str, default: str) -> str:
    """A path for a URLconf: relative, ending in '/', as ``path()`` takes it."""
    value: str = env.str(name, default=default)
    if not value.endswith("/") or value.startswith("/"):
        raise invalid(name, "be a relative path ending in '/'", value)
    return value


def env_secret_key(name: str, production: bool) -> str:
    """The secret key; what is wrong with it is named, the key itself never shown.

    An empty key is refused everywhere: Django would start, then fail every request.
    Production also refuses what the deploy check calls weak (security.W009: fewer
    than 50 characters or 5 different ones, or startproject's "django-insecure-"),
    and placeholders: https://docs.djangoproject.com/en/6.1/ref/checks/#security
    """
    key: str = env.str(name)
    if not key:
        rule = "not be empty"
    elif not production:
        return key
    elif any(placeholder in key.lower() for placeholder in ("change", "django-insecure-")):
        rule = "be random in production, not a placeholder"
    elif len(key) < 50:
        rule = "be at least 50 characters long in production"
    elif len(set(key)) < 5:
        rule = "have at least 5 different characters in production"
    else:
        return key
    generate = "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    raise ImproperlyConfigured(f"{given(name)} must {rule}; generate one with: {generate}")


def env_choice(name: str, default: str, choices: Sequence[str]) -> str:
    """One of a few words, in any case, naming them all when the value is another."""
    value: str = env.str(name, default=default).strip().lower()
    if value not in choices:
        *others, last = choices
        raise invalid(name, f"be {', '.join(others)} or {last}", value)
    return value


def env_log_level(name: str, default: str) -> str:
    """A logging level name, in any case."""
    value: str = env.str(name, default=default).strip().upper()
    if value not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise invalid(name, "be DEBUG, INFO, WARNING, ERROR or CRITICAL", value)
    return value


def env_networks(name: str, default: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Comma-separated IP addresses or networks (CIDR), naming the variable if one is not."""
    networks = []
    for item in env_list(name, default=default):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise invalid(name, "list IP addresses or networks", item) from None
    return networks
