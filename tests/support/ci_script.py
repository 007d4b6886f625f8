"""Reading `.ci/run`: does the CI entry point run exactly what a newcomer runs (`make test`)?"""

from __future__ import annotations

import shlex


def command_lines(script: str) -> list[list[str]]:
    """The script's commands as words, without comments, blank lines and the shebang."""
    commands = []
    for line in script.splitlines():
        words = shlex.split(line, comments=True)
        if words:
            commands.append(words)
    return commands


def runs_make_test(script: str) -> bool:
    """True when one of the script's commands is exactly `make test` (or `exec make test`).

    A substring check would accept `exec make test-faults`; here `make test-faults` or `make test lint`
    do not count: the newcomer's command must run as it is."""
    for words in command_lines(script):
        if words[:1] == ["exec"]:
            words = words[1:]
        if words == ["make", "test"]:
            return True
    return False
