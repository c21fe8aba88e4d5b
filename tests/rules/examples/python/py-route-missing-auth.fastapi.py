# ruff: noqa  (an annotated example for the rule test, not code that runs)
from fastapi import APIRouter, Depends

router = APIRouter()


@router.get("/invoices")
def invoices(user: User = Depends(get_current_user), db: Session = Depends(get_db)):
    return db.query(Invoice).filter_by(owner=user.id).limit(50).all()


@router.get("/invoices/{invoice_id}")
def invoice(invoice_id: int, user: User = Depends(get_current_user)):
    return load_invoice(user, invoice_id)


@router.post("/invoices/{invoice_id}/void", dependencies=[Depends(require_admin)])
def void_invoice(invoice_id: int):
    return void(invoice_id)


# ruleid: py-route-missing-auth
@router.get("/invoices/{invoice_id}/pdf")
def invoice_pdf(invoice_id: int, db: Session = Depends(get_db)):
    return render_pdf(db.get(Invoice, invoice_id))
