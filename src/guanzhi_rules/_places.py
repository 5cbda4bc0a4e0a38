"""Administrative divisions: a small bundled table of GB/T 2260 codes, and containment by code prefix.

A place is written as the six-digit code of the administrative division (GB/T 2260, the national
standard the statistics and civil-affairs tables use): ``AABBCC`` — ``AA`` the province, ``BB`` the
prefecture within it (``00`` for the province itself), ``CC`` the county within the prefecture
(``00`` for the prefecture itself). Containment is read from the prefix: ``320000`` (江苏省) contains
every code starting ``32``; ``441700`` (阳江市) every code starting ``4417``.

Where the prefix is exact, and where not:

- **Exact** for province → anything in it, and for an ordinary prefecture → its counties and
  districts, *on the same edition of the table*: a code names a division as the table stood when the
  code was read.
- **Not exact across editions.** Divisions are reorganised and recoded (a county becomes a district
  and takes a new code, a county moves to another prefecture and is renumbered). A code must be the
  one in force where and when the subject served; an old code read against today's boundaries can be
  wrong. The table here does not track history.
- **No prefecture level.** County-level units directly under a province (省直辖县级行政单位, e.g.
  429004 仙桃市) carry a ``90`` prefecture pair that is not a prefecture; prefecture-level cities
  without counties (441900 东莞市) have no county codes at all; the 市辖区 pairs of municipalities are
  groupings. Province containment stays exact for all of them; no prefecture contains them.
- **Units without a code.** Development zones, high-tech zones and new areas (开发区、高新区、新区)
  have no GB/T 2260 code of their own. One is written as its parent division's code plus a zone
  code (``DevelopmentZone``): 本溪高新区 is ``210500`` (本溪市) with zone ``210500_high_tech_zone``. A
  division code alone cannot say whether a place lies inside such a zone: that is "cannot tell".

Names are bundled for every provincial-level division and for the divisions the five documents
name, with their counties where a case needs them; any other well-formed code is accepted and
placed by its prefix, with its name taken from the case or left unstated.
"""

from __future__ import annotations

import re
from typing import Literal

from guanzhi_rules._vocab import DevelopmentZone

CODE = re.compile(r"^[1-9]\d{5}$")
"""A six-digit GB/T 2260 code (the first digit is the region, never 0)."""

DIVISIONS: dict[str, tuple[str, str]] = {
    # provincial-level divisions, all of them
    "110000": ("北京市", "Beijing"), "120000": ("天津市", "Tianjin"), "130000": ("河北省", "Hebei"),
    "140000": ("山西省", "Shanxi"), "150000": ("内蒙古自治区", "Inner Mongolia"), "210000": ("辽宁省", "Liaoning"),
    "220000": ("吉林省", "Jilin"), "230000": ("黑龙江省", "Heilongjiang"), "310000": ("上海市", "Shanghai"),
    "320000": ("江苏省", "Jiangsu"), "330000": ("浙江省", "Zhejiang"), "340000": ("安徽省", "Anhui"),
    "350000": ("福建省", "Fujian"), "360000": ("江西省", "Jiangxi"), "370000": ("山东省", "Shandong"),
    "410000": ("河南省", "Henan"), "420000": ("湖北省", "Hubei"), "430000": ("湖南省", "Hunan"),
    "440000": ("广东省", "Guangdong"), "450000": ("广西壮族自治区", "Guangxi"), "460000": ("海南省", "Hainan"),
    "500000": ("重庆市", "Chongqing"), "510000": ("四川省", "Sichuan"), "520000": ("贵州省", "Guizhou"),
    "530000": ("云南省", "Yunnan"), "540000": ("西藏自治区", "Tibet"), "610000": ("陕西省", "Shaanxi"),
    "620000": ("甘肃省", "Gansu"), "630000": ("青海省", "Qinghai"), "640000": ("宁夏回族自治区", "Ningxia"),
    "650000": ("新疆维吾尔自治区", "Xinjiang"), "710000": ("台湾省", "Taiwan"),
    "810000": ("香港特别行政区", "Hong Kong"), "820000": ("澳门特别行政区", "Macao"),
    # 江苏省 (jiangsu: 全省) and its prefectures
    "320100": ("南京市", "Nanjing"), "320200": ("无锡市", "Wuxi"), "320300": ("徐州市", "Xuzhou"),
    "320400": ("常州市", "Changzhou"), "320500": ("苏州市", "Suzhou"), "320600": ("南通市", "Nantong"),
    "320700": ("连云港市", "Lianyungang"), "320800": ("淮安市", "Huai'an"), "320900": ("盐城市", "Yancheng"),
    "321000": ("扬州市", "Yangzhou"), "321100": ("镇江市", "Zhenjiang"), "321200": ("泰州市", "Taizhou (Jiangsu)"),
    "321300": ("宿迁市", "Suqian"),
    # 浙江省 (zhejiang: 我省) and its prefectures
    "330100": ("杭州市", "Hangzhou"), "330200": ("宁波市", "Ningbo"), "330300": ("温州市", "Wenzhou"),
    "330400": ("嘉兴市", "Jiaxing"), "330500": ("湖州市", "Huzhou"), "330600": ("绍兴市", "Shaoxing"),
    "330700": ("金华市", "Jinhua"), "330800": ("衢州市", "Quzhou"), "330900": ("舟山市", "Zhoushan"),
    "331000": ("台州市", "Taizhou (Zhejiang)"), "331100": ("丽水市", "Lishui"),
    # 阳江市 (yangjiang: 我市), 广东省
    "441700": ("阳江市", "Yangjiang"), "441702": ("江城区", "Jiangcheng District"), "441704": ("阳东区", "Yangdong District"),
    "441721": ("阳西县", "Yangxi County"), "441781": ("阳春市", "Yangchun"),
    # 本溪市 (benxi: 本溪高新区 lies in it), 辽宁省
    "210500": ("本溪市", "Benxi"), "210502": ("平山区", "Pingshan District"), "210503": ("溪湖区", "Xihu District"),
    "210504": ("明山区", "Mingshan District"), "210505": ("南芬区", "Nanfen District"),
    "210521": ("本溪满族自治县", "Benxi Manchu Autonomous County"), "210522": ("桓仁满族自治县", "Huanren Manchu Autonomous County"),
    # 岳阳市 (yueyang: 全市), 湖南省
    "430600": ("岳阳市", "Yueyang"), "430602": ("岳阳楼区", "Yueyanglou District"), "430603": ("云溪区", "Yunxi District"),
    "430611": ("君山区", "Junshan District"), "430621": ("岳阳县", "Yueyang County"), "430623": ("华容县", "Huarong County"),
    "430624": ("湘阴县", "Xiangyin County"), "430626": ("平江县", "Pingjiang County"), "430681": ("汨罗市", "Miluo"),
    "430682": ("临湘市", "Linxiang"),
    # 湖北省, outside all five: a prefecture and a county, and a county-level city directly under the province
    "420200": ("黄石市", "Huangshi"), "420222": ("阳新县", "Yangxin County"), "429004": ("仙桃市", "Xiantao"),
}
"""Names (zh, en) of the divisions bundled, by code."""

ZONE_PARENTS: dict[DevelopmentZone, str] = {
    DevelopmentZone.HIGH_TECH_ZONE_210500: "210500",
}
"""The division each development zone lies in (the narrowest one known for the whole zone)."""

Level = Literal["province", "prefecture", "county"]


def level(code: str) -> Level:
    """How far down the code names a division: a province (``AA0000``), a prefecture (``AABB00``) or a county."""
    if code[2:] == "0000":
        return "province"
    return "prefecture" if code[4:] == "00" else "county"


def contains(outer: str, inner: str) -> bool:
    """Whether division ``outer`` contains division ``inner`` (or is it), by code prefix (see the module docstring)."""
    depth = {"province": 2, "prefecture": 4, "county": 6}[level(outer)]
    return inner[:depth] == outer[:depth]


def parents(code: str) -> tuple[str, ...]:
    """The codes of the province and prefecture above ``code``, broadest first (as far as the code has them)."""
    found = [code[:2] + "0000"]
    if level(code) == "county" and code[2:4] != "90":
        found.append(code[:4] + "00")
    return tuple(p for p in found if p != code)


def name(code: str, lang: str) -> str | None:
    """The bundled name of a division, with the names of its parents in Chinese order (``辽宁省本溪市``), or None."""
    if code not in DIVISIONS:
        return None
    chain = [c for c in (*parents(code), code) if c in DIVISIONS]
    if lang == "zh":
        return "".join(DIVISIONS[c][0] for c in chain)
    return ", ".join(DIVISIONS[c][1] for c in reversed(chain))


Placement = Literal["within", "outside", "cannot_tell"]


def place_within(division: str | None, zone: DevelopmentZone | None, territory: str, territory_zone: DevelopmentZone | None) -> Placement:
    """Whether a place (a division code, a development zone, or both) lies within a territory.

    A zone is within its parent division; a division code alone cannot say whether it lies inside a
    zone that shares its prefecture; two different zones are read as not overlapping.
    """
    if zone is not None:
        division = ZONE_PARENTS[zone]
    assert division is not None
    if territory_zone is not None:
        if zone is not None:
            return "within" if zone == territory_zone else "outside"
        parent = ZONE_PARENTS[territory_zone]
        return "cannot_tell" if contains(division, parent) or contains(parent, division) else "outside"
    if contains(territory, division):
        return "within"
    return "cannot_tell" if contains(division, territory) else "outside"
