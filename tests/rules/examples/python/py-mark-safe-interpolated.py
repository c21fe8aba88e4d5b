# ruff: noqa  (an annotated example for the rule test, not code that runs)
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def render_panel(panel, request):
    try:
        return panel.render(request)
    except Exception as exc:
        # ruleid: py-mark-safe-interpolated
        return mark_safe(f'<div class="alert">{_("Panel failed")}: {exc}</div>')


def render_cell(cell):
    try:
        return cell.html()
    except ValueError as err:
        label = _("Error")
        # ruleid: py-mark-safe-interpolated
        return mark_safe('<span title="%s">%s</span>' % (err, label))


def render_report(report):
    try:
        body = report.build()
    except Exception as problem:
        text = str(problem)
        # ruleid: py-mark-safe-interpolated
        return SafeString("<pre>" + text + "</pre>")
    return body


def render_messages(form):
    try:
        form.full_clean()
    except ValidationError as invalid:
        html = "<ul>{}</ul>".format("".join(f"<li>{m}</li>" for m in invalid.messages))
        # ruleid: py-mark-safe-interpolated
        return mark_safe(html)


def render_escaped(panel):
    try:
        return panel.render()
    except Exception as exc:
        # ok: py-mark-safe-interpolated
        return mark_safe(f'<div class="alert">{escape(exc)}</div>')


def render_cleaned(panel):
    try:
        return panel.render()
    except Exception as exc:
        message = conditional_escape(str(exc))
        # ok: py-mark-safe-interpolated
        return mark_safe(f"<pre>{message}</pre>")


def render_format_html(panel):
    try:
        return panel.render()
    except Exception as exc:
        # ok: py-mark-safe-interpolated
        return format_html('<div class="alert">{}</div>', exc)


def render_constant_error(panel):
    try:
        return panel.render()
    except Exception as exc:
        log.warning("panel failed: %s", exc)
        label = _("Error")
        # ok: py-mark-safe-interpolated
        return mark_safe(f'<span class="text-danger">{label}</span>')


def render_badge(badge):
    # ok: py-mark-safe-interpolated
    return mark_safe(f'<span class="badge text-bg-{badge.color}">{escape(badge.label)}</span>')
