"""Own HTML pages with realistic page furniture and their hand-written expectations.

Same case shape as _pages_text.py. All names, places and events are invented.
"""

from __future__ import annotations

import html

from _pages_text import DUP_AUTHORS, DUP_BODY, DUP_TITLE

_NAV = """<div class="top-nav"><ul>
<li><a href="/">首页</a></li><li><a href="/xm/">厦门</a></li><li><a href="/tw/">台湾</a></li>
<li><a href="/fj/">福建</a></li><li><a href="/gn/">国内</a></li><li><a href="/video/">视频</a></li>
<li><a href="/fc/">房产</a></li><li><a href="/jy/">教育</a></li></ul>
<form action="/search"><input type="text" name="q" placeholder="请输入关键字"><button>搜索</button></form></div>"""

_SHARE = """<div class="share-bar">分享到：<a class="wx">微信</a><a class="wb">新浪微博</a>
<a class="qz">QQ空间</a><a class="print" href="javascript:window.print()">打印</a>
<a href="javascript:window.close()">关闭窗口</a></div>"""

_COMMENTS = """<div id="comment-box"><h3>网友评论</h3>
<textarea placeholder="文明上网，理性发言"></textarea><button>发表评论</button>
<ul class="cmt-list"><li><span class="user">厦门网友 鹭岛阿强</span>支持！早就该这么做了</li>
<li><span class="user">思明网友</span>希望周末也能开放</li></ul>
<p>已有2人参与评论 我来说两句</p></div>"""

_FOOTER_THN = """<div class="footer"><p><a href="/about">关于我们</a> | <a href="/contact">联系我们</a> | <a href="/ad">广告服务</a></p>
<p>台海网版权所有 未经书面授权禁止转载 Copyright &copy; 2004-2023 taihainet.com</p>
<p>闽ICP备05002573号 违法和不良信息举报电话：0592-2371089</p></div>"""

_SCRIPT = """<script type="text/javascript">
var _hmt = _hmt || []; (function(){ var hm = document.createElement("script");
hm.src = "https://hm.baidu.com/hm.js?abc123"; var s = document.getElementsByTagName("script")[0];
s.parentNode.insertBefore(hm, s); })(); document.write("<p>加载中……</p>");
</script>"""

_STYLE = """<style type="text/css">
body{font-family:"微软雅黑";} .article p{text-indent:2em;line-height:1.8;} .share-bar a{margin:0 4px;}
</style>"""


def _paras(paragraphs: list[str]) -> str:
    """Paragraph list → <p> markup with HTML-escaped text."""
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


_NAMED = {"“": "&ldquo;", "”": "&rdquo;", "—": "&mdash;", "·": "&middot;"}


def _paras_entities(paragraphs: list[str]) -> str:
    """Like _paras, but curly quotes and dashes written as named entities, as old CMSs do."""
    out = []
    for p in paragraphs:
        text = html.escape(p, quote=False)
        for char, entity in _NAMED.items():
            text = text.replace(char, entity)
        out.append(f"<p>{text}</p>")
    return "\n".join(out)


def _h_taihainet_siming() -> dict:
    title = "鼓浪屿音乐厅修缮后重新开放 首场音乐会一票难求"
    body = [
        "台海网5月18日讯（记者 陈梦婷）历时一年半修缮的鼓浪屿音乐厅昨晚重新开放，厦门爱乐乐团在这里奏响了修缮后的首场音乐会，800张门票在开票10分钟内售罄。",
        "此次修缮更换了音乐厅的全部座椅，重新调校了厅内声学结构，还增设了无障碍通道和母婴室。鼓浪屿管委会相关负责人说，修缮坚持“修旧如旧”，音乐厅标志性的扇形外观和木质穹顶都被完整保留。",
        "据介绍，今年下半年，音乐厅将安排周末公益音乐会48场，市民和游客可通过“鼓浪屿”微信公众号预约。",
    ]
    raw = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{title}_厦门_台海网</title>
<meta name="keywords" content="鼓浪屿,音乐厅,厦门旅游,厦门租房,厦门美食">
<meta name="description" content="历时一年半修缮的鼓浪屿音乐厅昨晚重新开放">
<meta property="og:url" content="http://www.taihainet.com/news/xmnews/szjj/2023-05-18/2671234.html">
<link rel="canonical" href="http://www.taihainet.com/news/xmnews/szjj/2023-05-18/2671234.html">
{_STYLE}
{_SCRIPT}
</head><body>
{_NAV}
<div class="crumbs">您现在的位置: <a href="/">台海网</a> &gt;&gt; <a href="/news/">新闻中心</a> &gt;&gt; <a href="/news/xmnews/">厦门</a> &gt;&gt; 正文</div>
<div class="article">
<h1>{title}</h1>
<div class="info"><span>2023-05-18 07:52</span>&nbsp;&nbsp;<span>来源：厦门日报</span>&nbsp;<span>字号：<a>大</a><a>中</a><a>小</a></span></div>
{_SHARE}
<div class="article-content">
<figure><img src="/uploads/2023/05/18/gly.jpg" alt=""><figcaption>修缮后的鼓浪屿音乐厅。</figcaption></figure>
{_paras_entities(body)}
<p class="editor">责任编辑：刘慧君</p>
</div>
<div class="qrcode"><img src="/qr.png">扫一扫 手机看新闻</div>
<div class="related"><h3>相关新闻</h3><ul>
<li><a href="/a1.html">鼓浪屿“家庭音乐会”暑期开演</a></li>
<li><a href="/a2.html">日光岩景区启用分时预约</a></li></ul></div>
{_COMMENTS}
</div>
{_FOOTER_THN}
</body></html>
"""
    return {
        "name": "h01_taihainet_full_page_siming",
        "ext": "html",
        "raw": raw,
        "covers": [
            "html-nav-script-style",
            "html-title-suffix",
            "site-from-title-suffix",
            "url-og",
            "url-canonical",
            "breadcrumb",
            "meta-line",
            "share-bar",
            "font-size-line",
            "caption-figcaption",
            "editor-line",
            "qrcode-share-lines",
            "trailing-related-block",
            "comment-box",
            "footer",
            "credit-in-lead",
            "meta-date-wins",
            "district-title",
            "published-datetime-minutes",
            "html-entities",
            "footer-report-line",
        ],
        "expect": {
            "title": title,
            "published": "2023-05-18T07:52:00",
            "source": "厦门日报",
            "site": "台海网",
            "district": "思明区",
            "authors": ["记者 陈梦婷"],
            "keywords": [],
            "captions": ["修缮后的鼓浪屿音乐厅。"],
            "url": "http://www.taihainet.com/news/xmnews/szjj/2023-05-18/2671234.html",
        },
        "body": body,
        "not_contains": [
            "首页",
            "分享到",
            "QQ空间",
            "日光岩景区启用分时预约",
            "网友评论",
            "希望周末也能开放",
            "版权所有",
            "闽ICP备",
            "_hmt",
            "font-family",
            "加载中",
            "责任编辑",
            "厦门租房",
        ],
    }


def _h_xmnn_jimei_entities() -> dict:
    title = "集美新城“夜经济”街区开街 首周客流超10万人次"
    body = [
        "集美新城首个“夜经济”特色街区——杏林湾夜市街区日前正式开街。街区全长约800米，汇集了闽南小吃、文创市集、露天音乐等120多个摊位，营业时间为每天18:00至次日1:00。",
        "集美区商务局介绍，开街首周街区客流量超过10万人次，带动周边餐饮企业营业额增长三成以上。为方便市民出行，街区周边新增了两处临时停车场和公交夜班线路。",
        "下一步，集美区还将在集美学村、园博苑片区布局两条夜间消费街区，打造“夜游集美”品牌。",
    ]
    escaped = [
        "集美新城首个&ldquo;夜经济&rdquo;特色街区&mdash;&mdash;杏林湾夜市街区日前正式开街。街区全长约800米，汇集了闽南小吃、文创市集、露天音乐等１２０多个摊位，营业时间为每天18:00至次日1:00。",
        "集美区商务局介绍，开街首周街区客流量超过１０万人次，带动周边餐饮企业营业额增长三成以上。为方便市民出行，街区周边新增了两处临时停车场和公交夜班线路。",
        "下一步，集美区还将在集美学村、园博苑片区布局两条夜间消费街区，打造&#8220;夜游集美&#x201D;品牌。",
    ]
    raw = f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>集美新城&ldquo;夜经济&rdquo;街区开街 首周客流超10万人次 - 厦门网</title>
<link rel="canonical" href="https://news.xmnn.cn/xmxw/202407/t20240722_5588812.htm">
{_STYLE}
</head><body>
<div id="header"><a href="https://www.xmnn.cn/">厦门网</a> | <a>新闻</a> | <a>厦门</a> | <a>海西</a> | <a>台海</a> | <a>国内</a> | <a>国际</a></div>
<div class="location">当前位置：<a>首页</a> &gt; <a>厦门新闻</a> &gt; 正文</div>
<div class="main">
<h1>集美新城&ldquo;夜经济&rdquo;街区开街 首周客流超10万人次</h1>
<div class="meta">2024年07月22日&nbsp;09:15&nbsp;&nbsp;&nbsp;来源：厦门晚报</div>
<div class="TRS_Editor">
<p>&nbsp;&nbsp;&nbsp;&nbsp;{escaped[0]}</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{escaped[1]}</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{escaped[2]}</p>
<p>作者：苏怡婷</p>
<p>关键字：夜经济；杏林湾；集美新城</p>
</div>
<div class="page-tools"><a>【打印本页】</a> <a>【关闭窗口】</a></div>
<div class="tj"><h4>推荐阅读</h4>
<a>集美学村“网红”灯塔周末亮灯</a>
<a>杏林湾帆船赛下月开赛</a></div>
</div>
<div id="footer">厦门网 版权所有 Copyright &copy; 2006-2024 xmnn.cn All Rights Reserved 闽ICP备06013227号</div>
</body></html>
"""
    return {
        "name": "h02_xmnn_entities_jimei",
        "ext": "html",
        "raw": raw,
        "covers": [
            "html-entities",
            "html-title-suffix",
            "site-from-title-suffix",
            "url-canonical",
            "breadcrumb-dangqian",
            "published-chinese-date",
            "nbsp-ideographic-space",
            "indentation",
            "credit-line-zuozhe",
            "keywords-line",
            "print-close-lines",
            "trailing-recommended-block",
            "footer-copyright",
            "district-title",
            "fullwidth-nfkc",
            "chinese-punctuation-kept",
            "html-nav-script-style",
        ],
        "expect": {
            "title": title,
            "published": "2024-07-22T09:15:00",
            "source": "厦门晚报",
            "site": "厦门网",
            "district": "集美区",
            "authors": ["作者 苏怡婷"],
            "keywords": ["夜经济", "杏林湾", "集美新城"],
            "captions": [],
            "url": "https://news.xmnn.cn/xmxw/202407/t20240722_5588812.htm",
        },
        "body": body,
        "contains": ["特色街区——杏林湾夜市街区", "打造“夜游集美”品牌。"],
        "not_contains": [
            "&ldquo;",
            "&#8220;",
            "当前位置",
            "关键字",
            "苏怡婷",
            "推荐阅读",
            "灯塔",
            "Copyright",
        ],
    }


def _h_utf16_tongan() -> dict:
    title = "同安区新民镇启用全市首个“共享农机”服务站"
    body = [
        "近日，同安区新民镇的“共享农机”服务站正式启用。服务站配备了插秧机、收割机、植保无人机等各类农机具46台，农户通过手机小程序即可预约，按亩付费。",
        "新民镇农业服务中心负责人说，过去一户农户买一台收割机要十几万元，一年只用十来天，很不划算。“共享”之后，农户每亩只需支付80元左右的作业费。",
        "据悉，服务站启用一个月来，已为周边农户提供机耕、机收服务3200多亩。",
        "（来源：海峡导报）",
    ]
    raw = f"""<!DOCTYPE html>
<html><head><meta charset="utf-16"><title>{title}</title></head>
<body>
<div class="nav"><a>导报首页</a> <a>厦门</a> <a>台湾</a> <a>闽南</a> <a>电子报</a></div>
<h1>{title}</h1>
<p class="time">2015-06-09 16:21:08</p>
<div class="content">
{_paras(body)}
</div>
<p>编辑：许艺珊</p>
</body></html>
"""
    return {
        "name": "h03_utf16_source_in_brackets_tongan",
        "ext": "htm",
        "raw": raw,
        "encoding": "utf-16",
        "covers": [
            "encoding-utf16",
            "source-bracketed-tail",
            "meta-line",
            "editor-line",
            "site-none",
            "district-title",
            "html-meta-charset",
        ],
        "expect": {
            "title": title,
            "published": "2015-06-09T16:21:08",
            "source": "海峡导报",
            "site": None,
            "district": "同安区",
            "authors": [],
            "keywords": [],
            "captions": [],
            "url": None,
        },
        "body": body[:3],
        "not_contains": ["来源", "导报首页", "编辑"],
    }


def _h_no_title() -> dict:
    body = [
        "2023年6月8日，翔安区马巷街道举行夏季招聘会，60余家企业提供就业岗位1800多个，吸引了2000多名求职者到场。",
        "招聘会现场还设置了政策咨询台和简历指导区，工作人员为求职者讲解社保补贴、创业贷款等政策。",
    ]
    raw = f"""<html><head><meta charset="utf-8"><title></title></head>
<body>
<div class="info">发布时间：2023-02-29</div>
<div class="content">
{body[0]}<br><br>
{body[1]}<br>
</div>
</body></html>
"""
    return {
        "name": "h04_missing_title_lead_date",
        "ext": "html",
        "raw": raw,
        "covers": [
            "review-no-title",
            "published-lead-date",
            "district-body",
            "html-br-paragraphs",
            "invalid-date-rejected",
            "meta-line-fabu",
        ],
        "expect": {
            "title": "",
            "published": "2023-06-08",
            "source": None,
            "site": None,
            "district": "翔安区",
            "authors": [],
            "keywords": [],
            "captions": [],
            "url": None,
            "review_reasons": ["未找到标题"],
        },
        "body": body,
    }


def _h_title_only_suffix() -> dict:
    body = [
        "海沧区今年将实施“百场文化进社区”活动，全年计划在24个社区举办戏曲、电影、书画展等文化活动100场以上。",
        "首场活动日前在海沧街道囷瑶社区举行，芗剧团带来的传统剧目《三家福》赢得居民阵阵掌声。",
    ]
    raw = f"""<html><head><meta charset="utf-16"><title>_厦门_台海网</title></head>
<body>
<div class="crumbs">您现在的位置: 台海网 &gt;&gt; 新闻中心 &gt;&gt; 厦门 &gt;&gt; 各区报道 &gt;&gt; 正文</div>
<div class="info">2018-04-02 08:30:00 来源：台海网</div>
<div class="content">
{_paras(body)}
</div>
</body></html>
"""
    return {
        "name": "h05_title_is_only_site_suffix",
        "ext": "html",
        "raw": raw,
        "encoding": "utf-16",
        "covers": [
            "review-no-title",
            "site-from-title-suffix",
            "breadcrumb",
            "meta-line",
            "district-body",
            "published-datetime-seconds",
            "encoding-utf16",
        ],
        "expect": {
            "title": "",
            "published": "2018-04-02T08:30:00",
            "source": "台海网",
            "site": "台海网",
            "district": "海沧区",
            "authors": [],
            "keywords": [],
            "captions": [],
            "url": None,
            "review_reasons": ["未找到标题"],
        },
        "body": body,
    }


def _h_seo_spam() -> dict:
    body = [
        "我们是一家专业的厦门搬家公司，拥有大中小型搬家车辆五十余台，提供居民搬家、公司搬迁、长途搬家、钢琴搬运等服务，欢迎来电预约。",
    ]
    raw = f"""<html><head><meta charset="utf-8"><title>厦门搬家公司哪家好_厦门搬家公司电话</title></head>
<body>
<div class="kw">厦门搬家公司,厦门搬家,厦门搬家公司电话,思明搬家,湖里搬家,集美搬家,厦门长途搬家,厦门钢琴搬运</div>
<div class="kw">厦门搬家价格 厦门搬家多少钱 厦门小型搬家 厦门公司搬迁 厦门居民搬家 厦门搬家电话</div>
<h1>厦门搬家公司哪家好</h1>
<div class="info">发布时间：2021-05-11</div>
<div class="content">
{_paras(body)}
<p>厦门搬家,厦门搬家公司,厦门搬家电话,厦门搬家价格,厦门搬家车,厦门搬家师傅,厦门搬家公司排名</p>
<p>扫一扫二维码，添加客服微信</p>
</div>
<div class="links">相关阅读：<a>厦门搬家公司收费标准</a> <a>厦门搬家注意事项</a></div>
</body></html>
"""
    return {
        "name": "h06_seo_spam_page",
        "ext": "html",
        "raw": raw,
        "covers": [
            "review-not-news",
            "spam-keywords-line",
            "qrcode-share-lines",
            "trailing-related-block",
            "published-date-only",
            "meta-line-fabu",
        ],
        "expect": {
            "title": "厦门搬家公司哪家好",
            "published": "2021-05-11",
            "source": None,
            "site": None,
            "district": None,
            "authors": [],
            "keywords": [],
            "captions": [],
            "url": None,
            "review_reasons": ["疑似非新闻"],
        },
        "body": body,
        "not_contains": ["湖里搬家", "二维码", "收费标准"],
    }


def _h_video_stub() -> dict:
    body = ["11月3日，大批白鹭飞抵湖畔栖息觅食，吸引市民驻足观赏。"]
    raw = f"""<html><head><meta charset="utf-8">
<title>视频：湖畔白鹭翩飞 - 厦门网</title>
<meta property="og:url" content="https://v.xmnn.cn/sp/202511/t20251103_6012345.htm">
</head><body>
<h1>视频：湖畔白鹭翩飞</h1>
<div class="meta">2025-11-03 12:00:00 来源：厦门广电</div>
<div class="video"><video src="/v/bailu.mp4"></video></div>
<div class="content">{_paras(body)}</div>
{_SHARE}
</body></html>
"""
    return {
        "name": "h07_video_stub_too_short",
        "ext": "html",
        "raw": raw,
        "covers": [
            "review-body-too-short",
            "site-from-title-suffix",
            "url-og",
            "share-bar",
            "district-none",
        ],
        "expect": {
            "title": "视频：湖畔白鹭翩飞",
            "published": "2025-11-03T12:00:00",
            "source": "厦门广电",
            "site": "厦门网",
            "district": None,
            "authors": [],
            "keywords": [],
            "captions": [],
            "url": "https://v.xmnn.cn/sp/202511/t20251103_6012345.htm",
            "review_reasons": ["正文过短"],
        },
        "body": body,
    }


def _h_gbk_broken_byte() -> dict:
    title = "思明区莲前街道开设“长者食堂” 老人10元吃上两荤一素"
    body_ok = [
        "思明区莲前街道首家“长者食堂”日前在前埔北社区开张，辖区60岁以上老人凭身份证用餐，10元就能吃上两荤一素一汤。",
        "食堂由街道引入专业餐饮企业运营，每天供应午餐和晚餐，行动不便的老人还可以预约送餐上门。",
        "街道负责人表示，今年内还将在辖区再开设3家长者食堂。",
    ]
    head = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{title} - 厦门网</title></head><body>
<h1>{title}</h1>
<div class="meta">2019-11-27 10:05:44 来源：厦门日报</div>
<div class="content">
"""
    page = head + _paras(body_ok) + "\n</div>\n</body></html>\n"
    data = page.encode("gb18030")
    marker = "送餐上门".encode("gb18030")
    data = data.replace(marker, b"\xff" + marker, 1)
    body = [body_ok[0], body_ok[1].replace("送餐上门", "\ufffd送餐上门"), body_ok[2]]
    return {
        "name": "h08_gbk_with_broken_byte",
        "ext": "html",
        "raw_bytes": data,
        "covers": [
            "encoding-gb18030",
            "html-meta-charset",
            "review-encoding-error",
            "site-from-title-suffix",
            "district-title",
        ],
        "expect": {
            "title": title,
            "published": "2019-11-27T10:05:44",
            "source": "厦门日报",
            "site": "厦门网",
            "district": "思明区",
            "authors": [],
            "keywords": [],
            "captions": [],
            "url": None,
            "review_reasons": ["编码有误"],
        },
        "body": body,
        "contains": ["长者食堂"],
    }


def _dup_c() -> dict:
    raw = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{DUP_TITLE} - 厦门网</title>
<link rel="canonical" href="https://news.xmnn.cn/xmxw/202009/t20200916_5391102.htm">
{_SCRIPT}
</head><body>
<div id="header"><a>厦门网</a> | <a>新闻</a> | <a>厦门</a> | <a>区县</a></div>
<div class="location">当前位置：<a>首页</a> &gt; <a>厦门新闻</a> &gt; 正文</div>
<h1>{DUP_TITLE}</h1>
<div class="meta">2020-09-16 08:30:00&nbsp;&nbsp;来源：厦门日报</div>
<div class="TRS_Editor">
{_paras(DUP_BODY)}
</div>
<div class="tj"><h4>相关阅读</h4><a>同安五显镇：古村落变身研学基地</a></div>
<div id="footer">厦门网 版权所有 闽ICP备06013227号</div>
</body></html>
"""
    return {
        "name": "dup_c_html_xmnn",
        "ext": "html",
        "raw": raw,
        "covers": [
            "dup-set",
            "html-title-suffix",
            "site-from-title-suffix",
            "url-canonical",
            "breadcrumb-dangqian",
            "trailing-related-block",
            "html-nav-script-style",
        ],
        "expect": {
            "title": DUP_TITLE,
            "published": "2020-09-16T08:30:00",
            "source": "厦门日报",
            "site": "厦门网",
            "district": "同安区",
            "authors": DUP_AUTHORS,
            "keywords": [],
            "captions": [],
            "url": "https://news.xmnn.cn/xmxw/202009/t20200916_5391102.htm",
        },
        "body": DUP_BODY,
        "not_contains": ["五显镇", "当前位置"],
    }


def _dup_d() -> dict:
    raw = f"""<html><head><meta charset="utf-8">
<title>{DUP_TITLE}_厦门新闻_东南网</title>
<meta property="og:url" content="http://xm.fjsen.com/2020-09/16/content_30488765.htm">
<style>.cont p{{text-indent:2em}}</style>
</head><body>
<div class="top"><a>东南网首页</a> <a>福建</a> <a>厦门</a> <a>泉州</a> <a>漳州</a> <a>视频</a> <a>评论</a></div>
<div class="pos">您的位置：<a>首页</a> &gt; <a>厦门频道</a> &gt; <a>厦门新闻</a> &gt;</div>
<div class="title">{DUP_TITLE}</div>
<div class="laiyuan">2020-09-16 10:47:12　来源：厦门网　</div>
<div class="cont">
{_paras(DUP_BODY)}
<p>　　责任编辑：郑雅琳</p>
</div>
<div class="share">分享到：微信 微博 QQ</div>
<div class="hot"><h4>热门推荐</h4><ul><li>福州地铁4号线首通段开通</li><li>泉州古城申遗五周年</li></ul></div>
<div class="foot">东南网版权所有 Copyright &copy; 2000-2020 fjsen.com 闽ICP备05014010号</div>
</body></html>
"""
    return {
        "name": "dup_d_html_fjsen_repost",
        "ext": "html",
        "raw": raw,
        "covers": [
            "dup-set",
            "site-from-url",
            "url-og",
            "breadcrumb-shouye",
            "meta-line",
            "source-line",
            "editor-line",
            "share-bar",
            "trailing-hot-block",
            "footer-copyright",
        ],
        "expect": {
            "title": DUP_TITLE,
            "published": "2020-09-16T10:47:12",
            "source": "厦门网",
            "site": "东南网",
            "district": "同安区",
            "authors": DUP_AUTHORS,
            "keywords": [],
            "captions": [],
            "url": "http://xm.fjsen.com/2020-09/16/content_30488765.htm",
        },
        "body": DUP_BODY,
        "not_contains": ["福州地铁", "责任编辑", "分享到", "东南网版权所有"],
    }


def _h_wen_credit_epaper() -> dict:
    title = "海沧新阳工业区企业招工 “家门口就业”岗位多"
    body = [
        "新阳工业区近日举办“家门口就业”专场招聘会，区内40多家制造企业拿出普工、技术工、质检员等岗位1500多个，月薪普遍在5000元至8000元之间。",
        "海沧区人社局工作人员介绍，招聘会特意安排在周六举行，方便在职人员前来了解。现场还有企业推出“老带新”奖励，员工介绍亲友入职可获得500元至1000元不等的奖金。",
        "据统计，当天共有860多人与企业达成初步就业意向。",
    ]
    raw = f"""<html><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:url" content="https://epaper.xmnn.cn/xmrb/20251018/202510/t20251018_6009876.htm"></head>
<body>
<div class="banner">厦门日报数字报 <a>往期回顾</a> <a>版面导航</a></div>
<div class="bm">第A05版：区域</div>
<h1>{title}</h1>
<div class="content">
<p>2025年10月18日</p>
<p>（文/厦门日报记者 何无痕 通讯员 海人社 图/厦门日报记者 王火炎）</p>
<p>▲招聘会现场人头攒动。</p>
{_paras_entities(body)}
</div>
<div class="foot">厦门日报社版权所有 未经授权禁止复制</div>
</body></html>
"""
    return {
        "name": "h09_epaper_wen_credit_haicang",
        "ext": "html",
        "raw": raw,
        "covers": [
            "credit-line-slash",
            "source-from-wen-credit",
            "site-from-url",
            "url-og",
            "published-chinese-date",
            "caption-triangle",
            "footer",
            "district-title",
            "html-entities",
        ],
        "expect": {
            "title": title,
            "published": "2025-10-18",
            "source": "厦门日报",
            "site": "厦门日报",
            "district": "海沧区",
            "authors": ["记者 何无痕", "通讯员 海人社", "记者 王火炎"],
            "keywords": [],
            "captions": ["招聘会现场人头攒动。"],
            "url": "https://epaper.xmnn.cn/xmrb/20251018/202510/t20251018_6009876.htm",
        },
        "body": body,
        "not_contains": ["第A05版", "往期回顾", "何无痕", "版权所有"],
    }


def _h_breadcrumb_district() -> dict:
    title = "这所乡村小学的孩子们有了自己的足球场"
    body = [
        "台海网11月2日讯 “以前踢球只能在水泥地上，现在有了真正的草皮球场！”昨天，在新建成的校园足球场上，五年级学生小林兴奋地说。",
        "这块七人制人造草坪足球场由一家爱心企业捐建，面积约2000平方米，配有夜间照明和看台。学校还聘请了专业教练，每周为学生开设两节足球课。",
        "校长介绍，学校目前有学生400多名，大多是周边村民和外来务工人员的子女。",
    ]
    raw = f"""<html><head><meta charset="utf-8"><title>{title}_厦门_台海网</title></head>
<body>
<div class="crumbs">您现在的位置: 台海网 &gt;&gt; 新闻中心 &gt;&gt; 厦门 &gt;&gt; 各区报道 &gt;&gt; 翔安 &gt;&gt; 正文</div>
<h1>{title}</h1>
<div class="info">www.taihainet.com 来源: 台海网 用手持设备访问</div>
<div class="content">
<figure><img src="/uploads/qiuchang.jpg"><figcaption>新建成的人造草坪足球场。</figcaption></figure>
{_paras(body)}
</div>
<div class="prev-next"><p>上一篇：内厝镇开展秋季森林防火演练</p><p>下一篇：翔安机场片区再添一条主干道</p></div>
</body></html>
"""
    return {
        "name": "h10_breadcrumb_district_dateline",
        "ext": "html",
        "raw": raw,
        "covers": [
            "district-breadcrumb",
            "meta-line-www",
            "site-from-title-suffix",
            "trailing-prev-next",
            "site-from-meta-www",
            "dateline-no-default-year",
            "review-date-missing-year",
            "caption-figcaption",
            "source-line",
        ],
        "expect": {
            "title": title,
            "published": None,
            "source": "台海网",
            "site": "台海网",
            "district": "翔安区",
            "authors": [],
            "keywords": [],
            "captions": ["新建成的人造草坪足球场。"],
            "url": None,
            "review_reasons": ["日期缺少年份"],
        },
        "body": body,
        "not_contains": ["上一篇", "内厝镇", "用手持设备访问"],
    }


def _h_br_paragraphs_standalone_credit() -> dict:
    title = "五缘湾湿地公园迎来今冬首批候鸟"
    body = [
        "随着气温下降，湖里区五缘湾湿地公园迎来今冬首批候鸟。记者昨日在公园看到，上百只黑脸琵鹭、白鹭在滩涂上觅食，吸引了不少摄影爱好者。",
        "湖里区园林部门工作人员介绍，近年来五缘湾湿地的生态环境持续改善，每年冬季在此停歇的候鸟超过40种。为避免惊扰鸟类，公园在观鸟区设置了隔离带，提醒市民不要投喂、不要使用闪光灯。",
    ]
    raw = f"""<html><head><meta charset="utf-8"><title>{title}-海峡导报</title></head>
<body>
<div class="path">当前位置：首页 &gt; 厦门 &gt; 湖里</div>
<h1>{title}</h1>
<div class="from">发布时间：2022-12-01 07:30&nbsp;&nbsp;来源：海峡导报&nbsp;&nbsp;作者：导报记者 庄严&nbsp;&nbsp;浏览次数：356</div>
<div class="article">
<br>（导报记者 庄严 文/图）<br>
{body[0]}<br><br>
{body[1]}<br>
<br>标签：候鸟、五缘湾、黑脸琵鹭<br>
</div>
</body></html>
"""
    return {
        "name": "h11_br_paragraphs_tags_huli",
        "ext": "html",
        "raw": raw,
        "covers": [
            "html-br-paragraphs",
            "breadcrumb-dangqian",
            "meta-line-fabu",
            "credit-line-parenthesised",
            "keywords-line",
            "site-from-title-suffix",
            "district-title",
            "author-dedupe",
            "district-breadcrumb",
        ],
        "expect": {
            "title": title,
            "published": "2022-12-01T07:30:00",
            "source": "海峡导报",
            "site": "海峡导报",
            "district": "湖里区",
            "authors": ["记者 庄严"],
            "keywords": ["候鸟", "五缘湾", "黑脸琵鹭"],
            "captions": [],
            "url": None,
        },
        "body": body,
        "not_contains": ["标签", "浏览次数", "庄严"],
    }


HTML_CASES = [
    _h_taihainet_siming(),
    _h_xmnn_jimei_entities(),
    _h_utf16_tongan(),
    _h_no_title(),
    _h_title_only_suffix(),
    _h_seo_spam(),
    _h_video_stub(),
    _h_gbk_broken_byte(),
    _dup_c(),
    _dup_d(),
    _h_wen_credit_epaper(),
    _h_breadcrumb_district(),
    _h_br_paragraphs_standalone_credit(),
]
