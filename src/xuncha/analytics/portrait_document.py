"""The 政治生态研判报告 of one unit: the portrait's numbers written out as an official document (GB/T 9704
through ``core.officialdoc``), downloaded by the office (``views/portrait.py`` audits it and serves it
watermarked through ``core.downloads``)."""

from xuncha.core.officialdoc import OfficialDocument

from .portrait import Portrait


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def _listing(rows: list[tuple[str, int]], unit: str) -> str:
    return "；".join(f"{name}{n}{unit}" for name, n in rows) if rows else "无"


def document(p: Portrait) -> bytes:
    unit = p.unit
    office = f"{unit.committee.short_name or unit.committee.name}巡察工作领导小组办公室"
    doc = OfficialDocument()
    doc.letterhead(office)
    doc.title(f"关于{unit.name}政治生态情况的研判报告")
    years = sorted({line.year for line in p.inspections})
    span = f"{years[0]}—{years[-1]}年" if len(years) > 1 else (f"{years[0]}年" if years else "")
    doc.paragraph(
        f"根据{unit.committee.name}巡察工作有关数据，对{unit.name}{span}历次巡察"
        f"（共 {len(p.inspections)} 次）中民主测评、信访反映、发现问题、问题线索、整改落实和“回头看”"
        "情况进行汇总研判，报告如下。"
    )

    doc.heading(1, "历次巡察和民主测评情况")
    if not p.inspections:
        doc.paragraph("该单位尚未被巡察。")
    for line in p.inspections:
        evaluation = (
            f"领导班子总体评价好和较好率 {_pct(line.evaluation)}（有效票 {line.evaluation_votes} 张）"
            if line.evaluation_votes
            else "未开展领导班子民主测评"
        )
        doc.paragraph(
            f"{line.year}年{line.inspection.round.name}：{evaluation}；受理信访 {line.pieces} 件（归并后 "
            f"{line.matters} 件），形成问题底稿 {line.findings} 个，问题线索 {line.clues} 条，整改事项 "
            f"{line.items} 项、已销号 {line.closed} 项。"
        )

    doc.heading(1, "信访反映情况")
    doc.paragraph(
        f"共受理信访 {p.pieces} 件，重复件归并后为 {p.matters} 件。按渠道：{_listing(p.channels, '件')}。"
    )

    doc.heading(1, "发现问题情况")
    doc.paragraph(f"共形成问题底稿 {p.findings} 个。")
    doc.heading(2, "按“三个聚焦”分类")
    doc.paragraph(_listing(p.focus, "个") + "。")
    doc.heading(2, "按“六项纪律”分类")
    doc.paragraph(_listing(p.discipline, "个") + "。")
    doc.heading(2, "按问题性质和“四风”分类")
    doc.paragraph(f"问题性质：{_listing(p.nature, '个')}。四风：{_listing(p.four_winds, '个')}。")

    doc.heading(1, "问题线索及处置情况")
    doc.paragraph(
        f"共形成问题线索 {p.clues} 条，已移交 {p.clues_transferred} 条。"
        f"按类别：{_listing(p.clue_kinds, '条')}。"
        f"处置结果：{_listing(p.clue_outcomes, '条')}。"
    )

    doc.heading(1, "整改落实和“回头看”情况")
    doc.paragraph(
        f"整改事项 {p.items} 项，已销号 {p.items_closed} 项（销号率 {_pct(p.closure_rate)}），其中按期销号 "
        f"{p.items_on_time} 项（按期率 {_pct(p.on_time_rate)}）；逾期未销号 {p.items_overdue} 项。"
    )
    if p.checks:
        doc.paragraph(
            f"“回头看”核查整改事项 {p.checks} 项：{_listing(p.verdicts, '项')}；"
            f"虚假整改率 {_pct(p.false_rate)}，反弹回潮率 {_pct(p.relapsed_rate)}。"
        )
    else:
        doc.paragraph("尚未开展“回头看”核查。")

    doc.heading(1, "主要负责人和领导班子成员情况")
    if not p.leaders:
        doc.paragraph("花名册未登记主要负责人和领导班子成员。")
    for leader in p.leaders:
        person = leader.person
        evaluations = "，".join(f"{r}好和较好率 {_pct(v)}" for r, v in leader.evaluations) or "无民主测评结果"
        doc.paragraph(
            f"{person.name}（{person.post}）：被信访反映 {leader.petitions} 件，"
            f"问题底稿涉及 {leader.findings} 个，问题线索涉及 {leader.clues} 条，"
            f"牵头整改事项 {leader.items} 项、已销号 {leader.items_closed} 项；"
            f"{evaluations}。"
        )

    doc.heading(1, "研判意见")
    doc.paragraph(_opinion(p))
    doc.signature(office, p.today)
    return doc.save()


def _opinion(p: Portrait) -> str:
    """A first reading the office edits: what the numbers point at."""
    points = []
    if p.focus:
        points.append(f"问题主要集中在“{p.focus[0][0]}”方面")
    if p.clues_transferred:
        points.append(f"已移交问题线索 {p.clues_transferred} 条，应跟踪处置结果")
    if p.items_overdue:
        points.append(f"有 {p.items_overdue} 项整改事项逾期未销号，应加强督办")
    if p.false_rate or p.relapsed_rate:
        points.append("“回头看”发现虚假整改或反弹回潮问题，应压实整改主体责任")
    if not points:
        points.append("现有数据未显示突出问题，建议结合日常监督持续关注")
    return "；".join(points) + "。"
