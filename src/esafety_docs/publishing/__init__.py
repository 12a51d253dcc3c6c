"""Publishing releases from git: the tag, the releases branch, and the command."""
