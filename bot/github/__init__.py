"""Thin GitHub adapter: App auth, the API client, and one module per REST resource; no review decisions."""
