"""Reading and checking the sources: the YAML files and brand become the document
model, and every mistake becomes a diagnostic with its file, line and column.
Nothing here imports a renderer, so `check` stays quick."""
