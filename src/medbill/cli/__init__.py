"""The `medbill` command: thin Typer commands that parse input, call a service and render output."""
