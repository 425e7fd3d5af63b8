# Information requests and their answers.
import django.db.models.deletion
import django.utils.timezone
import uuid
import xuncha.core.fields
import xuncha.core.files
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('orgs', '0002_committee_settings_for_intake'),
        ('rounds', '0004_archive_package'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='InformationAnswer',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('text', xuncha.core.fields.EncryptedTextField(verbose_name='答复内容')),
                ('answered_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='答复时间')),
                ('answered_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '答复',
                'verbose_name_plural': '答复',
                'ordering': ['answered_at'],
            },
        ),
        migrations.CreateModel(
            name='InformationAnswerFile',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('filename', xuncha.core.fields.EncryptedTextField(verbose_name='文件名')),
                ('content_type', models.CharField(max_length=100, verbose_name='类型')),
                ('size', models.PositiveIntegerField(verbose_name='大小（字节）')),
                ('sha256', models.CharField(max_length=64)),
                ('blob', models.FileField(max_length=200, upload_to=xuncha.core.files.stored_name)),
                ('added_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('answer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='files', to='preparation.informationanswer')),
            ],
            options={
                'verbose_name': '答复附件',
                'verbose_name_plural': '答复附件',
                'ordering': ['added_at'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='InformationRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='序号')),
                ('kind', models.CharField(choices=[('preparation', '巡前了解'), ('assistance', '提请协助')], max_length=12, verbose_name='类别')),
                ('subject', models.CharField(max_length=200, verbose_name='事由')),
                ('questions', models.TextField(verbose_name='了解事项')),
                ('due_on', models.DateField(verbose_name='答复期限')),
                ('status', models.CharField(choices=[('open', '进行中'), ('closed', '已关闭')], default='open', max_length=10, verbose_name='状态')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='发出时间')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='关闭时间')),
                ('close_note', models.TextField(blank=True, verbose_name='关闭说明')),
                ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('inspection', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='information_requests', to='rounds.inspection', verbose_name='巡察')),
            ],
            options={
                'verbose_name': '了解情况函',
                'verbose_name_plural': '了解情况函',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Lead',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('number', models.CharField(max_length=30, verbose_name='编号')),
                ('passage', xuncha.core.fields.EncryptedTextField(verbose_name='线索内容')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='登记时间')),
                ('answer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='leads', to='preparation.informationanswer')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('inspection', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='preparation_leads', to='rounds.inspection', verbose_name='巡察')),
            ],
            options={
                'verbose_name': '了解所得线索',
                'verbose_name_plural': '了解所得线索',
                'ordering': ['created_at'],
            },
        ),
        migrations.CreateModel(
            name='Recipient',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('status', models.CharField(choices=[('pending', '待答复'), ('answered', '已答复')], default='pending', max_length=10, verbose_name='状态')),
                ('due_on', models.DateField(verbose_name='答复期限')),
                ('follow_up', models.TextField(blank=True, verbose_name='再次提请说明')),
                ('asked_again', models.PositiveSmallIntegerField(default=0, verbose_name='再次提请次数')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='最近答复时间')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='information_requests', to='orgs.department', verbose_name='部门')),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recipients', to='preparation.informationrequest', verbose_name='了解情况函')),
            ],
            options={
                'verbose_name': '答复事项',
                'verbose_name_plural': '答复事项',
                'ordering': ['request_id', 'department_id'],
            },
        ),
        migrations.AddField(
            model_name='informationanswer',
            name='recipient',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='preparation.recipient'),
        ),
        migrations.AddConstraint(
            model_name='informationrequest',
            constraint=models.UniqueConstraint(fields=('inspection', 'number'), name='unique_information_request_number'),
        ),
        migrations.AddConstraint(
            model_name='recipient',
            constraint=models.UniqueConstraint(fields=('request', 'department'), name='unique_information_recipient'),
        ),
    ]
