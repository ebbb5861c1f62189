"""The headless `rectify` subcommands; they call the same services as the window."""
