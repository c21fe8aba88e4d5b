"""Labelled quality sets and their scorers: `python -m eval.quality.run`, `python -m eval.noise.run_noise`."""
