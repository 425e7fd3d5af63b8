from django.db import migrations, models

# PostgreSQL only: the audit table refuses UPDATE and DELETE of its rows whoever asks, unless a superuser
# switches triggers off (session_replication_role). TRUNCATE is not refused here (the test suite's teardown
# truncates every table); production revokes it with UPDATE and DELETE (docs/deployment.md).
APPEND_ONLY = """
CREATE FUNCTION core_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'core_auditevent is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();
"""
DROP_APPEND_ONLY = """
DROP TRIGGER core_auditevent_append_only ON core_auditevent;
DROP FUNCTION core_auditevent_append_only();
"""


def sign_head(apps, schema_editor):
    from xuncha.core.audit import head_mac

    head = apps.get_model("core", "AuditChainHead").objects.filter(pk=1).first()
    if head is not None:
        head.mac = head_mac(head.last_seq, head.last_hash)
        head.save(update_fields=["mac"])


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_role_assignment_period"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="mac",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(sign_head, migrations.RunPython.noop),
        migrations.RunPython(on_postgresql(APPEND_ONLY), on_postgresql(DROP_APPEND_ONLY)),
    ]
