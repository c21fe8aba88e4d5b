import ast

from flask import request

from app import app


@app.route("/calc", methods=["POST"])
def calc():
    expression = request.form["expr"]
    # ruleid: py-eval-exec
    result = eval(expression)
    # ok: py-eval-exec
    literal = ast.literal_eval(expression)
    # ok: py-eval-exec
    constant = eval("2 ** 10")
    return str(int(result) + int(literal) + constant)
