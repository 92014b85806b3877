"""The report's writes: generation (the job) and publication (freezing, corrections)."""
