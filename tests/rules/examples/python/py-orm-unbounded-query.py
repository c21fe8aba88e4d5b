from django import forms
from rest_framework import viewsets

from shop.models import Order, Tenant
from shop.serializers import OrderSerializer


class OrderViewSet(viewsets.ModelViewSet):
    # A lazy queryset the view pages: no rows are loaded here.
    # ok: py-orm-unbounded-query
    queryset = Order.objects.all()


class OrderForm(forms.Form):
    # ok: py-orm-unbounded-query
    tenant = forms.ModelChoiceField(queryset=Tenant.objects.all())


def export_orders(request):
    rows = []
    # ruleid: py-orm-unbounded-query
    for order in Order.objects.all():
        rows.append(order.total)
    # ruleid: py-orm-unbounded-query
    data = OrderSerializer(Order.objects.all(), many=True).data
    # ruleid: py-orm-unbounded-query
    ordered = list(Order.objects.order_by("created"))
    # ok: py-orm-unbounded-query
    recent = list(Order.objects.all()[:100])
    # ok: py-orm-unbounded-query
    mine = list(Order.objects.filter(owner=request.user))
    return rows, data, ordered, recent, mine
