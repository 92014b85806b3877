"""What anyone sees of the reports: the published report, its PDF and its open data."""
