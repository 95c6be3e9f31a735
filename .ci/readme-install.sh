#!/usr/bin/env bash
# .ci/readme-install.sh: run the README's install block as it stands: the
# first ```sh block after the line `<!-- ci:readme-install ... -->`, each
# command echoed, stopping at the first that fails. .ci/fresh-root.sh runs it in
# a Debian 12 root with nothing installed, as root, so the README's PECL path
# is proven on a bare machine (PIE is not in Debian, so its path is not).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
block=$(awk '/<!-- ci:readme-install/ { want = 1; next }
             want && /^```sh/ { inside = 1; next }
             inside && /^```/ { exit }
             inside { print }' README.md)
[[ -n "$block" ]] || { echo "readme-install: no install block in README.md" >&2; exit 1; }
echo "==> readme-install: the README's install block"
bash -euxo pipefail -c "$block" </dev/null
echo "==> readme-install: ok"
