from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "xuncha.orgs"
    label = "orgs"
    verbose_name = "组织"

    def ready(self) -> None:
        from xuncha.core.audit_labels import register_audit_labels
        from xuncha.core.choices import ScopeType
        from xuncha.core.otp import register_policy
        from xuncha.core.scopes import register_scope_lookup

        from .choices import AUDIT_ACTIONS
        from .hooks import describe_committee, describe_department, describe_unit, org_role_requires_totp
        from .models import Committee, Department, Unit

        register_policy(org_role_requires_totp)
        register_scope_lookup(ScopeType.COMMITTEE, describe_committee, model=Committee)
        register_scope_lookup(ScopeType.UNIT, describe_unit, model=Unit, committee="committee")
        register_scope_lookup(
            ScopeType.DEPARTMENT, describe_department, model=Department, committee="committee"
        )
        register_audit_labels(AUDIT_ACTIONS)
