"""GitHub edge: App auth, the API client, reading pull requests and publishing reviews."""
