"""Renderers: a ReviewResult as text, markdown, JSON, SARIF or a GitHub review."""
