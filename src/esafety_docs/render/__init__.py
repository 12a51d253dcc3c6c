"""One module per output format; each turns (model, brand) into bytes."""
