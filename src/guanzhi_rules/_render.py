"""Readable text renderings of a determination, in Chinese or English."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from guanzhi_rules._facts import FACTS
from guanzhi_rules._rulefile import Freeze, Text
from guanzhi_rules._vocab import Measure

if TYPE_CHECKING:
    from guanzhi_rules._determination import (
        Branch,
        Change,
        ConsequenceItem,
        DeadlineFinding,
        Determination,
        Finding,
        InForce,
        MeasureConsequences,
        TimeAndPlace,
        VersionOutcome,
    )

from guanzhi_rules._words import (
    ACCOUNTABLE,
    EMPHASES,
    EXEMPTION_OUTCOMES,
    FACTORS,
    IN_FORCE,
    IN_FORCE_STATUS,
    RESULTS,
    SCOPE_OUTCOMES,
    SECTIONS,
    WORDS,
    cite,
    show_value,
    where,
)

_HEADINGS: dict[str, Text] = {
    **SECTIONS,
    "time_and_place": Text(zh="时间效力与地域效力", en="In force and territory"),
    "referrals": Text(zh="移送与其他处理", en="Referrals and other measures"),
    "deadlines": Text(zh="程序期限", en="Procedural deadlines"),
    "not_decided": Text(zh="本文件未作规定", en="Not decided by this document"),
    "open": Text(zh="待查事实", en="Open questions"),
    "space": Text(zh="决策空间：取决于决定机关判断的事项", en="Decision space: what the decision-maker's judgement decides"),
    "sensitivity": Text(zh="敏感性：改变一项事实即改变结论的情形", en="Sensitivity: single changes of one fact that change the outcome"),
    "trace": Text(zh="推理过程", en="Trace"),
    "fingerprints": Text(zh="指纹", en="Fingerprints"),
}
"""Section headings of a determination; the six it shares with a comparison come from the catalogue."""

_PHRASES: dict[str, Text] = {
    "choice": Text(zh="对所选处理的审查", en="The measures chosen"),
    "chosen": Text(zh="（已选择）", en=" (chosen)"),
    "if_chosen": Text(zh="（如选择）", en=" (if chosen)"),
    "unknown": Text(zh="未知事实", en="unknown facts"),
    "if": Text(zh="若", en="if "),
    "accountability": Text(zh="问责：", en="accountability: "),
    "not_enumerated": Text(zh="另有未列举的判断事项", en="also open, not enumerated"),
    "not_asked": Text(zh="未计算（evaluate 加 --sensitivity 可得）", en="not computed (evaluate with --sensitivity)"),
    "no_change": Text(zh="改变任何一项事实都不改变结论", en="no single change of a fact changes the outcome"),
    "shall_pick": Text(zh="应当给予其一", en="one shall be imposed"),
    "may_pick": Text(zh="酌情选择", en="discretionary"),
    "open_ended": Text(zh="（原文列举并非穷尽）", en=" (the text's list is not exhaustive)"),
    "below": Text(zh="可以减轻，即在上述范围以下处理", en="may be reduced below this range (减轻)"),
    "commencement": Text(zh="施行", en="In force from"),
    "commencement_unknown": Text(zh="施行日期不详", en="commencement date unknown"),
    "territory": Text(zh="地域范围", en="Territory"),
    "place": Text(zh="任职地", en="Where the subject serves"),
    "place_unknown": Text(zh="未记载", en="not recorded"),
    "versions": Text(zh="版本", en="Versions"),
    "version_from": Text(zh="自{day}起施行的版本", en="the version in force from {day}"),
    "lighter": Text(zh="较轻", en="lighter"),
    "heavier": Text(zh="较重", en="heavier"),
}

_REFERRALS: dict[str, Text] = {
    "party_discipline": Text(zh="移交纪检监察机关给予党纪处分", en="party disciplinary sanction by the discipline inspection organs"),
    "public_office_discipline": Text(zh="给予政务处分", en="public-office sanction"),
    "discipline_inspection": Text(zh="移交纪检监察机关处理", en="referral to the discipline inspection and supervision organs"),
    "judicial_organs": Text(zh="移送司法机关依法处理", en="referral to judicial organs"),
}

_RESTRICTIONS: dict[str, tuple[str, str]] = {
    "promotion": ("不得提拔", "no promotion"),
    "equivalent_post": ("不得重新担任与原职务相当的领导职务", "no leading post equivalent to the former one"),
    "higher_post": ("不得担任高于原职务层次的职务", "no post above the former rank"),
    "any_post": ("不安排职务", "no post assigned"),
    "related_post": (
        "不得担任原任职务监管部门的领导职务或相关联职务",
        "no leading post in the former post's supervising department or a related post",
    ),
}

_STATUS: dict[str, tuple[str, str]] = {
    "removed_from_leadership_team": ("调整出领导班子", "removed from the leadership team"),
    "removed_from_promotion_shortlist": ("取消拟提拔任用资格", "removed from the promotion shortlist"),
    "removed_from_reserve_list": ("调整出后备干部名单", "removed from the reserve-cadre list"),
    "trial_post_cancelled": ("试任职务自然取消", "trial post cancelled"),
    "pay_at_pre_trial_level": ("待遇按试用前职务标准执行", "pay at the pre-trial post's level"),
    "made_public": ("责任追究结果向社会公开", "result made public"),
    "filed_in_personnel_record": ("决定存入干部档案", "decision filed in the personnel record"),
    "reappointment_needs_approval": ("影响期满后重新任用须事先报批", "reappointment after the period needs prior approval"),
    "name_cleared": ("澄清事实、恢复名誉", "facts clarified and name cleared"),
}


def _w(key: str, lang: str) -> str:
    return (_HEADINGS.get(key) or _PHRASES.get(key) or WORDS[key]).get(lang)


_MEASURES = {m.value: m for m in Measure}


def _measure(code: str, lang: str) -> str:
    return _MEASURES[code].label(lang)


def _finding(f: Finding, lang: str, indent: str = "   ") -> list[str]:
    lines = [f"{indent}- {f.label.get(lang)} [{f.rule_id}]", f"{indent}  {cite(f.citation)}"]
    if f.facts:
        shown = ", ".join(f"{k}={v}" for k, v in f.facts.items())
        lines.append(f"{indent}  {_w('facts', lang)}: {shown}")
    return lines


def _freeze(fz: Freeze, lang: str) -> str:
    what = _RESTRICTIONS[fz.restriction][0 if lang == "zh" else 1]
    if fz.months is not None:
        years, months = divmod(fz.months, 12)
        if lang == "zh":
            span = f"{years}年" if not months else f"{fz.months}个月"
            return f"{span}内{what}"
        span = f"{years} year(s)" if not months else f"{fz.months} month(s)"
        return f"{what} for {span}"
    if fz.until == "rectification":
        return f"{what}，直至问题整改到位" if lang == "zh" else f"{what} until rectification is complete"
    if fz.length == "indefinite":
        return what + ("（未设期限）" if lang == "zh" else " (no time limit)")
    return f"{what}（影响期长度本文件未作规定）" if lang == "zh" else f"{what} (length of the period not fixed by this document)"


def _deadline(dl: DeadlineFinding, lang: str) -> str:
    unit = {"working_days": ("个工作日", " working days"), "days": ("日", " days")}[dl.unit][lang != "zh"]
    after = FACTS[dl.after].label(lang)
    if lang == "zh":
        text = f"自{after}（{dl.start or '未知'}）起{dl.count}{unit}"
        if dl.due:
            text += f"，至 {dl.due}"
        elif dl.status == "beyond_official_calendar":
            text += f"；官方节假日安排尚未覆盖该期间，无法确定（仅按周一至周五推算为 {dl.weekday_estimate}，非官方日期）"
        if dl.extendable:
            text += f"；经批准可延长至{dl.extended_count}{unit}" if dl.extended_count else "；可以适当延长"
            text += f"（{dl.extended_due}）" if dl.extended_due else ""
        return text
    text = f"{dl.count}{unit} after {after.lower()} ({dl.start or 'unknown'})"
    if dl.due:
        text += f": due {dl.due}"
    elif dl.status == "beyond_official_calendar":
        text += (f"; the official holiday calendar does not cover the period, so no date can be given "
                 f"(Monday-Friday count only, not official: {dl.weekday_estimate})")
    if dl.extendable:
        text += f"; extendable to {dl.extended_count}{unit}" if dl.extended_count else "; may be extended"
        text += f" ({dl.extended_due})" if dl.extended_due else ""
    return text


def _consequence(item: ConsequenceItem, lang: str) -> str:
    return f"{consequence_text(item, lang)} [{item.rule_id}; {where(item.citation, part=False)}]"


def consequence_text(item: ConsequenceItem, lang: str) -> str:
    """What one consequence item means, in words (with its dates where it has them), without its citation."""
    if item.freeze:
        text = _freeze(item.freeze, lang)
        period = item.period
        if period and period.last_day:
            text += f"（{period.starts} 至 {period.last_day}，{period.free_from} 起解除）" if lang == "zh" else \
                f" ({period.starts} to {period.last_day}; free from {period.free_from})"
        elif period and item.freeze.length == "fixed":
            text += f"（{period.note.get(lang)}）" if lang == "zh" else f" ({period.note.get(lang)})"
    elif item.awards:
        year = item.awards_year
        if lang == "zh":
            text = f"取消{year}年度考核评优和评选先进资格" if year else "取消当年度考核评优和评选先进资格"
        else:
            text = f"not eligible for {year}'s awards and honours" if year else "not eligible for that year's awards and honours"
    elif item.annual_grade:
        grades = {"basically_competent": ("基本称职", "basically competent"), "incompetent": ("不称职", "incompetent")}
        names = [grades[g][0 if lang == "zh" else 1] for g in item.annual_grade]
        text = ("年度考核等次确定为" + "或".join(names)) if lang == "zh" else "annual grade: " + " or ".join(names)
    elif item.status:
        text = "；".join(_STATUS[s][0 if lang == "zh" else 1] for s in item.status)
    else:
        assert item.statement is not None
        text = item.statement.get(lang)
    return text


def render(d: Determination, lang: str) -> str:
    """Render ``d`` as text in ``lang`` ("zh" or "en"): a header, then one numbered section after another."""
    out = _header(d, lang)
    sections = [
        ("time_and_place", _time_and_place), ("scope", _scope), ("circumstances", _circumstances), ("exemption", _exemption),
        ("factors", _factors),
        ("sanctions", _sanctions), ("consequences", _consequences), ("referrals", _referrals), ("deadlines", _deadlines),
        ("not_decided", _not_decided), ("open", _open), ("space", _space), ("sensitivity", _sensitivity), ("trace", _trace),
        ("fingerprints", _fingerprints),
    ]
    for n, (key, section) in enumerate(sections, start=1):
        out += ["", f"{n}. {_w(key, lang)}", *section(d, lang)]
    return "\n".join(out) + "\n"


def _time_and_place(d: Determination, lang: str) -> list[str]:
    tp: TimeAndPlace = d.time_and_place
    zh = lang == "zh"
    colon = "：" if zh else ": "
    c = tp.commencement
    out = [f"   {tp.statement.get(lang)}"]
    day = c.date or _w("commencement_unknown", lang)
    out.append(f"   {_w('commencement', lang)}{colon}{day} — {c.note.get(lang)}")
    out += [f"     {cite(citation)}" for citation in c.citations]
    out += [_in_force(check, lang) for check in (tp.at_conduct, tp.at_decision)]
    t = tp.territory
    if t.division:
        code = "" if t.zone else f"（{t.division}）" if zh else f" ({t.division})"
        named = f"{t.name.get(lang)}{code}" if t.name else t.division
        out.append(f"   {_w('territory', lang)}{colon}{named}")
        if t.citation:
            out.append(f"     {cite(t.citation)}")
    code = (f"（{t.place}）" if zh else f" ({t.place})") if t.place and not t.place_zone else ""
    place = f"{t.place_name.get(lang) if t.place_name else ''}{code}".strip()
    out.append(f"   {_w('place', lang)}{colon}{place or _w('place_unknown', lang)} — {t.reason.get(lang)}")
    if tp.versions:
        out.append(f"   {_w('versions', lang)}{'：' if zh else ':'}")
        for v in tp.versions:
            out.extend(_version(v, lang))
        if tp.versions_statement:
            out.append(f"   {tp.versions_statement.get(lang)}")
    return out


_AT = {"dates.conduct": Text(zh="行为发生时", en="at the conduct date"), "decision.date": Text(zh="作出决定时", en="at the decision date")}
"""When a version was in force, by the case date it was in force at."""


def _in_force(check: InForce, lang: str) -> str:
    name = FACTS[check.date_fact].label(lang)
    return f"   {name}{'：' if lang == 'zh' else ': '}{IN_FORCE_STATUS[check.status].get(lang)} — {check.reason.get(lang)}"


def _version(v: VersionOutcome, lang: str) -> list[str]:
    zh = lang == "zh"
    at = ("、" if zh else " and ").join(_AT[a].get(lang) for a in v.at)
    name = _w("version_from", lang).format(day=v.in_force_from or _w("commencement_unknown", lang))
    mark = "" if v.lighter is None else f"【{_w('lighter' if v.lighter else 'heavier', lang)}】" if zh else \
        f" [{_w('lighter' if v.lighter else 'heavier', lang)}]"
    at_text = f"（{at}施行）" if zh else f" (in force {at})"
    measures = ("、" if zh else ", ").join(_measure(m, lang) for m in v.measures)
    outcome = ACCOUNTABLE[v.accountable].get(lang) + (f"{'；' if zh else '; '}{measures}" if measures else "")
    out = [f"     - {name}{at_text}{mark}{'：' if zh else ': '}{outcome} [sha256 {v.ruleset_sha256[:12]}]"]
    for mc in v.consequences:
        out.extend(_measure_consequences(mc, lang, "       "))
    return out


def _or_none(lines: list[str], lang: str) -> list[str]:
    """A section's lines, or "none" where it has nothing to say."""
    return lines or [f"   {_w('none', lang)}"]


def _header(d: Determination, lang: str) -> list[str]:
    j = d.jurisdiction
    issued = j.issued if j.issued != "unknown" else _w("issued_unknown", lang)
    out = [f"{j.title}" + (f"（{j.number}）" if j.number else "") + f" [{j.key}, {issued}]"]
    if d.case_id:
        out.append(("案件：" if lang == "zh" else "Case: ") + d.case_id)
    if d.time_and_place.outside:
        marks = ("；" if lang == "zh" else "; ").join(IN_FORCE[f"outside.{o}"].get(lang) for o in d.time_and_place.outside)
        out.append(f"【仅供比较：{marks}】" if lang == "zh" else f"[For comparison only: {marks}]")
    return out


def _scope(d: Determination, lang: str) -> list[str]:
    out = [f"   {SCOPE_OUTCOMES[d.scope.outcome].get(lang)} — {d.scope.reason.get(lang)}"]
    if d.scope.finding:
        out.extend(_finding(d.scope.finding, lang))
    return out


def _circumstances(d: Determination, lang: str) -> list[str]:
    out = []
    for c in d.circumstances:
        out.append(f"   [{c.category.get(lang)}]")
        out.extend(_finding(c.finding, lang))
    return _or_none(out, lang)


def _exemption(d: Determination, lang: str) -> list[str]:
    ex = d.exemption
    out = [f"   {EXEMPTION_OUTCOMES[ex.outcome].get(lang)}" + (f" — {ex.statement.get(lang)}" if ex.statement else "")]
    for f in (*ex.exemptions, *ex.bars):
        out.extend(_finding(f, lang))
    if ex.pending_bars:
        out.append(f"   {_w('unknown', lang)}: {', '.join(ex.pending_bars)}")
    return out


def _factors(d: Determination, lang: str) -> list[str]:
    out = []
    for ff in d.factors:
        out.append(f"   [{FACTORS[ff.factor].get(lang)}]")
        out.extend(_finding(ff.finding, lang))
    return _or_none(out, lang)


def _sanctions(d: Determination, lang: str) -> list[str]:
    s = d.sanctions
    sep = "、" if lang == "zh" else ", "
    out = []
    if s.measures:
        out.append("   " + sep.join(_measure(m, lang) for m in s.measures) + (_w("open_ended", lang) if s.open_ended else ""))
    out.append(f"   {s.statement.get(lang)}")
    if s.emphasis != "none":
        out.append(f"   {EMPHASES[s.emphasis].get(lang)}")
    if s.reduced_below_range:
        out.append(f"   {_w('below', lang)}")
    for f in s.bands:
        out.extend(_finding(f, lang))
    return out


def _measure_consequences(mc: MeasureConsequences, lang: str, indent: str = "   ") -> list[str]:
    label = _w("chosen" if mc.chosen else "if_chosen", lang)
    if mc.converted_from:
        label = (f"（由{_measure(mc.converted_from, lang)}转换）" if lang == "zh"
                 else f" (converted from {_measure(mc.converted_from, lang)})")
    out = [f"{indent}{_measure(mc.measure, lang)}{label}:"]
    out.extend(f"{indent}  - {_consequence(i, lang)}" for i in mc.items)
    if not mc.items:
        out.append(f"{indent}  - {_w('none', lang)}")
    return out


def _consequences(d: Determination, lang: str) -> list[str]:
    out = []
    for mc in d.consequences:
        out.extend(_measure_consequences(mc, lang))
    out.extend(f"   - {_consequence(item, lang)}" for item in d.general_consequences)
    return _or_none(out, lang)


def _referrals(d: Determination, lang: str) -> list[str]:
    """Referrals and statements, then the review of the measures chosen (which has no section of its own)."""
    out = [f"   - {_REFERRALS[r.to].get(lang)} [{r.finding.rule_id}; {cite(r.finding.citation)}]" for r in d.referrals]
    out += [f"   - {st.text.get(lang)} [{st.finding.rule_id}; {cite(st.finding.citation)}]" for st in d.statements]
    return _or_none(out, lang) + _choice(d, lang)


def _choice(d: Determination, lang: str) -> list[str]:
    review = d.choice
    if review is None:
        return []
    verdict = {True: ("允许", "permitted"), False: ("不允许", "not permitted"), None: ("尚不能确定", "undetermined")}[review.permitted]
    chosen = ", ".join([_measure(m, lang) for m in review.measures] + list(review.discipline))
    out = [f"   {_w('choice', lang)}: {chosen} — {verdict[lang != 'zh']}"]
    for cf in review.findings:
        cited = f" [{cf.rule_id or ''}; {cite(cf.citation)}]" if cf.citation else ""
        what = f"{_measure(cf.measure, lang)}: " if cf.measure else ""
        out.append(f"     - {what}{cf.reason.get(lang)}{cited}")
    return out


def _deadlines(d: Determination, lang: str) -> list[str]:
    return _or_none([f"   - {dl.task.get(lang)}: {_deadline(dl, lang)} [{dl.finding.rule_id}; {cite(dl.finding.citation)}]"
                     for dl in d.deadlines], lang)


def _not_decided(d: Determination, lang: str) -> list[str]:
    return _or_none([f"   - {t.get(lang)}" for t in d.not_decided], lang)


def _open(d: Determination, lang: str) -> list[str]:
    return _or_none([f"   - {q.rule_id} ({q.stage}): {_w('unknown', lang)} {', '.join(q.unknown_facts)}" for q in d.open_questions],
                    lang)


def branch_text(branch: Branch, lang: str) -> str:
    """One branch of a decision space in one line: the answers, then what follows."""
    zh = lang == "zh"
    either = "／" if zh else " or "
    when = ("，" if zh else ", ").join(
        f"{FACTS[p].label(lang)}{'为' if zh else ' is '}{either.join(show_value(p, v, lang) for v in values)}"
        for p, values in branch.when.items())
    outcome = [f"{_w('accountability', lang)}{ACCOUNTABLE[branch.accountable].get(lang)}"]
    if branch.measures:
        names = ("、" if zh else ", ").join(_measure(m, lang) for m in branch.measures)
        mode = _w("shall_pick" if branch.mandatory else "may_pick", lang)
        outcome.append(f"{SECTIONS['sanctions'].get(lang)}{'：' if zh else ': '}{names}{f'（{mode}）' if zh else f' ({mode})'}")
    if branch.exemption not in ("none", "not_provided"):
        outcome.append(f"{SECTIONS['exemption'].get(lang)}{'：' if zh else ': '}{EXEMPTION_OUTCOMES[branch.exemption].get(lang)}")
    rules = ", ".join((*branch.circumstances, *branch.bands))
    return f"{_w('if', lang)}{when}{'：' if zh else ': '}{('；' if zh else '; ').join(outcome)}" + (f" [{rules}]" if rules else "")


SPACE_NONE = Text(zh="结论不取决于尚未作出的判断", en="The outcome does not hang on a judgement not yet made")
"""What a determination without a decision space says in its place."""


def _space(d: Determination, lang: str) -> list[str]:
    space = d.decision_space
    if space is None:
        return [f"   {SPACE_NONE.get(lang)}"]
    out = [f"   - {branch_text(b, lang)}" for b in space.branches]
    if space.not_enumerated:
        out.append(f"   {_w('not_enumerated', lang)}: {', '.join(space.not_enumerated)}")
    return out


def _sensitivity(d: Determination, lang: str) -> list[str]:
    if d.sensitivity is None:
        return [f"   {_w('not_asked', lang)}"]
    return [f"   - {line}" for line in sensitivity_lines(d.sensitivity, lang)] or [f"   {_w('no_change', lang)}"]


def sensitivity_lines(changes: Iterable[Change], lang: str) -> list[str]:
    """Each change of one fact that changes the outcome, in one line: the fact, its values, and what changes."""
    out = []
    for c in changes:
        changed = ("；" if lang == "zh" else "; ").join(f"{_CHANGED[name].get(lang)} → {_changed(c, name, lang)}" for name in c.changes)
        values = f"{show_value(c.fact, c.was, lang)} → {show_value(c.fact, c.value, lang)}"
        out.append(f"{FACTS[c.fact].label(lang)} ({c.fact}): {values}: {changed}")
    return out


_CHANGED = {"accountable": Text(zh="问责", en="accountability"), "exemption": SECTIONS["exemption"], "measures": SECTIONS["sanctions"]}
"""What a change of one fact changes, by ``Change.changes`` code."""


def _changed(c: Change, name: str, lang: str) -> str:
    if name == "accountable":
        return ACCOUNTABLE[c.accountable].get(lang)
    if name == "exemption":
        return EXEMPTION_OUTCOMES[c.exemption].get(lang)
    return ("、" if lang == "zh" else ", ").join(_measure(m, lang) for m in c.measures) or _w("none", lang)


def _trace(d: Determination, lang: str) -> list[str]:
    out = []
    for step in d.trace:
        line = f"   {step.step:>3}. {step.rule_id} [{step.stage}] {RESULTS[step.result].get(lang)} — {where(step.citation, part=False)}"
        if step.defeated_by:
            line += f"; {_w('defeated_by', lang)} {', '.join(step.defeated_by)}"
        if step.defeats:
            line += f"; {_w('defeats', lang)} {', '.join(step.defeats)}"
        out.append(line)
    return out


def _fingerprints(d: Determination, lang: str) -> list[str]:
    fp = d.fingerprints
    version = f"; version {fp.version}" if fp.version else ""
    return [f"   engine {fp.engine_version}; rules sha256 {fp.ruleset_sha256}{version}; case sha256 {fp.case_sha256}"]
