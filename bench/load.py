"""Load test: simulated users against the production setup (gunicorn workers on PostgreSQL).

    pip install -e '.[test]' gunicorn
    createdb concord_load
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/concord_load \
        python bench/load.py --users 50 --seconds 300 --workers 4 [--kill-every 60]

The script migrates and seeds the database (a project of the lead city with a 40-article common
text, an open consultation round, two partner cities, a station), starts gunicorn on 127.0.0.1
with --workers sync workers (it stops them at the end), then runs --users threads for --seconds:
lead drafters read the draft page and edit articles through the API (a stale base now and then,
so that edits are merged), partner commenters comment, the lead decides comments, everybody
searches, residents send opinions through the public form (3 s to fill it in). With --kill-every
N one worker is killed with SIGKILL every N seconds (gunicorn starts another).
It prints requests per second, p50/p95 per kind, errors, and checks in the database that every
accepted write (edit, comment, decision, opinion) is there: an accepted edit whose text is not
the latest of its sentence, or any missing row, is a lost write.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import requests

from concord.db import unit_of_work  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
ARTICLES = 40
SENTENCES = 6
LEAD, PARTNERS = "320300", ("321300", "340600")


def seed(url: str, users: int) -> dict:
    """Migrate and fill the database; return what the simulated users need (ids, tokens)."""
    from comments.consultation.services import rounds
    from comments.opinions.services import stations
    from concord.accounts.users import create_user, issue_token
    from concord.db import make_engine, make_sessionmaker
    from concord.schema import upgrade
    from drafting.core.parsing import parse_text
    from drafting.services import drafts, projects
    from drafting.services.drafts import load_tree

    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    upgrade(engine)
    s = make_sessionmaker(engine)()
    stamp = f"{int(time.time())}"

    def user(name, code, role):
        u = create_user(
            s, username=f"{name}{stamp}", jurisdiction=code, role=role, password="load-pass-1"
        )
        return {"name": u.username, "token": issue_token(s, u, days=1), "code": code}

    lead = user("lead", LEAD, "drafter")
    body = "\n".join(
        f"第{a}条　" + "".join(f"第{k}句原文{a}。" for k in range(1, SENTENCES + 1))
        for a in range(1, ARTICLES + 1)
    )
    from concord.accounts.models import User

    lead_user = s.query(User).filter_by(username=lead["name"]).one()
    project = projects.create_project(
        s, lead_user, title="负载测试项目", lead=LEAD, participants=list(PARTNERS)
    )
    with unit_of_work(s):
        draft = drafts.add_draft(
            s,
            lead_user,
            project,
            jurisdiction=LEAD,
            document=parse_text(f"负载测试条例\n{body}"),
            common=True,
        )
    today = date.today()
    with unit_of_work(s):
        rounds.build_round(
            s,
            lead_user,
            draft,
            title="第一轮",
            opens=today - timedelta(days=1),
            closes=today + timedelta(days=30),
            invited=list(PARTNERS),
        )
    station = stations.create_station(
        s, lead_user, kind="station", name="负载测试联络站", jurisdiction=LEAD, district="鼓楼区"
    )
    articles = [a.id for a in load_tree(s, draft).articles()]
    people = []
    for n in range(users):
        if n % 5 in (0, 1):
            people.append({**user(f"d{n}_", LEAD, "drafter"), "persona": "drafter"})
        elif n % 5 in (2, 3):
            people.append({**user(f"c{n}_", PARTNERS[n % 2], "commenter"), "persona": "commenter"})
        else:
            people.append({"persona": "resident"})
    s.close()
    engine.dispose()
    return {
        "draft": draft.id,
        "project": project.id,
        "token": lead["token"],
        "articles": articles,
        "station": station.code,
        "people": people,
    }


class Recorder:
    """Timings, statuses and accepted writes, shared by all simulated users."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.conflicts = self.merged = self.retried = 0
        self.edits: list[tuple[int, int, int, str]] = []  # article, sentence, revision, text
        self.comments: list[int] = []
        self.decisions: list[int] = []
        self.opinions: list[str] = []

    def call(self, kind, method, session, url, ok=(200,), retry=False, **kw):
        """Send one request; record its time, or an error; GETs are retried once like a proxy."""
        for attempt in (0, 1):
            start = time.perf_counter()
            try:
                r = session.request(method, url, timeout=60, **kw)
            except requests.RequestException as err:
                if retry and attempt == 0:
                    with self.lock:
                        self.retried += 1
                    continue
                with self.lock:
                    self.errors[kind].append(type(err).__name__)
                return None
            elapsed = time.perf_counter() - start
            with self.lock:
                if r.status_code in ok:
                    self.times[kind].append(elapsed)
                elif r.status_code == 409 and kind == "edit":
                    self.times[kind].append(elapsed)
                    self.conflicts += 1
                else:
                    self.errors[kind].append(str(r.status_code))
            return r
        return None


SENTENCE = re.compile(r"第(\d)句[^。]*。")


def simulate(person, plan, base, rec: Recorder, until: float, n: int):
    """Run one simulated user's loop of actions until the deadline."""
    rng = random.Random(n)
    http = requests.Session()
    http.headers["X-Forwarded-For"] = f"10.24.{n // 200}.{n % 200 + 1}"
    api = dict(headers={"Authorization": f"Bearer {person.get('token', '')}"})
    if person["persona"] != "resident":
        page = http.get(f"{base}/login").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        http.post(
            f"{base}/login",
            data={"username": person["name"], "password": "load-pass-1", "csrf_token": csrf},
        )
    intakes = 0
    seq = 0
    while time.time() < until:
        p = person["persona"]
        roll = rng.random()
        if p == "resident":
            if roll < 0.3 and intakes < 4:
                intakes += 1
                _intake(http, base, plan, rec)
            else:
                with rec.lock:
                    mine = rng.choice(rec.opinions) if rec.opinions else "0000-0000-0000"
                track = f"{base}/intake/track"
                params = {"number": mine}
                rec.call(
                    "intake track", "GET", http, track, ok=(200, 404), retry=True, params=params
                )
                time.sleep(rng.uniform(0.5, 2))
            continue
        if roll < 0.40:
            rec.call("draft page", "GET", http, f"{base}/drafts/{plan['draft']}", retry=True)
        elif roll < 0.55:
            rec.call(
                "search",
                "GET",
                http,
                f"{base}/api/v1/search",
                params={"q": rng.choice(["责令改正", "红色资源 保护", "罚款"])},
                retry=True,
                **api,
            )
        elif p == "drafter" and roll < 0.85:
            seq += 1
            _edit(http, base, api, plan, rec, rng, n, seq)
        elif p == "drafter":
            with rec.lock:
                open_ = [c for c in rec.comments if c not in rec.decisions]
            if open_:
                cid = rng.choice(open_)
                r = rec.call(
                    "decide",
                    "POST",
                    http,
                    f"{base}/api/v1/comments/{cid}/disposition",
                    ok=(200, 201, 409),
                    json={"decision": "not_adopted", "reason": "负载测试：已研究。"},
                    **api,
                )
                if r is not None and r.status_code in (200, 201):
                    with rec.lock:
                        rec.decisions.append(cid)
        else:
            art = rng.choice(plan["articles"])
            r = rec.call(
                "comment",
                "POST",
                http,
                f"{base}/api/v1/provisions/{art}/comments",
                ok=(201,),
                json={"body": f"建议修改（用户{n}）。"},
                **api,
            )
            if r is not None and r.status_code == 201:
                with rec.lock:
                    rec.comments.append(r.json()["id"])
        time.sleep(rng.uniform(0.2, 1.0))  # think time


def _edit(http, base, api, plan, rec, rng, n, seq):
    art = rng.choice(plan["articles"][:12])  # a few hot articles, so edits meet and merge
    r = rec.call(
        "read provision", "GET", http, f"{base}/api/v1/provisions/{art}", retry=True, **api
    )
    if r is None or r.status_code != 200:
        return
    current = r.json()
    if rng.random() < 0.3:
        time.sleep(rng.uniform(0.5, 1.5))  # a slow editor: others may edit meanwhile
    k = rng.randint(1, SENTENCES)
    mark = f"第{k}句改{n}x{seq}。"
    text = SENTENCE.sub(lambda m: mark if m.group(1) == str(k) else m.group(0), current["text"])
    r = rec.call(
        "edit",
        "PATCH",
        http,
        f"{base}/api/v1/provisions/{art}",
        ok=(200,),
        json={"text": text, "base_revision": current["revision"]},
        **api,
    )
    if r is not None and r.status_code == 200:
        body = r.json()
        with rec.lock:
            rec.edits.append((art, k, body["revision"], mark))
            rec.merged += bool(body.get("merged"))


def _intake(http, base, plan, rec):
    r = rec.call("intake form", "GET", http, f"{base}/intake/{plan['station']}", retry=True)
    if r is None or r.status_code != 200:
        return
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', r.text).group(1)
    opened = re.search(r'name="opened" value="([^"]+)"', r.text).group(1)
    time.sleep(3.2)  # a person fills the form in
    r = rec.call(
        "intake submit",
        "POST",
        http,
        f"{base}/intake/{plan['station']}",
        ok=(201,),
        data={
            "csrf_token": csrf,
            "opened": opened,
            "category": "城市建设与管理",
            "text": "路灯坏了，请修理。",
            "contact": "",
        },
    )
    if r is not None and r.status_code == 201:
        number = re.search(r'id="tracking-number">([^<]+)<', r.text).group(1)
        with rec.lock:
            rec.opinions.append(number)


def check_writes(url: str, rec: Recorder) -> list[str]:
    """Return the accepted writes that the database does not hold (lost writes)."""
    from sqlalchemy import text

    from concord.db import make_engine

    lost = []
    engine = make_engine(url)
    with engine.connect() as conn:
        current = dict(conn.execute(text("SELECT id, text FROM provision")).all())
        comments = {r[0] for r in conn.execute(text("SELECT id FROM consultation_comment"))}
        decided = {r[0] for r in conn.execute(text("SELECT comment_id FROM disposition"))}
        numbers = {r[0] for r in conn.execute(text("SELECT tracking_number FROM opinion_intake"))}
    engine.dispose()
    latest: dict[tuple[int, int], tuple[int, str]] = {}
    for art, k, revision, mark in rec.edits:
        if (art, k) not in latest or revision > latest[(art, k)][0]:
            latest[(art, k)] = (revision, mark)
    lost += [f"edit {a}/{k}" for (a, k), (_r, m) in latest.items() if m not in current.get(a, "")]
    lost += [f"comment {c}" for c in rec.comments if c not in comments]
    lost += [f"decision {c}" for c in rec.decisions if c not in decided]
    lost += [f"opinion {n}" for n in rec.opinions if n not in numbers]
    return lost


def serve(url: str, workers: int, port: int) -> subprocess.Popen:
    """Start gunicorn (sync workers) on 127.0.0.1 in its own process group."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CONCORD_BEHIND_PROXY": "1",
        "SECRET_KEY": "load-test-secret",
        "CONCORD_INSTANCE": "/tmp/concord-load-instance",
    }
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--timeout",
        "30",
        "--graceful-timeout",
        "20",
        "--max-requests",
        "2000",
        "--max-requests-jitter",
        "200",
        "--log-level",
        "warning",
        "concord.app:create_app()",
    ]
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, start_new_session=True)
    for _ in range(120):
        try:
            if requests.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return proc
        except requests.RequestException:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("gunicorn did not answer within a minute")


def kill_workers(master: int, every: float, until: float, log: list):
    """SIGKILL one gunicorn worker every `every` seconds until the deadline."""
    while time.time() + every < until:
        time.sleep(every)
        children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
        pids = [int(p) for p in children.stdout.split()]
        if pids:
            victim = random.choice(pids)
            os.kill(victim, signal.SIGKILL)
            log.append(victim)


def alone(base: str, plan: dict, rounds: int = 20) -> list[float]:
    """Return the draft page's times for one user alone (the figure beside the loaded one)."""
    person = next(p for p in plan["people"] if p["persona"] == "drafter")
    http = requests.Session()
    http.headers["X-Forwarded-For"] = "10.24.250.1"
    page = http.get(f"{base}/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    login = {"username": person["name"], "password": "load-pass-1", "csrf_token": csrf}
    http.post(f"{base}/login", data=login)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        http.get(f"{base}/drafts/{plan['draft']}").raise_for_status()
        times.append(time.perf_counter() - start)
    return sorted(times)


def pastes(base: str, plan: dict, token: str) -> None:
    """Time the largest accepted paste (10,000 paragraphs) and a refused one (100,000 lines)."""
    lines = ["负载测试大文本"]
    for a in range(1, 1429):  # 1,428 articles of 7 paragraphs and a title: 9,997 paragraphs
        lines += [f"第{a}条　第{a}条正文。"] + [f"本条第{k}款的内容。" for k in range(2, 8)]
    cases = {
        f"paste {len(lines):,} paragraphs": "\n".join(lines),
        "paste 100,000 lines": "第一条　总则。\n" + "".join(f"第{i}段。\n" for i in range(100_000)),
    }
    for name, text in cases.items():
        start = time.perf_counter()
        r = requests.post(
            f"{base}/api/v1/projects/{plan['project']}/drafts",
            json={"jurisdiction": LEAD, "title": name, "text": text},
            headers={"Authorization": f"Bearer {token}", "X-Forwarded-For": "10.24.250.2"},
            timeout=120,
        )
        print(f"{name:28} {r.status_code}  {time.perf_counter() - start:.1f} s")


def report(rec: Recorder, seconds: float, lost: list[str], kills: list) -> None:
    """Print throughput, p50/p95 per kind, errors and lost writes."""
    total = sum(len(v) for v in rec.times.values())
    print(f"\n{'kind':16}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    for kind in sorted(set(rec.times) | set(rec.errors)):
        t = sorted(rec.times.get(kind, []))
        p50 = statistics.median(t) * 1000 if t else 0
        p95 = t[int(0.95 * (len(t) - 1))] * 1000 if t else 0
        print(f"{kind:16}{len(t):>7}{p50:>9.0f}{p95:>9.0f}{len(rec.errors.get(kind, [])):>8}")
    errors = {k: v for k, v in rec.errors.items() if v}
    print(f"\nthroughput      {total / seconds:.1f} answered requests/s over {seconds:.0f} s")
    print(f"edits           {len(rec.edits)} accepted ({rec.merged} merged), {rec.conflicts} 409")
    print(
        f"writes          {len(rec.comments)} comments, {len(rec.decisions)} decisions, "
        f"{len(rec.opinions)} opinions"
    )
    print(f"errors          {sum(len(v) for v in errors.values())} {dict(errors)}")
    print(f"GETs retried    {rec.retried} (connection lost to a killed worker, retried once)")
    print(f"workers killed  {len(kills)}")
    print(f"lost writes     {len(lost)} {lost[:10]}")


def main() -> int:
    """Seed, serve, load, check, report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=300)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--port", type=int, default=8024)
    ap.add_argument("--kill-every", type=float, default=0)
    ap.add_argument("--pastes", action="store_true", help="also time the largest accepted paste")
    args = ap.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        print("set DATABASE_URL to a PostgreSQL database the script may empty", file=sys.stderr)
        return 2
    plan = seed(url, args.users)
    server = serve(url, args.workers, args.port)
    base = f"http://127.0.0.1:{args.port}"
    solo = alone(base, plan)
    print(
        f"draft page, one user alone: p50 {statistics.median(solo) * 1000:.0f} ms, "
        f"p95 {solo[int(0.95 * (len(solo) - 1))] * 1000:.0f} ms"
    )
    if args.pastes:
        pastes(base, plan, plan["token"])
    rec, kills = Recorder(), []
    start = time.time()
    until = start + args.seconds
    threads = [
        threading.Thread(target=simulate, args=(p, plan, base, rec, until, n))
        for n, p in enumerate(plan["people"])
    ]
    if args.kill_every:
        threads.append(
            threading.Thread(target=kill_workers, args=(server.pid, args.kill_every, until, kills))
        )
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    lost = check_writes(url, rec)
    report(rec, time.time() - start, lost, kills)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
