"""`esafety-docs preview`: save a source, see the change in the browser.

command.py runs it; rebuild.py turns sources into the preview folder; server.py
serves that folder on 127.0.0.1 and tells open pages to reload; panel.py shows
problems in the sources over the last good preview.
"""
