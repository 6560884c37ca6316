from __future__ import annotations

from collections import Counter

import pytest

from fazhi_shared.extract import region
from fazhi_shared.extract.gazetteer import gazetteer


def test_gazetteer_covers_every_level_with_codes() -> None:
    g = gazetteer()
    levels = Counter(p.level for p in g.by_code.values())
    assert levels["province"] == 34
    assert levels["prefecture"] >= 333
    assert levels["county"] >= 2800
    assert all(len(code) == 6 and code.isdigit() for code in g.by_code)
    for place in g.by_code.values():
        if place.level != "province":
            assert place.parent in g.by_code, place


@pytest.mark.parametrize(
    ("alias", "code"),
    [("黔西南州", "522300"), ("黔西南", "522300"), ("锡林郭勒盟", "152500"), ("锡林郭勒", "152500"),
     ("鄂温克旗", "150724"), ("科右前旗", "152221"), ("长阳县", "420528"), ("恩施州", "422800"),
     ("广西", "450000"), ("内蒙古", "150000"), ("海淀区", "110108"), ("寿光市", "370783"),
     ("仙桃市", "429004"), ("阿里地区", "542500")],
)
def test_short_forms(alias: str, code: str) -> None:
    assert code in {p.adcode for p in gazetteer().aliases[alias]}


@pytest.mark.parametrize(
    ("title", "issuer", "code"),
    [("巴州2022年法治政府建设情况报告", "巴州人民政府", "652800"),
     ("达茂旗2022年法治政府建设情况报告", "达茂旗人民政府", "150223"),
     ("莫旗关于2021年度法治政府建设情况的报告", "莫旗人民政府", "150722"),
     ("锡盟2022年法治政府建设工作要点", "锡盟行政公署", "152500"),
     ("礼县2022年法治政府建设情况报告", "礼县人民政府", "621226")],
)
def test_short_names_in_use_and_two_character_places_in_titles(title: str, issuer: str, code: str) -> None:
    found = region.resolve(title, {}, title + "\n2022年，全县法治政府建设取得新成效。")
    assert (found.issuer, found.region.adcode if found.region else None) == (issuer, code)


def test_two_character_county_names_inside_words_are_not_places() -> None:
    found = [m.alias for m in gazetteer().mentions("共同推进州和县两级改革，安徽省和县人民政府")]
    assert found.count("和县") == 1


@pytest.mark.parametrize(
    ("heading", "text", "issuer", "kind", "code", "level"),
    [("黔西南州人民政府关于2020年度法治政府建设情况的报告", "2020年，黔西南州人民政府……贵州省……", "黔西南州人民政府", "government", "522300", "prefecture"),
     ("兰山区2020年度法治政府建设工作的报告", "2020年，在市委、市政府的坚强领导下，兰山区……临沂市……", "兰山区人民政府", "government", "371302", "county"),
     ("关于2020年度全省法治政府建设工作情况的报告", "2020年，我省……《黑龙江省农村集体经济组织管理条例》……我省", "黑龙江省人民政府", "government", "230000", "province"),
     ("关于2023年法治政府建设情况的报告", "2023年，黄石市认真贯彻落实……", "黄石市人民政府", "government", "420200", "prefecture"),
     ("市司法局2022年度法治政府建设工作报告", "2022年，市司法局……\n遵义市司法局\n2023年2月24日", "遵义市司法局", "department", "520300", "prefecture"),
     ("北京市海淀区人民政府关于2021年法治政府建设情况的报告", "……", "北京市海淀区人民政府", "government", "110108", "county"),
     ("江苏省司法厅2021年度法治政府建设情况报告", "……", "江苏省司法厅", "department", "320000", "province"),
     ("锡林郭勒盟行政公署关于2021年度法治政府建设情况的报告", "……", "锡林郭勒盟行政公署", "government", "152500", "prefecture"),
     # A development zone's committee governs its territory: a government, not a department.
     ("苏州工业园区管理委员会关于2023年度法治政府建设情况的报告", "……", "苏州工业园区管理委员会", "government", "320576", "county"),
     # A title with a theme before its subtitle names the issuer after the dash.
     ("以高水平法治护航高质量发展——黄冈市2023年度法治政府建设情况报告", "2023年，黄冈市……", "黄冈市人民政府", "government", "421100", "prefecture")],
)
def test_issuer_and_region(heading: str, text: str, issuer: str, kind: str, code: str, level: str) -> None:
    found = region.resolve(heading, {}, text)
    assert (found.issuer, found.kind) == (issuer, kind)
    assert found.region is not None and (found.region.adcode, found.region.level) == (code, level)


def test_region_fields_for_districts_and_county_level_cities() -> None:
    haidian = region.resolve("北京市海淀区人民政府关于2021年法治政府建设情况的报告", {}, "").region
    assert haidian is not None and haidian.model_dump() == {
        "province": "北京市", "city": None, "county": "海淀区", "adcode": "110108", "level": "county"}
    shouguang = region.resolve("寿光市2020年度法治政府建设工作报告", {}, "").region
    assert shouguang is not None and (shouguang.province, shouguang.city, shouguang.county) == ("山东省", "潍坊市", "寿光市")


def test_ambiguous_names_follow_context() -> None:
    # 朝阳区 is in Beijing and in Changchun; the text names 吉林省 and 长春市.
    found = region.resolve("朝阳区2021年度法治政府建设情况报告", {}, "2021年，朝阳区在长春市委、市政府领导下，落实《吉林省优化营商环境条例》……")
    assert found.region is not None and found.region.adcode == "220104"
    # A body that names no other place: the site's name tells which 朝阳区.
    body = "2022年，区政府深入推进法治政府建设，现将有关情况报告如下。"
    for site, code in (("北京市朝阳区人民政府", "110105"), ("长春市朝阳区人民政府", "220104")):
        found = region.resolve("朝阳区人民政府2022年法治政府建设年度情况报告", {"SiteName": site}, body)
        assert found.region is not None and found.region.adcode == code


def test_info_table_issuer() -> None:
    found = region.resolve("法治政府建设年度报告", {"发布机构": "德清县人民政府"}, "过去一年，……")
    assert found.issuer == "德清县人民政府" and found.region is not None and found.region.adcode == "330521"


def test_relative_department_resolved_from_context() -> None:
    text = "2021年，省司法厅认真履行职责，全面落实《黑龙江省法治政府建设实施方案》……我省……黑龙江省……"
    found = region.resolve("省司法厅2021年度法治政府建设情况报告", {}, text)
    assert found.issuer == "黑龙江省司法厅" and found.kind == "department"
    assert found.region is not None and found.region.adcode == "230000"


def test_league_government_is_the_administrative_office() -> None:
    found = region.resolve("阿拉善盟2023年法治政府建设工作要点", {}, "为推进……")
    assert found.issuer == "阿拉善盟行政公署" and found.kind == "government"


@pytest.mark.parametrize(
    ("heading", "text", "issuer", "code"),
    [("司法部2021年法治政府建设年度报告", "2021年，司法部深入学习贯彻……", "司法部", None),
     ("柳林镇人民政府2022年法治政府建设工作报告", "2022年，柳林镇在县委领导下……濮阳县……河南省", "柳林镇人民政府", "410928"),
     ("关于2021年度法治政府建设情况的报告", "2021年，全区深入学习……广西壮族自治区……南宁市……全区……", "广西壮族自治区人民政府", "450000"),
     ("关于2021年度法治政府建设情况的报告", "2021年，全区……广西壮族自治区南宁市青秀区……青秀区……全区……青秀区", "青秀区人民政府", "450103")],
)
def test_issuers_without_a_division_and_whole_region(heading: str, text: str, issuer: str, code: str | None) -> None:
    found = region.resolve(heading, {}, text)
    assert found.issuer == issuer
    assert (found.region.adcode if found.region else None) == code


def test_the_office_that_posted_the_page_is_not_the_issuer() -> None:
    text = "来源：市司法局 时间：2024-02-28\n2023年，黄石市认真贯彻落实党中央决策部署……"
    found = region.resolve("关于2023年法治政府建设情况的报告", {"ContentSource": "市司法局"}, text)
    assert found.issuer == "黄石市人民政府" and found.kind == "government"
    plain = "来源：海南省人民政府 发布日期：2023年3月29日\n2022年，我省深入贯彻落实……"
    found = region.resolve("关于2022年度法治政府建设情况的报告", {}, plain)
    assert found.issuer == "海南省人民政府" and found.region is not None and found.region.adcode == "460000"


def test_current_divisions_and_former_ones_for_older_reports() -> None:
    g = gazetteer()
    assert g.by_code["220184"].name == "公主岭市" and g.by_code["220184"].parent == "220100"
    assert g.by_code["133100"].name == "雄安新区"
    assert g.by_code["510922"].former and not g.by_code["510981"].former
    older = region.resolve("射洪县2018年度法治政府建设情况报告", {}, "2018年，射洪县……遂宁市……")
    assert older.region is not None and older.region.adcode == "510922"
    newer = region.resolve("射洪市2021年度法治政府建设情况报告", {}, "2021年，射洪市……遂宁市……")
    assert newer.region is not None and newer.region.adcode == "510981"


@pytest.mark.parametrize(
    ("heading", "text", "issuer", "code"),
    [("横店镇2023年度法治政府建设情况报告", "2023年，横店镇……\n东阳市横店镇人民政府\n2024年3月20日", "横店镇人民政府", "330783"),
     ("小营街道办事处关于2023年度法治政府建设情况的报告", "……\n杭州市上城区人民政府小营街道办事处\n2024年3月26日",
      "小营街道办事处", "330102")],
)
def test_townships_and_subdistricts_keep_their_name_and_take_their_county(
        heading: str, text: str, issuer: str, code: str) -> None:
    found = region.resolve(heading, {}, text)
    assert (found.issuer, found.kind) == (issuer, "government")
    assert found.region is not None and found.region.adcode == code


def test_a_zone_committee_in_a_county_takes_the_county() -> None:
    text = "2022年，建水工业园区管理委员会……建水县……建水县委、县政府……\n建水工业园区管理委员会\n2023年3月20日"
    found = region.resolve("建水工业园区管理委员会2022年度法治政府建设工作报告", {}, text)
    assert (found.issuer, found.kind) == ("建水工业园区管理委员会", "government")
    assert found.region is not None and found.region.adcode == "532524"


@pytest.mark.parametrize(
    ("heading", "text", "issuer", "kind", "code"),
    [("新疆生产建设兵团第八师关于2022年度法治政府建设情况的报告", "2022年，第八师石河子市……\n新疆生产建设兵团第八师\n2023年3月29日",
      "新疆生产建设兵团第八师", "government", "659001"),
     ("兵团第十三师司法局2023年度法治政府建设情况报告", "……\n2024年3月20日", "新疆生产建设兵团第十三师司法局", "department", "659011"),
     ("关于2023年度法治政府建设情况的报告", "……\n新疆生产建设兵团\n2024年3月28日", "新疆生产建设兵团", "government", "650000"),
     ("新疆生产建设兵团第十二师2023年度法治政府建设情况报告", "……", "新疆生产建设兵团第十二师", "government", "650000")],
)
def test_the_corps_and_its_divisions_take_their_city_or_xinjiang(
        heading: str, text: str, issuer: str, kind: str, code: str) -> None:
    found = region.resolve(heading, {}, text)
    assert (found.issuer, found.kind) == (issuer, kind)
    assert found.region is not None and found.region.adcode == code
    assert found.region.province == "新疆维吾尔自治区"


@pytest.mark.parametrize(
    ("heading", "issuer", "code"),
    [("城关区2024年度法治政府建设工作报告", "城关区人民政府", "540102"),
     ("于都县2023年法治政府建设年度报告", "于都县人民政府", "360731"),
     ("山海关区2023年度法治政府建设情况报告", "山海关区人民政府", "130303")],
)
def test_places_with_guan_or_yu_in_their_name_head_the_title(heading: str, issuer: str, code: str) -> None:
    # 关于 opens a title that names no place; 关 and 于 alone are parts of names.
    found = region.resolve(heading, {}, "2024年，……\n拉萨市城关区人民政府\n2025年3月27日" if "城关" in heading else "……")
    assert (found.issuer, found.kind) == (issuer, "government")
    assert found.region is not None and found.region.adcode == code


def test_a_closing_line_about_the_corps_does_not_sign_the_page() -> None:
    found = region.resolve("法治宣传进万家活动综述", {}, "……\n兵团法治宣传教育活动持续开展。")
    assert found.issuer is None
