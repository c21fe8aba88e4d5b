import os

from flask import request, send_file, send_from_directory
from werkzeug.utils import secure_filename

from app import app

REPORTS = "/srv/reports"


@app.route("/reports/download")
def download_report():
    name = request.args["file"]
    # ruleid: py-path-from-request
    return send_file(os.path.join(REPORTS, name))


@app.route("/reports/view")
def view_report():
    name = request.args["file"]
    # ruleid: py-path-from-request
    with open(REPORTS + "/" + name) as handle:
        body = handle.read()
    safe = secure_filename(name)
    # ok: py-path-from-request
    with open(os.path.join(REPORTS, safe)) as handle:
        body += handle.read()
    # ok: py-path-from-request
    with open(os.path.join(REPORTS, os.path.basename(name))) as handle:
        body += handle.read()
    return body.replace("<", "&lt;")


@app.route("/reports/static")
def static_report():
    # send_from_directory keeps the name inside the folder.
    # ok: py-path-from-request
    return send_from_directory(REPORTS, request.args["file"])


@router.get("/{recipe_id}/images/{file_name}")
async def get_recipe_img(recipe_id: UUID4, file_name: ImageType = ImageType.original):
    # An id the framework parsed and one member of an Enum: no text of the client's reaches the path.
    # ok: py-path-from-request
    return FileResponse(open(os.path.join(DATA_DIR, str(recipe_id), "images", file_name.value), "rb"))


@router.post("/backups/upload")
def upload_backup(archive: UploadFile = File(...)):
    name = archive.filename
    dest = BACKUP_DIR.joinpath(f"{name}.zip")
    if dest.absolute().parent != BACKUP_DIR:
        raise HTTPException(400)
    # The path is checked to stay in its folder first.
    # ok: py-path-from-request
    with dest.open("wb") as buffer:
        # The upload's bytes go into a file opened above: copyfileobj takes file objects, not paths.
        # ok: py-path-from-request
        shutil.copyfileobj(archive.file, buffer)


@app.route("/themes/<theme>/static/<path:path>")
def theme_file(theme, path):
    # safe_join answers None for a path that leaves the folder; each candidate it yields is inside it.
    for candidate in (safe_join(app.root_path, "themes", t, "static", path) for t in (theme, "core")):
        if candidate is None:
            abort(404)
        # ok: py-path-from-request
        return send_file(candidate)
    # The loop's names are the client's; joined by hand they still reach the path.
    for candidate in (os.path.join(app.root_path, "themes", t, path) for t in (theme, "core")):
        # ruleid: py-path-from-request
        return send_file(candidate)


@router.get("/users/{user_id}/{file_name}")
async def get_user_image(user_id: UUID4, file_name: str):
    # One segment of the URL's path holds no `/`: it names a file in the user's folder, or `..`, a folder that
    # opening as a file fails on.
    image = USER_DIR / str(user_id) / file_name
    # ok: py-path-from-request
    return FileResponse(image)


@router.get("/users/{user_id}/files")
async def get_user_file(user_id: UUID4, file_name: str):
    # Not in the route's path: a query parameter, which may hold `../../etc/passwd`.
    # ruleid: py-path-from-request
    return FileResponse(USER_DIR / str(user_id) / file_name)


@router.get("/exports/{export_path:path}")
async def get_export(export_path: str):
    # A `:path` parameter spans slashes.
    # ruleid: py-path-from-request
    return FileResponse(EXPORT_DIR / export_path)


@app.route("/projects/<project>", methods=["DELETE"])
def delete_project(project):
    # `..` as one segment is the parent folder, and rmtree removes folders.
    # ruleid: py-path-from-request
    shutil.rmtree(os.path.join(PROJECTS, project))
    # ok: py-path-from-request
    os.remove(os.path.join(PROJECTS, project + ".lock"))
    return "", 204
