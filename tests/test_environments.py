"""The two environments `make setup` builds, and the newcomer's entry points."""

import subprocess
import sys

from bot.settings import PROJECT_ROOT
from tests.support.ci_script import runs_make_test

RASA = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"


def test_app_environment_is_python_311_plus_with_sqlalchemy_2():
    import rasa_sdk
    import sqlalchemy
    import twilio

    assert sys.version_info[:2] >= (3, 11)
    assert sqlalchemy.__version__.startswith("2.")
    assert twilio.__version__.startswith("9.")
    assert rasa_sdk.__version__ == "3.21.1"


def test_rasa_environment_runs_rasa_3_6_21_on_python_3_10():
    out = subprocess.run([str(RASA), "--version"], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Rasa Version      :         3.6.21" in out.stdout
    assert "Python Version    :         3.10" in out.stdout


def test_ci_runs_make_test_and_readme_names_two_commands():
    assert runs_make_test((PROJECT_ROOT / ".ci" / "run").read_text())
    readme = (PROJECT_ROOT / "README.md").read_text()
    commands = [line.strip() for line in readme.splitlines() if line.strip().startswith("make ")]
    assert commands == ["make demo", "make test"]


def test_ci_check_fails_on_a_script_without_make_test():
    script = "#!/usr/bin/env bash\nset -euo pipefail\n# make test\nexec make test-faults\n"
    assert not runs_make_test(script)
    assert not runs_make_test(script.replace("exec make test-faults", "make test lint"))
    assert runs_make_test(script + "make test\n")
    assert runs_make_test(script.replace("exec make test-faults", "exec make test"))


def test_python310_finder_names_what_to_install_when_none_is_found(tmp_path):
    out = subprocess.run(
        ["/bin/bash", str(PROJECT_ROOT / "scripts" / "find-python310.sh")],
        capture_output=True,
        text=True,
        env={"PATH": str(tmp_path), "HOME": str(tmp_path)},
    )
    assert out.returncode == 1
    assert "pyenv install 3.10" in out.stderr and "uv python install 3.10" in out.stderr
