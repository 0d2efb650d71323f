#!/usr/bin/python3
"""tests/test_serve_hostile.py - `scsim serve` under malformed and hostile requests (issue 16):
unknown keys, values out of range, wrong types, huge bodies, wrong methods, path traversal,
invalid JSON, a foreign Host, 1,000 concurrent connections; every answer code is checked,
every error is JSON, and afterwards a good request still runs, is stored, and can be
cancelled; the server stops cleanly on SIGTERM. Python standard library only."""
import json
import os
import resource
import socket
import sys
import threading
import time

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_util import Checks, Server  # noqa: E402

GOOD = {"scenario": "baseline", "settings": {"population.persons": 2000, "run.steps": 24}}


def raw(port, data, timeout=10):
    """Sends raw bytes, returns the status code of the answer (0: closed without one)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
        buf = b""
        while b"\r\n" not in buf:
            chunk = s.recv(4096)
            if not chunk:
                break
            buf += chunk
    except OSError:
        return 0
    finally:
        s.close()
    parts = buf.split(b" ")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def bad_requests():
    """(name, method, path, body, headers, expected status) of each bad request."""
    run = "/api/run"
    s = lambda **kv: {"scenario": "baseline", "settings": kv}  # noqa: E731
    deep = "[" * 5000 + "]" * 5000
    return [
        ("unknown setting", "POST", run, {"scenario": "baseline",
                                          "settings": {"foo.bar": 1}}, None, 400),
        ("misspelt setting", "POST", run, s(**{"agency.courts.false_recrd": 0.1}), None, 400),
        ("undeclared agency", "POST", run, s(**{"agency.tax.false_record": 0.001}), None, 400),
        ("setting not offered", "POST", run, s(**{"run.threads": 2}), None, 400),
        ("layer file (a path) not offered", "POST", run,
         s(**{"layer.social.file": "/etc/passwd"}), None, 400),
        ("unknown field", "POST", run, dict(GOOD, shell="rm -rf /"), None, 400),
        ("scenario as a path", "POST", run, {"scenario": "../../etc/passwd"}, None, 400),
        ("scenario as a file", "POST", run, {"scenario": "scenarios/baseline.ini"}, None, 400),
        ("scenario not a string", "POST", run, {"scenario": 5}, None, 400),
        ("no scenario", "POST", run, {"settings": {}}, None, 400),
        ("false_record above the key's range", "POST", run,
         s(**{"agency.courts.false_record": 2}), None, 400),
        ("false_record negative", "POST", run,
         s(**{"agency.courts.false_record": -0.1}), None, 400),
        ("false_record above the explorer's range", "POST", run,
         s(**{"agency.courts.false_record": 0.5}), None, 400),
        ("persons below the range", "POST", run, s(**{"population.persons": 10}), None, 400),
        ("persons above the cap", "POST", run, s(**{"population.persons": 150000}), None, 422),
        ("over the memory estimate", "POST", run, s(**{"population.persons": 100000}), None,
         422),
        ("persons not whole", "POST", run, s(**{"population.persons": 1000.5}), None, 400),
        ("bool given as a number", "POST", run, s(**{"spillover.partners.enabled": 1}), None,
         400),
        ("number given as a string", "POST", run, s(**{"lists.black_term": "12"}), None, 400),
        ("settings not an object", "POST", run, {"scenario": "baseline", "settings": [1]},
         None, 400),
        ("NaN", "POST", run, '{"scenario":"baseline","settings":{"redress.fairness":NaN}}',
         None, 400),
        ("number overflow", "POST", run,
         '{"scenario":"baseline","settings":{"redress.fairness":1e999}}', None, 400),
        ("duplicate key", "POST", run, '{"scenario":"baseline","scenario":"baseline"}', None,
         400),
        ("truncated JSON", "POST", run, '{"scenario":', None, 400),
        ("JSON array", "POST", run, "[]", None, 400),
        ("JSON null", "POST", run, "null", None, 400),
        ("empty body", "POST", run, "", None, 400),
        ("deep nesting", "POST", run, deep, None, 400),
        ("invalid UTF-8", "POST", run, b'{"scenario":"\xff\xfe"}', None, 400),
        ("huge body", "POST", run, "x" * 200000, None, 413),
        ("text/plain body", "POST", run, json.dumps(GOOD), {"Content-Type": "text/plain"},
         415),
        ("PUT", "PUT", run, json.dumps(GOOD), None, 405),
        ("DELETE", "DELETE", "/", None, None, 405),
        ("PATCH", "PATCH", "/api/scenarios", "{}", None, 405),
        ("OPTIONS", "OPTIONS", "/", None, None, 405),
        ("GET of the run endpoint", "GET", run, None, None, 405),
        ("POST to the catalogue", "POST", "/api/scenarios", "{}", None, 405),
        ("unknown path", "GET", "/etc/passwd", None, None, 404),
        ("encoded traversal", "GET", "/%2e%2e/%2e%2e/etc/passwd", None, None, 404),
        ("traversal in a job path", "GET", "/api/jobs/1/../../../etc/passwd", None, None, 404),
        ("source folder", "GET", "/www/index.html", None, None, 404),
        ("NUL in the path", "GET", "/index.html%00.js", None, None, 404),
        ("no such job", "GET", "/api/jobs/99999", None, None, 404),
        ("job 0", "GET", "/api/jobs/0", None, None, 404),
        ("job with a sign", "GET", "/api/jobs/-1", None, None, 404),
        ("job id with letters", "GET", "/api/jobs/1abc", None, None, 404),
        ("job id too long", "GET", "/api/jobs/" + "9" * 40, None, None, 404),
        ("cancel of no job", "POST", "/api/jobs/12345/cancel", "{}", None, 404),
        ("foreign Host (DNS rebinding)", "GET", "/api/scenarios", None,
         {"Host": "evil.example:80"}, 421),
        ("GET with a body", "GET", "/api/scenarios", "x" * 10, None, 400),
    ]


def check_bad(t, srv):
    for name, method, path, body, headers, want in bad_requests():
        try:
            st, h, data = srv.request(method, path, body, headers)
        except Exception as e:  # a reset counts as a failure: every answer must be 4xx
            t.check(name, False, "no answer: %r" % e)
            continue
        ok = st == want and 400 <= st < 500
        is_json = False
        if method != "HEAD":
            try:
                is_json = "error" in json.loads(data)
            except ValueError:
                pass
        t.check("%s -> %d" % (name, want), ok and is_json,
                "got %d %r" % (st, data[:200]))


def check_raw(t, srv):
    """Requests http.client will not send as they are."""
    big = b"POST /api/run HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" \
          b"Content-Length: 1000000000000\r\n\r\n{"
    t.check("declared length of 1 TB -> 413", raw(srv.port, big) == 413)
    chunked = b"POST /api/run HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json" \
              b"\r\nTransfer-Encoding: chunked\r\n\r\n" + \
              b"".join(b"1000\r\n" + b"a" * 4096 + b"\r\n" for _ in range(8)) + b"0\r\n\r\n"
    t.check("chunked body above the limit -> 413", raw(srv.port, chunked) == 413)
    dots = b"GET /../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    t.check("raw ../ traversal -> 4xx", 400 <= raw(srv.port, dots) < 500)
    header = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 100000 + b"\r\n\r\n"
    code = raw(srv.port, header)
    t.check("100 kB header -> 4xx or closed", code == 0 or 400 <= code < 500, "got %d" % code)
    t.check("garbage request line -> 400", raw(srv.port, b"\x00\x01\x02 garbage\r\n\r\n") in (0, 400))


def flood(t, srv, n=1000, bound=60.0):
    """n concurrent connections, each a GET of the catalogue; all must end within bound s."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n + 100 and hard >= n + 100:
        resource.setrlimit(resource.RLIMIT_NOFILE, (n + 100, hard))
    results = []
    lock = threading.Lock()
    start = threading.Barrier(min(n, 200))

    def one(k):
        if k < 200:
            try:
                start.wait(timeout=10)
            except threading.BrokenBarrierError:
                pass
        code = raw(srv.port, b"GET /api/scenarios HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   b"Connection: close\r\n\r\n", timeout=bound / 2)
        with lock:
            results.append(code)

    t0 = time.time()
    threads = [threading.Thread(target=one, args=(k,), daemon=True) for k in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=max(0.1, bound - (time.time() - t0)))
    took = time.time() - t0
    done, ok = len(results), results.count(200)
    t.check("%d concurrent connections all ended within %.0f s" % (n, bound),
            done == n and took < bound, "%d of %d in %.1f s" % (done, n, took))
    t.check("the flood was served or refused, never answered wrongly (%d served)" % ok,
            ok >= 1 and all(c in (0, 200, 503) for c in results),
            "codes %s" % sorted(set(results)))
    print("flood: %d connections in %.1f s: %d answered 200, %d closed" %
          (n, took, ok, results.count(0)))


def check_good(t, srv):
    job = srv.run("baseline", GOOD["settings"])
    t.check("a good request after the attack runs", job["state"] == "done", repr(job)[:300])
    res = job.get("result", {})
    t.check("its result has headline numbers", len(res.get("headline", [])) >= 5)
    st, h, data = srv.request("GET", "/api/jobs/%d/figure/timeseries.svg" % job["job"])
    t.check("its figure is SVG", st == 200 and b"<svg" in data[:400] and
            h.get("Content-Type") == "image/svg+xml")
    st, _, data = srv.request("GET", "/api/jobs/%d/figure/network.svg" % job["job"])
    t.check("a figure not in the list -> 404", st == 404)
    st, _, data = srv.request("GET", "/api/jobs/%d/scenario.ini" % job["job"])
    t.check("its scenario file", st == 200 and b"[population]" in data)
    st, _, data = srv.request("GET", "/api/jobs/%d/cascade" % job["job"])
    t.check("its cascade", st == 200 and "nodes" in json.loads(data))
    st, _, _ = srv.request("POST", "/api/jobs/%d/cancel" % job["job"], "{}")
    t.check("cancel of a finished job -> 409", st == 409)


def check_queue(t, srv):
    """Queue of 2: a third waiting run is refused with 429; cancel works on waiting runs."""
    heavy = {"scenario": "baseline", "settings": {"population.persons": 60000,
                                                  "run.steps": 240, "run.seed": 11}}
    ids, codes = [], []
    for k in range(4):
        body = json.loads(json.dumps(heavy))
        body["settings"]["run.seed"] = 11 + k
        st, _, data = srv.request("POST", "/api/run", body)
        codes.append(st)
        if st == 202:
            ids.append(json.loads(data)["job"])
    t.check("a full queue refuses with 429", 429 in codes, "codes %s" % codes)
    states = []
    for j in reversed(ids):
        st, _, data = srv.request("POST", "/api/jobs/%d/cancel" % j, "{}")
        states.append((st, json.loads(data).get("state")))
    t.check("cancel answers 200 (or 409 when already over)",
            all(st in (200, 409) for st, _ in states), repr(states))
    t0 = time.time()
    final = []
    while time.time() - t0 < 60:
        final = [json.loads(srv.request("GET", "/api/jobs/%d" % j)[2])["state"] for j in ids]
        if all(s not in ("queued", "running") for s in final):
            break
        time.sleep(0.1)
    t.check("cancelled runs end as cancelled (or done)",
            final and all(s in ("cancelled", "done") for s in final) and "cancelled" in final,
            repr(final))


def check_library(t, srv):
    """Every scenario of the catalogue runs with each of its settings given at its own value
    (small: 500 persons, 12 steps), and the command names every setting."""
    cat = json.loads(srv.request("GET", "/api/scenarios")[2])
    bad = []
    for sc in cat["scenarios"]:
        settings = {k["key"]: (k["value"] != 0 if k["type"] == "boolean" else
                               int(k["value"]) if k["type"] == "integer" else k["value"])
                    for k in sc["knobs"]}
        settings.update({"population.persons": 500, "run.steps": 12})
        job = srv.run(sc["name"], settings)
        cmd = job.get("result", {}).get("command", "")
        if job["state"] != "done" or cmd.count("--set ") != len(settings):
            bad.append((sc["name"], job["state"], job.get("error"), cmd.count("--set ")))
    t.check("every library scenario (%d) runs with all its settings at their own values"
            % len(cat["scenarios"]), len(cat["scenarios"]) >= 10 and not bad, repr(bad[:3]))


def main():
    t = Checks("serve_hostile")
    srv = Server("build/serve-hostile/explorer.db", "--max-persons", "120000",
                 "--max-memory-gib", "0.02", "--queue", "2")
    try:
        st, h, data = srv.request("GET", "/")
        t.check("the page is served", st == 200 and b"<html" in data.lower()
                and "Content-Security-Policy" in h)
        check_bad(t, srv)
        check_raw(t, srv)
        flood(t, srv)
        check_good(t, srv)
        check_queue(t, srv)
        check_library(t, srv)
    finally:
        code = srv.stop()
    t.check("the server stops cleanly on SIGTERM (exit 0)", code == 0, "exit %s" % code)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
