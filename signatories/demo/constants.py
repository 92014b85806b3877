"""What every app's demo data and the seed_demo command share. A leaf: it imports nothing of
the project, so any demo module can use it without an import circle."""

# Published in README.md: seed_demo must never run on a production database.
DEMO_PASSWORD = "charter-demo-password"
