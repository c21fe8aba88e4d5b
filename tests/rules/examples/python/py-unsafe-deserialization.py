import json
import pickle

import yaml
from flask import request

from app import app


@app.route("/import", methods=["POST"])
def import_settings():
    # ruleid: py-unsafe-deserialization
    settings = pickle.loads(request.get_data())
    # ruleid: py-unsafe-deserialization
    extra = yaml.load(request.form["yaml"], Loader=yaml.Loader)
    # ok: py-unsafe-deserialization
    safe = yaml.load(request.form["yaml"], Loader=yaml.SafeLoader)
    # ok: py-unsafe-deserialization
    plain = json.loads(request.get_data())
    return {"keys": len(settings) + len(extra) + len(safe) + len(plain)}
