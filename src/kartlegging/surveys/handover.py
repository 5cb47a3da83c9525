"""Handing an invitation on to a colleague without breaking the organisation's tracking."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from kartlegging.core.models import audit
from kartlegging.surveys import mail
from kartlegging.surveys.models import Email, Respondent


def hand_on(
    respondent: Respondent, *, name: str, email: str, role: str = "", message: str = ""
) -> Respondent:
    """Create the colleague in the same organisation, invite them, and mark the hand-over.

    The original respondent keeps their link (and any answers) but is no longer
    reminded; the dashboard shows who handed on to whom.
    """
    with transaction.atomic():
        colleague = Respondent.objects.create(
            survey=respondent.survey,
            organisation=respondent.organisation,
            name=name.strip(),
            email=email.strip().lower(),
            role=role.strip(),
        )
        respondent.handed_to = colleague
        respondent.handed_at = timezone.now()
        respondent.handover_message = message.strip()
        respondent.save(update_fields=["handed_to", "handed_at", "handover_message"])
        audit(
            "respondent.handed_on",
            survey=respondent.survey,
            respondent=respondent.pk,
            colleague=colleague.pk,
        )
        mail.queue([colleague], Email.Kind.INVITATION)
    return colleague
