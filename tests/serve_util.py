"""tests/serve_util.py - shared by the `scsim serve` tests (test_serve_*.py): start the
server on a free loopback port (--port 0, the port read back from its first line), plain
HTTP requests with the standard library, and cmocka-style result lines so that
scripts/run-tests.sh counts the checks in its summary."""
import http.client
import json
import os
import signal
import subprocess
import sys
import time


class Server:
    """`scsim serve` in a child process; stop() ends it with SIGTERM and returns its code."""

    def __init__(self, db, *args):
        scsim = os.environ.get("SCSIM", "build/scsim")
        os.makedirs(os.path.dirname(db) or ".", exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        self.db = db
        self.proc = subprocess.Popen([scsim, "serve", "--port", "0", "--db", db, *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if "http://127.0.0.1:" not in line:
            self.proc.kill()
            raise RuntimeError("scsim serve did not start: %r %r" % (line, self.proc.stderr.read()))
        self.port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        self.url = "http://127.0.0.1:%d" % self.port

    def request(self, method, path, body=None, headers=None, timeout=30):
        """(status, headers dict, body bytes) of one request on a new connection."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = {"Content-Type": "application/json"} if body is not None else {}
        h.update(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, dict(r.getheaders()), data

    def run(self, scenario, settings, timeout=120):
        """Starts a run and waits for its end; the job object."""
        st, _, data = self.request("POST", "/api/run", {"scenario": scenario,
                                                         "settings": settings})
        if st != 202:
            raise RuntimeError("POST /api/run: %d %s" % (st, data))
        job = json.loads(data)["job"]
        t0 = time.time()
        while time.time() - t0 < timeout:
            st, _, data = self.request("GET", "/api/jobs/%d" % job)
            o = json.loads(data)
            if o["state"] not in ("queued", "running"):
                return o
            time.sleep(0.1)
        raise RuntimeError("job %d did not finish in %d s" % (job, timeout))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


class Checks:
    """Counts named checks and prints them the way cmocka does."""

    def __init__(self, group):
        self.group, self.passed, self.failed = group, 0, []
        print("[==========] Running checks of %s." % group)

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print("[       OK ] %s" % name)
        else:
            self.failed.append(name)
            print("[  ERROR   ] %s: %s" % (name, detail))
            print("[  FAILED  ] %s" % name)
        sys.stdout.flush()
        return ok

    def finish(self):
        print("[==========] %d test(s) run." % (self.passed + len(self.failed)))
        print("[  PASSED  ] %d test(s)." % self.passed)
        if self.failed:
            print("[  FAILED  ] %d test(s), listed below:" % len(self.failed))
            for f in self.failed:
                print("[  FAILED  ] %s" % f)
        return 1 if self.failed else 0


def skip(group, why):
    """A skipped test file: says why, counts nothing, succeeds."""
    print("[==========] %s: SKIPPED: %s" % (group, why))
    print("[  PASSED  ] 0 test(s).")
    return 0
