"""Small statutes for the legality review's tests (excerpts written in the corpus format)."""

# ruff: noqa: E501  (statutes keep one paragraph per line, as the corpus does)

from __future__ import annotations

from pathlib import Path

PENALTY_LAW = """# 中华人民共和国行政处罚法
2021年1月22日第十三届全国人民代表大会常务委员会第二十五次会议修订
<!-- INFO END -->
## 第二章 行政处罚的种类和设定
第十二条 地方性法规可以设定除限制人身自由、吊销营业执照以外的行政处罚。
第十六条 除法律、法规、规章外，其他规范性文件不得设定行政处罚。
"""
RELICS_2017 = """# 中华人民共和国文物保护法
2017年11月4日第十二届全国人民代表大会常务委员会第三十次会议修正
<!-- INFO END -->
第一条 为了加强对文物的保护，制定本法。
第二条 建设工程选址，应当尽可能避开不可移动文物。
"""
RELICS_2024 = """# 中华人民共和国文物保护法
2024年11月8日第十四届全国人民代表大会常务委员会第十二次会议修订
<!-- INFO END -->
第一条 为了加强对文物的保护，传承中华民族优秀历史文化遗产，制定本法。
第二条 建设工程选址，应当尽可能避开不可移动文物；因特殊情况不能避开的，应当尽可能实施原址保护。
第三条 文物保护单位的保护范围内不得进行其他建设工程或者爆破、钻探、挖掘等作业。但是，因特殊情况需要进行的，必须保证文物保护单位的安全。
第四条 有下列行为之一的，由县级以上人民政府文物行政部门责令改正，给予警告；造成文物损坏或者其他严重后果的，处五万元以上五十万元以下的罚款：
（一）擅自在文物保护单位的保护范围内进行建设工程或者爆破、钻探、挖掘等作业的；
（二）擅自迁移、拆除不可移动文物的。
"""
MANIFEST = (
    "file\tsource\ttitle\tlevel\tjurisdiction\tdate_in_filename\texpired_flag_in_repo_db\n"
    "national/行政法/行政处罚法(2021-01-22).md\tx\t行政处罚法\t法律\t国家\t2021-01-22\t0\n"
    "national/行政法/文物保护法(2017-11-04).md\tx\t文物保护法\t法律\t国家\t2017-11-04\t0\n"
    "national/行政法/文物保护法(2024-11-08).md\tx\t文物保护法\t法律\t国家\t2024-11-08\t0\n"
)
# A city's draft with one finding of most kinds (article numbers in the comments).
DRAFT = """XX市红色资源保护条例

第一条　为了加强红色资源保护，根据《中华人民共和国文物保护法》，制定本条例。

第二条　文物保护单位的保护范围内不得进行其他建设工程或者爆破、钻探、挖掘等作业。但是，因特殊情况需要进行的，必须保证文物保护单位的安全。

第三条　在红色资源保护范围内举办大型活动的，应当经市文化和旅游主管部门批准。

第四条　违反本条例规定，擅自在文物保护单位的保护范围内进行建设工程或者爆破、钻探、挖掘等作业的，由文物主管部门责令改正，处十万元以上一百万元以下的罚款；情节严重的，由市场监督管理部门吊销营业执照。

第五条　依照《中华人民共和国文物保护法》第九十九条的规定处理。

第六条　本条例自2025年7月1日起施行。
"""


def write_statutes(root: Path) -> Path:
    """Write the statutes above in the shared corpus format; return the folder."""
    files = {
        "national/行政法/行政处罚法(2021-01-22).md": PENALTY_LAW,
        "national/行政法/文物保护法(2017-11-04).md": RELICS_2017,
        "national/行政法/文物保护法(2024-11-08).md": RELICS_2024,
        "manifest.tsv": MANIFEST,
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def import_statutes(app, root: Path) -> None:
    """Write the statutes above into root and import them into the app's statute store."""
    import_statute_folder(app, write_statutes(root))


def import_statute_folder(app, folder: Path) -> None:
    """Import a folder of statutes (the corpus format) into the app's statute store."""
    from search.importer import import_directory

    import_directory(app.extensions["concord_engine"], folder)
