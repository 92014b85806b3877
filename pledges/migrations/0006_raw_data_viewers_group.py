"""A group for the charter staff allowed to see raw diversity figures.

Raw figures are special-category personal data: being Charter staff is not enough to see them.
Staff who need them (the data team) are added to this group by a superuser; every look they
take is logged (pledges.services.raw_access).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RAW_DATA_GROUP = "Diversity data viewers"


def create_group(apps, schema_editor):
    # Permissions are created after the whole migrate run (post_migrate); create pledges' now.
    config = apps.get_app_config("pledges")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=RAW_DATA_GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="pledges", codename="view_raw_figures")
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=RAW_DATA_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0005_append_only_records"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
