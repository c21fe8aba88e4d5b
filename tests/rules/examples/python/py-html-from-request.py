from flask import escape, jsonify, render_template, render_template_string, request

from app import app


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # ruleid: py-html-from-request
    return f"<h1>Hello {name}</h1>"


@app.route("/hello-template")
def hello_template():
    # ruleid: py-html-from-request
    return render_template_string("<p>" + request.args["msg"] + "</p>")


@app.route("/hello-safe")
def hello_safe():
    name = request.args.get("name", "")
    # ok: py-html-from-request
    return f"<h1>Hello {escape(name)}</h1>"


@app.route("/hello-json")
def hello_json():
    # ok: py-html-from-request
    return jsonify(name=request.args.get("name"))


@app.route("/hello-page")
def hello_page():
    # ok: py-html-from-request
    return render_template("hello.html", name=request.args.get("name"))
