"""The .env that the post-gen hook writes holds a secret: nobody else may ever read it."""

import sys

from tests.conftest import succeed
from tests.variants import TEMPLATE

# In a fresh interpreter, under the most permissive umask: an audit hook looks at the
# file's permissions at every audited step of the hook's writing (opening, changing
# modes...), so a file created readable by all and narrowed afterwards is caught.
WATCH_THE_WRITING = """
import os
import sys
from pathlib import Path

from hooks.post_gen_project import write_env_file

env_file = Path(sys.argv[1]) / ".env"
seen = []


def observe(event, args):
    if env_file.exists():
        seen.append(oct(env_file.stat().st_mode & 0o777))


os.umask(0)
sys.addaudithook(observe)
write_env_file(env_file.parent)
seen.append(oct(env_file.stat().st_mode & 0o777))
print(*seen)
"""


def test_the_env_file_is_never_readable_by_others_even_for_a_moment(tmp_path):
    finished = succeed([sys.executable, "-c", WATCH_THE_WRITING, str(tmp_path)], cwd=TEMPLATE)

    assert set(finished.stdout.split()) == {"0o600"}
    assert (tmp_path / ".env").read_text().startswith("DJANGO_SECRET_KEY=")


def test_an_existing_env_file_is_kept_as_it_is(tmp_path):
    (tmp_path / ".env").write_text("DJANGO_SECRET_KEY=the-team-s-own\n")

    succeed([sys.executable, "-c", WATCH_THE_WRITING, str(tmp_path)], cwd=TEMPLATE)

    assert (tmp_path / ".env").read_text() == "DJANGO_SECRET_KEY=the-team-s-own\n"
