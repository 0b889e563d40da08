"""Line classification: what counts as noise, what stays a paragraph, spam detection."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from articles.cleaning.encoding import normalize_text
from articles.cleaning.noise import (
    classify_line,
    classify_lines,
    is_keyword_spam,
    spam_share,
    trim_inline_tail,
)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("您的位置:首页 >国内 >", "breadcrumb"),
        ("您现在的位置: 台海网 >> 新闻中心 >> 厦门 >> 各区报道 >> 正文", "breadcrumb"),
        ("萧山网首页 > 视频中心 > 热点", "breadcrumb"),
        ("2021-11-13 09:11:07    来源:厦门日报", "meta"),
        ("www.taihainet.com 来源: 东南网 用手持设备访问", "meta"),
        ("发布时间：2022-12-01 07:30 来源：海峡导报 浏览次数：356", "meta"),
        ("2021年11月13日 09:11", "meta"),
        ("责任编辑：张广义", "editor"),
        ("[责任编辑：曹颖 pn222]", "editor"),
        ("编辑:吉祥", "editor"),
        ("关键词：禾山街道 垃圾分类", "keywords"),
        ("标签：候鸟、五缘湾", "keywords"),
        ("(文/厦门日报记者 罗子泓 通讯员 陈晓 图/通讯员 李明)", "credit"),
        ("（记者 邹玒 通讯员 张舒黎）", "credit"),
        ("记者 邓睿 见习记者 张文文", "credit"),
        ("作者:王小明", "credit"),
        ("▲马銮湾实验学校效果图。", "caption"),
        ("图为昨日，杨建平被无罪释放，在看守所门口与家人相见", "caption"),
        ("扫一扫，用手机看新闻！", "share"),
        ("分享到：", "share"),
        ("【打印】【关闭窗口】", "share"),
        ("返回搜狐，查看更多", "share"),
        ("原标题：惊险！一婆婆模仿教练指挥儿媳开车", "original-title"),
        ("（原标题：多地项目连环爆雷 狂奔的龙湖集团“暗伤”曝露？）", "original-title"),
        ("原文链接：https://news.xmnn.cn/xmxw/202104/t20210412_5412345.htm", "link"),
        ("台海网版权所有 闽ICP备05002573号", "footer"),
        ("copyright(c)2011-2018ntjoy.comallrightsreserved江海明珠网版权所有", "footer"),
        ("编辑 刘晓阳 校对 李铭", "editor"),
        ("图片均来自网络", "footer"),
        ("免责声明：本文来自腾讯新闻客户端自媒体，不代表腾讯网的观点和立场。", "footer"),
        ("【纠错】", "share"),
        ("【1】【2】【3】【4】", "pagination"),
        ("繁體", "mirror-junk"),
        ("---- -- --", "mirror-junk"),
        (
            "湖北新闻网，湖北新闻，湖北要闻，湖北图片，图片新闻，专题新闻，荆楚各地，新农村，社会法制",
            "spam",
        ),
    ],
)
def test_noise_kinds(line: str, kind: str) -> None:
    assert classify_line(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "记者走访核实",
        "记者从市公安局获悉，今年以来全市共破获电信诈骗案件120起。",
        "据网友爆料，今天在上饶大桥入口处发生车祸，提醒：行车一定要注意安全！ 来源：上饶全知道",
        "其中，菏泽、济宁、枣庄、德州、聊城、济南、淄博、泰安、潍坊等城市出现重度污染的可能性较大，首要污染物为pm2.5。",
        "全国共有585个国家贫困县，分布于17个省级行政区内，其后为云南省、贵州省、四川省、陕西省、湖北省、河南省、河北省、甘肃省。",
        "公司将在厦门、漳州、泉州设立三个分中心，并在思明、湖里两区开设门店，方便市民就近办理业务",
        "小区垃圾桶“变聪明”了 刷卡投放还能攒积分",
        "灌口“古早味”美食节开幕 50多家老字号齐聚",
        "3D打印技术走进厦门中小学课堂",
        "编辑部门今天开会。",
        "市民可以扫二维码预约参观，每天限额500人，预约成功后凭身份证入园，请合理安排出行时间并遵守园区规定。",
    ],
)
def test_paragraphs_survive(line: str) -> None:
    assert classify_line(line) == "paragraph"


@pytest.mark.parametrize(
    ("line", "spam"),
    [
        ("厦门开锁公司 厦门开锁电话 厦门24小时开锁 厦门开锁师傅 厦门修锁 厦门配钥匙", True),
        ("厦门保险柜开锁,厦门汽车开锁,厦门指纹锁安装,厦门智能锁维修,厦门防盗门换锁", True),
        ("宜 祈福 斋醮 纳采 订盟 解除 架马 开柱眼 修造 动土 起基 上梁 归岫 造屋 合脊 掘井", True),
        (
            "销售区域：沁河镇、郭道镇、灵空山镇、王和镇、李元镇、中峪乡、法中乡、交口乡、聪子峪乡、韩洪乡",
            True,
        ),
        ("记者 张三 李四 王五 赵六", False),
        ("思明区、湖里区、集美区、海沧区、同安区、翔安区", False),
        (
            "本届书展将邀请单霁翔、王树增、敬一丹、李潘、毛佩琦、高云、习骅、孙晓云等一批知名作家学者举办讲座。",
            False,
        ),
        ("", False),
    ],
)
def test_is_keyword_spam(line: str, spam: bool) -> None:
    assert is_keyword_spam(line) is spam


def test_classify_lines_keeps_order_and_cuts_trailing_related_block() -> None:
    lines = [
        "您现在的位置: 台海网 >> 新闻中心 >> 厦门 >> 各区报道 >> 正文",
        "马銮湾新城再添一所学校",
        "2021-11-13 09:11:07    来源:厦门日报",
        "▲马銮湾实验学校效果图。",
        "马銮湾新城又将迎来一所新学校。",
        "该校为九年一贯制公办学校。",
        "责任编辑:黄婷婷",
        "相关新闻",
        "海沧新阳街道新增两所幼儿园",
        "台海网版权所有 闽ICP备05002573号",
    ]
    result = classify_lines(lines, title="马銮湾新城再添一所学校")
    assert result.paragraphs == ("马銮湾新城又将迎来一所新学校。", "该校为九年一贯制公办学校。")
    assert [kind for kind, _ in result.removed] == [
        "breadcrumb",
        "title",
        "meta",
        "caption",
        "editor",
        "related-block",
        "related-block",
        "related-block",
    ]
    assert result.lines_of("meta") == ("2021-11-13 09:11:07    来源:厦门日报",)


def test_related_marker_before_any_paragraph_does_not_eat_the_article() -> None:
    result = classify_lines(["相关新闻", "厦门今天天气晴，最高气温28度。"])
    assert result.paragraphs == ("厦门今天天气晴，最高气温28度。",)


def test_short_bare_lines_before_the_lead_are_captions() -> None:
    result = classify_lines(["志愿者在为居民修理雨伞", "昨日，思明区开展便民服务活动。"])
    assert result.paragraphs == ("昨日，思明区开展便民服务活动。",)
    assert result.removed == (("caption", "志愿者在为居民修理雨伞"),)


def test_short_line_without_a_lead_after_it_stays() -> None:
    result = classify_lines(["志愿者在为居民修理雨伞", "没有句号的第二行"])
    assert result.paragraphs == ("志愿者在为居民修理雨伞", "没有句号的第二行")


@pytest.mark.parametrize(
    ("paragraph", "kept", "cut"),
    [
        ("……贡献。责任编辑：张广义", "……贡献。", "责任编辑：张广义"),
        (
            "规定不合理。返回搜狐，查看更多 责任编辑：",
            "规定不合理。",
            "返回搜狐，查看更多 责任编辑：",
        ),
        ("责任编辑要对稿件负责。", "责任编辑要对稿件负责。", ""),
    ],
)
def test_trim_inline_tail(paragraph: str, kept: str, cut: str) -> None:
    assert trim_inline_tail(paragraph) == (kept, cut)


def test_spam_share() -> None:
    result = classify_lines(
        [
            "厦门搬家,厦门搬家公司,厦门搬家电话,厦门搬家价格,厦门搬家车,厦门搬家师傅",
            "我们是一家专业的搬家公司。",
        ]
    )
    assert spam_share(result) == 38 / 51
    assert spam_share(classify_lines([])) == 0.0


@pytest.mark.corpus
def test_spam_detector_on_the_inews_corpus(corpus_dir: Path) -> None:
    """Real bodies: SEO lists go, sentences with many commas stay (records as found)."""
    with gzip.open(corpus_dir / "inews_web_news.jsonl.gz", "rt", encoding="utf-8") as handle:
        bodies = [json.loads(line)["body"] for line in handle]
    seo = normalize_text(bodies[1827]).split("\n")[150]
    assert seo.startswith("湖北新闻网，湖北新闻，湖北要闻")
    assert classify_line(seo) == "spam"
    smog = next(s + "。" for s in bodies[294].split("。") if "菏泽、济宁" in s)
    assert classify_line(smog) == "paragraph"
    lines = [line for body in bodies[:2000] for line in normalize_text(body).split("\n")]
    sentences = [line for line in lines if line.count("，") >= 5 and line.endswith("。")]
    assert len(sentences) > 500
    assert not [line for line in sentences if classify_line(line) == "spam"]


def test_english_sentence_is_not_spam() -> None:
    line = "the canadian authorities have agreed to release our cfo， ms. meng wanzhou on bail"
    assert is_keyword_spam(line) is False


def test_long_triangle_caption_glued_to_body_is_split() -> None:
    line = (
        "△菜农在蔬菜基地忙碌。11、体育休闲旅游多渠道增加全民健身场所和设施。"
        "创建全域旅游示范区，降低重点国有景区门票价格，完善旅游配套设施，提升服务质量，"
        "让游客玩得开心、住得舒心。"
    )
    assert len(line) > 80
    result = classify_lines(["正文第一段。", line])
    assert result.paragraphs == (
        "正文第一段。",
        "11、体育休闲旅游多渠道增加全民健身场所和设施。"
        "创建全域旅游示范区，降低重点国有景区门票价格，完善旅游配套设施，提升服务质量，"
        "让游客玩得开心、住得舒心。",
    )
    assert result.removed == (("caption", "△菜农在蔬菜基地忙碌。"),)


def test_split_editor_label_takes_the_name_on_the_next_line() -> None:
    result = classify_lines(["正文一段。", "责任编辑：", "尹世杰"])
    assert result.paragraphs == ("正文一段。",)
    assert result.removed == (("editor", "责任编辑："), ("editor", "尹世杰"))


def test_seo_keyword_line_with_long_items_is_spam():
    # Found in the demo pages: six items, one of 11 characters, four sharing 厦门.
    line = (
        "厦门地铁3号线最新进展,厦门地铁线路图,厦门翔安房价,翔安学区房,厦门新机场最新消息,厦门租房"
    )
    assert is_keyword_spam(line)


def test_current_position_breadcrumb_variant():
    assert classify_line("您当前的位置 ：厦门网 -> 厦门 -> 社会民生") == "breadcrumb"
