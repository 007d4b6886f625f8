"""Rasa custom actions, served by rasa-sdk from .venv (`rasa_sdk --actions actions`).

Actions stay thin: they read the tracker, call services in `bot/`, and return events.
"""
