from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0003_fill_actor_type_and_subject"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(("actor_type__in", ["staff", "customer", "system"])), name="event_actor_type_known"
            ),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(("actor__isnull", True), ("actor_type", "staff"), _connector="OR"),
                name="event_actor_user_is_staff",
            ),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("subject_id__isnull", True), ("subject_type__isnull", True)),
                    models.Q(("subject_id__isnull", False), ("subject_type__isnull", False)),
                    _connector="OR",
                ),
                name="event_subject_whole",
            ),
        ),
    ]
