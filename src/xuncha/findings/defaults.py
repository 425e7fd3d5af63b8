"""The default regulations (定性依据) an office may load: well-known party rules, located by chapter or
section where the location is certain, otherwise by name alone (the office adds the articles it cites)."""

from typing import NamedTuple


class RegulationData(NamedTuple):
    name: str
    article: str
    excerpt: str


DISCIPLINE_RULES = "《中国共产党纪律处分条例》"
EIGHT_RULES = "中央八项规定及其实施细则精神"
INTEGRITY_CODE = "《中国共产党廉洁自律准则》"
SELECTION_RULES = "《党政领导干部选拔任用工作条例》"
INSPECTION_RULES = "《中国共产党巡视工作条例》"

REGULATIONS: tuple[RegulationData, ...] = (
    RegulationData(DISCIPLINE_RULES, "第六章", "对违反政治纪律行为的处分。"),
    RegulationData(DISCIPLINE_RULES, "第七章", "对违反组织纪律行为的处分。"),
    RegulationData(DISCIPLINE_RULES, "第八章", "对违反廉洁纪律行为的处分。"),
    RegulationData(DISCIPLINE_RULES, "第九章", "对违反群众纪律行为的处分。"),
    RegulationData(DISCIPLINE_RULES, "第十章", "对违反工作纪律行为的处分。"),
    RegulationData(DISCIPLINE_RULES, "第十一章", "对违反生活纪律行为的处分。"),
    RegulationData(
        EIGHT_RULES,
        "",
        "改进调查研究，精简会议活动，精简文件简报，规范出访活动，改进警卫工作，改进新闻报道，"
        "严格文稿发表，厉行勤俭节约。",
    ),
    RegulationData(
        INTEGRITY_CODE,
        "党员廉洁自律规范",
        "坚持公私分明，先公后私，克己奉公；坚持崇廉拒腐，清白做人，干净做事；"
        "坚持尚俭戒奢，艰苦朴素，勤俭节约；坚持吃苦在前，享受在后，甘于奉献。",
    ),
    RegulationData(
        INTEGRITY_CODE,
        "党员领导干部廉洁自律规范",
        "廉洁从政，自觉保持人民公仆本色；廉洁用权，自觉维护人民根本利益；"
        "廉洁修身，自觉提升思想道德境界；廉洁齐家，自觉带头树立良好家风。",
    ),
    RegulationData(SELECTION_RULES, "", "党政领导干部选拔任用的原则、条件、程序和纪律。"),
    RegulationData(INSPECTION_RULES, "", "巡视巡察的工作职责、监督重点、工作方式和程序，巡视巡察成果运用。"),
)
