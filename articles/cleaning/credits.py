"""Who published a text (source), where it was saved from (site), and who wrote it (authors)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlsplit

from .outlets import canonical_outlet, is_known_outlet, site_for_host, site_for_name
from .types import Author

__all__ = ["parse_authors", "parse_site", "parse_source"]

_MAX_TEXT = 5000
_HAN = r"\u4e00-\u9fff"
_NAME_STOP = r"\s，。；;,、|/）)】\]》>"

# 来源：厦门日报 / 文章来源: 东南网 / （来源：海峡导报）
_SOURCE_LINE = re.compile(
    r"(?<!图片)(?<!照片)(?<!图)(?<!数据)(?<!资料)(?<!资金)(?<!视频)来\s*源\s*[于自]?\s*[:：]\s*"
    rf"(?P<name>[^{_NAME_STOP}]{{2,20}}?)"
    rf"(?=$|[{_NAME_STOP}]|作者|编辑|责编|记者|发布|时间|浏览|点击|阅读|字号|\d{{4}})"
    r"(?P<sentence>(?=[，。；;,]))?"
)
# 据厦门晚报报道 / 据新华社消息
_REPORTED_BY = re.compile(rf"据\s*(?P<name>[{_HAN}A-Za-z《》]{{2,16}}?)(?:记者)?(?:报道|消息|讯)")
# 文/厦门日报记者 罗子泓 / （海峡导报记者 张三）: a credit, not "…接受新华社记者采访" in a sentence
_OUTLET_REPORTER = re.compile(
    rf"(?:^|[（(/【\[]|^\S{{0,12}}\s+)(?P<name>[{_HAN}]{{2,12}}?)(?:首席|特约|见习|实习)?(?:记者|通讯员)"
)
# 台海网8月20日讯 / 厦门网讯 / 新华社厦门3月5日电 (at the start of the text)
# A dateline opens the lead, perhaps after a photo credit or a caption sentence.
_DATELINE_START = r"^(?:[（(][^（）()]{0,40}[）)]|[^。\n]{0,60}。)?"
_DATELINE = re.compile(
    _DATELINE_START
    + rf"[\s【\[（(]*(?P<name>[{_HAN}A-Za-z]{{2,12}}?)\s*(?:\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)?\s*讯"
)
# 新华社厦门3月5日电: a place may sit between the outlet and the date.
_DATELINE_WITH_PLACE = re.compile(
    _DATELINE_START
    + rf"[\s【\[（(]*(?P<name>新华社|中新社|中新网|中国新闻网|人民日报|央视新闻|[{_HAN}]{{2,8}}(?:报|网|社|台))"
    rf"(?:[{_HAN}]{{0,6}}?)\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日\s*电"
)


def _texts(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        texts = [texts]
    return [t[:_MAX_TEXT] for t in texts if isinstance(t, str)]


_Accept = Callable[[re.Match[str]], str | None]


def _first(texts: Iterable[str], pattern: re.Pattern[str], accept: _Accept) -> str | None:
    for text in texts:
        for m in pattern.finditer(text):
            outlet = accept(m)
            if outlet:
                return outlet
    return None


def _sender(m: re.Match[str]) -> str | None:
    """After 来源： any short name counts, unless a sentence goes on after it."""
    return canonical_outlet(m["name"], senders=m["sentence"] is None)


def _outlet(m: re.Match[str]) -> str | None:
    return canonical_outlet(m["name"])


def parse_source(texts: Sequence[str]) -> str | None:
    """The credited outlet, canonicalised; a 来源 line beats 据…报道, a reporter credit, a dateline.

    ["2021-11-13 09:11:07 来源:中新网"] → "中国新闻网"; ["台海网8月20日讯（记者 邹玒）…"] → "台海网";
    ["本报讯（记者 张三）"] → None.
    """
    lines = _texts(texts)
    passes: tuple[tuple[re.Pattern[str], _Accept], ...] = (
        (_SOURCE_LINE, _sender),
        (_REPORTED_BY, _outlet),
        (_OUTLET_REPORTER, _outlet),
        (_DATELINE_WITH_PLACE, _outlet),
        (_DATELINE, _outlet),
    )
    for pattern, accept in passes:
        outlet = _first(lines, pattern, accept)
        if outlet:
            return outlet
    return None


_SITE_NAME_MAX = 10
_SITE_ENDINGS = ("网", "网站", "官网", "报", "新闻", "频道")
_HOST = re.compile(r"(?<![\w.-])(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?![\w-])", re.I)
_BREADCRUMB_LEAD = re.compile(r"^.*?(?:当前位置|现在的位置|您的位置|所在位置|位置)\s*[:：]?\s*")
_BREADCRUMB_SPLIT = re.compile(r"\s*(?:>>|>|»|›|→|＞)\s*")
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜|--|——|\s-\s|-)\s*")


def _site_of_url(url: str | None) -> str | None:
    if not isinstance(url, str) or not url.strip():
        return None
    try:
        host = urlsplit(url.strip() if "//" in url else "//" + url.strip()).hostname
    except ValueError:
        return None
    return site_for_host(host) if host else None


def _site_of_name(text: str) -> str | None:
    """A text that is only a site's name, as in og:site_name: "新浪新闻" → "新浪网"."""
    text = text.strip()
    return site_for_name(text) if len(text) <= _SITE_NAME_MAX else None


def _site_of_hosts(text: str) -> str | None:
    for m in _HOST.finditer(text):
        site = site_for_host(m[1])
        if site:
            return site
    return None


def _site_of_breadcrumb(text: str) -> str | None:
    if not _BREADCRUMB_SPLIT.search(text):
        return None
    first = _BREADCRUMB_SPLIT.split(_BREADCRUMB_LEAD.sub("", text.strip()), maxsplit=1)[0]
    return site_for_name(first)


def _site_of_title(text: str) -> str | None:
    parts = [p for p in _TITLE_SPLIT.split(text.strip()) if p]
    if len(parts) < 2:
        return None
    for part in reversed(parts[1:]):
        site = site_for_name(part) or site_for_host(part)
        if site:
            return site
    last = parts[-1]
    if 3 <= len(last) <= 14 and last.endswith(_SITE_ENDINGS) and re.fullmatch(rf"[{_HAN}]+", last):
        return last
    return None


def parse_site(texts: Sequence[str], *, url: str | None = None) -> str | None:
    """The website the page came from: the URL first, then domains, breadcrumbs, title suffixes.

    [], url="https://www.taihainet.com/news/xmnews/…" → "台海网";
    ["中国人习以为常的地方|公园_新浪新闻"] → "新浪网"; ["台海网 >> 新闻中心 >> 厦门"] → "台海网".
    """
    site = _site_of_url(url)
    if site:
        return site
    for text in _texts(texts):
        site = (
            _site_of_name(text)
            or _site_of_hosts(text)
            or _site_of_breadcrumb(text)
            or _site_of_title(text)
        )
        if site:
            return site
    return None


# ---------------------------------------------------------------- authors

# Common Chinese surnames: a name outside brackets must start with one ("记者 走访" is no credit).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥"
    "南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支"
    "卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印"
    "逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
    "洪汝邰涂蓝黄颜卓"
)
COMPOUND_SURNAMES = tuple(
    str.split(
        "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 夏侯 长孙 宇文 司徒 端木 澹台 百里 呼延 独孤"
    )
)
# Words that sit where names sit in credits but are not names.
NOT_NAMES = frozenset(
    str.split(
        "报道 整理 综合 编译 发自 采写 摄影 通讯 记者站 本报 本台 本网 见习 实习 首席 特约 联合 专稿 供图"
        " 制图 视频 图文 文图 编辑 校对 审核 来源 出品 策划 监制 统筹 设计 网友 昨日 今日 近日 日前 昨天"
        " 今天 近期 目前 获悉 了解 报告 通讯员 作者 记者 实习生 文字 图片 摄像 责任编辑 浏览 次数 点击"
        " 浏览次数 字号 打印 关闭 分享 原创 佚名 不详 匿名 转载 整合 综述 供稿"
    )
)
# Function words and verbs that follow 记者 in a sentence (记者查阅发现, 记者从…获悉).
_NOT_IN_NAMES = frozenset("了的从向对到获悉访现说问看称释与在")
_NAME_SUFFIXES = ("报道", "整理", "整合", "供稿", "采写", "发自", "摄影", "摄")

_ROLE = re.compile(
    r"(?P<editor>(?:责任|文字|图片|美术|视频|值班)?编辑|审核|校对|监制)\s*[:：/／]?"
    r"|(?P<author>文\s*[/／]\s*图|图\s*[/／]\s*文|文\s*[/／]|作者\s*[:：]?|撰文\s*[:：/／]?)"
    r"|(?P<photo>(?:图|摄影|摄)\s*[/／:：]|摄影(?:记者)?|摄像)"
    rf"|(?P<reporter>(?:本报|本台|本网|[{_HAN}]{{2,8}}?(?:日报|晚报|导报|晨报|报社|网|社|台))?"
    r"(?:驻[\u4e00-\u9fff]{1,4})?(?:首席|特约|见习|实习)?记者\s*[:：]?)"
    r"|(?P<correspondent>通讯员\s*[:：]?)"
    r"|(?P<intern>实习生\s*[:：]?)"
)
_ROLE_NAMES = {
    "author": "作者",
    "photo": "摄影",
    "reporter": "记者",
    "correspondent": "通讯员",
    "intern": "实习生",
    "editor": "",
}
_ROLE_HINT = re.compile(r"记者|通讯员|作者|实习生|摄影|[文图]\s*[/／]")
_BRACKET_HINT = re.compile(r"记者|通讯员|作者|实习生|摄|[文图]\s*[/／]|[/／]\s*[文图]")
_BRACKETED = re.compile(r"[（(【\[]([^（）()【】\[\]]{2,120})[）)】\]]")
_TOKEN = re.compile(rf"[A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+)?|[{_HAN}]+(?:·[{_HAN}]+)*|\S")
_SEPARATORS = frozenset("、，,；; /／:：")


def _is_name(word: str, *, strict: bool) -> bool:
    """A person's name: 2–4 Han characters (strict: starting with a surname), X·Y, or Ann Lee."""
    if word in NOT_NAMES:
        return False
    if re.fullmatch(r"[A-Z][a-zA-Z]+\s+[A-Z][a-zA-Z]+", word):
        return True
    if "·" in word:
        return 3 <= len(word) <= 12
    if not re.fullmatch(rf"[{_HAN}]{{2,4}}", word):
        return False
    if not strict:
        return True
    has_surname = word[0] in SURNAMES or word.startswith(COMPOUND_SURNAMES)
    return has_surname and not any(c in _NOT_IN_NAMES for c in word[1:])


# Outlet words in a credit are skipped; 社 only for known outlets (通讯员 海人社 is a name).
_OUTLET_TAILS = ("报", "网", "电视台", "客户端")
_SUFFIX_ROLES = {"文": "作者", "图": "摄影", "摄": "摄影", "摄影": "摄影"}


def _names_in(zone: str, *, strict: bool) -> list[tuple[str, str]]:
    """Names between two role words, each with the role a suffix gives it ("林铭鸿 摄", "张三/文").

    "罗子泓 陈晓" → [("罗子泓", ""), ("陈晓", "")]; "张三/文 李四/图" → [("张三", "作者"), ("李四", "摄影")].
    """
    names: list[tuple[str, str]] = []
    unsuffixed = 0  # names since the last suffix: "张三 李四 摄" credits both
    for token in _TOKEN.findall(zone):
        if token in _SEPARATORS or not token.strip():
            continue
        word, suffix = token, ""
        for end in _NAME_SUFFIXES:
            if word.endswith(end) and len(word) > len(end):
                word, suffix = word[: -len(end)], end
                break
        if word in _SUFFIX_ROLES:
            word, suffix = "", word
        elif word.endswith(_OUTLET_TAILS) or is_known_outlet(word):
            continue  # 作者：东南网 张三: the outlet, then the name
        elif not _is_name(word, strict=strict):
            break
        if word:
            names.append((word, ""))
            unsuffixed += 1
        role = _SUFFIX_ROLES.get(suffix, "")
        if role:
            names[len(names) - unsuffixed :] = [
                (n, role) for n, _ in names[len(names) - unsuffixed :]
            ]
        if suffix:
            unsuffixed = 0
        if suffix and suffix not in _SUFFIX_ROLES and word:
            break  # 王晶晶报道: the credit ends here
    return names


def _credits_in(segment: str, *, strict: bool) -> list[Author]:
    """Authors in one credit segment: "文/厦门日报记者 罗子泓 通讯员 陈晓" → [记者 罗子泓, 通讯员 陈晓]."""
    roles = list(_ROLE.finditer(segment))
    lead = _names_in(segment[: roles[0].start()] if roles else segment, strict=strict)
    found = [Author(name, role) for name, role in lead if role]
    for i, m in enumerate(roles):
        end = roles[i + 1].start() if i + 1 < len(roles) else len(segment)
        role = _ROLE_NAMES[m.lastgroup or "editor"]
        if role:
            names = _names_in(segment[m.end() : end], strict=strict)
            found.extend(Author(name, role) for name, _ in names)
    return found


# Outside brackets a credit is a short line, the start of a lead ("本报讯 记者 张三 …") or the
# tail after the last sentence; "记者 查阅发现" in the middle of a sentence is no credit.
_SHORT_CREDIT = 40
_LEAD_BEFORE_CREDIT = re.compile(r"^[\s【\[。]*(?:[^\s，。]{0,16}?(?:讯|电))?[\s】\]。]*$")
_SENTENCE_END = re.compile(r"[，。！？；!?;]")


def _unbracketed_segment(rest: str) -> tuple[int, str] | None:
    """The part of a text outside brackets that may hold a credit, with its offset."""
    if len(rest) <= _SHORT_CREDIT:
        return 0, rest
    role = _ROLE.search(rest)
    if role is None:
        return None
    if _LEAD_BEFORE_CREDIT.match(rest[: role.start()]):
        end = _SENTENCE_END.search(rest, role.end())
        return role.start(), rest[role.start() : end.start() if end else None]
    tail = re.split(r"[。！？!?]", rest.rstrip("。！？!? "))[-1]
    if len(tail) <= _SHORT_CREDIT and _ROLE.search(tail) and not _SENTENCE_END.search(tail):
        return len(rest) - len(tail), tail
    return None


def _credits_of_text(text: str) -> list[Author]:
    """Credits in one text in reading order: bracketed ones anywhere, others where credits sit."""
    found: list[tuple[int, list[Author]]] = []
    for m in _BRACKETED.finditer(text):
        if _BRACKET_HINT.search(m[1]):
            found.append((m.start(), _credits_in(m[1], strict=False)))
    rest = _BRACKETED.sub(lambda m: "。" + " " * (len(m[0]) - 1), text)  # keeps offsets
    segment = _unbracketed_segment(rest) if _ROLE_HINT.search(rest) else None
    if segment:
        found.append((segment[0], _credits_in(segment[1], strict=True)))
    return [author for _, authors in sorted(found, key=lambda f: f[0]) for author in authors]


def parse_authors(texts: Sequence[str]) -> tuple[Author, ...]:
    """Credited people in page order, deduped by name (first role wins); editors are not authors.

    ["(文/厦门日报记者 罗子泓 通讯员 陈晓 图/通讯员 李明)"]
      → (Author("罗子泓", "记者"), Author("陈晓", "通讯员"), Author("李明", "通讯员"))
    ["台海网8月20日讯（记者 邹玒）昨日……"] → (Author("邹玒", "记者"),)
    """
    seen: dict[str, Author] = {}
    for text in _texts(texts):
        for author in _credits_of_text(text):
            seen.setdefault(author.name, author)
    return tuple(seen.values())
