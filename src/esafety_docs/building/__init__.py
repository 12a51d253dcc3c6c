"""Building a pack: rendering each edition (in worker processes when there are
cores for them), auditing what was rendered, and writing the folder whole or not
at all; what was built is recorded so the next build can skip unchanged work."""
