"""Rasa pipeline components of the recall assistant (loaded by Rasa in .venv-rasa;
`signals` is plain Python and also imported by the tests in .venv; `tracker_store` is the
SQL tracker store `recall up` configures on PostgreSQL)."""
