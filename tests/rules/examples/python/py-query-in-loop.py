# ruff: noqa  (an annotated example for the rule test, not code that runs)
def totals(orders):
    for order in orders:
        # ruleid: py-query-in-loop
        order.customer = Customer.objects.get(pk=order.customer_id)


def first_tracked(sender, instance):
    for field_name in counters_for(sender):
        if skip(field_name):
            continue
        # The body ends in `return`: at most one query.
        # ok: py-query-in-loop
        if not sender.objects.filter(pk=instance.pk).exists():
            instance.removed = True
        return


# Lazy relations read per row of a result set the function built.
def order_emails(request):
    for order in Order.objects.filter(status="paid"):
        # ruleid: py-query-in-loop
        send(order.customer.email, order.total)


def item_counts(request):
    carts = Cart.objects.filter(open=True).order_by("-id")
    # ruleid: py-query-in-loop
    return {cart.pk: cart.items.count() for cart in carts}


def invoice_lines(session):
    invoices = session.query(Invoice).filter(Invoice.open).all()
    for invoice in invoices:
        # ruleid: py-query-in-loop
        rows.append((invoice.id, invoice.account.name))


def refined(request):
    qs = Order.objects.filter(status="paid")
    qs = qs.exclude(total=0)
    for order in qs.order_by("-id"):
        # ruleid: py-query-in-loop
        tags = list(order.tag_set.all())


def joined(request):
    for order in Order.objects.filter(status="paid").select_related("customer__address"):
        # ok: py-query-in-loop
        send(order.customer.email)


def prefetched(request):
    carts = Cart.objects.filter(open=True)
    carts = carts.prefetch_related("items")
    for cart in carts:
        # ok: py-query-in-loop
        n = cart.items.count()


def eager(session):
    rows = session.query(Invoice).options(selectinload(Invoice.account)).all()
    for invoice in rows:
        # ok: py-query-in-loop
        print(invoice.account.name)


def given(orders):
    # Not a result set this function built: whoever built it may have joined.
    for order in orders:
        # ok: py-query-in-loop
        send(order.customer.email)


def rebound(lines):
    # `lines` is the caller's list here; the queryset bound to the name comes after the loop.
    ids = [line.line.id for line in lines]
    for line in lines:
        # ok: py-query-in-loop
        print(line.variant.name)
    lines = CheckoutLine.objects.filter(id__in=ids)


def plain_values(request):
    for order in Order.objects.filter(status="paid"):
        # Fields that are values, not relations: dates, money, files, the row's own id.
        # ok: py-query-in-loop
        print(order.created.year, order.total.amount, order.invoice_file.url, order.customer_id)
        # A method of a value (a date, a JSON dict) is not a related manager.
        # ok: py-query-in-loop
        print(order.placed_on.isoformat(), order.extra.get("note"), order.notes.count("x"))


def as_dicts(request):
    for row in Order.objects.filter(status="paid").values("customer__email"):
        # ok: py-query-in-loop
        send(row.customer.email)


def send_notices():
    for check in Check.objects.filter(flapping=True):
        # The loop sleeps between rows on purpose (mail throttling): a query per row is noise next to it.
        # ok: py-query-in-loop
        notify(check.project.owner.email)
        time.sleep(1)


def prune_deliveries(deliveries):
    payload_ids = []
    for delivery in EventDelivery.objects.filter(status="success"):
        payload_ids.append(delivery.payload_id)
        # A QuerySet is lazy and this one is never read: no query runs per item.
        # ok: py-query-in-loop
        stale = EventPayload.objects.filter(pk=delivery.payload_id, deliveries__isnull=True)
    EventPayload.objects.filter(pk__in=payload_ids).delete()


def count_each(orders):
    for order in Order.objects.filter(paid=True):
        # ruleid: py-query-in-loop
        lines = OrderLine.objects.filter(order_id=order.id)
        total = len(lines)
