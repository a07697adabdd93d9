"""Warm Leads: the library behind the app, the dashboard and the command line."""
