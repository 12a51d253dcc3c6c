"""The link checker: every address in the sources, checked once, reported by place.

find.py reads the sources, probe.py checks web addresses over HTTP (the only
module that imports the HTTP client), forms.py checks mailto: and tel: for form,
report.py writes the findings, command.py runs the `linkcheck` command, and
freshness.py turns a scheduled run's findings into its summary (standard library
only, so CI runs it without installing anything).
"""
