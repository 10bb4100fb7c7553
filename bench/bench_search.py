"""Import statutes into Concord's search store (SQLite FTS5, PostgreSQL) beside a bare FTS5 build.

Side by side in one run: import time and store size of Concord on SQLite and on PostgreSQL and
of a bare SQLite FTS5 trigram table of the same parsed articles; p50/p95 of 200 mixed queries
(topic words and pasted stretches) in process and over HTTP (`GET /api/v1/search`); MRR@10 of
pasted text. `--scale 10` then copies the corpus ten times under distinct titles (in a temp
folder) and reports how import time, size and p95 grow. No asserts: figures only.

    python bench/bench_search.py [--corpus DIR] [--pg URL] [--scale N] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from concord.db import make_engine
from concord.schema import upgrade
from search.core.analysis import fold, units
from search.importer import import_directory
from search.services.precedents import search
from search.statutes import SUFFIXES, corpus_root, precedent_docs, read_manifest

CORPUS = Path(
    os.environ.get("CONCORD_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus"
)
SEED = 7
SAMPLES = 500
RANDOM_STRETCHES = 300
STRETCH = 16
QUERIES = 200

# What legal advisers type: topics, two or three words, boolean forms and quoted phrases.
TOPICS = [
    "水污染防治",
    "行政处罚 听证",
    '"法律责任" 罚款',
    "物业管理 业主大会",
    "个人信息 保护",
    "食品安全 责令停产停业",
    "大气污染防治 机动车",
    "未成年人 网络",
    "土地 征收 补偿",
    "安全生产 OR 消防",
    "罚款 NOT 物业",
    "行政许可",
    '"依法给予处分"',
    "生态环境 损害赔偿",
    "红色资源 保护",
    "湖泊 保护",
    "河长制",
    "文明行为 促进",
    "养犬 管理",
    "电梯 安全",
    "燃气 管理",
    "历史文化名城 保护",
    "野生动物 保护",
    "禁止 燃放烟花爆竹",
    "城市绿化",
    "住房公积金",
    "献血",
    "志愿服务",
    "慈善 募捐",
    "养老服务 机构",
    "托育",
    "学前教育",
    "职业教育 校企合作",
    "科技成果 转化",
    "知识产权 保护",
    "优化营商环境",
    "数据 共享 开放",
    "社会信用 失信",
    "政务服务 一网通办",
    "公共文化服务",
    "全民健身",
    "中医药 发展",
    "传染病 防治",
    "突发事件 应急",
    "地方性法规 立法程序",
    '"人民代表大会常务委员会" 备案',
    "代表建议 办理",
    "区域 协同 立法",
    "长江 保护",
    "黄河 保护",
    "饮用水水源 保护区",
    "固体废物 污染",
    "生活垃圾 分类",
    "噪声 污染",
    "建筑垃圾",
    "违法建设 拆除",
    "停车场 管理",
    "出租汽车",
    "道路交通安全 酒后驾驶",
    "农村 宅基地",
    "耕地 保护",
    "森林防火",
    "水土保持",
    "矿产资源 开采",
    "物业服务 收费",
    "房屋租赁",
    "不动产登记",
    "消费者 权益",
    "价格 违法",
    "广告 虚假",
    "反不正当竞争",
    "劳动合同 解除",
    "工资 支付",
    "工伤 认定",
    "残疾人 就业",
    "妇女 权益",
    "老年人 优待",
    "预算 审查 监督",
    "审计",
    "统计 调查",
    "档案 管理",
    "保守国家秘密",
    "信访",
    "人民调解",
    "法律援助",
    "公证",
    "行政复议",
    "行政诉讼 起诉期限",
    "国家赔偿",
    "治安管理处罚",
    "娱乐场所",
    "网络安全 等级保护",
    "无人机",
    "自动驾驶",
    "新能源汽车 充电",
    "海域 使用",
    "渔业 捕捞",
    "种子",
    "农药 使用",
    "兽药",
    "动物防疫",
    "食用农产品",
    "标准化",
    "计量",
    "特种设备",
    "危险化学品",
    "民用爆炸物品",
    "烟草 专卖",
    "彩票",
    "殡葬",
    "宗教事务",
    "外国人 入境出境",
    "华侨 权益",
]
_CLAUSE = re.compile(r"[^，。；：、,;:！？!?（）()“”\"《》\s]{8,}")


def collect_articles(corpus: Path) -> list[dict]:
    """Return every article the index would hold, as the importer builds them."""
    base = corpus_root(corpus)
    manifest = read_manifest(base / "manifest.tsv")
    out = []
    for p in sorted(corpus.rglob("*")):
        if p.suffix.lower() not in SUFFIXES or not p.is_file():
            continue
        rel = p.relative_to(base).as_posix()
        try:
            out.extend(precedent_docs(rel, p, manifest.get(rel, {})))
        except Exception:  # the importer skips such files too
            continue
    return out


def random_stretches(articles: list[dict], rng: random.Random) -> list[tuple[str, str, str]]:
    """Pick random 16-character stretches of random articles, as an adviser would paste them.

    Only stretches found in exactly one article are kept: a repeated provision has no single
    right answer.
    """
    joined = "\x00".join("".join(units(fold(a["text"])[0])) for a in articles)
    items = []
    tries = 0
    while len(items) < RANDOM_STRETCHES and tries < RANDOM_STRETCHES * 20:
        tries += 1
        a = articles[rng.randrange(len(articles))]
        text = rng.choice(a["text"].splitlines() or [""])  # a paste stays within a paragraph
        if len(text) < STRETCH + 4:
            continue
        start = rng.randrange(len(text) - STRETCH)
        piece = text[start : start + STRETCH]
        key = "".join(units(fold(piece)[0]))
        if len(key) >= 8 and joined.count(key) == 1:
            items.append((piece, a["path"], a["label"]))
    return items


def known_items(articles: list[dict], rng: random.Random) -> list[tuple[str, str, str]]:
    """Pick articles and their rarest 8-16 character stretch that occurs nowhere else."""
    folded = [fold(a["text"])[0] for a in articles]
    df: dict[str, int] = {}
    for t in folded:
        for g in {t[i : i + 2] for i in range(len(t) - 1)}:
            df[g] = df.get(g, 0) + 1
    haystack = "\x00".join(folded)
    order = list(range(len(articles)))
    rng.shuffle(order)
    items = []
    for i in order:
        text = articles[i]["text"]
        if len(text) < 30:
            continue
        best, best_score = None, 0.0
        for m in _CLAUSE.finditer(text):
            clause = m.group()
            for start in range(0, max(1, len(clause) - 15), 4):
                piece = clause[start : start + 16]
                score = sum(1.0 / df.get(piece[j : j + 2], 1) for j in range(len(piece) - 1))
                if score > best_score:
                    best, best_score = piece, score
        if best and haystack.count(fold(best)[0]) == 1:
            items.append((best, articles[i]["path"], articles[i]["label"]))
        if len(items) == SAMPLES:
            break
    return items


def build_fts(db: Path, articles: list[dict]) -> None:
    con = sqlite3.connect(db)
    con.execute(
        "CREATE VIRTUAL TABLE art USING fts5(law, label UNINDEXED, text, "
        "path UNINDEXED, tokenize='trigram')"
    )
    con.executemany(
        "INSERT INTO art(law, label, text, path) VALUES (?, ?, ?, ?)",
        ((a["law"], a["label"], a["text"], a["path"]) for a in articles),
    )
    con.commit()
    con.execute("INSERT INTO art(art) VALUES ('optimize')")
    con.commit()
    con.close()


def fts_terms(q: str) -> list[tuple[str, str]]:
    """Split adviser syntax into (operator, word) pairs, operators applied left to right."""
    terms, op = [], "AND"
    for tok in re.findall(r'"[^"]+"|\S+', q):
        if tok in ("AND", "OR", "NOT"):
            op = tok
        else:
            terms.append((op, tok.strip('"')))
            op = "AND"
    return terms


def fts_search(con, q: str, limit: int = 20) -> tuple[int, list[tuple[str, str]]]:
    """Search FTS5: MATCH for words of 3+ characters, a scan (instr) for shorter ones.

    The trigram tokenizer cannot match 1-2 character words such as 罚款 from its index.
    """
    terms = fts_terms(q)
    if not terms:
        return 0, []
    long_pos = [w for op, w in terms if op != "NOT" and len(w) >= 3]
    if long_pos and all(op != "OR" for op, _ in terms):
        match = " AND ".join(f'"{w}"' for w in long_pos)
        match += "".join(f' NOT "{w}"' for op, w in terms if op == "NOT" and len(w) >= 3)
        where, args = ["art MATCH ?"], [match]
        for op, w in terms:
            if len(w) < 3:
                where.append("instr(text, ?) = 0" if op == "NOT" else "instr(text, ?) > 0")
                args.append(w)
        cond, order = " AND ".join(where), "ORDER BY bm25(art)"
    else:
        cond, args, order = "", [], ""
        for op, w in terms:
            if len(w) >= 3:
                c = "rowid IN (SELECT rowid FROM art WHERE art MATCH ?)"
                args.append(f'"{w}"')
            else:
                c = "instr(text, ?) > 0"
                args.append(w)
            c = f"NOT {c}" if op == "NOT" else c
            cond = f"({cond}) {'OR' if op == 'OR' else 'AND'} {c}" if cond else c
    total = con.execute(f"SELECT count(*) FROM art WHERE {cond}", args).fetchone()[0]
    rows = con.execute(
        f"SELECT path, label FROM art WHERE {cond} {order} LIMIT {limit}", args
    ).fetchall()
    return total, rows


def timed(fn, queries) -> list[float]:
    out = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - t) * 1000)
    return out


def mrr(ranked, items) -> float:
    total = 0.0
    for phrase, path, label in items:
        for rank, hit in enumerate(ranked(phrase), 1):
            if hit == (path, label):
                total += 1.0 / rank
                break
    return total / len(items) if items else float("nan")  # copies: no unique stretch


def fts_paste(con, text: str, limit: int = 10) -> list[tuple[str, str]]:
    """Search FTS5 for pasted text as one substring (its trigram phrase)."""
    q = '"' + text.replace('"', '""') + '"'
    if len(text) < 3:
        return []
    rows = con.execute(
        f"SELECT path, label FROM art WHERE art MATCH ? ORDER BY bm25(art) LIMIT {limit}", [q]
    ).fetchall()
    return [tuple(r) for r in rows]


def fresh_store(url: str):
    """Return an engine on an empty, migrated database at url."""
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    upgrade(engine)
    return engine


def store_size(engine) -> float:
    """Return the size in MB of the database (SQLite file) or of the search tables (PostgreSQL)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            n = conn.exec_driver_sql(
                "SELECT sum(pg_total_relation_size(c)) FROM unnest(ARRAY['search_doc', "
                "'statute_file', 'search_import']) c"
            ).scalar_one()
        return float(n) / 1e6
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return Path(engine.url.database).stat().st_size / 1e6


def serve_http(url: str, work: Path):
    """Serve the app on the store at url on a free local port; return a search function."""
    import http.client

    from waitress import create_server

    from concord.accounts import users as accounts
    from concord.app import create_app

    app = create_app(
        {"DATABASE_URL": url, "INSTANCE": str(work / "instance"), "SECRET_KEY": "bench"}
    )
    session = app.extensions["concord_sessions"]()
    user = accounts.create_user(
        session, username=f"bench{random.randrange(10**6)}", jurisdiction="320300",
        role="adviser", password="bench-pw-12345",
    )  # fmt: skip
    token = accounts.issue_token(session, user, name="bench")
    session.close()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(q: str) -> dict:
        path = "/api/v1/search?" + urllib.parse.urlencode({"q": q})
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"{resp.status} for {q!r}: {body[:200]!r}")
        return json.loads(body)

    return get, server


def pct(values, p) -> float:
    return statistics.quantiles(values, n=100)[p - 1]


def scaled_corpus(corpus: Path, copies: int, work: Path) -> Path:
    """Write the corpus `copies` times under distinct titles (副本 n) into work; return it."""
    out = work / f"corpus-x{copies}"
    shutil.rmtree(out, ignore_errors=True)
    manifest = read_manifest(corpus / "manifest.tsv")
    rows = []
    for n in range(copies):
        for rel, row in manifest.items():
            src = corpus / rel
            if not src.is_file():
                continue
            text = src.read_text(encoding="utf-8")
            title = row.get("title") or ""
            lines = text.split("\n", 1)
            if lines[0].startswith("#"):
                lines[0] = f"{lines[0]}（副本{n}）"
            target = out / f"copy{n}" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n".join(lines), encoding="utf-8")
            rows.append({**row, "file": f"copy{n}/{rel}", "title": f"{title}（副本{n}）"})
    with (out / "manifest.tsv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter="\t")
        w.writeheader()
        w.writerows(rows)
    return out


def measure(corpus: Path, urls: dict[str, str], work: Path, *, queries_wanted=QUERIES) -> dict:
    """Import corpus into each store and the bare FTS5 table; time queries; return figures."""
    figures: dict[str, dict] = {}
    t = time.perf_counter()
    articles = collect_articles(corpus)
    parse_s = time.perf_counter() - t
    bare = work / "bare-fts5.db"
    bare.unlink(missing_ok=True)
    t = time.perf_counter()
    build_fts(bare, articles)
    figures["bare FTS5 trigram"] = {
        "import": parse_s + time.perf_counter() - t,
        "size": bare.stat().st_size / 1e6,
        "articles": len(articles),
    }
    rng = random.Random(SEED)
    stretches = random_stretches(articles, rng)
    pastes = [p for p, _, _ in stretches[: queries_wanted - len(TOPICS)]]
    queries = TOPICS + pastes
    con = sqlite3.connect(bare)
    for q in queries[:20]:
        fts_search(con, q)
    lat = timed(lambda q: fts_search(con, q) if q in TOPICS else fts_paste(con, q), queries)
    figures["bare FTS5 trigram"]["p50"], figures["bare FTS5 trigram"]["p95"] = (
        pct(lat, 50), pct(lat, 95)
    )  # fmt: skip
    figures["bare FTS5 trigram"]["mrr"] = mrr(lambda p: fts_paste(con, p), stretches)
    con.close()
    for name, url in urls.items():
        engine = fresh_store(url)
        t = time.perf_counter()
        stats = import_directory(engine, corpus)
        imported = time.perf_counter() - t
        t = time.perf_counter()
        import_directory(engine, corpus)
        again = time.perf_counter() - t
        f = figures[name] = {
            "import": imported,
            "reimport": again,
            "size": store_size(engine),
            "articles": stats.articles,
        }
        with engine.connect() as conn:
            for q in queries[:20]:
                search(conn, q, group_by_law=True)
            lat = timed(lambda q, c=conn: search(c, q, group_by_law=True), queries)
            f["p50"], f["p95"] = pct(lat, 50), pct(lat, 95)
            f["mrr"] = mrr(
                lambda p, c=conn: [(h["path"], h["label"]) for h in search(c, p, limit=10)["hits"]],
                stretches,
            )
        get, server = serve_http(url, work)
        for q in queries[:20]:
            get(q)
        lat = timed(get, queries)
        f["http_p50"], f["http_p95"] = pct(lat, 50), pct(lat, 95)
        server.task_dispatcher.shutdown()
        engine.dispose()
    return figures


def report(title: str, figures: dict) -> None:
    print(f"\n### {title}")
    names = list(figures)
    print("| | " + " | ".join(names) + " |")
    print("| --- |" + " --- |" * len(names))
    rows = [
        ("articles", "articles", "{:.0f}"),
        ("import (wall, s)", "import", "{:.1f}"),
        ("re-import, nothing changed (s)", "reimport", "{:.2f}"),
        ("store size (MB)", "size", "{:.0f}"),
        ("200 queries p50 in process (ms)", "p50", "{:.1f}"),
        ("200 queries p95 in process (ms)", "p95", "{:.1f}"),
        ("p50 over HTTP (ms)", "http_p50", "{:.1f}"),
        ("p95 over HTTP (ms)", "http_p95", "{:.1f}"),
        ("MRR@10 of pasted stretches", "mrr", "{:.3f}"),
    ]
    for label, key, fmt in rows:
        cells = [fmt.format(figures[n][key]) if key in figures[n] else "n/a" for n in names]
        print(f"| {label} | " + " | ".join(cells) + " |")
    base = figures["bare FTS5 trigram"]
    for n in names[1:]:
        print(
            f"{n}: import {figures[n]['import'] / base['import']:.2f}x the bare build, "
            f"size {figures[n]['size'] / base['size']:.2f}x"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(CORPUS), help="folder of statutes (corpus format)")
    ap.add_argument("--pg", help="an empty PostgreSQL database to use (its schema is replaced)")
    ap.add_argument("--scale", type=int, default=0, help="then measure the corpus N times over")
    ap.add_argument("--workdir", help="where to build (default: a temp folder)")
    ap.add_argument("--skip-full", action="store_true", help="only the scaled corpus")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"no corpus at {corpus} (use --corpus or CONCORD_CORPUS)", file=sys.stderr)
        return 2
    work = Path(args.workdir or tempfile.mkdtemp(prefix="concord-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    urls = {"Concord on SQLite (FTS5)": f"sqlite:///{work / 'concord.db'}"}
    if args.pg:
        urls["Concord on PostgreSQL (tsvector + GIN)"] = args.pg
    print(f"corpus: {corpus}; machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    if not args.skip_full:
        report("Full corpus", measure(corpus, urls, work))
    if args.scale > 1:
        for p in work.glob("*.db*"):
            p.unlink()
        big = scaled_corpus(corpus_root(corpus), args.scale, work)
        print(f"\nload {os.getloadavg()[0]:.1f}")
        report(f"Corpus x{args.scale} (copies under distinct titles)", measure(big, urls, work))
        shutil.rmtree(big, ignore_errors=True)
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
