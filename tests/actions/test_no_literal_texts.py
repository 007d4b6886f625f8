"""Every customer-facing sentence lives in `bot/conversation/texts.py` (the next issues
translate them): a sentence written in an action's own code fails here."""

import ast
import re
from pathlib import Path

ACTIONS = Path(__file__).resolve().parents[2] / "actions"
SENTENCE = re.compile(r"[A-Z][a-z']*[ ,].*[a-z].*|.*[A-Za-z][.!?]$")  # "Sorry, ...", "OK." or "... please."
LOG_CALLS = {"debug", "info", "warning", "error", "exception", "critical", "log"}


def literal_sentences(source: str) -> list[str]:
    """String constants that read as a sentence, outside docstrings and log calls."""
    tree = ast.parse(source)
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skipped.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in LOG_CALLS:
            skipped.update(id(n) for arg in node.args for n in ast.walk(arg))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skipped
        and (" " in node.value or node.value.endswith((".", "!", "?")))
        and SENTENCE.fullmatch(node.value.strip())
    ]


def test_no_action_writes_a_sentence_of_its_own():
    found = {path.name: literal_sentences(path.read_text()) for path in sorted(ACTIONS.glob("*.py"))}
    assert {name: sentences for name, sentences in found.items() if sentences} == {}


def test_a_planted_sentence_is_found():
    planted = (
        'def respond(d):\n    """A docstring."""\n    log.info("Failed for %s.", 1)\n'
        '    d.utter_message(text="Please reply YES or NO.")\n'
    )
    assert literal_sentences(planted) == ["Please reply YES or NO."]
    assert literal_sentences('x = "OK."\ny = "action_ask_serial"\nz = f"{a} {b}"\n') == ["OK."]
