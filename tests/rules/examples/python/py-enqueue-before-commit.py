# ruff: noqa  (an annotated example for the rule test, not code that runs)
from functools import partial

import django_rq
from django.db import transaction

from .models import Job, Order
from .tasks import send_receipt


def enqueue_job(func, name, user):
    queue = django_rq.get_queue("default")
    with transaction.atomic():
        job = Job(name=name, user=user)
        job.save()
        # A worker can pick this up before the block commits the row.
        # ruleid: py-enqueue-before-commit
        queue.enqueue(func, job_id=str(job.job_id), job=job)
    return job


def enqueue_autocommit(func, name, user):
    queue = django_rq.get_queue("default")
    job = Job(name=name, user=user)
    job.save()
    # No transaction here: under autocommit the save is committed already; a caller's is not visible.
    # ok: py-enqueue-before-commit
    queue.enqueue(func, job_id=str(job.job_id), job=job)
    return job


@transaction.atomic
def place_order(cart):
    order = Order.objects.create(cart=cart)
    # Inside the function's own transaction: the row is not there for the worker yet.
    # ruleid: py-enqueue-before-commit
    send_receipt.delay(order.pk)
    return order


def enqueue_job_on_commit(func, name, user):
    queue = django_rq.get_queue("default")
    job = Job(name=name, user=user)
    job.save()
    # ok: py-enqueue-before-commit
    transaction.on_commit(partial(queue.enqueue, func, job_id=str(job.job_id), job=job))
    return job


def enqueue_after_block(func, name, user):
    queue = django_rq.get_queue("default")
    with transaction.atomic():
        job = Job(name=name, user=user)
        job.save()
    # After the block: committed.
    # ok: py-enqueue-before-commit
    queue.enqueue(func, job_id=str(job.job_id), job=job)
    return job


def notify(order_id):
    # Nothing saved here: the caller decides when the row exists.
    # ok: py-enqueue-before-commit
    send_receipt.delay(order_id)


def resync(datasource, user):
    datasource.save()
    # A class's own enqueue wrapper, which may defer to the commit itself.
    # ok: py-enqueue-before-commit
    SyncJob.enqueue(instance=datasource, user=user)
