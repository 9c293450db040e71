"""The holders' own movements (企业自主登记, enterprise account): a cold store, wholesaler, retailer or restaurant
records the batches it takes in and sends out, by tracing code, through the same service as staff — a movement
out of a store the batch never entered, more out than held, or a batch under trace is refused the same way — one
form at a time or an Excel file (``imports.py``). When a batch it held is traced, the holder sees its own tasks and
deadlines here and reports back on each; staff confirm them on the workbench."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.core import registers
from jianguan.core.errors import DomainError
from jianguan.credit.public_views import enterprise_required
from jianguan.registry.models import Entity

from . import selectors, services
from .forms import PortalMovementForm
from .imports import holder_sheet
from .models import Movement
from .registers import MOVEMENTS

MAX_UPLOAD = 10 * 1024 * 1024


@enterprise_required
def movements(request):
    form = PortalMovementForm(request.POST or None, initial={"moved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.batch_by_code(data["tracing_code"])
        except ValueError as exc:
            form.add_error("tracing_code", str(exc))
            batch = None
        party = None
        if batch is not None and data["counterparty"]:
            party = Entity.objects.filter(uscc=data["counterparty"].strip().upper()).first()
            if party is None:
                form.add_error("counterparty", f"统一社会信用代码 {data['counterparty']} 未在市场主体名录中")
        if batch is not None and not form.errors:
            try:
                services.movement_record(actor=request.user, batch=batch, holder=request.entity,
                                         direction=data["direction"], quantity=data["quantity"],
                                         moved_on=data["moved_on"], counterparty=party, note=data["note"])
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"已登记 {batch.tracing_code} {data['quantity']:f}{batch.measure}")
                return redirect("coldchain_public:movements")
    recent = (Movement.objects.filter(holder=request.entity).select_related("batch", "counterparty")
              .order_by("-moved_on", "-id")[:30])
    return render(request, "coldchain/public/movements.html", {"form": form, "recent": recent,
                                                                "entity": request.entity})


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=registers.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@enterprise_required
def movements_import(request):
    """The holder's Excel file of its own movements: all of it or none, each error by row and column."""
    sheet = holder_sheet(request.entity)
    errors, created = [], None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [{"row": None, "column": "", "message": "请选择要导入的 .xlsx 文件"}]
        elif upload.size > MAX_UPLOAD:
            errors = [{"row": None, "column": "", "message": "文件不能超过 10 MB"}]
        else:
            try:
                created = registers.import_rows(sheet, actor=request.user, data=upload.read()).created
            except DomainError as exc:
                errors = exc.details or [{"row": None, "column": "", "message": exc.message}]
    return render(request, "coldchain/public/movements_import.html",
                  {"sheet": sheet, "errors": errors, "created": created, "entity": request.entity},
                  status=422 if errors else 200)


@enterprise_required
def movements_template(request):
    return _xlsx(registers.template(holder_sheet(request.entity)), "cold-chain-movements-template.xlsx")


@enterprise_required
def movements_export(request):
    """Every movement the holder recorded or was recorded for it, with the import's headers."""
    rows = (registers.live(Movement.objects.filter(holder=request.entity))
            .select_related("batch", "holder", "counterparty").order_by("moved_on", "id"))
    return _xlsx(registers.workbook(MOVEMENTS, rows), f"cold-chain-movements-{request.entity.uscc}.xlsx")


@enterprise_required
def tasks(request):
    """The holder's tasks when a batch it held is traced (seal, notify, disinfect, report) with their deadlines,
    and its report back on each; staff confirm each task on the workbench."""
    rows = list(selectors.tasks_of_holder(request.entity))
    return render(request, "coldchain/public/tasks.html", {"rows": rows, "entity": request.entity,
                                                           "now": timezone.now()})


@enterprise_required
@require_POST
def task_report(request, pk: int):
    task = selectors.tasks_of_holder(request.entity).filter(pk=pk).first()
    if task is None:
        raise Http404
    try:
        services.task_report(actor=request.user, task=task, report=request.POST.get("report", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已报告「{task.label}」处置情况，待监管部门确认")
    return redirect("coldchain_public:tasks")


@enterprise_required
def api_tokens(request):
    """The holder's own API tokens (``qy_…``) for its systems to record movements and report on tasks
    (``/api/v1/coldchain/my/…``): created here, the raw key shown once, revoked here."""
    from jianguan.core import services as core_services
    from jianguan.core.models import ApiToken

    raw, error = None, ""
    if request.method == "POST":
        try:
            _token, raw = core_services.enterprise_api_token_create(actor=request.user,
                                                                    name=request.POST.get("name", ""))
        except DomainError as exc:
            error = exc.message
    tokens = list(ApiToken.objects.filter(user=request.user).order_by("-created_at"))
    return render(request, "coldchain/public/api_tokens.html", {
        "tokens": tokens, "raw": raw, "error": error, "entity": request.entity, "now": timezone.now()},
        status=422 if error else 200)


@enterprise_required
@require_POST
def api_token_revoke(request, pk: int):
    from jianguan.core import services as core_services
    from jianguan.core.models import ApiToken

    token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        raise Http404
    core_services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"已吊销令牌「{token.name}」")
    return redirect("coldchain_public:api_tokens")
