"""The traceability report of a project: proposal → clauses, clause → proposals, not yet used."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from comments.proposals.models import Proposal, is_overdue
from comments.proposals.services.fields import kind_names, status_names
from comments.proposals.services.links import LinkView, Trees, view_link
from comments.proposals.services.proposals import display_name, visible_proposals
from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.permissions.contacts import sees_contact
from drafting.core.spreadsheets import csv_bytes
from drafting.models import Project


@dataclass
class Entry:
    """One proposal of the report with its links as they read now."""

    proposal: Proposal
    links: list[LinkView]
    overdue: bool
    contact: str | None


@dataclass
class ClauseRow:
    """One linked provision and the proposals that shaped it."""

    view: LinkView
    proposals: list[Proposal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    """The whole report for a project as the user may see it."""

    project: Project
    entries: list[Entry]
    clauses: list[ClauseRow]

    @property
    def unlinked(self) -> list[Entry]:
        return [e for e in self.entries if not e.links]

    @property
    def overdue(self) -> list[Entry]:
        return [e for e in self.entries if e.overdue]


def build_report(session: Session, user: User, project: Project) -> Report:
    """Collect a seen project's proposals, their links and the clauses they produced."""
    trees = Trees(session)
    entries: list[Entry] = []
    clauses: dict[int, ClauseRow] = {}
    for proposal in visible_proposals(session, user, project=project):
        views = [
            view_link(trees, link)
            for link in proposal.links
            if link.provision.draft.project_id == project.id  # a project the user sees
        ]
        views.sort(key=lambda v: (not v.draft.is_common, v.draft.id, v.link.provision_id))
        entries.append(
            Entry(
                proposal=proposal,
                links=views,
                overdue=is_overdue(proposal),
                contact=proposal.contact
                if sees_contact(user, proposal.jurisdiction_code)
                else None,
            )
        )
        for view in views:
            row = clauses.setdefault(view.link.provision_id, ClauseRow(view=view))
            row.proposals.append(proposal)
            row.notes.append(view.link.note)
    order = {
        d.id: i for i, d in enumerate(sorted(project.drafts, key=lambda d: (not d.is_common, d.id)))
    }
    rows = sorted(
        clauses.values(),
        key=lambda r: (
            order.get(r.view.draft.id, 0),
            r.view.deleted,
            _article_number(trees, r.view),
        ),
    )
    return Report(project=project, entries=entries, clauses=rows)


def _article_number(trees: Trees, view: LinkView) -> float:
    tree = trees.of(view.draft)
    pid = view.link.provision_id
    if pid not in tree.nodes:
        return 1e9
    ids = [n.id for n in tree.walk()]
    return float(ids.index(pid))


def link_state(view: LinkView) -> str:
    """Return how the linked provision fared since the link: deleted, changed, or unchanged."""
    if view.deleted:
        return _("已删除")
    if view.changed:
        return _("关联后已修改")
    return _("未修改")


def report_csv(report: Report) -> bytes:
    """Return the report as CSV with a BOM, one row per proposal and provision."""
    header = [
        _("类别"),
        _("编号"),
        _("标题"),
        _("提出人"),
        _("地区"),
        _("届次"),
        _("渠道"),
        _("状态"),
        _("答复期限"),
        _("逾期"),
        _("汇入"),
        _("文本"),
        _("条款"),
        _("关联时条款"),
        _("条款现状"),
        _("现行条文"),
        _("说明"),
        _("联系方式"),
    ]
    rows: list[list] = []
    kinds, statuses = kind_names(), status_names()
    for e in report.entries:
        p = e.proposal
        base = [
            kinds.get(p.kind, p.kind),
            p.number or "",
            p.title,
            "、".join(s.get("name", "") for s in p.submitters or []),
            p.jurisdiction.name,
            p.session,
            p.channel,
            statuses.get(p.status, p.status),
            p.deadline.isoformat() if p.deadline else "",
            _("是") if e.overdue else "",
            display_name(p.fed_into) if p.fed_into else "",
        ]
        contact = e.contact or ""
        if not e.links:
            rows.append([*base, "", "", "", _("尚无条款"), "", "", contact])
        for v in e.links:
            rows.append(
                [
                    *base,
                    v.draft.title,
                    v.label,
                    v.link.label_at_link,
                    link_state(v),
                    v.text,
                    v.link.note,
                    contact,
                ]
            )
    return csv_bytes(header, rows)


def report_docx(report: Report) -> bytes:
    """Return the report as a .docx document."""
    from comments.proposals.files.traceability_docx import write_report

    kinds, statuses = kind_names(), status_names()
    labels = {
        "title": _("《{title}》建议意见落实情况表", title=report.project.title),
        "by_proposal": _("一、建议意见与所形成的条款"),
        "by_clause": _("二、条款与其来源"),
        "unlinked": _("三、尚未形成条款的建议意见"),
        "overdue": _("逾期未答复"),
        "deleted": _("已删除"),
        "changed": _("关联后已修改"),
        "none": _("无。"),
        "head_proposal": [_("建议意见"), _("提出人"), _("状态"), _("形成的条款"), _("说明")],
        "head_clause": [_("文本"), _("条款"), _("现行条文"), _("来源")],
        "head_unlinked": [_("建议意见"), _("提出人"), _("状态"), _("答复期限")],
        "was": _("关联时为{label}"),
    }
    entries = [
        {
            "name": display_name(e.proposal),
            "kind": kinds.get(e.proposal.kind, e.proposal.kind),
            "title": e.proposal.title,
            "submitters": "、".join(s.get("name", "") for s in e.proposal.submitters or [])
            or e.proposal.jurisdiction.name,
            "status": statuses.get(e.proposal.status, e.proposal.status),
            "deadline": e.proposal.deadline.isoformat() if e.proposal.deadline else "",
            "overdue": e.overdue,
            "contact": e.contact,
            "links": [
                {
                    "draft": v.draft.title,
                    "label": v.label,
                    "was": v.link.label_at_link if v.renumbered else "",
                    "deleted": v.deleted,
                    "changed": v.changed and not v.deleted,
                    "note": v.link.note,
                    "text": v.text,
                }
                for v in e.links
            ],
        }
        for e in report.entries
    ]
    clauses = [
        {
            "draft": r.view.draft.title,
            "label": r.view.label,
            "deleted": r.view.deleted,
            "text": r.view.text,
            "sources": [display_name(p) + "：" + p.title for p in r.proposals],
        }
        for r in report.clauses
    ]
    return write_report(labels, entries, clauses)
