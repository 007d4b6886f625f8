"""How child servers are started: argument shapes that argparse could misread."""
import argparse
from pathlib import Path

import pytest

from bot.processes import rasa_server


@pytest.mark.parametrize("token", ["plain-token", "-starts-with-a-dash", "--looks-like-an-option", "a=b"])
def test_rasa_auth_token_survives_argparse_whatever_its_first_character(token, tmp_path):
    """`secrets.token_urlsafe` may start with '-'; `rasa run -t -abc` is refused by argparse
    ("expected one argument"), so the token goes in as one `--auth-token=...` word."""
    server = rasa_server(5005, 5055, token, Path("model.tar.gz"), log_dir=tmp_path)
    parser = argparse.ArgumentParser()
    parser.add_argument("-t", "--auth-token")
    known, _ = parser.parse_known_args(server.cmd[2:])
    assert known.auth_token == token
    assert server.ready_url.endswith(f"token={token}")
