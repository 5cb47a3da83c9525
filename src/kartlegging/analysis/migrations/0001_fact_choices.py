"""FactChoice, taken over from the reports app (its table renamed there)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("reports", "0003_fact_choices_to_analysis"),
        ("surveys", "0005_personal_data_retention"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="FactChoice",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("organisation", models.CharField(max_length=20)),
                        ("question", models.CharField(max_length=200)),
                        ("value", models.JSONField()),
                        ("chosen_at", models.DateTimeField(auto_now=True)),
                        (
                            "chosen_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "survey",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="fact_choices",
                                to="surveys.survey",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "valgt faktasvar",
                        "verbose_name_plural": "valgte faktasvar",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("survey", "organisation", "question"),
                                name="fact_choice_unique",
                            )
                        ],
                    },
                )
            ],
            database_operations=[],
        )
    ]
