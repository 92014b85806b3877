"""PostgreSQL extensions for the signatory directory's search (signatories/search.py).

unaccent strips accents, pg_trgm indexes "contains" searches. Django's extension operations do
nothing on another database, so the embedded SQLite default migrates as before.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("charter", "0002_create_the_five_pledges"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
    ]
