"""The noise rules as data: (kind, pattern) pairs tried in order on each stripped line.

A line matching a rule is removed from the body under that kind; the pipeline hands meta,
credit, keywords, breadcrumb and link lines on to the metadata parsers. Rules with a length
limit only apply to short lines, so a paragraph that merely mentions 分享 or 版权 survives.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Rule(NamedTuple):
    kind: str
    pattern: re.Pattern[str]
    max_len: int  # the rule only applies to lines up to this many characters


def _rule(kind: str, pattern: str, max_len: int = 80) -> Rule:
    return Rule(kind, re.compile(pattern, re.IGNORECASE), max_len)


_DATE = r"(?:(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{1,2}月\d{1,2}日)"
_OPEN = r"^[\[【(（]?\s*"

# A trailing block (related list, prev/next, footer) ends the article: the matching line and
# everything after it are removed under this kind.
TAIL_RULES: tuple[Rule, ...] = (
    _rule(
        "related-block",
        _OPEN + r"(?:相关新闻|相关阅读|相关链接|相关报道|相关文章|相关推荐|热门推荐|热点推荐|热门文章"
        r"|延伸阅读|推荐阅读|更多阅读|猜你喜欢|为你推荐|精彩推荐|今日推荐|热门新闻|往期回顾)"
        r"\s*[\]】)）]?\s*[:：>》]?",
        40,
    ),
    _rule("related-block", r"^(?:上一篇|下一篇|上一条|下一条)\s*[:：]?", 120),
)

LINE_RULES: tuple[Rule, ...] = (
    _rule("footer", r"版权所有|copyright|\bicp\s*备|icp证|违法和不良信息举报|©|all rights reserved", 200),
    _rule("original-title", r"^原标题\s*[:：]", 200),
    _rule(
        "breadcrumb",
        r"^(?:您的位置|你的位置|您现在的位置|你现在的位置|当前位置|所在位置|现在位置)\s*[:：]?",
        200,
    ),
    _rule("breadcrumb", r"^\S{1,12}\s*(?:>>|»|＞|>|/)\s*\S{1,12}\s*(?:>>|»|＞|>)", 120),
    _rule("keywords", _OPEN + r"(?:关键词|关键字|标签|tags)\s*[:：]", 120),
    _rule(
        "editor",
        _OPEN + r"(?:责任编辑|编辑|责编|审核|审校|校对|值班编辑|美编|监制|主编|终审|初审|二审|三审"
        r"|编审|出品|统筹|策划|制作)\s*[:：|/]",
        60,
    ),
    _rule("link", r"^(?:原文链接|原文地址|本文链接|文章来源地址)\s*[:：]", 300),
    _rule(
        "meta",
        r"(?:来源|作者|发布时间|发布日期|更新时间|浏览次数|点击数|阅读数|浏览量|点击量|字号)\s*[:：]"
        r"|用手持设备访问|\bwww\.[a-z0-9\-]+\.(?:com|cn|net)",
        120,
    ),
    _rule("meta", r"^" + _DATE + r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:星期.)?$", 40),
    _rule(
        "credit",
        r"^[(（]?\s*(?:(?:文|图|文图|图文|摄影?|视频)\s*[/／:：]|(?:本报|本刊|特约|首席)?记者\s*[:：]?"
        r"|通讯员|作者\s*[:：]|撰文|摄影\s*[:：]?)",
        60,
    ),
    _rule("credit", r"^[(（][^()（）]{0,30}(?:记者|通讯员|文/|图/|摄影)[^()（）]*[)）]$", 80),
    _rule("caption", r"^[▲△▼]", 300),
    _rule("caption", r"^图为|^(?:图片来源|图片来自|资料图|配图|图)\s*[:：/]|^\(?图片?[:：]", 120),
    _rule(
        "share",
        r"二维码|扫一扫|分享到|分享至|打印本页|打印文章|【?打印】?$|关闭窗口|字号|【大 中 小】"
        r"|收藏本文|复制链接|加入收藏|返回顶部|点击查看|点击进入|阅读原文|查看原文|微信公众号"
        r"|返回搜狐|查看更多|点赞|评论\s*\d*$|举报$|^分享$",
        40,
    ),
    _rule(
        "mirror-junk",
        r"^(?:繁體|繁体|简体|繁體中文|简体中文|首页|返回首页|返回列表|返回|更多|打印|关闭|登录|注册"
        r"|上一页|下一页|\d+)$",
        12,
    ),
    _rule("mirror-junk", r"^[\W_]+$", 200),
)

# Cut off in place at the end of a long one-line body (structured imports keep these tails).
INLINE_TAILS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\s*返回搜狐，?查看更多.*$"),
    re.compile(r"\s*[\[【(（]?责任编辑\s*[:：][^。！？]{0,30}$"),
    re.compile(r"\s*(?:相关新闻|相关阅读|推荐阅读)\s*$"),
)
