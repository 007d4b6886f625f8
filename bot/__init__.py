"""Recall Assistant: reach every buyer of a recalled product and book the remedy."""
