"""Outlet and website names: the data behind parse_source and parse_site.

Outlets are the organisations credited for a text (来源：厦门日报); sites are the websites a page
was saved from (taihainet.com → 台海网). Both are canonicalised through these tables.
"""

from __future__ import annotations

import re

# Canonical outlet name → the other ways pages write it.
OUTLET_ALIASES: dict[str, tuple[str, ...]] = {
    "厦门日报": ("厦门日报社", "厦门日报网", "《厦门日报》", "厦门日报讯"),
    "厦门晚报": ("《厦门晚报》", "厦门晚报讯"),
    "厦门网": ("厦门网讯", "中国厦门网", "厦门网-厦门日报", "xmnn.cn"),
    "台海网": ("台海网讯", "中国台海网", "taihainet.com"),
    "东南网": ("东南网讯", "中国东南网", "fjsen.com"),
    "海峡导报": ("《海峡导报》", "海峡导报社", "导报", "海峡导报讯"),
    "海西晨报": ("《海西晨报》", "海西晨报讯"),
    "福建日报": ("《福建日报》", "福建日报社", "福建日报讯"),
    "新华社": ("新华通讯社", "新华社讯"),
    "人民日报": ("《人民日报》", "人民日报社"),
    "澎湃新闻": ("澎湃新闻网", "澎湃"),
    "中国新闻网": ("中新网", "中新社", "中国新闻社", "chinanews.com"),
    "央视新闻": ("央视新闻客户端", "CCTV", "央视"),
    "厦门广电": ("厦门广播电视集团", "厦门卫视", "厦门电视台", "看厦门", "厦门广电网"),
}

# Names after 来源：that credit nobody.
NOT_OUTLETS: frozenset[str] = frozenset(
    {"本站", "本网", "本报", "本台", "网络", "互联网", "原创", "综合", "网友", "网友投稿", "未知"}
    | {"媒体", "外媒", "官网", "官方", "网站", "电视台", "报社", "电台", "该报", "该网", "本报社"}
    | {"境外媒体", "当地媒体", "新闻网", "客户端", "微信公众号", "公众号"}
)

# How an outlet's name usually ends (报 …); used to accept names the tables do not know.
OUTLET_ENDINGS: tuple[str, ...] = (
    "报",
    "网",
    "社",
    "台",
    "新闻",
    "频道",
    "客户端",
    "公众号",
    "杂志",
    "周刊",
    "电视",
    "广播",
    "在线",
    "之声",
    "传媒",
    "融媒",
    "融媒体中心",
    "头条",
    "资讯",
)

# Host suffix → site name. More specific hosts first: the first suffix that matches wins.
DOMAIN_SITES: tuple[tuple[str, str], ...] = (
    ("epaper.xmnn.cn", "厦门日报"),
    ("xmnn.cn", "厦门网"),
    ("xmrb.com", "厦门日报"),
    ("taihainet.com", "台海网"),
    ("fjsen.com", "东南网"),
    ("xmtv.cn", "厦门广电"),
    ("xmg.com.cn", "厦门广电"),
    ("fjdaily.com", "福建日报"),
    ("mnw.cn", "闽南网"),
    ("xmfish.com", "小鱼网"),
    ("xm.gov.cn", "厦门市人民政府"),
    ("xiamen.gov.cn", "厦门市人民政府"),
    ("mp.weixin.qq.com", "微信公众号"),
    ("baijiahao.baidu.com", "百家号"),
    ("mbd.baidu.com", "百家号"),  # the mobile host baijiahao articles are linked under
    ("163.com", "网易"),
    ("sina.com.cn", "新浪网"),
    ("sina.cn", "新浪网"),
    ("thepaper.cn", "澎湃新闻"),
    ("qq.com", "腾讯网"),
    ("ifeng.com", "凤凰网"),
    ("people.com.cn", "人民网"),
    ("people.cn", "人民网"),
    ("xinhuanet.com", "新华网"),
    ("news.cn", "新华网"),
    ("huanqiu.com", "环球网"),
    ("guancha.cn", "观察者网"),
    ("toutiao.com", "今日头条"),
    ("cjn.cn", "长江网"),
    ("zsnews.cn", "中山网"),
    ("stcn.com", "证券时报网"),
    ("hexun.com", "和讯网"),
    ("chinanews.com.cn", "中国新闻网"),
    ("chinanews.com", "中国新闻网"),
    ("cctv.com", "央视网"),
    ("gmw.cn", "光明网"),
    ("sohu.com", "搜狐网"),
    ("cn.yahoo.com", "雅虎中国"),
    ("mydrivers.com", "快科技"),
    ("cmse.gov.cn", "中国载人航天官方网站"),
    ("shanxi.gov.cn", "山西省人民政府门户网站"),
    ("csdn.net", "CSDN"),
    ("gamersky.com", "游民星空"),
    ("021news.cn", "上海新闻网"),
)

# Site names as written in title suffixes and breadcrumbs → canonical site name.
# A name starting with one of these prefixes also maps (网易财经 → 网易, 新浪科技 → 新浪网).
SITE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("厦门网", "厦门网"),
    ("中国厦门网", "厦门网"),
    ("台海网", "台海网"),
    ("中国台海网", "台海网"),
    ("东南网", "东南网"),
    ("厦门日报", "厦门日报"),
    ("厦门广电", "厦门广电"),
    ("闽南网", "闽南网"),
    ("小鱼网", "小鱼网"),
    ("网易", "网易"),
    ("新浪", "新浪网"),
    ("澎湃新闻", "澎湃新闻"),
    ("腾讯", "腾讯网"),
    ("凤凰网", "凤凰网"),
    ("人民网", "人民网"),
    ("新华网", "新华网"),
    ("环球网", "环球网"),
    ("观察者网", "观察者网"),
    ("今日头条", "今日头条"),
    ("百家号", "百家号"),
    ("长江网", "长江网"),
    ("中山网", "中山网"),
    ("证券时报网", "证券时报网"),
    ("和讯网", "和讯网"),
    ("中国新闻网", "中国新闻网"),
    ("中新网", "中国新闻网"),
    ("央视网", "央视网"),
    ("光明网", "光明网"),
    ("搜狐", "搜狐网"),
    ("游民星空", "游民星空"),
    ("微信公众平台", "微信公众号"),
    ("微信公众号", "微信公众号"),
    ("快科技", "快科技"),
)

_ALIAS_TO_OUTLET: dict[str, str] = {
    alias: name for name, aliases in OUTLET_ALIASES.items() for alias in (name, *aliases)
}
_SENTENCE_PUNCT = re.compile(r"[，。！？；：、,.!?;:\"“”‘’（）()《》<>【】\[\]\s]")


def is_known_outlet(name: str) -> bool:
    """Whether the tables know this outlet name: "中新社" → True; "海人社" → False."""
    return name in _ALIAS_TO_OUTLET


def canonical_outlet(name: str, *, senders: bool = False) -> str | None:
    """The canonical outlet for a credited name, or None when it does not look like one.

    "中新网" → "中国新闻网"; "湖里区融媒体中心" → "湖里区融媒体中心"; "了解" → None.
    senders=True (after 来源：) accepts any such name of three characters or more ("厦门市教育局").
    """
    name = name.strip().strip("《》“”\"'·•|-—_ ")
    if name in _ALIAS_TO_OUTLET:
        return _ALIAS_TO_OUTLET[name]
    head = re.split(r"\s*[-—－]+\s*", name, maxsplit=1)[0]
    if head != name and head:  # 人民网-文化频道 → 人民网
        return canonical_outlet(head, senders=senders)
    if (
        senders
        and re.fullmatch(r"[A-Za-z][A-Za-z0-9 .&]{1,19}", name)
        and "www" not in name.lower()
    ):
        return name  # 来源：EETOP
    if not name or len(name) > 20 or name in NOT_OUTLETS or _SENTENCE_PUNCT.search(name):
        return None
    if not re.search(r"[\u4e00-\u9fff]", name):
        return None
    if senders and len(name) >= 3:
        return name  # after 来源： any short name is a credit (东区办事处, 厦门市教育局)
    if len(name) >= 3 and name.endswith(OUTLET_ENDINGS):  # unknown two-character names: 平台, 电台
        return name
    return None


def site_for_host(host: str) -> str | None:
    """The site name for a host name: "www.taihainet.com" → "台海网"; "example.org" → None."""
    host = host.lower().strip().rstrip(".")
    for suffix, site in DOMAIN_SITES:
        if host == suffix or host.endswith("." + suffix):
            return site
    return None


def site_for_name(name: str) -> str | None:
    """The site for a name in a title suffix or breadcrumb: "网易财经" → "网易"; "首页" → None."""
    name = name.strip()
    for prefix, site in SITE_PREFIXES:
        if name.startswith(prefix):
            return site
    return None
