import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("timeline", "0001_initial"),
    ]

    operations = [
        # Existing rows start as the system's; 0003 makes those with a user staff's.
        migrations.AddField(
            model_name="event",
            name="actor_type",
            field=models.CharField(
                choices=[("staff", "Staff"), ("customer", "Customer"), ("system", "System")],
                default="system",
                max_length=10,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="event",
            name="subject_type",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="subject_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
    ]
