#!/usr/bin/python3
"""tests/test_serve_browser.py - the explorer in a real browser (issue 16): headless Chromium
driven by Debian's python3-selenium and chromium-driver loads the page served by
`scsim serve` on a free loopback port, changes two sliders (the courts' false-record rate and
the partner spillover's strength) and the persons, runs, waits for the result, and checks
every headline number shown against the same two runs done with `scsim run` (the command the
page shows) and queried from that database; also the stored runs' provenance, the figure,
the cascade and the downloads. Screenshots before and after go to BUILD/test-artifacts/
serve-browser/ (BUILD: the folder of $SCSIM). Skips, saying why, only when selenium,
chromium or chromium-driver is not installed (scripts/install-deps.sh installs them)."""
import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_util import Checks, Server, skip  # noqa: E402

GROUP = "serve_browser"
CHROMEDRIVER = "/usr/bin/chromedriver"
SETTINGS = {"population.persons": 20000, "agency.courts.false_record": 0.001,
            "spillover.partners.beta": 0.3}


def artefacts():
    scsim = os.environ.get("SCSIM", "build/scsim")
    d = os.path.join(os.path.dirname(os.path.abspath(scsim)), "test-artifacts", "serve-browser")
    os.makedirs(d, exist_ok=True)
    return d


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1400,2600", "--lang=en-US"):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)


def wait(fn, timeout, what):
    t0 = time.time()
    while time.time() - t0 < timeout:
        v = fn()
        if v:
            return v
        time.sleep(0.1)
    raise RuntimeError("timed out after %d s waiting for %s" % (timeout, what))


def set_range(drv, key, value):
    """Sets a slider as a user would end up setting it: value, then input and change."""
    drv.execute_script(
        "const e = document.querySelector('[data-key=\"' + arguments[0] + '\"]');"
        "e.value = arguments[1];"
        "e.dispatchEvent(new Event('input')); e.dispatchEvent(new Event('change'));",
        key, str(value))


def press_right(drv, key, times):
    """Moves a slider by keyboard, times steps to the right."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    e = drv.find_element(By.CSS_SELECTOR, '[data-key="%s"]' % key)
    e.click()
    drv.execute_script("arguments[0].value = arguments[0].min;"
                       "arguments[0].dispatchEvent(new Event('input'));", e)
    e.send_keys(Keys.RIGHT * times)


def shown_cells(drv):
    return drv.execute_script(
        "return Array.from(document.querySelectorAll('#headline td[data-name]')).map(td => "
        "({name: td.dataset.name, grp: td.dataset.grp, value: td.dataset.value, "
        "text: td.textContent, col: td.classList[0]}));")


def cli_runs(cmd, db):
    """Runs the page's command (variant) and the reference (the reference overrides) into
    db; returns (variant run id, reference run id)."""
    scsim = os.environ.get("SCSIM", "build/scsim")
    argv = shlex.split(cmd)
    assert argv[:2] == ["scsim", "run"], argv
    argv[0] = scsim
    argv[argv.index("--out") + 1] = db
    subprocess.run(argv + ["--quiet"], check=True)
    ref = [a for a in argv if a.startswith("population.persons=") or a.startswith("run.")]
    ref_argv = [scsim, "run", argv[2]]
    for a in ref:
        ref_argv += ["--set", a]
    subprocess.run(ref_argv + ["--out", db, "--quiet"], check=True)
    return 1, 2


def close(a, b):
    return a == b or abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))


def check_numbers(t, cells, db, var_id, ref_id):
    con = sqlite3.connect(db)
    bad, n = [], 0
    for c in cells:
        if c["col"] not in ("ref", "var") or c["value"] == "":
            continue
        run = var_id if c["col"] == "var" else ref_id
        row = con.execute("SELECT value FROM summary WHERE run_id = ? AND name = ? AND grp = ?",
                          (run, c["name"], c["grp"])).fetchone()
        n += 1
        want = row[0] if row else None
        shown = float(c["value"])
        text = float(c["text"].replace("+", "")) if c["text"] not in ("–", "") else None
        if want is None or not close(shown, want) or text is None or \
                abs(text - want) > 1e-3 * max(1.0, abs(want)):
            bad.append((c, want))
    con.close()
    t.check("every headline number shown (%d) equals scsim run's, from its database" % n,
            n >= 10 and not bad, repr(bad[:3]))


def check_provenance(t, explorer_db, cli_db):
    q = "SELECT scenario_name, scenario_hash, overrides, seed FROM runs ORDER BY run_id"
    a = sqlite3.connect(explorer_db).execute(q).fetchall()
    b = sqlite3.connect(cli_db).execute(q).fetchall()
    t.check("the explorer stored both runs as scsim run stores them (scenario, hash, "
            "overrides, seed)", len(a) == 2 and sorted(a) == sorted(b), "%r vs %r" % (a, b))


def page_checks(t, drv, srv):
    ok = drv.execute_script("const i = document.getElementById('figure');"
                            "return i.complete && i.naturalWidth > 0;")
    t.check("the figure (SVG from the plotting layer) is shown", bool(ok))
    cap = wait(lambda: drv.execute_script(
        "return document.getElementById('cascade-caption').textContent;"), 30, "the cascade")
    t.check("the cascade view names its root and cause", "root" in cap, cap)
    series = drv.execute_script("return document.querySelectorAll('#series svg').length;")
    t.check("the time series are drawn", series >= 3, "%d" % series)
    ini = drv.execute_script("return document.getElementById('dl-ini').href;")
    with urllib.request.urlopen(ini, timeout=30) as r:
        text = r.read().decode()
    t.check("download scenario file: the resolved variant with the two settings",
            "[population]" in text and "beta = 0.3" in text, text[:200])
    png = drv.execute_script("return document.getElementById('dl-png').href;")
    with urllib.request.urlopen(png, timeout=60) as r:
        data = r.read()
    t.check("download figure (PNG)", data[:8] == b"\x89PNG\r\n\x1a\n")


def run_page(t, drv, srv, art):
    from selenium.webdriver.common.by import By
    drv.get(srv.url + "/")
    wait(lambda: drv.execute_script("return document.body.dataset.ready === '1';"), 30,
         "the page to load")
    t.check("the page loads the scenario library",
            drv.find_element(By.ID, "scenario").get_attribute("value") == "baseline")
    drv.save_screenshot(os.path.join(art, "before.png"))
    set_range(drv, "population.persons", SETTINGS["population.persons"])
    set_range(drv, "agency.courts.false_record", SETTINGS["agency.courts.false_record"])
    press_right(drv, "spillover.partners.beta", 29)   # min 0.01 + 29 steps of 0.01 = 0.30
    changed = drv.execute_script("return document.querySelectorAll('.knob.changed').length;")
    t.check("two sliders (and persons) show as changed", changed == 3, "%d" % changed)
    drv.find_element(By.ID, "run").click()
    wait(lambda: drv.execute_script(
        "return !document.getElementById('results').hidden && "
        "document.getElementById('status').textContent.startsWith('Done');"), 180,
         "the result")
    wait(lambda: drv.execute_script("const i = document.getElementById('figure');"
                                    "return i.complete && i.naturalWidth > 0;"), 60, "figure")
    time.sleep(0.5)
    drv.save_screenshot(os.path.join(art, "after.png"))
    return drv.find_element(By.ID, "command").text


def main():
    try:
        import selenium  # noqa: F401
    except ImportError:
        return skip(GROUP, "python3-selenium is not installed (scripts/install-deps.sh)")
    if not os.path.exists(CHROMEDRIVER) or not shutil.which("chromium"):
        return skip(GROUP, "chromium or chromium-driver is not installed "
                           "(scripts/install-deps.sh)")
    t = Checks(GROUP)
    art = artefacts()
    for f in ("before.png", "after.png"):
        if os.path.exists(os.path.join(art, f)):
            os.remove(os.path.join(art, f))
    srv = Server("build/serve-browser/explorer.db")
    drv = None
    try:
        drv = browser()
        cmd = run_page(t, drv, srv, art)
        want = " ".join("--set %s=%s" % (k, v) for k, v in SETTINGS.items())
        t.check("the command that reproduces it has the two settings", want in cmd, cmd)
        cells = shown_cells(drv)
        cli_db = "build/serve-browser/cli.db"
        for s in ("", "-wal", "-shm"):
            if os.path.exists(cli_db + s):
                os.remove(cli_db + s)
        var_id, ref_id = cli_runs(cmd, cli_db)
        check_numbers(t, cells, cli_db, var_id, ref_id)
        check_provenance(t, srv.db, cli_db)
        page_checks(t, drv, srv)
        for f in ("before.png", "after.png"):
            p = os.path.join(art, f)
            t.check("screenshot %s saved" % p, os.path.exists(p) and os.path.getsize(p) > 20000)
    except Exception as e:  # the test fails, with what happened
        t.check("the browser session", False, repr(e))
    finally:
        if drv:
            drv.quit()
        srv.stop()
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
