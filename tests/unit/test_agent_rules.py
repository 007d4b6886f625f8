import pytest

from bot.services.agents import AgentError, normalise_email, password_problem


@pytest.mark.parametrize(
    ("email", "normalised"),
    [
        ("Asha@Example.com", "asha@example.com"),
        ("  ravi.k+console@arctica.in ", "ravi.k+console@arctica.in"),
    ],
)
def test_normalise_email(email, normalised):
    assert normalise_email(email) == normalised


@pytest.mark.parametrize(
    "email", ["", "asha", "asha@", "@example.com", "asha@example", "a b@example.com", "x" * 250 + "@example.com"]
)
def test_not_an_email(email):
    with pytest.raises(AgentError, match="not an email"):
        normalise_email(email)


@pytest.mark.parametrize(
    ("password", "email", "problem"),
    [
        ("correct horse battery", "asha@example.com", None),
        ("short", "", "at least 12"),
        ("aaaaaaaaaaaaaaaa", "", "too few characters"),
        ("x" * 200 + "abcd" * 20, "", "at most 256"),
        ("my name is asha!!", "asha@example.com", "email's name"),
    ],
)
def test_password_problem(password, email, problem):
    found = password_problem(password, email)
    assert (found is None) if problem is None else (problem in found)
