"""The case fact sheet: what happened, described without naming any jurisdiction or article.

A fact left out is *unknown*, not false. Rules that need an unknown fact are reported as
undetermined, with the facts that would decide them, instead of silently not applying.
Sets (conduct, fields, effects, ...) are always known: an empty set means "none of these".
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import operator
import types
import typing
from collections.abc import Callable, Mapping
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

import guanzhi_rules
from guanzhi_rules._places import CODE, ZONE_PARENTS, contains
from guanzhi_rules._suggestions import suggest
from guanzhi_rules._vocab import (
    DISCIPLINE_OF_GRADE,
    AccidentKind,
    Act,
    AdministrativeLevel,
    Allegation,
    ConsequenceLevel,
    Correction,
    DevelopmentZone,
    DirectedRating,
    Discipline,
    DisciplineBreach,
    DisciplineGrade,
    Effect,
    EmergencyLevel,
    Gravity,
    InfluenceLevel,
    Interest,
    InterimMeasure,
    JointRole,
    LossLevel,
    MassIncident,
    Measure,
    OrganisationType,
    PriorMeasure,
    PublicReaction,
    Rank,
    Responsibility,
    Shortfall,
    SubjectKind,
    WorkField,
)
from guanzhi_rules._yaml import DEFAULT_LIMITS, Limits, YamlError, json_default, read_limited
from guanzhi_rules.exceptions import CaseError, FieldProblem

MAX_TEXT = 4000
"""Longest free-text value (summary, notes) a case may carry, in characters; no string in a case may be longer."""

MAX_ITEMS = 256
"""Most entries in any one list or mapping of a case (the largest code set, ``Act``, has 72 codes)."""

EARLIEST_DATE = dt.date(1949, 10, 1)
"""Earliest date a case may carry: the founding of the PRC, whose cadres these regulations govern.

No conduct, clue or decision they address can be older, so an earlier date is a typing error
(``0019-05-01`` for ``2019-05-01``), not a fact.
"""

LATEST_DATE = dt.date(2100, 12, 31)
"""Latest date a case may carry.

Far beyond any real case, yet it keeps date arithmetic (freeze periods, deadlines) far from the
year-9999 end of ``datetime``. It is a fixed date, not "today", so a stored case validates the same
way when it is re-evaluated years later. The working-day calendar ends much earlier; the engine
says so when a deadline falls past its coverage.
"""


Judgement = Literal["assessment", "finding"]
"""A fact that is the decision-maker's to settle rather than an event to establish: an evaluative
*assessment* (情节, the degree of harm or reaction), or a *finding* a text asks for (that conduct is an
"other" circumstance of a list, that a unit falls under an open 等 list)."""


def fact(zh: str, en: str, description: str, default: Any = None, *, judgement: Judgement | None = None, **kwargs: Any) -> Any:
    """Declare a fact field with its Chinese and English labels (and, for a judgement point, which kind)."""
    if isinstance(default, frozenset):
        kwargs["default_factory"] = frozenset
    else:
        kwargs["default"] = default
    extra: dict[str, Any] = {"x-label-zh": zh}
    if judgement:
        extra["x-judgement"] = judgement
    return Field(title=en, description=description, json_schema_extra=extra, **kwargs)


class _Section(BaseModel):
    # Built on first use (defer_build), not at import: loading rule sets reads the sections' fields (the
    # fact registry) but validates no case, and the validators are a large part of a cold start.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)


def _in_window(value: dt.date | None) -> dt.date | None:
    """Field validator for every date fact (tests check that each one has it)."""
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise PydanticCustomError(
            "date_window", "date {date} is outside the accepted window {earliest} to {latest}",
            {"date": value.isoformat(), "earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()})
    return value


class Subject(_Section):
    """Who is held accountable: a person, or an organisation and its leadership team."""

    kind: SubjectKind | None = fact("对象类别", "Subject kind", "Whether the subject is a person or an organisation.")
    organisation_type: OrganisationType | None = fact(
        "所在（或作为对象的）单位类型", "Organisation type",
        "Type of the organisation the person works for, or of the organisation that is the subject.")
    administrative_level: AdministrativeLevel | None = fact(
        "单位层级", "Administrative level", "Level of the organisation: village up to central.")
    performs_public_functions: bool | None = fact(
        "单位承担公共管理服务职能", "Organisation performs public functions",
        "The organisation carries public management or service functions, or is authorised or entrusted with public-affairs functions.")
    is_leading_cadre: bool | None = fact("领导干部", "Leading cadre", "The person holds a leading post (领导职务).")
    is_head_of_organisation: bool | None = fact(
        "单位负责人", "Head of the organisation", "The person is the head (负责人) of the organisation.")
    is_management_staff: bool | None = fact(
        "经营管理人员", "Management staff", "The person is part of an enterprise's management (经营管理人员).")
    is_state_functionary: bool | None = fact(
        "国家工作人员（公职人员）", "State functionary",
        "The person is a state functionary or public official (国家工作人员, 公职人员).")
    is_party_member: bool | None = fact("中共党员", "Party member", "The person is a member of the Communist Party of China.")
    rank: Rank | None = fact("职务层次", "Rank", "The person's rank (职务层次).")
    on_probation: bool | None = fact("任职试用期内", "On probation", "The person is in the probation period of a post (任职试用期).")
    in_leadership_team: bool | None = fact("领导班子成员", "Leadership team member", "The person is a member of a leadership team.")
    on_promotion_shortlist: bool | None = fact(
        "拟提拔对象", "On the promotion shortlist", "The person is a candidate for promotion (拟提拔对象、考察对象).")
    on_reserve_list: bool | None = fact("后备干部", "Reserve cadre", "The person is on the reserve-cadre list (后备干部).")
    team_members_held_accountable: int | None = fact(
        "被问责的班子成员人数", "Team members held accountable",
        "For an organisation: how many members of its party organisation or leadership team have been held accountable or handled.",
        ge=0, le=10_000)
    responsibility: Responsibility | None = fact(
        "在本事项中承担的责任", "Responsibility in the matter",
        "The responsibility the subject bears for the matter, as found by the decision-maker: direct, leadership "
        "(principal or important, or undivided), or a party committee's principal or a discipline organ's supervisory responsibility.")
    team_functioning_impaired: bool | None = fact(
        "领导班子不能正常开展工作", "Team cannot function normally",
        "For an organisation: its party organisation or leadership team cannot carry out its work normally.")


class Conduct(_Section):
    """What was done or not done, where, and how."""

    acts: frozenset[Act] = fact("行为表现", "Acts", "What the subject did or failed to do.", frozenset())
    fields: frozenset[WorkField] = fact("工作领域", "Fields of work", "Fields of work in which the conduct happened.", frozenset())
    within_responsibility: bool | None = fact(
        "在管辖或职责范围内", "Within responsibility",
        "The conduct concerns matters within the subject's jurisdiction or scope of duties (管辖范围、职责范围).")
    joint_matter_role: JointRole | None = fact(
        "共同办理事项中的角色", "Role in a joint matter",
        "For a matter handled jointly by several areas or departments: lead or assisting party.")
    knowingly: bool | None = fact("明知故犯", "Knowingly", "The subject knew the conduct was wrong (明知故犯).")
    persisted_after_prohibition: bool | None = fact(
        "明令禁止后依然我行我素", "Persisted after prohibition",
        "The subject carried on after the conduct had been expressly prohibited.")
    gravity: Gravity | None = fact(
        "情节轻重", "Gravity",
        "The gravity of the circumstances (情节较轻/较重/严重) as assessed by the investigating body.", judgement="assessment")


class Harm(_Section):
    """What the conduct caused."""

    consequences: ConsequenceLevel | None = fact(
        "后果", "Consequences", "The severity of the consequences caused.", judgement="assessment")
    influence: InfluenceLevel | None = fact("影响", "Influence", "The adverse influence (影响) caused.", judgement="assessment")
    loss: LossLevel | None = fact("损失", "Loss", "The loss caused, as a level.", judgement="assessment")
    loss_amount_cny: float | None = fact(
        "损失金额（元）", "Loss amount (CNY)", "The loss in yuan, where it is known. No document sets amount thresholds.", ge=0)
    public_reaction: PublicReaction | None = fact(
        "群众反映", "Public reaction", "How strongly the public reacted.", judgement="assessment")
    media_exposure: bool | None = fact("新闻媒体曝光", "Media exposure", "The problem was exposed by news media.")
    mass_incident: MassIncident | None = fact("群体性事件", "Mass incident", "Whether the conduct caused a mass incident.")
    major_accidents: frozenset[AccidentKind] = fact(
        "重特大事故", "Major accidents", "Major accidents of these kinds that resulted.", frozenset())
    harmed_interests: frozenset[Interest] = fact(
        "受损害的利益", "Harmed interests", "Whose interests were damaged.", frozenset())
    effects: frozenset[Effect] = fact("具体影响", "Effects", "Specific effects the conduct had.", frozenset())


class Performance(_Section):
    """How the work fell short."""

    shortfalls: frozenset[Shortfall] = fact("工作差距", "Shortfalls", "How the work fell short.", frozenset())
    consecutive_years_ranked_low: int | None = fact(
        "连续排名靠后年数", "Consecutive years ranked low",
        "Consecutive years the unit or person ranked near the bottom in performance assessment.", ge=0, le=100)
    justified_reason: bool | None = fact(
        "有正当理由", "Justified reason", "There was a justified reason (正当理由) for the poor results.")
    complaint_verified: bool | None = fact(
        "被投诉经查证属实", "Complaint verified", "A complaint about the conduct was investigated and found true.")


class History(_Section):
    """Earlier warnings about the same problem and whether they worked."""

    prior_measures: frozenset[PriorMeasure] = fact(
        "此前已受到的提醒或处理", "Prior measures", "Earlier measures about the same problem.", frozenset())
    correction_after_prior_measures: Correction | None = fact(
        "此前提醒或处理后的整改情况", "Correction after prior measures",
        "Whether the subject corrected course after the earlier measures.")


class Review(_Section):
    """Findings of assessment, evaluation and supervision."""

    directed_rating: DirectedRating | None = fact(
        "为官不为问题定向测评结果", "Directed rating",
        "Result of a directed evaluation of inaction in a cadre assessment: 'a fair number of reports' or 'serious problem'.")
    findings_verified: bool | None = fact(
        "经调查核实问题属实", "Findings verified", "The problem reported in assessment was investigated and verified.")
    petitions_concentrated: bool | None = fact(
        "信访举报集中", "Petitions concentrated", "For an organisation: petitions and reports about inaction are concentrated on it.")
    low_satisfaction_in_review: bool | None = fact(
        "评议满意率低", "Low satisfaction in review",
        "For an organisation: a low share of 'satisfied' and 'basically satisfied' votes in review (一报告两评议).")
    problems_prominent: bool | None = fact(
        "经核实问题确属突出", "Problems verified as prominent",
        "For an organisation: investigation confirmed its problems are prominent.")
    moral_rating_adverse: bool | None = fact(
        "德的反向测评群众反映强烈、问题集中", "Adverse reverse moral rating",
        "In a reverse evaluation of moral conduct, strong public reaction and concentrated problems.")
    team_problems_confirmed: bool | None = fact(
        "经考核认定领导班子问题较多", "Team problems confirmed",
        "For a leadership team: assessment confirmed many problems (disunity, complaints, weak work).")
    flagged_by_superiors: bool | None = fact(
        "上级明确指出问题", "Flagged by superiors",
        "Higher authorities expressly pointed the problem out (by instruction, or in inspection, supervision or assessment "
        "feedback) before it was left unsolved.")


class Context(_Section):
    """The circumstances that tolerance-of-error and exemption provisions ask about."""

    reform_or_pilot: bool | None = fact(
        "改革创新、先行先试", "Reform or pilot", "The conduct happened in reform, innovation or a pilot (先行先试).")
    exploratory_trial: bool | None = fact("探索性试验", "Exploratory trial", "The conduct was part of an exploratory trial.")
    directed_by_superiors: bool | None = fact(
        "根据上级部署", "Directed by superiors", "The work followed deployment by higher authorities.")
    lack_of_experience: bool | None = fact("缺乏经验", "Lack of experience", "The error arose from lack of experience.")
    conditions_changed: bool | None = fact("环境条件发生变化", "Conditions changed", "The error arose because conditions changed.")
    no_explicit_restriction: bool | None = fact(
        "尚无明确限制、上级未明令禁止", "No explicit restriction",
        "No explicit restrictive rule or prohibition by higher authorities covered the matter at the time.")
    expressly_prohibited_at_the_time: bool | None = fact(
        "行为时已被法律法规明令禁止", "Expressly prohibited at the time",
        "Law, regulation or higher authority expressly prohibited the conduct when it happened.")
    prohibited_now: bool | None = fact(
        "现行规定明确禁止", "Prohibited now", "Current policy or rules expressly prohibit the conduct.")
    policy_unclear: bool | None = fact(
        "政策不够明确、配套措施不完善", "Policy unclear",
        "Policy was unclear or supporting measures incomplete, or the policy's bounds were hard to judge.")
    consistent_with_policy: bool | None = fact(
        "不违背大政方针、与现行法律政策不相冲突", "Consistent with policy",
        "The measures did not contravene major policy or reform direction and did not conflict with current law and policy.")
    direction_correct: bool | None = fact(
        "方向和原则正确", "Direction correct", "The direction and principles were right; only the methods were imperfect.")
    for_overall_interest: bool | None = fact(
        "有利于全局利益和长远发展", "For the overall interest", "The measures served the overall and long-term interest.")
    error_in_method_only: bool | None = fact(
        "仅具体工作方式方法不当", "Error in method only", "The fault lay only in the specific way of working.")
    implementing_development_concepts: bool | None = fact(
        "贯彻新发展理念制定实施制度措施", "Implementing development concepts",
        "The measures implemented the new development concepts (innovative, coordinated, green, open, shared).")
    acted_for_development: bool | None = fact(
        "为推动发展、解决群众切身利益问题积极作为", "Acted for development",
        "The subject acted actively to promote development or to solve problems of direct concern to the public.")
    clean_business_relations: bool | None = fact(
        "坚持亲清政商关系", "Clean business relations", "The subject kept 'close and clean' relations with business.")
    non_subjective_cause: bool | None = fact(
        "非主观原因", "Non-subjective cause", "The error was not caused by the subject's intent or fault of attitude.")
    powers_unequal_to_responsibilities: bool | None = fact(
        "权责不对等", "Powers unequal to responsibilities",
        "The subject bore territorial or sectoral responsibility without matching powers.")
    designed_and_followed_rules: bool | None = fact(
        "主动做好制度设计、严格按制度办事", "Designed and followed rules",
        "The subject designed rules for the trial in advance and followed them strictly.")
    emergency: EmergencyLevel | None = fact("突发事件", "Emergency", "Whether the conduct happened in an emergency.")
    force_majeure: bool | None = fact("不可抗力", "Force majeure", "Force majeure prevented performance.")
    unable_to_perform: bool | None = fact(
        "确实无法履行责任和义务", "Unable to perform", "The subject genuinely could not perform the duty.")
    protecting_life_or_stability: bool | None = fact(
        "为保护群众生命财产安全或维护社会稳定", "Protecting life or stability",
        "The subject acted to protect lives and property or to keep social stability.")
    improvised_handling: bool | None = fact(
        "临机处置", "Improvised handling",
        "The subject decided on the spot (临机处置) how to handle an emergency, without a prepared plan or instructions.")
    bypassed_procedure: bool | None = fact(
        "突破程序、急事急办", "Bypassed procedure",
        "The subject departed from the prescribed procedure to deal with an urgent matter in time (突破程序、急事急办).")
    followed_basic_principles: bool | None = fact(
        "遵循事件处置基本原则", "Followed basic principles", "The improvised handling followed the basic principles of incident handling.")
    reported_afterwards: bool | None = fact("事后及时报告", "Reported afterwards", "The subject reported promptly after the event.")
    mitigated_losses: bool | None = fact(
        "努力避免、减轻或弥补损失", "Mitigated losses", "The subject tried to avoid, reduce or make up the loss.")
    collective_decision_followed: bool | None = fact(
        "严格执行民主决策规定和程序", "Collective decision procedure followed",
        "Democratic (collective) decision rules and procedures were strictly followed.")
    instructions_requested: bool | None = fact(
        "认真执行请示报告制度", "Instructions requested", "The subject followed the system of requesting instructions and reporting.")
    risk_assessed: bool | None = fact("充分评估决策风险", "Risk assessed", "The decision's risks were fully assessed.")
    diligent: bool | None = fact("勤勉尽责、切实履职尽责", "Diligent", "The subject performed duties diligently and responsibly.")
    no_fault_in_performance: bool | None = fact(
        "履职过程无过失", "No fault in performance", "There was no fault in how the subject performed the duty.")
    uncontrollable_factors: bool | None = fact(
        "因不可控因素", "Uncontrollable factors", "The error or delay was caused by factors beyond control.")
    objection_recorded: bool | None = fact(
        "对错误决策明确提出反对意见", "Objection recorded",
        "The subject expressly objected when the wrong decision was made or carried out.")
    legacy_problem: bool | None = fact(
        "历史遗留问题", "Legacy problem", "The matter was a legacy problem of strong public concern.")
    good_overall_result: bool | None = fact(
        "取得良好综合效果", "Good overall result", "The handling achieved a good overall result despite the error.")
    goal_not_achieved: bool | None = fact(
        "未能实现预期目标", "Expected goal not achieved",
        "The work (a reform, innovation, pilot or other undertaking) did not achieve the goal or effect expected of it.")
    difficult_problem: bool | None = fact(
        "为解决疑难复杂问题大胆尝试", "Bold attempt on a difficult problem",
        "The subject boldly tried new approaches to solve a difficult, complex problem.")
    decided_per_higher_policy: bool | None = fact(
        "依照中央和上级有关精神决策、实施", "Decided per higher policy",
        "The decision and its implementation followed the relevant policy of the centre and the province (higher authorities).")
    private_gain: bool | None = fact(
        "谋取私利、假公济私（经查实）", "Private gain", "The subject was verified to have sought private gain.")
    favouritism: bool | None = fact("徇私枉法", "Favouritism", "The subject acted from favouritism or bent the law.")


class Inquiry(_Section):
    """How the subject behaved once the problem surfaced, and what the inquiry found."""

    allegation: Allegation | None = fact(
        "举报反映的查证结论", "Allegation", "Whether the allegation was verified, mistaken, or a fabricated false accusation.")
    reported_promptly_and_truthfully: bool | None = fact(
        "及时如实报告问题", "Reported promptly and truthfully",
        "The subject promptly and truthfully reported the problem within their duties.")
    corrected_before_inquiry: bool | None = fact(
        "问责调查前主动查处和纠正", "Corrected before inquiry", "The subject investigated and corrected the problem before the inquiry.")
    remedied_effectively: bool | None = fact(
        "主动采取措施，有效避免损失或挽回影响", "Remedied effectively",
        "The subject's own measures effectively avoided loss or recovered the influence.")
    cooperated: bool | None = fact("积极配合调查", "Cooperated", "The subject actively cooperated with the inquiry.")
    accepted_responsibility: bool | None = fact("主动承担责任", "Accepted responsibility", "The subject took responsibility.")
    obstructed: bool | None = fact(
        "干扰、阻碍或不配合调查", "Obstructed", "The subject interfered with, obstructed or did not cooperate with the inquiry.")
    falsified_or_concealed: bool | None = fact(
        "弄虚作假、隐瞒事实真相", "Falsified or concealed", "The subject falsified evidence or concealed the truth during the inquiry.")
    retaliated: bool | None = fact(
        "打击、报复、陷害检举人控告人", "Retaliated", "The subject retaliated against or framed informants or accusers.")
    interim_measures: frozenset[InterimMeasure] = fact(
        "调查期间采取的临时措施", "Interim measures",
        "Measures taken while the matter was investigated (停职接受调查, 立案审查). They are not measures of accountability "
        "and never count as the handling chosen (decision.measures).", frozenset())


class Legal(_Section):
    """Breaches of discipline or law that call for a referral beyond accountability."""

    discipline_breach: DisciplineBreach | None = fact(
        "违纪情况", "Discipline breach", "Whether the conduct breaches party or public-office discipline, and how seriously.")
    unlawful: bool | None = fact("违法", "Unlawful", "The conduct is unlawful.")
    suspected_crime: bool | None = fact("涉嫌犯罪", "Suspected crime", "The conduct is suspected to be a crime.")
    crime_related_to_duty: bool | None = fact(
        "涉嫌职务犯罪", "Duty-related crime", "The suspected crime is a duty-related (职务) crime.")


class Findings(_Section):
    """What the decision-maker has found where a text leaves the point to them: catch-alls, open lists, the weight of a choice."""

    other_circumstance: bool | None = fact(
        "认定属于“其他……情形”", "Other circumstance found",
        "The decision-maker finds that the conduct, though no listed circumstance matches it, is of the kind the list's "
        "catch-all (其他……情形) covers: of like nature and gravity to the listed ones.", judgement="finding")
    other_aggravating: bool | None = fact(
        "认定有其他从重情节", "Other aggravating circumstance found",
        "The decision-maker finds an aggravating circumstance of the kind a list of them leaves open (其他……情节).",
        judgement="finding")
    other_mitigating: bool | None = fact(
        "认定有其他从轻、减轻情节", "Other mitigating circumstance found",
        "The decision-maker finds a mitigating circumstance of the kind a list of them leaves open (其他……情节).",
        judgement="finding")
    other_tolerable: bool | None = fact(
        "认定属于其他可以容错的情形", "Other tolerable error found",
        "The decision-maker (or the tolerance-of-error group) finds the error is of the kind a list of tolerable errors "
        "leaves open (其他……情形).", judgement="finding")
    open_number_reached: bool | None = fact(
        "认定达到“多人”等未定数量", "Open number found reached",
        "The decision-maker finds that a number a text names without fixing it (多人, several people) is reached by the "
        "count the case records.", judgement="finding")
    handling_goes_light: bool | None = fact(
        "认定所选处理避重就轻", "Chosen handling found to go light",
        "The reviewing body finds that the handling chosen (organisational handling alone, or discipline alone) is lighter "
        "than what the matter calls for: going light (避重就轻) by using one kind of handling in place of the other.",
        judgement="finding")
    subject_in_open_list: bool | None = fact(
        "认定属于“等”所列单位或人员", "Subject within an open list",
        "The decision-maker finds that the subject, though of a kind no list names, belongs with the units or people a "
        "list ending in 等 covers.", judgement="finding")


class Dates(_Section):
    """When things happened."""

    _window = field_validator("*")(_in_window)  # every field here is a date

    conduct: dt.date | None = fact("行为发生日期", "Conduct date", "When the conduct happened (or began).")
    clue_received: dt.date | None = fact("问责线索受理日期", "Clue received", "When the accountability clue was received.")
    application_received: dt.date | None = fact(
        "容错申请收到日期", "Tolerance application received", "When a written tolerance-of-error application was received.")
    application_accepted: dt.date | None = fact(
        "容错申请受理日期", "Tolerance application accepted", "When a tolerance-of-error application was accepted for investigation.")
    tolerance_decided: dt.date | None = fact(
        "容错审查决定日期", "Tolerance decision made", "When the review decision on a tolerance-of-error application was made.")
    decision_served: dt.date | None = fact(
        "收到问责决定书日期", "Decision served", "When the subject received the written accountability decision.")
    appeal_received: dt.date | None = fact(
        "申诉受理日期", "Appeal received", "When the body handling an appeal against the decision received it.")
    rectified: dt.date | None = fact("整改到位日期", "Rectified", "When rectification was completed.")
    unrectified_on: dt.date | None = fact(
        "查明尚未整改到位的日期", "Still unrectified on",
        "A day on which rectification was found still incomplete (the latest known); read only where no rectification date is recorded.")


class Decision(_Section):
    """The handling a decision-maker has chosen, if any."""

    measures: frozenset[Measure] = fact("选择的问责方式", "Chosen measures", "Measures chosen by the decision-maker.", frozenset())
    discipline: frozenset[Discipline] = fact(
        "同时给予的纪律处分", "Discipline imposed", "Disciplinary sanctions imposed alongside.", frozenset())
    discipline_grades: frozenset[DisciplineGrade] = fact(
        "纪律处分的种类", "Grades of discipline imposed",
        "The grade of each disciplinary sanction imposed (党内警告 … 开除党籍; 警告 … 开除); each grade's kind must be "
        "listed under decision.discipline.", frozenset())
    date: dt.date | None = fact("决定日期", "Decision date", "The date of the decision.")
    exempted: bool | None = fact(
        "决定免责（认定应予免责）", "Exempted by decision",
        "The decision-maker (for tolerance of error, the body that reviews it) has found that the subject should be "
        "exempted (应予免责) and decided so: a discretionary exemption exercised, not mere eligibility.")
    body_level: AdministrativeLevel | None = fact(
        "作出决定的机关层级", "Level of the deciding body",
        "The administrative level of the body that decided the case (the accountability decision, or the review "
        "decision on a tolerance-of-error application).")

    _window = field_validator("date")(_in_window)

    @model_validator(mode="after")
    def _grades_of_listed_discipline(self) -> Decision:
        missing = sorted(g.value for g in self.discipline_grades if DISCIPLINE_OF_GRADE[g] not in self.discipline)
        if missing:
            kinds = sorted({DISCIPLINE_OF_GRADE[g].value for g in missing})
            raise PydanticCustomError(
                "grade_without_discipline", "discipline_grades {grades} belong to {kinds}, which decision.discipline does not list: add it",
                {"grades": ", ".join(missing), "kinds": ", ".join(kinds)})
        return self


class Place(_Section):
    """Where the subject serves (GB/T 2260 division code, development zone); checked against each document's territory, read by no rule."""

    # The territory a document binds (its 全省, 我市, 全区) is the document's, not a rule's: one check
    # (``_timeplace``) compares it with these facts. ``_places`` says what a code's prefix tells.

    division: str | None = fact(
        "任职地行政区划代码", "Division code",
        "The six-digit administrative division code (GB/T 2260) of where the subject serves: the county, prefecture or "
        "province, as precisely as known (320000 江苏省, 441700 阳江市, 420222 湖北省阳新县). For a development zone, its "
        "parent division's code, with the zone.", pattern=CODE.pattern)
    zone: DevelopmentZone | None = fact(
        "所在开发区（功能区）", "Development zone",
        "The development zone, high-tech zone or new area where the subject serves, which has no division code of its own.")
    name: str | None = fact(
        "任职地名称", "Place name", "The place as the file names it (shown where the code is not in the bundled table).",
        max_length=200)

    @model_validator(mode="after")
    def _zone_in_division(self) -> Place:
        if self.zone is not None and self.division is not None:
            parent = ZONE_PARENTS[self.zone]
            if not (contains(self.division, parent) or contains(parent, self.division)):
                raise PydanticCustomError(
                    "zone_division", "the zone {zone} lies in division {parent}, not in {division}",
                    {"zone": self.zone.value, "parent": parent, "division": self.division})
        return self


NOT_READ_BY_RULES: tuple[str, ...] = ("place",)
"""Sections of a case that are facts of the record but that no rule condition reads (see ``Place``)."""


class Case(_Section):
    """A case fact sheet: one subject, one matter, described jurisdiction-neutrally."""

    id: str | None = Field(default=None, max_length=200, title="Case id", description="The caller's identifier for the case.")
    summary: str | None = Field(default=None, max_length=MAX_TEXT, title="Summary", description="A free-text account; never read by rules.")
    subject: Subject = Field(default_factory=Subject, title="Subject", description=Subject.__doc__)
    conduct: Conduct = Field(default_factory=Conduct, title="Conduct", description=Conduct.__doc__)
    harm: Harm = Field(default_factory=Harm, title="Harm", description=Harm.__doc__)
    performance: Performance = Field(default_factory=Performance, title="Performance", description=Performance.__doc__)
    history: History = Field(default_factory=History, title="History", description=History.__doc__)
    review: Review = Field(default_factory=Review, title="Review", description=Review.__doc__)
    context: Context = Field(default_factory=Context, title="Context", description=Context.__doc__)
    inquiry: Inquiry = Field(default_factory=Inquiry, title="Inquiry", description=Inquiry.__doc__)
    legal: Legal = Field(default_factory=Legal, title="Legal", description=Legal.__doc__)
    findings: Findings = Field(default_factory=Findings, title="Findings", description=Findings.__doc__)
    dates: Dates = Field(default_factory=Dates, title="Dates", description=Dates.__doc__)
    decision: Decision = Field(default_factory=Decision, title="Decision", description=Decision.__doc__)
    place: Place = Field(default_factory=Place, title="Place", description=Place.__doc__)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Case:
        wrong = []
        for earlier, later, why in _DATE_ORDER:
            first, then = _date_at(self, earlier), _date_at(self, later)
            if first is not None and then is not None and then < first:
                wrong.append((later, f"{then} is before {earlier} ({first}): {why}"))
        if wrong:
            detail = "; ".join(f"{path}: {message}" for path, message in wrong)
            raise PydanticCustomError("date_order", "dates out of order: {detail}", {"detail": detail, "problems": wrong})
        return self


_DATE_ORDER: tuple[tuple[str, str, str], ...] = (
    ("dates.conduct", "decision.date", "a decision cannot precede the conduct it decides on"),
    ("dates.conduct", "dates.decision_served", "a decision on the conduct cannot be served before the conduct"),
    ("decision.date", "dates.decision_served", "a decision cannot be served before it is made"),
    ("dates.conduct", "dates.clue_received", "a clue reports conduct that has already happened"),
    ("dates.conduct", "dates.rectified", "conduct cannot be rectified before it happened"),
    ("dates.application_received", "dates.application_accepted", "an application cannot be accepted before it is received"),
    ("dates.application_accepted", "dates.tolerance_decided", "an application cannot be decided before it is accepted"),
    ("dates.application_received", "dates.tolerance_decided", "an application cannot be decided before it is received"),
    ("decision.date", "dates.appeal_received", "an appeal against the decision cannot precede the decision"),
    ("dates.conduct", "dates.appeal_received", "an appeal against a decision on the conduct cannot precede the conduct"),
)
"""(earlier, later, why) pairs of dates whose order is certain whatever the case.

Only orders that follow from what the dates mean are checked. A tolerance-of-error application
may be filed in advance (事前备案), a clue may arrive before or after a decision on another
ground, and an appeal may be lodged before formal service, so the application is not ordered
against the conduct, nor the clue against the decision, nor the appeal against service.
"""


def _date_at(case: Case, path: str) -> dt.date | None:
    section, name = path.split(".")
    value = getattr(getattr(case, section), name)
    assert value is None or isinstance(value, dt.date)
    return value


def _siblings(loc: tuple[int | str, ...]) -> list[str]:
    """Field names valid next to the unknown field at ``loc``."""
    model: type[BaseModel] = Case
    for part in loc[:-1]:
        field = model.model_fields.get(str(part))
        annotation = field.annotation if field else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return list(model.model_fields)


def field_adapter(path: str) -> TypeAdapter[list[Any]]:
    """The model's validation of one field alone (``id``, ``subject.kind``): its type, constraints and field validators, over a list.

    It validates JSON as ``parse_case`` does (strict), so a value it accepts is the value the field
    takes in a case; what it leaves out are the model validators, which read several fields at once.

    Raises:
        KeyError: ``path`` names no field.
    """
    section, _, name = path.rpartition(".")
    model: type[BaseModel] = Case.model_fields[section].annotation if section else Case  # type: ignore[assignment]
    field = model.model_fields[name]
    checks = []
    for decorator in model.__pydantic_decorators__.field_validators.values():
        if name in decorator.info.fields or "*" in decorator.info.fields:
            assert decorator.info.mode == "after", f"{model.__name__}: only after-validators are taken alone"
            checks.append(AfterValidator(decorator.func))
    config = ConfigDict(strict=bool(model.model_config.get("strict")), allow_inf_nan=model.model_config.get("allow_inf_nan", True))
    extras = (*field.metadata, *checks)
    item = Annotated[(field.annotation, *extras)] if extras else field.annotation
    return TypeAdapter(list[item], config=config)  # type: ignore[valid-type]


def _problems(exc: ValidationError) -> list[FieldProblem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        path = ".".join(str(p) for p in loc) or "(case)"
        message = error["msg"]
        if error["type"] == "date_order":  # one problem per date out of order, at the later date's path
            problems += [FieldProblem(p, m) for p, m in error.get("ctx", {}).get("problems", ())]
            continue
        if error["type"] == "extra_forbidden":
            message = "unknown field" + suggest(str(loc[-1]), _siblings(loc))
        elif "input" in error and error["type"] not in ("missing",):
            shown = repr(error["input"])
            message += f" (got {shown[:80]}{'...' if len(shown) > 80 else ''})"
        problems.append(FieldProblem(path, message))
    return problems


_MAX_NAME = 100
"""Longest key worth comparing with the field names (the longest has 34 characters)."""

_MAX_LEVELS = 3
"""A case nests at most three containers deep: the case, a section, a list of codes."""


def _screen(value: Any, path: str, level: int, problems: list[FieldProblem]) -> None:
    """Find what JSON-mode validation would choke on or spend unbounded work on, by field path.

    Non-finite numbers, oversized strings, lists and mappings, over-deep nesting and values that
    are not plain data are reported here, before the value is serialised for validation.
    """
    where = path or "(case)"
    if value is None or isinstance(value, (bool, dt.date)):
        return
    if isinstance(value, int):
        if value.bit_length() > 128:
            problems.append(FieldProblem(where, f"integer of {value.bit_length()} bits is out of range"))
    elif isinstance(value, float):
        if not math.isfinite(value):
            problems.append(FieldProblem(where, f"must be a finite number (got {value!r})"))
    elif isinstance(value, str):
        if len(value) > MAX_TEXT:
            problems.append(FieldProblem(where, f"text of {len(value)} characters, longer than the limit of {MAX_TEXT}"))
    elif isinstance(value, (Mapping, list, tuple)):
        if level > _MAX_LEVELS:
            problems.append(FieldProblem(where, f"nested deeper than a case allows (at most {_MAX_LEVELS} levels: case, section, list)"))
        elif len(value) > MAX_ITEMS:
            problems.append(FieldProblem(where, f"{len(value)} entries, more than the limit of {MAX_ITEMS}"))
        elif isinstance(value, Mapping):
            _screen_mapping(value, path, level, problems)
        else:
            for index, item in enumerate(value):
                if not (type(item) is str and len(item) <= MAX_TEXT):
                    _screen(item, f"{path}.{index}", level + 1, problems)
    else:
        problems.append(FieldProblem(where, f"a {type(value).__name__} is not plain data: give strings, numbers, booleans, lists and mappings"))


def _screen_mapping(value: Mapping[Any, Any], path: str, level: int, problems: list[FieldProblem]) -> None:
    """``_screen`` for the entries of a mapping: its keys here, its values by recursion."""
    where = path or "(case)"
    for key, item in value.items():
        if not isinstance(key, str):
            problems.append(FieldProblem(where, f"field names must be strings (got {key!r:.40})"))
        elif len(key) > _MAX_NAME:
            problems.append(FieldProblem(f"{path}.{key[:40]}..." if path else f"{key[:40]}...",
                                         f"unknown field (a name of {len(key)} characters)"))
        elif not (item is None or item is True or item is False or (type(item) is str and len(item) <= MAX_TEXT)):
            _screen(item, f"{path}.{key}" if path else key, level + 1, problems)  # the common values above skip this


def parse_input(text: str | bytes, source: str | None, limits: Limits = DEFAULT_LIMITS) -> Any:
    """YAML or JSON text of a case (or a matter) as plain data.

    Raises:
        CaseError: the text is not acceptable YAML, at its line and column.
    """
    from guanzhi_rules._yamlparse import parse  # noqa: PLC0415 - PyYAML only when text is parsed, not when rule sets load (cold start)

    try:
        return parse(text, limits=limits)
    except YamlError as exc:
        where = f"line {exc.mark.line}, column {exc.mark.column}" if exc.mark else "(document)"
        raise CaseError([FieldProblem(where, exc.message)], source=source) from exc


def parse_case(data: Case | Mapping[str, Any] | str | bytes, *, source: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Case:
    """Validate a case given as a ``Case``, a mapping, or YAML/JSON text.

    Mappings are validated as if they were JSON (codes as strings, dates as ISO strings or
    ``datetime.date``), and nothing else is coerced: ``"yes"`` is not a boolean.

    Args:
        data: the case.
        source: the file it came from, named in errors.
        limits: bounds on YAML/JSON text (size, depth, nodes, scalar length).

    Raises:
        CaseError: naming every field in error, with a did-you-mean for unknown fields.
    """
    if isinstance(data, Case):
        return data
    if isinstance(data, (str, bytes)):
        data = parse_input(data, source, limits)
    if not isinstance(data, Mapping):
        raise CaseError([FieldProblem("(case)", f"a case must be a mapping, got {type(data).__name__}")], source=source)
    problems: list[FieldProblem] = []
    _screen(data, "", 1, problems)
    if problems:
        raise CaseError(problems, source=source)
    try:
        text = json.dumps(data, default=json_default, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise CaseError([FieldProblem("(case)", str(exc))], source=source) from exc
    try:
        return Case.model_validate_json(text)
    except ValidationError as exc:
        raise CaseError(_problems(exc), source=source) from exc


def read_case(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> Case:
    """Read and validate a case file (YAML or JSON), reading no more than ``limits.max_bytes + 1`` bytes.

    Raises:
        CaseError: the file cannot be read, is too large, or the case is invalid.
    """
    path = Path(path)
    return parse_case(read_input(path, limits), source=str(path), limits=limits)


def read_input(path: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a case or history file, no more than ``limits.max_bytes + 1`` of them.

    Raises:
        CaseError: the file cannot be read or is too large.
    """
    try:
        return read_limited(path, limits)
    except OSError as exc:
        raise CaseError([FieldProblem("(file)", f"cannot read: {exc.strerror}")], source=str(path)) from exc
    except YamlError as exc:
        raise CaseError([FieldProblem("(document)", exc.message)], source=str(path)) from exc


def canonical_case_json(case: Case) -> str:
    """The case as canonical JSON: sorted keys, sets sorted, no whitespace; the basis of its hash.

    Written straight from the sections' fields (the same bytes as ``case.model_dump(mode="json")``
    with its sets sorted, without building that dump): codes as their values, dates in ISO form.
    """
    data: dict[str, Any] = {}
    for name, value in case.__dict__.items():
        if name in _CONVERT:
            fields = data[name] = dict(value.__dict__)
            for field, convert in _CONVERT[name]:
                if fields[field] is not None:
                    fields[field] = convert(fields[field])
        else:
            data[name] = value  # id and summary: text
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _codes(values: frozenset[Enum]) -> list[str]:
    return sorted(v.value for v in values)


def _str_codes(values: frozenset[str]) -> list[str]:
    return sorted(map(str.__str__, values))  # codes that are their own text (``_written_as_code``), without ``.value``


def _written_as_code(kind: type[Enum]) -> bool:
    """Whether JSON writes each member of ``kind`` as its code already: a ``str`` whose text is its value."""
    return issubclass(kind, str) and all(str.__str__(m) == m.value for m in kind)


def _converters(model: type[BaseModel]) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """How each field of a section that JSON does not write as it is gets written: sets of codes sorted, other codes
    as their values (where JSON would not write them so), dates in ISO form."""
    out: list[tuple[str, Callable[[Any], Any]]] = []
    for name, field in model.model_fields.items():
        args = [a for a in typing.get_args(field.annotation) if a is not type(None)]
        base = args[0] if typing.get_origin(field.annotation) in (typing.Union, types.UnionType) else field.annotation
        if typing.get_origin(base) is frozenset and issubclass(typing.get_args(base)[0], Enum):
            out.append((name, _str_codes if _written_as_code(typing.get_args(base)[0]) else _codes))
        elif isinstance(base, type) and issubclass(base, Enum):
            if not _written_as_code(base):
                out.append((name, operator.attrgetter("value")))
        elif base is dt.date:
            out.append((name, dt.date.isoformat))
        elif base not in (bool, int, float, str):
            raise TypeError(f"{model.__name__}.{name}: no canonical JSON for {field.annotation!r}")
    return tuple(out)


_CONVERT: dict[str, tuple[tuple[str, Callable[[Any], Any]], ...]] = {
    name: _converters(field.annotation) for name, field in Case.model_fields.items()
    if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)}
"""For each section of a case, its fields that canonical JSON converts, and how."""


R = TypeVar("R")


def for_the_last_case(function: Callable[[Case], R]) -> Callable[[Case], R]:
    """``function`` keeping its value for the last case it was given: one case evaluated under several rule sets in
    turn is worked on once. The value is shared, so nothing may change it; a race only computes it again."""
    held: tuple[Case, R] | None = None

    @functools.wraps(function)
    def kept(case: Case) -> R:
        nonlocal held
        last = held
        if last is not None and last[0] is case:
            return last[1]
        value = function(case)
        held = (case, value)
        return value

    return kept


@for_the_last_case
def case_sha256(case: Case) -> str:
    """The SHA-256 of the case's canonical JSON: the case fingerprint of a determination."""
    return hashlib.sha256(canonical_case_json(case).encode()).hexdigest()


guanzhi_rules._present(__name__)  # the public names above read as guanzhi_rules.<name>
