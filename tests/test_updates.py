"""A generated project takes later template improvements with cruft, keeping its own edits."""

import json
import shutil

from tests.conftest import BIN, clean_environment, succeed
from tests.variants import TEMPLATE

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def commit_all(directory, message, env):
    succeed(["git", "add", "--all"], directory, env)
    succeed(["git", "commit", "--quiet", "--message", message], directory, env)


def test_cruft_update_brings_a_template_change_and_keeps_the_projects_edits(tmp_path):
    env = {**clean_environment(), **GIT_IDENTITY, "HOME": str(tmp_path)}
    template = tmp_path / "template"
    shutil.copytree(
        TEMPLATE,
        template,
        ignore=shutil.ignore_patterns(".git", ".venv", "__pycache__", ".*_cache"),
    )
    succeed(["git", "init", "--quiet", "--initial-branch=main"], template, env)
    commit_all(template, "The template as released", env)

    succeed(
        [
            BIN / "cruft",
            "create",
            "--no-input",
            "--skip",
            ".env",
            "--output-dir",
            tmp_path,
            template,
        ],
        tmp_path,
        env,
    )
    project = tmp_path / "my_project"
    assert json.loads((project / ".cruft.json").read_text())["skip"] == [".env"]
    succeed(["git", "init", "--quiet", "--initial-branch=main"], project, env)
    commit_all(project, "Generated", env)
    urls = project / "my_project" / "urls.py"
    urls.write_text(urls.read_text() + "\n# The team's own edit.\n")
    commit_all(project, "The team's edit", env)

    generated_readme = template / "{{cookiecutter.project_slug}}" / "README.md"
    generated_readme.write_text(generated_readme.read_text() + "\n## Improved by the template\n")
    commit_all(template, "An improvement", env)

    succeed([BIN / "cruft", "update", "--skip-apply-ask"], project, env)

    assert "## Improved by the template" in (project / "README.md").read_text()
    assert "# The team's own edit." in urls.read_text()
    assert (project / ".env").read_text().startswith("DJANGO_SECRET_KEY=")
