"""The audit trail names its survey by id (and slug), not by a foreign key to surveys."""

from django.db import migrations, models
from django.db.models import F


def copy_survey_ids(apps, schema_editor):
    # The historical model has a plain manager: this one-off copy is the only update ever.
    apps.get_model("core", "AuditEntry").objects.update(survey_pk=F("survey_id"))


class Migration(migrations.Migration):
    dependencies = [("core", "0004_throttle_count")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="survey_pk",
            field=models.PositiveBigIntegerField(blank=True, db_index=True, null=True),
        ),
        migrations.RunPython(copy_survey_ids, migrations.RunPython.noop),
        migrations.RemoveField(model_name="auditentry", name="survey"),
    ]
