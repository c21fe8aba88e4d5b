from flask import request
from ldap3.utils.conv import escape_filter_chars

from app import app, ldap_connection


@app.route("/directory")
def directory():
    uid = request.args["uid"]
    conn = ldap_connection()
    # ruleid: py-ldap-injection
    conn.search("ou=people,dc=example,dc=com", f"(&(objectClass=person)(uid={uid}))")
    safe = escape_filter_chars(uid)
    # ok: py-ldap-injection
    conn.search("ou=people,dc=example,dc=com", f"(&(objectClass=person)(uid={safe}))")
    return {"entries": len(conn.entries)}
