#!/usr/bin/env bash
# Print the path of a working Python 3.10 interpreter for .venv-rasa (Rasa 3.6 needs it).
# Order: python3.10 on PATH (if it really runs), pyenv's versions/3.10*, then uv.
set -u
works() { "$1" -c 'import sys, venv; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; }

if command -v python3.10 >/dev/null 2>&1 && works python3.10; then
  command -v python3.10; exit 0
fi
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root 2>/dev/null)
  for candidate in $(ls -d "$root"/versions/3.10* 2>/dev/null | sort -V -r); do
    if works "$candidate/bin/python3.10"; then echo "$candidate/bin/python3.10"; exit 0; fi
  done
fi
for candidate in "$HOME"/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do
  if [ -x "$candidate" ] && works "$candidate"; then echo "$candidate"; exit 0; fi
done
if command -v uv >/dev/null 2>&1; then
  found=$(uv python find 3.10 2>/dev/null || { uv python install 3.10 >&2 && uv python find 3.10; })
  if [ -n "$found" ] && works "$found"; then echo "$found"; exit 0; fi
fi
# builtins only below: this must print even where PATH has nothing else
printf '%s\n' >&2 \
  "error: Rasa 3.6 needs Python 3.10 and none was found." \
  "Install one of:" \
  "  - Debian/Ubuntu: apt-get install python3.10 python3.10-venv (deadsnakes PPA on Ubuntu)" \
  "  - pyenv:         pyenv install 3.10.13" \
  "  - uv:            uv python install 3.10" \
  "then run the command again."
exit 1
