"""Let the "Charter staff" group edit the pledges' wording in the admin.

The group is created by signatories/migrations/0002_sequence_row_and_staff_group.py. Without
permissions its members, who are not superusers, saw no Pledge in the admin at all. They get view
and change only: the admin refuses adding or deleting a pledge for everyone (charter/admin.py),
since the five pledges are fixed by the charter.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "Charter staff"
PLEDGE_PERMISSIONS = ["view_pledge", "change_pledge"]


def grant(apps, schema_editor):
    # Django creates permissions after the whole migrate run (post_migrate); on a fresh database
    # they do not exist yet at this point, so create the charter app's now (idempotent).
    charter_config = apps.get_app_config("charter")
    charter_config.models_module = True
    create_permissions(charter_config, apps=apps, verbosity=0)
    charter_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="charter", codename__in=PLEDGE_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=STAFF_GROUP):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="charter", codename__in=PLEDGE_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("charter", "0003_postgres_extensions"),
        ("signatories", "0002_sequence_row_and_staff_group"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
