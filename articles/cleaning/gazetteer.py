"""Xiamen's six districts and the places that place a story in one of them.

Every name maps to exactly one district. Matching is longest-first, so a longer name decides
for the shorter one inside it: 厦门大学翔安校区 → 翔安区 (not 厦门大学 → 思明区), 湖里区 counts
once (not also as 湖里), 集美大学 → 集美区.

Decisions on ambiguous names:
- Bare district names count (同安, 集美 …). 同安 also stands in 同安路/同安一中: all are named for
  the district and nearly always in it, so they count for 同安区.
- Names that are ordinary words or other places elsewhere in China are only listed with their
  suffix: 新店镇 not 新店, 大同街道 not 大同 (a city in Shanxi), 新民镇 not 新民, 金山街道 not
  金山, 滨海街道 not 滨海, 开元街道 not 开元, 莲花镇 not 莲花, 洪塘镇 not 洪塘.
- Bare 机场 is left out: 高崎机场 is 湖里区, the new 翔安机场 is 翔安区.
- Places spanning two districts (嘉禾路, 环东海域, 仙岳山, 软件园 without its phase, 同集路) and
  names shared with well-known places elsewhere (会展中心, 大学路, 九溪, bare 东渡 as in 鉴真东渡)
  are left out or listed in a longer, unambiguous form (厦门国际会展中心, 东渡港, 大帽山农场).
- 嘉庚 alone is left out: 陈嘉庚 and 嘉庚精神 are as much 厦门大学 (思明区) as 集美; 嘉庚剧院 and
  嘉庚体育馆 are in 集美区.
- FALSE_FRIENDS are phrases that contain a place name but are not the place: 共同安全 (同安),
  掉进湖里 (湖里, "into the lake"), 集美貌 (集…于一身), 新阳光, 杏林春暖 (杏林 = medicine).
"""

from __future__ import annotations

DISTRICTS: tuple[str, ...] = ("思明区", "湖里区", "集美区", "海沧区", "同安区", "翔安区")


def _words(text: str) -> tuple[str, ...]:
    """Space-separated names → tuple: "鼓浪屿 厦港" → ("鼓浪屿", "厦港")."""
    return tuple(text.split())


GAZETTEER: dict[str, tuple[str, ...]] = {
    "思明区": _words(
        "思明区 思明 鼓浪屿 中山路 厦港 滨海街道 鹭江街道 鹭江道 开元街道 梧村 "
        "筼筜 莲前 嘉莲 厦门大学 厦大 曾厝垵 环岛路 南普陀 沙坡尾 白城沙滩 "
        "万石山 胡里山 演武大桥 厦门国际会展中心 观音山 黄厝 椰风寨 湖滨南路 湖滨北路 "
        "莲坂 前埔 瑞景 文灶 白鹭洲 第一码头 中华街道 思明南路 何厝 "
        "思明北路 厦门站 软件园一期 软件园二期 万石植物园 日光岩 菽庄花园 钢琴码头 "
        "五老峰 海湾公园 华侨博物院 厦门一中 双十中学 厦门六中 厦门中山公园"
    ),
    "湖里区": _words(
        "湖里区 湖里 禾山 江头 湖里街道 殿前 金山街道 五缘湾 高崎 高崎机场 枋湖 "
        "东渡港 东渡路 东渡码头 钟宅 五通 湖边水库 蔡塘 县后 坂尚 金尚 湖里公园 "
        "忠仑公园 象屿 吕厝 乌石浦 寨上 安兜 后坑 海天码头 火炬园 湖里创新园 "
        "SM城市广场 五缘湾湿地公园 湖里老工业区 马垅"
    ),
    "集美区": _words(
        "集美区 集美 集美学村 杏林 灌口 后溪 侨英 杏滨 嘉庚剧院 嘉庚体育馆 园博苑 鳌园 "
        "归来堂 龙舟池 杏林湾 集美新城 集美大学 厦门理工学院 华侨大学厦门校区 厦门北站 "
        "软件园三期 诚毅学院 诚毅广场 天马山 灵玲国际马戏城 双龙潭 厦门医学院 大社村 兑山 "
        "集美大桥 杏林大桥"
    ),
    "海沧区": _words(
        "海沧区 海沧 蔡尖尾山 嵩屿 新阳 东孚 海沧街道 马銮湾 天竺山 海沧湾 海沧大桥 "
        "海沧港 未来海岸 青礁 鳌冠 霞阳 贞庵 日月谷 慈济宫 海沧生物医药港 温厝 "
        "钟山村 困瑶 海沧湾公园 阿罗海"
    ),
    "同安区": _words(
        "同安区 同安 大同街道 祥平 五显镇 汀溪 莲花镇 新民镇 新民街道 西柯 洪塘镇 "
        "梵天寺 北辰山 同安影视城 竹坝 军营村 白交祠 同安湾 丙洲 凤南 云洋 "
        "小坪村 三秀山 苏颂公园 同安孔庙 汀溪水库 褒美"
    ),
    "翔安区": _words(
        "翔安区 翔安 新店镇 新店街道 马巷 内厝 新圩镇 大嶝 小嶝 翔安南路 翔安机场 "
        "厦门新机场 翔安新机场 翔安隧道 香山街道 澳头村 刘五店 蔡厝 欧厝 厦门大学翔安校区 "
        "厦大翔安校区 厦门大学附属翔安医院 琼头 金柄 大帽山农场 吕塘 沙美 凤翔街道 "
        "金海街道 民安街道 舫阳"
    ),
}

# Regular expressions for phrases that contain a place name but do not mean the place.
FALSE_FRIENDS: tuple[str, ...] = (
    r"[共协一陪如连]同安(?![区路湾])",  # 共同安全, 协同安排, 一同安装
    r"同安(?=[排置装全检慰抚心稳])",  # 同安排, 同安置 (but 同安区, 同安路 count)
    r"[进入在到往]湖里(?![区街公创老])",  # 掉进湖里, 在湖里游泳 (but 在湖里区 counts)
    r"集美貌",  # 集美貌与智慧于一身
    r"集美家居",  # a furniture chain in Beijing
    r"新阳光",
    r"杏林[春高圣妙名国]",  # 杏林春暖, 杏林高手: 杏林 as "the medical world"
    r"誉满杏林",
)
