"""What a team ships the same day: container, CI workflow and pre-commit, proven per variant.

No Docker engine and no hook repository can be reached here, so the proofs are
static but strict: hadolint, the official schemas, pre-commit's own validation,
zizmor's offline audits, and the hooks' tools, installed from PyPI, run on every
generated file.
"""

import os
import re

import pytest
import yaml

from tests.conftest import BIN, clean_environment, run, succeed
from tests.variants import QUESTIONS, VARIANTS

CONTAINER_FILES = ["Dockerfile", ".dockerignore", "compose.yaml"]
# What only a daphne process of compose.yaml is given: its port, and its drain flag.
WEB_ONLY = {"PORT", "DJANGO_DRAIN_FILE"}
WORKFLOWS = {"github": ".github/workflows/ci.yml", "gitlab": ".gitlab-ci.yml"}
SCHEMAS = {"github": "vendor.github-workflows", "gitlab": "vendor.gitlab-ci"}


def answer(variant, question):
    """A variant's answer to a question, or the question's default."""
    default = QUESTIONS[question]
    return VARIANTS[variant].get(question, default[0] if isinstance(default, list) else default)


WITH_CONTAINER = [variant for variant in VARIANTS if answer(variant, "use_docker")]
WITH_GITHUB = [variant for variant in VARIANTS if answer(variant, "ci") == "github"]
WITH_CI = [variant for variant in VARIANTS if answer(variant, "ci") != "none"]


def documented_variables(project):
    """The variables that .env.example documents, set or commented out."""
    text = (project / ".env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))


def test_container_files_exist_only_when_chosen(baked, variant):
    present = [name for name in CONTAINER_FILES if (baked / name).exists()]
    assert present == (CONTAINER_FILES if answer(variant, "use_docker") else [])


@pytest.mark.parametrize("variant", WITH_CONTAINER)
def test_dockerfile_passes_hadolint_without_a_finding(baked, variant):
    finished = succeed([BIN / "hadolint", "--no-color", "Dockerfile"], cwd=baked)
    assert finished.stdout == ""


# The PostgreSQL client that each Debian release of the python image installs.
DEBIAN_POSTGRESQL_CLIENT = {"bookworm": 15, "trixie": 17}
WITH_POSTGRESQL_CONTAINER = [
    variant for variant in WITH_CONTAINER if answer(variant, "database") == "postgresql"
]


@pytest.mark.parametrize("variant", WITH_POSTGRESQL_CONTAINER)
def test_the_image_s_pg_dump_is_not_older_than_compose_s_postgresql(baked, variant):
    # pg_dump refuses to dump a server newer than itself.
    releases = set(
        re.findall(r"^FROM python:[\d.]+-slim-(\w+)", (baked / "Dockerfile").read_text(), re.M)
    )
    server = yaml.safe_load((baked / "compose.yaml").read_text())["services"]["db"]["image"]
    (release,) = releases
    assert DEBIAN_POSTGRESQL_CLIENT[release] >= int(server.removeprefix("postgres:"))


@pytest.mark.parametrize("variant", WITH_CONTAINER)
def test_compose_file_follows_the_compose_specification(baked, variant):
    schema = "vendor.compose-spec"
    succeed([BIN / "check-jsonschema", "--builtin-schema", schema, "compose.yaml"], cwd=baked)


@pytest.mark.parametrize("variant", WITH_CONTAINER)
def test_compose_services_and_variables_match_the_project(baked, variant):
    compose = yaml.safe_load((baked / "compose.yaml").read_text())
    web = compose["services"]["web"]["environment"]
    # Two daphne processes on the loopback of the proxy's network, as in deploy/nginx.conf.
    expected_services = {"proxy", "web", "web-2", "migrate", "backup"}
    for name, port in [("web", "8001"), ("web-2", "8002")]:
        assert compose["services"][name]["network_mode"] == "service:proxy"
        assert compose["services"][name]["environment"]["PORT"] == port
        assert f"server 127.0.0.1:{port} " in (baked / "deploy" / "nginx.conf").read_text()
    if answer(variant, "database") == "postgresql":
        expected_services.add("db")
        assert "@db:5432/" in web["DATABASE_URL"]
        # No password of its own: compose must be given one (generation writes it to .env).
        required = "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"
        assert compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"] == required
        assert web["DATABASE_URL"].startswith(f"postgres://{baked.name}:{required}@db:")
    if answer(variant, "use_redis"):
        expected_services.add("redis")
        assert web["REDIS_URL"].startswith("redis://redis:")
    if answer(variant, "use_tasks"):
        expected_services.add("worker")
        worker = compose["services"]["worker"]
        # The lost tasks of this worker's id go back to the queue before it starts.
        shell, flag, script = worker["command"]
        assert [shell, flag] == ["sh", "-c"]
        requeue, start = script.split(" && ")
        assert requeue == 'python manage.py requeue_stale_tasks --worker-id "$$HOSTNAME"'
        assert start == 'exec python manage.py db_worker --interval 0.1 --worker-id "$$HOSTNAME"'
        shared = {name: value for name, value in web.items() if name not in WEB_ONLY}
        assert worker["environment"] == {
            **shared,
            "DJANGO_SETTINGS_MODULE": f"{baked.name}.settings.prod",
        }

    assert set(compose["services"]) == expected_services
    assert set(web) <= documented_variables(baked)


def test_ci_workflow_is_the_chosen_one_and_follows_its_schema(baked, variant):
    chosen = answer(variant, "ci")
    present = [name for name, path in WORKFLOWS.items() if (baked / path).exists()]
    assert present == ([] if chosen == "none" else [chosen])
    if chosen == "none":
        return
    workflow = WORKFLOWS[chosen]
    succeed([BIN / "check-jsonschema", "--builtin-schema", SCHEMAS[chosen], workflow], cwd=baked)
    text = (baked / workflow).read_text()
    assert "check --deploy --fail-level WARNING" in text
    assert ("postgres:" in text) == (answer(variant, "database") == "postgresql")
    assert ("redis:" in text) == bool(answer(variant, "use_redis"))


@pytest.mark.parametrize("variant", WITH_GITHUB)
def test_github_workflow_passes_zizmor_without_a_finding(baked, variant):
    # Offline, with the project's own .github/zizmor.yml, on everything zizmor audits.
    finished = succeed([BIN / "zizmor", "--offline", "--no-progress", "."], cwd=baked)
    assert "No findings to report" in finished.stdout


def test_pre_commit_config_is_valid(baked):
    succeed([BIN / "pre-commit", "validate-config", ".pre-commit-config.yaml"], cwd=baked)


def test_the_project_already_passes_its_pre_commit_hooks(baked):
    # Not what git ignores, which pre-commit never sees: the secrets and the built stylesheet.
    built = baked / baked.name / "pages" / "static" / "css" / "site.css"
    files = [
        str(path.relative_to(baked))
        for path in sorted(baked.rglob("*"))
        if path.is_file()
        and path.name != ".env"
        and path != built
        and "__pycache__" not in path.parts
    ]
    python = [name for name in files if name.endswith(".py")]
    yaml_files = [name for name in files if name.endswith((".yml", ".yaml"))]
    toml_files = [name for name in files if name.endswith(".toml")]
    config = yaml.safe_load((baked / ".pre-commit-config.yaml").read_text())
    upgrade = next(repo for repo in config["repos"] if "django-upgrade" in repo["repo"])
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}

    succeed([BIN / "trailing-whitespace-fixer", *files], cwd=baked)
    succeed([BIN / "end-of-file-fixer", *files], cwd=baked)
    succeed([BIN / "check-yaml", *hooks["check-yaml"]["args"], *yaml_files], cwd=baked)
    succeed([BIN / "check-toml", *toml_files], cwd=baked)
    succeed([BIN / "django-upgrade", "--check", *upgrade["hooks"][0]["args"], *python], cwd=baked)


def test_pre_commit_pins_the_tool_versions_the_template_is_checked_with(baked):
    config = yaml.safe_load((baked / ".pre-commit-config.yaml").read_text())
    # The local mypy hook has no revision: it runs the venv's mypy (pyproject.toml pins it).
    revisions = {
        repo["repo"].rsplit("/", 1)[1]: repo["rev"]
        for repo in config["repos"]
        if repo["repo"] != "local"
    }
    versions = {
        name: run([BIN / tool, "--version"], cwd=baked).stdout.split()[-1]
        for name, tool in [("django-upgrade", "django-upgrade"), ("ruff-pre-commit", "ruff")]
    }

    assert revisions["django-upgrade"] == versions["django-upgrade"]
    assert revisions["ruff-pre-commit"] == "v" + versions["ruff-pre-commit"]


def test_every_production_daphne_runs_as_the_json_log_proof_runs_it(baked):
    # The project's test_every_line_daphne_prints_in_production_is_a_json_object runs
    # daphne with no access log; each deploy target must start it the same way.
    proof = (baked / "tests" / "conftest.py").read_text()
    assert '"-m", "daphne", "--access-log", "/dev/null")' in proof
    deploy_files = [baked / "Dockerfile", baked / "compose.yaml"]
    deploy_files += (baked / "deploy" / "systemd").glob("*-web@.service")
    starts = [
        line
        for path in deploy_files
        if path.exists()
        for line in path.read_text().splitlines()
        if re.search(r"\bdaphne -|bin/daphne ", line) and not line.lstrip().startswith("#")
    ]
    assert starts
    assert [line for line in starts if "daphne --access-log /dev/null " not in line] == []


# The current major of each action the GitHub workflow uses (their release notes,
# 2026-07: checkout v7 and setup-python v7 run on Node 24).
CURRENT_MAJORS = {"actions/checkout": 7, "actions/setup-python": 7}
AUDIT = re.compile(r"pip-audit\" --skip-editable --path .+|pip-audit --skip-editable --path .+")


@pytest.mark.parametrize("variant", WITH_GITHUB)
def test_the_github_workflow_uses_the_current_major_of_each_action(baked, variant):
    text = (baked / WORKFLOWS["github"]).read_text()
    used = dict(re.findall(r"uses: ([\w-]+/[\w-]+)@v(\d+)", text))

    assert {action: int(major) for action, major in used.items()} == CURRENT_MAJORS


def test_dependency_updates_come_from_the_chosen_ci_service(baked, variant):
    chosen = answer(variant, "ci")
    dependabot, renovate = baked / ".github" / "dependabot.yml", baked / "renovate.json"
    assert (dependabot.exists(), renovate.exists()) == (chosen == "github", chosen == "gitlab")
    if chosen == "github":
        succeed(
            [BIN / "check-jsonschema", "--builtin-schema", "vendor.dependabot", dependabot], baked
        )
        ecosystems = {
            update["package-ecosystem"]
            for update in yaml.safe_load(dependabot.read_text())["updates"]
        }
        expected = {"uv", "github-actions"} | (
            {"docker"} if answer(variant, "use_docker") else set()
        )
        assert ecosystems == expected
    if chosen == "gitlab":
        succeed([BIN / "check-jsonschema", "--builtin-schema", "vendor.renovate", renovate], baked)


@pytest.mark.parametrize("variant", WITH_CI)
def test_the_ci_dependency_audit_runs_as_written_short_of_the_network(baked, variant):
    # The advisory database needs the network, which CI has and this machine has not: the
    # step's own command runs here as a dry run, against this venv's packages.
    text = (baked / WORKFLOWS[answer(variant, "ci")]).read_text()
    command = AUDIT.search(text).group(0).removeprefix('pip-audit"').removeprefix("pip-audit")
    env = {**clean_environment(), "PATH": f"{BIN}:{os.environ['PATH']}"}

    finished = succeed(["bash", "-c", f"{BIN / 'pip-audit'} {command} --dry-run"], baked, env)

    assert "Dry run: would have audited" in finished.stdout + finished.stderr
