"""Readable text renderings of a determination, in Chinese or English."""

from __future__ import annotations

from guanzhi_rules._determination import ConsequenceItem, DeadlineFinding, Determination, Finding
from guanzhi_rules._facts import FACTS
from guanzhi_rules._rulefile import Citation, Freeze
from guanzhi_rules._vocab import Measure

_WORDS: dict[str, tuple[str, str]] = {
    "scope": ("适用范围", "Scope"),
    "circumstances": ("问责情形", "Triggering circumstances"),
    "exemption": ("容错免责", "Exemption and tolerance of error"),
    "factors": ("从重、从轻、减轻情节", "Aggravating and mitigating factors"),
    "sanctions": ("问责方式", "Sanction range"),
    "consequences": ("处理后果与影响期", "Consequences and influence periods"),
    "referrals": ("移送与其他处理", "Referrals and other measures"),
    "deadlines": ("程序期限", "Procedural deadlines"),
    "choice": ("对所选处理的审查", "The measures chosen"),
    "not_decided": ("本文件未作规定", "Not decided by this document"),
    "open": ("待查事实", "Open questions"),
    "trace": ("推理过程", "Trace"),
    "fingerprints": ("指纹", "Fingerprints"),
    "none": ("无", "none"),
    "facts": ("依据事实", "facts"),
    "chosen": ("（已选择）", " (chosen)"),
    "if_chosen": ("（如选择）", " (if chosen)"),
    "defeated_by": ("被以下规则排除", "defeated by"),
    "defeats": ("排除", "defeats"),
    "unknown": ("未知事实", "unknown facts"),
    "issued_unknown": ("印发日期不详", "issue date unknown"),
    "open_ended": ("（原文列举并非穷尽）", " (the text's list is not exhaustive)"),
    "below": ("可以减轻，即在上述范围以下处理", "may be reduced below this range (减轻)"),
}

_OUTCOMES: dict[str, tuple[str, str]] = {
    "covered": ("适用", "covered"),
    "covered_by_reference": ("参照适用", "covered by reference (参照执行)"),
    "not_covered": ("不适用", "not covered"),
    "undetermined": ("尚不能确定", "undetermined"),
    "granted": ("应当免责", "exempt (shall)"),
    "eligible": ("可以免责（由决定机关裁量）", "eligible for exemption (may: the decision-maker decides)"),
    "barred": ("不予免责（被排除）", "barred: exemption defeated"),
    "not_provided": ("本文件未规定", "not provided by this document"),
    "applies": ("适用", "applies"),
    "does_not_apply": ("不适用", "does not apply"),
    "not_evaluable": ("需决定机关认定", "needs a decision-maker's finding"),
    "defeated": ("被排除", "defeated"),
    "not_reached": ("未到达", "not reached"),
    "heavier": ("从重", "heavier end of the range (从重)"),
    "lighter": ("从轻", "lighter end of the range (从轻)"),
    "reduced": ("减轻", "below the range (减轻)"),
    "reduced_or_lighter": ("减轻或从轻", "below or at the lighter end (减轻或从轻)"),
    "conflicting": ("从重与从轻情节并存", "both aggravating and mitigating factors"),
    "party_discipline": ("移交纪检监察机关给予党纪处分", "party disciplinary sanction by the discipline inspection organs"),
    "public_office_discipline": ("给予政务处分", "public-office sanction"),
    "discipline_inspection": ("移交纪检监察机关处理", "referral to the discipline inspection and supervision organs"),
    "judicial_organs": ("移送司法机关依法处理", "referral to judicial organs"),
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
    zh, en = _WORDS.get(key) or _OUTCOMES.get(key) or (key, key)
    return zh if lang == "zh" else en


def _o(key: str, lang: str) -> str:
    zh, en = _OUTCOMES.get(key, (key, key))
    return zh if lang == "zh" else en


def _cite(c: Citation) -> str:
    # A quote of another jurisdiction's text (an overlay adopting its article) names that rule set.
    where = " ".join(x for x in (c.document and f"[{c.document}]", c.part, c.article, c.item) if x)
    return f"{where}：“{c.quote}”"


_MEASURES = {m.value: m for m in Measure}


def _measure(code: str, lang: str) -> str:
    return _MEASURES[code].label(lang)


def _finding(f: Finding, lang: str, indent: str = "   ") -> list[str]:
    lines = [f"{indent}- {f.label.get(lang)} [{f.rule_id}]", f"{indent}  {_cite(f.citation)}"]
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
    return f"{consequence_text(item, lang)} [{item.rule_id}; {item.citation.article}]"


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
    """Render ``d`` as text in ``lang`` ("zh" or "en")."""
    j = d.jurisdiction
    issued = j.issued if j.issued != "unknown" else _w("issued_unknown", lang)
    out = [f"{j.title}" + (f"（{j.number}）" if j.number else "") + f" [{j.key}, {issued}]"]
    if d.case_id:
        out.append(("案件：" if lang == "zh" else "Case: ") + d.case_id)

    def head(n: int, key: str) -> None:
        out.append("")
        out.append(f"{n}. {_w(key, lang)}")

    head(1, "scope")
    out.append(f"   {_o(d.scope.outcome, lang)} — {d.scope.reason.get(lang)}")
    if d.scope.finding:
        out.extend(_finding(d.scope.finding, lang))

    head(2, "circumstances")
    for c in d.circumstances:
        out.append(f"   [{c.category.get(lang)}]")
        out.extend(_finding(c.finding, lang))
    if not d.circumstances:
        out.append(f"   {_w('none', lang)}")

    head(3, "exemption")
    out.append(f"   {_o(d.exemption.outcome, lang)}" + (f" — {d.exemption.statement.get(lang)}" if d.exemption.statement else ""))
    for f in d.exemption.exemptions:
        out.extend(_finding(f, lang))
    for f in d.exemption.bars:
        out.extend(_finding(f, lang))
    if d.exemption.pending_bars:
        out.append(f"   {_w('unknown', lang)}: {', '.join(d.exemption.pending_bars)}")

    head(4, "factors")
    for ff in d.factors:
        out.append(f"   [{_o(ff.factor, lang)}]")
        out.extend(_finding(ff.finding, lang))
    if not d.factors:
        out.append(f"   {_w('none', lang)}")

    head(5, "sanctions")
    s = d.sanctions
    sep = "、" if lang == "zh" else ", "
    if s.measures:
        out.append("   " + sep.join(_measure(m, lang) for m in s.measures) + (_w("open_ended", lang) if s.open_ended else ""))
    out.append(f"   {s.statement.get(lang)}")
    if s.emphasis != "none":
        out.append(f"   {_o(s.emphasis, lang)}")
    if s.reduced_below_range:
        out.append(f"   {_w('below', lang)}")
    for f in s.bands:
        out.extend(_finding(f, lang))

    head(6, "consequences")
    for mc in d.consequences:
        label = _w("chosen" if mc.chosen else "if_chosen", lang)
        if mc.converted_from:
            label = (f"（由{_measure(mc.converted_from, lang)}转换）" if lang == "zh"
                     else f" (converted from {_measure(mc.converted_from, lang)})")
        out.append(f"   {_measure(mc.measure, lang)}{label}:")
        out.extend(f"     - {_consequence(i, lang)}" for i in mc.items)
        if not mc.items:
            out.append(f"     - {_w('none', lang)}")
    for item in d.general_consequences:
        out.append(f"   - {_consequence(item, lang)}")
    if not d.consequences and not d.general_consequences:
        out.append(f"   {_w('none', lang)}")

    head(7, "referrals")
    for r in d.referrals:
        out.append(f"   - {_o(r.to, lang)} [{r.finding.rule_id}; {_cite(r.finding.citation)}]")
    for st in d.statements:
        out.append(f"   - {st.text.get(lang)} [{st.finding.rule_id}; {_cite(st.finding.citation)}]")
    if not d.referrals and not d.statements:
        out.append(f"   {_w('none', lang)}")

    if d.choice is not None:
        review = d.choice
        verdict = {True: ("允许", "permitted"), False: ("不允许", "not permitted"), None: ("尚不能确定", "undetermined")}[review.permitted]
        chosen = ", ".join([_measure(m, lang) for m in review.measures] + list(review.discipline))
        out.append(f"   {_w('choice', lang)}: {chosen} — {verdict[lang != 'zh']}")
        for cf in review.findings:
            cite = f" [{cf.rule_id or ''}; {_cite(cf.citation)}]" if cf.citation else ""
            what = f"{_measure(cf.measure, lang)}: " if cf.measure else ""
            out.append(f"     - {what}{cf.reason.get(lang)}{cite}")

    head(8, "deadlines")
    for dl in d.deadlines:
        out.append(f"   - {dl.task.get(lang)}: {_deadline(dl, lang)} [{dl.finding.rule_id}; {_cite(dl.finding.citation)}]")
    if not d.deadlines:
        out.append(f"   {_w('none', lang)}")

    head(9, "not_decided")
    out.extend(f"   - {t.get(lang)}" for t in d.not_decided)
    if not d.not_decided:
        out.append(f"   {_w('none', lang)}")

    head(10, "open")
    for q in d.open_questions:
        out.append(f"   - {q.rule_id} ({q.stage}): {_w('unknown', lang)} {', '.join(q.unknown_facts)}")
    if not d.open_questions:
        out.append(f"   {_w('none', lang)}")

    head(11, "trace")
    for step in d.trace:
        line = f"   {step.step:>3}. {step.rule_id} [{step.stage}] {_o(step.result, lang)} — {step.citation.article}"
        if step.citation.item:
            line += step.citation.item
        if step.defeated_by:
            line += f"; {_w('defeated_by', lang)} {', '.join(step.defeated_by)}"
        if step.defeats:
            line += f"; {_w('defeats', lang)} {', '.join(step.defeats)}"
        out.append(line)

    head(12, "fingerprints")
    fp = d.fingerprints
    out.append(f"   engine {fp.engine_version}; rules sha256 {fp.ruleset_sha256}; case sha256 {fp.case_sha256}")
    return "\n".join(out) + "\n"
