"""The registry's page in the back office: import organisations, see what the registry holds."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Max, Min, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kartlegging.accounts.decorators import staff_required
from kartlegging.core.csvfiles import ImportProblems
from kartlegging.core.models import audit
from kartlegging.organisations.forms import OrganisationImportForm
from kartlegging.organisations.importing import import_organisations
from kartlegging.organisations.models import Organisation


@staff_required
def organisation_import(request: HttpRequest) -> HttpResponse:
    form = OrganisationImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = import_organisations(
                form.cleaned_data["file"].read(), year=form.cleaned_data["year"]
            )
        except ImportProblems as exc:
            problems = exc.problems
        else:
            audit(
                "organisations.imported",
                request.user,
                created=result.created,
                updated=result.updated,
                year=result.year,
                source=result.source,
            )
            messages.success(request, result.summary)
            return redirect("organisations:import")
    return render(
        request,
        "organisations/import.html",
        {"form": form, "problems": problems, **registry()},
        status=422 if (problems or form.errors) else 200,
    )


def registry() -> dict:
    """What the registry holds, per county, so the user sees what an import changed."""
    counties = (
        Organisation.objects.filter(kind=Organisation.Kind.KOMMUNE)
        .values("county")
        .annotate(
            municipalities=Count("pk"),
            population=Sum("population"),
            newest=Max("population_year"),
            oldest=Min("population_year"),
        )
        .order_by("county")
    )
    others = Organisation.objects.exclude(kind=Organisation.Kind.KOMMUNE).order_by("kind", "name")
    return {"counties": list(counties), "others": list(others)}
