# Filings (报备) to the upper office and common-problem recommendations.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
        ("findings", "0003_interview_problem"),
        ("orgs", "0002_committee_settings_for_intake"),
        ("rectification", "0007_department_lead"),
        ("rounds", "0005_round_plan"),
        ("taxonomy", "0002_default_schemes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Recommendation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "basis",
                    models.CharField(
                        choices=[("focus", "三个聚焦"), ("discipline", "六项纪律"), ("similar", "相似问题")],
                        max_length=12,
                        verbose_name="共性问题类别",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="提出时间"),
                ),
                (
                    "category",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="taxonomy.category",
                        verbose_name="分类",
                    ),
                ),
                (
                    "committee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="recommendations",
                        to="orgs.committee",
                        verbose_name="党委",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="提出人",
                    ),
                ),
                (
                    "findings",
                    models.ManyToManyField(
                        related_name="+", to="findings.finding", verbose_name="据以提出的问题"
                    ),
                ),
                (
                    "notice",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="recommendation",
                        to="rectification.supervisionnotice",
                        verbose_name="督办单",
                    ),
                ),
            ],
            options={
                "verbose_name": "建章立制建议",
                "verbose_name_plural": "建章立制建议",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Filing",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("round_plan", "巡察工作安排"),
                            ("team_report", "巡察报告情况"),
                            ("rectification", "整改情况"),
                        ],
                        max_length=16,
                        verbose_name="报备事项",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="标题")),
                ("summary", models.TextField(blank=True, verbose_name="报备说明")),
                ("snapshot", models.JSONField(default=dict, verbose_name="报备内容")),
                ("text", models.TextField(verbose_name="报备文本")),
                ("due_on", models.DateField(verbose_name="报备时限")),
                (
                    "filed_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="报备时间"),
                ),
                ("acknowledged_at", models.DateTimeField(blank=True, null=True, verbose_name="签收时间")),
                ("acknowledgement", models.TextField(blank=True, verbose_name="签收意见")),
                (
                    "acknowledged_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="签收人",
                    ),
                ),
                (
                    "committee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="filings",
                        to="orgs.committee",
                        verbose_name="报备党委",
                    ),
                ),
                (
                    "filed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="报备人",
                    ),
                ),
                (
                    "inspection",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="rounds.inspection",
                        verbose_name="巡察",
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="rounds.round",
                        verbose_name="轮次",
                    ),
                ),
                (
                    "upper",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="received_filings",
                        to="orgs.committee",
                        verbose_name="报备至",
                    ),
                ),
            ],
            options={
                "verbose_name": "报备",
                "verbose_name_plural": "报备",
                "ordering": ["-filed_at", "-id"],
                "indexes": [
                    models.Index(fields=["upper", "acknowledged_at"], name="analytics_f_upper_i_ff03de_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("inspection__isnull", True)),
                        fields=("kind", "round"),
                        name="one_filing_per_round",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("inspection__isnull", False)),
                        fields=("kind", "inspection"),
                        name="one_filing_per_inspection",
                    ),
                ],
            },
        ),
    ]
