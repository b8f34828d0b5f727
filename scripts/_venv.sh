# Shared by scripts/demo and scripts/test: create .venv once and install the project into it.
# Sourced, not run. Re-running is cheap: pip skips what is already installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="${GRAPHKIT_VENV:-$ROOT/.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating virtual environment in $VENV"
  "$PYTHON" -m venv "$VENV"
fi
# shellcheck disable=SC1091
. "$VENV/bin/activate"
install_project() {  # $1: extras, e.g. "[dev]" or ""
  echo "==> installing graphkit$1 into $VENV"
  python -m pip install --quiet --upgrade pip
  python -m pip install --quiet -e "$ROOT$1"
}
