"""Runs PyGithub, unchanged, against a running mock-github and exits non-zero on any failure.

Usage: third_party_client_check.py BASE_URL TOKEN EXPECTED_REPOS ADMIN_TOKEN
"""

import json
import sys
import urllib.request

import github
from github import Auth, Github

base_url, token, expected, admin_token = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
failures = []


def check(name, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + name + (f" ({detail})" if detail else ""), flush=True)
    if not condition:
        failures.append(name)


def admin(method, path, body=None):
    request = urllib.request.Request(
        base_url + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {admin_token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"null")


gh = Github(base_url=base_url, auth=Auth.Token(token), retry=None)

# 1. The authenticated user.
check("get_user().login", gh.get_user().login == "mona")

# 2. An org's repos across pages (PyGithub follows rel="next"; totalCount reads rel="last").
org = gh.get_organization("moko-lab")
repos = list(org.get_repos())
names = [repo.full_name for repo in repos]
check("org.get_repos() lists every repo", len(names) == expected, f"{len(names)} of {expected}")
check("org.get_repos() has no duplicates", len(set(names)) == len(names))
check("org.get_repos().totalCount", org.get_repos().totalCount == expected)
gh100 = Github(base_url=base_url, auth=Auth.Token(token), retry=None, per_page=100)
check("per_page=100 pages", len(list(gh100.get_organization("moko-lab").get_repos())) == expected)

# 3. Get and update a repository.
name = sorted(names)[0]
repo = gh.get_repo(name)
check("get_repo().full_name", repo.full_name == name)
repo.edit(description="edited by PyGithub", has_wiki=False)
again = gh.get_repo(name)
check("edit() persisted description", again.description == "edited by PyGithub", repr(again.description))
check("edit() persisted has_wiki", again.has_wiki is False)
check("permissions.admin", again.permissions.admin is True)

# 4. Rate limit.
overview = gh.get_rate_limit()
core = overview.resources.core if hasattr(overview, "resources") else overview.core
check("get_rate_limit() core limit", core.limit == 5000, str(core.limit))
check("get_rate_limit() core remaining", 0 < core.remaining < 5000, str(core.remaining))

# 5. Conditional request: a fresh object revalidates with If-None-Match and gets 304 (update() → False).
fresh = gh.get_repo(name)
before = gh.rate_limiting[0]
check("update() on an unchanged repo is a 304", fresh.update() is False)
check("a 304 costs no quota", gh.rate_limiting[0] == before, f"{before} → {gh.rate_limiting[0]}")
fresh.edit(description="changed again")
stale = gh.get_repo(name)
admin("POST", "/__mock/clock", {"advance": 2})
gh.get_repo(name).edit(description="changed by someone else")
check("update() after a change refetches", stale.update() is True and stale.description == "changed by someone else")

# 6. Errors are classified like GitHub's.
try:
    gh.get_repo("moko-lab/does-not-exist")
    check("404 raises UnknownObjectException", False)
except github.UnknownObjectException:
    check("404 raises UnknownObjectException", True)
try:
    Github(base_url=base_url, auth=Auth.Token("ghp_wrong"), retry=None).get_user().login
    check("401 raises BadCredentialsException", False)
except github.BadCredentialsException:
    check("401 raises BadCredentialsException", True)
for kind in ["primary", "secondary"]:
    admin("POST", "/__mock/ratelimit/trip", {"subject": {"login": "mona"}, "kind": kind, "retryAfter": 60})
    try:
        gh.get_repo(name)
        check(f"{kind} rate limit raises RateLimitExceededException", False)
    except github.RateLimitExceededException:
        check(f"{kind} rate limit raises RateLimitExceededException", True)
admin("POST", "/__mock/clock", {"advance": 120})

# 7. Create an issue (sequential number) and a repository.
created = org.create_repo("pygithub-made", private=True)
check("create_repo()", created.private is True and created.full_name == "moko-lab/pygithub-made")
issue = created.create_issue(title="first")
check("create_issue() numbers from 1", issue.number == 1)

print(f"PyGithub {github.__version__ if hasattr(github, '__version__') else ''}: "
      f"{'all checks passed' if not failures else str(len(failures)) + ' failed: ' + ', '.join(failures)}", flush=True)
sys.exit(1 if failures else 0)
