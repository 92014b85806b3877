from django.db import migrations

STAFF_GROUP = "Charter staff"


def create_rows(apps, schema_editor):
    # The numbering service locks this single row; it must exist before the first approval so
    # that two first approvals cannot both try to create it.
    apps.get_model("signatories", "SignatoryNumberSequence").objects.get_or_create(
        pk=1, defaults={"last_number": 0}
    )
    apps.get_model("auth", "Group").objects.get_or_create(name=STAFF_GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("signatories", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_rows, migrations.RunPython.noop)]
