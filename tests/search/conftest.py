"""Fixtures for the search contract suite: a small set of hand-written Chinese articles, created through the ORM (so the signal processor indexes
them exactly as an import would)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from articles.models import Article, District, Source
from search import indexing


@dataclass(frozen=True)
class Spec:
    key: str
    title: str
    body: str
    district: str | None
    source: str | None
    date: str | None
    status: str = "published"


ARTICLES = [
    Spec("civic", "湖里区开展文明城市创建志愿服务活动",
         "3月5日，湖里区组织青年志愿服务队走进社区，开展文明城市创建宣传。",
         "湖里区", "厦门日报", "2021-03-05"),
    Spec("ferry", "鼓浪屿游客服务志愿者上岗",
         "暑期到来，鼓浪屿迎来客流高峰。思明区招募的服务志愿者在码头为游客指路。",
         "思明区", "厦门晚报", "2021-07-15"),
    Spec("parks", "同安区新建三座口袋公园",
         "同安区今年在城区新建三座口袋公园，市民可以就近散步休闲。",
         "同安区", "厦门网", "2022-04-10"),
    Spec("dragon", "集美學村龍舟賽開賽",
         "端午節前夕，集美學村龍舟池舉行龍舟比賽，數千名市民觀賽。",
         "集美区", "台海网", "2022-06-01"),
    Spec("cars", "海沧区引进新能源汽车项目",
         "海沧区与企业签约新能源汽车零部件项目，总投资五十亿元。",
         "海沧区", "东南网", "2023-01-12"),
    Spec("airport", "翔安机场建设进展顺利",
         "翔安新机场航站楼主体结构完工，预计2026年投用。",
         "翔安区", "海峡导报", "2023-05-20"),
    Spec("campus", "厦门大学迎来百年校庆",
         "厦门大学举行建校一百周年庆祝大会，海内外校友返校。",
         "思明区", "厦门日报", "2021-04-06"),
    Spec("games", "<script>alert(1)</script>湖里区举办社区运动会",
         "湖里区殿前街道举办社区运动会，居民踊跃参加拔河比赛。",
         "湖里区", "厦门晚报", "2022-10-01"),
    Spec("phone", "iPhone维修点进驻中山路",
         "苹果手机iPhone授权维修点在思明区中山路开业，离鼓浪屿轮渡码头不远，COVID-19防控措施到位。",
         "思明区", "厦门网", "2023-03-03"),
    Spec("homes", "湖里区拆迁安置房交付",
         "湖里区一批拆迁安置房交付使用，居民喜迁新居。",
         "湖里区", "厦门日报", "2023-08-08"),
    Spec("hidden", "隐藏稿件湖里区文明",
         "这篇稿件已隐藏，湖里区文明城市。",
         "湖里区", "厦门日报", "2023-09-09", status="hidden"),
    Spec("storm", "台风过境市民注意安全",
         "气象部门提醒市民注意防范台风，志愿服务队随时待命。",
         None, None, None),
]  # fmt: skip
DISTRICTS = ["思明区", "湖里区", "集美区", "海沧区", "同安区", "翔安区"]


def _district(name: str | None) -> District | None:
    if name is None:
        return None
    short = name[:-1]
    return District.objects.get_or_create(
        name=name,
        defaults={"short_name": short, "pinyin": short, "slug": f"d{DISTRICTS.index(name)}",
                  "position": DISTRICTS.index(name)},
    )[0]  # fmt: skip


def _source(name: str | None) -> Source | None:
    if name is None:
        return None
    return Source.objects.get_or_create(name=name, defaults={"slug": f"s{abs(hash(name))}"})[0]


def make_article(spec: Spec) -> Article:
    return Article.objects.create(
        title=spec.title,
        body=spec.body,
        published_date=dt.date.fromisoformat(spec.date) if spec.date else None,
        district=_district(spec.district),
        source=_source(spec.source),
        authors=[{"role": "记者", "name": "林晓"}],
        keywords=[],
        fingerprint=f"fp-{spec.key}",
        status=spec.status,
    )


@pytest.fixture
def articles(search_engine, transactional_db) -> dict[str, Article]:
    """The hand-written articles, created in one indexing batch on each engine (the contract
    every engine keeps); keyed by Spec.key."""
    for name in DISTRICTS:
        _district(name)
    with indexing.batch():
        made = {spec.key: make_article(spec) for spec in ARTICLES}
    return made
