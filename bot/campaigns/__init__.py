"""Recall campaigns: the YAML definition, its validation and loading it into the database."""
