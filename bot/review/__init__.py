"""The review core: pure functions from a diff and a config to findings and a checklist.

Nothing under this package imports aiohttp, gidgethub or openai; the CLI and the server call it.
"""
