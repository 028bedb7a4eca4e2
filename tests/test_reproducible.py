"""The same answers give the same project; only the generated secret differs."""

from tests.conftest import project_files
from tests.variants import VARIANTS


def test_two_bakes_with_the_same_answers_differ_only_in_the_secret(cookies):
    first, second = (cookies.bake(extra_context=VARIANTS["defaults"]) for _ in range(2))
    one, other = project_files(first.project_path), project_files(second.project_path)

    assert one.keys() == other.keys()
    assert [name for name in one if one[name] != other[name]] == [".env"]
    assert one[".env"].startswith(b"DJANGO_SECRET_KEY=")
    assert other[".env"].startswith(b"DJANGO_SECRET_KEY=")


def test_the_secret_key_is_long_url_safe_and_kept_out_of_git(cookies):
    project = cookies.bake().project_path

    key = (project / ".env").read_text().removeprefix("DJANGO_SECRET_KEY=").strip()

    assert len(key) >= 50
    assert set(key) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert ".env" in (project / ".gitignore").read_text().splitlines()
    assert (project / ".env").stat().st_mode & 0o077 == 0
