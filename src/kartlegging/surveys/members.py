"""The project leader manages who works on a survey: invite by e-mail, change role, remove.

A new person gets a staff account without a password and an e-mail (sent by the worker)
with a one-time link to choose one; at first login they set up two-factor login as
everyone does.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from kartlegging.accounts import lockout
from kartlegging.accounts.decorators import staff_required
from kartlegging.core.forms import DsForm
from kartlegging.core.models import audit
from kartlegging.surveys.access import survey_for
from kartlegging.surveys.models import Membership, Survey
from kartlegging.surveys.tasks import send_staff_invitation


class InviteForm(DsForm):
    name = forms.CharField(label=_lazy("Navn"), max_length=150)
    email = forms.EmailField(label=_lazy("E-post (jobb)"))
    role = forms.ChoiceField(
        label=_lazy("Rolle"),
        choices=Membership.Role.choices,
        initial=Membership.Role.GROUP,
        help_text=_lazy("Prosjektgruppen ser alt, men kan ikke endre noe."),
    )

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if self.survey.memberships.filter(user__email__iexact=email).exists():
            raise forms.ValidationError(_("%(email)s er allerede med.") % {"email": email})
        return email


def _leaders(survey: Survey):
    return survey.memberships.filter(role=Membership.Role.LEADER)


@staff_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    survey = survey_for(request.user, slug, manage=True)
    form = InviteForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        email, role = form.cleaned_data["email"], form.cleaned_data["role"]
        with transaction.atomic():
            user = get_user_model().objects.filter(email__iexact=email).first()
            new = user is None
            if new:
                user = get_user_model().objects.create_user(
                    username=email, email=email, first_name=form.cleaned_data["name"], is_staff=True
                )
                user.set_unusable_password()
                user.save(update_fields=["password"])
            Membership.objects.create(survey=survey, user=user, role=role)
            audit("member.invited", request.user, survey, user=user.pk, role=role, new=new)
            transaction.on_commit(
                lambda: send_staff_invitation.enqueue(user.pk, survey.pk, request.user.pk)
            )
        messages.success(
            request, _("%(email)s er lagt til, og en invitasjon er sendt.") % {"email": email}
        )
        return redirect("surveys:members", slug=survey.slug)
    memberships = list(survey.memberships.select_related("user").order_by("role", "user__email"))
    locked = lockout.locked_usernames(m.user.get_username() for m in memberships)
    return render(
        request,
        "surveys/members.html",
        {
            "survey": survey,
            "form": form,
            "memberships": [(m, m.user.get_username() in locked) for m in memberships],
            "roles": Membership.Role.choices,
        },
        status=422 if form.errors else 200,
    )


@staff_required
@require_POST
def member_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    survey = survey_for(request.user, slug, manage=True)
    membership = get_object_or_404(survey.memberships.select_related("user"), pk=pk)
    last_leader = membership.is_leader and _leaders(survey).count() == 1
    if action == "rolle":
        role = request.POST.get("role", "")
        if role not in Membership.Role.values:
            raise Http404
        if last_leader and role != Membership.Role.LEADER:
            messages.error(request, _("Kartleggingen må ha minst én prosjektleder."))
        elif role != membership.role:
            membership.role = role
            membership.save(update_fields=["role"])
            audit("member.role_changed", request.user, survey, user=membership.user_id, role=role)
            messages.success(request, _("Rollen er endret."))
    elif action == "fjern":
        if last_leader:
            messages.error(request, _("Kartleggingen må ha minst én prosjektleder."))
        else:
            membership.delete()
            audit("member.removed", request.user, survey, user=membership.user_id)
            messages.success(
                request,
                _("%(user)s har ikke lenger tilgang til kartleggingen.")
                % {"user": membership.user.email or membership.user.get_username()},
            )
    elif action == "opphev-sperre":
        if lockout.unlock(membership.user.get_username()):
            audit("login.unlocked", request.user, survey, user=membership.user_id)
        messages.success(
            request,
            _("%(user)s kan logge inn igjen.")
            % {"user": membership.user.email or membership.user.get_username()},
        )
    else:
        raise Http404
    return redirect("surveys:members", slug=survey.slug)
