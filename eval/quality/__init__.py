"""Recall and false positives of the offline review on labelled diffs."""
