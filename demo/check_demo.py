"""Check the demo articles: encodings, spread of districts/outlets/years, body sizes.

Run from the repository root: `.venv/bin/python demo/check_demo.py` (exit 1 on a failure).
`--table` prints the Markdown table used in demo/README.md.
`--clean` also runs the project's cleaner on every article and lists where its result
differs from the manifest (informational: the cleaner is developed elsewhere).
"""

import html
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import opencc

ARTICLES_DIR = Path(__file__).resolve().parent / "articles"
DISTRICTS = ("思明区", "湖里区", "集美区", "海沧区", "同安区", "翔安区")
OUTLETS = ("厦门日报", "厦门晚报", "厦门网", "台海网", "东南网", "海峡导报")
YEARS = range(2015, 2027)
DEFAULT_YEAR = 2024  # the run command imports with --year 2024
GLOSS = re.compile(r"(?<=[\u3400-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü1-5]+\)")
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Entry:
    """One demo article as the manifest describes it."""

    name: str  # file name, or "feed.jsonl#N" for a feed record
    title: str
    district: str | None
    outlet: str
    year: int
    fmt: str


def _e(name: str, title: str, district: str | None, outlet: str, year: int, fmt: str) -> Entry:
    return Entry(name, title, district, outlet, year, fmt)


# fmt: off
MANIFEST = (
    _e("yundanghu-zhengzhi.txt", "筼筜湖综合整治新一轮工程启动 湖区水质三年内将达到景观水标准", "思明区", "厦门日报", 2015, "txt"),
    _e("gulangyu-shenyi-bairi.txt", "鼓浪屿申遗成功百日 岛上家庭旅馆整治与文明旅游同步推进", "思明区", "台海网", 2017, "noisy"),
    _e("xiamen-malasong-2019.html", "2019厦门马拉松鸣枪开跑 3万名跑者环岛路上竞速", "思明区", "台海网", 2019, "html"),
    _e("zhongshanlu-nanyinshe.txt", "中山路南音社十年坚守 每周六晚免费为市民弹唱", "思明区", "厦门晚报", 2021, "txt"),
    _e("feed.jsonl#0", "厦门大学迎来2023级新生 志愿服务队在思明校区设迎新点", "思明区", "厦门网", 2023, "jsonl"),
    _e("bashi-caishichang.txt", "思明区八市菜市场完成提升改造 摊位统一规划 海鲜区增设排水沟", "思明区", "海峡导报", 2025, "noisy"),
    _e("ditie1-huli-shigong.txt", "地铁1号线湖里段主体结构施工过半 禾山街道沿线交通疏导方案公布", "湖里区", "厦门日报", 2016, "txt"),
    _e("taifeng-maliya-huli.txt", "台风“玛莉亚”逼近 湖里区转移在建工地人员1200余人", "湖里区", "台海网", 2018, "noisy"),
    _e("huli-fanghu-jiugai-qianyue.txt", "湖里区禾山街道枋湖片区旧改签约率达九成五 年底前启动拆除", "湖里区", "厦门晚报", 2020, "gb18030"),
    _e("zimaoqu-huli-yuanqu.txt", "厦门自贸片区湖里园区一季度新增企业逾千家 跨境电商进出口额同比增长三成", "湖里区", "东南网", 2022, "txt"),
    _e("huli-wenming-zhiyuan-fuwuyue.html", "湖里区启动“文明城市 你我共建”志愿服务月 200支队伍进社区", "湖里区", "厦门网", 2024, "html"),
    _e("wuyuanwan-shidi-budao.txt", "五缘湾湿地公园新建步道开放 市民可沿湾骑行一圈", "湖里区", "厦门网", 2024, "dateline"),
    _e("jimei-daxue-kaixue.txt", "集美大学迎来5800名新生 嘉庚精神第一课在龙舟池畔开讲", "集美区", "厦门日报", 2015, "txt"),
    _e("yuanboyuan-yeyou.txt", "园博苑五一前夕新增夜游线路 杏林湾畔灯光秀每晚两场", "集美区", "东南网", 2017, "noisy"),
    _e("xinglin-xinxiao-kaixue.txt", "杏林片区新建两所中小学如期开学 新增学位3150个", "集美区", "海峡导报", 2019, "txt"),
    _e("ditie6-jimei-fengding-mirror.txt", "地铁6号线集美段首个车站主体结构封顶", "集美区", "台海网", 2020, "pinyin"),
    _e("feed.jsonl#4", "集美区侨英街道老旧小区加装电梯 今年已完工68部", "集美区", "厦门晚报", 2022, "jsonl-raw"),
    _e("jimei-xuecun-denghui.txt", "集美学村迎春灯会开幕 两岸青年同台猜灯谜", "集美区", "厦门网", 2026, "noisy"),
    _e("maluanwan-qingyu.txt", "马銮湾清淤工程完成过半 海沧将还湾于民打造生态新城", "海沧区", "东南网", 2016, "txt"),
    _e("haicang-liangan-qingnian-chuangye.html", "海沧台商投资区举办两岸青年创业论坛 23个台青项目签约落地", "海沧区", "台海网", 2018, "html"),
    _e("haicang-suidao-guantong.txt", "海沧隧道左线全线贯通 预计年内建成通车", "海沧区", "厦门日报", 2021, "txt"),
    _e("haicang-suidao-haidi-jianshezhe.txt", "海沧隧道左线贯通背后 建设者在海底70米深处坚守四百多个日夜", "海沧区", "海峡导报", 2021, "txt"),
    _e("haicang-suidao-gongjiao.txt", "海沧隧道左线贯通 通车后海沧至岛内拟新开调整8条公交线路", "海沧区", "厦门网", 2021, "txt"),
    _e("taifeng-dusurui-haicang.txt", "防御台风“杜苏芮” 海沧区渔船全部回港避风", "海沧区", "海峡导报", 2023, "noisy"),
    _e("feed.jsonl#1", "海沧湾公园举办社区趣味运动会 志愿服务队全程保障", "海沧区", "海峡导报", 2024, "jsonl"),
    _e("haicang-shengwu-yiyao-qianyue.txt", "海沧区生物医药港新签约项目12个 总投资超百亿元", "海沧区", "厦门网", 2025, "gb18030"),
    _e("tingxi-shuiku-tuiguo.txt", "汀溪水库周边完成退果还林 同安守护厦门“大水缸”", "同安区", "厦门晚报", 2015, "txt"),
    _e("gaojiaxi-jinxiaoyuan.txt", "同安高甲戏进校园 百名小学生登台学演“丑角戏”", "同安区", "东南网", 2018, "noisy"),
    _e("tongan-wenming-fucha.txt", "同安区迎接全国文明城市复查 背街小巷整治任务全部完成", "同安区", "海峡导报", 2020, "txt"),
    _e("tongan-gongjiao-xinxian.html", "同安区新增6条公交线路 汀溪、莲花山区村民进城更方便", "同安区", "东南网", 2022, "html"),
    _e("datong-caishichang-yitanyima.txt", "同安大同街道菜市场试行“一摊一码” 市民扫码可溯源", "同安区", "台海网", 2024, "noisy"),
    _e("tongan-xincheng-xuexiao.txt", "同安新城三所学校秋季投用 新增学位4200个", "同安区", "厦门网", 2026, "txt"),
    _e("dadeng-xiaoe-shangpin.txt", "大嶝对台小额商品交易市场日均客流破万 台湾商品热销", "翔安区", "海峡导报", 2016, "noisy"),
    _e("xiangan-jichang-anzhi.txt", "翔安新机场片区征地拆迁进入收尾阶段 大嶝岛居民陆续搬入安置房", "翔安区", "厦门日报", 2017, "txt"),
    _e("ditie3-guohai-dungou.txt", "地铁3号线过海段盾构机始发 翔安往返岛内将再添快速通道", "翔安区", "厦门晚报", 2019, "noisy"),
    _e("aotou-yucun-gaizao.txt", "翔安澳头渔村改造完成 昔日小渔港变身网红打卡地", "翔安区", "东南网", 2021, "txt"),
    _e("feed.jsonl#2", "翔安区新店街道“红马甲”志愿服务队扎根社区十年", "翔安区", "台海网", 2023, "jsonl"),
    _e("xiamen-daxue-xiangan-tushuguan.txt", "厦门大学翔安校区新图书馆启用 可同时容纳4000名读者", "翔安区", "海峡导报", 2025, "txt"),
    _e("haixia-luntan-kaimu.txt", "第七届海峡论坛在厦门开幕 两岸民众共话融合发展", None, "台海网", 2015, "noisy"),
    _e("wenming-chengshi-wulianguan.txt", "厦门再获全国文明城市称号 实现“五连冠”", None, "厦门日报", 2017, "txt"),
    _e("fangtaifeng-bailu-yingji.txt", "厦门启动防台风Ⅲ级应急响应 全市海上旅游项目暂停", None, "厦门网", 2019, "noisy"),
    _e("feed.jsonl#3", "厦门地铁线网日均客运量突破百万人次", None, "东南网", 2022, "jsonl"),
    _e("zhaoshang-yijidu-qianyue.txt", "厦门一季度招商引资签约项目超300个 先进制造业项目占比近半", None, "海峡导报", 2026, "txt"),
)
# fmt: on

_T2S = opencc.OpenCC("t2s")


def read_text(entry: Entry) -> str:
    """Decode one article strictly in its intended encoding; simplified, LF only.

    A feed record gives its body (or raw page); a mirror page loses its glosses.
    """
    name, _, index = entry.name.partition("#")
    data = (ARTICLES_DIR / name).read_bytes()
    if entry.fmt == "gb18030":
        if b"\r\n" not in data or data.count(b"\n") != data.count(b"\r\n"):
            raise ValueError("expected CRLF line endings")
        return data.decode("gb18030").replace("\r\n", "\n")
    text = data.decode("utf-8")
    if index:
        record = json.loads(text.splitlines()[int(index)])
        if "raw" in record:
            return record["raw"]
        fields = (record["title"], record["body"], record["source"], record["published"])
        return "\n".join(fields)
    if entry.fmt == "pinyin":
        return _T2S.convert(GLOSS.sub("", text))
    return text


def body_paragraphs(entry: Entry, text: str) -> list[str]:
    """Rough body: lines that are sentences (contain 。) minus captions and teasers."""
    if entry.fmt == "html":
        text = html.unescape(TAG.sub("\n", text))
    lines = (line.strip() for line in text.split("\n"))
    return [line for line in lines if "。" in line and not line.startswith(("▲", "图为"))]


def check_entry(entry: Entry) -> tuple[list[str], int, int]:
    """Problems found, body characters, paragraph count for one article."""
    problems = []
    try:
        text = read_text(entry)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, IndexError) as error:
        return [f"{entry.name}: cannot read: {error}"], 0, 0
    paragraphs = body_paragraphs(entry, text)
    chars = sum(len(p) for p in paragraphs)
    if entry.title not in text:
        problems.append(f"{entry.name}: title not found")
    if entry.outlet not in text:
        problems.append(f"{entry.name}: outlet {entry.outlet} not credited")
    if entry.fmt == "dateline":
        if re.search(r"20[12]\d", text):
            problems.append(f"{entry.name}: dateline article must not carry a year")
    elif str(entry.year) not in text:
        problems.append(f"{entry.name}: year {entry.year} not found")
    if entry.district and entry.district[:2] not in text:
        problems.append(f"{entry.name}: district {entry.district} not mentioned")
    if entry.district is None and any(d[:2] in "\n".join(paragraphs) for d in DISTRICTS):
        problems.append(f"{entry.name}: city-wide article names a district")
    if not 300 <= chars <= 900 or not 3 <= len(paragraphs) <= 7:
        problems.append(f"{entry.name}: body {chars} chars in {len(paragraphs)} paragraphs")
    return problems, chars, len(paragraphs)


def check_spread() -> list[str]:
    """Problems with the spread of districts, outlets, years and files."""
    problems = []
    districts = Counter(e.district for e in MANIFEST)
    outlets = Counter(e.outlet for e in MANIFEST)
    years = Counter(e.year for e in MANIFEST)
    problems += [f"district {d}: {districts[d]} < 5" for d in DISTRICTS if districts[d] < 5]
    problems += [f"city-wide: {districts[None]} < 3"] if districts[None] < 3 else []
    problems += [f"outlet {o}: {outlets[o]} < 4" for o in OUTLETS if outlets[o] < 4]
    problems += [f"year {y}: {years[y]} < 2" for y in YEARS if years[y] < 2]
    on_disk = {p.name for p in ARTICLES_DIR.iterdir()}
    listed = {e.name.partition("#")[0] for e in MANIFEST}
    problems += [f"file not in manifest: {n}" for n in sorted(on_disk - listed)]
    problems += [f"file missing: {n}" for n in sorted(listed - on_disk)]
    return problems


def print_counts() -> None:
    """Print the distribution figures."""
    for label, key in (("district", "district"), ("outlet", "outlet"), ("year", "year")):
        counts = Counter(getattr(e, key) for e in MANIFEST)
        shown = ", ".join(f"{k or '全市'} {v}" for k, v in sorted(counts.items(), key=str))
        print(f"{label}: {shown}")
    print("format:", dict(Counter(e.fmt for e in MANIFEST)))
    print(f"articles: {len(MANIFEST)}; files: {len({e.name.partition('#')[0] for e in MANIFEST})}")


def print_table() -> None:
    """Print the README table of files."""
    print("| File | Title | District | Outlet | Year | Format |")
    print("|---|---|---|---|---|---|")
    for e in MANIFEST:
        print(
            f"| `{e.name}` | {e.title} | {e.district or '全市'} | {e.outlet} | {e.year} | {e.fmt} |"
        )


def compare_with_cleaner() -> None:
    """Run clean_page on each file and report fields that differ from the manifest."""
    sys.path.insert(0, str(ARTICLES_DIR.parents[1]))
    from articles.cleaning import clean_page  # optional: needs the repo

    for e in MANIFEST:
        if "#" in e.name:
            continue
        got = clean_page(
            (ARTICLES_DIR / e.name).read_bytes(), filename=e.name, default_year=DEFAULT_YEAR
        )
        year = got.published.year if got.published else None
        seen = (got.title, got.district, got.source, year)
        if seen != (e.title, e.district, e.outlet, e.year):
            print(f"cleaner differs on {e.name}: {seen} review={got.review_reasons}")


def main() -> int:
    """Run all checks; print figures; return the exit status."""
    if "--table" in sys.argv:
        print_table()
        return 0
    problems = check_spread()
    sizes = []
    for entry in MANIFEST:
        found, chars, paragraphs = check_entry(entry)
        problems += found
        sizes.append((chars, paragraphs))
    print_counts()
    chars = [c for c, _ in sizes]
    print(f"body chars: min {min(chars)}, max {max(chars)}, mean {sum(chars) // len(chars)}")
    if "--clean" in sys.argv:
        compare_with_cleaner()
    print("\n".join(problems) or "all checks passed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
