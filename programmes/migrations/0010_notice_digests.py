"""Notices about cases go out as digests (one e-mail per person per sweep); imported
referrals long past their target are historical and notify nobody."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0009_one_input_constraints'),
        ('vru', '0011_import_expiry'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='NewReferralNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('swept_at', models.DateTimeField(blank=True, help_text='Claimed by the sweep that is telling it.', null=True)),
            ],
            options={
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='NoticeDigest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('breaches', 'Missed contact targets'), ('new_referrals', 'New referrals')], max_length=14)),
                ('swept_at', models.DateTimeField(help_text='The sweep that made it.')),
                ('referral_ids', models.JSONField(default=list, help_text='The cases the e-mail lists by reference, first due first.')),
                ('total', models.PositiveIntegerField(help_text='All the cases of this sweep for this person.')),
                ('emailed_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'ordering': ['-swept_at', 'id'],
            },
        ),
        # a breach e-mailed before digests counts as told; one still waiting goes into the
        # next sweep's digests (its old outbox message does nothing: programmes.handlers)
        migrations.RenameField(
            model_name='breachnotification',
            old_name='emailed_at',
            new_name='digested_at',
        ),
        migrations.RemoveField(
            model_name='breachnotification',
            name='recipients',
        ),
        migrations.AlterField(
            model_name='breachnotification',
            name='digested_at',
            field=models.DateTimeField(blank=True, help_text="When a sweep put it into its recipients' digests.", null=True),
        ),
        migrations.AddField(
            model_name='referral',
            name='historical',
            field=models.BooleanField(db_default=False, default=False, help_text='Imported as a record of past work (its contact target had passed long before the import): nobody is told about it, neither as new nor as a missed target. The 24-hour clock still counts it.'),
        ),
        migrations.AddIndex(
            model_name='breachnotification',
            index=models.Index(condition=models.Q(('digested_at__isnull', True)), fields=['id'], name='breach_notice_waiting'),
        ),
        migrations.AddField(
            model_name='newreferralnotice',
            name='referral',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='new_referral_notice', to='programmes.referral'),
        ),
        migrations.AddField(
            model_name='noticedigest',
            name='partnership',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='vru.partnership'),
        ),
        migrations.AddField(
            model_name='noticedigest',
            name='recipient',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='noticedigest',
            constraint=models.UniqueConstraint(fields=('recipient', 'kind', 'swept_at'), name='notice_digest_once_per_sweep'),
        ),
    ]
