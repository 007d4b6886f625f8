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


def test_free_ports_are_consecutive_and_below_the_ephemeral_range():
    import socket

    from bot.processes import LISTEN_PORTS, free_port

    for count in (1, 2, 3):
        first = free_port(count)
        assert LISTEN_PORTS.start <= first and first + count - 1 < LISTEN_PORTS.stop
        sockets = [socket.socket() for _ in range(count)]
        try:
            for offset, sock in enumerate(sockets):
                sock.bind(("127.0.0.1", first + offset))  # all free at once
        finally:
            for sock in sockets:
                sock.close()
