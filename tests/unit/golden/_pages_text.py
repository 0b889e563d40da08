"""Own plain-text pages (as scrapers save them) with their hand-written expectations.

All names, places and events are invented. Each case: name, ext, raw (page text with
"\\n" line ends), encoding, crlf, default_year, covers, expect (all keys but body and
needs_review), body (expected paragraphs), contains / not_contains.
"""

from __future__ import annotations

import opencc

_S2T = opencc.OpenCC("s2t")

# ---------------------------------------------------------------------------
# The duplicate set (dup_a … dup_d): one story, four pages, one expected body.
# ---------------------------------------------------------------------------
DUP_TITLE = "同安汀溪水库周边将建环库绿道 全长约18公里"
DUP_BODY = [
    "厦门网讯（记者 林晓晖 通讯员 同宣）记者昨日从同安区获悉，汀溪水库周边环库绿道项目已完成设计招标，预计今年年底前动工建设。",
    "据介绍，环库绿道全长约18公里，串联起汀溪镇的前格、造水、西源等村庄，沿线将设置6处驿站和3处观景平台，供市民骑行、徒步休憩。",
    "同安区相关负责人表示，绿道建设将坚持生态优先，尽量利用现有山路和田埂，不砍伐成片林木，同时同步完善沿线的污水收集设施，确保水库水质安全。",
    "项目建成后，将与竹坝、军营村等乡村旅游点连成一线，带动沿线村民发展民宿和农家乐，预计每年可吸引游客超过30万人次。",
]
DUP_AUTHORS = ["记者 林晓晖", "通讯员 同宣"]


def _dup_a() -> dict:
    raw = "\n".join(
        [
            DUP_TITLE,
            "2020-09-16 08:05:21    来源:厦门日报",
            "",
            *DUP_BODY,
            "",
            "责任编辑:陈怡然",
        ]
    )
    return {
        "name": "dup_a_utf8_text",
        "ext": "txt",
        "raw": raw + "\n",
        "covers": [
            "dup-set",
            "meta-line",
            "editor-line",
            "credit-in-lead",
            "district-town",
            "published-datetime-seconds",
        ],
        "expect": {
            "title": DUP_TITLE,
            "published": "2020-09-16T08:05:21",
            "source": "厦门日报",
            "site": None,
            "district": "同安区",
            "authors": DUP_AUTHORS,
            "keywords": [],
            "captions": [],
            "url": None,
        },
        "body": DUP_BODY,
        "not_contains": ["责任编辑", "来源"],
    }


def _dup_b() -> dict:
    indented = ["　　" + p for p in DUP_BODY]
    raw = "\n".join(
        [
            "您现在的位置: 台海网 >> 新闻中心 >> 厦门 >> 各区报道 >> 正文",
            "",
            DUP_TITLE,
            "2020-09-16 09:12   来源: 厦门日报",
            "",
            *indented,
            "",
            "相关新闻",
            "同安竹坝华侨农场：老侨房变身文创民宿",
            "军营村高山茶迎来采摘季",
            "",
            "版权所有 台海网 闽ICP备05002573号",
        ]
    )
    return {
        "name": "dup_b_gbk_crlf_text",
        "ext": "txt",
        "raw": raw + "\n",
        "encoding": "gb18030",
        "crlf": True,
        "covers": [
            "dup-set",
            "encoding-gb18030",
            "crlf",
            "breadcrumb",
            "site-from-breadcrumb",
            "meta-line",
            "indentation",
            "trailing-related-block",
            "footer",
        ],
        "expect": {
            "title": DUP_TITLE,
            "published": "2020-09-16T09:12:00",
            "source": "厦门日报",
            "site": "台海网",
            "district": "同安区",
            "authors": DUP_AUTHORS,
            "keywords": [],
            "captions": [],
            "url": None,
        },
        "body": DUP_BODY,
        "not_contains": ["您现在的位置", "相关新闻", "老侨房", "闽ICP备", "版权所有"],
    }


# ---------------------------------------------------------------------------
# Ordinary text pages.
# ---------------------------------------------------------------------------
def _t_haicang_breadcrumb() -> dict:
    body = [
        "马銮湾新城又将迎来一所新学校。记者昨日从海沧区教育局获悉，位于马銮湾新城核心区的马銮湾实验学校主体工程已经封顶，预计明年秋季开始招生。",
        "该校为九年一贯制公办学校，总用地面积约4.6万平方米，规划小学部36个班、初中部24个班，可提供学位2700个。学校还配建了室内体育馆、300米标准运动场和地下停车场。",
        "海沧区教育局相关负责人介绍，近年来马銮湾片区人口增长较快，新学校建成后将有效缓解新阳、东孚一带的入学压力。",
    ]
    raw = "\n".join(
        [
            "您现在的位置: 台海网 >> 新闻中心 >> 厦门 >> 各区报道 >> 正文",
            "马銮湾新城再添一所九年一贯制学校 预计明年秋季招生",
            "2021-11-13 09:11:07    来源:厦门日报",
            "(文/厦门日报记者 罗子泓 通讯员 陈晓 图/通讯员 李明)",
            "▲马銮湾实验学校效果图。",
            *body,
            "责任编辑:黄婷婷",
            "相关新闻",
            "海沧新阳街道新增两所幼儿园",
            "东孚中学扩建工程开工",
            "台海网版权所有 闽ICP备05002573号",
        ]
    )
    return {
        "name": "t01_taihainet_breadcrumb_haicang",
        "ext": "txt",
        "raw": raw + "\n",
        "covers": [
            "breadcrumb",
            "site-from-breadcrumb",
            "meta-line",
            "published-datetime-seconds",
            "credit-line-slash",
            "caption-triangle",
            "editor-line",
            "trailing-related-block",
            "footer",
            "district-town",
            "district-title",
        ],
        "expect": {
            "title": "马銮湾新城再添一所九年一贯制学校 预计明年秋季招生",
            "published": "2021-11-13T09:11:07",
            "source": "厦门日报",
            "site": "台海网",
            "district": "海沧区",
            "authors": ["记者 罗子泓", "通讯员 陈晓", "通讯员 李明"],
            "keywords": [],
            "captions": ["马銮湾实验学校效果图。"],
            "url": None,
        },
        "body": body,
        "contains": ["马銮湾实验学校主体工程已经封顶"],
        "not_contains": ["新阳街道新增两所幼儿园", "责任编辑", "闽ICP备", "▲"],
    }


def _t_huli_dongnan_meta() -> dict:
    body = [
        "东南网6月21日讯（记者 陈梦婷 通讯员 湖宣）这两天，禾山街道的居民发现，小区里的垃圾桶“变聪明”了：刷卡投放、自动称重，投得对还能攒积分换日用品。",
        "据了解，禾山街道今年在辖区12个小区试点智能垃圾分类设备，居民分类准确率从试点前的六成提高到九成以上。街道还组建了由退休党员组成的“桶边督导队”，每天早晚各值守两个小时。",
        "下一步，街道计划将试点范围扩大到辖区全部住宅小区，力争年底前实现智能分类设施全覆盖。",
    ]
    raw = "\n".join(
        [
            "小区垃圾桶“变聪明”了 刷卡投放还能攒积分",
            "www.taihainet.com 来源: 东南网 用手持设备访问",
            "扫一扫，用手机看新闻！",
            "分享到：",
            *body,
            "关键词：禾山街道 垃圾分类 智能设备",
            "【打印】【关闭窗口】",
        ]
    )
    return {
        "name": "t02_dongnan_www_meta_huli",
        "ext": "txt",
        "raw": raw + "\n",
        "default_year": 2019,
        "covers": [
            "meta-line-www",
            "site-from-meta-www",
            "source-line",
            "qrcode-share-lines",
            "print-close-lines",
            "keywords-line",
            "dateline-with-default-year",
            "credit-in-lead",
            "district-town",
        ],
        "expect": {
            "title": "小区垃圾桶“变聪明”了 刷卡投放还能攒积分",
            "published": "2019-06-21",
            "source": "东南网",
            "site": "台海网",
            "district": "湖里区",
            "authors": ["记者 陈梦婷", "通讯员 湖宣"],
            "keywords": ["禾山街道", "垃圾分类", "智能设备"],
            "captions": [],
            "url": None,
        },
        "body": body,
        "not_contains": ["扫一扫", "分享到", "关键词", "打印", "用手持设备访问"],
    }


def _t_citywide_spam() -> dict:
    body = [
        "记者昨日从市交通运输局获悉，从3月10日起，全市公交线路将全面推行“先乘车后付费”的信用乘车服务，乘客开通后可直接刷手机乘车，车费次日自动扣除。",
        "目前，全市已有超过400条公交线路、全部地铁站点支持该服务。市交通运输局提醒，开通信用乘车须年满16周岁，如连续三次扣款失败，服务将被暂停。",
        "据统计，今年春节以来，全市公交和地铁日均客运量已恢复到160万人次左右。",
    ]
    raw = "\n".join(
        [
            "您的位置:首页 >国内 >",
            "全市公交地铁下月起推行信用乘车 先乘车后付费",
            "发布时间：2020-02-26 10:20  来源：厦门晚报  浏览次数：1024",
            "厦门装修公司,厦门装修,厦门家装公司排名,厦门二手房出售,厦门租房,厦门搬家公司电话,厦门婚纱摄影,厦门驾校报名",
            *body,
            "编辑：郑佳琪",
            "审核：王建华",
            "热门推荐",
            "厦门这10家小吃店，本地人排队也要吃",
            "春季养生喝什么茶？看这一篇就够了",
            "Copyright © 2004-2020 版权所有 闽ICP备10203040号-1",
        ]
    )
    return {
        "name": "t03_citywide_breadcrumb_spam",
        "ext": "txt",
        "raw": raw + "\n",
        "covers": [
            "breadcrumb-shouye",
            "meta-line-fabu",
            "published-datetime-minutes",
            "spam-keywords-line",
            "editor-line",
            "trailing-hot-block",
            "footer-copyright",
            "district-citywide-none",
            "site-none",
        ],
        "expect": {
            "title": "全市公交地铁下月起推行信用乘车 先乘车后付费",
            "published": "2020-02-26T10:20:00",
            "source": "厦门晚报",
            "site": None,
            "district": None,
            "authors": [],
            "keywords": [],
            "captions": [],
            "url": None,
        },
        "body": body,
        "not_contains": [
            "厦门装修公司",
            "浏览次数",
            "编辑",
            "审核",
            "热门推荐",
            "小吃店",
            "Copyright",
        ],
    }


def _t_dateline_no_year() -> dict:
    body = [
        "台海网8月20日讯（记者 邹玒）昨日，同安区汀溪镇举行首届荔枝文化节，来自全市的2000多名游客走进果园，体验现摘现吃的乐趣。",
        "汀溪镇是同安荔枝的主产区之一，全镇荔枝种植面积超过3000亩。今年当地引入电商直播，果农坐在果树下就能把荔枝卖到全国各地。",
        "文化节期间，汀溪镇还推出了三条乡村旅游精品线路，串联起荔枝园、古民居和水库风光。",
    ]
    raw = "\n".join(
        [
            "汀溪镇办起荔枝文化节 游客果园里现摘现吃",
            *body,
        ]
    )
    return {
        "name": "t04_dateline_without_year",
        "ext": "txt",
        "raw": raw + "\n",
        "covers": [
            "dateline-no-default-year",
            "review-date-missing-year",
            "source-from-dateline",
            "credit-in-lead",
            "district-town",
        ],
        "expect": {
            "title": "汀溪镇办起荔枝文化节 游客果园里现摘现吃",
            "published": None,
            "source": "台海网",
            "site": None,
            "district": "同安区",
            "authors": ["记者 邹玒"],
            "keywords": [],
            "captions": [],
            "url": None,
            "review_reasons": ["日期缺少年份"],
        },
        "body": body,
        "contains": ["台海网8月20日讯（记者 邹玒）昨日"],
    }


def _t_dateline_default_year_credit_line() -> dict:
    body = [
        "东南网3月5日讯 大嶝岛上的“小嶝休闲渔村”改造工程日前完工。改造后的渔村新增了海鲜排档街、渔具展示馆和环岛木栈道，村民开办的民宿也从原来的7家增加到23家。",
        "翔安区大嶝街道有关负责人介绍，改造工程保留了渔村原有的石头厝（cuò）和渔港风貌，对外立面只做“微改造”，让游客能感受到原汁原味的海岛生活。",
        "据悉，今年“五一”前，大嶝至小嶝的客运航线将加密至每天12个航班。",
    ]
    raw = "\n".join(
        [
            "标题：小嶝休闲渔村改造完工 民宿增至23家",
            "(记者 邹玒 通讯员 张舒黎)",
            "改造后的小嶝休闲渔村",
            *body,
        ]
    )
    return {
        "name": "t05_dateline_default_year_xiangan",
        "ext": "txt",
        "raw": raw + "\n",
        "default_year": 2022,
        "covers": [
            "title-prefix",
            "credit-line-parenthesised",
            "dateline-with-default-year",
            "source-from-dateline",
            "district-town",
            "caption-short-before-lead",
            "fullwidth-parenthesis-pinyin-kept",
        ],
        "expect": {
            "title": "小嶝休闲渔村改造完工 民宿增至23家",
            "published": "2022-03-05",
            "source": "东南网",
            "site": None,
            "district": "翔安区",
            "authors": ["记者 邹玒", "通讯员 张舒黎"],
            "keywords": [],
            "captions": ["改造后的小嶝休闲渔村"],
            "url": None,
        },
        "body": body,
        "not_contains": ["标题：", "张舒黎"],
    }


def _t_gb18030_xmwb() -> dict:
    body = [
        "据厦门晚报报道 昨天上午，集美区杏林街道的一处老旧小区迎来了新变化：加装的4部电梯同时投入使用，80多户居民告别了“爬楼难”。",
        "这个小区建于上世纪90年代，楼龄已近30年，住户中60岁以上的老人占了近一半。今年初，社区牵头成立加梯协调小组，挨家挨户上门做工作，最终促成了4个单元同时加装。",
        "杏林街道工作人员介绍，今年以来，街道已累计完成老旧小区加装电梯27部，另有15部正在施工。",
    ]
    raw = "\n".join(
        [
            "杏林老小区4部电梯同日启用 80多户居民告别爬楼难",
            "2018年10月12日 07:45",
            *body,
            "作者:王小明",
            "上一篇：集美学村灯光秀国庆期间每晚上演",
            "下一篇：杏林湾路段周末夜间施工",
        ]
    )
    return {
        "name": "t06_gb18030_jimei_jubaodao",
        "ext": "txt",
        "raw": raw + "\n",
        "encoding": "gb18030",
        "covers": [
            "encoding-gb18030",
            "source-ju-baodao",
            "published-chinese-date",
            "credit-line-zuozhe",
            "trailing-prev-next",
            "district-town",
        ],
        "expect": {
            "title": "杏林老小区4部电梯同日启用 80多户居民告别爬楼难",
            "published": "2018-10-12T07:45:00",
            "source": "厦门晚报",
            "site": None,
            "district": "集美区",
            "authors": ["作者 王小明"],
            "keywords": [],
            "captions": [],
            "url": None,
        },
        "body": body,
        "not_contains": ["上一篇", "下一篇", "灯光秀", "作者"],
    }


def _t_crlf_fullwidth() -> dict:
    body = [
        "记者从湖里区获悉，2025年湖里区将新建5G基站600个，并在机场片区试点AI智能交通信号系统，高峰时段车辆平均排队时间预计可缩短20秒。",
        "湖里区科技局负责人介绍，AI信号系统可根据实时车流自动调整红绿灯时长，首批将覆盖枋湖路、云顶北路等12个路口。",
        "此外，全区还将建设3个“数字社区”示范点，为老年人提供一键呼叫、远程问诊等服务。",
    ]
    raw = "\n".join(
        [
            "湖里区２０２５年将新建５Ｇ基站６００个 试点ＡＩ信号灯",
            "2025-01-08 10:30　来源：厦门网",
            "记者从湖里区获悉，２０２５年湖里区将新建５Ｇ基站６００个，并在机场片区试点ＡＩ智能交通信号系统，高峰时段车辆平均排队时间预计可缩短２０秒。",
            "湖里区科技局负责人介绍，ＡＩ信号系统可根据实时车流自动调整红绿灯时长，首批将覆盖枋湖路、云顶北路等１２个路口。",
            "此外，全区还将建设３个“数字社区”示范点，为老年人提供一键呼叫、远程问诊等服务。",
            "【字号：大 中 小】",
        ]
    )
    return {
        "name": "t07_crlf_fullwidth_huli",
        "ext": "txt",
        "raw": raw + "\n",
        "crlf": True,
        "covers": [
            "crlf",
            "fullwidth-nfkc",
            "chinese-punctuation-kept",
            "meta-line",
            "font-size-line",
            "district-title",
            "published-datetime-minutes",
        ],
        "expect": {
            "title": "湖里区2025年将新建5G基站600个 试点AI信号灯",
            "published": "2025-01-08T10:30:00",
            "source": "厦门网",
            "site": None,
            "district": "湖里区",
            "authors": [],
            "keywords": [],
            "captions": [],
            "url": None,
        },
        "body": body,
        "contains": ["“数字社区”示范点，为老年人"],
        "not_contains": ["２", "Ｇ", "ＡＩ", "字号", "\r"],
    }


def _t_bom_spaces() -> dict:
    body = [
        "鼓浪屿今年国庆假期共接待游客18.6万人次，同比增长12%。为避免人流扎堆，鼓浪屿管委会首次在三丘田码头设置分时段入岛提示屏，游客可实时查看岛上热门景点的拥挤程度。",
        "管委会工作人员说，假期里岛上还增派了120名志愿者，在龙头路、日光岩等人流密集处引导游客错峰游览。",
        "据了解，鼓浪屿申遗成功以来，岛上的历史风貌建筑已修缮完成80余栋，其中20多栋已对游客开放。",
    ]
    raw = "\n".join(
        [
            "鼓浪屿国庆接待游客18.6万人次\u200b",
            "2023-10-08\u00a0\u00a008:15:40\u3000来源：厦门日报",
            "\u3000\u3000鼓浪屿今年国庆假期共接待游客18.6万人次，同比增长12%。为避免人流扎堆，鼓浪屿管委会首次在三丘田码头设置分时段入岛提示屏，游客可实时查看岛上热门景点的\u200b拥挤程度。",
            "\u00a0\u00a0管委会工作人员说，假期里岛上还增派了120名志愿者，在龙头路、日光岩等人流密集处引导游客错峰游览。",
            "    据了解，鼓浪屿申遗成功以来，岛上的历史风貌建筑已修缮完成80余栋，其中20多栋已对游客开放。",
            "",
            "违法和不良信息举报电话：0592-1234567",
        ]
    )
    return {
        "name": "t08_utf8_bom_nbsp_zwsp_siming",
        "ext": "txt",
        "raw": raw + "\n",
        "encoding": "utf-8-sig",
        "covers": [
            "encoding-utf8-bom",
            "nbsp-ideographic-space",
            "zero-width",
            "indentation",
            "meta-line",
            "footer-report-line",
            "district-title",
            "published-datetime-seconds",
        ],
        "expect": {
            "title": "鼓浪屿国庆接待游客18.6万人次",
            "published": "2023-10-08T08:15:40",
            "source": "厦门日报",
            "site": None,
            "district": "思明区",
            "authors": [],
            "keywords": [],
            "captions": [],
            "url": None,
        },
        "body": body,
        "not_contains": ["\u200b", "\u00a0", "\u3000", "\ufeff", "违法和不良信息举报"],
    }


def _t_big5_traditional() -> dict:
    title = "翔安區新店鎮舉辦首屆農民豐收節"
    body = [
        "翔安區新店鎮昨天舉辦首屆農民豐收節，當地村民帶來了地瓜、花生、紫菜等特色農產品，吸引了不少市民前來選購。",
        "活動現場還設置了農具展示、插秧比賽和親子採摘等環節。新店鎮有關負責人表示，豐收節今後將每年舉辦一次，幫助農戶拓寬銷路。",
        "據統計，當天農產品銷售額超過20萬元。",
    ]
    raw = "\n".join(
        [
            title,
            "2017年09月24日 18:02  來源：海峽導報",
            *body,
            "責任編輯：林文",
        ]
    )
    to_s = opencc.OpenCC("t2s").convert
    return {
        "name": "t09_big5_traditional_xiangan",
        "ext": "txt",
        "raw": raw + "\n",
        "encoding": "big5",
        "covers": [
            "encoding-big5",
            "traditional-to-simplified",
            "published-chinese-date",
            "source-line",
            "editor-line",
            "district-title",
        ],
        "expect": {
            "title": to_s(title),
            "published": "2017-09-24T18:02:00",
            "source": "海峡导报",
            "site": None,
            "district": "翔安区",
            "authors": [],
            "keywords": [],
            "captions": [],
            "url": None,
        },
        "body": [to_s(p) for p in body],
        "contains": ["翔安区新店镇昨天举办首届农民丰收节"],
        "not_contains": ["區", "責任編輯", "责任编辑"],
    }


_GLOSS_MARKS = {
    "區": "qū",
    "將": "jiāng",
    "標": "biāo",
    "準": "zhǔn",
    "內": "nèi",
    "廈": "xià",
    "灣": "wān",
    "鑾": "luán",
    "態": "tài",
    "環": "huán",
}
_GLOSS_DIGITS = {
    "區": "qu1",
    "鎮": "zhen4",
    "農": "nong2",
    "豐": "feng1",
    "產": "chan3",
    "後": "hou4",
    "溪": "xi1",
    "學": "xue2",
}


def _gloss(text: str, table: dict[str, str]) -> str:
    """Mirror-site style: put (pinyin) after every glossed character: 區 → 區(qū)."""
    return "".join(f"{ch}({table[ch]})" if ch in table else ch for ch in text)


def _big5_variants(text: str) -> str:
    """OpenCC writes 爲, which Big5 lacks; Big5 pages use the variant 為 (both → 为)."""
    return text.replace("爲", "為")


def _t_pinyin_mirror_marks() -> dict:
    title = "同安区将以高标准推进汀溪水库周边生态修复"
    body = [
        "记者从同安区获悉，同安区将以高标准推进汀溪水库周边生态修复，今年计划完成退果还林1200亩，打造国内一流的水源保护示范区。",
        "同安区水利局负责人介绍，修复工程将同步建设环库截污管网和生态缓冲带，确保汀溪水库出水水质稳定保持在二类以上。",
        "汀溪水库是厦门重要的饮用水源地之一，供水范围覆盖同安、翔安两区约40万人。",
    ]
    raw = "\n".join(
        [
            _gloss(_S2T.convert(title), _GLOSS_MARKS),
            _S2T.convert("2024-04-17 11:02:33 来源：厦门日报"),
            *[_gloss(_S2T.convert(p), _GLOSS_MARKS) for p in body],
        ]
    )
    return {
        "name": "t10_pinyin_mirror_tone_marks",
        "ext": "txt",
        "raw": raw + "\n",
        "covers": [
            "pinyin-gloss-mirror",
            "traditional-to-simplified",
            "meta-line",
            "district-title",
            "published-datetime-seconds",
        ],
        "expect": {
            "title": title,
            "published": "2024-04-17T11:02:33",
            "source": "厦门日报",
            "site": None,
            "district": "同安区",
            "authors": [],
            "keywords": [],
            "captions": [],
            "url": None,
        },
        "body": body,
        "not_contains": ["(", "qū", "區"],
    }


def _t_pinyin_mirror_digits() -> dict:
    title = "集美后溪镇农产品直播基地开播"
    body = [
        "集美区后溪镇农产品直播基地日前正式开播，首场直播两个小时卖出地瓜、青梗菜等农产品3.2万元。",
        "基地由后溪镇联合集美大学学生创业团队共同运营，学生主播每周三次走进田间地头，为农户免费带货。",
        "后溪镇负责人表示，下一步将把直播基地打造成乡村振兴的“新农具”，让更多农户学会用手机卖产品。",
    ]
    raw = "\n".join(
        [
            _gloss(_S2T.convert(title), _GLOSS_DIGITS),
            _S2T.convert("发布时间：2026-03-02"),
            *[_big5_variants(_gloss(_S2T.convert(p), _GLOSS_DIGITS)) for p in body],
        ]
    )
    return {
        "name": "t11_pinyin_mirror_tone_digits",
        "ext": "txt",
        "raw": raw + "\n",
        "encoding": "big5",
        "covers": [
            "pinyin-gloss-mirror",
            "traditional-to-simplified",
            "meta-line-fabu",
            "published-date-only",
            "district-title",
            "source-none",
            "encoding-big5",
        ],
        "expect": {
            "title": title,
            "published": "2026-03-02",
            "source": None,
            "site": None,
            "district": "集美区",
            "authors": [],
            "keywords": [],
            "captions": [],
            "url": None,
        },
        "body": body,
        "not_contains": ["(", "xi1", "後"],
    }


def _t_spam_ad() -> dict:
    body = [
        "本公司专业从事开锁、换锁、修锁、汽车开锁及保险柜开锁业务，二十四小时上门服务，价格实惠，随叫随到，欢迎广大客户来电咨询。",
    ]
    raw = "\n".join(
        [
            "厦门开锁公司 厦门开锁换锁电话",
            "发布时间：2022-07-01",
            "厦门开锁,思明开锁,湖里开锁,集美开锁,海沧开锁,同安开锁,翔安开锁,厦门换锁芯",
            "厦门开锁公司 厦门开锁电话 厦门24小时开锁 厦门开锁师傅 厦门修锁 厦门配钥匙",
            "厦门保险柜开锁,厦门汽车开锁,厦门指纹锁安装,厦门智能锁维修,厦门防盗门换锁",
            *body,
            "扫一扫二维码添加微信",
            "关键词：厦门开锁 厦门换锁 厦门开锁公司",
            "热门推荐",
            "厦门开锁多少钱一次",
            "厦门换锁芯哪家好",
        ]
    )
    return {
        "name": "t12_spam_ad_page",
        "ext": "txt",
        "raw": raw + "\n",
        "covers": [
            "review-not-news",
            "spam-keywords-line",
            "qrcode-share-lines",
            "keywords-line",
            "trailing-hot-block",
            "district-none",
            "published-date-only",
            "meta-line-fabu",
        ],
        "expect": {
            "title": "厦门开锁公司 厦门开锁换锁电话",
            "published": "2022-07-01",
            "source": None,
            "site": None,
            "district": None,
            "authors": [],
            "keywords": ["厦门开锁", "厦门换锁", "厦门开锁公司"],
            "captions": [],
            "url": None,
            "review_reasons": ["疑似非新闻"],
        },
        "body": body,
        "not_contains": ["思明开锁", "二维码", "多少钱一次"],
    }


def _t_near_empty() -> dict:
    body = ["昨日，思明区和湖里区的海边木栈道迎来大批游客。"]
    raw = "\n".join(
        [
            "海边木栈道游人如织",
            "2016-05-02 17:20  来源：厦门网",
            "▲ 游客在木栈道上拍照留念。",
            *body,
        ]
    )
    return {
        "name": "t13_near_empty_photo_news",
        "ext": "txt",
        "raw": raw + "\n",
        "covers": [
            "review-body-too-short",
            "caption-triangle",
            "meta-line",
            "district-none",
            "published-datetime-minutes",
            "district-tie-none",
        ],
        "expect": {
            "title": "海边木栈道游人如织",
            "published": "2016-05-02T17:20:00",
            "source": "厦门网",
            "site": None,
            "district": None,
            "authors": [],
            "keywords": [],
            "captions": ["游客在木栈道上拍照留念。"],
            "url": None,
            "review_reasons": ["正文过短"],
        },
        "body": body,
    }


def _t_no_date_tie() -> dict:
    body = [
        "记者从市园林局获悉，今年我市将在思明区和湖里区各新建一座口袋公园，公园内将设置儿童游乐设施、健身步道和休闲座椅。",
        "市园林局有关负责人表示，口袋公园选址均为城市更新中腾出的边角地块，建成后可为周边居民提供家门口的休闲去处。",
        "据介绍，两座口袋公园的设计方案将于下月公示，广泛征求周边居民意见。",
    ]
    raw = "\n".join(
        [
            "我市今年将新建两座口袋公园",
            *body,
            "原文链接：https://news.xmnn.cn/xmxw/202104/t20210412_5412345.htm",
        ]
    )
    return {
        "name": "t14_no_date_district_tie",
        "ext": "txt",
        "raw": raw + "\n",
        "covers": [
            "review-no-date",
            "district-tie-none",
            "url-original-link-line",
            "site-none",
            "district-citywide-none",
        ],
        "expect": {
            "title": "我市今年将新建两座口袋公园",
            "published": None,
            "source": None,
            "site": None,
            "district": None,
            "authors": [],
            "keywords": [],
            "captions": [],
            "url": "https://news.xmnn.cn/xmxw/202104/t20210412_5412345.htm",
            "review_reasons": ["未找到日期"],
        },
        "body": body,
        "not_contains": ["原文链接", "https://"],
    }


def _t_invalid_date() -> dict:
    body = [
        "海沧区嵩屿街道近日为辖区120名环卫工人送上防暑降温物资，包括绿豆、凉茶、毛巾和藿香正气水等。",
        "街道工作人员介绍，入夏以来，街道调整了环卫工人的作业时间，避开中午高温时段，并在辖区设置了8个“爱心驿站”，供户外劳动者休息、饮水。",
    ]
    raw = "\n".join(
        [
            "嵩屿街道为环卫工人送清凉",
            "发布时间：2021-02-30  来源：海沧区融媒体中心",
            *body,
        ]
    )
    return {
        "name": "t15_invalid_date_other_outlet",
        "ext": "txt",
        "raw": raw + "\n",
        "encoding": "utf-8-sig",
        "covers": [
            "invalid-date-rejected",
            "review-no-date",
            "source-kept-as-written",
            "district-body",
            "encoding-utf8-bom",
        ],
        "expect": {
            "title": "嵩屿街道为环卫工人送清凉",
            "published": None,
            "source": "海沧区融媒体中心",
            "site": None,
            "district": "海沧区",
            "authors": [],
            "keywords": [],
            "captions": [],
            "url": None,
            "review_reasons": ["未找到日期"],
        },
        "body": body,
    }


def _t_meta_beats_body_date() -> dict:
    body = [
        "中新网厦门1月4日电（记者 黄志强）2021年12月31日晚，厦门跨年烟花秀在集美新城上演，现场观众超过5万人。",
        "据集美区文旅部门统计，元旦假期三天，集美学村、园博苑等景区共接待游客46万人次，比去年同期增长两成。",
        "为保障市民出行，元旦当晚地铁1号线延长运营至次日凌晨1时。",
    ]
    raw = "\n".join(
        [
            "元旦假期集美接待游客46万人次",
            "2022-01-04 16:48:09 来源：中新网",
            *body,
            "（记者 黄志强 通讯员 林颖）",
        ]
    )
    return {
        "name": "t16_meta_date_beats_body_date",
        "ext": "txt",
        "raw": raw + "\n",
        "covers": [
            "meta-date-wins",
            "source-canonical",
            "author-dedupe",
            "credit-line-parenthesised",
            "district-title",
            "credit-line-trailing",
        ],
        "expect": {
            "title": "元旦假期集美接待游客46万人次",
            "published": "2022-01-04T16:48:09",
            "source": "中国新闻网",
            "site": None,
            "district": "集美区",
            "authors": ["记者 黄志强", "通讯员 林颖"],
            "keywords": [],
            "captions": [],
            "url": None,
        },
        "body": body,
    }


def _t_multi_names_captions() -> dict:
    body = [
        "厦门网讯（记者 张舒黎 吴晓菁 通讯员 思宣）昨日，思明区开元街道的20名“红马甲”志愿者走上街头，为过往市民免费测量血压、磨剪刀、修雨伞。",
        "这支志愿服务队成立于2015年，队员大多是辖区的退休居民。十年来，他们每月固定开展两次便民服务，累计服务群众超过3万人次。",
        "开元街道有关负责人表示，街道将为志愿服务队提供固定服务点，让便民服务常态化。",
    ]
    raw = "\n".join(
        [
            "开元街道“红马甲”十年服务群众3万人次",
            "2025-03-06 08:40 来源：厦门网",
            "志愿者在为居民修理雨伞",
            "图为志愿者在为老人测量血压。",
            *body,
            "△ 志愿服务队合影。",
            "延伸阅读",
            "思明区新增12个志愿服务站点",
        ]
    )
    return {
        "name": "t17_multi_names_one_role_captions",
        "ext": "txt",
        "raw": raw + "\n",
        "covers": [
            "author-multi-names",
            "credit-in-lead",
            "caption-short-before-lead",
            "caption-tuwei",
            "caption-triangle",
            "trailing-extended-block",
            "district-title",
        ],
        "expect": {
            "title": "开元街道“红马甲”十年服务群众3万人次",
            "published": "2025-03-06T08:40:00",
            "source": "厦门网",
            "site": None,
            "district": "思明区",
            "authors": ["记者 张舒黎", "记者 吴晓菁", "通讯员 思宣"],
            "keywords": [],
            "captions": [
                "志愿者在为居民修理雨伞",
                "图为志愿者在为老人测量血压。",
                "志愿服务队合影。",
            ],
            "url": None,
        },
        "body": body,
        "not_contains": ["图为", "合影", "延伸阅读", "志愿服务站点"],
    }


def _t_encoding_broken() -> dict:
    body_ok = [
        "集美大学航海学院近日迎来2024级新生，今年该院共录取本科生1260人，其中女生比例首次超过两成。",
        "学院负责人介绍，新生入学后将先在“育英”号教学实习船上完成为期两周的航海体验课程。",
    ]
    raw = "\n".join(["集美大学航海学院迎来1260名新生", "2024-09-03 09:00 来源：厦门晚报", *body_ok])
    data = (raw + "\n").encode("utf-8")
    broken = "育英".encode()
    # cut the last byte of 英 so one character cannot be decoded
    data = data.replace(broken, broken[:-1], 1)
    body = [
        body_ok[0],
        body_ok[1].replace("育英", "育\ufffd"),
    ]
    return {
        "name": "t18_broken_utf8_bytes",
        "ext": "txt",
        "raw_bytes": data,
        "covers": ["review-encoding-error", "meta-line", "district-title"],
        "expect": {
            "title": "集美大学航海学院迎来1260名新生",
            "published": "2024-09-03T09:00:00",
            "source": "厦门晚报",
            "site": None,
            "district": "集美区",
            "authors": [],
            "keywords": [],
            "captions": [],
            "url": None,
            "review_reasons": ["编码有误"],
        },
        "body": body,
        "contains": ["“育\ufffd”号教学实习船"],
    }


def _t_literal_newlines() -> dict:
    body = [
        "同安区西柯街道的老旧厂房改造项目近日有了新进展：首批12家文创企业已签约入驻。",
        "西柯街道相关负责人介绍，改造项目保留了原有厂房的红砖外墙，内部改造为办公、展览和共享会议空间。",
        "预计到今年底，园区入驻企业将超过30家，带动就业500余人。",
    ]
    raw = (
        "原标题：西柯老厂房变身文创园\\n"
        + "\\n".join(body)
        + "\\n责任编辑：李娜\\n返回搜狐，查看更多"
    )
    raw = "西柯老厂房变身文创园 首批12家企业入驻\n2019-12-20 15:33:06 来源：厦门日报\n" + raw
    return {
        "name": "t19_literal_newlines_yuanbiaoti",
        "ext": "txt",
        "raw": raw + "\n",
        "covers": [
            "literal-backslash-n",
            "original-title-line",
            "back-to-sohu",
            "editor-line",
            "district-body",
        ],
        "expect": {
            "title": "西柯老厂房变身文创园 首批12家企业入驻",
            "published": "2019-12-20T15:33:06",
            "source": "厦门日报",
            "site": None,
            "district": "同安区",
            "authors": [],
            "keywords": [],
            "captions": [],
            "url": None,
        },
        "body": body,
        "not_contains": ["\\n", "原标题：", "返回搜狐", "责任编辑"],
    }


def _t_lead_date_ju_baodao() -> dict:
    body = [
        "据海峡导报报道 2024年3月5日，思明区沙坡尾避风坞清淤工程完工，共清理淤泥约1.2万立方米，停泊在坞内的30多艘渔船重新“浮”了起来。",
        "避风坞建于上世纪初，是厦门港最早的渔船避风港之一。由于多年淤积，退潮时坞内水深不足半米，渔船只能“坐”在泥滩上。",
        "思明区有关部门表示，清淤后还将修缮避风坞的石砌驳岸，并在沿岸增设休闲步道。",
    ]
    raw = "\n".join(
        [
            "标题：沙坡尾避风坞完成清淤 渔船重回“避风港”",
            *body,
        ]
    )
    return {
        "name": "t20_lead_date_title_prefix_siming",
        "ext": "txt",
        "raw": raw + "\n",
        "covers": ["title-prefix", "published-lead-date", "source-ju-baodao", "district-title"],
        "expect": {
            "title": "沙坡尾避风坞完成清淤 渔船重回“避风港”",
            "published": "2024-03-05",
            "source": "海峡导报",
            "site": None,
            "district": "思明区",
            "authors": [],
            "keywords": [],
            "captions": [],
            "url": None,
        },
        "body": body,
        "not_contains": ["标题："],
    }


def _t_wen_credit_extended_reading() -> dict:
    body = [
        "灌口镇的“古早味”美食节昨日开幕，50多家本地老字号带来了灌口面线糊、姜母鸭、土笋冻等传统小吃，现场人头攒动。",
        "今年的美食节首次设置了“非遗美食”展区，游客可以现场观看面线的手工制作过程，还能亲手体验包春卷。",
        "集美区文旅部门介绍，美食节将持续到本周日，每天10:00至21:00开放。",
    ]
    raw = "\n".join(
        [
            "灌口“古早味”美食节开幕 50多家老字号齐聚",
            "2016-08-09 07:30",
            "(文/海西晨报记者 苏斯斯 通讯员 集宣)",
            "灌口镇的“古早味”美食节昨日开幕，50多家本地老字号带来了灌口面线糊、姜母鸭、土笋冻等传统小吃，现场\u200b人头攒动。",
            *body[1:],
            "原文地址：http://www.xmnn.cn/dzbk/hxcb/20160809/201608/t20160809_4987654.htm",
            "延伸阅读",
            "灌口镇老街改造完成 骑楼重现昔日风貌",
            "集美推出十条美食旅游线路",
        ]
    )
    return {
        "name": "t21_wen_credit_source_extended_reading",
        "ext": "txt",
        "raw": raw + "\n",
        "covers": [
            "credit-line-slash",
            "source-from-wen-credit",
            "zero-width",
            "url-original-link-line",
            "trailing-extended-block",
            "published-datetime-minutes",
            "district-town",
        ],
        "expect": {
            "title": "灌口“古早味”美食节开幕 50多家老字号齐聚",
            "published": "2016-08-09T07:30:00",
            "source": "海西晨报",
            "site": None,
            "district": "集美区",
            "authors": ["记者 苏斯斯", "通讯员 集宣"],
            "keywords": [],
            "captions": [],
            "url": "http://www.xmnn.cn/dzbk/hxcb/20160809/201608/t20160809_4987654.htm",
        },
        "body": body,
        "not_contains": ["原文地址", "延伸阅读", "骑楼", "\u200b", "苏斯斯"],
    }


def _t_bracketed_source_tail() -> dict:
    body = [
        "天竺山森林公园今年新修的登山步道日前全线贯通。步道全长6.8公里，从公园东门一直通到天竺山主峰，沿途设置了5处休憩亭和2处观景台。",
        "海沧区林业部门介绍，步道建设尽量避开了成片林地，部分路段采用架空栈道，减少对山体植被的破坏。",
        "公园管理处提醒，夏季登山应避开正午时段，并注意防范蚊虫和毒蛇。",
        "（来源：福建日报）",
    ]
    raw = "\n".join(["天竺山新登山步道全线贯通", "2015年07月03日", *body])
    return {
        "name": "t22_bracketed_source_tail_haicang",
        "ext": "txt",
        "raw": raw + "\n",
        "covers": [
            "source-bracketed-tail",
            "published-chinese-date",
            "published-date-only",
            "district-title",
        ],
        "expect": {
            "title": "天竺山新登山步道全线贯通",
            "published": "2015-07-03",
            "source": "福建日报",
            "site": None,
            "district": "海沧区",
            "authors": [],
            "keywords": [],
            "captions": [],
            "url": None,
        },
        "body": body[:3],
        "not_contains": ["来源", "福建日报"],
    }


TEXT_CASES = [
    _dup_a(),
    _dup_b(),
    _t_haicang_breadcrumb(),
    _t_huli_dongnan_meta(),
    _t_citywide_spam(),
    _t_dateline_no_year(),
    _t_dateline_default_year_credit_line(),
    _t_gb18030_xmwb(),
    _t_crlf_fullwidth(),
    _t_bom_spaces(),
    _t_big5_traditional(),
    _t_pinyin_mirror_marks(),
    _t_pinyin_mirror_digits(),
    _t_spam_ad(),
    _t_near_empty(),
    _t_no_date_tie(),
    _t_invalid_date(),
    _t_meta_beats_body_date(),
    _t_multi_names_captions(),
    _t_encoding_broken(),
    _t_literal_newlines(),
    _t_lead_date_ju_baodao(),
    _t_wen_credit_extended_reading(),
    _t_bracketed_source_tail(),
]
