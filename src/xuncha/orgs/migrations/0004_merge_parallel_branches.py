# Joins four committee/unit changes made side by side (archive, wording, secretary's meeting, party
# organisation kind); none touches another's fields.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0003_committee_settings_archive_interview_records'),
        ('orgs', '0003_committee_settings_label'),
        ('orgs', '0003_secretary_meeting_setting'),
        ('orgs', '0003_unit_party_org_kind'),
    ]

    operations = [
    ]
