"""Proactive outreach: the recall notice and reminders to every eligible buyer."""
