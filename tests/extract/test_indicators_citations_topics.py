from __future__ import annotations

import pytest

from fazhi_shared.extract import citations, indicators, topics


def _pairs(text: str) -> list[tuple[str, float, str]]:
    return [(i.name, i.value, i.unit) for i in indicators.extract(text)]


def test_counts_and_rates_from_one_sentence() -> None:
    text = "全省各级行政复议机关新收行政复议申请3699件，依法受理3266件，审结3193件，审结率95.83%。"
    assert _pairs(text) == [
        ("admin_reconsideration_received", 3699, "件"),
        ("admin_reconsideration_accepted", 3266, "件"),
        ("admin_reconsideration_concluded", 3193, "件"),
    ]


def test_offsets_point_at_the_evidence() -> None:
    text = "一、概况\n全年新收行政复议申请三千六百九十九件，依法受理3,266件。行政机关负责人出庭应诉率为百分之百。"
    found = indicators.extract(text)
    assert [(i.name, i.value) for i in found] == [
        ("admin_reconsideration_received", 3699), ("admin_reconsideration_accepted", 3266),
        ("head_appearance_rate_pct", 100)]
    assert text[found[0].start : found[0].end] == "新收行政复议申请三千六百九十九件"
    assert text[found[1].start : found[1].end].endswith("3,266件")
    assert found[2].unit == "%"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("全市各级人民调解组织共调解矛盾纠纷1.2万件，调解成功11856件，调解成功率98.8%。",
      [("mediation_disputes", 12000), ("mediation_success", 11856), ("mediation_success_rate_pct", 98.8)]),
     ("信访案件调解成功125件。", []),
     ("不予受理3件。", []),
     ("办理行政应诉案件28件，其中一审应诉案件22件，二审应诉案件6件。", [("admin_litigation_cases", 28)]),
     ("报送备案规范性文件45件；对62件规范性文件进行合法性审核。",
      [("normative_docs_filed", 45), ("normative_docs_reviewed", 62)]),
     ("报送国务院备案省政府规章5件。", []),
     ("全年办理行政处罚案件1,234件，法律援助案件2100件。", [("admin_penalty_cases", 1234), ("legal_aid_cases", 2100)]),
     ("全市人民调解组织调解案件12345件，调解成功率98%。",
      [("mediation_disputes", 12345), ("mediation_success_rate_pct", 98)]),
     ("法院诉前调解案件300件。", []),
     ("对45件规范性文件进行备案审查，全年提供法律援助1234件。",
      [("normative_docs_filed", 45), ("legal_aid_cases", 1234)]),
     ("共办理法律援助案件544件，引导人民调解案件455件。", [("legal_aid_cases", 544)]),
     ("作出行政处罚决定书1234份，全年实施行政处罚56件。",
      [("admin_penalty_cases", 1234), ("admin_penalty_cases", 56)]),
     ("行政机关负责人出庭应诉比例达到95%。", [("head_appearance_rate_pct", 95)]),
     ("全市法院共受理一审行政案件876件。", [("admin_litigation_cases", 876)]),
     ("备案审查率100%，出台规范性文件15件。", []),
     ("2020年，共受理187件行政复议案件，综合纠错比率达27%。",
      [("admin_reconsideration_accepted", 187), ("admin_reconsideration_correction_rate_pct", 27)])],
)
def test_catalog_patterns(text: str, expected: list[tuple[str, float]]) -> None:
    assert [(n, v) for n, v, _ in _pairs(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("省政府制定的规范性文件23件全部按规定报送备案，对52件省政府规范性文件进行了合法性审核。",
      [("normative_docs_filed", 23), ("normative_docs_reviewed", 52)]),
     ("制定规范性文件23件，均经合法性审核。", []),
     ("全盟人民调解组织排查化解矛盾纠纷3120件，调解成功3051件。",
      [("mediation_disputes", 3120), ("mediation_success", 3051)]),
     ("成功化解矛盾纠纷86件。", [("mediation_success", 86)]),
     ("披露负责人出庭应诉率的报告占比为61.3%。", []),
     ("全市行政机关负责人出庭应诉率达98.5%。", [("head_appearance_rate_pct", 98.5)]),
     ("全年办理行政应诉案件（含一审、二审）1203件。", [("admin_litigation_cases", 1203)]),
     ("全市行政诉讼一审案件共计345件，败诉率6.7%。", [("admin_litigation_cases", 345)]),
     ("行政机关负责人出庭应诉案件1024件，出庭应诉率达到99.12%。", [("head_appearance_rate_pct", 99.12)]),
     ("人民调解组织受理矛盾纠纷2,345件，调解成功2,301件，成功率98.1%。",
      [("mediation_disputes", 2345), ("mediation_success", 2301), ("mediation_success_rate_pct", 98.1)]),
     # The figure a change starts from is not this year's value; the one it reaches is.
     ("负责人出庭应诉率从85%提高到97%。", [("head_appearance_rate_pct", 97)]),
     ("全区行政机关负责人出庭应诉率从2022年的87%提高到100%。", [("head_appearance_rate_pct", 100)]),
     ("收到行政复议申请由320件增加到356件。", []),
     ("人民调解委员会共调解纠纷2100余件，调处矛盾纠纷一万二千多件。",
      [("mediation_disputes", 2100), ("mediation_disputes", 12000)]),
     # A list of unlike things closed by 等 is counted together: no one indicator's value.
     ("参与政府合同协议、重大事项、重大行政规范性文件等合法性审查共计57件。", []),
     ("对省政府规章草案和规范性文件进行合法性审查68件。", [("normative_docs_reviewed", 68)]),
     # A clause between the verb and the count, as long as reports write it.
     ("全年收到以我局为被申请人的行政复议申请5件，应诉行政诉讼案件9件。",
      [("admin_reconsideration_received", 5), ("admin_litigation_cases", 9)]),
     ("对省政府及省政府办公厅拟出台的38件规范性文件进行合法性审核。", [("normative_docs_reviewed", 38)]),
     ("全县政务服务中心可办事项1206项，进驻事项另计。", [("gov_service_items", 1206)]),
     # Cases handled include last year's; the new ones that follow are the year's received.
     ("共办理行政复议案件189件，其中新收176件。", [("admin_reconsideration_received", 176)])],
)
def test_counts_named_after_the_number_and_rates_of_other_things(
        text: str, expected: list[tuple[str, float]]) -> None:
    assert [(n, v) for n, v, _ in _pairs(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [# Clauses joined by ； share their subject: 受理 and 审结 are the 行政复议's.
     ("全年收到行政复议申请286件，同比增长18.7%；受理261件；审结247件，审结率94.6%。",
      [("admin_reconsideration_received", 286), ("admin_reconsideration_accepted", 261),
       ("admin_reconsideration_concluded", 247)]),
     # Cases closed by mediation are a part of those concluded, not their number.
     ("全年共审结行政复议案件67件，通过调解和解方式结案19件。", [("admin_reconsideration_concluded", 67)]),
     ("办理行政复议案件238件，其中调解和解结案45件。", [("admin_reconsideration_received", 238)]),
     ("全县各级调解组织调处矛盾纠纷1,213件，调处成功1,187件。",
      [("mediation_disputes", 1213), ("mediation_success", 1187)]),
     ("梳理公布依申请政务服务事项清单，共计1,186项。", [("gov_service_items", 1186)]),
     # Counts listed in the order of their verbs.
     ("全年新收、受理、审结行政复议案件分别为46件、43件、41件，其余2件结转下一年度办理。",
      [("admin_reconsideration_received", 46), ("admin_reconsideration_accepted", 43),
       ("admin_reconsideration_concluded", 41)]),
     ("全年共收到行政复议申请63件，受理57件；全县57件行政复议案件全部在法定期限内审结。",
      [("admin_reconsideration_received", 63), ("admin_reconsideration_accepted", 57),
       ("admin_reconsideration_concluded", 57)]),
     # A quarter's figure is not the year's.
     ("全年收到行政复议申请215件，同比增长18.1%，其中第四季度收到67件，环比增长9.8%。",
      [("admin_reconsideration_received", 215)]),
     ("全年制定规范性文件2件，均按规定报送县司法局备案。", [("normative_docs_filed", 2)]),
     ("县政府制定的规范性文件7件全部报送市政府和县人大常委会备案。", [("normative_docs_filed", 7)]),
     # The 司法局's 审核 of normative documents is their legality review.
     ("全年审核市政府规范性文件23件，报送市政府备案23件。",
      [("normative_docs_reviewed", 23), ("normative_docs_filed", 23)]),
     ("对拟出台的规范性文件进行合法性审核，共审核27件，提出修改意见41条。", [("normative_docs_reviewed", 27)]),
     ("全年收到行政复议申请19件，均已审结。",
      [("admin_reconsideration_received", 19), ("admin_reconsideration_concluded", 19)]),
     ("政务服务窗口可办事项86项。", [("gov_service_items", 86)]),
     ("调解企业劳资纠纷等矛盾纠纷45件。", [("mediation_disputes", 45)]),
     # Corrections found by reviewing filed documents are not the number filed.
     ("报送备案规范性文件合计96件，备案审查纠错3件。", [("normative_docs_filed", 96)]),
     ("镇村两级调委会排查矛盾纠纷3,406次，调解纠纷2,917件，成功2,885件。",
      [("mediation_disputes", 2917), ("mediation_success", 2885)]),
     # A court's mediation before trial is not the people's mediation.
     ("区法院诉前调解各类纠纷4,862件；区人民调解委员会调处纠纷约9,300件。", [("mediation_disputes", 9300)]),
     ("依托人民法庭开展诉前调解，成功化解纠纷5,300余件。", []),
     ("全州法院新收行政一审案件476件。", [("admin_litigation_cases", 476)]),
     ("因政府信息公开工作被申请行政复议12件、被提起行政诉讼7件，均未被纠错。", [("admin_litigation_cases", 7)]),
     ("全年法律援助机构办结案件5,570件。", [("legal_aid_cases", 5570)]),
     ("全市法律援助：受理案件497件，受援人数512人。", [("legal_aid_cases", 497)]),
     ("共收到复议申请（含网上申请）2,014件，受理（含转送）1,876件，审结1,793件。",
      [("admin_reconsideration_received", 2014), ("admin_reconsideration_accepted", 1876),
       ("admin_reconsideration_concluded", 1793)]),
     # A table row read from a DOCX or HTML table: the label starts the row.
     ("人民调解案件  3.42万件  +4.0%", [("mediation_disputes", 34200)])],
)
def test_clauses_subsets_and_table_rows(text: str, expected: list[tuple[str, float]]) -> None:
    assert [(n, v) for n, v, _ in _pairs(text)] == expected


def test_kept_up_in_a_report_is_a_value_in_a_plan_a_target() -> None:
    sentence = "全面落实行政机关负责人出庭应诉制度，出庭应诉率保持100%。"
    assert [(i.name, i.value) for i in indicators.extract(sentence, 2024, report=True)] == [
        ("head_appearance_rate_pct", 100)]
    assert indicators.extract(sentence, 2024, report=False) == []
    assert indicators.extract("下一步，出庭应诉率继续保持100%。", 2024, report=True) == []
    steady = "完善人民调解组织网络，矛盾纠纷调解成功率稳定在95%以上。"
    assert indicators.extract(steady, 2024, report=False) == []  # a plan's target
    assert [(i.name, i.value) for i in indicators.extract(steady, 2024, report=True)] == [
        ("mediation_success_rate_pct", 95)]


def test_a_year_still_ahead_sets_a_goal() -> None:
    plan = "到2025年，行政机关负责人出庭应诉率达到100%，全县行政复议案件审结30件。"
    assert [i.name for i in indicators.extract(plan, written=2022)] == []
    # The same words in a report written after that year state what was reached.
    assert [(i.name, i.value) for i in indicators.extract(plan, written=2026)] == [
        ("head_appearance_rate_pct", 100), ("admin_reconsideration_concluded", 30)]
    assert len(indicators.extract("到2022年底，全市负责人出庭应诉率达到99%。", written=2023)) == 1


def test_catalog_has_the_design_names() -> None:
    names = {r.name for r in indicators.catalog().rules}
    assert {"admin_reconsideration_received", "admin_reconsideration_accepted",
            "admin_reconsideration_concluded", "admin_litigation_cases", "head_appearance_rate_pct",
            "normative_docs_filed", "mediation_disputes", "mediation_success"} <= names


def test_citations_normalized_and_typed() -> None:
    text = ("落实《法治政府建设实施纲要(2015-2020年)》《中华人民共和国行政处罚法》《国家安全法》"
            "《黄石市公共汽车客运条例》《重大行政决策程序暂行条例》《黑龙江省行政执法案卷评查办法》"
            "《关于印发xx的通知》（黔府办发[2019]12号）《中国共产党党内法规制定条例》"
            "《辽宁省实施<法治建设与责任落实督察工作规定>细则》《法治政府建设实施纲要（2015—2020年）》")
    found = citations.extract(text)
    types = {c.title: c.type for c in found}
    assert types["法治政府建设实施纲要（2015—2020年）"] == "方案/规划"
    assert types["中华人民共和国行政处罚法"] == "法律"
    assert types["国家安全法"] == "法律"
    assert types["黄石市公共汽车客运条例"] == "地方性法规"
    assert types["重大行政决策程序暂行条例"] == "行政法规"
    assert types["黑龙江省行政执法案卷评查办法"] == "规章"
    assert types["关于印发xx的通知"] == "规范性文件"
    assert types["中国共产党党内法规制定条例"] == "党内法规"
    assert "辽宁省实施〈法治建设与责任落实督察工作规定〉细则" in types
    cited = citations.cited(found)
    assert cited.count("法治政府建设实施纲要（2015—2020年）") == 1
    assert all(text[c.start] == "《" and text[c.end - 1] == "》" for c in found)
    assert citations.normalize_title("关于xx的通知〔2019〕") == "关于xx的通知〔2019〕"


def test_topics_from_the_taxonomy() -> None:
    text = "深化“放管服”改革，优化营商环境，推进简政放权。全面推行行政执法三项制度，加强行政执法监督，规范综合执法。"
    found = topics.assign("", text)
    assert "放管服/营商环境" in found and "行政执法" in found
    assert "疫情防控" not in found
    assert set(found) <= set(topics.labels())


def test_catalog_definitions_have_labels_units_and_synonyms() -> None:
    defs = indicators.definitions()
    assert len({d.name for d in defs}) == len(defs) >= 8
    assert all(d.label and d.unit and d.synonyms for d in defs)
    assert {d.name for d in defs} == {r.name for r in indicators.catalog().rules}


def test_table_rows_read_as_the_sentences_they_stand_for() -> None:
    table = ("附表：2021年张掖市法治政府建设主要指标\n类别 项目 数量 2020年\n"
             "行政复议 收到申请（件） 184 170\n行政复议 审结（件） 161\n行政应诉 负责人出庭应诉率 97.7%\n"
             "规范性文件 合法性审核（件） 21\n联系电话 12345")
    found = [(i.name, i.value, table[i.start:i.end]) for i in indicators.extract(table)]
    assert ("admin_reconsideration_received", 184, "184") in found  # the year's column, not the last
    assert ("admin_reconsideration_concluded", 161, "161") in found
    assert ("normative_docs_reviewed", 21, "21") in found
    assert any(name == "head_appearance_rate_pct" and value == 97.7 for name, value, _ in found)
    assert len(found) == 4


def test_table_cells_on_lines_of_their_own_as_a_pdf_gives_them() -> None:
    table = ("全市主要法治指标见下表：\n指标\n2021年\n2020年\n行政复议申请收到数（件）\n236\n198\n"
             "行政复议申请受理数（件）\n214\n181\n行政机关负责人出庭应诉率（%）\n96.2\n91.5\n"
             "人民调解纠纷数（件）\n6820\n6415\n调解成功数（件）\n6733\n6302\n（一）加强组织领导\n")
    found = {(i.name, i.value) for i in indicators.extract(table)}
    assert found == {("admin_reconsideration_received", 236), ("admin_reconsideration_accepted", 214),
                     ("head_appearance_rate_pct", 96.2), ("mediation_disputes", 6820),
                     ("mediation_success", 6733)}  # 调解成功 takes its subject from the row above


def test_the_disclosure_reports_table_gives_the_penalty_decisions() -> None:
    # Every 政府信息公开工作年度报告 has this table; as prose or as rows, 行政许可 is not a penalty.
    prose = "行政许可：本年处理决定数量320件；行政处罚：本年处理决定数量1.42万件。"
    rows = "行政许可 本年处理决定数量 320\n行政处罚 本年处理决定数量 14200\n行政强制 本年处理决定数量 12\n"
    for text in (prose, rows):
        assert [(i.name, i.value) for i in indicators.extract(text)] == [("admin_penalty_cases", 14200)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("行政复议工作平稳。对违法或者不当的行政行为坚决纠正，直接纠错率为11.3%，综合纠错率达到21.6%。",
      [("admin_reconsideration_correction_rate_pct", 21.6)]),  # the 综合 rate, when both are given
     ("行政复议综合纠错率19.3%，其中直接纠错率8.2%。", [("admin_reconsideration_correction_rate_pct", 19.3)]),
     ("全盟新收行政复议案件96件，直接纠错率8.8%。",
      [("admin_reconsideration_received", 96), ("admin_reconsideration_correction_rate_pct", 8.8)]),
     ("行政复议案件结果维持4件、纠正1件、尚未审结1件。", []),
     ("因政府信息公开被申请行政复议的纠错率为3.6%。", []),  # the body as respondent, not the organ
     ("为发挥行政复议典型案例作用，从全市办结的案件中选取6件典型案例予以发布。", []),
     ("全年制定规范性文件1件，按规定报区政府备案。", [("normative_docs_filed", 1)]),
     ("市局作为行政复议机关受理税务行政复议案件9件，审结9件。",
      [("admin_reconsideration_accepted", 9), ("admin_reconsideration_concluded", 9)])],
)
def test_rates_and_counts_after_the_revised_reconsideration_law(text: str, expected: list[tuple[str, float]]) -> None:
    assert [(i.name, i.value) for i in indicators.extract(text, 2026, report=True)] == expected


def test_titles_in_ascii_angle_brackets_are_cited() -> None:
    text = "新修订的<中华人民共和国行政复议法>公布后，组织学习<b>重要</b>内容，落实《实施<行政处罚法>办法》。"
    assert citations.cited(citations.extract(text)) == ["中华人民共和国行政复议法", "实施〈行政处罚法〉办法"]


def test_a_short_form_in_parentheses_is_not_cited_again() -> None:
    text = "认真贯彻《中华人民共和国政府信息公开条例》（以下简称《条例》），落实《条例》要求。"
    assert citations.cited(citations.extract(text)) == ["中华人民共和国政府信息公开条例"]
