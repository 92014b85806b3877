from django.db import migrations

# The wording as DESIGN.md gave it when this migration was written, frozen here: from then on the
# pledges live in the database and staff edit their wording in the admin, while a migration must
# create the same rows whenever it runs.
PLEDGES = [
    ("people", 1, "A senior, named representative",
     "A senior, named representative responsible for the charter commitments.",
     "We name a senior representative who is responsible for our charter commitments. They "
     "champion diversity and inclusion across the organisation, make sure the other four pledges "
     "are acted on, and confirm each year that they still hold the role."),
    ("plan", 2, "Inclusive attraction and recruitment",
     "Inclusive attraction and recruitment; wherever possible women on every interview "
     "shortlist; diverse talent encouraged to apply.",
     "We attract and recruit inclusively. Wherever possible we put women on every interview "
     "shortlist, and we encourage people from every background to apply: we review where we "
     "advertise, how we word our adverts and how we assess candidates, so that diverse talent "
     "sees a place for itself with us."),
    ("policies", 3, "Policies that develop and retain a diverse workforce",
     "Employment policies and practices that support development and retention of a diverse "
     "workforce.",
     "We put in place employment policies and practices that support the development and "
     "retention of a diverse workforce: flexible working, fair progression and pay, support "
     "through life events, and a culture in which everyone can do their best work."),
    ("practice", 4, "Sharing best practice",
     "Work with other signatories to develop, share and implement best practice.",
     "We work with other signatories to develop, share and implement best practice. We share "
     "what has worked for us, and what has not, so that the whole sector moves faster than any "
     "one organisation could alone."),
    ("data", 5, "Contributing diversity data",
     "Contribute employment diversity data yearly to a common anonymised database, published "
     "in an annual report.",
     "Every year we contribute our employment diversity data to a common anonymised database. "
     "The charter publishes the aggregate findings in an annual benchmarking report, and no "
     "organisation's own figures are ever published."),
]


def create_pledges(apps, schema_editor):
    Pledge = apps.get_model("charter", "Pledge")
    for code, position, title, summary, body in PLEDGES:
        Pledge.objects.update_or_create(
            code=code,
            defaults={"position": position, "title": title, "summary": summary, "body": body},
        )


def remove_pledges(apps, schema_editor):
    apps.get_model("charter", "Pledge").objects.filter(
        code__in=[code for code, *_ in PLEDGES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("charter", "0001_initial")]
    operations = [migrations.RunPython(create_pledges, remove_pledges)]
