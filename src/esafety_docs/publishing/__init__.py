"""Releasing and publishing: versioned release folders with notes, checksums and
approvals, their history and feed, the git tag and releases branch, and the site."""
