from flask import Blueprint, request

from app.db import get_connection

bp = Blueprint("users", __name__)
SORTS = {"name": "name", "created": "created_at"}


@bp.route("/users/search")
def search_users():
    name = request.args.get("name", "")
    conn = get_connection()
    cur = conn.cursor()
    # ruleid: py-sql-built-from-strings
    cur.execute(f"SELECT id, email FROM users WHERE name = '{name}'")
    query = "SELECT id FROM users WHERE email LIKE '%" + request.args["q"] + "%'"
    # ruleid: py-sql-built-from-strings
    cur.execute(query)
    # ok: py-sql-built-from-strings
    cur.execute("SELECT id, email FROM users WHERE name = %s", (name,))
    limit = int(request.args.get("limit", 50))
    # ok: py-sql-built-from-strings
    cur.execute(f"SELECT id FROM users ORDER BY id LIMIT {limit}")
    sort = request.args.get("sort", "name")
    if sort not in SORTS:
        sort = "name"
    # ok: py-sql-built-from-strings
    cur.execute(f"SELECT id FROM users ORDER BY {sort}")
    # ok: py-sql-built-from-strings
    cur.execute(f"SELECT id FROM users ORDER BY {SORTS['name']}")
    return {"rows": cur.fetchall()}


def rows_for(table_filter):
    cur = get_connection().cursor()
    # A parameter: callers are not visible here, so this is a low lead, still flagged.
    # ruleid: py-sql-built-from-strings
    cur.execute("SELECT * FROM audit WHERE kind = '%s'" % table_filter)
    # ok: py-sql-built-from-strings
    cur.execute("SELECT * FROM audit WHERE kind = %s", [table_filter])
    return cur.fetchall()
