"""Building a report in the background. The task gets an id only and records progress."""

from __future__ import annotations

import logging

from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from kartlegging.core.workers import task_abandoned
from kartlegging.reports.inputs import gather
from kartlegging.reports.models import FACTSHEETS, ReportFile
from kartlegging.reports.render import document

logger = logging.getLogger(__name__)


def _progress(report_file: ReportFile, status: str, percent: int) -> None:
    ReportFile.objects.filter(pk=report_file.pk).update(status=status, progress=percent)


@task()
def build_report_file(report_file_id: int) -> None:
    report_file = ReportFile.objects.select_related("survey").get(pk=report_file_id)
    if report_file.status == ReportFile.Status.DONE:
        return
    try:
        _progress(report_file, ReportFile.Status.RUNNING, 10)
        content = render_file(report_file)
    except Exception as exc:  # recorded for the user; the queue itself must not fail
        logger.exception("Report %s failed", report_file.pk)
        ReportFile.objects.filter(pk=report_file.pk).update(
            status=ReportFile.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return
    ReportFile.objects.filter(pk=report_file.pk).update(
        status=ReportFile.Status.DONE, progress=100, content=content, finished_at=timezone.now()
    )


def render_file(report_file: ReportFile) -> bytes:
    """The ordered file (report, one fact sheet or every fact sheet), with its progress: 30 %
    once the answers are read, up to 95 % as fact sheets are drawn."""
    inputs = gather(report_file.survey)
    _progress(report_file, ReportFile.Status.RUNNING, 30)
    content, _what = document(
        inputs,
        "zip" if report_file.format == FACTSHEETS else report_file.format,
        organisation=report_file.organisation,
        anonymise=report_file.anonymise,
        progress=lambda share: _progress(
            report_file, ReportFile.Status.RUNNING, 30 + int(65 * share)
        ),
    )
    return content


@receiver(task_abandoned)
def report_abandoned(sender, task_result, **kwargs) -> None:
    """The worker died building this report, every time: tell the leader, never «lager…»."""
    if task_result.task_path != build_report_file.module_path:
        return
    (report_file_id,) = task_result.args_kwargs["args"]
    ReportFile.objects.filter(pk=report_file_id).exclude(status=ReportFile.Status.DONE).update(
        status=ReportFile.Status.FAILED,
        error=_(
            "Arbeidsprosessen stoppet mens rapporten ble laget, tre ganger på rad. "
            "Bestill rapporten på nytt. Skjer det igjen, be driftsansvarlig se i loggen "
            "til kartlegging-worker."
        ),
        finished_at=timezone.now(),
    )
