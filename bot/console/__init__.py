"""The support agents' console at /console: server-rendered pages (Jinja2), a signed
session cookie, CSRF tokens on every form, rate-limited logins, an audit log."""
