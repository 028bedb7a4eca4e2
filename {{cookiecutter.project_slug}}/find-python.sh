#!/bin/sh
# Print the path of a Python {{ cookiecutter.python_version }} or newer that really runs and can make a venv,
# or say in one line that none was found. Used as: PY=$(sh find-python.sh)
# Order: python3.13, python3.12, python3 on PATH (a pyenv shim that is not active
# fails the check), then the newest fit Python that pyenv installed.
works() {
  "$1" -c 'import ensurepip, sys; sys.exit(sys.version_info < ({{ cookiecutter.python_version | replace(".", ", ") }}))' >/dev/null 2>&1
}

for name in python3.13 python3.12 python3; do
  candidate=$(command -v "$name" 2>/dev/null) || continue
  if works "$candidate"; then
    exec "$candidate" -c 'import sys; print(sys.executable)'
  fi
done

pyenv_root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for candidate in $(ls -d "$pyenv_root"/versions/3.*/bin/python 2>/dev/null | sort -rV); do
  if works "$candidate"; then
    echo "$candidate"
    exit 0
  fi
done

echo "error: no Python {{ cookiecutter.python_version }} or newer with venv found (tried python3.13, python3.12, python3 and pyenv's versions)" >&2
exit 1
