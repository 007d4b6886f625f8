"""What the assistant says: every customer-facing text, rendered from the campaign."""
