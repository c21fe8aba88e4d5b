# ruff: noqa  (an annotated example for the rule test, not code that runs)
from flask import Blueprint, Flask
from flask_jwt_extended import jwt_required
from flask_login import login_required

admin = Blueprint("admin", __name__)
app = Flask(__name__)


@admin.route("/users")
@login_required
def list_users():
    return render_users()


@admin.route("/users/<int:uid>", methods=["DELETE"])
@login_required
def delete_user(uid):
    return remove_user(uid)


@admin.route("/users/<int:uid>/role", methods=["POST"])
@login_required
def set_role(uid):
    return change_role(uid)


# ruleid: py-route-missing-auth
@admin.route("/users/export")
def export_users():
    return csv_of_users()


# Another router: its siblings decide, and here two of three routes are public.
@app.route("/orders")
@jwt_required()
def orders():
    return list_orders()


# ok: py-route-missing-auth
@app.route("/shipping-rates")
def shipping_rates():
    return rates()


# ok: py-route-missing-auth
@app.route("/catalogue")
def catalogue():
    return products()
