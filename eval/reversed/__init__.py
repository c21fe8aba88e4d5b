"""Recall of prodready's offline rules on real bugs: fix commits of open-source applications, reversed."""
