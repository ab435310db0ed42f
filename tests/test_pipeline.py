"""Each pipeline stage on small texts: what it must find and what it must not."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.pipeline import make_nlp
from kg.pipeline.normalize import fold_text, load_fold_table

EXPECTED_STAGES = ["kg_normalizer", "kg_sentencizer", "kg_places", "kg_organizations", "kg_honours",
                   "kg_entity_rules", "kg_name_tagger", "kg_mention_resolver", "kg_name_structure",
                   "kg_relation_rules", "kg_rank_honours"]


def mentions(nlp, text, label=None):
    doc = nlp(text)
    return [(m.label, m.text, m.name) for m in doc._.kg_mentions if label is None or m.label == label]


def names(nlp, text, label):
    return {m[1] for m in mentions(nlp, text, label)}


def relations(nlp, text):
    doc = nlp(text)
    return {(r.subject.text, r.predicate, r.object.text) for r in doc._.kg_relations}


def test_pipeline_stages_are_visible(nlp):
    assert nlp.pipe_names == EXPECTED_STAGES
    assert make_nlp().pipe_names == EXPECTED_STAGES


def test_normaliser_folds_one_char_for_one():
    table = load_fold_table()
    text = "来自ＡＢＣ（集团）有限公司，１２３　人"
    folded = fold_text(text, table)
    assert len(folded) == len(text)
    assert folded == "来自ABC(集团)有限公司,123 人"


def test_sentences_end_at_punctuation_and_lines(nlp):
    doc = nlp("第一句。“第二句!”第三句\n标题行\n\n第四句?")
    assert [s.text for s in doc._.kg_sentences] == ["第一句。", "“第二句!”", "第三句", "标题行", "第四句?"]
    for s in doc._.kg_sentences:
        assert doc._.kg_text[s.start:s.end] == s.text


def test_places_with_hierarchy_guard(nlp):
    found = names(nlp, "春日的信州朝阳产业园暖意融融,上饶市劳模工匠服务团走进企业。", "Place")
    assert "信州朝阳产业园" in found and "信州" in found and "朝阳" not in found
    assert "信州" not in names(nlp, "春日的信州朝阳产业园暖意融融。", "Place")
    assert "万华" not in names(nlp, "烟台市的万华化学集团股份有限公司获得表彰。", "Place")
    assert names(nlp, "为谱写中国式现代化江西篇章贡献智慧。", "Place") == {"中国", "江西"}
    chain = mentions(nlp, "而吉安市青原区岸山社区职工活动中心", "Place")
    assert {t for _, t, _ in chain} >= {"吉安市", "青原区", "岸山社区"}
    assert ("Place", "江西", "江西省") in mentions(nlp, "位于江西南昌城北侧", "Place")


def test_people_by_context(nlp):
    assert names(nlp, "本报记者 吴锋思 陈华 本报通讯员 叶荣江\n", "Person") == {"吴锋思", "陈华", "叶荣江"}
    assert names(nlp, "来自某某有限公司的主任技师曾祥宗一度非常激动。", "Person") == {"曾祥宗"}
    assert names(nlp, "全国劳动模范王树军、刘伯鸣分享了经验。", "Person") == {"王树军", "刘伯鸣"}
    assert names(nlp, "全国劳动模范阿依古丽·买买提在会上发言。", "Person") == {"阿依古丽·买买提"}
    assert names(nlp, "上饶市五一劳动奖章获得者邵志明建议将关键工序标准化。", "Person") == {"邵志明"}


@pytest.mark.parametrize("text", ["职工王某反映了问题。", "周师傅说，这是好事。", "杨女士表示感谢。",
                                  "劳模全覆盖、常态化保障。", "全国劳动模范和先进工作者时提出希望。",
                                  "覆盖制造、交通、能源、卫健、新业态等领域。"])
def test_not_people(nlp, text):
    assert names(nlp, text, "Person") == set()


def test_organisation_names_and_generic_ones(nlp):
    found = mentions(nlp, "江西金力永磁科技股份有限公司与昌河飞机工业(集团)有限责任公司签约。")
    assert ("Enterprise", "江西金力永磁科技股份有限公司", "江西金力永磁科技股份有限公司") in found
    assert ("Enterprise", "昌河飞机工业(集团)有限责任公司", "昌河飞机工业(集团)有限责任公司") in found
    for generic in ("各级工会积极行动。", "基层工会和企业工会要落实。", "健全党委领导。", "建设市级工匠学院54所。"):
        assert [m for m in mentions(nlp, generic) if m[0] in ("TradeUnion", "GovernmentBody", "Institution")] == []


def test_province_relative_union_follows_the_article(nlp):
    jiangxi = mentions(nlp, "南昌市举办活动。省总工会有关负责人出席。", "TradeUnion")
    hubei = mentions(nlp, "武汉市举办活动，湖北省委有关领导出席。省总工会有关负责人出席。", "TradeUnion")
    assert jiangxi == [("TradeUnion", "省总工会", "江西省总工会")]
    assert hubei == [("TradeUnion", "省总工会", "湖北省总工会")]


def test_a_body_named_short_is_the_body_named_in_full(nlp):
    """Within an article: the places left off (南海区总工会, 市总工会) and the ways of writing
    one body's name (人社局, 人力资源社会保障厅, 工会工作委员会) are one body."""
    text = ("佛山市南海区总工会、佛山市人力资源和社会保障局联合主办。南海区总工会副主席王某某介绍，"
            "佛山市人社局将给予支持。")
    assert {m[2] for m in mentions(nlp, text) if m[0] in ("TradeUnion", "GovernmentBody")} == \
        {"佛山市南海区总工会", "佛山市人力资源和社会保障局"}
    city = mentions(nlp, "当前位置:三门峡市总工会\n市总工会召开会议。", "TradeUnion")
    assert {name for _, _, name in city} == {"三门峡市总工会"}
    hubei = mentions(nlp, "湖北省直属机关工会工作委员会印发通知。省直机关工会将组织培训。", "TradeUnion")
    assert len({name for _, _, name in hubei}) == 1
    two = mentions(nlp, "南昌市总工会组织参观。九江市总工会也派人参加。市总工会主席表示欢迎。", "TradeUnion")
    assert ("TradeUnion", "市总工会", "九江市总工会") in two


def test_awards_need_a_level_or_brand(nlp):
    assert names(nlp, "她获评全国劳动模范，还获得五一劳动奖章和工人先锋号。", "Award") == \
        {"全国劳动模范", "五一劳动奖章", "工人先锋号"}
    assert names(nlp, "劳模和先进工作者是时代楷模，高级技师是技能等级。", "Award") == set()
    assert ("Award", "全国劳模", "全国劳动模范") in mentions(nlp, "全国劳模张三发言。", "Award")


def test_contests_named_without_year_and_edition_kept_as_data(nlp):
    doc = nlp("2025年“樟帮杯”第四届全国中药传统名堂职业技能竞赛决赛在樟树举行。")
    contest = [m for m in doc._.kg_mentions if m.label == "Competition"][0]
    assert contest.text == "“樟帮杯”第四届全国中药传统名堂职业技能竞赛决赛"
    assert contest.year == 2025 and contest.edition == "第四届"
    assert names(nlp, "今年举办百场劳动和技能竞赛。", "Competition") == set()


def test_relations_from_templates_and_structure(nlp):
    rels = relations(nlp, "全国劳动模范、某某股份有限公司钳工、高级技师李大成表示。")
    assert ("李大成", "receivedAward", "全国劳动模范") in rels
    assert ("李大成", "worksFor", "某某股份有限公司") in rels
    rels = relations(nlp, "南昌大学国家硅基LED工程技术研究中心的王光绪。")
    assert ("南昌大学国家硅基LED工程技术研究中心", "subOrganizationOf", "南昌大学") in rels
    assert ("南昌大学", "locatedIn", "南昌") in rels
    rels = relations(nlp, "金牌获得者李德鑫,通过参加技能竞赛不断成长,荣获“全国技术能手”“全国青年岗位能手”等荣誉称号。")
    assert {("李德鑫", "receivedAward", "全国技术能手"), ("李德鑫", "receivedAward", "全国青年岗位能手")} <= rels


def test_contest_reports_edition_place_chain_and_final(nlp):
    """A contest named after its edition (第三届某省…大赛), held in every place of the chain the
    report writes (在某市某区某学院举行), and a final reported without the contest's name."""
    text = ("第三届湖北省家政服务职工技能大赛在武汉市江汉区举行。"
            "决赛在宜昌市西陵区某某职业技术学院落下帷幕，某某公司的张小明获得一等奖。")
    assert names(nlp, text, "Competition") == {"第三届湖北省家政服务职工技能大赛"}
    rels = relations(nlp, text)
    contest = "第三届湖北省家政服务职工技能大赛"
    assert {(contest, "heldIn", p) for p in ("武汉市", "江汉区", "宜昌市", "西陵区")} <= rels
    assert ("张小明", "participatedIn", contest) in rels


def test_honours_by_rank_from_a_results_table(nlp):
    """对各项目第一名授予甲，对前三名授予乙: each row of the table (序号 姓名 单位 项目 名次)
    gets the honours of its rank."""
    text = ("经研究决定:对各项目第一名,授予“某某市五一劳动奖章”;对各项目前三名,授予“某某市技术能手”称号。\n"
            "序号　姓名　工作单位　项目　名次\n"
            "1　张大伟　某某精工机床有限公司　数控铣工　第一名\n"
            "2　李　冬　某某装备技师学院　数控铣工　第二名\n")
    rels = {r for r in relations(nlp, text) if r[1] == "receivedAward"}
    assert rels == {("张大伟", "receivedAward", "某某市五一劳动奖章"), ("张大伟", "receivedAward", "某某市技术能手"),
                    ("李 冬", "receivedAward", "某某市技术能手")}


def test_a_decision_by_prize_grade_with_rows_under_grade_headings(nlp):
    """对获得一等奖的甲等10名选手，由A授予“乙”，由B授予“丙”称号；对二等奖的20名选手授予“丙”:
    rows headed 一等奖 / 二等奖 get their grade's honours and took part in the contest; a row
    whose name is not read does not end the list."""
    text = ("2025年宁夏回族自治区职工职业技能大赛由自治区总工会主办,银川某某技师学院承办,于9月在银川、石嘴山两地举行。\n"
            "对获得各工种决赛一等奖的张　博等10名选手,由自治区总工会授予“宁夏五一劳动奖章”,"
            "由自治区人力资源和社会保障厅授予“宁夏技术能手”称号;对获得各工种决赛二等奖的20名选手,"
            "由自治区人力资源和社会保障厅授予“宁夏技术能手”称号。\n\n"
            "附件:2025年宁夏回族自治区职工职业技能大赛获奖选手名单\n\n一等奖\n\n"
            "电工　张　博　银川某某电气有限公司\n焊工　某某某　石嘴山某某机械有限公司\n"
            "车工　马宏亮　吴忠某某机床有限公司\n\n二等奖\n\n电工　何　杰　中卫某某电力有限公司\n")
    rels = relations(nlp, text)
    contest = "宁夏回族自治区职工职业技能大赛"
    awards = {(s, o) for s, p, o in rels if p == "receivedAward"}
    assert awards == {("张 博", "宁夏五一劳动奖章"), ("张 博", "宁夏技术能手"), ("马宏亮", "宁夏五一劳动奖章"),
                      ("马宏亮", "宁夏技术能手"), ("何 杰", "宁夏技术能手")}
    assert {s for s, p, o in rels if p == "participatedIn"} >= {"张 博", "马宏亮", "何 杰"}
    assert {(contest, "heldIn", "银川"), (contest, "heldIn", "石嘴山")} <= rels
    assert {o for s, p, o in rels if p == "organizedBy"} >= {"自治区总工会", "银川某某技师学院"}


def test_honour_list_heading_with_a_note_and_a_recommender(nlp):
    text = "银川市五一劳动奖章获得者(部分)\n王小红　金凤区某社区党委书记\n赵建国　某某药业有限公司车间主任\n"
    assert {r for r in relations(nlp, text) if r[1] == "receivedAward"} == {
        ("王小红", "receivedAward", "银川市五一劳动奖章"), ("赵建国", "receivedAward", "银川市五一劳动奖章")}
    rels = relations(nlp, "职工刘明远带领团队开展技术创新活动,经县总工会推荐后获评银川市五一劳动奖章。")
    assert {r for r in rels if r[1] == "receivedAward"} == {("刘明远", "receivedAward", "银川市五一劳动奖章")}


def test_a_company_unit_is_located_through_its_company(nlp):
    """The place at the head of 甲公司乙车间 locates the company; the workshop is in it. A
    public body's unit keeps its jurisdiction (某市公安局某派出所 is in that city)."""
    rels = relations(nlp, "甘肃陇丰铜业有限公司电解车间荣获工人先锋号。")
    located = {(s, o) for s, p, o in rels if p == "locatedIn"}
    assert located == {("甘肃陇丰铜业有限公司", "甘肃")}
    assert ("甘肃陇丰铜业有限公司电解车间", "subOrganizationOf", "甘肃陇丰铜业有限公司") in rels
    rels = relations(nlp, "泉州市公安局城东派出所民警参加培训。")
    assert ("泉州市公安局城东派出所", "locatedIn", "泉州市") in rels


def test_a_name_with_a_bare_district_after_its_city_is_located_in_both(nlp):
    """沈阳铁西某某公司: a bare district after the city is as often the brand as the address, so the
    city at the head locates the company too; a chain written in full (某县某镇服务站) is where its
    last division says."""
    text = "沈阳铁西恒盛数控机床有限公司技工刘明远获得一等奖。桓台县果里镇农业综合服务站站长赵建国发言。"
    located = {(s, o) for s, p, o in relations(nlp, text) if p == "locatedIn"}
    assert {("沈阳铁西恒盛数控机床有限公司", "沈阳"), ("沈阳铁西恒盛数控机床有限公司", "铁西")} <= located
    assert ("桓台县果里镇农业综合服务站", "果里镇") in located
    assert ("桓台县果里镇农业综合服务站", "桓台县") not in located


def test_a_short_form_heading_a_bay_or_mountain_is_no_place(nlp):
    """泉州晋江湾港务: 晋江 heads the bay's name, not the county's; the city before it still locates
    the company. 平江县山区 keeps its county."""
    text = "泉州晋江湾恒达港务有限公司和宁夏贺兰山恒通路桥有限公司参加比赛，活动在平江县山区举行。"
    places = {m.text for m in nlp(text)._.kg_mentions if m.label == "Place"}
    assert {"泉州", "宁夏", "平江县"} <= places and not {"晋江", "贺兰"} & places
    located = {(s, o) for s, p, o in relations(nlp, text) if p == "locatedIn"}
    assert ("泉州晋江湾恒达港务有限公司", "泉州") in located


def test_a_company_games_results_by_trade_and_its_organiser(nlp):
    """各项目前三名如下： over rows of a trade and its winners, each with a unit in parentheses
    (a named unit among them): every winner took part; 本届运动会由公司主办 is the company's."""
    games = "湖州恒林家居股份有限公司第三届职工技能运动会"
    text = (f"6月18日，{games}在南浔生产基地落下帷幕。本届运动会由公司主办，公司工会承办。\n"
            "各项目前三名如下：\n"
            "数控开料：鲍建刚（一分厂）、潘立文（南浔生产基地）、俞小明（二分厂）\n"
            "叉车驾驶：孙立伟（物流部）、何文海（南浔生产基地）\n")
    rels = relations(nlp, text)
    took_part = {s for s, p, o in rels if p == "participatedIn" and o == games}
    assert took_part == {"鲍建刚", "潘立文", "俞小明", "孙立伟", "何文海"}
    assert (games, "organizedBy", "湖州恒林家居股份有限公司") in rels


def test_rows_marked_with_pictographs_in_a_wechat_post(nlp):
    """▶某某　某公司职务 under 🏅某奖章（2名）: the bullet is layout, the row a recipient; 原创 on the
    post's header line is no name; ◆ 焊工 over 金奖｜某公司｜某某 rows stays a heading."""
    award = "广东省五一劳动奖章"
    text = ("原创　恒州工会　恒州职工之家\n\n"
            f"🏅{award}（2名）\n"
            "▶李嘉明　恒州侨美智能家电有限公司注塑车间班长\n"
            "▶谭志新　广东恒邑轨道交通装备有限公司电气工程师\n")
    rels = relations(nlp, text)
    assert {s for s, p, o in rels if p == "receivedAward" and o == award} == {"李嘉明", "谭志新"}
    assert ("谭志新", "worksFor", "广东恒邑轨道交通装备有限公司") in rels
    assert "原创" not in {m.text for m in nlp(text)._.kg_mentions}
    contest = "邢台市第六届“牛城工匠杯”职工职业技能大赛"
    rows = (f"{contest}获奖名单\n\n现将获奖名单公布如下。\n\n◆ 焊工\n金奖｜河北宁晋恒华电缆有限公司｜郭建新\n"
            "银奖｜邢台恒装机械制造有限公司｜付春明\n\n◆ 电工\n金奖｜邢台恒昌电力安装有限公司｜尹晓东\n")
    took_part = {s for s, p, o in relations(nlp, rows) if p == "participatedIn"}
    assert {"郭建新", "付春明", "尹晓东"} <= took_part


def test_prize_rows_of_names_with_employers_and_the_organising_prize_rows(nlp):
    """二等奖：甲（某公司）、乙（某公司） and 甲（某公司）　乙（某公司）: each name before its employer
    is a winner (a Mongolian name too); 三、优秀组织奖 over rows of unions: each took part."""
    contest = "2025年包头市“鹿城杯”职工职业技能大赛"
    text = (f"由包头市总工会主办的{contest}在包头举行。现将获奖情况通报如下：\n\n一、焊工赛项\n"
            "一等奖：乔振华（包头北星重工装备有限公司）\n"
            "二等奖：白玉海（内蒙古赛恒稀土材料有限公司）、那日苏（内蒙古巴音恒风电运维有限公司）\n"
            "三等奖：郝建明（包头华恒管道工程有限公司）　任丽华（包头恒城技师学院）\n\n"
            "三、优秀组织奖\n包头北星重工装备有限公司工会\n昆都仑区总工会\n")
    rels = relations(nlp, text)
    took_part = {s for s, p, o in rels if p == "participatedIn"}
    assert {"乔振华", "白玉海", "那日苏", "郝建明", "任丽华", "包头北星重工装备有限公司工会", "昆都仑区总工会"} <= took_part
    assert {("那日苏", "内蒙古巴音恒风电运维有限公司"), ("任丽华", "包头恒城技师学院")} <= \
        {(s, o) for s, p, o in rels if p == "worksFor"}


def test_a_studio_named_after_its_leader_and_a_craft_that_is_a_verb(nlp):
    """某某焊接技能工作室, 某某寒区桥梁技术创新工作室: the specialty may be a verb (焊接) and six
    characters long; the leader leads it."""
    text = ("他牵头成立的“曹景明焊接技能工作室”已培养焊工140余人。"
            "公司成立了于海英寒区桥梁技术创新工作室。")
    rels = relations(nlp, text)
    assert {("曹景明", "曹景明焊接技能工作室"), ("于海英", "于海英寒区桥梁技术创新工作室")} <= \
        {(s, o) for s, p, o in rels if p == "leads"}


def test_profile_headers_with_a_bar_between_name_and_employer(nlp):
    """纪某｜某公司木雕技师 over a profile: the name before the bar is a person working there; a
    rank or a label before a bar (金奖｜某公司｜某某, 来源｜某工会) is no name."""
    text = ("纪宏伟｜青州华恒古建园林工程有限公司木雕技师\n青州木雕第四代传承人。\n\n"
            "周蕴｜高密市恒康纺织有限公司挡车工\n连续8年保持全厂产量第一。\n\n"
            "金奖｜沙河市恒泰玻璃有限公司｜靳丽华\n来源｜兴隆台区总工会\n")
    rels = relations(nlp, text)
    assert {("纪宏伟", "青州华恒古建园林工程有限公司"), ("周蕴", "高密市恒康纺织有限公司")} <= \
        {(s, o) for s, p, o in rels if p == "worksFor"}
    people_found = {m.text for m in nlp(text)._.kg_mentions if m.label == "Person"}
    assert not {"金奖", "来源"} & people_found


def test_a_profile_pronoun_after_a_mentor_and_a_trade_round_of_a_contest(nlp):
    """师傅某某 in the story of the person named most: 她 in a later sentence is that person;
    某市职工技能大赛数控车工比赛 is the contest itself; 徒弟某某…，随后被授予 stays the apprentice's."""
    text = ("她就是湖北省劳动模范万玉兰。万玉兰说话干脆利落。1996年，万玉兰进入十堰恒鼎齿轮有限公司当学徒。"
            "师傅刘德明是厂里有名的“八级工”，对她要求极严。“一把车刀磨不好，当天就不许上机床。”"
            "2005年，她在十堰市职工技能大赛数控车工比赛中夺得第一名，被授予“十堰市技术能手”称号。"
            "徒弟彭欣然在2024年十堰市职工职业技能大赛中获得第一名，随后被授予“十堰市五一劳动奖章”。")
    rels = relations(nlp, text)
    assert ("万玉兰", "participatedIn", "十堰市职工技能大赛数控车工比赛") in rels
    assert ("万玉兰", "receivedAward", "十堰市技术能手") in rels
    assert not {(s, o) for s, p, o in rels if s == "刘德明" and p in ("receivedAward", "participatedIn")}
    assert ("彭欣然", "receivedAward", "十堰市五一劳动奖章") in rels
    contests = {m.name for m in nlp(text)._.kg_mentions if m.label == "Competition"}
    assert "十堰市职工技能大赛" in contests and "十堰市职工技能大赛数控车工比赛" not in contests


def test_this_person_with_honours_and_an_address_after_the_owner(nlp):
    """……某某说。这位从锻工干起的四川省劳动模范、“天府工匠”: the honours are the person last
    named's; 版权所有：某公司　地址：某省某市某区某街: the company is in the district."""
    text = ("“这块牌子是压力，更是动力。”工作室领衔人胥永明说。这位从锻工干起的四川省劳动模范、“天府工匠”，"
            "带领12名成员开展攻关。\n版权所有：山东鸢恒重工集团有限公司　地址：山东省潍坊市坊子区凤凰街2688号\n")
    rels = relations(nlp, text)
    assert {("胥永明", "四川省劳动模范"), ("胥永明", "天府工匠")} <= {(s, o) for s, p, o in rels if p == "receivedAward"}
    assert ("山东鸢恒重工集团有限公司", "locatedIn", "坊子区") in rels


def test_a_studio_leader_works_where_the_studio_is_visited(nlp):
    """走进某公司，“某某劳模创新工作室”的牌匾…; 在某公司，“某某技能大师工作室”同样忙碌."""
    text = ("走进四川旌恒重型装备有限公司铸锻分公司，“胥永明劳模创新工作室”的牌匾格外醒目。"
            "在德阳恒湖电气有限公司，“罗晓华技能大师工作室”同样忙碌。")
    employers = {(s, o) for s, p, o in relations(nlp, text) if p == "worksFor"}
    assert {("胥永明", "四川旌恒重型装备有限公司铸锻分公司"), ("罗晓华", "德阳恒湖电气有限公司")} <= employers


def test_a_career_s_employers_former_ones_included(nlp):
    """……毕业，被分配到某厂当了一名钳工; 某某应聘到沈阳的某公司; ……，加入某公司; 受聘担任母校某学院的
    兼职教师; 原某市某厂 is the works' former name (原平市 is a place); a school one studies at is no employer."""
    text = ("1975年出生的邵铁林，1994年从本溪市冶金技工学校毕业，被分配到本溪华恒铁矿有限公司机修厂当了一名钳工。"
            "2008年，邵铁林应聘到沈阳的辽宁北恒煤机装备制造有限公司。2016年，邵铁林回到本溪，加入本溪恒钢精密铸造集团有限公司。"
            "邵铁林还受聘担任母校本溪冶金技师学院的兼职教师。他的徒弟杜建民原是原天水麦恒面业有限公司职工，"
            "后进入本溪冶金技师学院学习。原平市恒达煤业有限公司也派人参加。")
    employers = {o for s, p, o in relations(nlp, text) if p == "worksFor" and s == "邵铁林"}
    assert {"本溪华恒铁矿有限公司机修厂", "辽宁北恒煤机装备制造有限公司", "本溪恒钢精密铸造集团有限公司",
            "本溪冶金技师学院"} <= employers
    names_found = {m.text for m in nlp(text)._.kg_mentions}
    assert "天水麦恒面业有限公司" in names_found and "原天水麦恒面业有限公司" not in names_found
    assert "原平市恒达煤业有限公司" in names_found
    assert ("杜建民", "worksFor", "本溪冶金技师学院") not in relations(nlp, text)


def test_honours_on_a_published_list_and_conferred_by_a_named_body_in_a_chronology(nlp):
    """……公布第十七届全国技术能手名单，某某榜上有名; ……；去年又荣获某省总工会授予的“某奖章”;
    ……，2023年获“某工匠”称号."""
    text = ("凌志明是轧钢工。人力资源社会保障部公布第十七届全国技术能手名单，凌志明榜上有名。"
            "2022年，他被评为马鞍山市劳动模范；去年又荣获安徽省总工会授予的“安徽省五一劳动奖章”，"
            "2023年获“江淮工匠”称号。")
    awards = {o for s, p, o in relations(nlp, text) if p == "receivedAward" and s == "凌志明"}
    assert {"全国技术能手", "马鞍山市劳动模范", "安徽省五一劳动奖章", "江淮工匠"} <= awards


def test_an_event_named_after_its_organiser_and_year(nlp):
    """某市总工会2025年“夏送清凉”活动启动仪式: the event is named without its organiser and year,
    and the organiser runs it."""
    text = "7月7日上午，三亚市总工会2025年“夏送清凉”活动启动仪式在崖州湾科技城人才公寓项目工地举行。"
    events = {m.name for m in nlp(text)._.kg_mentions if m.label == "Event"}
    assert events == {"夏送清凉活动启动仪式"}
    assert ("“夏送清凉”活动启动仪式", "organizedBy", "三亚市总工会") in relations(nlp, text)


def test_localities_in_a_list_are_places_even_when_their_names_start_like_words(nlp):
    """马街镇、三岔河镇、召夸镇等: a list of localities vouches for each (三岔 is a word); a verb before
    the list (加快中枢街道、活水乡…) is not part of the first."""
    text = "马街镇、三岔河镇、召夸镇等乡镇总工会深入园区。加快中枢街道、活水乡职工之家建设。"
    places = {m.text for m in nlp(text)._.kg_mentions if m.label == "Place"}
    assert {"马街镇", "三岔河镇", "召夸镇", "中枢街道", "活水乡"} <= places
    assert "加快中枢街道" not in places


def test_an_autonomous_county_written_as_a_county(nlp):
    """大通县, 循化县: an autonomous county is written with 县 after its short name (大通 alone is
    also Huainan's district); the place is the county, in an article that names its province."""
    text = "青海省总工会发布简讯。【大通县】近日，大通县总工会被命名为“全国模范职工之家”。循化县恒顺清真食品有限公司荣获奖状。"
    places = {(m.text, m.name) for m in nlp(text)._.kg_mentions if m.label == "Place"}
    assert {("大通县", "大通回族土族自治县"), ("循化县", "循化撒拉族自治县")} <= places
    assert ("大通县总工会", "locatedIn", "大通县") in relations(nlp, text)


def test_the_second_of_two_titled_people_after_an_organisation(nlp):
    """某公司董事长甲、工会主席乙 and 公司董事长甲、工会主席乙: the second title is held there too;
    省委书记甲、省长乙: a division's head is not the party committee's."""
    text = ("浙江安吉恒韵家居股份有限公司举办技能运动会。公司董事长沈国明、工会主席朱丽华出席闭幕式。"
            "合肥市总工会党组书记王建国、副主席陶然出席。")
    employers = {(s, o) for s, p, o in relations(nlp, text) if p == "worksFor"}
    assert {("朱丽华", "浙江安吉恒韵家居股份有限公司"), ("陶然", "合肥市总工会")} <= employers
    rels = relations(nlp, "这是去年“五一”前夕，江西省委书记王建华、省长李明德在南昌会见劳动模范时提出的。")
    assert ("李明德", "worksFor", "江西省委") not in rels


def test_a_contest_the_person_represents_a_unit_in_or_a_sentence_goes_on_about(nlp):
    """2024年，他代表公司参加某竞赛; ……。去年在某竞赛中获得银奖: the person last named took part."""
    text = ("郑东明是技师。2024年，他代表公司参加全国港口行业职业技能竞赛，获得第三名。"
            "刘小山是焊工。去年在全国重型装备行业职工焊接技能竞赛中获得银奖。")
    took_part = {(s, o) for s, p, o in relations(nlp, text) if p == "participatedIn"}
    assert {("郑东明", "全国港口行业职业技能竞赛"), ("刘小山", "全国重型装备行业职工焊接技能竞赛")} <= took_part


def test_a_meeting_held_in_a_city_venue_and_a_contest_referred_to_as_this_one(nlp):
    """在某市会议中心召开: held in the city the venue is named after; 这项竞赛由甲和乙联合举办."""
    text = ("常德市总工会第九次代表大会在常德市会议中心召开。"
            "2025年吉林省卫生健康行业急救技能竞赛在长春举行。这项竞赛由吉林省卫生健康委员会和吉林省总工会联合举办。")
    rels = relations(nlp, text)
    assert ("常德市总工会第九次代表大会", "heldIn", "常德市") in rels
    organisers = {o for s, p, o in rels if p == "organizedBy" and s == "吉林省卫生健康行业急救技能竞赛"}
    assert {"吉林省卫生健康委员会", "吉林省总工会"} <= organisers


def test_a_master_taken_as_teacher_is_not_whom_the_next_pronoun_means(nlp):
    text = ("——记全国劳动模范、黔江精工机床有限公司高级技师栾振宇\n"
            "1995年，栾振宇进入黔江精工机床有限公司当学徒，拜厂里的老钳工、四川省劳动模范雍德海为师。"
            "师傅的一句话，他记了三十年。2010年，他在四川省职工职业技能大赛中夺得第一名，"
            "随后被授予“四川省技术能手”称号；2019年荣获全国五一劳动奖章。")
    rels = relations(nlp, text)
    assert ("栾振宇", "receivedAward", "四川省技术能手") in rels
    assert ("栾振宇", "participatedIn", "四川省职工职业技能大赛") in rels
    assert ("雍德海", "receivedAward", "四川省劳动模范") in rels
    assert not any(s == "雍德海" and o != "四川省劳动模范" for s, p, o in rels if p in ("receivedAward", "participatedIn"))


def test_prize_rows_after_semicolons_but_not_prose_after_one(nlp):
    text = ("2024年广元市职工职业技能大赛在利州区举行。"
            "各工种一等奖分别为：钳工——广元恒达机械有限公司汤立新；电工——广元清源供水有限公司史若飞。"
            "比赛中，车工组的决赛最为激烈，评委全程打分；青年技术员郜晓蕾参与研发的主轴项目填补了空白。")
    rels = relations(nlp, text)
    contest = "2024年广元市职工职业技能大赛"
    won = {s for s, p, o in rels if p == "participatedIn"}
    assert {"汤立新", "史若飞"} <= won, rels
    assert "郜晓蕾" not in won


def test_a_branch_is_where_its_name_begins_and_a_workshop_is_its_parents(nlp):
    text = ("攀枝花恒钒钢铁集团有限公司炼钢厂、攀枝花恒钒钢铁集团有限公司焊接车间和"
            "四川明远电力有限公司西昌项目部获评“四川省工人先锋号”。")
    located = {(s, o) for s, p, o in relations(nlp, text) if p == "locatedIn"}
    assert ("攀枝花恒钒钢铁集团有限公司炼钢厂", "攀枝花") in located
    assert ("四川明远电力有限公司西昌项目部", "四川") in located
    assert not any(s == "攀枝花恒钒钢铁集团有限公司焊接车间" for s, o in located)
    assert ("攀枝花恒钒钢铁集团有限公司", "攀枝花") in located


def test_how_a_subsidiary_is_held_is_no_part_of_its_name(nlp):
    text = ("南宁恒桂重工集团有限公司召开表彰会。南宁恒桂重工集团有限公司全资子公司柳州恒桂机械有限公司的覃丽娟获得第二名；"
            "集团控股子公司梧州恒桂铸造有限公司承办了比赛。全资子公司钦州恒桂港务有限公司项目部也参加了活动。")
    orgs = names(nlp, text, "Enterprise")
    assert not any("全资" in n or "控股" in n for n in orgs), orgs
    assert {"柳州恒桂机械有限公司", "梧州恒桂铸造有限公司", "钦州恒桂港务有限公司项目部"} <= orgs
    rels = relations(nlp, text)
    assert ("柳州恒桂机械有限公司", "subOrganizationOf", "南宁恒桂重工集团有限公司") in rels
    assert ("梧州恒桂铸造有限公司", "subOrganizationOf", "南宁恒桂重工集团有限公司") in rels
    assert ("覃丽娟", "worksFor", "柳州恒桂机械有限公司") in rels


def test_people_listed_with_their_units_share_the_places_they_took(nlp):
    text = ("宁德市第五届“霞浦杯”职工职业技能竞赛在蕉城区举行。最终，宁德恒源电池有限公司的缪春晓、"
            "福安市鑫华电机有限公司的郭海舟、福鼎市永和科技有限公司的雷志成(畲族)分获前三名。")
    rels = relations(nlp, text)
    contest = "宁德市第五届“霞浦杯”职工职业技能竞赛"
    assert {s for s, p, o in rels if p == "participatedIn" and o == contest} == {"缪春晓", "郭海舟", "雷志成"}


def test_names_of_minority_parts_after_a_title_and_names_with_a_dot_before_a_verb(nlp):
    text = ("市委书记贺振南出席并讲话，市委副书记、市长巴图达瓦主持会议。"
            "拉萨雪峰律师事务所律师白玛次仁现场解答问题。"
            "技师艾山·吐尔洪来自新疆喀什，2009年进厂。艾山·吐尔洪要求徒弟们苦练基本功。")
    people = names(nlp, text, "Person")
    assert {"巴图达瓦", "白玛次仁", "艾山·吐尔洪"} <= people, people
    assert not people & {"巴图达", "白玛次", "艾山·吐尔洪来", "艾山·吐尔洪要求"}
    assert ("白玛次仁", "worksFor", "拉萨雪峰律师事务所") in relations(nlp, text)


def test_an_organisation_name_does_not_run_back_over_an_election(nlp):
    orgs = names(nlp, "长治市总工会第十三次代表大会闭幕 庞振兴当选市总工会主席", "TradeUnion")
    assert not any("当选" in n for n in orgs), orgs


def test_an_event_is_held_in_the_places_visited_and_at_a_venue_named_after_its_place(nlp):
    text = ("7月20日，六盘水市总工会常务副主席罗仕文带队，深入钟山区、水城区的重点项目工地和户外作业一线，"
            "开展2025年“夏送清凉”慰问活动。8月3日，盘州市总工会在红果街道工会爱心驿站开展“工会进万家”户外劳动者服务活动。")
    held = {(s, o) for s, p, o in relations(nlp, text) if p == "heldIn"}
    assert {("2025年“夏送清凉”慰问活动", "钟山区"), ("2025年“夏送清凉”慰问活动", "水城区")} <= held, held
    assert any(s.endswith("户外劳动者服务活动") and o == "红果街道" for s, o in held), held
    organisers = {o for s, p, o in relations(nlp, text) if p == "organizedBy" and s.endswith("户外劳动者服务活动")}
    assert organisers == {"盘州市总工会"}  # the union at the venue hosts it
    held = relations(nlp, "今年6月，冼志远等人在东莞市总工会举办的东莞市职工职业技能大赛中脱颖而出。")
    assert ("东莞市职工职业技能大赛", "organizedBy", "东莞市总工会") in held


def test_people_each_with_their_unit_between_commas_share_an_honour_but_not_a_title(nlp):
    text = ("个人方面，芜湖恒源供电公司带电作业班班长、高级技师柏振川，淮南恒源发电有限公司锅炉专工佘丽萍，"
            "安庆长风输变电工程有限公司项目经理诸葛新民等20人被授予“安徽电力五一劳动奖章”。"
            "桃源县的快递员代表、常德市五一劳动奖章获得者李梦溪，澧县城头山镇卫生院护士长段春梅等代表也发了言。")
    honoured = {(s, o) for s, p, o in relations(nlp, text) if p == "receivedAward"}
    assert {s for s, o in honoured if o == "安徽电力五一劳动奖章"} == {"柏振川", "佘丽萍", "诸葛新民"}, honoured
    assert ("李梦溪", "常德市五一劳动奖章") in honoured
    assert not any(s == "段春梅" for s, o in honoured)


def test_department_names_that_hold_a_conjunction_and_names_that_end_at_one(nlp):
    text = ("天津市住房和城乡建设委员会副主任陶立群、璧山区人力资源和社会保障局局长鄢家亮出席。"
            "天津市住房和城乡建设系统工会召开表彰会。重庆恒信职业技术学院校企合作签约暨产业学院揭牌仪式举行。"
            "工会帮助工人收集凭证，并联系蜀山区人力资源和社会保障局劳动保障监察大队。")
    found = {m[1] for m in mentions(nlp, text) if m[0] in ("GovernmentBody", "TradeUnion", "Institution")}
    assert {"天津市住房和城乡建设委员会", "天津市住房和城乡建设系统工会", "璧山区人力资源和社会保障局",
            "重庆恒信职业技术学院", "蜀山区人力资源和社会保障局劳动保障监察大队"} <= found, found
    assert not any(n.endswith("局局") or "暨" in n or n.startswith("联系") for n in found), found
    branch = names(nlp, "绍兴恒达管业有限公司诸暨分公司的宓海波获得一等奖。", "Enterprise")
    assert "绍兴恒达管业有限公司诸暨分公司" in branch, branch  # 暨 in a place's name ends nothing
    unions = names(nlp, "通信地址：长春市南关区人民大街2568号省总工会经济技术保护部", "TradeUnion")
    assert unions and not any("号" in n for n in unions), unions
    school = names(nlp, "他从齐齐哈尔理工大学材料科学与化学工程学院毕业。信息工程学院与计算机科学与技术学院联合办赛。", "Institution")
    assert "齐齐哈尔理工大学材料科学与化学工程学院" in school, school
    assert not any("学院与" in n for n in school), school
    rels = relations(nlp, text)
    assert ("陶立群", "worksFor", "天津市住房和城乡建设委员会") in rels
    assert ("鄢家亮", "worksFor", "璧山区人力资源和社会保障局") in rels


def test_an_honour_between_a_title_and_a_name_and_names_before_a_kind_of_people(nlp):
    text = ("代表中，也有山西恒隆精密铸造有限公司数控车工、“山西省技术能手”景海峰等一线职工代表，"
            "还有根河市人民医院主任宇文丽。")
    rels = relations(nlp, text)
    assert ("景海峰", "receivedAward", "山西省技术能手") in rels
    assert ("景海峰", "worksFor", "山西恒隆精密铸造有限公司") in rels
    assert not any(m[1].startswith("有") for m in mentions(nlp, text) if m[0] == "Institution")


def test_the_honoured_named_by_reference_to_the_honour_of_the_report(nlp):
    text = ("30名女职工获评“吉林五一巾帼标兵”\n"
            "3月6日，吉林省总工会召开表彰大会，授予30名女职工“吉林五一巾帼标兵”称号。\n"
            "四平恒达船舶配套有限公司电焊工全晓雯是受表彰者之一。她先后获得2022年全国三八红旗手等荣誉。\n"
            "同样获此殊荣的，还有通化恒达特钢有限公司炼钢厂炉长伊丽雅、延吉市社区卫生服务中心护士长端木秀芳等。\n"
            "受表彰的先进典型中，有扎根一线二十余年的吉林恒顺物流有限公司调度员郑大春；还有白城市人民医院护士长宇文静。")
    honoured = {s for s, p, o in relations(nlp, text) if p == "receivedAward" and o == "吉林五一巾帼标兵"}
    assert honoured == {"全晓雯", "伊丽雅", "端木秀芳", "郑大春", "宇文静"}, honoured


def test_administrative_committees_and_main_organisers_before_an_unknown_last_one(nlp):
    text = ("由宁夏回族自治区总工会、自治区人力资源和社会保障厅、灵武恒源化工基地管委会联合主办，"
            "宁夏能源化学地质工会承办的第三届“塞上杯”化工总控工职业技能竞赛在灵武市举行。"
            "银川经济技术开发区管委会副主任马振强出席。")
    rels = relations(nlp, text)
    organisers = {o for s, p, o in rels if p == "organizedBy"}
    assert {"宁夏回族自治区总工会", "自治区人力资源和社会保障厅", "宁夏能源化学地质工会"} <= organisers, organisers
    assert ("马振强", "worksFor", "银川经济技术开发区管委会") in rels
    assert ("郑大山", "worksFor", "满洲里海关") in relations(nlp, "有扎根边境口岸二十余年的满洲里海关查验科科长郑大山。")


def test_the_group_an_anaphor_means_is_a_group_not_a_unit_named_after_it(nlp):
    text = ("受表扬的集体中，安徽恒泰电力集团有限公司芜湖供电公司带电作业班、"
            "该集团所属淮南恒泰发电有限公司检修车间被命名为“安徽电力工人先锋号”。")
    rels = relations(nlp, text)
    assert ("淮南恒泰发电有限公司", "subOrganizationOf", "安徽恒泰电力集团有限公司") in rels
    assert ("淮南恒泰发电有限公司", "subOrganizationOf", "安徽恒泰电力集团有限公司芜湖供电公司") not in rels


def test_an_honour_named_inside_a_longer_honour_is_part_of_its_name(nlp):
    awards = names(nlp, "甲公司线路二班被命名为“安徽电力工人先锋号”，乙等20人被授予“安徽电力五一劳动奖章”。", "Award")
    assert awards == {"安徽电力工人先锋号", "安徽电力五一劳动奖章"}, awards


def test_a_district_name_shared_by_two_cities_and_the_union_of_an_autonomous_region(nlp):
    xian = mentions(nlp, "通讯地址：西安市新城区东新街233号省总工会。")
    assert ("Place", "新城区", "新城区") in xian and not any(m[1] == "西安市新城" for m in xian), xian
    assert ("TradeUnion", "省总工会", "陕西省总工会") in xian
    hohhot = mentions(nlp, "呼和浩特市召开大会，省总工会主席出席。", "TradeUnion")
    assert hohhot == [("TradeUnion", "省总工会", "内蒙古自治区总工会")], hohhot


def test_the_units_entered_in_a_contest(nlp):
    text = ("弥渡县重点项目建设“比学赶超”劳动竞赛启动。首批参赛单位有云南恒达路桥工程有限公司、"
            "大理州恒和水务投资有限公司、弥渡县振华光伏发电有限公司等12家。")
    rels = relations(nlp, text)
    entered = {s for s, p, o in rels if p == "participatedIn"}
    assert entered == {"云南恒达路桥工程有限公司", "大理州恒和水务投资有限公司", "弥渡县振华光伏发电有限公司"}, rels


def test_a_count_of_units_is_no_unit(nlp):
    text = ("江东重型电机有限公司总装车间灯火通明。他参与了国内多座大型水电站的装配调试。"
            "公司工会主席林晓燕介绍，公司已在全公司12个车间推广。")
    orgs = names(nlp, text, "Enterprise")
    assert not any("多座" in o or "12个" in o for o in orgs), orgs
    assert ("林晓燕", "worksFor", "江东重型电机有限公司") in relations(nlp, text)


def test_a_profile_states_age_before_employer_and_lists_honours_under_the_name(nlp):
    text = ("韦国栋今年49岁，是江东重型电机有限公司高级技师。\n"
            "韦国栋的荣誉清单：\n"
            "·2011年 湖南省技术能手\n"
            "·2014年 第六届全国职工职业技能大赛装配钳工决赛第三名\n"
            "·2023年 全国劳动模范\n")
    rels = relations(nlp, text)
    assert ("韦国栋", "worksFor", "江东重型电机有限公司") in rels
    assert {("韦国栋", "receivedAward", "湖南省技术能手"), ("韦国栋", "receivedAward", "全国劳动模范"),
            ("韦国栋", "participatedIn", "第六届全国职工职业技能大赛")} <= rels, rels


def test_a_short_name_after_an_industry_word_and_a_founding_clause(nlp):
    text = ("我司（东莞市鸿远精密模具有限公司）选派的选手获奖。冼国斌2012年入职鸿远精密。"
            "鸿远精密成立于2006年，位于东莞市长安镇。")
    rels = relations(nlp, text)
    assert ("鸿远精密", "locatedIn", "长安镇") in rels, rels
    assert any(s == "冼国斌" and p == "worksFor" for s, p, o in rels), rels


def test_abbreviated_bureaus_and_the_youth_leagues_committee(nlp):
    bodies = names(nlp, "本届大赛由市总工会、市人力社保局、市经信局、县发改局联合主办，由团省委推荐参评。", "GovernmentBody")
    assert {"市人力社保局", "市经信局", "县发改局"} <= bodies, bodies
    assert ("GovernmentBody", "团省委", "共青团辽宁省委员会") in mentions(nlp, "辽宁省一等奖获得者由团省委推荐优先参评。")
    assert "市委" in names(nlp, "会议贯彻落实市委、市政府的部署。", "GovernmentBody")
    assert not names(nlp, "他在超市委托销售商品。", "GovernmentBody")


def test_a_studio_list_names_leaders_not_more_honourees(nlp):
    text = ("2025年度南江市劳模和工匠人才创新工作室名单\n"
            "1．南江科发新材料股份有限公司“微米”工匠创新工作室\n"
            "领衔人：冉晓梅（女），研发中心主任，“天府工匠”\n"
            "2．南江锦弘精密电子有限公司柏天明劳模创新工作室\n"
            "领衔人：柏天明，轧钢车间主任、四川省劳动模范\n"
            "3．三台县人民医院苟春梅护理创新工作室\n"
            "领衔人：苟春梅（女），护理部主任\n")
    rels = relations(nlp, text)
    assert not any(p == "receivedAward" and s in ("冉晓梅", "柏天明", "苟春梅") and "工作室" in o for s, p, o in rels), rels
    assert ("冉晓梅", "leads", "“微米”工匠创新工作室") in rels, rels
    assert ("冉晓梅", "worksFor", "南江科发新材料股份有限公司") in rels
    assert ("冉晓梅", "receivedAward", "天府工匠") in rels
    assert ("柏天明", "receivedAward", "四川省劳动模范") in rels
    people = names(nlp, text, "Person")
    assert "苟春梅" in people and "梅护理" not in people, people


def test_a_slogan_a_final_and_roles_before_a_contest(nlp):
    contests = names(nlp, "“匠心筑梦 技能报国”湖南省第三届职业技能大赛12日在株洲落幕。", "Competition")
    assert contests == {"湖南省第三届职业技能大赛"}, contests
    assert names(nlp, "全省交通行业“路桥杯”职业技能决赛在长沙举行。", "Competition") == {"全省交通行业“路桥杯”职业技能决赛"}
    text = ("由湖南省总工会、湖南省人力资源和社会保障厅主办，长沙市总工会、岳麓区机关工会承办，"
            "长沙恒通建设集团有限公司协办的“建功新时代”2023年湖南省引领性劳动和技能竞赛正式启动。")
    organisers = {o for s, p, o in relations(nlp, text) if p == "organizedBy"}
    assert {"湖南省总工会", "湖南省人力资源和社会保障厅", "长沙市总工会", "岳麓区机关工会"} <= organisers, organisers
    unions = names(nlp, "大赛由南海市总工会携手珠海市工会联合总会共同主办。", "TradeUnion")
    assert "珠海市工会联合总会" in unions, unions


def test_an_area_named_after_a_place_the_scan_cut_and_a_title_before_a_verb(nlp):
    assert "和林格尔新区" in names(nlp, "启动仪式在和林格尔新区举行。", "Place")
    assert "曹立荣" not in names(nlp, "江北恒丰机械有限公司工人、高级技师曹立荣获全国五一劳动奖章。", "Person")
    assert "张建荣" in names(nlp, "某公司高级技师张建荣获得全国五一劳动奖章。", "Person")


def test_a_place_in_a_titled_name_and_a_unions_committee_for_one_term(nlp):
    text = ("1月4日，四川省冶建工会第五届委员会第一次全体会议在成都召开。省总工会副主席韩长江出席会议。"
            "唐东明当选为省冶建工会主席，马长远当选为副主席，潘玉珍、董兴华当选为兼职副主席。")
    found = mentions(nlp, text)
    assert ("Person", "韩长江", "韩长江") in found and not any(m[0] == "Place" and m[1] == "长江" for m in found), found
    assert not any(m[0] == "TradeUnion" and "届" in m[2] for m in found), found
    assert any(m[0] == "Event" and m[2] == "四川省冶建工会第五届委员会第一次全体会议" for m in found), found
    rels = relations(nlp, text)
    assert {("马长远", "worksFor", "省冶建工会"), ("潘玉珍", "worksFor", "省冶建工会"),
            ("董兴华", "worksFor", "省冶建工会")} <= rels, rels
    assert not any(s == o for s, p, o in rels), rels


def test_a_meeting_named_by_its_session_is_the_one_named_in_full(nlp):
    doc = nlp("恒泰重工工会召开第三次会员代表大会\n9月10日，河北恒泰重工集团有限公司工会第三次会员代表大会在集团召开。")
    events = {m.name for m in doc._.kg_mentions if m.label == "Event"}
    assert events == {"河北恒泰重工集团有限公司工会第三次会员代表大会"}, events


def test_honours_in_apposition_after_the_employer_and_the_years_figure(nlp):
    text = ("林玉成是福建上泰精密仪器有限公司装配钳工、高级技师，全国五一劳动奖章获得者、福建省技术能手。"
            "孙国强是马江造船股份有限公司电焊班长，省五一劳动奖章获得者、全国优秀农民工、福建省金牌工人。")
    rels = relations(nlp, text)
    assert {("林玉成", "receivedAward", "全国五一劳动奖章"), ("林玉成", "receivedAward", "福建省技术能手"),
            ("孙国强", "receivedAward", "省五一劳动奖章"), ("孙国强", "receivedAward", "全国优秀农民工"),
            ("孙国强", "receivedAward", "福建省金牌工人")} <= rels, rels
    assert names(nlp, "2019年10名“八闽工匠年度人物”最新出炉。", "Award") == {"八闽工匠年度人物"}


def test_a_subsidiary_named_after_its_group_and_its_short_name(nlp):
    text = ("近日，新华投资集团新疆蓝湖聚酯有限公司荣获2024年“全国五一劳动奖状”。"
            "蓝湖聚酯公司成立于1994年3月，位于乌鲁木齐市。")
    doc = nlp(text)
    companies = {(m.text, m.name) for m in doc._.kg_mentions if m.label == "Enterprise"}
    assert ("蓝湖聚酯公司", "新疆蓝湖聚酯有限公司") in companies, companies
    rels = {(r.subject.name, r.predicate, r.object.name) for r in doc._.kg_relations}
    assert ("新疆蓝湖聚酯有限公司", "subOrganizationOf", "新华投资集团") in rels, rels
    assert ("新疆蓝湖聚酯有限公司", "receivedAward", "全国五一劳动奖状") in rels, rels
    assert ("新疆蓝湖聚酯有限公司", "locatedIn", "乌鲁木齐市") in rels, rels
    branch = nlp("安徽恒安电力集团有限公司所属恒安电力集团宣城供电公司变电检修班获奖。")
    assert "恒安电力集团宣城供电公司" in {m.name for m in branch._.kg_mentions}, branch._.kg_mentions


def test_a_meeting_of_a_committee_needs_its_holder(nlp):
    events = names(nlp, "大会选举产生了某区总工会第四届委员会。在随后召开的第四届委员会第一次全体会议上，选举结果如下：", "Event")
    assert not events, events


def test_honours_stated_with_is_and_written_before_a_persons_unit(nlp):
    rels = relations(nlp, "今年52岁的谭立新是全国劳动模范、“大国工匠”。")
    assert {("谭立新", "receivedAward", "全国劳动模范"), ("谭立新", "receivedAward", "大国工匠")} <= rels, rels
    rels = relations(nlp, "他们中还有贵州省五一劳动奖章获得者、贵州恒安精密铸造有限责任公司铸造工陈小平；"
                          "全国劳模、合肥恒通公交集团有限公司驾驶员夏立新作为代表发言。")
    assert ("陈小平", "receivedAward", "贵州省五一劳动奖章") in rels, rels
    assert ("夏立新", "receivedAward", "全国劳模") in rels, rels
    rels = relations(nlp, "授予邓道林等288人安徽省金牌职工。")
    assert ("邓道林", "receivedAward", "安徽省金牌职工") in rels, rels


def test_people_listed_after_their_units_receive_the_title_conferred_on_them(nlp):
    text = ("省政府近日决定，授予获得全国第二届职业技能大赛金牌的选手南京恒达技师学院王桐、常州恒达技师学院韩春伟等2人"
            "以及主教练苏州市吴中恒达技师学院吕胜、徐州恒达技师学院仇立威等7人“江苏工匠”称号。")
    rels = relations(nlp, text)
    honoured = {s for s, p, o in rels if p == "receivedAward" and o == "江苏工匠"}
    assert honoured == {"王桐", "韩春伟", "吕胜", "仇立威"}, rels
    assert not any(p == "participatedIn" and s == "省政府" for s, p, o in rels), rels
    assert ("王桐", "worksFor", "南京恒达技师学院") in rels


def test_a_winner_put_forward_by_a_group_and_honoured_by_a_body(nlp):
    text = ("经过激烈角逐，陕西恒业化工集团公司推荐的陕西华岳化工集团公司机械修造公司孙立辉以精湛的焊接技术脱颖而出，"
            "被省国资委团工委授予“陕西省国资委系统青年技术能手”荣誉称号。")
    rels = relations(nlp, text)
    assert ("孙立辉", "worksFor", "陕西华岳化工集团公司机械修造公司") in rels, rels
    assert ("孙立辉", "receivedAward", "陕西省国资委系统青年技术能手") in rels, rels


def test_a_brand_named_like_a_person_and_a_contest_referred_to_by_its_trade(nlp):
    text = ("省“王成”杯 焊工技能大赛举行\n10月14日，浙江省“王成”杯焊工技能大赛在海宁举行。"
            "本次焊工技能大赛由省人社厅、省总工会联合主办。")
    assert not names(nlp, text, "Person")
    organisers = {o for s, p, o in relations(nlp, text) if p == "organizedBy"}
    assert {"省人社厅", "省总工会"} <= organisers, organisers


def test_an_article_in_traditional_characters_is_read_folded_and_named_as_written(nlp):
    from kg.extract import extract
    from kg.read import SourceDocument
    text = ("近日，由廣東省總工會、廣東省人力資源和社會保障廳聯合主辦的第三屆廣東省職工職業技能大賽在廣州市舉行。"
            "廣州恒達機械有限公司焊工李國強獲得一等獎，並獲評“廣東省技術能手”稱號。")
    record = extract(SourceDocument("t.txt", text, "0" * 64, "utf-8"), nlp)
    found = {(m.label, m.name) for m in record.mentions}
    assert {("TradeUnion", "廣東省總工會"), ("GovernmentBody", "廣東省人力資源和社會保障廳"), ("Place", "廣州市"),
            ("Person", "李國強"), ("Enterprise", "廣州恒達機械有限公司"), ("Award", "廣東省技術能手"),
            ("Competition", "第三屆廣東省職工職業技能大賽")} <= found, found
    rels = {(r.subject.name, r.predicate, r.object.name) for r in record.relations}
    assert {("李國強", "worksFor", "廣州恒達機械有限公司"), ("李國強", "receivedAward", "廣東省技術能手"),
            ("第三屆廣東省職工職業技能大賽", "organizedBy", "廣東省總工會")} <= rels, rels
    assert record.sentences[0].text.startswith("近日，由廣東省總工會")


def test_county_short_forms_joined_in_a_route(nlp):
    places = names(nlp, "海南今年将建成中线琼中至乐东高速公路和文昌至琼海高速公路。", "Place")
    assert {"琼中", "乐东", "文昌", "琼海"} <= places, places


def test_a_simplified_article_keeps_characters_the_traditional_table_also_folds(nlp):
    doc = nlp("乾县总工会召开会议，於立新、钟建国出席。")
    assert doc._.kg_restore is None and doc._.kg_text.startswith("乾县总工会")
    assert {"乾县总工会"} <= names(nlp, "乾县总工会召开会议，於立新、钟建国出席。", "TradeUnion")


def test_a_year_without_nian_a_league_committee_and_roles_parted_by_dunhao(nlp):
    text = ("10月26日，2020辽宁省“技工杯”职业技能精英挑战赛在大连市恒达技师学院拉开战幕。"
            "本次比赛由辽宁省总工会、共青团辽宁省委员会、辽宁省妇女联合会主办、大连市人力资源和社会保障局承办、"
            "大连市恒达技师学院协办。")
    assert names(nlp, text, "Competition") >= {"辽宁省“技工杯”职业技能精英挑战赛"}, names(nlp, text, "Competition")
    organisers = {o for s, p, o in relations(nlp, text) if p == "organizedBy"}
    assert {"辽宁省总工会", "共青团辽宁省委员会", "辽宁省妇女联合会", "大连市人力资源和社会保障局",
            "大连市恒达技师学院"} <= organisers, organisers


def test_two_companies_written_with_no_separator_and_a_pilot_zone(nlp):
    orgs = names(nlp, "宁波恒舜铝材有限公司吴海平浙江恒可自动化设备有限公司黄凯明获得第三名。", "Enterprise")
    assert {"宁波恒舜铝材有限公司", "浙江恒可自动化设备有限公司"} <= orgs, orgs
    assert "沈抚改革创新示范区" in names(nlp, "来自铁岭、盘锦、沈抚改革创新示范区等15个城市的代表队参加比赛。", "Place")


def test_a_body_that_pays_an_allowance_receives_no_honour(nlp):
    rels = relations(nlp, "有46名高技能人才享受国务院和自治区政府特贴、获得“塞上英才”奖。")
    assert not any(p == "receivedAward" for s, p, o in rels), rels


def test_the_people_listed_under_a_title_they_were_named_to(nlp):
    text = ("此次被命名为“晋江名匠”的有3人，分别为福建恒记食品有限公司李栋材、晋江市荣达实业发展有限公司胡满春和"
            "福建清流科技有限公司夏敏华。被命名为“晋江工匠”的有中联恒检检测服务有限公司林风平等30人。")
    rels = relations(nlp, text)
    named = {(s, o) for s, p, o in rels if p == "receivedAward"}
    assert {("李栋材", "晋江名匠"), ("胡满春", "晋江名匠"), ("夏敏华", "晋江名匠"), ("林风平", "晋江工匠")} <= named, rels


def test_a_party_committee_heads_its_departments_name(nlp):
    text = "宝鸡市委组织部、市总工会联合开展评选。"
    doc = nlp(text)
    assert ("宝鸡市委组织部", "subOrganizationOf", "宝鸡市委") in {(r.subject.text, r.predicate, r.object.text)
                                                          for r in doc._.kg_relations}


def test_a_unions_department_is_no_ministry_inside_it(nlp):
    text = "中华全国总工会宣传教育部负责人出席。全国总工会、教育部联合开展。"
    found = mentions(nlp, text)
    assert ("TradeUnion", "中华全国总工会宣传教育部", "中华全国总工会宣传教育部") in found, found
    assert [m for m in found if m[1] == "教育部"] == [("GovernmentBody", "教育部", "教育部")], found
    assert ("中华全国总工会宣传教育部", "subOrganizationOf", "中华全国总工会") in relations(nlp, text)


def test_a_counted_group_listed_later_gets_every_honour_of_its_count(nlp):
    text = ("5名职业技能竞赛优秀选手被授予“荆门五一劳动奖章”。\n"
            "这5名选手分别为:荆门恒岳职业学院学生柯明远、湖北鸿泰精工有限公司钳工屠晓岚、荆门金穗飞防专业合作社飞防机手蔺海波。\n"
            "据了解，获得全市职业技能竞赛一等奖的这5名选手还被授予“市技术能手”称号。")
    honoured = {(s, o) for s, p, o in relations(nlp, text) if p == "receivedAward"}
    assert {("柯明远", "荆门五一劳动奖章"), ("柯明远", "市技术能手"), ("屠晓岚", "荆门五一劳动奖章"),
            ("屠晓岚", "市技术能手"), ("蔺海波", "荆门五一劳动奖章")} <= honoured, honoured
    elsewhere = "6名职工被授予“荆门五一劳动奖章”。这5名选手分别为:荆门恒岳职业学院学生柯明远、湖北鸿泰精工有限公司钳工屠晓岚。"
    assert not any(p == "receivedAward" for s, p, o in relations(nlp, elsewhere))


def test_a_counted_honour_with_its_holders_after_it(nlp):
    text = ("8位“荆楚工匠年度人物”分别是:湖北鸿泰精工有限公司焊接顾问鲍振宇,恒岳新材料有限公司钳工伍思琪,"
            "荆门恒岳通信股份有限公司无线电通信设计师蔺海波。")
    rels = relations(nlp, text)
    assert {("鲍振宇", "receivedAward", "荆楚工匠年度人物"), ("伍思琪", "receivedAward", "荆楚工匠年度人物"),
            ("鲍振宇", "worksFor", "湖北鸿泰精工有限公司"), ("蔺海波", "worksFor", "荆门恒岳通信股份有限公司")} <= rels, rels


def test_entrants_and_medallists_of_the_reported_contest(nlp):
    text = ("首届“鸿泰杯”职业技能大赛昨日落下帷幕。鄂州市代表队的龚建峰、蔺海波分别荣获汽车修理、中式烹调的金奖。"
            "其中代表恒岳新材料有限公司参赛的是来自经编车间的伍思琪和鲍振宇。"
            "代表荆门恒岳技师学院参赛的教师选手柯明远获得电工赛项第1名,我院将继续培养技能人才。")
    rels = relations(nlp, text)
    took_part = {s for s, p, o in rels if p == "participatedIn" and o == "首届“鸿泰杯”职业技能大赛"}
    assert {"龚建峰", "蔺海波", "伍思琪", "鲍振宇", "柯明远"} <= took_part, rels
    assert {("伍思琪", "worksFor", "恒岳新材料有限公司"), ("鲍振宇", "worksFor", "恒岳新材料有限公司"),
            ("柯明远", "worksFor", "荆门恒岳技师学院")} <= rels, rels


def test_winners_listed_with_their_trades_after_the_contest(nlp):
    text = ("奉节县2021年“夔门杯”技能大赛总决赛落下帷幕。经过近五个小时的激烈角逐,"
            "龚建峰(汽车修理)、蔺海波(中式烹调)等10人获得“奉节工匠”荣誉称号。")
    contest = [m for m in mentions(nlp, text, "Competition")]
    assert contest == [("Competition", "奉节县2021年“夔门杯”技能大赛总决赛", "奉节县夔门杯技能大赛")], contest
    assert nlp(text)._.kg_mentions[1].year == 2021
    rels = relations(nlp, text)
    assert {("龚建峰", "participatedIn", "奉节县2021年“夔门杯”技能大赛总决赛"),
            ("蔺海波", "participatedIn", "奉节县2021年“夔门杯”技能大赛总决赛"),
            ("蔺海波", "receivedAward", "奉节工匠")} <= rels, rels


def test_a_groups_name_inside_its_companys_is_that_company(nlp):
    text = "锦川集团控股有限公司工会、枣阳鸿泰集团有限责任公司工会获此殊荣。锦川集团职工柯明远发言。"
    found = mentions(nlp, text, "Enterprise")
    assert ("Enterprise", "锦川集团", "锦川集团控股有限公司") in found, found
    assert ("Enterprise", "枣阳鸿泰集团", "枣阳鸿泰集团有限责任公司") in found, found
    assert {m[2] for m in found} == {"锦川集团控股有限公司", "枣阳鸿泰集团有限责任公司"}, found
    assert not any(p == "subOrganizationOf" and o in ("锦川集团", "枣阳鸿泰集团") for s, p, o in relations(nlp, text))


def test_an_honour_written_before_the_employer_is_the_persons(nlp):
    text = "大会上，张家口市劳动模范桥东区恒岳街小学教师伍思琪宣读倡议书。"
    assert "桥东区恒岳街小学" in names(nlp, text, "Institution"), mentions(nlp, text)
    rels = relations(nlp, text)
    assert {("伍思琪", "receivedAward", "张家口市劳动模范"), ("伍思琪", "worksFor", "桥东区恒岳街小学")} <= rels, rels


def test_each_honour_under_a_names_list_heads_its_own_rows(nlp):
    text = ("其中湖北省获得全国五一劳动奖章的个人有3位,全国工人先锋号2个。\n名单如下:\n全国五一劳动奖章\n"
            "柯明远 荆门市恒岳实验小学校长\n屠晓岚 恒岳新材料有限公司总工程师\n")
    honoured = {(s, o) for s, p, o in relations(nlp, text) if p == "receivedAward"}
    assert {("柯明远", "全国五一劳动奖章"), ("屠晓岚", "全国五一劳动奖章")} <= honoured, honoured
    assert not any(o == "全国工人先锋号" for s, o in honoured), honoured


def test_a_unit_named_under_a_long_chain_of_parents(nlp):
    text = "全国五一劳动奖章\n蔺 波 恒岳湖北省电力有限公司荆门供电分公司不停电管控中心配网带电作业班工作负责人\n"
    unit = "恒岳湖北省电力有限公司荆门供电分公司不停电管控中心配网带电作业班"
    assert unit in names(nlp, text, "Enterprise"), mentions(nlp, text)
    assert ("蔺波", "worksFor", unit) in {(r.subject.name, r.predicate, r.object.name) for r in nlp(text)._.kg_relations}


def test_ranked_delegates_and_a_winner_by_pronoun(nlp):
    text = ("第八届全国职工职业技能大赛决赛落下帷幕。陕西代表队选手柯明远表现出色。"
            "本次比赛他拿到了汽车维修工赛项第一的好成绩。汽车维修工赛项第三名江苏省代表队屠晓岚介绍。")
    took_part = {s for s, p, o in relations(nlp, text) if p == "participatedIn"}
    assert {"柯明远", "屠晓岚"} <= took_part, took_part


def test_a_festival_its_organisers_and_a_worker_of_our_company(nlp):
    text = ("扬州鸿泰装饰工程有限公司召开会议。由扬州市委、市政府主办的第二届产业工人节开幕,"
            "我公司项目部瓦工龚建峰同志被授予“扬州市五一劳动奖章”。")
    assert "第二届产业工人节" in names(nlp, text, "Event"), mentions(nlp, text)
    rels = relations(nlp, text)
    assert {("第二届产业工人节", "organizedBy", "扬州市委"), ("第二届产业工人节", "organizedBy", "市政府"),
            ("龚建峰", "worksFor", "扬州鸿泰装饰工程有限公司")} <= rels, rels


def test_a_company_with_its_own_name_under_its_owners(nlp):
    text = "荆门鸿泰家具股份有限公司恒岳公司工艺总监柯明远。恒岳湖北省电力有限公司荆门供电公司职工屠晓岚。"
    rels = {(r.subject.name, r.predicate, r.object.name) for r in nlp(text)._.kg_relations}
    assert {("柯明远", "worksFor", "恒岳公司"), ("恒岳公司", "subOrganizationOf", "荆门鸿泰家具股份有限公司"),
            ("屠晓岚", "worksFor", "恒岳湖北省电力有限公司荆门供电公司")} <= rels, rels
    assert not any(s == "恒岳公司" and p == "locatedIn" for s, p, o in rels), rels


def test_inspection_institutes_and_rooms_as_units(nlp):
    text = "湖北省恒岳特种设备检测研究院荆门检测院院长柯明远发言。荆门市恒岳救助管理站接待室获得表彰。"
    orgs = names(nlp, text, "Institution")
    assert {"湖北省恒岳特种设备检测研究院荆门检测院", "荆门市恒岳救助管理站接待室"} <= orgs, mentions(nlp, text)


def test_a_newspapers_name_in_brackets_is_no_document(nlp):
    text = "来源:《工人日报》。据《荆门晚报》报道,他撰写的《数控机床维修手册》出版。印发《关于表彰先进的通报》。"
    assert names(nlp, text, "Document") == {"《数控机床维修手册》", "《关于表彰先进的通报》"}, mentions(nlp, text)


def test_quoted_honours_parted_by_commas(nlp):
    text = "来自恒岳新材料有限公司的柯明远获得了本届全国竞赛“全能奖”亚军,并获得“全国技术能手”,“全国纺织行业技术能手”。"
    honours = {o for s, p, o in relations(nlp, text) if p == "receivedAward" and s == "柯明远"}
    assert {"全国技术能手", "全国纺织行业技术能手"} <= honours, honours


def test_model_teams_honoured_by_count(nlp):
    text = "授予荆门恒岳热电有限公司设备管理部热工炉控班等20个班组“荆门市模范班组(工人先锋号)”荣誉称号。"
    assert not names(nlp, text, "Institution"), mentions(nlp, text)
    assert ("荆门恒岳热电有限公司设备管理部热工炉控班", "receivedAward", "荆门市模范班组(工人先锋号)") in relations(nlp, text)


def test_a_parks_name_inside_a_companys_is_no_place(nlp):
    text = "荆岳科技工业园有限公司第四织布分厂获奖。会议在荆门高新技术产业开发区举行。"
    assert names(nlp, text, "Place") >= {"荆门高新技术产业开发区"}
    assert "荆岳科技工业园" not in names(nlp, text, "Place"), mentions(nlp, text)
    assert "荆岳科技工业园有限公司第四织布分厂" in names(nlp, text, "Enterprise")


def test_a_notice_verb_parts_the_issuer_from_the_body_it_names(nlp):
    text = "近日,中国恒岳建材职工技术协会发文通报全国恒岳建材行业工会经济技术工作先进单位。"
    assert {m[1] for m in mentions(nlp, text) if m[0] in ("Institution", "TradeUnion")} == {
        "中国恒岳建材职工技术协会", "全国恒岳建材行业工会"}, mentions(nlp, text)


def test_a_countys_short_form_in_a_name_when_the_article_writes_it_in_full(nlp):
    text = "天门恒岳职业学院学生柯明远获奖。2021年天门市职业技能竞赛举行。"
    assert ("天门恒岳职业学院", "locatedIn", "天门") in relations(nlp, text), mentions(nlp, text)
    assert not any(p == "locatedIn" for s, p, o in relations(nlp, "天门恒岳职业学院学生柯明远获奖。"))


def test_rail_depots_and_the_bodies_listed_as_holders(nlp):
    text = ("作者:柯明远\n(柯明远)在五一国际劳动节到来之际,全国总工会公布了表彰名单。"
            "4个荣获全国五一劳动奖状的单位是经推荐的中国铁路荆门局集团有限公司和恒岳铁建第五工程有限公司。"
            "中国铁路荆门局集团有限公司荆门供电段荆门西供电车间等18个集体经铁路推荐获得全国工人先锋号荣誉称号。")
    rels = relations(nlp, text)
    assert "中国铁路荆门局集团有限公司荆门供电段" in names(nlp, text, "Enterprise"), mentions(nlp, text)
    assert {("中国铁路荆门局集团有限公司", "receivedAward", "全国五一劳动奖状"),
            ("恒岳铁建第五工程有限公司", "receivedAward", "全国五一劳动奖状"),
            ("中国铁路荆门局集团有限公司荆门供电段荆门西供电车间", "receivedAward", "全国工人先锋号")} <= rels, rels
    assert not any(s == "柯明远" for s, p, o in rels), rels


def test_a_profile_written_with_wei_names_the_employer_and_post(nlp):
    text = ("今年全省有两人入选。柯明远为荆门恒岳技师学院(荆门恒岳职业技术学院)教师、高级技师。"
            "宁秀英为天门荆岳理工大学材料学院副院长、教授。")
    rels = relations(nlp, text)
    assert {("柯明远", "worksFor", "荆门恒岳技师学院"), ("宁秀英", "worksFor", "天门荆岳理工大学材料学院")} <= rels, rels
    rels = relations(nlp, "柯明远为荆门恒岳机械有限公司员工们送去慰问品。")
    assert not any(p == "worksFor" for s, p, o in rels), rels


def test_a_bodys_leaders_named_after_it_work_for_it(nlp):
    text = "9月25日,市总工会领导柯明远、宁秀英、祁文博出席闭幕式并为获奖单位和选手颁奖。"
    assert {(s, o) for s, p, o in relations(nlp, text) if p == "worksFor"} == {
        ("柯明远", "市总工会"), ("宁秀英", "市总工会"), ("祁文博", "市总工会")}


def test_the_partys_congress_by_its_ordinal_is_one_event(nlp):
    text = "会议全面贯彻党的二十大精神。这些企业属于二十大报告强调的重点产业。"
    events = [m for m in mentions(nlp, text) if m[0] == "Event"]
    assert [name for _, _, name in events] == ["党的二十大", "党的二十大"], events
    assert not names(nlp, "全年销售第二十大类产品三万件。", "Event")
    assert not names(nlp, "职工们学习中国工会十八大精神。", "Event")


def test_a_bodys_overall_situation_is_no_bureau_nor_an_organiser(nlp):
    text = "共青团山东省委聚焦省委、省政府工作大局,已连续举办14届全省青年职业技能大赛。今年是开局之年。"
    assert not {n for n in names(nlp, text, "GovernmentBody") if n.endswith("局")}, mentions(nlp, text)
    assert not any(p == "organizedBy" for s, p, o in relations(nlp, text)), relations(nlp, text)


def test_winners_of_several_trades_and_teams_took_part_in_the_reported_contest(nlp):
    text = ("荆门市首届“职工技能状元”竞赛圆满落幕\n"
            "据悉,经过激烈角逐,本次职工技能状元竞赛决出各个奖项,其中,柯明远、宁秀英等2名选手分别荣获"
            "焊工组、叉车组、起重机组、计算机(微机)调试工组个人一等奖。"
            "恒岳机械有限公司分别荣获焊工组、叉车组、起重机组竞赛团体第一名。")
    contest = "荆门市首届“职工技能状元”竞赛"
    got = {(s, o) for s, p, o in relations(nlp, text) if p == "participatedIn"}
    assert {("柯明远", contest), ("宁秀英", contest), ("恒岳机械有限公司", contest)} <= got, got


def test_counties_written_by_their_former_or_shorter_names(nlp):
    text = "南京市和桂林市举行比赛。江宁县代表队、龙胜县代表队荣获优秀组织奖。"
    assert {"江宁区", "龙胜各族自治县"} <= {name for _, _, name in mentions(nlp, text, "Place")}, mentions(nlp, text)
    assert not mentions(nlp, "江宁县代表队荣获优秀组织奖。", "Place")


def test_titles_conferred_on_studios_are_honours_not_studios(nlp):
    text = ("近日,荆门市总工会命名了8个基层荆门市劳模工匠创新工作室。"
            "恒岳机械有限公司柯明远劳模和工匠人才创新工作室喜获湖北省“十佳”劳模和工匠人才创新工作室荣誉称号。")
    assert {"荆门市劳模工匠创新工作室", "湖北省“十佳”劳模和工匠人才创新工作室"} <= names(nlp, text, "Award"), mentions(nlp, text)
    assert "“十佳”劳模和工匠人才创新工作室" not in names(nlp, text, "Studio")
    assert not any(p == "receivedAward" for s, p, o in relations(nlp, text)), relations(nlp, text)
    assert not names(nlp, "魏秀英领办的魏秀英技能大师工作室也榜上有名。", "Award")


def test_studio_titles_after_prefectures_and_leagues_are_honours(nlp):
    text = "近日，恩施州总工会命名10个恩施州职工创新工作室，阿坝州劳模工匠创新工作室和锡林郭勒盟职工创新工作室同时授牌。"
    assert {"恩施州职工创新工作室", "阿坝州劳模工匠创新工作室", "锡林郭勒盟职工创新工作室"} <= names(nlp, text, "Award"), \
        mentions(nlp, text)
    assert not names(nlp, "职工创新工作室是职工创新的平台。", "Award")


def test_people_counted_after_their_names_recognised_as_an_honour(nlp):
    text = ("近日,第三届大国工匠创新交流大会暨大国工匠论坛公布名单。我省柯明远、宁秀英、祁文博3人被中华全国总工会"
            "认定为2025年“大国工匠人才”。这是我省新增的又一批工匠人才。")
    rels = relations(nlp, text)
    assert {(s, o) for s, p, o in rels if p == "receivedAward"} == {
        ("柯明远", "大国工匠人才"), ("宁秀英", "大国工匠人才"), ("祁文博", "大国工匠人才")}, rels
    assert names(nlp, text, "Award") == {"大国工匠人才"}, mentions(nlp, text)


def test_a_studios_new_name_in_quotes_is_no_honour(nlp):
    text = "恒岳矿业公司“柯明远技能大师工作室”荣获“柯明远劳模工匠创新工作室”。"
    assert not names(nlp, text, "Award"), mentions(nlp, text)
    assert not any(p == "receivedAward" for s, p, o in relations(nlp, text)), relations(nlp, text)


def test_each_honour_of_a_list_whose_items_open_with_an_edition(nlp):
    text = "柯明远是恒岳机械有限公司电工,荣获首届“荆楚工匠”、第二届“汉江工匠”称号。"
    got = {o for s, p, o in relations(nlp, text) if p == "receivedAward" and s == "柯明远"}
    assert got == {"荆楚工匠", "汉江工匠"}, relations(nlp, text)


def test_a_count_of_editions_is_not_part_of_an_events_name(nlp):
    text = "2016年至今,我省已连续举办七届“荆楚工匠”选树活动。第三届荆楚工匠创新交流大会在武汉举办。"
    assert {name for _, _, name in mentions(nlp, text, "Event")} == {"荆楚工匠选树活动", "第三届荆楚工匠创新交流大会"}
    text = "恒岳集团召开三届一次职代会暨第三次工会会员代表大会。"
    assert {name for _, _, name in mentions(nlp, text, "Event")} == {"三届一次职代会暨第三次工会会员代表大会"}


def test_the_person_last_named_represented_a_country_in_a_contest(nlp):
    text = "柯明远为荆门恒岳技师学院教师、高级技师。2019年8月代表中国参加第45届世界技能大赛移动机器人项目,勇夺金牌。"
    assert ("柯明远", "participatedIn", "第45届世界技能大赛") in relations(nlp, text), relations(nlp, text)


def test_a_committees_leading_group_is_its_unit_and_an_organiser(nlp):
    text = "5月11日,由市委人才工作领导小组主办的第四届“荆楚工匠”颁奖典礼在武汉举办。公司成立了安全生产领导小组。"
    rels = relations(nlp, text)
    assert {("市委人才工作领导小组", "subOrganizationOf", "市委"),
            ("第四届“荆楚工匠”颁奖典礼", "organizedBy", "市委人才工作领导小组")} <= rels, rels
    assert "安全生产领导小组" not in {m[1] for m in mentions(nlp, text)}
    rels = relations(nlp, "中共荆门市委人才工作领导小组办公室发布通知。")
    assert {(s, o) for s, p, o in rels if p == "subOrganizationOf"} == {
        ("中共荆门市委人才工作领导小组办公室", "中共荆门市委")}, rels


def test_units_listed_with_county_teams_won_the_organising_prize(nlp):
    text = ("荆门市首届“职工技能状元”竞赛圆满落幕\n恒岳电力有限责任公司、荆门恒岳门业有限公司、京山市代表队、"
            "钟祥市代表队荣获优秀组织奖。")
    got = {s for s, p, o in relations(nlp, text) if p == "participatedIn"}
    assert got == {"恒岳电力有限责任公司", "荆门恒岳门业有限公司"}, relations(nlp, text)


def test_the_party_centre_is_a_national_body(nlp):
    assert "党中央" in names(nlp, "认真落实党中央、国务院和市委、市政府决策部署。", "GovernmentBody")


def test_honours_written_with_wuyi_in_quotes(nlp):
    text = "柯明远是恒岳机械有限公司电工,荣获全国“五一”劳动奖章。2020年他被安徽省政府授予省“五一”劳动奖章。"
    awards = {name for _, _, name in mentions(nlp, text, "Award")}
    assert "全国五一劳动奖章" in awards, mentions(nlp, text)
    got = {o for s, p, o in relations(nlp, text) if p == "receivedAward" and s == "柯明远"}
    assert got == {"全国“五一”劳动奖章", "省“五一”劳动奖章"}, relations(nlp, text)


def test_each_of_a_bodys_officers_listed_with_their_titles(nlp):
    text = "荆门市总工会副主席柯明远、主席助理宁秀英、纪检组长祁文博、市教育工会主席宋建华等参加了活动。"
    got = {(s, o) for s, p, o in relations(nlp, text) if p == "worksFor"}
    assert {("柯明远", "荆门市总工会"), ("宁秀英", "荆门市总工会"), ("祁文博", "荆门市总工会")} <= got, got
    assert ("宋建华", "荆门市总工会") not in got


def test_a_quoted_honour_keeps_the_words_before_its_place(nlp):
    text = "省委宣传部、省总工会联合发布了100名2018年“最美湖北人·最美工匠”名单。年龄最大的是中国工艺美术大师柯明远。"
    assert {"最美湖北人·最美工匠", "中国工艺美术大师"} <= names(nlp, text, "Award"), mentions(nlp, text)


def test_joint_organisers_of_a_contest_and_its_place_after_a_declared_short_name(nlp):
    text = ("“技能报国”荆门市第四届职业技能大赛(以下简称“大赛”)12日在武汉落幕。\n"
            "据了解,大赛由湖北省总工会携手荆门市总工会、恒岳机械有限公司工会共同主办。")
    got = relations(nlp, text)
    assert {o for s, p, o in got if p == "organizedBy"} == {"湖北省总工会", "荆门市总工会", "恒岳机械有限公司工会"}, got
    assert any(p == "heldIn" and o == "武汉" for s, p, o in got), got


def test_forestry_units_under_a_named_bureau(nlp):
    text = "伊春市恒岳林业局溪水森林经营所森林资源管护中队队长柯明远获奖。大兴安岭地区恒岳林业局二十八站森林资源管护区荣获全国工人先锋号。"
    rels = relations(nlp, text)
    assert {("伊春市恒岳林业局溪水森林经营所", "subOrganizationOf", "伊春市恒岳林业局"),
            ("大兴安岭地区恒岳林业局二十八站森林资源管护区", "receivedAward", "全国工人先锋号")} <= rels, rels


def test_a_mountain_range_is_no_league_and_a_verb_no_district(nlp):
    text = "辽宁省总工会号召全省职工在振兴发展中发挥表率作用。伊春市恒岳林场小兴安岭户外运动谷旅游中心获奖。"
    assert {name for _, _, name in mentions(nlp, text, "Place")} == {"辽宁省", "伊春市", "小兴安岭"}, mentions(nlp, text)


def test_a_profile_line_under_a_name_heading_is_that_persons(nlp):
    text = ("燕赵风采\n柯明远\n用焊枪勾勒速度的“高铁裁缝”\n恒岳机车车辆有限公司机修钳工首席技师、全国劳动模范。\n"
            "扎根恒岳公司30年,柯明远完成109项革新。\n宁 秀\n在重器上雕琢精度的“智造尖兵”\n"
            "荆州恒岳通信研究院钳工院高级技能带头人,全国劳动模范、首届大国工匠年度人物。\n")
    rels = relations(nlp, text)
    assert {("柯明远", "worksFor", "恒岳机车车辆有限公司"), ("柯明远", "receivedAward", "全国劳动模范"),
            ("宁 秀", "worksFor", "荆州恒岳通信研究院"), ("宁 秀", "receivedAward", "全国劳动模范"),
            ("宁 秀", "receivedAward", "大国工匠年度人物")} <= rels, rels
    assert not any(n.startswith("扎根") for n in names(nlp, text, "Enterprise")), mentions(nlp, text)


def test_a_line_that_names_its_own_person_or_follows_prose_is_no_profile_line(nlp):
    own = "柯明远\n恒岳机车车辆有限公司董事长、全国劳动模范宁秀英。\n"
    assert ("柯明远", "receivedAward", "全国劳动模范") not in relations(nlp, own), relations(nlp, own)
    prose = "柯明远在会上发言。\n恒岳机车车辆有限公司机修钳工首席技师、全国劳动模范。\n"
    assert not any(p in ("worksFor", "receivedAward") for s, p, o in relations(nlp, prose)), relations(nlp, prose)


def test_honours_in_apposition_after_an_employer_and_post(nlp):
    text = "柯明远,恒岳重工开诚智能装备有限公司机器人研发工程师,全国劳动模范、大国工匠培育对象。"
    got = {(s, o) for s, p, o in relations(nlp, text) if p == "receivedAward"}
    assert got == {("柯明远", "全国劳动模范")}, relations(nlp, text)


def test_a_title_that_repeats_the_bodys_last_character_is_no_part_of_its_name(nlp):
    text = "省人社厅厅长祁文博表示,大赛规格最高。"
    assert ("祁文博", "worksFor", "省人社厅") in relations(nlp, text), relations(nlp, text)
    assert not any(n.endswith("厅厅") for n in names(nlp, text, "GovernmentBody")), mentions(nlp, text)


def test_a_one_character_unit_named_after_its_companys_full_name(nlp):
    text = "来自恒岳汽车有限公司荆州柴油机厂的祁文博等10人取得第一名。"
    rels = relations(nlp, text)
    assert ("恒岳汽车有限公司荆州柴油机厂", "subOrganizationOf", "恒岳汽车有限公司") in rels, rels
    assert ("祁文博", "worksFor", "恒岳汽车有限公司荆州柴油机厂") in rels, rels


def test_company_names_after_a_verb_or_adverb_start_after_it(nlp):
    text = ("被命名为“荆州工匠”的有恒岳检测服务有限公司柯明远、荆州宏图机械有限公司宁秀英。"
            "最终恒岳精密科技股份有限公司测试二部被评为先进班组。")
    found = names(nlp, text, "Enterprise")
    assert {"恒岳检测服务有限公司", "恒岳精密科技股份有限公司"} <= found, found
    assert not any(n.startswith(("有", "最终")) for n in found), found


def test_team_and_studio_titles_conferred_by_a_city(nlp):
    text = ("经评审,我市12个班组被评为“2025年荆州市创新型班组”,6个工作室被评为“2025年荆州市劳模(工匠)创新工作室”。"
            "恒岳机械有限公司流体班组等12个班组被评为“2025年荆州市创新型班组”。")
    assert {"荆州市创新型班组", "荆州市劳模(工匠)创新工作室"} <= names(nlp, text, "Award"), mentions(nlp, text)
    assert "荆州市劳动模范" not in names(nlp, text, "Award")
    assert not any(n.endswith("创新型班组") for n in names(nlp, text, "Enterprise")), mentions(nlp, text)


def test_an_honour_the_next_clause_confirms_is_the_same_persons(nlp):
    text = ("由省政府主办的第五届荆楚技能状元大赛决赛闭幕。来自恒岳汽车有限公司的柯明远等10人取得各工种第一名,"
            "被省政府授予“荆楚技能状元”荣誉称号,直接认定为“荆楚工匠”。")
    rels = relations(nlp, text)
    assert {("柯明远", "receivedAward", "荆楚技能状元"), ("柯明远", "receivedAward", "荆楚工匠"),
            ("柯明远", "participatedIn", "第五届荆楚技能状元大赛决赛")} <= rels, rels


def test_two_meetings_joined_by_ji_are_one_event(nlp):
    text = ("9月10日,荆州市产业工人队伍建设改革推进会暨荆州工匠和市工人先锋号表彰大会在荆州召开。"
            "4月28日,全市职工技能提升推进会暨劳动模范表彰大会在市会议中心召开。")
    found = names(nlp, text, "Event")
    assert found == {"荆州市产业工人队伍建设改革推进会暨荆州工匠和市工人先锋号表彰大会",
                     "全市职工技能提升推进会暨劳动模范表彰大会"}, mentions(nlp, text)
    assert ("荆州市产业工人队伍建设改革推进会暨荆州工匠和市工人先锋号表彰大会", "heldIn", "荆州") in relations(nlp, text)
    apart = "会议传达了全市职工技能提升推进会精神暨,劳动模范表彰大会的安排。"
    assert not any("暨" in n for n in names(nlp, apart, "Event")), mentions(nlp, apart)


def test_employers_by_anaphor_and_family_names(nlp):
    """集团董事长 is the group last named, not its last subsidiary; 该院 and 学校 the institution
    last named; 周家福 after a title is a name although 周家 is a word (周家庄 is a village)."""
    text = ("广东某某建设集团有限公司旗下的某某第一建筑工程有限公司承办比赛。"
            "开幕式上,集团党委书记、董事长黄耀宗宣布开幕。")
    assert ("黄耀宗", "worksFor", "广东某某建设集团有限公司") in relations(nlp, text)
    text = "天津某某医学院附属第二医院开展义诊。该院心内科主任医师、天津市劳动模范许春兰介绍。"
    assert ("许春兰", "worksFor", "天津某某医学院附属第二医院") in relations(nlp, text)
    assert names(nlp, "某某农机专业合作社理事长周家福说。", "Person") == {"周家福"}
    assert names(nlp, "他回到周家庄。", "Person") == set()


def test_team_results_take_part_in_the_reported_contest(nlp):
    contest = "山西省煤海杯煤矿职工技能大赛"
    rels = relations(nlp, f"{contest}落幕。团体总分前三名:山西某丰煤业集团有限公司、长治某源煤业有限公司。")
    assert {s for s, p, o in rels if p == "participatedIn" and o == contest} == \
        {"山西某丰煤业集团有限公司", "长治某源煤业有限公司"}
    rels = relations(nlp, f"{contest}落幕。团体总分方面,某某港口集团有限公司代表队夺得冠军,"
                          "漳州某某港务有限公司代表队、福州某某码头有限公司代表队分别获得亚军和季军。")
    assert {s for s, p, o in rels if p == "participatedIn"} == \
        {"某某港口集团有限公司", "漳州某某港务有限公司", "福州某某码头有限公司"}


def test_bodies_named_after_a_town(nlp):
    assert ("Institution", "古路镇中心卫生院", "古路镇中心卫生院") in mentions(nlp, "古路镇中心卫生院医生蒲建华介绍。")
    found = names(nlp, "颍州区某某镇农业技术推广站站长刘春燕说。", "Institution")
    assert found == {"颍州区某某镇农业技术推广站"}


def test_several_posts_before_a_name(nlp):
    rels = relations(nlp, "柳州市委常委、统战部部长、市总工会主席蓝晓明出席。")
    assert {("蓝晓明", "worksFor", "柳州市委"), ("蓝晓明", "worksFor", "市总工会")} <= rels


def test_a_unit_named_by_its_own_part_later(nlp):
    text = "上海某某海洋装备集团有限公司临港总装厂举行活动。临港总装厂厂长顾建新说。"
    found = mentions(nlp, text, "Enterprise")
    assert ("Enterprise", "临港总装厂", "上海某某海洋装备集团有限公司临港总装厂") in found
    assert ("顾建新", "worksFor", "临港总装厂") in relations(nlp, text)


def test_rule_file_errors_name_the_file_and_line(tmp_path):
    data = _data_copy(tmp_path)
    rules = data / "patterns" / "entity_rules.jsonl"
    rules.write_text('{"id": "ok", "label": "Person", "pattern": "x"}\n{not json}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"entity_rules\.jsonl:2"):
        make_nlp(data_dir=data)
    rules.write_text('{"id": "r1", "label": "Person", "pattern": "{NOPE}"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="r1"):
        make_nlp(data_dir=data)
    (data / "lexicons" / "surnames.txt").unlink()
    with pytest.raises(ValueError, match=r"surnames\.txt: data file not found"):
        make_nlp(data_dir=data)


def test_a_rule_that_needs_a_word_is_tried_only_where_the_text_holds_it(tmp_path):
    data = _data_copy(tmp_path)
    rules = data / "patterns" / "entity_rules.jsonl"
    rules.write_text('{"id": "product", "label": "Event", "pattern": "(?P<name>金鼎[\\u4e00-\\u9fff]{2}节)",'
                     ' "needs": ["开幕"]}\n', encoding="utf-8")
    nlp = make_nlp(data_dir=data)
    assert names(nlp, "第五届金鼎文化节在安远县开幕。", "Event") == {"金鼎文化节"}
    assert names(nlp, "第五届金鼎文化节在安远县举行。", "Event") == set()


def _data_copy(tmp_path):
    """An editable copy of the pipeline's data files (what an analyst would edit)."""
    import shutil

    import kg.pipeline

    src = Path(kg.pipeline.__file__).parent
    dst = tmp_path / "data"
    for sub in ("lexicons", "patterns"):
        shutil.copytree(src / sub, dst / sub)
    shutil.copy(src / "normalization.json", dst / "normalization.json")
    return dst


def test_rules_are_data_an_analyst_edits(tmp_path):
    """A new word in a word list changes what the pipeline finds, with no Python touched."""
    text = "记者从某某省总工会获悉,某某县某某厂的张三获得全国劳动模范称号。"
    before = make_nlp()(text)
    assert "某某厂" not in {m.text for m in before._.kg_mentions}
    data = _data_copy(tmp_path)
    places = data / "lexicons" / "places_extra.tsv"
    places.write_text(places.read_text(encoding="utf-8") + "某某县\tcounty\t\n", encoding="utf-8")
    after = make_nlp(data_dir=data)(text)
    found = {(m.label, m.text) for m in after._.kg_mentions}
    assert ("Place", "某某县") in found
    assert ("Enterprise", "某某县某某厂") in found


def test_every_component_declares_what_it_assigns_and_requires(nlp):
    problems = nlp.analyze_pipes(pretty=False)["problems"]
    assert all(not p for p in problems.values()), problems
    for name in nlp.pipe_names:
        meta = nlp.get_pipe_meta(name)
        assert meta.assigns, name
        if name != "kg_normalizer":
            assert meta.requires, name
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "kg.CharTokenizer.v1"


def test_pipeline_round_trips_through_to_disk_and_spacy_load(nlp, tmp_path):
    """Saved with nlp.to_disk, loaded by spacy.load in a fresh interpreter that never imports
    kg itself (the components come in through the spacy_factories entry points): the same
    mentions and relations, with the rules and word lists saved beside the pipeline."""
    import json
    import subprocess
    import sys

    text = ("2023年4月,来自某某集团有限公司的张三荣获“江西省五一劳动奖章”。"
            "由南昌市总工会主办的南昌市第二届职工职业技能大赛在南昌市举行,王五获得一等奖。")
    nlp.to_disk(tmp_path / "nlp")
    assert (tmp_path / "nlp" / "kg_entity_rules" / "patterns" / "entity_rules.jsonl").is_file()
    assert (tmp_path / "nlp" / "kg_organizations" / "lexicons" / "org_suffixes.json").is_file()
    script = (
        "import json, sys, spacy\n"
        "assert not any(m == 'kg' or m.startswith('kg.') for m in sys.modules)\n"
        f"nlp = spacy.load({str(tmp_path / 'nlp')!r})\n"
        f"doc = nlp({text!r})\n"
        "print(json.dumps([[m.start, m.end, m.label, m.name] for m in doc._.kg_mentions]"
        " + [[r.subject.name, r.predicate, r.object.name] for r in doc._.kg_relations], ensure_ascii=False))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path)
    doc = nlp(text)
    expected = [[m.start, m.end, m.label, m.name] for m in doc._.kg_mentions] \
        + [[r.subject.name, r.predicate, r.object.name] for r in doc._.kg_relations]
    assert json.loads(out.stdout) == expected
    assert any(r[1] == "receivedAward" for r in expected) and any(r[1] == "organizedBy" for r in expected)


def test_components_keep_no_document_state(nlp):
    """Two documents through one pipeline give what each gives alone."""
    a = "南昌市总工会主办的南昌市职工技能大赛在南昌市举行。张三说。"
    b = "她获得全国劳动模范称号。"
    alone = nlp(b)._.kg_relations
    nlp(a)
    assert nlp(b)._.kg_relations == alone


def test_word_alternations_match_as_the_plain_longest_first_alternation():
    import random
    import re

    from kg.pipeline.data import alternation

    rng = random.Random(5)
    alphabet = "欧阳王司马上官张三李"
    for _ in range(200):
        words = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 12))}
        plain = re.compile("|".join(sorted(words, key=lambda w: (-len(w), w))))
        trie = re.compile(alternation(words))
        text = "".join(rng.choice(alphabet + "的。") for _ in range(60))
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)], words
        assert [m.span() for m in re.finditer(f"(?={alternation(words)})", text)] == \
            [m.span() for m in re.finditer(f"(?={plain.pattern})", text)]


def test_conferral_lists_with_trades_and_several_entries_a_row(nlp):
    text = ("关于表彰某省“春风杯”职工职业技能大赛优胜选手的决定\n"
            "某省“春风杯”职工职业技能大赛在某某市举行。\n"
            "一、授予某省五一劳动奖章的选手（2名）\n"
            "钳工：任志远　某某重型机械有限公司\n"
            "二、授予“某省技术标兵”称号的选手（2名）\n"
            "电工：蒋德明　某华电机有限公司；仉春生　某丰农机有限公司\n")
    text = text.replace("某省", "河北省").replace("某某市", "唐山市")
    rels = relations(nlp, text)
    assert {(s, o) for s, p, o in rels if p == "receivedAward"} == {
        ("任志远", "河北省五一劳动奖章"), ("蒋德明", "河北省技术标兵"), ("仉春生", "河北省技术标兵")}
    assert {s for s, p, o in rels if p == "participatedIn"} == {"任志远", "蒋德明", "仉春生"}
    assert ("仉春生", "worksFor", "某丰农机有限公司") in rels
    assert ("蒋德明", "worksFor", "某华电机有限公司") in rels


def test_honourees_counted_back_to_their_honour(nlp):
    text = ("大会授予60名同志“包头市劳动模范”称号。"
            "某钢集团有限公司炼铁厂班长孟庆林、某某中学教师宋佳琪和某区农民苏和巴特尔等60人受到表彰。"
            "大会还为王立新、额尔德木图、陈晓燕等10名“包头工匠”颁发了证书。")
    rels = relations(nlp, text)
    got = {(s, o) for s, p, o in rels if p == "receivedAward"}
    assert {("孟庆林", "包头市劳动模范"), ("宋佳琪", "包头市劳动模范")} <= got
    assert {("王立新", "包头工匠"), ("额尔德木图", "包头工匠"), ("陈晓燕", "包头工匠")} <= got
    assert not any(o == "包头市劳动模范" for s, o in got if s in ("王立新", "陈晓燕"))


def test_a_pronoun_is_not_the_reporter_of_the_byline(nlp):
    text = ("来源：某某工人报　记者 唐晓梅 通讯员 周立群\n"
            "傈僳族汉子和建华守护着这些线路。2021年，他获评云南省五一劳动奖章。")
    rels = relations(nlp, text)
    assert not any(p == "receivedAward" and s in ("唐晓梅", "周立群") for s, p, o in rels)


def test_a_credit_verb_followed_by_a_conjunction_names_no_one(nlp):
    text = ("经各单位推荐、审核和公示，某市总工会决定命名某某公司装配车间为“工人先锋号”。\n"
            "编辑:和晓东　审核 马建平")
    people = names(nlp, text, "Person")
    assert "和公示" not in people
    assert {"和晓东", "马建平"} <= people


def test_results_rows_with_the_unit_before_the_winner(nlp):
    text = ("沧州市第三届“某某杯”职工职业技能大赛于5月在沧州市举行。现将获奖名单公布如下（格式：奖次｜单位｜选手）。\n\n"
            "◆ 焊工\n金奖｜某某电缆有限公司｜郑海波\n银奖｜某某机械制造有限公司结构件分厂｜付春明（女）\n\n"
            "◆ 团体奖\n团体银奖｜献县总工会代表队、泊头市总工会代表队")
    rels = relations(nlp, text)
    contest = "沧州市第三届“某某杯”职工职业技能大赛"
    assert {("郑海波", "worksFor", "某某电缆有限公司"), ("付春明", "worksFor", "某某机械制造有限公司结构件分厂"),
            ("郑海波", "participatedIn", contest), ("付春明", "participatedIn", contest),
            ("献县总工会", "participatedIn", contest), ("泊头市总工会", "participatedIn", contest)} <= rels


def test_a_comma_separated_table_under_an_honour_list(nlp):
    text = ("附件\n\n2026年度“宁德市技术能手”名单\n\n序号,姓名,性别,民族,工作单位,工种\n"
            "1,陈立峰,男,汉族,某某重工机械有限公司,钳工\n2,雷春明,男,畲族,某某种苗有限公司,林木种苗工")
    rels = relations(nlp, text)
    assert {("陈立峰", "worksFor", "某某重工机械有限公司"), ("雷春明", "worksFor", "某某种苗有限公司"),
            ("陈立峰", "receivedAward", "宁德市技术能手"), ("雷春明", "receivedAward", "宁德市技术能手")} <= rels


def test_a_county_written_short_after_its_province_heads_a_company_name(nlp):
    orgs = names(nlp, "获奖者来自福建将乐某源种苗有限公司和将乐县颐养院。", "Enterprise") \
        | names(nlp, "获奖者来自福建将乐某源种苗有限公司和将乐县颐养院。", "Institution")
    assert {"福建将乐某源种苗有限公司", "将乐县颐养院"} <= orgs
    assert not names(nlp, "从江苏省来的某某公司代表", "Place") & {"从江"}


def test_a_studio_named_after_its_leader_at_the_company_that_hosts_it(nlp):
    text = ("代表们走进浙江某某青瓷有限公司（以下简称“某某青瓷”）叶春华劳模创新工作室，现场观摩。"
            "随后，观摩团来到遂昌县某某精密机械有限公司，参观了由钟立强领衔的“匠青”技能大师工作室。")
    rels = relations(nlp, text)
    assert ("叶春华", "worksFor", "浙江某某青瓷有限公司") in rels
    assert ("钟立强", "worksFor", "遂昌县某某精密机械有限公司") in rels
    assert ("钟立强", "leads", "“匠青”技能大师工作室") in rels


def test_a_scope_word_heads_an_event_named_by_its_kind(nlp):
    text = "4月17日，由丽水市总工会主办的全市劳模工匠创新工作室观摩交流活动在龙泉市举行。"
    event = "全市劳模工匠创新工作室观摩交流活动"
    assert event in names(nlp, text, "Event")
    rels = relations(nlp, text)
    assert {(event, "organizedBy", "丽水市总工会"), (event, "heldIn", "龙泉市")} <= rels
    text = "4月27日，六安市总工会在金安区召开全市“五一”劳模工匠座谈会。"
    event = "全市“五一”劳模工匠座谈会"
    assert event in names(nlp, text, "Event")
    assert {(event, "organizedBy", "六安市总工会"), (event, "heldIn", "金安区")} <= relations(nlp, text)


def test_except_before_a_unit_is_no_part_of_its_name(nlp):
    assert "黄陵煤矿" in names(nlp, "某某能源除黄陵煤矿外，在子长市还建有子长选煤厂。", "Enterprise")


def test_an_honour_list_grouped_under_counted_headings(nlp):
    text = ("张发〔2026〕6号\n\n一、湘西州劳动模范（3名，按县市排列）\n\n【州直单位】（1名）\n"
            "彭小梅（女，土家族）　湘西州某某医院护士长\n\n【吉首市】（2名）\n向　明（土家族）　　　某某旅游服务有限公司经理\n"
            "黎志华　　　　　　　　吉首市环境卫生服务中心队长\n\n二、湘西州模范集体（3个）\n\n湘西州某某医院急诊科\n"
            "某某旅游服务有限公司导游部\n泸溪县消防救援大队浦市消防救援站")
    got = {(s, o) for s, p, o in relations(nlp, text) if p == "receivedAward"}
    assert {("彭小梅", "湘西州劳动模范"), ("黎志华", "湘西州劳动模范"),
            ("泸溪县消防救援大队浦市消防救援站", "湘西州模范集体")} <= got
    assert any(s.replace(" ", "") == "向明" and o == "湘西州劳动模范" for s, o in got)
    assert "张发" not in names(nlp, text, "Person")


def test_a_word_the_dictionary_tags_as_a_name_is_no_person_after_its_context(nlp):
    text = "把党和政府的关怀送到职工心坎上。某某公司的张立伟介绍了经验。"
    people = names(nlp, text, "Person")
    assert "关怀" not in people
    assert "张立伟" in people


def test_a_job_before_a_name_with_a_dot_and_a_mongolian_name_after_a_title(nlp):
    text = ("来自某某社区卫生服务中心的面点师杜拉尔·春花获得中式面点项目一等奖。"
            "呼伦贝尔市总工会常务副主席乌兰托娅（女）宣读了比赛成绩。")
    people = names(nlp, text, "Person")
    assert {"杜拉尔·春花", "乌兰托娅"} <= people
    assert not people & {"面点师杜拉尔·春花", "乌兰托"}


def test_a_company_said_to_be_a_subsidiary_or_held_by_a_group(nlp):
    text = ("信阳某某输变电工程有限公司（以下简称“某某输变电”）成立于2004年。某某输变电是河南某某建设集团有限公司的全资子公司。"
            "延安某某能源有限公司是陕西某某投资集团有限公司控股的煤炭企业。某某机械有限公司是一家民营企业。")
    rels = relations(nlp, text)
    assert ("信阳某某输变电工程有限公司", "subOrganizationOf", "河南某某建设集团有限公司") in rels \
        or ("某某输变电", "subOrganizationOf", "河南某某建设集团有限公司") in rels
    assert ("延安某某能源有限公司", "subOrganizationOf", "陕西某某投资集团有限公司") in rels
    assert not any(s == "某某机械有限公司" and p == "subOrganizationOf" for s, p, o in rels)


def test_an_organisation_chart_drawn_in_text(nlp):
    text = ("【组织机构图】\n某某集团工会委员会\n└─ 基层分工会\n"
            "　　├─ 瓮安分公司分工会（主席：王启明）\n　　└─ 都匀物流中心分工会（主席：蒙　芳，女，布依族）")
    rels = relations(nlp, text)
    assert ("王启明", "worksFor", "瓮安分公司分工会") in rels
    assert any(s.replace(" ", "") == "蒙芳" and p == "worksFor" and o == "都匀物流中心分工会" for s, p, o in rels)
    assert not any("─" in m[1] or "├" in m[1] for m in mentions(nlp, text))


def test_results_under_trade_sections_and_rank_headings(nlp):
    text = ("通化市第三届“某某杯”职工职业技能大赛于10月在通化举行。现将获奖名单公布如下：\n\n【电工】\n第一名\n"
            "　　恩和（某某换热装备有限公司）\n第二名\n　　舒雅丽（女）（某某电力工程有限公司运维中心）\n\n【焊工】\n第三名\n"
            "　　孙文亮、尹雪松（并列，均为某某重型机械有限公司）\n\n【中式烹调师】\n第一名\n　　赵春梅（女，朝鲜族）（某某饭店）\n\n"
            "【团体奖】\n团体第一名　柳河县总工会代表队")
    rels = relations(nlp, text)
    contest = "通化市第三届“某某杯”职工职业技能大赛"
    for person in ("恩和", "舒雅丽", "孙文亮", "尹雪松", "赵春梅"):
        assert (person, "participatedIn", contest) in rels, person
    assert {("恩和", "worksFor", "某某换热装备有限公司"), ("舒雅丽", "worksFor", "某某电力工程有限公司运维中心"),
            ("孙文亮", "worksFor", "某某重型机械有限公司"), ("尹雪松", "worksFor", "某某重型机械有限公司"),
            ("柳河县总工会", "participatedIn", contest)} <= rels


def test_a_note_in_parentheses_names_the_last_persons_employer_only(nlp):
    text = "副主席：古丽米拉·吐尔逊（女，维吾尔族）、钟海林、叶尔兰·哈力别克（兼职，哈萨克族，某某煤电有限公司工会主席）"
    rels = relations(nlp, text)
    assert ("叶尔兰·哈力别克", "worksFor", "某某煤电有限公司") in rels
    assert not any(s == "钟海林" and o.startswith("某某煤电") for s, p, o in rels)


def test_a_page_list_ends_at_the_next_bracketed_section(nlp):
    text = ("【公司领导】\n董事长：张立群\n总经理：李红梅\n\n【内设机构】\n办公室　　　　主任：付雪琴")
    rels = relations(nlp, text)
    assert not any(s == "付雪琴" and p == "worksFor" for s, p, o in rels if o != "办公室")


def test_a_list_under_a_ceremony_gives_no_contest_participants(nlp):
    text = ("4月28日，玉树藏族自治州庆祝“五一”国际劳动节劳模座谈会在玉树市召开。\n\n【获奖名单】\n"
            "才仁卓嘎　扎西尼玛　索南多杰")
    assert not any(p == "participatedIn" for s, p, o in relations(nlp, text))


def test_a_tab_separated_results_table_and_joint_organisers(nlp):
    text = ("2025年11月，聊城市总工会、聊城市人力资源和社会保障局联合举办聊城市第三届职工职业技能大赛。\n\n"
            "聊城市第三届职工职业技能大赛获奖名单\n\n一、个人奖（各项目第一名）\n\n序号\t项目\t名次\t姓名\t性别\t工作单位\n"
            "1\t电工\t第一名\t刘卫军\t男\t某某电气设备有限公司\n2\t育婴员\t第一名\t王　芳\t女\t某某家政服务有限公司\n\n"
            "二、团体奖\n\n名次      代表队                    领队\n第一名    冠县总工会代表队        苏振民\n"
            "第二名    莘县总工会代表队        孟庆兰（女）")
    rels = relations(nlp, text)
    contest = "聊城市第三届职工职业技能大赛"
    assert {(contest, "organizedBy", "聊城市总工会"), (contest, "organizedBy", "聊城市人力资源和社会保障局"),
            ("刘卫军", "participatedIn", contest), ("刘卫军", "worksFor", "某某电气设备有限公司"),
            ("冠县总工会", "participatedIn", contest), ("莘县总工会", "participatedIn", contest)} <= rels
    assert any(s.replace(" ", "") == "王芳" and o == "某某家政服务有限公司" for s, p, o in rels)


def test_a_leaders_page_with_an_indented_account_under_each_name(nlp):
    text = ("固原市总工会\n【工会简介】\n固原市总工会是全市各级工会组织的领导机关。\n\n【领导简介】\n"
            "马建军　党组书记、主席\n　　男，回族，1971年6月生，大学学历。曾任某区委副书记。\n\n"
            "李淑英　党组成员、副主席\n　　女，汉族，1976年3月生，研究生学历。分管女职工工作。\n\n"
            "丁　媛　副主席（兼职）\n　　女，回族，1982年8月生。\n\n【工作职责】\n指导县（区）总工会工作。\n\n联系地址：固原市原州区")
    rels = relations(nlp, text)
    assert {("马建军", "worksFor", "固原市总工会"), ("李淑英", "worksFor", "固原市总工会")} <= rels
    assert any(s.replace(" ", "") == "丁媛" and p == "worksFor" and o == "固原市总工会" for s, p, o in rels)


def test_an_official_announcing_or_attending_is_no_part_of_a_name(nlp):
    text = "张家口市人民政府副市长段立民宣布竞赛启动。崇礼区区长包国华出席仪式。"
    found = mentions(nlp, text)
    assert not any(label in ("Competition", "Event") for label, _, _ in found)
    assert {"段立民", "包国华"} <= names(nlp, text, "Person")


def test_a_tibetan_name_before_its_people_in_parentheses(nlp):
    text = "刚察县公路段养护工更登（藏族）被授予“青海省五一劳动奖章”。某某站站长完么加（藏族）被评为“青海省最美职工”。"
    people = names(nlp, text, "Person")
    assert {"更登", "完么加"} <= people
    assert ("更登", "receivedAward", "青海省五一劳动奖章") in relations(nlp, text)


def test_youth_league_bodies_and_venues_after_a_date(nlp):
    text = ("由吉林省总工会、共青团吉林省委联合主办，某某学校承办的吉林省“长白杯”焊工职业技能竞赛，"
            "于9月12日至14日在长春市绿园区举行。")
    assert ("GovernmentBody", "共青团吉林省委", "共青团吉林省委") in mentions(nlp, text)
    rels = relations(nlp, text)
    contest = "吉林省“长白杯”焊工职业技能竞赛"
    assert (contest, "organizedBy", "共青团吉林省委") in rels
    assert (contest, "heldIn", "绿园区") in rels
    text = "吉林省第五届职工职业技能大赛汽车维修工项目决赛在延边州延吉市举行。"
    assert ("吉林省第五届职工职业技能大赛", "heldIn", "延吉市") in relations(nlp, text)


def test_dotted_names_end_before_a_result_and_titles_are_no_names(nlp):
    assert names(nlp, "某某棉业有限公司的阿依古丽·阿不都热合曼分获第二名。", "Person") == {"阿依古丽·阿不都热合曼"}
    assert names(nlp, "某某建设有限公司的买买提·吐尔逊分别获得焊工项目第一名。", "Person") == {"买买提·吐尔逊"}
    assert names(nlp, "“中国工人大思政课·河南篇”开讲。", "Person") == set()


def test_autonomous_prefectures_by_their_short_name_and_state(nlp):
    assert "临夏州" in names(nlp, "临夏州某县人民医院医生马晓燕说。", "Place")
    assert ("延吉市", "locatedIn", "延边州") in relations(nlp, "决赛在延边州延吉市举行。")


def test_results_lists_with_sections_team_and_individual_prizes(nlp):
    contest = "吉林省“长白杯”焊工职业技能竞赛"
    text = (f"由吉林省总工会主办的{contest}在长春、吉林两地举行。现将获奖名单公布如下。\n\n"
            "一、团体奖\n第一名：某某重工有限公司\n第二名：某丰机械有限公司\n\n"
            "二、个人奖（职工组）\n一等奖：\n高振华　某某重工有限公司\n二等奖：\n邹文静　某丰机械有限公司\n")
    rels = relations(nlp, text)
    assert {s for s, p, o in rels if p == "participatedIn" and o == contest} == \
        {"某某重工有限公司", "某丰机械有限公司", "高振华", "邹文静"}
    assert {o for s, p, o in rels if p == "heldIn" and s == contest} == {"长春", "吉林"}


def test_posts_parted_by_commas_or_held_concurrently_before_a_name(nlp):
    rels = relations(nlp, "市委常委、统战部部长，市总工会主席韦国栋出席会议。")
    assert {("韦国栋", "worksFor", "市委"), ("韦国栋", "worksFor", "市总工会")} <= rels
    rels = relations(nlp, "市人大常委会副主任、市总工会副主席（兼）邹庆林出席。")
    assert {("邹庆林", "worksFor", "市人大常委会"), ("邹庆林", "worksFor", "市总工会")} <= rels


def test_an_employer_named_after_is_does_not_take_the_honour(nlp):
    rels = relations(nlp, "其中，宝音是某某能源集团有限公司的一名采煤机司机，曾获“内蒙古自治区五一劳动奖章”。")
    assert not any(p == "receivedAward" and s == "某某能源集团有限公司" for s, p, o in rels)


def test_departments_of_a_named_body(nlp):
    rels = relations(nlp, "市总工会权益保障部部长王红说。")
    assert ("市总工会权益保障部", "subOrganizationOf", "市总工会") in rels
    assert ("王红", "worksFor", "市总工会权益保障部") in rels
    rels = relations(nlp, "林　峰　某某燃气集团有限公司管网运行部抢修班班长\n")
    assert ("某某燃气集团有限公司管网运行部", "subOrganizationOf", "某某燃气集团有限公司") in rels
    assert names(nlp, "公司技术部负责人说。", "Enterprise") == set()


def test_a_studio_named_after_its_leader_and_its_specialty(nlp):
    found = mentions(nlp, "公司“詹秀梅数控创新工作室”获评全国示范性劳模和工匠人才创新工作室。")
    assert ("Person", "詹秀梅", "詹秀梅") in found
    assert ("Studio", "詹秀梅数控创新工作室", "詹秀梅数控创新工作室") in found
    assert ("詹秀梅", "leads", "詹秀梅数控创新工作室") in relations(nlp, "公司“詹秀梅数控创新工作室”成立。")
    assert ("Studio", "张建国劳模创新工作室", "张建国劳模创新工作室") in mentions(nlp, "市总工会为张建国劳模创新工作室授牌。")


def test_a_body_named_after_its_town_is_in_that_town(nlp):
    assert ("龙兴镇总工会", "locatedIn", "龙兴镇") in relations(nlp, "龙兴镇总工会主席王强说。")
    assert ("古路镇中心卫生院", "locatedIn", "古路镇") in relations(nlp, "古路镇中心卫生院医生蒲建华介绍。")
    assert names(nlp, "各乡镇总工会要加强指导。", "Place") == set()


def test_the_whole_company_is_no_company(nlp):
    assert names(nlp, "班组承担着全公司近四成阴极铜的生产任务。", "Enterprise") == set()
    assert names(nlp, "他带领整个集团渡过难关。", "Enterprise") == set()
    assert names(nlp, "中煤安全公司成立。", "Enterprise") == {"中煤安全公司"}


def test_a_studio_list_row_names_its_leader_and_employer(nlp):
    text = "3.高志远工匠人才创新工作室 领衔人：高志远 淄博某某精密仪器有限公司研发中心高级工程师\n"
    assert "高志远" in names(nlp, text, "Person")
    assert ("高志远", "worksFor", "淄博某某精密仪器有限公司研发中心") in relations(nlp, text)


def test_departments_that_are_a_whole_name(nlp):
    rels = relations(nlp, "请向芜湖市总工会劳动和经济工作部反映。")
    assert ("芜湖市总工会劳动和经济工作部", "subOrganizationOf", "芜湖市总工会") in rels
    rels = relations(nlp, "兰州某宁康复医院骨科主任李强说。")
    assert ("兰州某宁康复医院骨科", "subOrganizationOf", "兰州某宁康复医院") in rels
    assert ("李强", "worksFor", "兰州某宁康复医院骨科") in rels
    assert not any(p == "locatedIn" and s == "兰州某宁康复医院骨科" for s, p, o in rels)
    assert names(nlp, "淄博某康骨科医院护士孙丽娜说。", "Institution") == {"淄博某康骨科医院"}


def test_an_autonomous_regions_bodies_and_the_event_of_a_contest_referred_back(nlp):
    text = ("宁夏回族自治区第三届职工职业技能大赛光伏运维项目决赛在银川举行。"
            "该项目由自治区总工会、自治区供销合作社联合社主办，银川市总工会承办。")
    assert ("GovernmentBody", "自治区供销合作社联合社", "自治区供销合作社联合社") in mentions(nlp, text)
    rels = relations(nlp, text)
    contest = "宁夏回族自治区第三届职工职业技能大赛"
    assert {o for s, p, o in rels if p == "organizedBy" and s == contest} == \
        {"自治区总工会", "自治区供销合作社联合社", "银川市总工会"}
    assert names(nlp, "某某县农机专业合作社理事长张三说。", "Enterprise") == {"某某县农机专业合作社"}


def test_people_who_won_in_a_contest_of_a_given_year(nlp):
    rels = relations(nlp, "徒弟孙浩然、彭　丽在2024年全国铁路行业焊工职业技能竞赛中双双获得银奖。")
    assert {s for s, p, o in rels if p == "participatedIn"} == {"孙浩然", "彭 丽"}
    rels = relations(nlp, "工作室成员、90后电工韩晓东在2024年上海市职工职业技能竞赛中分获船舶电工项目第二名。")
    assert ("韩晓东", "participatedIn", "上海市职工职业技能竞赛") in rels


def test_a_training_course_is_no_team(nlp):
    found = mentions(nlp, "2025年全省基层工会主席示范培训班在雄安新区开班。")
    assert not any(label in ("TradeUnion", "Enterprise") for label, _, _ in found)
    assert ("TradeUnion", "某某公司工会", "某某公司工会") not in found
    assert "某某公司三号机组检修班" in names(nlp, "某某公司三号机组检修班班长王强说。", "Enterprise")


def test_a_branded_contest_named_in_full_is_not_its_longer_sibling(nlp):
    text = ("2026年度的河北省“燕赵杯”劳动和技能竞赛正式拉开帷幕。"
            "此前，河北省“燕赵杯”港口物流项目职工职业技能竞赛圆满落幕。“燕赵杯”竞赛让她看到了差距。")
    found = {(m[1], m[2]) for m in mentions(nlp, text, "Competition")}
    assert ("河北省“燕赵杯”劳动和技能竞赛", "河北省燕赵杯劳动和技能竞赛") in found
    assert ("河北省“燕赵杯”港口物流项目职工职业技能竞赛", "河北省燕赵杯港口物流项目职工职业技能竞赛") in found


def test_short_forms_of_a_branded_contest_still_name_it(nlp):
    text = ("第三届“冀中杯”装配式建筑职工技能大赛在保定举行。河北省第三届“冀中杯”装配式建筑职工职业技能大赛"
            "由省总工会主办。辽宁省“振兴杯”竞赛组委会发布通知。")
    found = {m[1]: m[2] for m in mentions(nlp, text, "Competition")}
    assert found["第三届“冀中杯”装配式建筑职工技能大赛"] == "河北省第三届冀中杯装配式建筑职工职业技能大赛"
    text = "“志远杯”技能竞赛落幕。佛山市“志远杯”制冷设备维修工职业技能大赛由市总工会主办。"
    found = {m[1]: m[2] for m in mentions(nlp, text, "Competition")}
    assert found["“志远杯”技能竞赛"] == "佛山市志远杯制冷设备维修工职业技能大赛"


def test_found_words_are_the_matches_of_their_alternation():
    import random
    import re

    from kg.pipeline.data import alternation, find_words

    rng = random.Random(3)
    for _ in range(300):
        alphabet = "甲乙丙丁"
        words = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 6))}
        text = "".join(rng.choice(alphabet + "，") for _ in range(rng.randint(0, 40)))
        assert find_words(text, words) == [m.span() for m in re.finditer(alternation(words), text)], (words, text)
    assert find_words("王小明、王小明说", ["王小明", "王小"]) == [(0, 3), (4, 7)]
    assert find_words("任何文字", []) == []


def test_required_characters_are_read_off_the_pattern():
    import re

    from kg.pipeline.data import required_characters

    def gate(pattern):
        found = required_characters(re.compile(pattern))
        return found and found.pattern

    assert gate("(?<![甲乙])(?P<name>[张王] [一二])") == "[\\ ]"
    assert gate("(?:授予|颁发)称号") in ("[号]", "[称]")
    assert gate("(?=的)甲|乙") == "[乙的]"
    assert gate("\\d+年") == "[年]"
    assert gate("(?:奖|)章?") is None  # nothing is demanded: an empty match anywhere
    assert gate("[^甲]乙") == "[乙]"
    assert gate("(?i)a") is None
    assert gate("(?!x)y") == "[y]"
    assert gate("x{0,3}") is None and gate("x{2,3}") == "[x]"
    slot = "⟦\\d+:Person⟧获得⟦\\d+:Award⟧"
    assert required_characters(re.compile(slot)).pattern == "[⟦]"
    assert required_characters(re.compile(slot), weak="⟦⟧:0123456789PersonAwd").pattern == "[获]"


def test_entity_rules_skip_only_texts_their_regex_cannot_match(nlp):
    import random

    rules = [r for r in nlp.get_pipe("kg_entity_rules").rules if r["kind"] == "regex"]
    gated = [r for r in rules if r.get("gate") is not None]
    assert len(gated) >= len(rules) * 2 // 3  # most rules demand a character: the gate is built
    data = Path(__file__).parent / "data"
    texts = [p.read_text(encoding="utf-8") for folder in ("articles", "real-styles/articles")
             for p in sorted((data / folder).glob("*.txt"))]
    rng = random.Random(11)
    texts += ["".join(rng.sample(t, len(t))) for t in texts[:20]]  # shuffled: other contexts
    hits = 0
    for rule in gated:
        for text in texts:
            if rule["regex"].search(text):
                hits += 1
                assert rule["gate"].search(text), (rule["id"], text[:40])
    assert hits > 300


def test_relation_templates_skip_only_sentences_they_cannot_match(nlp):
    from kg.pipeline.index import MentionIndex

    component = nlp.get_pipe("kg_relation_rules")
    gated = [r for r in component.rules if r.gate is not None and not r.gate.pattern.startswith("[⟦")]
    assert len(gated) >= len(component.rules) * 3 // 4
    data = Path(__file__).parent / "data"
    slotted = []
    for path in sorted((data / "real-styles/articles").glob("*.txt"))[::3]:
        doc = nlp(path.read_text(encoding="utf-8"))
        index = MentionIndex(doc._.kg_mentions)
        slotted += [component._slot_wide(doc._.kg_text, sent, index.within(sent.start, sent.end))[0]
                    for sent in doc._.kg_sentences]
    hits = 0
    for rule in gated:
        for sentence in slotted:
            if rule.regex.search(sentence):
                hits += 1
                assert rule.gate.search(sentence), (rule.id, sentence)
    assert hits > 100


def test_pictograph_test_finds_every_other_symbol():
    import unicodedata

    from kg.pipeline.slots import _MAYBE_SYMBOL, blank_bullets

    missed = [hex(i) for i in range(0x110000) if unicodedata.category(chr(i)) == "So"
              and not _MAYBE_SYMBOL.match(chr(i))]
    assert missed == []
    assert blank_bullets("▶⟦0:Person⟧　某公司") == " ⟦0:Person⟧　某公司"
    assert blank_bullets("🏅⟦0:Person⟧") == " ⟦0:Person⟧"  # beyond the BMP
    assert blank_bullets("◆ 焊工⟦0:Person⟧") == "◆ 焊工⟦0:Person⟧"


def test_results_rows_under_trade_headings_with_the_prize_before_the_name(nlp):
    contest = "湘潭市“莲城杯”机械行业职工技能竞赛"
    text = (f"{contest}在岳塘区举行。现将获奖名单公布如下：\n\n一、个人奖\n\n（一）钳工\n"
            "一等奖　罗建平　湘潭鑫达机械有限公司\n二等奖　邬　敏　湘潭华科电机有限公司\n\n"
            "（二）电工\n一等奖　牛晓东　湘潭华科电机有限公司\n\n"
            "二、团体奖\n\n一等奖　湘潭鑫达机械有限公司代表队\n二等奖　湘潭华科电机有限公司代表队\n")
    rels = relations(nlp, text)
    assert {s for s, p, o in rels if p == "participatedIn" and o == contest} == \
        {"罗建平", "邬 敏", "牛晓东", "湘潭鑫达机械有限公司", "湘潭华科电机有限公司"}
    # a prize grade at the start of a line is not the honour of the company on the line before
    assert not [m for m in names(nlp, text, "Award") if "公司" in m]


def test_a_word_ending_in_he_inside_a_company_name_is_no_conjunction(nlp):
    text = "授予烟台中和电子科技有限公司、威海永和船舶配件有限公司和某某公司“先进单位”称号。"
    found = names(nlp, text, "Enterprise")
    assert {"烟台中和电子科技有限公司", "威海永和船舶配件有限公司"} <= found
    assert not {"电子科技有限公司", "船舶配件有限公司"} & found


def test_units_named_as_stations_branches_and_crews_of_a_named_company(nlp):
    text = ("韩立新　成都快驿同城配送有限公司金牛站点站长\n"
            "郁小川　西宁雪域速递有限公司城北分部快递员\n"
            "厦门某某港务有限公司东渡码头分公司岸桥操作队\n")
    found = names(nlp, text, "Enterprise")
    assert {"成都快驿同城配送有限公司金牛站点", "西宁雪域速递有限公司城北分部",
            "厦门某某港务有限公司东渡码头分公司"} <= found
    assert "厦门某某港务有限公司东渡码头" not in found  # 码头分公司 is one unit
    rels = relations(nlp, text)
    assert ("韩立新", "worksFor", "成都快驿同城配送有限公司金牛站点") in rels
    assert ("西宁雪域速递有限公司城北分部", "subOrganizationOf", "西宁雪域速递有限公司") in rels


def test_a_table_row_ending_in_a_person_and_the_unit_they_work_for(nlp):
    text = ("序号　工作室名称　领衔人　所在单位\n"
            "1　蔺晓峰焊接技术创新工作室　蔺晓峰　太原晋泰重工有限公司\n"
            "2　数字财务创新工作室　宓文静　大同市云冈区康宁护理院\n")
    rels = relations(nlp, text)
    assert ("蔺晓峰", "worksFor", "太原晋泰重工有限公司") in rels
    assert ("宓文静", "worksFor", "大同市云冈区康宁护理院") in rels


def test_a_short_name_declared_inside_a_contest_name_is_not_part_of_its_name(nlp):
    doc = nlp("10月25日，中国某某电力建设集团有限公司（以下简称“集团公司”）第六届职工职业技能大赛在江门举行。")
    contests = [m for m in doc._.kg_mentions if m.label == "Competition"]
    assert [m.name for m in contests] == ["中国某某电力建设集团有限公司第六届职工职业技能大赛"]


def test_a_town_named_as_a_county_is_a_town(nlp):
    found = names(nlp, "县总工会工作人员深入大埔镇、东泉镇，走访慰问困难职工。", "Place")
    assert {"大埔镇", "东泉镇"} <= found and "大埔" not in found
    assert "江西乡" not in names(nlp, "助力江西乡村振兴。", "Place")


def test_verbs_before_a_name_are_not_part_of_it(nlp):
    text = ("会上，祁立新要求集团各单位抓好安全生产；该班组连续三年保持集团第一。"
            "公司总部位于长春汽车经济技术开发区。竞赛由自治区发展和改革委员会指导。")
    orgs = names(nlp, text, "Enterprise") | names(nlp, text, "GovernmentBody")
    assert not [o for o in orgs if "要求" in o or "保持" in o]
    assert "自治区发展和改革委员会" in orgs
    assert "长春汽车经济技术开发区" in names(nlp, text, "Place")


def test_rarer_surnames_of_the_north(nlp):
    found = names(nlp, "河北工人报讯（记者 郄立军 通讯员 籍海涛）6月12日，竞赛在某某管业有限公司举行。", "Person")
    assert {"郄立军", "籍海涛"} <= found


def test_departments_named_whole_after_their_company_and_a_project_company_is_no_programme(nlp):
    text = ("旦增次仁　拉萨某某高原科技有限公司生产部经理\n"
            "慰问组来到位于丽泽金融商务区的北京某某城建工程有限公司丽泽项目部。")
    assert ("拉萨某某高原科技有限公司生产部", "subOrganizationOf", "拉萨某某高原科技有限公司") in relations(nlp, text)
    assert "北京某某城建工程有限公司" in names(nlp, text, "Enterprise")
    assert not names(nlp, text, "Program")
    assert "丽泽金融商务区" in names(nlp, text, "Place")


def test_a_contest_named_after_a_declared_short_name_is_the_full_names_contest(nlp):
    text = ("集团公司第三届职工职业技能大赛决赛落幕\n\n"
            "9月2日，中国某某能源集团有限公司（以下简称“集团公司”）第三届职工职业技能大赛决赛在太原举行。")
    contests = {m.text: m.name for m in nlp(text)._.kg_mentions if m.label == "Competition"}
    assert "集团公司第三届职工职业技能大赛决赛" in contests
    assert set(contests.values()) == {"中国某某能源集团有限公司第三届职工职业技能大赛"}


def test_a_person_who_is_an_honours_holder(nlp):
    rels = relations(nlp, "牛建国是“三晋工匠”、山西省劳动模范，他带出了一支技术过硬的团队。"
                          "武海峰是全国五一劳动奖章获得者。")
    assert {o for s, p, o in rels if p == "receivedAward" and s == "牛建国"} == {"三晋工匠", "山西省劳动模范"}
    assert ("武海峰", "receivedAward", "全国五一劳动奖章") in rels


def test_a_company_belonging_to_a_group(nlp):
    rels = relations(nlp, "中国某某航运集团有限公司（以下简称“某某集团”）所属某某船舶修造（湛江）有限公司荣获全国五一劳动奖状。")
    assert ("某某船舶修造(湛江)有限公司", "subOrganizationOf", "中国某某航运集团有限公司") in rels


def test_main_organisers_hosts_and_co_organisers_of_a_contest(nlp):
    contest = "第四届岳阳市“巴陵杯”职工职业技能大赛"
    text = (f"{contest}在岳阳举行。本届大赛由岳阳市总工会、岳阳市经济和信息化局联合主办，"
            "岳阳某某职业技术学院承办，岳阳某某机械有限公司、湖南某某电气有限公司协办。")
    organisers = {o for s, p, o in relations(nlp, text) if p == "organizedBy" and s == contest}
    assert {"岳阳市总工会", "岳阳市经济和信息化局", "岳阳某某机械有限公司", "湖南某某电气有限公司"} <= organisers


def test_a_stop_word_inside_a_three_character_noun_is_no_stop(nlp):
    found = names(nlp, "授予某某机车股份有限公司转向架分厂焊接二班“工人先锋号”。", "Enterprise")
    assert "某某机车股份有限公司转向架分厂焊接二班" in found
    assert not [n for n in found if n.startswith("架")]


def test_county_and_city_bureaus_named_short(nlp):
    found = names(nlp, "县总工会联合县司法局、市医保局开展法律援助和医疗救助。", "GovernmentBody")
    assert {"县司法局", "市医保局"} <= found


def test_employers_in_bar_separated_tables_and_after_a_gender_note(nlp):
    text = ("序号｜姓名｜工作单位｜职务\n1｜邝志伟｜厦门某某装卸有限公司｜门机司机\n"
            "铆工项目：阮春燕（女，中江县某某钢结构工程有限公司）")
    rels = relations(nlp, text)
    assert ("邝志伟", "worksFor", "厦门某某装卸有限公司") in rels
    assert ("阮春燕", "worksFor", "中江县某某钢结构工程有限公司") in rels


def test_only_a_declaration_is_left_out_of_a_name():
    from kg.names import clean_name

    assert clean_name("某某集团有限公司（以下简称“集团公司”）第六届大赛") == "某某集团有限公司第六届大赛"
    assert clean_name("某某(称号)评选") == "某某(称号)评选"


def test_organisers_listed_under_role_headings_belong_to_the_contest_of_the_report(nlp):
    contest = "第二届岳阳市“春晓杯”职工职业技能大赛"
    text = (f"{contest}在岳阳某某职业技术学院举行。\n\n"
            "主办单位：岳阳市总工会\n"
            "　　　　　岳阳市人力资源和社会保障局\n"
            "承办单位：\n"
            "岳阳市职工技术协会\n"
            "岳阳华景电气有限公司\n\n"
            "比赛设电工、焊工两个项目，共有86名选手参赛。")
    organisers = {o for s, p, o in relations(nlp, text) if p == "organizedBy" and s == contest}
    assert organisers == {"岳阳市总工会", "岳阳市人力资源和社会保障局", "岳阳市职工技术协会", "岳阳华景电气有限公司"}


def test_result_rows_of_trade_employer_and_winner(nlp):
    contest = "第三届襄阳市职工职业技能大赛"
    text = (f"{contest}在襄阳市闭幕。\n\n经过激烈角逐，各工种第一名分别是：\n"
            "数控车工　襄阳恒远精密机械有限公司　邬明轩\n"
            "电工　谷城县华能电力安装工程有限公司　蔺　涛\n\n"
            "各工种前三名由市人社局授予称号。")
    rels = relations(nlp, text)
    assert ("邬明轩", "worksFor", "襄阳恒远精密机械有限公司") in rels
    assert ("邬明轩", "participatedIn", contest) in rels
    assert ("蔺 涛", "worksFor", "谷城县华能电力安装工程有限公司") in rels
    assert ("蔺 涛", "participatedIn", contest) in rels


def test_a_studio_table_row_gives_the_leaders_employer(nlp):
    text = ("序号｜工作室名称｜领衔人｜所在单位\n"
            "1｜郑成林劳模创新工作室｜郑成林｜南通远瀚船舶重工有限公司\n")
    rels = relations(nlp, text)
    assert ("郑成林", "worksFor", "南通远瀚船舶重工有限公司") in rels
    assert ("郑成林", "leads", "郑成林劳模创新工作室") in rels


def test_a_marked_entry_and_its_unit_row(nlp):
    text = ("现将他们的事迹简介如下：\n\n▲龙海波（苗族）\n单位：盘州市恒达煤业有限公司\n岗位：综采队队长\n"
            "从事井下综采工作24年。\n\n▲禄　芸\n单位：六枝特区郎岱镇安康卫生院\n岗位：护士长\n")
    rels = relations(nlp, text)
    assert ("龙海波", "worksFor", "盘州市恒达煤业有限公司") in rels
    assert ("禄 芸", "worksFor", "六枝特区郎岱镇安康卫生院") in rels
    assert not {r for r in rels if r[0] == "龙海波" and r[2] == "六枝特区郎岱镇安康卫生院"}


def test_names_listed_after_a_count_receive_the_honour_named_before(nlp):
    text = ("嘉兴市总工会发布2025年度“嘉兴十大工匠”名单。入选的6名工匠是：\n"
            "郑建国、裘丽华、诸葛明宇、\n戴晓东、屠佳怡、娄国平\n现将部分工匠简介刊发如下。")
    honoured = {s for s, p, o in relations(nlp, text) if p == "receivedAward" and o == "嘉兴十大工匠"}
    assert honoured == {"郑建国", "裘丽华", "诸葛明宇", "戴晓东", "屠佳怡", "娄国平"}


def test_a_profile_clause_with_a_bare_earlier_honour_verb(nlp):
    text = "郑建国　湖州某某纺织印染有限公司印花车间主任。从业32年，主持研发工艺12项，曾获浙江省五一劳动奖章、“浙江工匠”等称号。"
    rels = relations(nlp, text)
    assert {("郑建国", "receivedAward", "浙江省五一劳动奖章"), ("郑建国", "receivedAward", "浙江工匠")} <= rels


def test_elected_to_a_post_of_a_union(nlp):
    rels = relations(nlp, "在随后召开的一次全委会上，郑志强当选为游仙区总工会主席。")
    assert ("郑志强", "worksFor", "游仙区总工会") in rels


def test_rare_surnames_of_the_west_and_a_compound_one(nlp):
    text = "诸城市某某铸造有限公司铸造工禚海波、绵阳某某电子有限公司一线工人庹心悦和焊工贺兰雪梅参加了比赛。"
    assert {"禚海波", "庹心悦", "贺兰雪梅"} <= names(nlp, text, "Person")


def test_units_a_company_sets_up_are_its_sub_organisations(nlp):
    company = "广东顺德某某智能电器股份有限公司"
    text = (f"{company}（以下简称“某某电器”）创立于2003年，总部位于佛山市顺德区北滘镇，"
            "下设容桂生产基地、研发中心和某某电器（清远）有限公司，现有职工2600余人。")
    rels = relations(nlp, text)
    assert {(unit, "subOrganizationOf", company) for unit in ("容桂生产基地", "研发中心", "某某电器(清远)有限公司")} <= rels
    assert "下设容桂生产基地" not in names(nlp, text, "Enterprise")


def test_a_dotted_name_after_a_title_is_whole(nlp):
    text = "项目部钢筋班组长巴特尔·那木汗荣获“内蒙古自治区五一劳动奖章”。"
    assert names(nlp, text, "Person") == {"巴特尔·那木汗"}


def test_a_bare_meeting_word_refers_back_to_the_meeting_before(nlp):
    event = "宁德市庆祝“五一”国际劳动节暨劳动模范表彰大会"
    text = f"{event}在市行政中心举行。大会由中共宁德市委、宁德市人民政府主办，宁德市总工会承办。"
    organisers = {o for s, p, o in relations(nlp, text) if p == "organizedBy" and s == event}
    assert organisers == {"中共宁德市委", "宁德市人民政府", "宁德市总工会"}


def test_a_factory_director_title_is_no_factory(nlp):
    text = "郑海军　诸暨市枫桥镇某某五金制品厂技术厂长。带领团队取得实用新型专利21项。"
    assert names(nlp, text, "Enterprise") == {"诸暨市枫桥镇某某五金制品厂"}
    assert ("郑海军", "worksFor", "诸暨市枫桥镇某某五金制品厂") in relations(nlp, text)


def test_a_place_one_character_and_he_start_a_name_but_he_between_two_places_is_and(nlp):
    found = names(nlp, "特邀潍坊鸢和医院妇产科主任授课，潍坊市和诸城医院、自然资源部和集团参加。", "Institution")
    assert "潍坊鸢和医院" in found
    assert "诸城医院" in found and not [n for n in found if "和" in n and n != "潍坊鸢和医院"]


def test_a_unit_named_right_after_its_company_and_the_short_name_it_declares(nlp):
    company = "陕西某昇新材料有限公司"
    text = f"{company}（以下简称“某昇新材”）熔铸分厂获评“陕西省工人先锋号”。"
    rels = relations(nlp, text)
    assert ("熔铸分厂", "subOrganizationOf", company) in rels
    assert ("熔铸分厂", "receivedAward", "陕西省工人先锋号") in rels
    assert ("某昇新材", "receivedAward", "陕西省工人先锋号") not in rels


def test_the_company_a_title_refers_to_is_no_workshop(nlp):
    company = "汉中某某机械有限公司"
    text = (f"在{company}（以下简称“某某机械”）铸造二车间，有一间工作室。"
            "工作室由陕西省劳动模范、公司首席技师宇文海涛领衔。")
    rels = relations(nlp, text)
    assert {("宇文海涛", "worksFor", company), ("宇文海涛", "worksFor", "某某机械")} & rels
    assert ("宇文海涛", "worksFor", "铸造二车间") not in rels


def test_a_preposition_before_a_number_ends_a_name_or_is_none(nlp):
    text = "某某汽车零部件有限公司的尉迟浩以93.5分的总成绩获得第一名，这位技师曾于2024年获评“南阳市青年岗位能手”。"
    assert names(nlp, text, "Person") == {"尉迟浩"}


def test_a_prize_won_by_a_person_in_the_passive(nlp):
    contest = "第四届南阳市“宛匠杯”职工职业技能大赛"
    text = (f"{contest}在南阳举行。经过激烈角逐，电工项目的第一名由南阳某某水务有限公司维修班班长卞晓东获得。"
            "中式烹调师项目的冠军被内乡县某某餐饮管理有限公司厨师长刘婧收入囊中。")
    entrants = {s for s, p, o in relations(nlp, text) if p == "participatedIn" and o == contest}
    assert {"卞晓东", "刘婧"} <= entrants


def test_a_declared_short_name_does_not_break_a_list_of_organisers(nlp):
    contest = "2026年山东省“鲁匠杯”劳动和技能竞赛"
    text = (f"{contest}启动仪式在临沂市兰山区举行。本届竞赛由山东省总工会主办，"
            "临沂市总工会（以下简称“市总”）、临沂市人力资源和社会保障局承办。")
    organisers = {o for s, p, o in relations(nlp, text) if p == "organizedBy"}
    assert {"山东省总工会", "临沂市总工会", "临沂市人力资源和社会保障局"} <= organisers


def test_a_unit_named_after_this_company_belongs_to_it(nlp):
    company = "吉林市某某化工有限公司"
    text = f"在吉林市龙潭区的{company}厂区，分布着一万多块仪表。负责维护这些仪表的，是该公司仪表维护班的9名职工。"
    assert ("仪表维护班", "subOrganizationOf", company) in relations(nlp, text)


def test_fire_rescue_and_forestry_stations(nlp):
    text = ("授予三门县健跳镇渔业服务站、天台县消防救援大队赤城消防救援站等30个集体“台州市工人先锋号”。"
            "韦明江现为水城区玉舍镇林业站护林员。")
    rels = relations(nlp, text)
    assert ("天台县消防救援大队赤城消防救援站", "receivedAward", "台州市工人先锋号") in rels
    assert ("天台县消防救援大队赤城消防救援站", "subOrganizationOf", "天台县消防救援大队") in rels
    assert "水城区玉舍镇林业站" in names(nlp, text, "Institution")


def test_a_demonstrative_is_no_given_name_and_two_more_rare_surnames(nlp):
    found = names(nlp, "学院院长由该校副校长居晓峰兼任。苌秀芳和茆国强也参加了揭牌仪式。", "Person")
    assert {"居晓峰", "苌秀芳", "茆国强"} <= found and "由该校" not in found


def test_a_unions_womens_committee_is_a_union_body_named_whole(nlp):
    text = "芜湖市总工会女职工委员会（以下简称“市总女职委”）在鸠江区召开会议。市总女职委主任濮玉兰出席。"
    rels = relations(nlp, text)
    assert "芜湖市总工会女职工委员会" in names(nlp, text, "TradeUnion")
    assert ("芜湖市总工会女职工委员会", "subOrganizationOf", "芜湖市总工会") in rels
    assert ("濮玉兰", "worksFor", "市总女职委") in rels


def test_meeting_words_honours_after_she_and_he_is_a_holder(nlp):
    text = ("平江县劳动模范代表座谈会在县职工服务中心召开。座谈会由平江县总工会主办。"
            "某某茶业有限公司制茶师禹红梅介绍了做法。她坚守制茶一线20年，2020年当选湖南省劳动模范。"
            "社区党委书记庹志坚谈到了民生，他是2023年岳阳市劳动模范。")
    rels = relations(nlp, text)
    assert ("平江县劳动模范代表座谈会", "organizedBy", "平江县总工会") in rels
    assert ("禹红梅", "receivedAward", "湖南省劳动模范") in rels
    assert ("庹志坚", "receivedAward", "岳阳市劳动模范") in rels


def test_merits_of_a_meritorious_service_contest_are_honours(nlp):
    text = ("一、酒泉市重点项目立功竞赛集体一等功（2个）\n"
            "1. 甘肃某某新能源工程有限公司瓜州第三风电场项目部\n"
            "2. 玉门市某某电力安装有限公司输变电一班\n")
    honour = "酒泉市重点项目立功竞赛集体一等功"
    rels = relations(nlp, text)
    assert {("甘肃某某新能源工程有限公司瓜州第三风电场项目部", "receivedAward", honour),
            ("玉门市某某电力安装有限公司输变电一班", "receivedAward", honour)} <= rels


def test_ranks_in_a_results_row_are_participants_of_the_reported_contest(nlp):
    text = ("6月9日至11日，大连瀚舟重工集团有限公司（以下简称“瀚舟重工”）第六届职工技能比武在公司实训基地举行。"
            "\n\n【比武结果】\n"
            "电焊工：第一名 宫振涛（船体车间焊接一班）；第二名 戚宝山（船体车间焊接二班）\n"
            "起重工：第一名 栾国强（总装车间吊装班）\n")
    entrants = {s for s, p, o in relations(nlp, text) if p == "participatedIn"}
    assert {"宫振涛", "戚宝山", "栾国强"} <= entrants


def test_officers_listed_after_an_election_work_for_the_union(nlp):
    text = ("随后召开的县总工会十届一次全委会选举产生了新一届领导班子。\n"
            "　常务副主席：樊海霞\n"
            "　副 主 席：邰建国、芦春兰（兼职，山东某某纺织有限公司细纱车间值班长）\n\n"
            "大会号召全县职工建功立业。")
    staff = {s for s, p, o in relations(nlp, text) if p == "worksFor" and o == "县总工会"}
    assert {"樊海霞", "邰建国", "芦春兰"} <= staff


def test_prepositions_of_accordance_end_an_organisation_name(nlp):
    found = names(nlp, "今年以来，玉林市总工会按照广西壮族自治区总工会的部署开展送清凉活动。", "TradeUnion")
    assert {"玉林市总工会", "广西壮族自治区总工会"} <= found and not [n for n in found if "按照" in n]


def test_prize_rows_of_people_each_with_their_employer_in_parentheses(nlp):
    contest = "某某区“精工杯”职工职业技能竞赛"
    text = (f"由某某区总工会主办的{contest}日前落下帷幕。现将获奖名单公布如下：\n"
            "（一）电工\n一等奖：甘立群（某某电力设备有限公司）\n"
            "二等奖：房晓兵（某某精密机械有限公司）、詹秋霞（某某电力设备有限公司某某分公司）\n")
    rels = relations(nlp, text)
    assert {s for s, p, o in rels if p == "participatedIn" and o == contest} >= {"甘立群", "房晓兵", "詹秋霞"}
    assert {("甘立群", "worksFor", "某某电力设备有限公司"), ("房晓兵", "worksFor", "某某精密机械有限公司"),
            ("詹秋霞", "worksFor", "某某电力设备有限公司某某分公司"),
            ("詹秋霞", "worksFor", "某某电力设备有限公司")} <= rels
    assert ("房晓兵", "worksFor", "某某电力设备有限公司某某分公司") not in rels


def test_table_rows_with_gender_and_ethnicity_cells_before_the_employer_and_post(nlp):
    text = ("序号｜姓名｜性别｜工作单位及职务\n"
            "1｜岳海川｜男｜安远金鼎精密模具有限公司模具车间主任、高级技师\n"
            "2｜詹秋霞（满族）｜女｜安远县人民医院护士长\n")
    rels = relations(nlp, text)
    assert {("岳海川", "worksFor", "安远金鼎精密模具有限公司模具车间"), ("岳海川", "worksFor", "安远金鼎精密模具有限公司"),
            ("詹秋霞", "worksFor", "安远县人民医院")} <= rels


def test_election_results_listed_after_the_union_is_named(nlp):
    text = ("安远县总工会第四次代表大会闭幕。大会选举产生了安远县总工会第四届委员会。"
            "在随后召开的第四届委员会第一次全体会议上，选举结果如下：\n主　席：岳海川\n"
            "副主席：詹秋霞（女，维吾尔族）、钟海林、马德胜（兼职，回族，安远金鼎精密模具有限公司工会主席）\n")
    rels = relations(nlp, text)
    assert {s for s, p, o in rels if p == "worksFor" and o == "安远县总工会"} == {"岳海川", "詹秋霞", "钟海林", "马德胜"}
    assert ("马德胜", "worksFor", "安远金鼎精密模具有限公司") in rels
    assert not any(o == "安远县总工会第四届委员会" for s, p, o in rels if p == "worksFor")


def test_a_profile_line_gives_the_employer_and_a_bare_got_after_a_year_the_honour(nlp):
    text = ("【领衔人】\n岳海川，男，回族，1978年生，安远金鼎精密模具有限公司模具车间主任、特级技师。"
            "2020年获“江西省五一劳动奖章”，2022年被评为“赣州市首席技师”。")
    rels = relations(nlp, text)
    assert {("岳海川", "worksFor", "安远金鼎精密模具有限公司模具车间"), ("岳海川", "worksFor", "安远金鼎精密模具有限公司"),
            ("岳海川", "receivedAward", "江西省五一劳动奖章")} <= rels


def test_a_name_found_by_its_employer_ends_before_got(nlp):
    assert "温涛" in names(nlp, "电工项目，安远金鼎供水有限公司的温涛获三等奖。", "Person")
    assert "温涛获" not in names(nlp, "电工项目，安远金鼎供水有限公司的温涛获三等奖。", "Person")


def test_a_company_page_lists_its_leaders_and_names_its_staff_after_the_company_word(nlp):
    text = ("【公司简介】\n安远金鼎精密模具有限公司（以下简称“金鼎模具”）成立于2006年，下设模具车间。\n\n"
            "【公司领导】\n董事长、党委书记：岳海川\n总经理：詹秋霞\n\n"
            "【荣誉资质】\n2022年　公司总工程师钟海林荣获全国劳动模范称号\n")
    rels = relations(nlp, text)
    company = {"安远金鼎精密模具有限公司", "金鼎模具"}  # the short name is declared for the same company
    assert {s for s, p, o in rels if p == "worksFor" and o in company} == {"岳海川", "詹秋霞", "钟海林"}


def test_law_firms_and_a_company_s_reading_room_are_organisations(nlp):
    text = "安远金鼎精密模具有限公司职工书屋获评示范点。安远衡信律师事务所的律师欧阳晓岚以案说法。"
    assert {"安远衡信律师事务所", "安远金鼎精密模具有限公司职工书屋"} <= names(nlp, text, "Institution") | names(nlp, text, "Enterprise")
    rels = relations(nlp, text)
    assert ("安远金鼎精密模具有限公司职工书屋", "subOrganizationOf", "安远金鼎精密模具有限公司") in rels
    assert ("欧阳晓岚", "worksFor", "安远衡信律师事务所") in rels
    assert "欧阳晓岚以" not in names(nlp, text, "Person")


def test_an_honour_after_a_year_and_a_unit_word_is_not_the_profile_subject_s(nlp):
    text = ("【领衔人】\n岳海川，男，1978年生，安远金鼎精密模具有限公司高级技师。\n"
            "2024年　大堤加固工程项目部获“江西省工人先锋号”\n2025年获“江西省五一劳动奖章”\n")
    rels = relations(nlp, text)
    assert ("岳海川", "receivedAward", "江西省五一劳动奖章") in rels
    assert ("岳海川", "receivedAward", "江西省工人先锋号") not in rels


def test_a_post_in_a_company_is_no_honour_and_an_honour_s_holder_keeps_it_across_the_employer(nlp):
    text = ("江西省五一劳动奖章获得者、安远金鼎精密模具有限公司质检部部长詹秋霞分享了经验；"
            "“赣州工匠”、安远恒发汽车维修有限公司技师欧阳晓岚则带来了一堂技能课。")
    rels = relations(nlp, text)
    assert ("詹秋霞", "receivedAward", "江西省五一劳动奖章") in rels
    assert "安远恒发汽车维修有限公司技师" not in names(nlp, text, "Award")
    assert "欧阳晓岚" in names(nlp, text, "Person")
    assert ("欧阳晓岚", "worksFor", "安远恒发汽车维修有限公司") in rels


def test_our_district_is_no_part_of_a_name_and_a_body_s_places_all_head_it(nlp):
    text = ("我区安远金鼎饮品有限公司灌装车间主任詹秋霞荣获奖章；"
            "赣州章贡仁和医院被授予“赣州市工人先锋号”；安远县欣山镇环卫所所长岳海川发言。")
    found = names(nlp, text, "Enterprise") | names(nlp, text, "Institution")
    assert {"安远金鼎饮品有限公司灌装车间", "赣州章贡仁和医院", "安远县欣山镇环卫所"} <= found
    assert not any(n.startswith("区") for n in found)
    assert ("岳海川", "worksFor", "安远县欣山镇环卫所") in relations(nlp, text)


def test_a_party_committee_s_department_is_one_body_and_a_unit_of_the_committee(nlp):
    text = "仪式由中共赣州市委宣传部、赣州市总工会共同主办。中共赣州市委书记张海川出席。"
    rels = relations(nlp, text)
    assert "中共赣州市委宣传部" in names(nlp, text, "GovernmentBody")
    assert ("中共赣州市委宣传部", "subOrganizationOf", "中共赣州市委") in rels, rels
    assert ("中共赣州市委", "locatedIn", "赣州市") in rels
    assert ("张海川", "worksFor", "中共赣州市委") in rels


def test_a_name_found_by_its_title_may_start_with_a_place_word(nlp):
    text = "安远金鼎米业有限公司总工程师宁国栋等10人被授予“赣州工匠”称号。"
    assert "宁国栋" in names(nlp, text, "Person")
    assert "高兴明" not in names(nlp, "公司总工程师高兴明天出差。", "Person")


def test_the_company_word_after_a_comma_is_the_new_subject_of_an_honour(nlp):
    text = ("慰问组来到安远金鼎新材料科技有限公司。公司工会主席詹秋霞介绍，"
            "公司去年被评为“江西省五一劳动奖状”获得单位。")
    rels = relations(nlp, text)
    assert ("安远金鼎新材料科技有限公司", "receivedAward", "江西省五一劳动奖状") in rels
    assert ("詹秋霞", "receivedAward", "江西省五一劳动奖状") not in rels


def test_hui_surnames_撒_and_纳(nlp):
    text = "安远县总工会主席撒海明表示，将加大帮扶力度。副主席纳晓燕介绍了情况。"
    assert {"撒海明", "纳晓燕"} <= names(nlp, text, "Person")
    assert not names(nlp, "工作纳入考核，渔民撒网捕鱼。", "Person")


def test_mining_in_a_work_area_s_name_is_no_mine(nlp):
    text = "全国劳动模范、安远金鼎钨业有限公司青石坑矿区采矿工区工区长岳海川讲述了经历。"
    assert "安远金鼎钨业有限公司青石坑矿区采矿工区" in names(nlp, text, "Enterprise")
    assert "安远金鼎钨业有限公司青石坑矿区采矿" not in names(nlp, text, "Enterprise")
    assert ("安远金鼎钨业有限公司青石坑矿区采矿工区", "subOrganizationOf", "安远金鼎钨业有限公司") in relations(nlp, text)


def test_the_prize_winner_is_someone_named_after_is(nlp):
    contest = "赣州市第五届“章贡杯”职工职业技能大赛"
    text = (f"{contest}日前落下帷幕。焊工项目，一等奖获得者是来自安远金鼎重工有限公司的焊工岳海川；"
            "二等奖由安远恒发机械有限公司的詹秋霞获得。")
    rels = relations(nlp, text)
    assert {s for s, p, o in rels if p == "participatedIn" and o == contest} >= {"岳海川", "詹秋霞"}
    assert ("岳海川", "worksFor", "安远金鼎重工有限公司") in rels


def test_a_name_cell_before_a_gender_cell_and_a_village_s_party_branch(nlp):
    text = ("序号｜姓名｜性别｜工作单位及职务\n1｜那春生（回族）｜男｜安远县欣山镇田水铺村党支部书记\n"
            "2｜檀国辉｜男｜安远金鼎冷链物流有限公司驾驶员\n")
    assert {"那春生", "檀国辉"} <= names(nlp, text, "Person")
    rels = relations(nlp, text)
    assert ("那春生", "worksFor", "安远县欣山镇田水铺村党支部") in rels
    assert ("安远县欣山镇田水铺村党支部", "locatedIn", "田水铺村") in rels


def test_results_rows_parted_by_tabs_give_the_winner_the_contest_and_the_employer(nlp):
    contest = "赣州市“章贡工匠杯”职工职业技能大赛决赛"
    text = (f"{contest}日前举行。现将成绩公告如下：\n"
            "工种\t名次\t姓名\t工作单位\n电工\t第一名\t党建勋\t安远金鼎焦化有限公司\n"
            "焊工\t第三名\t丘美玲（女）\t安远恒发农机专业合作社\n")
    rels = relations(nlp, text)
    assert {"党建勋", "丘美玲"} <= names(nlp, text, "Person")
    assert {s for s, p, o in rels if p == "participatedIn" and o == contest} >= {"党建勋", "丘美玲"}
    assert {("党建勋", "worksFor", "安远金鼎焦化有限公司"), ("丘美玲", "worksFor", "安远恒发农机专业合作社")} <= rels


def test_a_service_job_title_before_a_name(nlp):
    assert "涂小燕" in names(nlp, "安远莲峰宾馆有限公司的服务员涂小燕获得二等奖。", "Person")


def test_a_county_whose_name_holds_another_county_s_heads_the_company(nlp):
    text = "施佳慧（女）\n工作单位：安吉县雅竹家居有限公司设计部经理\n"
    assert "安吉县雅竹家居有限公司" in names(nlp, text, "Enterprise")
    assert "吉县雅竹家居有限公司" not in names(nlp, text, "Enterprise")


def test_an_honour_list_of_names_each_with_its_employer_on_the_next_line(nlp):
    text = ("名单如下：\n\n一、赣州市劳动模范（3名）\n\n岳海川\n工作单位：安远金鼎木业有限公司地板车间班长\n\n"
            "詹秋霞（女）\n工作单位：安远恒发丝绸有限公司织造车间主任\n\n"
            "钟海林\n工作单位：安远县人民医院心内科主任\n")
    rels = relations(nlp, text)
    assert {s for s, p, o in rels if p == "receivedAward" and o == "赣州市劳动模范"} == {"岳海川", "詹秋霞", "钟海林"}
    assert {("岳海川", "worksFor", "安远金鼎木业有限公司"), ("詹秋霞", "worksFor", "安远恒发丝绸有限公司")} <= rels


def test_a_listed_honour_s_year_in_parentheses_is_not_its_name_and_厂务_is_no_factory(nlp):
    text = "岳海川先后获得赣州市劳动模范（2019年）、“赣州工匠”（2020年）等荣誉。公司获评江西省厂务公开民主管理示范单位。"
    awards = names(nlp, text, "Award")
    assert {"赣州市劳动模范", "赣州工匠"} <= awards and not any("年" in a for a in awards)
    assert ("岳海川", "receivedAward", "赣州市劳动模范") in relations(nlp, text)
    assert "江西省厂" not in names(nlp, text, "Enterprise")


def test_a_project_manager_s_department_is_a_unit_of_its_company(nlp):
    text = "会上，安远金鼎路桥建设集团有限公司赣深高速改扩建工程LJ2标项目经理部（以下简称“LJ2标项目部”）作了交流发言。"
    unit = "安远金鼎路桥建设集团有限公司赣深高速改扩建工程LJ2标项目经理部"
    assert unit in names(nlp, text, "Enterprise")
    assert (unit, "subOrganizationOf", "安远金鼎路桥建设集团有限公司") in relations(nlp, text)


def test_who_works_at_a_company_s_plant_works_for_the_company(nlp):
    rels = relations(nlp, "仪式上，安远金鼎特钢有限公司炼钢厂工程师岳海川领取了优待卡。")
    assert {("岳海川", "worksFor", "安远金鼎特钢有限公司炼钢厂"), ("岳海川", "worksFor", "安远金鼎特钢有限公司")} <= rels


def test_a_contest_held_at_a_school_of_a_place_is_held_in_the_place(nlp):
    contest = "赣州市第四届“章贡工匠杯”职工职业技能比武"
    rels = relations(nlp, f"由赣州市总工会主办的{contest}在赣县区的赣州恒发技工学校举行。")
    assert (contest, "heldIn", "赣县区") in rels


def test_a_naming_notice_names_the_first_holder_and_its_list_keeps_going_past_a_note(nlp):
    text = ("赣州市总工会研究决定，命名岳海川等3名同志为2024年度“赣州工匠”。\n\n附件\n2024年度“赣州工匠”名单\n"
            "（3名，按姓氏笔画排序）\n岳海川（安远金鼎木业有限公司）\n宗秋霞（女，安远县龙布镇农业技术推广站）\n"
            "詹立新（安远恒发丝绸有限公司织造车间）\n")
    rels = relations(nlp, text)
    assert {s for s, p, o in rels if p == "receivedAward" and o == "赣州工匠"} == {"岳海川", "宗秋霞", "詹立新"}
    assert ("宗秋霞", "worksFor", "安远县龙布镇农业技术推广站") in rels
    assert {r.year for r in nlp(text)._.kg_relations if r.predicate == "receivedAward"} == {2024}


def test_a_notice_commending_a_contest_s_best_lists_its_participants(nlp):
    text = ("赣州市总工会　赣州市交通运输局\n关于表彰2025年度全市公路和水运重点工程劳动竞赛先进集体和先进个人的通报\n\n"
            "全市深入开展赣州市公路和水运重点工程劳动竞赛，涌现出一批先进集体和先进个人。\n\n"
            "一、赣州市五一劳动奖状（2个）\n1.赣州恒发路桥有限公司\n2.安远金鼎航道工程有限公司\n\n"
            "二、赣州市五一劳动奖章（2名）\n1.岳海川　赣州恒发路桥有限公司项目经理\n2.詹秋霞（女）　安远金鼎航道工程有限公司测量员\n")
    contests = names(nlp, text, "Competition")
    assert "赣州市公路和水运重点工程劳动竞赛" in contests and "水运重点工程劳动竞赛" not in contests
    rels = relations(nlp, text)
    took_part = {s for s, p, o in rels if p == "participatedIn"}
    assert took_part == {"赣州恒发路桥有限公司", "安远金鼎航道工程有限公司", "岳海川", "詹秋霞"}
    assert ("岳海川", "receivedAward", "赣州市五一劳动奖章") in rels


def test_an_award_list_without_a_commended_contest_gives_no_participants(nlp):
    text = ("关于表彰2025年度赣州市五一劳动奖获得者的决定\n\n一、赣州市五一劳动奖状（1个）\n1.赣州恒发路桥有限公司\n\n"
            "二、赣州市五一劳动奖章（1名）\n1.岳海川　赣州恒发路桥有限公司项目经理\n")
    rels = relations(nlp, text)
    assert ("岳海川", "receivedAward", "赣州市五一劳动奖章") in rels
    assert not {r for r in rels if r[1] == "participatedIn"}


def test_a_vertical_results_list_gives_rank_name_and_unit_each_on_its_own_line(nlp):
    contest = "赣州市第二届“章贡工匠杯”职工职业技能比武"
    text = (f"{contest}成绩揭晓\n\n比武在赣州市举行。现将各项目前三名成绩公布如下：\n\n一、电工\n第一名\n"
            "阿依古丽·买买提\n安远金鼎热力有限公司\n第二名\n冶建军\n赣州恒光电力工程有限公司\n"
            "第三名\n詹秋霞（女）\n赣州城投水务有限责任公司\n\n团体总分：\n第一名　安远县总工会代表队\n")
    assert {"阿依古丽·买买提", "冶建军", "詹秋霞"} <= names(nlp, text, "Person")
    rels = relations(nlp, text)
    assert {("阿依古丽·买买提", "worksFor", "安远金鼎热力有限公司"), ("冶建军", "worksFor", "赣州恒光电力工程有限公司"),
            ("詹秋霞", "worksFor", "赣州城投水务有限责任公司")} <= rels
    assert ("冶建军", "worksFor", "赣州城投水务有限责任公司") not in rels
    assert {s for s, p, o in rels if p == "participatedIn" and o == contest} >= {
        "阿依古丽·买买提", "冶建军", "詹秋霞", "安远县总工会"}


def test_ranks_conferred_without_a_preposition_and_a_champion_among_the_first_three(nlp):
    text = ("现将各项目前三名成绩公布如下：\n\n一、电工\n第一名\n冶建军\n赣州恒光电力工程有限公司\n第二名\n"
            "詹秋霞（女）\n赣州城投水务有限责任公司\n\n二、焊工\n冠军\n岳海川\n安远金鼎钢构有限公司\n\n"
            "各项目前三名已由赣州市人力资源和社会保障局授予“赣州市技术能手”称号。"
            "各项目第一名将由市总工会推荐申报“赣州市五一劳动奖章”。")
    rels = relations(nlp, text)
    assert {s for s, p, o in rels if p == "receivedAward" and o == "赣州市技术能手"} == {"冶建军", "詹秋霞", "岳海川"}
    assert not {r for r in rels if r[2] == "赣州市五一劳动奖章"}


def test_a_long_wrong_name_against_a_shorter_one_with_its_ending_is_no_abbreviation():
    from kg.pipeline.aliases import abbreviates

    assert not abbreviates("安远设有金鼎锰业安远分公司", "安远分公司")
    assert abbreviates("安远公交集团第一客运分公司工会", "安远公共交通控股(集团)有限公司第一客运分公司工会")


def test_a_delegate_list_by_unit_names_people_parted_by_spaces(nlp):
    text = ("附：出席大会代表名单（部分）\n安远金鼎煤矿（38名）：岳海川　詹秋霞（女）　那春生\n"
            "安远恒发物流有限公司（6名）：隋长林　仲秋菊（女）\n")
    assert {"岳海川", "詹秋霞", "那春生", "隋长林", "仲秋菊"} <= names(nlp, text, "Person")
    rels = relations(nlp, text)
    assert {s for s, p, o in rels if p == "worksFor" and o == "安远金鼎煤矿"} == {"岳海川", "詹秋霞", "那春生"}
    assert {s for s, p, o in rels if p == "worksFor" and o == "安远恒发物流有限公司"} == {"隋长林", "仲秋菊"}


def test_a_studio_named_after_a_mongolian_name_keeps_the_whole_name(nlp):
    text = "架线一班班长朝鲁巴特尔作代表发言。依托该班组成立的朝鲁巴特尔劳模创新工作室已推广三项成果。"
    assert names(nlp, text, "Studio") == {"朝鲁巴特尔劳模创新工作室"}
    assert names(nlp, text, "Person") == {"朝鲁巴特尔"}
    assert ("朝鲁巴特尔", "leads", "朝鲁巴特尔劳模创新工作室") in relations(nlp, text)


def test_a_theme_in_quotes_names_a_contest_and_its_short_form_is_the_same_contest(nlp):
    full = "赣南500千伏输变电工程“建功赣南·点亮山乡”劳动竞赛"
    text = (f"“建功赣南·点亮山乡”劳动竞赛在安远县启动\n\n3月18日，{full}启动仪式在安远县举行。"
            "本次竞赛由赣州市总工会主办。")
    doc = nlp(text)
    contests = {m.name for m in doc._.kg_mentions if m.label == "Competition"}
    assert contests == {"赣南500千伏输变电工程建功赣南·点亮山乡劳动竞赛"}


def test_a_company_honours_page_gives_the_company_each_row_s_honour_and_year(nlp):
    text = ("赣州恒发电气股份有限公司\n首页 | 关于恒发 | 企业荣誉\n\n企业荣誉\n\n"
            "赣州恒发电气股份有限公司始建于1996年。多年来，公司及所属单位、职工获得的主要荣誉如下：\n\n"
            "2015年　江西省五一劳动奖状\n2017年　安远恒发开关制造有限公司装配一车间获“江西省工人先锋号”\n"
            "2018年　赣州市劳动关系和谐企业\n赣州市文明单位（2023年）\n\n职工荣誉（部分）\n"
            "詹秋霞（女）　恒发电气质量管理部部长　赣州市三八红旗手（2020年）\n")
    got = {(r.subject.text, r.object.text, r.year) for r in nlp(text)._.kg_relations if r.predicate == "receivedAward"}
    company = "赣州恒发电气股份有限公司"
    assert {(company, "江西省五一劳动奖状", 2015), (company, "赣州市劳动关系和谐企业", 2018),
            (company, "赣州市文明单位", 2023), ("詹秋霞", "赣州市三八红旗手", 2020),
            ("安远恒发开关制造有限公司装配一车间", "江西省工人先锋号", 2017)} <= got
    assert not {g for g in got if g[0] == company and g[1] == "江西省工人先锋号"}


def test_an_exhibition_of_workers_innovations_is_an_event_its_organisers_named_by_展会(nlp):
    event = "赣州市第三届职工创新成果展"
    rels = relations(nlp, f"5月16日，{event}在章贡区的赣州市工人文化宫开幕。展会由赣州市总工会、赣州市科学技术局主办。")
    assert {(event, "heldIn", "章贡区"), (event, "organizedBy", "赣州市总工会"),
            (event, "organizedBy", "赣州市科学技术局")} <= rels


def test_a_company_s_operations_station_is_its_unit_and_a_dated_holder_is_a_holder(nlp):
    text = "慰问组来到安远恒发电力工程有限公司龙布运维站。站长岳海川是2024年“赣州市五一劳动奖章”获得者。"
    rels = relations(nlp, text)
    assert ("安远恒发电力工程有限公司龙布运维站", "subOrganizationOf", "安远恒发电力工程有限公司") in rels
    assert ("岳海川", "receivedAward", "赣州市五一劳动奖章") in rels


def test_a_ceremony_named_after_举行的_is_an_event(nlp):
    event = "新就业形态劳动者集中入会仪式"
    text = f"4月22日，在赣州市章贡区举行的{event}上，快递员岳海川领到了会员卡。这次仪式由赣州市总工会主办。"
    assert event in names(nlp, text, "Event")
    assert {(event, "heldIn", "章贡区"), (event, "organizedBy", "赣州市总工会")} <= relations(nlp, text)


def test_a_studio_table_row_gives_the_leader_s_honour_and_employer_and_命名_is_no_host(nlp):
    text = ("市总工会决定，命名岳海川劳模创新工作室等2个工作室为“2025年度赣州市劳模和工匠人才创新工作室”。名单如下：\n"
            "序号\t工作室名称\t领衔人\t所在单位\n1\t岳海川劳模创新工作室\t岳海川（江西省劳动模范）\t赣州恒发散货码头有限公司\n")
    assert "岳海川劳模创新工作室" in names(nlp, text, "Studio") and "命名" not in names(nlp, text, "Enterprise")
    assert {("岳海川", "receivedAward", "江西省劳动模范"), ("岳海川", "worksFor", "赣州恒发散货码头有限公司"),
            ("岳海川", "leads", "岳海川劳模创新工作室")} <= relations(nlp, text)


def test_an_honour_conferred_on_her_is_the_last_named_person_s(nlp):
    text = "2019年，詹秋霞获得赣州市五一劳动奖章；2023年，人力资源社会保障部、教育部授予她“全国优秀教师”称号。"
    assert ("詹秋霞", "receivedAward", "全国优秀教师") in relations(nlp, text)


def test_verbs_before_a_company_and_a_union_named_after_the_declared_short_name(nlp):
    text = ("——走近赣州恒发港务有限公司装卸二队\n在赣州恒发港务有限公司（以下简称“恒发港务”）码头作业。"
            "恒发港务工会主席岳海川介绍，公司旗下有赣州恒发物流有限公司。区总工会指派赣州衡远律师事务所律师詹秋霞提供援助。")
    enterprises = names(nlp, text, "Enterprise")
    assert {"赣州恒发港务有限公司装卸二队", "赣州恒发物流有限公司", "赣州衡远律师事务所"} <= enterprises
    assert not any(e.startswith(("走近", "公司旗下", "指派")) for e in enterprises)
    assert "恒发港务工会" in names(nlp, text, "TradeUnion")
    assert ("岳海川", "worksFor", "恒发港务工会") in relations(nlp, text)


def test_a_wechat_winners_list_of_tibetan_names_gets_the_headline_s_honour(nlp):
    text = ("🎉喜报｜我州3名职工荣获2026年“玉树州五一劳动奖章”！\n\n🏅【获奖名单】\n才仁拉毛　扎西尼玛　更松·求培\n\n"
            "🌟【他们的故事】\n👉 更松·求培是囊谦县公路段养护工，在高原守护公路22年。\n")
    rels = relations(nlp, text)
    assert {s for s, p, o in rels if p == "receivedAward" and o == "玉树州五一劳动奖章"} == {"才仁拉毛", "扎西尼玛", "更松·求培"}
    assert ("更松·求培", "worksFor", "囊谦县公路段") in rels


def test_a_union_s_own_page_lists_its_leaders_its_units_and_whom_it_answers_to(nlp):
    text = ("赣州市总工会\n首页 | 机构设置 | 领导成员\n\n赣州市总工会是全市各级工会组织的领导机关，接受江西省总工会的领导。\n\n"
            "【领导成员】\n岳海川　党组书记、主席\n詹秋霞（女）　党组成员、副主席\n\n【直属单位】\n赣州市工人文化宫\n\n"
            "【县（区）总工会】\n赣州市总工会指导2个县（区）总工会：章贡区总工会、安远县总工会。\n")
    rels = relations(nlp, text)
    union = "赣州市总工会"
    assert {("岳海川", "worksFor", union), ("詹秋霞", "worksFor", union), (union, "subOrganizationOf", "江西省总工会"),
            ("赣州市工人文化宫", "subOrganizationOf", union), ("章贡区总工会", "subOrganizationOf", union),
            ("安远县总工会", "subOrganizationOf", union)} <= rels


def test_a_studio_naming_notice_s_rows_give_leaders_their_hosts_and_a_branded_studio_its_leader(nlp):
    text = ("赣州市总工会决定命名以下2个工作室为2026年度“赣州市劳模和工匠人才创新工作室”。\n\n"
            "1. 岳海川劳模创新工作室（示范性）——赣州恒发重工机械有限公司\n"
            "2. “赣南之星”数控加工创新工作室——领衔人：詹秋霞，安远金鼎精密铸造有限公司\n")
    assert "赣州市劳模和工匠人才创新工作室" in names(nlp, text, "Award")
    assert "“赣南之星”数控加工创新工作室" in names(nlp, text, "Studio")
    rels = relations(nlp, text)
    assert {("岳海川", "worksFor", "赣州恒发重工机械有限公司"), ("詹秋霞", "worksFor", "安远金鼎精密铸造有限公司"),
            ("詹秋霞", "leads", "“赣南之星”数控加工创新工作室")} <= rels


def test_an_honour_conferred_in_a_sentence_naming_no_body_and_同志_before_the_count(nlp):
    rels = relations(nlp, "会议授予岳海川同志等48名同志“赣州市劳动模范”称号，授予詹秋霞同志等12名同志“赣州市先进工作者”称号。")
    assert {("岳海川", "receivedAward", "赣州市劳动模范"), ("詹秋霞", "receivedAward", "赣州市先进工作者")} <= rels
    assert ("詹秋霞", "receivedAward", "赣州市劳动模范") not in rels


def test_a_numbered_row_whose_unit_no_rule_found_does_not_end_the_list(nlp):
    text = ("附件1\n2026年度赣州市“工人先锋号”名单\n1.安远恒发电机有限公司定子车间\n2.安远县海洋与渔业执法大队三沙中队\n"
            "3.赣州金鼎港务有限公司装卸一队\n\n附件2\n赣州市职工创新工作室名单\n序号\t工作室名称\t领衔人\t所在单位\n"
            "1\t“海上田园”技能创新工作室\t詹秋霞（女）\t赣州金鼎港务有限公司\n")
    rels = relations(nlp, text)
    assert {s for s, p, o in rels if p == "receivedAward" and o == "赣州市“工人先锋号”"} >= {
        "安远恒发电机有限公司定子车间", "赣州金鼎港务有限公司装卸一队"}
    assert ("詹秋霞", "leads", "“海上田园”技能创新工作室") in rels


def test_results_posts_and_pipe_tables_give_the_contest_its_participants(nlp):
    contest = "赣州市第二届“章贡工匠杯”职工技能竞赛"
    post = (f"{contest}圆满落幕\n【赛事回顾】\n🔹{contest}在章贡区举行。\n\n【获奖风采】\n🥇电工　岳海川（赣州恒光电力有限公司）\n"
            "🥇养老护理员　詹秋霞（女，黎族，安远县康乐颐养院）\n🏆团体一等奖：章贡区总工会代表队　安远县总工会代表队\n")
    took_part = {s for s, p, o in relations(nlp, post) if p == "participatedIn" and o == contest}
    assert {"岳海川", "詹秋霞", "章贡区总工会", "安远县总工会"} <= took_part
    table = (f"{contest}获奖名单\n\n{contest}在章贡区举行。现将获奖名单公布如下：\n\n一、个人奖\n序号｜赛项｜名次｜姓名｜工作单位\n"
             "1｜电工｜一等奖｜岳海川｜赣州恒光电力有限公司\n2｜电工｜二等奖｜占建国｜赣州金盾门业有限公司\n"
             "3｜焊工｜一等奖｜詹秋霞（女）｜安远宏力轴承有限公司\n")
    took_part = {s for s, p, o in relations(nlp, table) if p == "participatedIn" and o == contest}
    assert {"岳海川", "詹秋霞"} <= took_part


def test_a_contest_or_meeting_referred_back_to_with_its_kind_gets_its_organisers(nlp):
    contest = "吉安市“建功庐陵”重点工程劳动竞赛"
    meeting = "吉安市产业工人队伍建设改革推进会"
    text = (f"3月6日，2026年{contest}在青原区启动。本次劳动竞赛由吉安市总工会、吉安市交通运输局共同主办，"
            "青原区总工会承办。\n\n"
            f"4月2日，{meeting}在吉州区召开。会议由中共吉安市委、吉安市人民政府主办，吉安市总工会承办。")
    rels = relations(nlp, text)
    assert {(contest, "organizedBy", "吉安市总工会"), (contest, "organizedBy", "吉安市交通运输局"),
            (contest, "organizedBy", "青原区总工会"), (meeting, "organizedBy", "中共吉安市委"),
            (meeting, "organizedBy", "吉安市人民政府"), (meeting, "organizedBy", "吉安市总工会")} <= rels
    assert not {r for r in rels if r[1] == "organizedBy" and r[0] == contest and "市委" in r[2]}


def test_a_quoted_theme_before_a_field_names_the_contest_whole(nlp):
    """A place inside the quotes (桂东 is a county) does not start the name; the field between
    the theme and the contest's kind (重点项目) is part of it."""
    text = ("“建功桂东”重点项目劳动竞赛在吉安启动\n\n3月6日，2026年吉安市“建功桂东”重点项目劳动竞赛启动仪式"
            "在青原区富滩镇的吉安富滩工业园配套道路工程施工现场举行。")
    doc = nlp(text)
    contests = {m.text for m in doc._.kg_mentions if m.label == "Competition"}
    assert contests == {"“建功桂东”重点项目劳动竞赛", "吉安市“建功桂东”重点项目劳动竞赛"}
    assert not [m for m in doc._.kg_mentions if m.label == "Program"]
    event = "2026年吉安市“建功桂东”重点项目劳动竞赛启动仪式"
    assert (event, "heldIn", "富滩镇") in relations(nlp, text)


def test_organisations_each_written_after_their_place_are_one_list_and_the_speaker_is_not_honoured(nlp):
    first, second = "江西恒瑞电子科技有限公司", "南昌市育才实验学校"
    text = (f"南昌市总工会副主席程立新说，截至目前，全市已建成模范职工之家86家，其中青山湖区的{first}、"
            f"东湖区的{second}分别获评江西省模范职工之家。")
    rels = relations(nlp, text)
    assert {(first, "receivedAward", "江西省模范职工之家"), (second, "receivedAward", "江西省模范职工之家"),
            (first, "locatedIn", "青山湖区"), (second, "locatedIn", "东湖区")} <= rels
    assert ("程立新", "receivedAward", "江西省模范职工之家") not in rels


def test_a_name_before_a_word_of_saying_keeps_its_last_character(nlp):
    """华表 is a word, but a name right before 表示 ends there (魏国华|表示, not 魏国|华表)."""
    rels = relations(nlp, "萍乡市总工会党组成员、副主席魏国华表示，市总工会将持续推进“萍乡工匠”培育工程。")
    assert ("魏国华", "worksFor", "萍乡市总工会") in rels


def test_a_craftsman_talent_studio_is_a_studio_not_an_honour(nlp):
    studio = "上饶县婺源职业培训学校邬德润工匠人才创新工作室"
    text = f"此次命名的6家工作室分别是：鹰潭瑞科汽车零部件有限公司程立新劳模创新工作室、{studio}。"
    doc = nlp(text)
    assert studio in {m.text for m in doc._.kg_mentions if m.label == "Studio"}
    assert not [m for m in doc._.kg_mentions if m.label == "Award"]
    assert ("邬德润", "leads", studio) in relations(nlp, text)


def test_a_row_that_gives_people_an_honour_says_nothing_of_the_contest(nlp):
    text = ("2026年九江市“浔城杯”职工职业技能大赛决赛日前举行。\n\n其中，程立新2020年被授予全国劳动模范称号；"
            "吴海燕、曹建春分别于2023年、2025年获评“江西工匠”；胡德润曾获本届大赛烹饪项目金奖。")
    took_part = {r[0] for r in relations(nlp, text) if r[1] == "participatedIn"}
    assert "胡德润" in took_part and not took_part & {"吴海燕", "曹建春"}


def test_a_confirmed_name_written_again_is_the_person_not_the_city_inside_it(nlp):
    text = ("集团所属某某精工有限公司设备部部长王长春荣获“上饶市五一劳动奖章”。\n\n"
            "王长春扎根设备一线二十余年，2024年被评为“上饶市技术能手”。")
    doc = nlp(text)
    assert not [m for m in doc._.kg_mentions if m.label == "Place" and m.text == "长春"]
    assert ("王长春", "receivedAward", "上饶市技术能手") in relations(nlp, text)


def test_a_group_s_units_named_after_it_by_anaphor_and_where_its_headquarters_are(nlp):
    group = "江西赣竹科技集团有限公司"
    text = (f"{group}（以下简称“赣竹集团”）旗下铅山赣竹家居有限公司的刨切车间喜获“上饶市工人先锋号”，"
            "集团所属弋阳赣竹新材料有限公司设备部部长石长春荣获“上饶市五一劳动奖章”。\n\n"
            "据了解，赣竹集团总部位于上饶市信州区，下属企业12家。")
    rels = relations(nlp, text)
    assert ("弋阳赣竹新材料有限公司", "subOrganizationOf", "赣竹集团") in rels
    assert not {r for r in rels if r[0] == "弋阳赣竹新材料有限公司设备部" and r[2] == "赣竹集团"}
    assert ("赣竹集团", "locatedIn", "信州区") in rels


def test_the_body_that_joins_others_to_hold_an_activity_holds_it_too(nlp):
    event = "“夏送清凉”慰问活动"
    rels = relations(nlp, f"7月18日，安福县总工会联合安福县卫生健康局、安福县城市管理局开展{event}，为户外劳动者送去防暑物品。")
    assert {(event, "organizedBy", "安福县总工会"), (event, "organizedBy", "安福县卫生健康局"),
            (event, "organizedBy", "安福县城市管理局")} <= rels


def test_a_contest_schedule_table_gives_its_venues_and_hosts(nlp):
    contest = "2026年抚州市“临川杯”职工职业技能竞赛"
    text = (f"关于举办{contest}的通知\n\n请各单位于7月20日前将报名表（附件2）报送市总工会经济技术工作部。\n\n"
            f"附件1\n{contest}项目安排表\n序号　项目　　比赛地点　　　承办单位\n"
            "1　　焊工　　临川区　　　　抚州赣东机电有限公司\n2　　育婴员　南城县　　　　抚州市南城县妇幼保健院\n")
    doc = nlp(text)
    orgs = {m.text for m in doc._.kg_mentions if m.label in ("Enterprise", "Institution", "TradeUnion")}
    assert "抚州市南城县妇幼保健院" in orgs and "市总工会经济技术工作部" in orgs
    assert not {o for o in orgs if "报名表" in o}
    rels = relations(nlp, text)
    name = contest[5:]
    assert {(name, "heldIn", "临川区"), (name, "heldIn", "南城县"), (name, "organizedBy", "抚州赣东机电有限公司"),
            (name, "organizedBy", "抚州市南城县妇幼保健院")} <= rels


def test_a_trade_final_held_somewhere_and_a_winner_who_topped_a_trade(nlp):
    contest = "宜春市第三届“月亮杯”职工职业技能大赛"
    text = (f"{contest}决赛落幕\n\n日前，{contest}决赛落幕。本届大赛由宜春市总工会主办。其中焊工、电工项目的决赛在位于"
            "袁州区湛郎街道的宜春赣西硅材料有限公司实训基地举行，茶艺师项目在靖安县举行。\n\n"
            "经过激烈角逐，宜丰县天福陶瓷有限公司的邝志成在中式烹调师项目中拔得头筹。")
    rels = relations(nlp, text)
    held = {r[2] for r in rels if r[1] == "heldIn"}
    assert {"湛郎街道", "靖安县"} <= held
    assert "邝志成" in {r[0] for r in rels if r[1] == "participatedIn"}


def test_a_profile_s_pronoun_took_part_in_a_contest_named_with_its_organisers_and_was_selected(nlp):
    contest = "江西省船舶修造行业职工职业技能竞赛"
    text = ("九江赣鸿船舶修造有限公司船体车间主任熊国平，从学徒成长为高级技师。\n\n"
            f"2011年，他在江西省总工会、江西省经济和信息化厅主办的{contest}中获得电焊项目第一名；"
            "2015年被授予“全国技术能手”称号；2022年入选“江西工匠”；今年，他荣获全国五一劳动奖章。")
    rels = relations(nlp, text)
    assert {("熊国平", "participatedIn", contest), (contest, "organizedBy", "江西省经济和信息化厅"),
            ("熊国平", "receivedAward", "江西工匠"), ("熊国平", "receivedAward", "全国技术能手")} <= rels


def test_a_title_then_honours_then_the_name_works_for_the_organisation(nlp):
    rels = relations(nlp, "九江庐山葡萄酒业有限公司酿酒师、全国技术能手熊丽娜作为一线职工代表发言。"
                          "九江赣鸿路桥有限公司桥梁班班长、江西省五一劳动奖章获得者邝金凤带领职工宣誓。")
    assert {("熊丽娜", "worksFor", "九江庐山葡萄酒业有限公司"), ("熊丽娜", "receivedAward", "全国技术能手"),
            ("邝金凤", "worksFor", "九江赣鸿路桥有限公司桥梁班")} <= rels


def test_offices_and_care_teams_are_units_of_the_body_they_are_named_after(nlp):
    text = ("序号　姓名　性别　工作单位及职务\n1　　邹秀梅　女　铅山县葛仙山景区管理处讲解员\n"
            "2　　段永刚　男　上饶市城市管理局环卫处清扫二班班长\n\n三、江西省工人先锋号推荐对象\n"
            "1　　信州区西市街道社区卫生服务中心家庭医生团队\n")
    rels = relations(nlp, text)
    assert {("邹秀梅", "worksFor", "铅山县葛仙山景区管理处"),
            ("上饶市城市管理局环卫处", "subOrganizationOf", "上饶市城市管理局"),
            ("上饶市城市管理局环卫处清扫二班", "subOrganizationOf", "上饶市城市管理局环卫处"),
            ("信州区西市街道社区卫生服务中心家庭医生团队", "subOrganizationOf", "信州区西市街道社区卫生服务中心")} <= rels


def test_a_company_page_s_honours_its_units_rows_and_its_group_and_subsidiaries(nlp):
    company = "江西赣南精工机床有限公司"
    text = (f"首页 ＞ 关于我们 ＞ 企业荣誉\n\n{company}\n企业荣誉\n\n"
            f"{company}成立于2003年，位于赣州市章贡区，是江西赣南装备集团有限公司所属骨干企业，"
            "旗下拥有信丰赣南精工铸造有限公司和赣州赣南数控技术研究院两家子公司，现有员工1200余人。\n\n"
            "多年来，公司坚持“精工细作”的理念，先后获得多项荣誉：\n\n"
            "2025年　全国五一劳动奖状\n2024年　江西省工人先锋号（公司数控加工车间）\n2022年　赣州市五一劳动奖状\n")
    rels = relations(nlp, text)
    assert {(company, "receivedAward", "全国五一劳动奖状"), (company, "receivedAward", "赣州市五一劳动奖状"),
            ("数控加工车间", "receivedAward", "江西省工人先锋号"),
            (company, "subOrganizationOf", "江西赣南装备集团有限公司"),
            ("信丰赣南精工铸造有限公司", "subOrganizationOf", company),
            ("赣州赣南数控技术研究院", "subOrganizationOf", company)} <= rels
    assert (company, "receivedAward", "江西省工人先锋号") not in rels


def test_names_start_after_verbs_of_troubling_building_on_and_calling_on(nlp):
    text = ("长期以来，大型轴承套圈淬火开裂一直是困扰萍乡赣西轴承有限公司热处理分厂的难题。"
            "厂长说，集团工会正以刘卫东技能大师工作室为基础，组建攻关团队。"
            "宜春市总工会号召宜春赣中建材有限公司工会等基层工会开展劳动竞赛。")
    names_found = {m.text for m in nlp(text)._.kg_mentions}
    assert {"萍乡赣西轴承有限公司热处理分厂", "刘卫东技能大师工作室", "宜春赣中建材有限公司工会"} <= names_found
    assert not {n for n in names_found if n.startswith(("困扰", "集团工会正以", "宜春市总工会号召"))}


def test_names_start_after_verbs_of_moving_and_announcing_and_a_mountain_is_no_location(nlp):
    text = ("关于公布赣州市第三届“客家工匠杯”职工职业技能大赛获奖名单的通知\n\n"
            "2006年，钟守仓调入江西华岳钨业有限公司大余冶炼厂，担任技术员。"
            "萍乡武功山旅游发展有限公司成立于2010年。")
    doc = nlp(text)
    names_found = {m.text for m in doc._.kg_mentions}
    assert "赣州市第三届“客家工匠杯”职工职业技能大赛" in names_found and "江西华岳钨业有限公司" in names_found
    assert not {n for n in names_found if n.startswith(("关于", "钟守仓调入"))}
    rels = relations(nlp, text)
    assert ("萍乡武功山旅游发展有限公司", "locatedIn", "萍乡") in rels
    assert ("萍乡武功山旅游发展有限公司", "locatedIn", "武功山") not in rels


def test_sub_venues_set_up_in_places_hold_the_reported_activity(nlp):
    event = "“悦读润心”职工心理健康关爱活动"
    text = (f"6月26日，新余市总工会{event}首场讲座在新余钢城电缆有限公司职工书屋举行。本次活动由新余市总工会主办。"
            "活动期间，主办方将在渝水区、分宜县设立2个分会场，开展心理讲座。")
    held = {r[2] for r in relations(nlp, text) if r[1] == "heldIn"}
    assert {"渝水区", "分宜县"} <= held


def test_a_meeting_held_at_a_named_area_in_a_district(nlp):
    event = "新余市化工行业工会联合会第一次会员代表大会"
    rels = relations(nlp, f"11月12日，{event}在位于渝水区的新余化工循环产业园召开。")
    assert {(event, "heldIn", "新余化工循环产业园"), ("新余化工循环产业园", "locatedIn", "渝水区")} <= rels


def test_a_company_union_is_named_after_the_company_and_its_short_forms_are_that_union(nlp):
    text = ("宏远精工集团工会举办职工运动会\n\n"
            "近日，抚州宏远精工集团有限公司工会举办第三届职工运动会。"
            "崇仁县总工会发动鑫泰电机有限公司工会为困难职工捐款，鑫泰电机有限公司工会主席刘春华说，"
            "鑫泰发动机有限公司也将参加。"
            "抚州赣东客运集团有限公司第二客运分公司工会荣获“全省模范职工之家”称号，第二客运分公司工会主席王丽说。")
    doc = nlp(text)
    unions = {(m.text, m.name) for m in doc._.kg_mentions if m.label == "TradeUnion"}
    assert ("鑫泰电机有限公司工会", "鑫泰电机有限公司工会") in unions
    assert ("宏远精工集团工会", "抚州宏远精工集团有限公司工会") in unions
    assert ("第二客运分公司工会", "抚州赣东客运集团有限公司第二客运分公司工会") in unions
    names_found = {m.text for m in doc._.kg_mentions}
    assert "鑫泰发动机有限公司" in names_found
    assert not {n for n in names_found if n.startswith("崇仁县总工会发动")}
    rels = relations(nlp, text)
    assert ("刘春华", "worksFor", "鑫泰电机有限公司工会") in rels
    assert ("刘春华", "worksFor", "鑫泰电机有限公司") in rels
    assert ("鑫泰电机有限公司工会", "subOrganizationOf", "鑫泰电机有限公司") in rels


def test_a_companys_games_named_after_its_declared_short_name_are_one_contest(nlp):
    text = ("9月20日，江西赣锋精工集团有限公司（以下简称“赣锋集团”）第五届职工技能运动会暨“赣锋工匠”选拔赛"
            "在集团所属赣州赣锋电机有限公司开幕。本届技能运动会由赣锋集团工会主办。"
            "赣州赣锋电机有限公司总装车间的曾建华获得电工项目第一名。"
            "今年4月，在第三届赣州市“章贡杯”职工职业技能竞赛中，曾建华获得电工项目第二名。"
            "5月，萍乡安源煤业有限公司工会举办第二届职工技能运动会，第二届竞赛将于明年举行。")
    doc = nlp(text)
    contests = {(m.text, m.name) for m in doc._.kg_mentions if m.label == "Competition"}
    games = "江西赣锋精工集团有限公司第五届职工技能运动会"
    assert ("第五届职工技能运动会暨“赣锋工匠”选拔赛", games) in contests
    assert "第二届职工技能运动会" in {name for _, name in contests}
    assert "第二届竞赛" not in {name for _, name in contests}
    firms = {(m.start, m.name) for m in doc._.kg_mentions if m.label == "Enterprise" and m.text == "赣锋集团"}
    assert firms and {name for _, name in firms} == {"江西赣锋精工集团有限公司"}
    rels = relations(nlp, text)
    assert ("曾建华", "participatedIn", "第五届职工技能运动会暨“赣锋工匠”选拔赛") in rels
    assert ("曾建华", "participatedIn", "第三届赣州市“章贡杯”职工职业技能竞赛") in rels
    named = {(r.subject.name, r.predicate, r.object.name) for r in doc._.kg_relations}
    assert ("赣州赣锋电机有限公司", "subOrganizationOf", "江西赣锋精工集团有限公司") in named
    assert (games, "organizedBy", "江西赣锋精工集团有限公司工会") in named


def test_spaced_names_after_a_rank_and_unions_that_win_the_organising_prize(nlp):
    text = ("2025年九江市“浔城工匠杯”职工职业技能大赛落幕\n\n"
            "钳工项目：第一名熊建国（九江瑞昌精工机械有限公司），第二名万　丽（女，九江庐山电力安装有限公司），"
            "第三名邹　斌（九江长江船舶修造有限公司）。\n\n"
            "濂溪区总工会、柴桑区总工会获优秀组织奖。")
    people_found = {(m.text, m.name) for m in nlp(text)._.kg_mentions if m.label == "Person"}
    assert {("万 丽", "万丽"), ("邹 斌", "邹斌")} <= people_found
    rels = relations(nlp, text)
    contest = "九江市“浔城工匠杯”职工职业技能大赛"
    assert ("万 丽", "worksFor", "九江庐山电力安装有限公司") in rels
    assert {("濂溪区总工会", "participatedIn", contest), ("柴桑区总工会", "participatedIn", contest)} <= rels


def test_a_contests_ceremony_organisers_contestants_and_unbranded_name(nlp):
    contest = "上饶市第三届“信江杯”职工职业技能大赛"
    text = ("上饶市第三届职工职业技能大赛开幕\n\n"
            f"5月8日，由上饶市总工会、上饶市人力资源和社会保障局联合主办，上饶信州技师学院承办的{contest}开幕式举行。"
            "开幕式上，运动员代表、婺源茶业焊工罗立新进行宣誓。"
            "上届大赛钳工项目冠军、玉山精工机械有限公司钳工吴国平再次报名参赛。")
    doc = nlp(text)
    contests = {m.name for m in doc._.kg_mentions if m.label == "Competition"}
    assert len(contests) == 1
    named = {(r.subject.name, r.predicate, r.object.name) for r in doc._.kg_relations}
    name = contests.pop()
    assert {(name, "organizedBy", "上饶市总工会"), (name, "organizedBy", "上饶市人力资源和社会保障局"),
            (name, "organizedBy", "上饶信州技师学院")} <= named
    assert {("罗立新", "participatedIn", name), ("吴国平", "participatedIn", name)} <= named


def test_a_pronoun_after_a_quoted_witness_means_the_profiles_subject(nlp):
    text = ("——记全国劳动模范、江西洪都重工有限公司焊接首席技师熊立平\n\n"
            "熊立平1998年进入南昌船舶修造厂当学徒。熊立平的师傅、原车间主任邓国华回忆：“这孩子肯吃苦。”"
            "2005年，他在南昌市职工焊工技术比武中夺得第一名，被授予“南昌市技术能手”称号。"
            "“关键时刻，熊师傅总是第一个站出来。”公司工会主席万红梅说。\n\n"
            "2016年，他荣获江西省五一劳动奖章。熊立平带着团队连续攻关40多天。")
    rels = relations(nlp, text)
    assert ("熊立平", "receivedAward", "江西省五一劳动奖章") in rels
    assert ("熊立平", "receivedAward", "南昌市技术能手") in rels
    assert not {r for r in rels if r[0] in ("邓国华", "万红梅") and r[1] in ("receivedAward", "participatedIn")}
    assert "立平带着" not in names(nlp, text, "Person") and "平带着" not in names(nlp, text, "Person")


def test_a_name_that_starts_with_a_rare_word_is_a_name_but_a_place_phrase_is_not(nlp):
    text = ("市政协副主席、市总工会主席胡金龙，市总工会党组书记、常务副主席杨淑琴出席。"
            "在钻井作业三队的井场上，技术员忙碌着。")
    found = names(nlp, text, "Person")
    assert {"胡金龙", "杨淑琴"} <= found
    assert not {n for n in found if n.startswith("井场")}
    assert ("胡金龙", "worksFor", "市总工会") in relations(nlp, text)


def test_words_that_end_in_a_locality_suffix_are_no_township(nlp):
    text = ("近日，抚州市临川区通衢城乡公交有限公司、乐安县农业农村局走进临川区上顿渡镇，"
            "与崇仁县巴山镇的职工座谈。")
    places_found = names(nlp, text, "Place")
    assert not {p for p in places_found if p.endswith(("城乡", "农村"))}
    assert {"上顿渡镇", "巴山镇"} <= places_found
    rels = relations(nlp, text)
    assert ("乐安县农业农村局", "locatedIn", "乐安县") in rels


def test_honours_written_before_their_recipients_with_de(nlp):
    text = ("大会授予刘建平等100名同志“抚州市劳动模范”称号。"
            "会上，还对今年荣获全国五一劳动奖章的邹晓明等2名个人，以及荣获江西省五一劳动奖状的"
            "抚州东乡精工机械有限公司、南城县绿野冷链物流有限公司等单位进行了通报表扬，"
            "并对获得“江西省工人先锋号”的金溪县人民医院护理部，以及获得“江西省五一劳动奖章”的"
            "黎川县中心卫生院医生詹国华进行了表扬。")
    rels = relations(nlp, text)
    assert {("抚州东乡精工机械有限公司", "receivedAward", "江西省五一劳动奖状"),
            ("南城县绿野冷链物流有限公司", "receivedAward", "江西省五一劳动奖状"),
            ("邹晓明", "receivedAward", "全国五一劳动奖章"),
            ("詹国华", "receivedAward", "江西省五一劳动奖章")} <= rels
    assert ("邹晓明", "receivedAward", "江西省五一劳动奖状") not in rels
    assert ("刘建平", "receivedAward", "全国五一劳动奖章") not in rels
    assert ("黎川县中心卫生院", "receivedAward", "江西省五一劳动奖章") not in rels


def test_a_short_name_heads_the_units_named_after_it_and_dated_honours_are_one_list(nlp):
    text = ("江西赣星送变电工程有限公司（以下简称“赣星送变电”）工会组织技能比武。"
            "赣星送变电线路一班的周国庆获得一等奖，赣星送变电工会主席何丽萍为他颁奖。"
            "周国庆，男，1980年生。他先后获得南昌市劳动模范（2012年）、江西省五一劳动奖章（2017年）、"
            "全国五一劳动奖章（2021年）等荣誉。")
    named = {(r.subject.name, r.predicate, r.object.name) for r in nlp(text)._.kg_relations}
    company = "江西赣星送变电工程有限公司"
    assert {("周国庆", "worksFor", company), (company + "工会", "subOrganizationOf", company)} <= named
    assert {("周国庆", "receivedAward", a) for a in ("南昌市劳动模范", "江西省五一劳动奖章", "全国五一劳动奖章")} <= named


def test_subsidiaries_named_after_zi_gongsi_deputies_elected_after_a_chair_and_a_hall(nlp):
    text = ("江西赣控机电集团有限公司第八届职工技能比武落幕。集团子公司抚州赣控精密铸造有限公司机加工车间的罗建军、"
            "子公司九江赣控电气有限公司化验员吴小红分别获得两个项目第一名。"
            "12月9日，抚州市总工会第八次代表大会在市行政中心大会堂开幕。"
            "在随后召开的八届一次全委会上，胡国华当选为抚州市总工会主席，邱小平、艾文斌当选为副主席。")
    doc = nlp(text)
    firms = {m.text for m in doc._.kg_mentions if m.label == "Enterprise"}
    assert "抚州赣控精密铸造有限公司机加工车间" in firms and "九江赣控电气有限公司" in firms
    assert not {f for f in firms if f.startswith(("子公司", "集团子公司"))}
    assert not {m.text for m in doc._.kg_mentions if m.label == "Event" and m.text.startswith("市行政中心")}
    rels = relations(nlp, text)
    contest = "江西赣控机电集团有限公司第八届职工技能比武"
    assert {("罗建军", "participatedIn", contest), ("吴小红", "participatedIn", contest)} <= rels
    assert {("邱小平", "worksFor", "抚州市总工会"), ("艾文斌", "worksFor", "抚州市总工会")} <= rels


def test_a_division_honour_after_a_conjunction(nlp):
    text = "在公司熔炼车间，他与省劳动模范、车间主任彭国庆亲切交谈。"
    assert "省劳动模范" in names(nlp, text, "Award")
    assert ("彭国庆", "receivedAward", "省劳动模范") in relations(nlp, text)


def test_a_results_table_under_prize_headings_with_counts(nlp):
    text = ("附件\n\n2026年抚州市职工创新创效大赛获奖名单\n\n一等奖（2项）\n\n项目名称｜参赛单位｜主要完成人\n"
            "1.大型铸件智能打磨工作站研制｜抚州赣东重工装备有限公司｜邹立伟、邬　强\n"
            "2.稻米加工节能烘干工艺改进｜南丰县丰谷米业有限公司｜饶金山\n\n二等奖（1项）\n\n"
            "1.供热管网泄漏预警平台｜抚州市临川区热力有限公司｜黄国庆、乐小明\n")
    rels = relations(nlp, text)
    contest = "抚州市职工创新创效大赛"
    assert {(p, "participatedIn", contest) for p in ("邹立伟", "邬 强", "饶金山", "黄国庆", "乐小明")} <= rels
    assert {(u, "participatedIn", contest) for u in ("抚州赣东重工装备有限公司", "南丰县丰谷米业有限公司")} <= rels


def test_a_studio_record_and_honours_in_apposition(nlp):
    text = ("1．宁国平劳模创新工作室\n依托单位：新余赣锋精密铸造有限公司（以下简称“赣锋铸造”）\n"
            "领衔人：宁国平，铸造车间主任，江西省五一劳动奖章获得者\n\n"
            "2．甘秀英技能大师工作室\n依托单位：新余市仙女湖区供水有限公司\n领衔人：甘秀英，全国劳动模范、高级技师\n\n"
            "座谈会上，甘秀英，江西省劳动模范、新余钢城机械有限公司钳工汪立新先后发言。")
    rels = relations(nlp, text)
    assert {("宁国平", "worksFor", "新余赣锋精密铸造有限公司"), ("甘秀英", "worksFor", "新余市仙女湖区供水有限公司"),
            ("宁国平", "receivedAward", "江西省五一劳动奖章"), ("甘秀英", "receivedAward", "全国劳动模范")} <= rels
    assert ("甘秀英", "receivedAward", "江西省劳动模范") not in rels


def test_a_names_list_under_the_sentence_naming_the_honour(nlp):
    text = ("市人社局、市总工会决定授予邹志航等12名同志“新余市技术能手”称号，并颁发荣誉证书。主要名单如下（按县区排列）：\n\n"
            "邹志航　新余市渝水区鸿达机械有限公司车间主任\n付雅琴（女）　分宜县江鑫食品有限公司质检员\n\n"
            "市总工会决定命名“钟德胜劳模创新工作室”等2个工作室为新余市劳模创新工作室。名单如下：\n\n"
            "钟德胜劳模创新工作室（新余钢城重工有限公司）\n")
    rels = relations(nlp, text)
    assert {("邹志航", "receivedAward", "新余市技术能手"), ("付雅琴", "receivedAward", "新余市技术能手")} <= rels
    assert not {r for r in rels if r[0] == "钟德胜" and r[1] == "receivedAward"}


def test_a_final_and_ceremony_organisers_and_results_rows_with_trade_labels(nlp):
    text = ("5月16日，由赣州市总工会、赣州市人力资源和社会保障局联合主办，赣州章贡精工机械有限公司承办的"
            "2026年赣州市“章贡工匠杯”职工职业技能大赛决赛暨颁奖仪式举行。\n\n各工种决赛第一名分别为：\n\n"
            "焊工：赣州章贡精工机械有限公司　黎振国\n数控车工：瑞金市长青机械制造有限公司　曾亚楠（女）\n\n"
            "瑞金市总工会获优秀组织奖。各工种第一名由市总工会按程序推荐申报赣州市五一劳动奖章。")
    doc = nlp(text)
    unions = {m.text: m.name for m in doc._.kg_mentions if m.label == "TradeUnion"}
    assert unions["市总工会"] == "赣州市总工会"
    rels = relations(nlp, text)
    contest = "赣州市“章贡工匠杯”职工职业技能大赛决赛"
    assert {(contest, "organizedBy", "赣州市总工会"), (contest, "organizedBy", "赣州章贡精工机械有限公司"),
            ("黎振国", "participatedIn", contest), ("曾亚楠", "participatedIn", contest),
            ("黎振国", "worksFor", "赣州章贡精工机械有限公司"), ("曾亚楠", "worksFor", "瑞金市长青机械制造有限公司")} <= rels
