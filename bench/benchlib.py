"""Shared helpers of bench/engine and bench/scale: processes, /proc sampling, tgsim and hqadz
HTTP clients. Standard library only (runs under /usr/bin/python3)."""
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("HQADZ_BENCH_BIN", os.path.join(ROOT, "build", "bin"))
TICK = os.sysconf("SC_CLK_TCK")


def log(*args):
    print("[%s]" % time.strftime("%H:%M:%S"), *args, file=sys.stderr, flush=True)


def cpu_seconds(pid):
    """utime + stime of a process (all its threads), in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def machine():
    def sh(cmd):
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""
    model = sh("lscpu | sed -n 's/^Model name: *//p'")
    mem = sh("free -g | awk '/^Mem:/{print $2}'")
    return {"cpu": model, "nproc": int(sh("nproc") or 0), "ram_gib": int(mem or 0),
            "kernel": sh("uname -r"), "load_avg_at_start": os.getloadavg()[0]}


def http(method, url, body=None, token=None, timeout=30, retries=5):
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    for attempt in range(retries):
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                raw = r.read()
                return r.status, (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as e:
            raw = e.read()
            if e.code in (429, 503) and attempt + 1 < retries:
                time.sleep(0.2 * (attempt + 1))
                continue
            try:
                return e.code, json.loads(raw)
            except ValueError:
                return e.code, raw.decode(errors="replace")
    raise RuntimeError("unreachable")


def must(status_body, *ok):
    status, body = status_body
    if status not in ok:
        raise RuntimeError("HTTP %d: %s" % (status, body))
    return body


class Proc:
    """A child process whose first stdout line is awaited (tgsim's and serve's banner)."""

    def __init__(self, argv, env=None, stdin=False, stderr_path=None):
        if stderr_path:
            os.makedirs(os.path.dirname(stderr_path), exist_ok=True)
        self.stderr = open(stderr_path or os.devnull, "ab")
        self.p = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE,
                                  stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                  stderr=self.stderr, text=True, bufsize=1)
        self.pid = self.p.pid

    def line(self):
        l = self.p.stdout.readline()
        if not l:
            raise RuntimeError("%s exited (rc %s)" % (self.p.args[0], self.p.poll()))
        return l.strip()

    def drain(self):
        """Keeps reading stdout after the banner (tgsim logs there): a full pipe would block it."""
        def run():
            for _ in self.p.stdout:
                pass
        threading.Thread(target=run, daemon=True).start()

    def send(self, text):
        self.p.stdin.write(text + "\n")
        self.p.stdin.flush()

    def stop(self, timeout=30):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(timeout)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.stderr.close()


class Tgsim:
    def __init__(self, workdir):
        os.makedirs(workdir, exist_ok=True)
        self.proc = Proc([os.path.join(BIN, "tgsim"), "--listen", "127.0.0.1:0",
                          "--control", "127.0.0.1:0"], stderr_path=os.path.join(workdir, "tgsim.log"))
        m = re.match(r"tgsim mtproto on (\S+) control on (\S+)", self.proc.line())
        self.proc.drain()
        self.control = m.group(2)
        self.pid = self.proc.pid
        # Flood policy off: the bench measures the engines, not Telegram's limits.
        must(http("PUT", self.control + "/flood", {"per_minute": 0, "wait_seconds": 0}), 200)
        self.dcs = must(http("GET", self.control + "/config"), 200)["hqadz_telegram_dcs"]

    def post(self, path, body):
        return must(http("POST", self.control + path, body), 200, 201)

    def deliveries(self):
        return must(http("GET", self.control + "/stats"), 200)["deliveries"]

    def stats(self):
        return must(http("GET", self.control + "/stats"), 200)

    def stop(self):
        self.proc.stop()


def median(xs):
    xs = sorted(xs)
    if not xs:
        return None
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def percentile(xs, q):
    xs = sorted(xs)
    if not xs:
        return None
    k = max(0, min(len(xs) - 1, int(round(q / 100.0 * len(xs) + 0.5)) - 1))
    return xs[k]
