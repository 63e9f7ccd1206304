"""Minimal Flask peer for the mock-github wrk benchmark: serves the same JSON bytes the mock served.

Run under gunicorn:  MOCK_PEER_DIR=/tmp/dir gunicorn -w 2 -b 127.0.0.1:PORT mock_github_peer:app
The directory holds repo.json (one repository) and page.json (a 100-repository page) fetched from the mock.
"""

import hashlib
import os

from flask import Flask, Response, request

DIRECTORY = os.environ.get("MOCK_PEER_DIR", ".")
with open(os.path.join(DIRECTORY, "repo.json"), "rb") as handle:
    REPO = handle.read()
with open(os.path.join(DIRECTORY, "page.json"), "rb") as handle:
    PAGE = handle.read()

app = Flask(__name__)


def answer(body):
    if not request.headers.get("Authorization"):
        return Response(b'{"message":"Requires authentication"}', status=401, mimetype="application/json")
    etag = '"' + hashlib.sha1(body).hexdigest() + '"'
    if request.headers.get("If-None-Match") == etag:
        return Response(status=304, headers={"ETag": etag})
    return Response(body, mimetype="application/json", headers={"ETag": etag, "X-RateLimit-Remaining": "4999"})


@app.get("/repos/<owner>/<name>")
def get_repo(owner, name):
    return answer(REPO)


@app.get("/orgs/<org>/repos")
def list_repos(org):
    return answer(PAGE)
