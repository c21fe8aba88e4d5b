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
