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
_EDITOR_ROLE = r"(?:责任编辑|编辑|责编|校对|审核|审校|主编|监制|美编)"
_NAME = r"[\u4e00-\u9fff·]{2,4}"
# "文/厦门日报记者 罗子泓 通讯员 陈晓 图/通讯员 李明", "记者 王飞 摄": a role (with an optional
# outlet before it), a separator, then names; "记者走访核实" has no separator and is a sentence.
_CREDIT = (
    r"^[(（]?\s*(?:[^\s()（）/]{0,8}?(?:记者|通讯员|实习生|摄影|作者|撰文|文|图|视频|摄)"
    rf"\s*[/／:：\s]\s*{_NAME}(?:\s+{_NAME})*\s*(?:摄|报道)?\s*)+[)）]?$"
)

# A trailing block (related list, prev/next, footer) ends the article: the matching line and
# everything after it are removed under this kind.
TAIL_RULES: tuple[Rule, ...] = (
    _rule(
        "related-block",
        _OPEN
        + r"(?:相关新闻|相关阅读|相关链接|相关报道|相关文章|相关推荐|热门推荐|热点推荐|热门文章"
        r"|相关稿件|延伸阅读|推荐阅读|更多阅读|猜你喜欢|为你推荐|精彩推荐|今日推荐|热门新闻|往期回顾)"
        r"\s*[\]】)）]?\s*[:：>》]?",
        40,
    ),
    _rule("related-block", r"^(?:上一篇|下一篇|上一条|下一条)\s*[:：]?", 120),
    _rule("related-block", r"^相关(?:资讯|专题)请关注", 60),
)

LINE_RULES: tuple[Rule, ...] = (
    _rule(
        "footer",
        r"版权所有|copyright|\bicp\s*备|icp证|违法和不良信息举报|©|all rights reserved",
        200,
    ),
    _rule("original-title", r"^[(（【]?(?:本文)?原标?题(?:为)?\s*[:：《]", 80),
    _rule(
        "breadcrumb",
        r"^(?:您的位置|你的位置|您现在的位置|你现在的位置|您当前的位置|你当前的位置|您当前位置|当前的位置|当前位置|所在位置|现在位置)\s*[:：]?",
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
    _rule("editor", rf"^{_EDITOR_ROLE}\s+{_NAME}(?:\s+{_EDITOR_ROLE}\s+{_NAME})*$", 40),
    _rule("caption", r"^[▲△▼]", 300),
    _rule("credit", r"^作者\s*[:：]\s*\S{1,20}$", 30),
    _rule("link", r"^(?:原文链接|原文地址|本文链接|文章来源地址)\s*[:：]", 300),
    _rule(
        "meta",
        r"(?:来源|作者|发布时间|发布日期|更新时间|浏览次数|点击数|阅读数|浏览量|点击量|字号)\s*[:：]"
        r"|用手持设备访问|\bwww\.[a-z0-9\-]+\.(?:com|cn|net)",
        120,
    ),
    _rule("meta", r"^" + _DATE + r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:星期.)?$", 40),
    _rule("credit", _CREDIT, 80),
    _rule("credit", r"^[(（][^()（）]{0,30}(?:记者|通讯员|文/|图/|摄影)[^()（）]*[)）]$", 80),
    _rule("caption", r"^图为|^(?:图片来源|图片来自|资料图|配图|图)\s*[:：/]|^\(?图片?[:：]", 120),
    _rule(
        "share",
        r"二维码|扫一扫|分享到|分享至|打印本页|打印文章|【打印】|^打印$|关闭窗口|^字号|字号\s*[:：]|【字号"
        r"|【大 中 小】|收藏本文|复制链接|加入收藏|返回顶部|点击查看|点击进入|阅读原文|查看原文|微信公众号"
        r"|返回搜狐|查看更多|点【在看】|^点击菜单栏|^返回\S{0,8}首页|^点赞|点赞\s*\d+$|^\d*\s*条?评论\s*\d*$|^举报$|^分享$|【?我要纠错】?|【纠错】",
        40,
    ),
    _rule(
        "footer",
        r"^免责声明\s*[:：]|^声明\s*[:：]|本文(?:来自|系|为).{0,20}(?:自媒体|客户端|app)"
        r"|^[(（]?本文来自.{0,12}[，,]更多原创资讯|^图片均?来(?:自|源于?)网络",
        200,
    ),
    _rule(
        "mirror-junk",
        r"^(?:繁體|繁体|简体|繁體中文|简体中文|首页|返回首页|返回列表|返回|更多|打印|关闭|登录|注册"
        r"|上一页|下一页|\d+)$",
        12,
    ),
    _rule("pagination", r"^(?:【\d+】|\[\d+\]|上一页|下一页|首页|尾页|末页|\d+|\s)+$", 100),
    _rule("mirror-junk", r"^[\W_]+$", 200),
)

# Cut off in place at the end of a long one-line body (structured imports keep these tails).
INLINE_TAILS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\s*返回搜狐，?查看更多.*$"),
    re.compile(r"\s*[\[【(（]?责任编辑\s*[:：][^。！？]{0,30}$"),
    re.compile(r"\s*(?:相关新闻|相关阅读|推荐阅读)\s*$"),
    re.compile(r"\s*返回[^\s，。]{0,8}首页\s*>*$"),
)
