# ruff: noqa  (an annotated example for the rule test, not code that runs)
from django.db import transaction
from django.db.models import F


@api_view(["POST"])
def buy(request, pk):
    product = Product.objects.get(pk=pk)
    if product.stock > 0:
        # ruleid: py-read-modify-write
        product.stock -= 1
        product.save()


def redeem(request, code):
    voucher = Voucher.objects.filter(code=code).first()
    # ruleid: py-read-modify-write
    voucher.uses = voucher.uses + 1
    voucher.save(update_fields=["uses"])


@shared_task
def credit(account_id, cents):
    with transaction.atomic():  # atomic alone does not lock the row
        account = Account.objects.get(pk=account_id)
        # ruleid: py-read-modify-write
        account.balance_cents = max(account.balance_cents - cents, 0)
        account.save()


@router.post("/wallets/{wallet_id}/debit")
async def debit(wallet_id: int, amount: int, session: AsyncSession = Depends(get_session)):
    wallet = await session.get(Wallet, wallet_id)
    # ruleid: py-read-modify-write
    wallet.balance -= amount
    await session.commit()


def count_visit(request, slug):
    counter, _ = PageCounter.objects.get_or_create(slug=slug)
    # ruleid: py-read-modify-write
    counter.hits += 1
    # Reported once per field.
    # ok: py-read-modify-write
    counter.hits += 0
    counter.save()


class LikeViewSet(ViewSet):
    def like(self, request, pk):
        post = self.get_queryset().filter(pk=pk).first()
        # ruleid: py-read-modify-write
        post.likes += 1
        post.save()

    def merge_settings(self, request):
        config = self.get_queryset().first()
        # Merged from itself too, but not arithmetic: left to a reader (a rare per-user race at most).
        # ok: py-read-modify-write
        config.data = deepmerge(config.data, request.data)
        config.save()


def bump_score(user_id):
    # Not a handler or a task: the same race, on weaker evidence (medium).
    profile = db.session.query(Profile).filter_by(user_id=user_id).first()
    # ruleid: py-read-modify-write
    profile.score += 10
    db.session.commit()


def buy_locked(request, pk):
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=pk)
        # ok: py-read-modify-write
        product.stock -= 1
        product.save()


def buy_in_database(request, pk):
    product = Product.objects.get(pk=pk)
    # ok: py-read-modify-write
    product.stock = F("stock") - 1
    product.save()


def buy_conditional(request, pk):
    product = Product.objects.get(pk=pk)
    product.stock -= 1
    # A conditional UPDATE decides; the Python copy is only for the response.
    # ok: py-read-modify-write
    Product.objects.filter(pk=pk, stock__gt=0).update(stock=F("stock") - 1)


def rename(request, pk, version):
    doc = Document.objects.get(pk=pk)
    if doc.version != version:
        raise Conflict()
    # ok: py-read-modify-write
    doc.revision += 1
    doc.save()


def add_to_cart(request, sku):
    # The session is not a database row.
    cart = request.session.get("cart")
    # ok: py-read-modify-write
    cart.total += 1
    request.session.save()


def normalise(request, pk):
    item = Item.objects.get(pk=pk)
    # Derived from itself, but not arithmetic: nothing to lose between two requests.
    # ok: py-read-modify-write
    item.name = item.name.strip()
    item.save()


def refill(value):
    bucket = Bucket.objects.get(value=value)
    # Race condition: two calls may overwrite each other. It is OK to be inexact here.
    # ok: py-read-modify-write
    bucket.tokens -= 1
    bucket.save()


def unsaved(request, pk):
    product = Product.objects.get(pk=pk)
    # Never written back: only the response shows it.
    # ok: py-read-modify-write
    product.stock -= 1
    return render(request, "p.html", {"product": product})


def forwards(apps, schema_editor):
    # A data migration runs once, alone.
    row = apps.get_model("shop", "Product").objects.get(pk=1)
    # ok: py-read-modify-write
    row.stock += 1
    row.save()
