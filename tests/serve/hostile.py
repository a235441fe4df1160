#!/usr/bin/env python3
"""hostile.py PORT STORE -- hostile requests against incimap serve on
127.0.0.1:PORT: each must get its 4xx and leave STORE as it was.

Covers: an oversized body (declared and chunked), bad JSON, a body that is
not an object, unknown fields, bad field types, bad edits, unknown and
malformed ids, unknown actions, splits (no reports, an empty set, every
report, unknown reports, reports of another incident, one twice, bad
types, too many, a stale version), a missing or wrong CSRF token, a wrong
content type, a foreign Host header, ../ (plain and encoded) in static and
API paths, methods not allowed; then 200 concurrent requests from a bounded
local client (threads, 127.0.0.1 only): reads, stale-version writes (409)
and CSRF-less writes (403). Prints one line per check; exits 1 on the first
failure."""
import hashlib
import http.client
import json
import socket
import sqlite3
import sys
import threading

PORT, STORE = int(sys.argv[1]), sys.argv[2]
HOST = "127.0.0.1"
assert HOST == "127.0.0.1"  # the client never talks to anything else


def snapshot():
    db = sqlite3.connect(f"file:{STORE}?mode=ro", uri=True)
    h = hashlib.sha256()
    for table in ("incidents", "report", "documents", "review_item", "review_member", "verdicts",
                  "review_split", "review_apart"):
        try:
            for row in db.execute(f"SELECT * FROM {table} ORDER BY 1"):
                h.update(repr(row).encode())
        except sqlite3.OperationalError:
            h.update(f"no {table}".encode())
    db.close()
    return h.hexdigest()


def request(method, path, body=None, headers=None, raw=False):
    c = http.client.HTTPConnection(HOST, PORT, timeout=30)
    hd = {"Host": f"127.0.0.1:{PORT}"}
    hd.update(headers or {})
    c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for k, v in hd.items():
        c.putheader(k, v)
    if body is not None and not raw:
        c.putheader("Content-Length", str(len(body)))
    c.endheaders()
    if body is not None:
        c.send(body)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def session():
    st, data = request("GET", "/api/session")
    assert st == 200, st
    return json.loads(data)["csrf"]


CSRF = session()
JSONH = {"Content-Type": "application/json", "X-CSRF-Token": CSRF}
failures = 0


def expect(name, status, got, data=b""):
    global failures
    msg = ""
    try:
        msg = json.loads(data).get("error", "") if data else ""
    except ValueError:
        msg = data[:80].decode("utf-8", "replace")
    ok = got == status
    print(f"{'ok ' if ok else 'BAD'} {name}: {got} {msg}")
    if not ok:
        failures += 1


def first_incident():
    st, data = request("GET", "/api/incidents")
    inc = json.loads(data)["incidents"]
    return inc[0]["id"], inc[0]["version"]


before = snapshot()
iid, ver = first_incident()
post = lambda path, body, h=JSONH: request("POST", path, body, h)

# bodies
st, d = post(f"/api/incidents/{iid}/accept", b'{"version":0,"who":"' + b"x" * 70000 + b'"}')
expect("oversized body (Content-Length)", 413, st, d)
c = socket.create_connection((HOST, PORT), timeout=30)
chunk = b"x" * 8192
req = (f"POST /api/incidents/{iid}/accept HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\n"
       f"Content-Type: application/json\r\nX-CSRF-Token: {CSRF}\r\n"
       "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode()
c.sendall(req)
for _ in range(12):
    c.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
c.sendall(b"0\r\n\r\n")
resp = b""
while True:
    b = c.recv(65536)
    if not b:
        break
    resp += b
c.close()
expect("oversized body (chunked)", 413, int(resp.split(b" ", 2)[1]) if resp else 0,
       resp.split(b"\r\n\r\n", 1)[-1])
st, d = post(f"/api/incidents/{iid}/accept", b'{"version": 0,')
expect("bad JSON", 400, st, d)
st, d = post(f"/api/incidents/{iid}/accept", b"\xff\xfe not utf-8")
expect("bad JSON (not UTF-8)", 400, st, d)
st, d = post(f"/api/incidents/{iid}/accept", b"[1, 2]")
expect("body not an object", 400, st, d)
st, d = post(f"/api/incidents/{iid}/accept", b'{"version":0,"version":0}')
expect("duplicate key", 400, st, d)
st, d = post(f"/api/incidents/{iid}/accept", b'{"version":0,"admin":true}')
expect("unknown field", 400, st, d)
st, d = post(f"/api/incidents/{iid}/accept", b'{"version":"0"}')
expect("version not an integer", 400, st, d)
st, d = post(f"/api/incidents/{iid}/accept", b'{}')
expect("version missing", 400, st, d)
st, d = post(f"/api/incidents/{iid}/accept", b'{"version":0,"who":""}')
expect("empty who", 400, st, d)
st, d = post(f"/api/incidents/{iid}/reject", b'{"version":0,"reason":"' + b"r" * 300 + b'"}')
expect("reason too long", 400, st, d)
for edits in (b'"x"', b'{}', b'{"lon": 200, "lat": 40}', b'{"lon": 45}', b'{"type": "bombing"}',
              b'{"date": "2022-02-30"}', b'{"place_name": 5}', b'{"sql": "1; DROP TABLE verdicts"}',
              b'{"actor1": "' + b"a" * 100 + b'"}'):
    st, d = post(f"/api/incidents/{iid}/edit", b'{"version":0,"edits":' + edits + b"}")
    expect(f"bad edits {edits[:30].decode()}", 400, st, d)
st, d = post(f"/api/incidents/{iid}/merge", b'{"version":0,"into":999999}')
expect("merge into an unknown incident", 404, st, d)
st, d = post(f"/api/incidents/{iid}/merge", b'{"version":0,"into":%d}' % iid)
expect("merge into itself", 400, st, d)
st, d = post(f"/api/incidents/{iid}/undo", b'{"version":0}')
expect("undo with nothing to undo", 400, st, d)
st, d = post(f"/api/incidents/{iid}/accept", b'{"version":7}')
expect("stale version", 409, st, d)
# splits: the reports that leave must be some, not all, of the incident's own
def report_ids(inc):
    st, data = request("GET", f"/api/incidents/{inc}")
    return [s["report_id"] for s in json.loads(data)["sources"]]
st, data = request("GET", "/api/incidents")
others = [i["id"] for i in json.loads(data)["incidents"] if i["id"] != iid]
mine, theirs = report_ids(iid), report_ids(others[0])
split = lambda body: post(f"/api/incidents/{iid}/split", json.dumps(body).encode())
for name, body, want in (
        ("split without reports", {"version": 0}, 400),
        ("split of an empty set", {"version": 0, "reports": []}, 400),
        ("split of every report", {"version": 0, "reports": mine}, 400),
        ("split of an unknown report", {"version": 0, "reports": [99999999]}, 400),
        ("split of another incident's report", {"version": 0, "reports": theirs[:1]}, 400),
        ("split naming a report twice", {"version": 0, "reports": mine[:1] * 2}, 400),
        ("split, reports not an array", {"version": 0, "reports": mine[0]}, 400),
        ("split, a report id as a string", {"version": 0, "reports": [str(mine[0])]}, 400),
        ("split, report id 0", {"version": 0, "reports": [0]}, 400),
        ("split, report id -1", {"version": 0, "reports": [-1]}, 400),
        ("split, an SQL string", {"version": 0, "reports": ["1) OR 1=1 --"]}, 400),
        ("split of 1001 reports", {"version": 0, "reports": list(range(1, 1002))}, 400),
        ("split, stale version", {"version": 3, "reports": mine[:1]}, 409)):
    st, d = split(body)
    expect(name, want, st, d)
st, d = post("/api/incidents/999999/split", b'{"version":0,"reports":[1]}')
expect("split of an unknown incident", 404, st, d)
st, d = post(f"/api/incidents/{iid}/split", json.dumps({"version": 0, "reports": mine[:1]}).encode(),
             {"Content-Type": "application/json"})
expect("split without the CSRF token", 403, st, d)
# ids and actions
st, d = post("/api/incidents/999999/accept", b'{"version":0}')
expect("unknown id", 404, st, d)
st, d = request("GET", "/api/incidents/999999")
expect("unknown id (GET)", 404, st, d)
for bad in ("abc", "-1", "0", "1e3", "99999999999999999999", "1%27%20OR%201=1"):
    st, d = post(f"/api/incidents/{bad}/accept", b'{"version":0}')
    expect(f"malformed id {bad}", 400, st, d)
st, d = post(f"/api/incidents/{iid}/delete", b'{"version":0}')
expect("unknown action", 404, st, d)
# CSRF, content type, Host
st, d = post(f"/api/incidents/{iid}/accept", b'{"version":0}', {"Content-Type": "application/json"})
expect("missing CSRF token", 403, st, d)
st, d = post(f"/api/incidents/{iid}/accept", b'{"version":0}',
             {"Content-Type": "application/json", "X-CSRF-Token": "0" * 32})
expect("wrong CSRF token", 403, st, d)
st, d = post(f"/api/incidents/{iid}/accept", b'version=0',
             {"Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": CSRF})
expect("form content type", 415, st, d)
st, d = request("GET", "/api/incidents", headers={"Host": "attacker.example:80"})
expect("foreign Host (DNS rebinding)", 421, st, d)
# paths
for p in ("/../../etc/passwd", "/vendor/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
          "/vendor/..%2f..%2fetc%2fpasswd", "/app.js/../../etc/passwd", "/..", "/vendor/",
          "/vendor/leaflet.js%00.png", "/api/../app.js", "//etc/passwd", "/api/incidents/1/../2"):
    st, d = request("GET", p)
    expect(f"path {p}", 404, st, d)
    if st == 200 or b"root:" in d:
        print("BAD: a path outside the assets was served")
        failures += 1
st, d = request("DELETE", "/api/incidents")
expect("DELETE", 405, st, d)
st, d = request("PUT", "/app.js", b"x", {"Content-Type": "text/plain"})
expect("PUT on an asset", 405, st, d)
st, d = post("/api/session", b"{}")
expect("POST on session", 405, st, d)

# 200 concurrent requests, a bounded local client
results, lock = [], threading.Lock()


def worker(k):
    try:
        if k % 3 == 0:
            st, d = request("GET", "/api/incidents")
            want = 200
        elif k % 3 == 1:
            st, d = post(f"/api/incidents/{iid}/accept", b'{"version":12345}')
            want = 409
        else:
            st, d = post(f"/api/incidents/{iid}/reject", b'{"version":0}',
                         {"Content-Type": "application/json"})
            want = 403
    except Exception as e:  # a refused or reset connection is a failure too
        st, want = f"{type(e).__name__}: {e}", "a status"
    with lock:
        results.append((st, want))


threads = [threading.Thread(target=worker, args=(k,)) for k in range(200)]
for t in threads:
    t.start()
for t in threads:
    t.join(120)
bad = [r for r in results if r[0] != r[1]]
print(f"{'ok ' if not bad and len(results) == 200 else 'BAD'} 200 concurrent requests: "
      f"{len(results)} answered, {len(bad)} wrong {bad[:3]}")
if bad or len(results) != 200:
    failures += 1

# the server still answers, and nothing changed
st, d = request("GET", "/api/incidents")
expect("still serving", 200, st, d)
after = snapshot()
same = before == after
print(f"{'ok ' if same else 'BAD'} store unchanged by every hostile request")
if not same:
    failures += 1
sys.exit(1 if failures else 0)
