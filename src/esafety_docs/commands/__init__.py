"""The work behind each command line command, one module a command (family);
`cli` only parses the arguments and calls in here."""
