"""Review jobs: what a webhook asks for, stored durably and worked off one pull request at a time."""
