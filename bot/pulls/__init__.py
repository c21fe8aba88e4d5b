"""What happens to one pull request: fetch, review, publish; incremental state and the recheck decision."""
