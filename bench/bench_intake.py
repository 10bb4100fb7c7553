"""Residents' opinions: public form throughput with concurrent clients, and the quarterly report.

Run: python bench/bench_intake.py [--clients 16] [--seconds 10] [--opinions 10000].
Serves the app with waitress (as `concord serve` does) on 127.0.0.1 over SQLite in a temporary
instance, in a separate process; each client opens the form (cookie, CSRF token, opened stamp)
and sends it, again and again as fast as it can (each opened form is good for one opinion; the
reopening is not timed). Every client comes from 127.0.0.1, so the per-address throttle and the
minimum fill time are relaxed for the run. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SERVER = """
import json, sys
from waitress import serve
from concord.app import create_app
from concord.schema import upgrade
app = create_app({"INTAKE_LIMITS": {"per_client": 10**9, "per_station": 10**9,
                                    "min_fill_seconds": 0}})
upgrade(app.extensions["concord_engine"])
with app.app_context():
    from concord.db import request_session
    from concord.accounts import users as accounts
    from comments.opinions.services import stations
    s = request_session()
    user = accounts.create_user(s, username="bench", jurisdiction="650200", role="drafter",
                                password="bench-password-1")
    station = stations.create_station(s, user, kind="station", name="压测联络站",
                                      jurisdiction="650200", district="克拉玛依区")
    print(json.dumps({"code": station.code}), flush=True)
serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=8, ident="bench", _quiet=True)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_cpu(pid: int) -> float:
    """Return the user plus system CPU seconds a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


def client_loop(port: int, code: str, until: float, latencies: list, errors: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", f"/intake/{code}")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = SimpleCookie(response.getheader("Set-Cookie"))
    headers = {"Cookie": f"concord_session={cookie['concord_session'].value}"}
    n = 0
    while time.perf_counter() < until:
        n += 1
        if n > 1:  # each opened form is good for one submission: open it again, untimed
            conn.request("GET", f"/intake/{code}", headers=headers)
            page = conn.getresponse().read().decode()
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        opened = re.search(r'name="opened" value="([^"]+)"', page).group(1)
        body, ctype = multipart(
            {
                "csrf_token": csrf,
                "opened": opened,
                "category": "交通出行",
                "text": f"第{n}条压测意见：公交站台需要遮阳棚，早高峰班次太少。",
                "contact": "13800000000",
            }
        )
        start = time.perf_counter()
        conn.request("POST", f"/intake/{code}", body, {**headers, "Content-Type": ctype})
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - start)
        if response.status != 201:
            errors.append(response.status)


def bench_form(clients: int, seconds: float) -> None:
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "CONCORD_INSTANCE": folder, "SECRET_KEY": "bench"}
        env.pop("DATABASE_URL", None)
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(port)], env=env, cwd=ROOT, stdout=subprocess.PIPE
        )
        try:
            code = json.loads(server.stdout.readline())["code"]
            time.sleep(0.5)
            latencies: list[float] = []
            errors: list[int] = []
            until = time.perf_counter() + seconds
            threads = [
                threading.Thread(target=client_loop, args=(port, code, until, latencies, errors))
                for _ in range(clients)
            ]
            cpu_before = server_cpu(server.pid)
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            took = time.perf_counter() - start
            cpu = server_cpu(server.pid) - cpu_before
        finally:
            server.terminate()
            server.wait(10)
    ok = len(latencies) - len(errors)
    lat = sorted(latencies)
    print(f"public form, {clients} concurrent clients, {took:.1f} s, SQLite, waitress 8 threads:")
    print(f"  {ok} accepted ({len(errors)} refused: {sorted(set(errors))}), {ok / took:.1f}/s")
    if ok:
        # CPU seconds the server spent per accepted opinion: what the machine's load cannot skew.
        print(
            f"  server CPU {cpu / ok * 1000:.1f} ms per opinion (capacity about "
            f"{ok / cpu:.0f}/s per core); load average {os.getloadavg()[0]:.1f} on "
            f"{os.cpu_count()} cores during the run"
        )
    if lat:
        p95 = lat[int(len(lat) * 0.95) - 1]
        print(f"  latency median {statistics.median(lat) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")


def bench_report(opinions: int) -> None:
    from comments.opinions.models import CATEGORIES, HANDLINGS, OpinionIntake, Station
    from comments.proposals.models import Proposal
    from concord.accounts import users as accounts
    from concord.app import create_app
    from concord.schema import upgrade

    rnd = random.Random(11)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "INSTANCE": folder,
                "SECRET_KEY": "bench",
                "DATABASE_URL": f"sqlite:///{folder}/bench.db",
            }
        )
        upgrade(app.extensions["concord_engine"])
        s = app.extensions["concord_sessions"]()
        accounts.create_user(
            s, username="bench", jurisdiction="650200", role="drafter", password="bench-password-1"
        )
        stations = [
            Station(
                kind="station",
                name=f"第{i}联络站",
                code=f"bench{i}",
                district=d,
                jurisdiction_code="650200",
            )
            for i, d in enumerate(["克拉玛依区", "独山子区", "白碱滩区", "乌尔禾区"])
        ]
        s.add_all(stations)
        suggestions = [
            Proposal(
                kind="suggestion",
                title=f"建议{i}",
                text="",
                submitters=[],
                jurisdiction_code="650200",
            )
            for i in range(20)
        ]
        s.add_all(suggestions)
        s.flush()
        first = datetime(2026, 10, 1, tzinfo=UTC)
        for i in range(opinions):
            at = first + timedelta(minutes=rnd.randrange(90 * 24 * 60))
            status = rnd.choice(["received", "handling", "handling", "replied", "closed"])
            handling = None if status == "received" else rnd.choice(HANDLINGS)
            deadline = (at + timedelta(days=rnd.choice([7, 21, 42]))).date() if handling else None
            replied = (
                at + timedelta(days=rnd.uniform(1, 30)) if status in ("replied", "closed") else None
            )
            p = Proposal(
                kind="opinion",
                title="意见",
                text="意见内容",
                submitters=[],
                jurisdiction_code="650200",
                status=status,
                deadline=deadline,
                replied_at=replied,
                channel="代表联络站",
                created_at=at,
                fed_into_id=rnd.choice(suggestions).id if i % 50 == 0 else None,
            )
            s.add(p)
            s.flush()
            s.add(
                OpinionIntake(
                    proposal_id=p.id,
                    station_id=rnd.choice(stations).id,
                    tracking_number=f"B{i:011d}",
                    category=rnd.choice(CATEGORIES),
                    district=rnd.choice(stations).district,
                    handling=handling,
                    submitted_at=at,
                )
            )
        s.commit()
        s.close()
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post(
            "/login", data={"username": "bench", "password": "bench-password-1", "csrf_token": csrf}
        )
        from comments.opinions.services import quarterly
        from concord.accounts.models import User

        with app.app_context():
            s = app.extensions["concord_sessions"]()
            user = s.query(User).filter_by(username="bench").one()
            start = time.perf_counter()
            report = quarterly.quarterly_report(s, user, "650200", "2026Q4")
            gathered = time.perf_counter() - start
            start = time.perf_counter()
            quarterly.report_charts(report)
            drawn = time.perf_counter() - start
            print(f"  figures gathered in {gathered:.2f} s, three charts drawn in {drawn:.2f} s")
            s.close()
        from comments.opinions.files import charts

        charts.forget_drawn()
        for fmt in ("html", "docx"):
            times, cpu = [], []
            for _ in range(5):
                charts.forget_drawn()  # measure drawing every time, not the cache
                start, start_cpu = time.perf_counter(), time.process_time()
                r = client.get(f"/reports/quarterly?quarter=2026Q4&format={fmt}")
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
                assert r.status_code == 200, r.status_code
            print(
                f"quarterly report of {opinions} opinions as {fmt}: first {times[0]:.2f} s, "
                f"then median {statistics.median(times[1:]):.2f} s wall, "
                f"{statistics.median(cpu[1:]):.2f} s CPU; load average {os.getloadavg()[0]:.1f}"
            )
        app.extensions["concord_engine"].dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--opinions", type=int, default=10_000)
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args()
    if not args.report_only:
        bench_form(args.clients, args.seconds)
    bench_report(args.opinions)


if __name__ == "__main__":
    main()
