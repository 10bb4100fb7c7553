"""Index statutes with the project's engine and with SQLite FTS5 (trigram); compare both.

Prints build time and size, p50/p95 latency over 200 adviser queries (in process, and over HTTP
through `GET /api/v1/search` for this project), and MRR@10 of pasted text: random 16-character
stretches of random articles, quoted and unquoted, plus the rarest stretch of each article.
No asserts: figures only.

    python bench/bench_search.py [--corpus DIR] [--workdir DIR] [--reuse]

`--corpus /work/shared/corpus/local/河南` is the 410-statute province of issue 12.
"""

from __future__ import annotations

import argparse
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

from search.core.analysis import fold, units
from search.importer import import_directory
from search.services.precedents import close_searchers, search
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
    return total / len(items)


def fts_paste(con, text: str, limit: int = 10) -> list[tuple[str, str]]:
    """Search FTS5 for pasted text as one substring (its trigram phrase)."""
    q = '"' + text.replace('"', '""') + '"'
    if len(text) < 3:
        return []
    rows = con.execute(
        f"SELECT path, label FROM art WHERE art MATCH ? ORDER BY bm25(art) LIMIT {limit}", [q]
    ).fetchall()
    return [tuple(r) for r in rows]


def serve_http(ix_dir: Path, work: Path):
    """Serve the app on a free local port; return (connection factory, API token)."""
    import http.client

    from waitress import create_server

    from concord.accounts import users as accounts
    from concord.app import create_app
    from concord.schema import upgrade

    db = work / "bench.db"
    db.unlink(missing_ok=True)
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{db}",
            "INSTANCE": str(work / "instance"),
            "INDEX_DIR": str(ix_dir),
            "SECRET_KEY": "bench",
            "SEARCH_FOLLOW_EDITS": False,
        }
    )
    upgrade(app.extensions["concord_engine"])
    session = app.extensions["concord_sessions"]()
    user = accounts.create_user(
        session, username="bench", jurisdiction="320300", role="adviser", password="bench-pw-12345"
    )
    token = accounts.issue_token(session, user, name="bench")
    session.close()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(q: str) -> dict:
        path = "/api/v1/search?" + urllib.parse.urlencode({"q": q})
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"{resp.status} for {q!r}: {body[:200]!r}")
        return json.loads(body)

    return get


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def pct(values, p) -> float:
    return statistics.quantiles(values, n=100)[p - 1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(CORPUS), help="folder of statutes (corpus format)")
    ap.add_argument("--workdir", help="where to build the indexes (default: a temp folder)")
    ap.add_argument("--reuse", action="store_true", help="keep indexes already in --workdir")
    ap.add_argument(
        "--build-only", action="store_true", help="print build time and size only (big corpora)"
    )
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"no corpus at {corpus} (use --corpus or CONCORD_CORPUS)", file=sys.stderr)
        return 2
    work = Path(args.workdir or tempfile.mkdtemp(prefix="concord-bench-"))
    ix_dir, db = work / "concord", work / "fts5.db"
    if not args.reuse:
        shutil.rmtree(ix_dir, ignore_errors=True)
        db.unlink(missing_ok=True)
    work.mkdir(parents=True, exist_ok=True)

    t = time.perf_counter()
    stats = import_directory(ix_dir, corpus)
    build = time.perf_counter() - t
    t = time.perf_counter()
    again = import_directory(ix_dir, corpus)
    reimport = time.perf_counter() - t

    t = time.perf_counter()
    articles = collect_articles(corpus)
    parse_s = time.perf_counter() - t
    fts_build = 0.0  # 0 means reused
    if not db.exists():
        t = time.perf_counter()
        build_fts(db, articles)
        fts_build = time.perf_counter() - t + parse_s
    if args.build_only:
        print(f"corpus: {corpus} — {stats.files} files, {len(articles)} articles")
        print("| | Concord (Whoosh + jieba, bigram phrases) | SQLite FTS5 trigram |")
        print("| --- | --- | --- |")
        print(
            f"| index build | {build:.1f} s ({stats.articles} articles) | "
            f"{fts_build:.1f} s (parsing {parse_s:.1f} s included) |"
        )
        print(f"| re-import, nothing changed | {reimport:.2f} s | n/a |")
        ours, theirs = dir_size(ix_dir) / 1e6, db.stat().st_size / 1e6
        print(f"| index size | {ours:.0f} MB | {theirs:.0f} MB |")
        return 0
    con = sqlite3.connect(db)

    rng = random.Random(SEED)
    items = known_items(articles, rng)
    stretches = random_stretches(articles, rng)
    phrases = [f'"{p}"' for p, _, _ in rng.sample(items, min(len(items), QUERIES - len(TOPICS)))]
    queries = TOPICS + phrases

    def ours(q):
        return search(ix_dir, q, group_by_law=True)

    for q in queries[:20]:  # warm caches (jieba, OS pages) for both engines
        ours(q)
        fts_search(con, q)
    lat = timed(ours, queries)
    f_lat = timed(lambda q: fts_search(con, q), queries)
    topics = timed(ours, TOPICS)
    f_topics = timed(lambda q: fts_search(con, q), TOPICS)
    pastes = [p for p, _, _ in stretches[:QUERIES]]
    paste_lat = timed(ours, pastes)
    f_paste_lat = timed(lambda p: fts_paste(con, p), pastes)

    get = serve_http(ix_dir, work)
    for q in queries[:20]:
        get(q)
    http_lat = timed(get, queries)

    def rank(q):
        return [(h["path"], h["label"]) for h in search(ix_dir, q, limit=10)["hits"]]

    r_plain = mrr(rank, stretches)
    r_quoted = mrr(lambda p: rank('"' + p.replace('"', " ") + '"'), stretches)
    f_r = mrr(lambda p: fts_paste(con, p), stretches)
    k_plain = mrr(rank, items)
    k_quoted = mrr(lambda p: rank(f'"{p}"'), items)
    f_k = mrr(lambda p: fts_paste(con, p), items)
    zero = sum(1 for q in TOPICS if search(ix_dir, q)["total"] == 0)
    zero_f = sum(1 for q in TOPICS if fts_search(con, q)[0] == 0)
    con.close()
    close_searchers()

    print(
        f"corpus: {corpus} — {stats.files} files, {len(articles)} articles; "
        f"{len(stretches)} random {STRETCH}-character stretches, {len(items)} rarest stretches"
    )
    print("| | Concord (Whoosh + jieba, bigram phrases) | SQLite FTS5 trigram |")
    print("| --- | --- | --- |")
    print(
        f"| index build | {build:.1f} s ({stats.articles} articles) | "
        f"{fts_build:.1f} s (parsing {parse_s:.1f} s included) |"
    )
    print(f"| re-import, nothing changed | {reimport:.2f} s ({again.unchanged} unchanged) | n/a |")
    print(f"| index size | {dir_size(ix_dir) / 1e6:.0f} MB | {db.stat().st_size / 1e6:.0f} MB |")
    for name, a, b in (
        (f"latency, {len(queries)} queries, in process", lat, f_lat),
        (f"latency, {len(TOPICS)} topic queries", topics, f_topics),
        (f"latency, {len(pastes)} pasted stretches", paste_lat, f_paste_lat),
    ):
        print(
            f"| {name} | p50 {pct(a, 50):.1f} ms, p95 {pct(a, 95):.1f} ms | "
            f"p50 {pct(b, 50):.1f} ms, p95 {pct(b, 95):.1f} ms |"
        )
    print(
        f"| latency, {len(queries)} queries over HTTP (/api/v1/search) | "
        f"p50 {pct(http_lat, 50):.1f} ms, p95 {pct(http_lat, 95):.1f} ms | n/a |"
    )
    print(f"| MRR@10, random stretches unquoted | {r_plain:.3f} | {f_r:.3f} (as one substring) |")
    print(f"| MRR@10, random stretches quoted | {r_quoted:.3f} | {f_r:.3f} |")
    print(f"| MRR@10, rarest stretches unquoted | {k_plain:.3f} | {f_k:.3f} (as one substring) |")
    print(f"| MRR@10, rarest stretches quoted | {k_quoted:.3f} | {f_k:.3f} |")
    print(f"| topic queries with no hit | {zero} | {zero_f} |")
    print(f"workdir: {work}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
