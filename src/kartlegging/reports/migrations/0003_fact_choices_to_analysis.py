"""FactChoice moves to the analysis app (an input of the analysis, not of the report).

The table is renamed in the database and the model leaves this app's state; the analysis
app's first migration takes it over without touching the database.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_fact_choices")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="factchoice", table="analysis_factchoice")
            ],
            state_operations=[migrations.DeleteModel(name="FactChoice")],
        )
    ]
