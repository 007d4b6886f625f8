"""Domain rules as plain functions: no Rasa, HTTP or database in here."""
