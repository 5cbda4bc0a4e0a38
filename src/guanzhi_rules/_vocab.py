"""Coded values of the fact vocabulary: every enum member carries a Chinese and an English label.

The codes describe what happened in neutral terms. None of them names a jurisdiction or an
article: which article a code satisfies is for a rule set to say.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple, Self


class Vocab(str, Enum):  # noqa: UP042 - StrEnum's auto values do not fit (code, zh, en) members
    """A coded fact value with a Chinese (``zh``) and an English (``en``) label."""

    zh: str
    en: str

    def __new__(cls, value: str, zh: str, en: str) -> Self:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.zh = zh
        obj.en = en
        return obj

    def __str__(self) -> str:
        return str(self.value)

    def label(self, lang: str) -> str:
        """The member's label in ``lang`` ("zh" or "en")."""
        return self.zh if lang == "zh" else self.en


class Ordinal(Vocab):
    """A coded value on an ordered scale: members are declared from lowest to highest."""


class SubjectKind(Vocab):
    PERSON = "person", "个人", "a person"
    ORGANISATION = "organisation", "组织（党组织、单位、领导班子）", "an organisation (party organisation, unit or leadership team)"


class OrganisationType(Vocab):
    PARTY_ORGAN = "party_organ", "党的机关", "party organ"
    GOVERNMENT_ORGAN = "government_organ", "行政机关（政府及其部门）", "government (administrative) organ"
    PEOPLES_CONGRESS_ORGAN = "peoples_congress_organ", "人大机关", "people's congress organ"
    CPPCC_ORGAN = "cppcc_organ", "政协机关", "CPPCC organ"
    COURT = "court", "审判机关", "court (adjudicative organ)"
    PROCURATORATE = "procuratorate", "检察机关", "procuratorate"
    DEMOCRATIC_PARTY_ORGAN = "democratic_party_organ", "民主党派机关", "democratic party organ"
    PEOPLES_ORGANISATION = "peoples_organisation", "人民团体", "people's organisation"
    PUBLIC_INSTITUTION = "public_institution", "事业单位", "public institution"
    STATE_OWNED_ENTERPRISE = "state_owned_enterprise", "国有企业（含国有控股企业）", "state-owned or state-controlled enterprise"
    VILLAGE_OR_COMMUNITY = "village_or_community", "行政村（社区）", "administrative village or urban community"
    AUTHORISED_ORGANISATION = "authorised_organisation", "经授权、委托具有公共事务管理职能的组织", "organisation authorised or entrusted with public-affairs functions"
    OTHER = "other", "其他组织", "other organisation"


class AdministrativeLevel(Ordinal):
    VILLAGE = "village", "村（社区）", "village or community"
    TOWNSHIP = "township", "乡镇（街道）", "township or sub-district"
    COUNTY = "county", "县（市、区）", "county"
    CITY = "city", "市（地）", "prefecture-level city"
    PROVINCE = "province", "省", "province"
    CENTRAL = "central", "中央", "central"


class DevelopmentZone(Vocab):
    """A development zone, high-tech zone or new area: it has no GB/T 2260 code of its own, so a case gives its parent's code too."""

    HIGH_TECH_ZONE_210500 = (
        "210500_high_tech_zone", "本溪高新技术产业开发区（本溪高新区，辽宁省本溪市）",
        "Benxi High-Tech Industrial Development Zone (Benxi, Liaoning)")


class Rank(Ordinal):
    NONE = "none", "无职级或职务层次", "no rank"
    STAFF = "staff", "科员及以下", "staff member (科员) or below"
    DEPUTY_SECTION = "deputy_section", "副科级", "deputy section level"
    SECTION = "section", "正科级", "section level"
    DEPUTY_DIVISION = "deputy_division", "副处级（副县级）", "deputy division (deputy county) level"
    DIVISION = "division", "正处级（县级）", "division (county) level"
    DEPUTY_BUREAU = "deputy_bureau", "副厅级", "deputy bureau level"
    BUREAU = "bureau", "正厅级及以上", "bureau level or above"


class Act(Vocab):
    """What the subject did or failed to do. Several may apply to one case."""

    # Carrying out decisions and policy
    NOT_IMPLEMENTING_DECISIONS = "not_implementing_decisions", "不执行、不贯彻落实或拒不执行上级决策部署", "not carrying out, or refusing to carry out, policies and decisions of higher authorities"
    IMPLEMENTING_DECISIONS_INEFFECTIVELY = "implementing_decisions_ineffectively", "贯彻落实不到位、落实不力", "carrying out decisions ineffectively or incompletely"
    NOT_RELAYING_OR_STUDYING_POLICY = "not_relaying_or_studying_policy", "不及时传达学习、不认真研究贯彻政策和决策部署", "not promptly relaying, studying or working out how to apply policies and decisions"
    DISTORTING_DECISIONS = "distorting_decisions", "执行决策部署变形走样、打折扣、搞变通、上有政策下有对策", "distorting decisions in execution: watering down, working around, 'policies above, counter-measures below'"
    DEFYING_ORDERS = "defying_orders", "自行其是、有令不行、有禁不止、阳奉阴违", "going one's own way: orders not obeyed, prohibitions not observed, feigned compliance"
    DECEIVING_ORGANISATION = "deceiving_organisation", "欺瞒组织、欺瞒上级、蒙蔽群众", "deceiving the organisation, superiors or the public"
    FALSIFYING = "falsifying", "弄虚作假、数字造假、报送虚假数据和情况", "falsifying: fabricated figures, false data or reports"
    NOT_DISCLOSING_INFORMATION = "not_disclosing_information", "不按规定公开信息、不及时宣传重要法规制度或重大政策调整", "not disclosing information or publicising important rules and policy changes as required"
    # Performing duties
    PERFORMING_DUTIES_POORLY = "performing_duties_poorly", "履职不力、不认真履职、工作不力", "performing duties poorly or not conscientiously"
    HANDLING_IMPROPERLY = "handling_improperly", "处置不当、处置失当、应对不力", "handling a matter or event improperly or ineffectively"
    FAILING_TO_PREVENT = "failing_to_prevent", "防范不力，对风险不重视、不落实防范措施、研判化解不力", "failing to prevent: neglecting risks, prevention or defusing of instability"
    ABSENT_FROM_DUTY = "absent_from_duty", "履职缺位", "absent from duty when needed"
    SUPERVISING_INADEQUATELY = "supervising_inadequately", "监管不到位、监管不严、不履行或不到位履行监督管理责任", "inadequate supervision or regulation of the people, matters or field in one's charge"
    ENFORCING_LAXLY = "enforcing_laxly", "违法不纠、执法不严、选择性执法、执法司法不公", "lax, selective or unfair law enforcement; violations left uncorrected"
    CRACKING_DOWN_WEAKLY = "cracking_down_weakly", "打击不力、避实就虚、避重就轻、有案不查", "weak crackdown: evading the substance, going light, leaving cases uninvestigated"
    TOLERATING_VIOLATIONS = "tolerating_violations", "对违规违法行为不加制止、制止不力、畏难躲避、放任默认", "tolerating, or failing to stop, violations of rules or law"
    CONCEALING_OR_NOT_REPORTING = "concealing_or_not_reporting", "知情不报、隐瞒不报、隐瞒实情，瞒报、谎报、迟报、漏报", "concealing or not reporting: hiding facts, false, late or omitted reports"
    NOT_REQUESTING_INSTRUCTIONS = "not_requesting_instructions", "对重要事项不及时、不如实请示报告", "not requesting instructions or reporting important matters promptly and truthfully"
    DERELICTION_OF_DUTY = "dereliction_of_duty", "玩忽职守、失职渎职、失责失察", "dereliction of duty; failure of responsibility or oversight"
    NEGLECTING_MANAGEMENT = "neglecting_management", "工作中不负责任或者疏于管理", "irresponsibility or negligent management at work"
    NOT_PERFORMING_STATUTORY_DUTY = "not_performing_statutory_duty", "不履行法定职责或应尽义务，遇到问题放任不管", "not performing statutory duties or obligations; leaving problems unattended"
    # Work style and attitude
    SLACKING = "slacking", "慵懒懈怠、消极怠工、精神萎靡、工作不在状态、混日子", "slacking: idle, listless, going through the motions"
    PASSING_THE_BUCK = "passing_the_buck", "推诿扯皮、推拖等靠、推诿塞责、相互推诿", "passing the buck, stalling, shifting responsibility"
    PERFUNCTORY = "perfunctory", "敷衍塞责、敷衍了事、消极应付、被动应付", "perfunctory, passive or token handling"
    FORMALISM = "formalism", "形式主义：流于形式、只表态不落实、以会议贯彻会议、以文件落实文件、做表面文章", "formalism: form over substance, meetings and documents instead of action"
    NOT_INVESTIGATING = "not_investigating", "不调查研究、不主动研究新情况新问题", "not investigating or studying new situations and problems"
    NOT_DECIDING = "not_deciding", "该决定的事项不及时研究决定、议而不决、层层上报", "not deciding matters that are one's to decide; deliberating without deciding"
    MATTERS_NOT_HANDLED_IN_TIME = "matters_not_handled_in_time", "交办、审批、信访、建议提案等事项不按规定或承诺时限办理，拖延搁置", "assigned, approval, petition or proposal matters not handled within the set or promised time"
    COMPLACENT = "complacent", "安于现状、不思进取、得过且过、不开拓创新、缺乏进取精神", "complacent: no ambition or initiative, content with mediocrity"
    OSTENTATIOUS = "ostentatious", "作风漂浮、好大喜功", "ostentatious, superficial work style"
    SHIRKING_RESPONSIBILITY = "shirking_responsibility", "不敢担当、不敢抓不敢管、怕得罪人当老好人、畏首畏尾", "shirking responsibility: afraid to act, to manage or to offend"
    HESITATING = "hesitating", "患得患失、迟疑观望", "worrying about personal gain and loss; hesitating and waiting to see"
    LACKING_COMPETENCE = "lacking_competence", "组织领导能力弱、业务素质和决策水平低、能力不足", "lacking competence: weak leadership, professional or decision-making ability"
    DISOBEYING_ASSIGNMENT = "disobeying_assignment", "不服从组织安排、调遣或统一指挥", "disobeying organisational assignment, deployment or unified command"
    RETREATING_FROM_DANGER = "retreating_from_danger", "畏缩不前、临阵脱逃", "shrinking back or deserting in the face of danger"
    BREACHING_WORK_DISCIPLINE = "breaching_work_discipline", "不遵守工作纪律：迟到早退、擅离岗位、上班做与工作无关的事、不按规定上岗出勤", "breaching work discipline: lateness, leaving post, private business in working hours"
    HARSH_TO_PUBLIC = "harsh_to_public", "对群众态度恶劣、生硬、简单粗暴", "harsh or rude towards members of the public"
    NOT_RESPONDING_TO_PUBLIC = "not_responding_to_public", "对群众诉求或信访问题不及时回应、不主动解决、不按规定受理处理", "not responding to or resolving the public's petitions and demands"
    NOT_SOLVING_MAJOR_PROBLEMS = "not_solving_major_problems", "对重大问题、突出问题能解决而不及时解决或措施不力", "not solving, though able, major or prominent problems"
    NEGLECTING_LEGACY_PROBLEMS = "neglecting_legacy_problems", "对历史遗留问题不主动想办法解决", "neglecting legacy problems"
    PUBLIC_COMMITMENT_UNMET = "public_commitment_unmet", "向社会公开承诺的事项没有按时兑现", "public commitment not honoured on time"
    NOT_PROTECTING_PUBLIC = "not_protecting_public", "对群众生命财产安全等合法权益不尽力保护", "not doing one's utmost to protect the public's life, property and lawful rights"
    # Leadership of teams, integrity, cooperation
    MANAGING_TEAM_LAXLY = "managing_team_laxly", "抓班子带队伍要求不严、管理不力，对班子成员或分管范围内错误言行放任不管", "lax leadership of one's team and cadres"
    NEGLECTING_INTEGRITY_DUTIES = "neglecting_integrity_duties", "落实全面从严治党主体责任、监督责任（党风廉政建设责任）不力", "neglecting responsibility for party discipline and integrity (主体责任/监督责任)"
    NOT_COOPERATING = "not_cooperating", "不讲团结协作，主办方不牵头协调、协办方不配合", "not cooperating: lead agency not coordinating, assisting agency not helping"
    PURSUING_SECTIONAL_INTEREST = "pursuing_sectional_interest", "片面追求部门利益、个人利益或小团体利益", "pursuing departmental, personal or clique interest"
    NOT_RECTIFYING_FINDINGS = "not_rectifying_findings", "对巡视巡察、督察、检查反馈的问题不认真整改、敷衍整改、虚假整改、拒不整改", "not rectifying inspection findings: token, false or refused rectification"
    INDUCING_SUBORDINATES_TO_LIE = "inducing_subordinates_to_lie", "纵容、唆使、暗示或强迫下级说假话、弄虚作假", "conniving at, inciting, hinting at or forcing subordinates' lies or falsification"
    # Risk, projects and funds
    RECKLESS_BORROWING = "reckless_borrowing", "脱离实际、盲目举债", "borrowing blindly, detached from reality"
    VANITY_PROJECTS = "vanity_projects", "搞劳民伤财、不切实际的“形象工程”“政绩工程”", "wasteful, unrealistic vanity or 'achievement' projects"
    MISMANAGING_BENEFIT_FUNDS = "mismanaging_benefit_funds", "惠民资金和项目管理粗放，不按规定及时足额发放惠民资金，落实惠民政策走样", "mismanaging funds and projects for the public's benefit"
    NOT_IMPLEMENTING_SERVICE_REFORMS = "not_implementing_service_reforms", "不落实便民制度，对简政放权措施不执行、缓执行、变通执行", "not implementing convenience and delegation reforms"
    NOT_IMPLEMENTING_DELEGATION = "not_implementing_delegation", "不严格执行权责清单制度，对简政放权措施不执行、缓执行、变通执行", "not following the lists of powers and responsibilities; delegation reforms not applied, delayed or bent"
    IMPOSING_UNREALISTIC_TARGETS = "imposing_unrealistic_targets", "不负责任、脱离实际地下指标、压任务", "imposing unrealistic targets and tasks on lower levels"
    # Misconduct in office
    MAJOR_DECISION_ERROR = "major_decision_error", "决策严重失误", "seriously erroneous decision"
    BREACHING_COLLECTIVE_DECISION_RULES = "breaching_collective_decision_rules", "“三重一大”等集体决策制度执行不力", "collective decision-making rules for major matters (三重一大) not followed"
    INTERFERING_IN_MARKET = "interfering_in_market", "违规干预土地交易、工程建设、政府采购等市场经济活动", "improper interference in land deals, construction, procurement or other market activity"
    INTERFERING_IN_CASES = "interfering_in_cases", "违规干预执纪执法部门办案", "improper interference in disciplinary or law-enforcement cases"
    FACTIONAL_OR_ELECTORAL_MISCONDUCT = "factional_or_electoral_misconduct", "搬弄是非、挑拨离间、拉票贿选、跑官要官、指使散布谣言", "stirring discord, vote-buying, office-seeking or spreading rumours"
    DAMAGING_ECOLOGY = "damaging_ecology", "破坏生态环境", "damaging the ecological environment"
    FOUR_WINDS = "four_winds", "违反作风建设规定，“四风”问题", "breaches of conduct rules (formalism, bureaucratism, hedonism, extravagance: 四风)"
    EXCEEDING_POWERS = "exceeding_powers", "不按权力清单及执法程序开展工作，违规行使自由裁量权，违规行政审批", "acting outside the power list or procedure; improper discretion or approval"
    SOLICITING_BENEFITS = "soliciting_benefits", "吃拿卡要、索拿卡要，增加服务对象负担", "soliciting benefits from those served, adding to their burden"
    ISSUING_UNLAWFUL_DOCUMENTS = "issuing_unlawful_documents", "制定、发布与法律法规或上级政策相违背的文件，故意使用已废止的法规政策", "issuing documents contrary to law or higher policy; knowingly applying repealed rules"
    MISAPPROPRIATING_FUNDS = "misappropriating_funds", "以权谋私，截留、挤占、挪用专项资金或基金", "abusing power to withhold, divert or misappropriate earmarked funds"
    IMPROPER_APPOINTMENTS = "improper_appointments", "违反干部选拔任用工作有关规定", "breaching the rules on selecting and appointing cadres"
    APPOINTING_WITHOUT_VERIFICATION = "appointing_without_verification", "未经核实就提拔重用干部，或核实发现明显问题不按规定处理", "promoting cadres without verifying their personal reports, or ignoring problems found"
    ABUSING_POWER = "abusing_power", "违规决策、错误履职、滥用职权", "irregular decisions, wrongful exercise of duties, abuse of power"
    INFRINGING_PUBLIC_INTERESTS = "infringing_public_interests", "非法侵害群众利益", "unlawfully infringing the public's interests"
    CONCEALING_PERSONAL_MATTERS = "concealing_personal_matters", "领导干部个人有关事项有意瞒报", "deliberately concealing items in one's personal-matters report"
    MISREPORTING_PERSONAL_MATTERS = "misreporting_personal_matters", "个人有关事项报告内容严重失实", "personal-matters report seriously inaccurate"
    FABRICATING_ACCUSATIONS = "fabricating_accusations", "捏造歪曲事实、诬告陷害他人", "fabricating or distorting facts to falsely accuse others"
    # Errors in diligent work: what tolerance-of-error provisions presuppose, not misconduct
    DILIGENT_ERROR = "diligent_error", "履职中出现失误、错误（按规定程序决策、勤勉履职，结果未达预期或造成损失）", "an error in diligent work: a decision taken by the rules and carried out diligently that still went wrong"


class ActLink(NamedTuple):
    """A narrower act and the broader act it is a kind of, with why (zh, en)."""

    narrower: Act
    broader: Act
    zh: str
    en: str


ACT_LINKS: tuple[ActLink, ...] = (
    ActLink(Act.SUPERVISING_INADEQUATELY, Act.PERFORMING_DUTIES_POORLY, "监管不到位是在监督管理职责上的履职不力、工作不力", "inadequate supervision is poor performance of the duty to supervise"),
    ActLink(Act.HANDLING_IMPROPERLY, Act.PERFORMING_DUTIES_POORLY, "处置不当、应对不力是在处置事项上的履职不力", "improper handling is poor performance in dealing with a matter"),
    ActLink(Act.FAILING_TO_PREVENT, Act.PERFORMING_DUTIES_POORLY, "防范不力是在防范风险职责上的履职不力", "failing to prevent is poor performance of the duty to prevent"),
    ActLink(Act.ENFORCING_LAXLY, Act.PERFORMING_DUTIES_POORLY, "执法不严、违法不纠是执法职责上的履职不力", "lax enforcement is poor performance of the duty to enforce"),
    ActLink(Act.CRACKING_DOWN_WEAKLY, Act.PERFORMING_DUTIES_POORLY, "打击不力是打击违法犯罪职责上的履职不力", "a weak crackdown is poor performance of the duty to crack down"),
    ActLink(Act.ABSENT_FROM_DUTY, Act.PERFORMING_DUTIES_POORLY, "履职缺位是履职不力中最甚者", "absence from duty is the utmost of poor performance"),
    ActLink(Act.MANAGING_TEAM_LAXLY, Act.PERFORMING_DUTIES_POORLY, "抓班子带队伍管理不力是领导干部管理职责上的工作不力", "lax leadership of a team is poor performance of a leader's duty to manage"),
    ActLink(Act.NEGLECTING_INTEGRITY_DUTIES, Act.PERFORMING_DUTIES_POORLY, "主体责任、监督责任落实不力是管党治党职责上的履职不力", "neglecting integrity duties is poor performance of the duty to govern the party"),
    ActLink(Act.IMPLEMENTING_DECISIONS_INEFFECTIVELY, Act.PERFORMING_DUTIES_POORLY, "贯彻落实不到位、落实不力是落实决策部署上的工作不力", "carrying out decisions ineffectively is poor performance in implementing them"),
    ActLink(Act.NOT_SOLVING_MAJOR_PROBLEMS, Act.PERFORMING_DUTIES_POORLY, "能解决而不及时解决或措施不力，是解决问题上的工作不力", "not solving problems one could, or weak measures, is poor performance"),
    ActLink(Act.DISTORTING_DECISIONS, Act.IMPLEMENTING_DECISIONS_INEFFECTIVELY, "执行变形走样、打折扣、搞变通是落实不到位的一种", "distorting decisions in execution is a way of carrying them out ineffectively"),
    ActLink(Act.DEFYING_ORDERS, Act.NOT_IMPLEMENTING_DECISIONS, "有令不行、有禁不止即不执行上级决策部署", "orders not obeyed are decisions of higher authorities not carried out"),
    ActLink(Act.NEGLECTING_MANAGEMENT, Act.DERELICTION_OF_DUTY, "工作中不负责任、疏于管理是失职的一种", "irresponsibility or negligent management is a form of dereliction of duty"),
    ActLink(Act.NOT_PERFORMING_STATUTORY_DUTY, Act.DERELICTION_OF_DUTY, "不履行法定职责即失职", "not performing statutory duties is dereliction of duty"),
    ActLink(Act.CONCEALING_OR_NOT_REPORTING, Act.NOT_REQUESTING_INSTRUCTIONS, "瞒报、谎报、迟报、漏报是不如实、不及时报告的一种", "concealed, false, late or omitted reports are reports not made promptly and truthfully"),
    ActLink(Act.FALSIFYING, Act.DECEIVING_ORGANISATION, "弄虚作假、报送虚假数据和情况是欺瞒组织、欺瞒上级的一种", "falsified figures and reports deceive the organisation and superiors"),
    ActLink(Act.EXCEEDING_POWERS, Act.ABUSING_POWER, "违规行使自由裁量权、违规审批是违规决策、错误履职的一种", "improper discretion or approval is an irregular exercise of duties"),
    ActLink(Act.INTERFERING_IN_MARKET, Act.ABUSING_POWER, "违规干预市场经济活动是滥用职权的一种", "improper interference in market activity is an abuse of power"),
    ActLink(Act.INTERFERING_IN_CASES, Act.ABUSING_POWER, "违规干预执纪执法办案是滥用职权的一种", "improper interference in cases is an abuse of power"),
    ActLink(Act.MISAPPROPRIATING_FUNDS, Act.ABUSING_POWER, "以权谋私、截留挪用专项资金是滥用职权的一种", "misappropriating funds through one's power is an abuse of power"),
    ActLink(Act.BREACHING_COLLECTIVE_DECISION_RULES, Act.ABUSING_POWER, "不执行“三重一大”集体决策制度即违规决策", "bypassing collective decision rules is an irregular decision"),
    ActLink(Act.FORMALISM, Act.FOUR_WINDS, "“四风”即形式主义、官僚主义、享乐主义和奢靡之风，形式主义是其一", "formalism is one of the four winds (形式主义、官僚主义、享乐主义、奢靡之风)"),
    ActLink(Act.APPOINTING_WITHOUT_VERIFICATION, Act.IMPROPER_APPOINTMENTS, "未经核实即提拔重用，违反“凡提必核”的选拔任用规定", "promoting without verification breaches the appointment rule that every promotion be verified (凡提必核)"),
    ActLink(Act.NOT_IMPLEMENTING_DELEGATION, Act.NOT_IMPLEMENTING_SERVICE_REFORMS, "不执行简政放权措施、权责清单是不落实便民放权改革的一种", "not applying delegation reforms or power lists is a way of not implementing service reforms"),
    ActLink(Act.HESITATING, Act.SHIRKING_RESPONSIBILITY, "患得患失、迟疑观望是不敢担当的一种", "worrying about gain and loss and hesitating are ways of shirking responsibility"),
    ActLink(Act.NOT_RELAYING_OR_STUDYING_POLICY, Act.IMPLEMENTING_DECISIONS_INEFFECTIVELY, "不及时传达学习、不认真研究贯彻，是贯彻落实不到位的一种", "not relaying or studying policy is a way of carrying it out incompletely"),
)
"""The act vocabulary's broader/narrower structure: a rule that quotes a broad word (工作不力, 失职渎职, 不如实报告)
catches every narrower conduct; one that quotes a narrow word catches only it (and what is narrower still)."""


def _narrower_closure(links: tuple[ActLink, ...]) -> dict[Vocab, frozenset[Vocab]]:
    """Each act with every act narrower than it, transitively; refuses a cycle of links."""
    below: dict[Vocab, set[Vocab]] = {}
    for link in links:
        below.setdefault(link.broader, set()).add(link.narrower)

    def closure(act: Vocab, path: tuple[Vocab, ...]) -> frozenset[Vocab]:
        if act in path:
            raise ValueError(f"the act links form a cycle: {' -> '.join(str(a) for a in (*path, act))}")
        return frozenset({act}).union(*(closure(n, (*path, act)) for n in below.get(act, ())))

    return {act: closure(act, ()) for act in Act}


_NARROWER = _narrower_closure(ACT_LINKS)


def narrower(member: Vocab) -> frozenset[Vocab]:
    """``member`` and every value narrower than it: for an act, by ``ACT_LINKS``; any other value is alone."""
    return _NARROWER.get(member, frozenset({member}))


class WorkField(Vocab):
    """Field of work in which the conduct happened."""

    RURAL_REVITALISATION = "rural_revitalisation", "乡村振兴", "rural revitalisation"
    PUBLIC_BENEFIT_PROGRAMMES = "public_benefit_programmes", "惠民资金和项目、惠民利民政策", "funds, projects and policies for the public's benefit"
    ECOLOGY_ENVIRONMENT = "ecology_environment", "生态环境保护", "ecological and environmental protection"
    POLLUTION_CONTROL = "pollution_control", "污染防治", "pollution prevention and control"
    ORGANISED_CRIME = "organised_crime", "扫黑除恶（打击黑恶势力及其“保护伞”）", "campaign against organised crime and its protectors"
    MAJOR_RISKS = "major_risks", "防范化解重大风险", "preventing and defusing major risks"
    FINANCE = "finance", "金融", "finance"
    GOVERNMENT_DEBT = "government_debt", "政府性债务", "government debt"
    REAL_ESTATE = "real_estate", "房地产", "real estate"
    STATE_ENTERPRISES = "state_enterprises", "国有企业", "state-owned enterprises"
    WORK_SAFETY = "work_safety", "安全生产", "work safety"
    FOOD_DRUG = "food_drug", "食品药品", "food and drugs"
    HEALTH = "health", "医疗卫生", "medical care and health"
    EDUCATION_CULTURE = "education_culture", "教育文化", "education and culture"
    LABOUR_SECURITY = "labour_security", "劳动保障", "labour and social security"
    URBAN_MANAGEMENT = "urban_management", "城市管理", "urban management"
    ECONOMY_TRADE = "economy_trade", "经济贸易", "economy and trade"
    PETITIONS = "petitions", "信访", "petitions and letters from the public"
    MASS_OR_SUDDEN_EVENTS = "mass_or_sudden_events", "群体性、突发性事件", "mass or sudden events"
    DISASTER_EPIDEMIC = "disaster_epidemic", "重大灾情疫情、疫情防控、抗灾救灾", "major disasters and epidemics, epidemic control, disaster relief"
    FLOOD_DROUGHT = "flood_drought", "防汛抗旱", "flood control and drought relief"
    FOREST_FIRE = "forest_fire", "森林防火", "forest fire prevention"
    INSPECTION_RECTIFICATION = "inspection_rectification", "巡视巡察、环保督察、专项检查反馈问题整改", "rectifying findings of inspections and audits"
    CIVILISATION_CAMPAIGNS = "civilisation_campaigns", "文明创建", "civilised-city campaigns"
    LAND_ACQUISITION = "land_acquisition", "征地拆迁", "land acquisition and demolition"
    ILLEGAL_CONSTRUCTION = "illegal_construction", "禁违拆违治违", "control of illegal construction"
    INVESTMENT_PROMOTION = "investment_promotion", "招商引资", "attracting investment"
    INDUSTRIAL_UPGRADING = "industrial_upgrading", "产业转型升级", "industrial transformation and upgrading"
    PROJECT_CONSTRUCTION = "project_construction", "项目建设、重点工程", "key projects and construction"
    POPULATION_PLANNING = "population_planning", "人口与计划生育", "population and family planning"
    PUBLIC_ORDER = "public_order", "社会治安综合治理", "comprehensive management of public order"
    MARKET_REGULATION = "market_regulation", "市场监管", "market regulation"
    SOCIAL_MANAGEMENT = "social_management", "社会管理", "social management"
    LAW_ENFORCEMENT = "law_enforcement", "司法执法", "justice and law enforcement"
    ADMINISTRATIVE_APPROVAL = "administrative_approval", "行政审批", "administrative approval"
    PUBLIC_SERVICE = "public_service", "为民服务、解决群众反映问题", "public service and resolving the public's problems"
    REFORM = "reform", "改革创新", "reform and innovation"
    CADRE_MANAGEMENT = "cadre_management", "班子建设、换届选举、干部选任", "team building, elections and cadre appointments"
    PARTY_CONDUCT = "party_conduct", "党风廉政建设、全面从严治党", "party conduct and integrity"
    DECISION_STATISTICS = "decision_statistics", "调查摸底统计", "surveys and statistics ordered by higher authorities"


class Gravity(Ordinal):
    """The gravity of the circumstances (情节) as assessed by the investigating body."""

    MINOR = "minor", "情节较轻", "minor"
    SERIOUS = "serious", "情节较重", "serious"
    GRAVE = "grave", "情节严重", "grave"


class ConsequenceLevel(Ordinal):
    NONE = "none", "未造成后果", "no consequences"
    ADVERSE = "adverse", "不良后果", "adverse consequences"
    SERIOUS = "serious", "严重（不良）后果", "serious consequences"
    MAJOR = "major", "重大、特别严重后果", "major consequences"


class InfluenceLevel(Ordinal):
    NONE = "none", "未造成影响", "no adverse influence"
    ADVERSE = "adverse", "不良影响、负面影响", "adverse influence"
    CONSIDERABLE = "considerable", "较大影响", "considerable influence"
    SERIOUS = "serious", "严重不良影响、恶劣影响", "serious or vile influence"
    MAJOR = "major", "重大（社会）影响", "major (social) influence"


class LossLevel(Ordinal):
    NONE = "none", "无损失", "no loss"
    SOME = "some", "一定损失", "some loss"
    CONSIDERABLE = "considerable", "较大损失", "considerable loss"
    MAJOR = "major", "重大损失", "major loss"


class PublicReaction(Ordinal):
    NONE = "none", "无群众反映", "no public reaction"
    NOTABLE = "notable", "有较多反映、群众意见较大", "notable public complaints"
    STRONG = "strong", "群众反映强烈、社会反响强烈", "strong public reaction"


class MassIncident(Ordinal):
    NONE = "none", "未引发群体性事件", "no mass incident"
    INCIDENT = "incident", "引发集体上访、重复上访、非正常上访等群体性事件", "a mass incident: collective, repeated or irregular petitioning"
    SERIOUS = "serious", "引发严重（大规模）群体性事件", "a serious or large-scale mass incident"


class AccidentKind(Vocab):
    WORK_SAFETY = "work_safety", "重特大生产安全事故", "major work-safety accident"
    ENVIRONMENTAL_POLLUTION = "environmental_pollution", "重特大环境污染事故", "major environmental pollution incident"
    ECOLOGICAL_DAMAGE = "ecological_damage", "重特大生态破坏事故", "major ecological damage incident"
    FOOD_DRUG_SAFETY = "food_drug_safety", "重特大食品药品安全事故", "major food or drug safety incident"


class Interest(Vocab):
    STATE = "state", "国家利益", "state interests"
    PUBLIC = "public", "公共利益、公共财产", "public interests or property"
    COLLECTIVE = "collective", "集体利益", "collective interests"
    MASSES = "masses", "群众利益、群众合法权益、人民生命财产", "the public's interests, lawful rights, lives or property"
    OTHERS = "others", "他人（相对人、投资者）合法权益", "lawful rights of others (parties, investors)"


class Effect(Vocab):
    """A specific effect the conduct had, as the texts name them."""

    WORK_DELAYED = "work_delayed", "贻误工作、贻误事业发展", "work or development delayed"
    WORK_PROGRESS_AFFECTED = "work_progress_affected", "影响工作推进", "progress of work affected"
    OVERALL_WORK_AFFECTED = "overall_work_affected", "影响全局工作、影响整体工作效果", "overall work affected"
    REFORM_STABILITY_AFFECTED = "reform_stability_affected", "影响改革发展稳定", "reform, development or stability affected"
    BUSINESS_ENVIRONMENT_AFFECTED = "business_environment_affected", "影响经济发展环境", "business environment harmed"
    MARKET_ORDER_DISRUPTED = "market_order_disrupted", "扰乱市场经济秩序", "market order disrupted"
    JUSTICE_AFFECTED = "justice_affected", "影响公平正义", "fairness of justice affected"
    UNITY_AFFECTED = "unity_affected", "影响工作开展和安定团结", "work and unity disrupted"
    SITUATION_WORSENED = "situation_worsened", "导致事态恶化、影响恶化或损失扩大", "situation worsened or loss expanded"
    PROBLEM_RECURRED = "problem_recurred", "问题重复出现", "the problem recurred"
    PUBLIC_HARM_PERSISTENT = "public_harm_persistent", "管辖范围内持续发生损害群众利益问题", "harm to the public's interests kept occurring in one's area"
    LEGACY_PROBLEMS_LEFT = "legacy_problems_left", "留下严重遗留问题", "serious legacy problems left behind"
    PARTY_PUBLIC_RELATIONS_DAMAGED = "party_public_relations_damaged", "严重破坏党群政群关系", "relations between party, government and public seriously damaged"
    PUBLIC_BURDEN_INCREASED = "public_burden_increased", "增加服务对象负担、群众多跑腿多花钱", "burden on the public increased"
    WRONG_APPOINTMENT = "wrong_appointment", "导致选人用人失误", "a wrong appointment resulted"
    SUBORDINATE_MISCONDUCT = "subordinate_misconduct", "本地区、本单位、分管领域或直接下属发生严重“四风”问题、腐败现象或违纪违法行为", "serious misconduct, corruption or violations by subordinates or in one's area"
    DECISION_OR_WORK_FAILED = "decision_or_work_failed", "导致重大决策、重要工作出现严重问题", "a major decision or important work went seriously wrong"


class Shortfall(Vocab):
    """How the work fell short of what was required."""

    KEY_TASKS_UNMET = "key_tasks_unmet", "重点任务、年度目标任务未如期完成", "key or annual target tasks not completed on time"
    SERIOUSLY_LAGGING = "seriously_lagging", "工作严重滞后", "work seriously lagging"
    SLOW_PROGRESS = "slow_progress", "工作进展缓慢、推进缓慢、成效不明显", "slow progress, little effect"
    NO_BREAKTHROUGH = "no_breakthrough", "工作打不开局面", "work fails to get off the ground"
    STAGNANT_AND_DECLINING = "stagnant_and_declining", "工作久无起色且明显退步", "long stagnant and clearly declining"
    LONG_LAGGING = "long_lagging", "工作满足于一般化、过得去或长期落后", "mediocre or long lagging"
    QUALITY_CLEARLY_LOW = "quality_clearly_low", "工作质量明显低下", "quality of work clearly low"
    RESULTS_BELOW_REQUIREMENTS = "results_below_requirements", "办理结果未达到规定要求", "results below the set requirements"
    DEADLINE_MISSED_THOUGH_ABLE = "deadline_missed_though_able", "能在规定时限内办结而未办结", "not completed within the time limit though able to"
    LOW_IMPLEMENTATION_RATE = "low_implementation_rate", "落实到位率低", "low rate of implementation"
    LOW_EFFICIENCY_AND_SATISFACTION = "low_efficiency_and_satisfaction", "效率低、满意率低", "low efficiency and satisfaction"
    VETOED_IN_ASSESSMENT = "vetoed_in_assessment", "工作被“一票否决”", "work vetoed in assessment (一票否决)"
    NOT_ON_TIME_OR_QUALITY = "not_on_time_or_quality", "不能按时按质完成任务", "tasks not completed on time or to standard"


class PriorMeasure(Vocab):
    """An earlier warning or handling of the same problem."""

    REMINDER = "reminder", "提醒、谈话提醒", "reminder"
    SUMMONED_REMINDER = "summoned_reminder", "约谈提醒", "summoned for a reminder talk"
    INQUIRY_LETTER = "inquiry_letter", "函询", "letter of inquiry"
    ADMONITION = "admonition", "诫勉、诫勉谈话", "admonition (诫勉)"
    CIRCULATED_CRITICISM = "circulated_criticism", "通报批评", "circulated criticism"
    EDUCATION = "education", "教育提醒、批评教育", "education and reminder"


class Correction(Ordinal):
    """How far the subject corrected course after earlier measures (a scale of failure)."""

    CORRECTED = "corrected", "已改正", "corrected"
    NOT_OBVIOUS = "not_obvious", "改正不明显、无明显改观", "no obvious improvement"
    NOT_CORRECTED = "not_corrected", "没有改正、整改不力", "not corrected"


class DirectedRating(Ordinal):
    NONE = "none", "无反映", "no reports"
    SOME_REPORTS = "some_reports", "有较多反映", "a fair number of reports (有较多反映)"
    SERIOUS = "serious", "问题严重", "serious problem (问题严重)"


class EmergencyLevel(Ordinal):
    NONE = "none", "非紧急情况", "no emergency"
    EMERGENCY = "emergency", "突发意外事件、紧急情况", "sudden event or emergency"
    MAJOR = "major", "重大突发性事件", "major sudden event"


class DisciplineBreach(Ordinal):
    NONE = "none", "不涉及违纪", "no breach of discipline"
    ORDINARY = "ordinary", "违反党纪或政务纪律，应当给予处分", "a breach of party or public-office discipline warranting a sanction"
    SERIOUS = "serious", "严重违纪", "a serious breach of discipline"


class Allegation(Vocab):
    NONE = "none", "无举报反映（组织发现问题）", "no allegation: the problem was found by the organisation"
    VERIFIED = "verified", "经查证属实", "verified"
    MISTAKEN = "mistaken", "错告（反映失实）", "mistaken report"
    FABRICATED = "fabricated", "诬告陷害（捏造歪曲事实）", "fabricated false accusation"


class JointRole(Vocab):
    NONE = "none", "非共同办理事项", "not a joint matter"
    LEAD = "lead", "共同办理事项的主办方", "lead party of a joint matter"
    ASSISTING = "assisting", "共同办理事项的协办方", "assisting party of a joint matter"


class Measure(Vocab):
    """A sanction or handling measure a decision-maker may impose (问责方式)."""

    CRITICISM_EDUCATION = "criticism_education", "批评教育", "criticism and education"
    REMINDER = "reminder", "提醒（谈话提醒）", "reminder"
    INQUIRY_LETTER = "inquiry_letter", "函询", "letter of inquiry"
    SELF_EXAMINATION = "self_examination", "责令作出检查（作出检查）", "ordered written self-examination"
    CIRCULATED_CRITICISM = "circulated_criticism", "通报批评", "circulated criticism"
    ADMONITION = "admonition", "诫勉（诫勉谈话）", "admonition (诫勉)"
    PUBLIC_APOLOGY = "public_apology", "公开道歉", "public apology"
    SUSPENSION_FOR_INSPECTION = "suspension_for_inspection", "停职检查", "suspension pending self-examination"
    TRANSFER = "transfer", "调离岗位（调整岗位）", "transfer from post"
    NON_LEADING_POST = "non_leading_post", "改任非领导职务", "reassignment to a non-leading post"
    RESIGNATION_TAKING_BLAME = "resignation_taking_blame", "引咎辞职", "resignation taking the blame"
    ORDERED_RESIGNATION = "ordered_resignation", "责令辞职", "ordered resignation"
    REMOVAL = "removal", "免职", "removal from post"
    DEMOTION = "demotion", "降职", "demotion"
    DISMISSAL = "dismissal", "辞退、解聘", "dismissal or termination of appointment"


class Discipline(Vocab):
    """A disciplinary sanction imposed separately from organisational handling."""

    PARTY = "party", "党纪处分", "party disciplinary sanction"
    PUBLIC_OFFICE = "public_office", "政务处分（政纪处分）", "public-office (administrative) sanction"
