from flask import request
from lxml import etree

from app import app

TREE = etree.parse("/srv/data/employees.xml")


@app.route("/employees")
def employee():
    emp_id = request.args["id"]
    # ruleid: py-xpath-injection
    nodes = TREE.xpath(f"/employees/employee[@id='{emp_id}']")
    # ok: py-xpath-injection
    bound = TREE.xpath("/employees/employee[@id=$id]", id=emp_id)
    return {"found": len(nodes) + len(bound)}
