// The drafter's workbench: read a rule set beside its text, write a proposal (an overlay), measure
// and see its impact. Plain script, no build step, nothing fetched from outside this server.
"use strict";

const I18N = {
  zh: {
    title: "规则起草工作台", ruleset: "规则集", tab_read: "阅读", tab_propose: "起草", tab_measure: "测算", tab_see: "结果",
    search_hint: "按词语或条款搜索，如“调离”“第十三条”", found: (n) => `找到 ${n} 条`, no_rules: "本条无对应规则",
    condition: "条件", effect: "后果", note: "说明", for_measures: "适用于", propose_this: "修改此规则",
    elsewhere: "引用其他文件的规则", proposal: "提案", proposal_title: "提案标题", change_rule: "修改规则", rule: "规则",
    new_rule: "新增规则（拟议条文）", rule_id: "编号", stage: "环节", modality: "效力", label_zh: "名称（中文）",
    label_en: "名称（英文）", article: "条款", draft_wording: "拟议条文", add_rule: "加入提案", overlay_yaml: "提案文本（YAML）",
    download_overlay: "下载提案", reset_overlay: "清空提案", freeze_months: "影响期（月）", apply: "修改",
    measures: "问责方式", modality_change: "效力", condition_items: (g) => (g === "all" ? "条件（全部成立）" : "条件（至少一项成立）"),
    remove_item: "删去", add_item: "增加条件", remove_rule: "删除此规则", fact: "事实", op: "关系", value: "值",
    checking: "正在检查……", check_ok: "提案有效，检查通过", check_findings: (n) => `提案有效，检查发现 ${n} 项问题`,
    at: (l, c) => `第 ${l} 行第 ${c} 列：`, measure_title: "测算影响", mode_generate: "生成案例", mode_upload: "上传案例",
    n_cases: "案例数", seed: "随机种子", known: "事实已知比例", presets: "常用人群", preset_transfer: "已选择调离岗位的案件",
    preset_county: "县级领导干部", preset_clear: "不限定", fixed_facts: "固定的事实", weighted_facts: "加权的事实", add_fix: "增加一项",
    add_weight: "增加一项", weight: "概率", upload_hint: "案例文件（YAML、JSON）或案例表格（CSV、Parquet）", run: "开始测算",
    queued: "排队中……", running: (d, t) => `已测算 ${d} / ${t} 件`, done: "测算完成", failed: "测算失败：",
    no_overlay: "提案为空或无效，请先在“起草”中修改", no_files: "请选择案例文件",
    see_empty: "尚未测算。请先在“起草”中写好提案，再到“测算”中运行。",
    summary: (r) => `共 ${r.cases} 件案例，${r.changed_cases} 件结果改变，其中 ${r.decision_changed} 件决定改变。`,
    chart_directions: "变化方向", chart_matrix: "修改前 → 修改后", by_rule: "按规则", examples: "示例案例",
    download_report: "下载报告（HTML）", full_text: "完整结论", draft_title: "拟议条文，非现行文本", drafts: (ids) => `；拟议条文（不与正式文本比对）：${ids.join("、")}`, before: "修改前", after: "修改后", cases: "案件数", citation: "依据",
    directions: "方向", no_matrix: "没有可列的变化", case_label: (i) => `案例 ${i + 1}`, ruleset_changed: "修改后",
    dimensions: { band: "问责方式范围", exemption: "容错免责", freeze: "影响期" },
    stage_names: {}, effects: { exempt: "免予问责", lighter: "从轻", reduced: "减轻", heavier: "从重" },
    op_names: { is: "为", in: "属于", at_least: "不低于", at_most: "不高于", has: "包含", has_any: "包含其一", has_all: "全部包含" },
  },
  en: {
    title: "Drafter's workbench", ruleset: "Rule set", tab_read: "Read", tab_propose: "Propose", tab_measure: "Measure", tab_see: "See",
    search_hint: "Search by word or article, e.g. 调离 or 第十三条", found: (n) => `${n} found`, no_rules: "No rule cites this article",
    condition: "Condition", effect: "Effect", note: "Note", for_measures: "For", propose_this: "Change this rule",
    elsewhere: "Rules citing another text", proposal: "Proposal", proposal_title: "Title of the proposal", change_rule: "Change a rule",
    rule: "Rule", new_rule: "Add a rule (draft wording)", rule_id: "Id", stage: "Stage", modality: "Modality", label_zh: "Label (Chinese)",
    label_en: "Label (English)", article: "Article", draft_wording: "Draft wording", add_rule: "Add to the proposal",
    overlay_yaml: "The proposal (YAML)", download_overlay: "Download the proposal", reset_overlay: "Clear the proposal",
    freeze_months: "Length (months)", apply: "Change", measures: "Measures", modality_change: "Modality",
    condition_items: (g) => (g === "all" ? "Condition (all of)" : "Condition (any of)"), remove_item: "Remove", add_item: "Add an item",
    remove_rule: "Remove this rule", fact: "Fact", op: "Relation", value: "Value", checking: "Checking…",
    check_ok: "The proposal is valid and passes the check", check_findings: (n) => `The proposal is valid; the check found ${n} problem(s)`,
    at: (l, c) => `line ${l}, column ${c}: `, measure_title: "Measure the impact", mode_generate: "Generated cases",
    mode_upload: "Uploaded cases", n_cases: "Cases", seed: "Seed", known: "Share of facts known", presets: "Populations",
    preset_transfer: "Cases where a transfer was chosen", preset_county: "Leading cadres at county level", preset_clear: "Any case",
    fixed_facts: "Fixed facts", weighted_facts: "Weighted facts", add_fix: "Add", add_weight: "Add", weight: "Probability",
    upload_hint: "Case files (YAML, JSON) or a case table (CSV, Parquet)", run: "Run", queued: "Queued…",
    running: (d, t) => `${d} of ${t} cases`, done: "Done", failed: "Failed: ", no_overlay: "The proposal is empty or invalid; change something under Propose first",
    no_files: "Choose case files", see_empty: "Nothing measured yet. Write a proposal under Propose, then run it under Measure.",
    summary: (r) => `${r.cases} cases, ${r.changed_cases} with a changed outcome, ${r.decision_changed} with a changed decision.`,
    chart_directions: "Directions", chart_matrix: "Before → after", by_rule: "By rule", examples: "Example cases",
    download_report: "Download the report (HTML)", full_text: "The whole determination", draft_title: "Draft wording, not the text in force", drafts: (ids) => `; draft wording (not compared with the official text): ${ids.join(", ")}`, before: "Before", after: "After", cases: "Cases", citation: "Citation",
    directions: "Directions", no_matrix: "Nothing to tabulate", case_label: (i) => `Case ${i + 1}`, ruleset_changed: "Proposed",
    dimensions: { band: "Sanction range", exemption: "Exemption", freeze: "Freezes" },
    stage_names: {}, effects: { exempt: "exempt", lighter: "lighter", reduced: "reduced", heavier: "heavier" },
    op_names: { is: "is", in: "is one of", at_least: "at least", at_most: "at most", has: "includes", has_any: "includes any of", has_all: "includes all of" },
  },
};

const STAGES = ["exemption", "mitigating", "aggravating", "bar"];
const MODALITIES = { shall: ["应当", "shall"], always: ["一律", "always"], may: ["可以", "may"], as_warranted: ["视情", "as warranted"] };
const NEW_EFFECTS = {
  exemption: [["exempt", { exempt: true }]],
  mitigating: [["lighter", { factor: "lighter" }], ["reduced", { factor: "reduced" }]],
  aggravating: [["heavier", { factor: "heavier" }]],
  bar: [],
};

const state = {
  lang: localStorage.getItem("guanzhi-lang") || "zh",
  key: null, view: null, facts: [], overlay: null, yamlOk: false, job: null, report: null, checkTimer: null, checkSeq: 0,
};

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
const t = (key, ...args) => {
  const v = I18N[state.lang][key];
  return typeof v === "function" ? v(...args) : v ?? key;
};
const w = (pair) => (pair ? pair[state.lang] ?? pair.zh : "");
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c.nodeType ? c : String(c));
  return node;
};

async function api(path, options = {}) {
  const init = { ...options };
  if (init.json !== undefined) {
    init.method = init.method || "POST";
    init.headers = { "Content-Type": "application/json" };
    init.body = JSON.stringify(init.json);
    delete init.json;
  }
  const response = await fetch(path, init);
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const err = new Error(body && body.detail ? body.detail : `HTTP ${response.status}`);
    err.body = body;
    throw err;
  }
  return body;
}

// -- language ---------------------------------------------------------------------------------------

function applyLang() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.title = t("title");
  for (const node of $$("[data-t]")) node.textContent = t(node.dataset.t);
  for (const node of $$("[data-tp]")) node.placeholder = t(node.dataset.tp);
  $("#lang").textContent = state.lang === "zh" ? "English" : "中文";
  if (state.view) {
    renderRulesetOptions();
    renderRead();
    renderRuleForms();
    renderNewRuleForm();
  }
  renderFixes();
  if (state.report) renderSee();
  checkSoon(0);
}

// -- read -------------------------------------------------------------------------------------------

async function loadRulesets() {
  const list = await api("/rulesets");
  const select = $("#ruleset");
  state.rulesets = list;
  renderRulesetOptions();
  select.addEventListener("change", () => selectRuleset(select.value));
  state.facts = await api("/workbench/api/facts");
  await selectRuleset(new URLSearchParams(location.search).get("ruleset") || "benxi");
}

function renderRulesetOptions() {
  const select = $("#ruleset");
  const current = state.key;
  select.replaceChildren(...state.rulesets.map((r) => el("option", { value: r.key, selected: r.key === current }, label(r.document.title))));
}

async function selectRuleset(key) {
  state.key = key;
  $("#ruleset").value = key;
  state.view = await api(`/workbench/api/rulesets/${encodeURIComponent(key)}`);
  state.rules = Object.fromEntries(state.view.rules.map((r) => [r.id, r]));
  state.overlay = emptyOverlay();
  state.report = null;
  $("#see-body").hidden = true;
  $("#see-empty").hidden = false;
  renderRead();
  renderRuleForms();
  renderNewRuleForm();
  await writeYaml();
}

function ruleCard(rule, highlight) {
  const mark = (text) => highlightText(text, highlight);
  const draft = rule.citation && rule.citation.draft;
  return el("article", { class: "rule" + (draft ? " draft" : ""), "data-rule": rule.id },
    el("header", {},
      el("code", {}, rule.id), " ",
      el("span", { class: "tag" }, w(rule.stage_words)), " ",
      el("span", { class: "tag modality" }, w(rule.modality_words)), " ",
      el("strong", {}, mark(w(rule.label)))),
    el("dl", {},
      el("dt", {}, t("condition")), el("dd", {}, mark(w(rule.condition))),
      el("dt", {}, t("effect")), el("dd", {}, mark(w(rule.effect))),
      rule.measures_for.length ? [el("dt", {}, t("for_measures")), el("dd", {}, rule.measures_for.join("、"))] : null,
      rule.note ? [el("dt", {}, t("note")), el("dd", { class: "note" }, mark(w(rule.note)))] : null),
    el("blockquote", {}, rule.citation.where, "：", mark(rule.citation.quote)),
    el("button", { type: "button", class: "small", onclick: () => proposeFor(rule.id) }, t("propose_this")));
}

function highlightText(text, word) {
  if (!word || !text) return text;
  const parts = String(text).split(word);
  if (parts.length === 1) return text;
  const out = [];
  parts.forEach((p, i) => {
    if (i) out.push(el("mark", {}, word));
    out.push(p);
  });
  const span = el("span", {});
  span.append(...out);
  return span;
}

function renderRead() {
  const q = $("#search").value.trim();
  const box = $("#articles");
  const shown = [];
  for (const article of state.view.articles) {
    const rules = article.rules.map((id) => state.rules[id]);
    const hay = [article.address, article.text, ...rules.map((r) => `${w(r.label)} ${w(r.condition)} ${w(r.effect)} ${r.citation.quote} ${r.id}`)].join(" ");
    if (q && !hay.includes(q)) continue;
    shown.push(el("section", { class: "article", "data-article": article.address },
      el("div", { class: "text" },
        el("h3", {}, article.part ? `${article.part} · ${article.address}` : article.address),
        el("p", {}, highlightText(article.text.startsWith(article.address) ? article.text.slice(article.address.length) : article.text, q))),
      el("div", { class: "rules" }, rules.length ? rules.map((r) => ruleCard(r, q)) : el("p", { class: "muted" }, t("no_rules")))));
  }
  const others = state.view.elsewhere.map((id) => state.rules[id]).filter((r) => !q || JSON.stringify(r).includes(q));
  if (others.length) {
    shown.push(el("section", { class: "article" }, el("div", { class: "text" }, el("h3", {}, t("elsewhere"))),
      el("div", { class: "rules" }, others.map((r) => ruleCard(r, q)))));
  }
  box.replaceChildren(...shown);
  $("#search-count").textContent = q ? t("found", shown.length) : "";
}

// -- propose ----------------------------------------------------------------------------------------

function emptyOverlay() {
  return { overlay: { base: state.key, title: { zh: "提案", en: "Proposal" } } };
}

function proposeFor(id) {
  $("#rule-pick").value = id;
  renderRuleForms();
  showTab("propose");
}

function setEntry(param, value) {
  // One set: entry per parameter; a rule's as {rule, path, value}, a named condition's as {define, path, value}.
  const sets = (state.overlay.set = state.overlay.set || []);
  const entry = param.define ? { define: param.define } : { rule: param.rule };
  if (param.path) entry.path = param.path;
  entry.value = value;
  const same = sets.findIndex((s) => s.rule === entry.rule && s.define === entry.define && s.path === entry.path);
  if (same >= 0) sets[same] = entry;
  else sets.push(entry);
  writeYaml();
}

function currentValue(param) {
  const set = (state.overlay.set || []).find((s) => s.rule === (param.rule ?? undefined) && s.define === (param.define ?? undefined) && s.path === param.path);
  return set ? set.value : param.value;
}

function paramKey(param) {
  return param.define ? `define:${param.define}.${param.path || ""}` : param.path;
}

function factOptions(selected) {
  // Chinese labels alone on the Chinese page; the English page adds the fact's name, which files and tables use.
  return state.facts.map((f) => el("option", { value: f.name, selected: f.name === selected }, state.lang === "zh" ? w(f.label) : `${w(f.label)} (${f.name})`));
}

function valueInput(factName, value) {
  const fact = state.facts.find((f) => f.name === factName);
  if (fact && fact.kind === "bool") {
    return el("select", { "data-role": "value" }, el("option", { value: "true" }, state.lang === "zh" ? "是" : "true"),
      el("option", { value: "false", selected: value === false }, state.lang === "zh" ? "否" : "false"));
  }
  if (fact && fact.values) {
    const multiple = fact.kind === "set";
    const chosen = new Set([].concat(value ?? []));
    return el("select", { "data-role": "value", multiple, size: multiple ? 4 : null },
      fact.values.map((v) => el("option", { value: v.code, selected: chosen.has(v.code) }, w(v.label))));
  }
  return el("input", { "data-role": "value", type: "text", value: value ?? "" });
}

function readValue(row) {
  const fact = state.facts.find((f) => f.name === $("[data-role=fact]", row).value);
  const input = $("[data-role=value]", row);
  if (fact && fact.kind === "bool") return input.value === "true";
  if (fact && fact.kind === "set") return $$("option", input).filter((o) => o.selected).map((o) => o.value);
  if (fact && (fact.kind === "int" || fact.kind === "amount")) return Number(input.value);
  return input.value;
}

function conditionRow(onchange, fact = "decision.exempted", op = "is", value = undefined) {
  const row = el("div", { class: "cond-row" });
  const render = (f, o, v) => {
    const factSel = el("select", { "data-role": "fact" }, factOptions(f));
    const opSel = el("select", { "data-role": "op" },
      Object.keys(I18N.zh.op_names).map((k) => el("option", { value: k, selected: k === o }, t("op_names")[k])));
    factSel.addEventListener("change", () => render(factSel.value, opSel.value, undefined));
    row.replaceChildren(factSel, opSel, valueInput(f, v));
    if (onchange) onchange();
  };
  render(fact, op, value);
  return row;
}

function readCondition(row) {
  const fact = $("[data-role=fact]", row).value;
  const op = $("[data-role=op]", row).value;
  const fspec = state.facts.find((f) => f.name === fact);
  if (fspec && fspec.kind === "bool" && op === "is") return readValue(row) ? fact : { not: fact };
  return { fact, [op]: readValue(row) };
}

function paramForm(param, control, read) {
  const fact = param.fact ? state.facts.find((f) => f.name === param.fact) : null;
  const title = [w(param.label), fact ? `${state.lang === "zh" ? "：" : ": "}${w(fact.label)}` : "",
    param.define ? ` [${param.define}]` : ""].join("");
  return el("form", { class: "param", "data-param": paramKey(param), onsubmit: (e) => { e.preventDefault(); setEntry(param, read(e.target)); } },
    el("div", { class: "param-title" }, title), control, " ", el("button", { type: "submit" }, t("apply")));
}

function checkboxes(options, chosen) {
  const set = new Set([].concat(chosen ?? []));
  return el("div", { class: "checks" }, options.map((o) =>
    el("label", { class: "check" }, el("input", { type: "checkbox", value: o.code, checked: set.has(o.code) }), w(o.label))));
}

const checked = (form) => $$("input[type=checkbox]:checked", form).map((i) => i.value);

function renderRuleForms() {
  const pick = $("#rule-pick");
  const chosen = pick.value || (state.rules["art13.transfer"] ? "art13.transfer" : state.view.rules[0].id);
  pick.replaceChildren(...state.view.rules.map((r) => el("option", { value: r.id, selected: r.id === chosen }, `${r.id} — ${w(r.label)}`)));
  pick.onchange = renderRuleForms;
  const rule = state.rules[pick.value];
  const forms = [el("p", { class: "muted" }, w(rule.condition), " → ", w(rule.effect))];
  for (const param of rule.parameters) {
    const value = currentValue(param);
    const fact = param.fact ? state.facts.find((f) => f.name === param.fact) : null;
    if (param.kind === "months" || param.kind === "deadline") {
      forms.push(paramForm(param, el("input", { type: "number", min: 1, max: 600, value, name: "value" }), (f) => Number(f.elements.value.value)));
    } else if (param.kind === "modality") {
      const select = el("select", { name: "value" }, Object.entries(MODALITIES).map(([k, v]) =>
        el("option", { value: k, selected: k === value }, state.lang === "zh" ? v[0] : v[1])));
      forms.push(paramForm(param, select, (f) => f.elements.value.value));
    } else if (param.kind === "measures") {
      const options = state.view.measures.filter((m) => state.view.ladder.includes(m.code));
      forms.push(paramForm(param, checkboxes(options, value), checked));
    } else if (param.kind === "items" && fact && fact.values) {
      forms.push(paramForm(param, checkboxes(fact.values, value), checked));
    } else if (param.kind === "value" && fact && fact.values) {
      const select = el("select", { name: "value" }, fact.values.map((v) => el("option", { value: v.code, selected: v.code === value }, w(v.label))));
      forms.push(paramForm(param, select, (f) => f.elements.value.value));
    } else if (param.kind === "alternatives") {
      const names = [].concat(value);
      const options = names.map((n) => ({ code: n, label: (state.facts.find((f) => f.name === n) || { label: { zh: n, en: n } }).label }));
      const extra = el("select", { name: "extra" }, el("option", { value: "" }, "—"), factOptions(null).filter((o) => !names.includes(o.value)));
      forms.push(paramForm(param, el("div", {}, checkboxes(options, names), el("label", {}, t("add_item"), " ", extra)),
        (f) => [...checked(f), ...(f.elements.extra.value ? [f.elements.extra.value] : [])]));
    } else if (param.kind !== "restriction") {
      const input = el("input", { type: "text", name: "value", value: JSON.stringify(value), class: "json" });
      forms.push(paramForm(param, input, (f) => JSON.parse(f.elements.value.value)));
    }
  }
  forms.push(el("button", { type: "button", class: "danger", onclick: () => {
    const removes = (state.overlay.remove = state.overlay.remove || []);
    if (!removes.includes(rule.id)) removes.push(rule.id);
    writeYaml();
  } }, t("remove_rule")));
  $("#rule-forms").replaceChildren(...forms);
}

function renderNewRuleForm() {
  const form = $("#new-rule");
  const stage = form.elements.stage.value || "exemption";
  form.elements.stage.replaceChildren(...STAGES.map((s) => el("option", { value: s, selected: s === stage }, s in NEW_EFFECTS ? stageWord(s) : s)));
  form.elements.modality.replaceChildren(...Object.entries(MODALITIES).map(([k, v]) =>
    el("option", { value: k, selected: k === (form.elements.modality.value || "may") }, state.lang === "zh" ? v[0] : v[1])));
  const effects = NEW_EFFECTS[stage] || [];
  form.elements.effect.replaceChildren(...effects.map(([k]) => el("option", { value: k }, t("effects")[k] || k)));
  form.elements.effect.disabled = !effects.length;
  const holder = $("[data-role=new-cond]", form);
  if (!holder.firstChild) holder.append(conditionRow(null, "context.reform_or_pilot"));
  if (!form.elements.label_zh.value) form.elements.label_zh.value = "改革创新中出现失误的，可以免责";
  if (!form.elements.label_en.value) form.elements.label_en.value = "errors in reform and innovation may be exempted";
  if (!form.elements.wording.value) form.elements.wording.value = "在推进改革创新中，因缺乏经验、先行先试出现失误，符合容错条件的，可以免予问责。";
}

function stageWord(stage) {
  const zh = { exemption: "免责", mitigating: "从轻减轻", aggravating: "从重", bar: "不予免责", circumstance: "问责情形" };
  const en = { exemption: "exemption", mitigating: "mitigating", aggravating: "aggravating", bar: "bar", circumstance: "circumstance" };
  return (state.lang === "zh" ? zh : en)[stage];
}

function addNewRule(event) {
  event.preventDefault();
  const form = event.target;
  const stage = form.elements.stage.value;
  const effect = (NEW_EFFECTS[stage] || []).find(([k]) => k === form.elements.effect.value);
  const rule = {
    id: form.elements.id.value.trim(),
    stage,
    modality: form.elements.modality.value,
    label: { zh: form.elements.label_zh.value.trim(), en: form.elements.label_en.value.trim() },
    when: readCondition($("[data-role=new-cond] .cond-row", form)),
  };
  if (effect) rule.then = [effect[1]];
  if (stage === "bar") rule.defeats = ["stage:exemption"];
  rule.citation = { article: form.elements.article.value.trim(), draft: form.elements.wording.value.trim() };
  const adds = (state.overlay.add = (state.overlay.add || []).filter((r) => r.id !== rule.id));
  adds.push(rule);
  if (stage === "exemption") {
    const topics = new Set(state.overlay.drop_silence || []);
    topics.add("exemption");
    state.overlay.drop_silence = [...topics];
  }
  writeYaml();
}

async function writeYaml({ forms = true } = {}) {
  clearTimeout(state.checkTimer);
  state.checkSeq++;  // any check under way is of the text being replaced
  $("#yaml-status").className = "status";
  $("#yaml-status").textContent = t("checking");
  state.overlay.overlay = state.overlay.overlay || {};
  state.overlay.overlay.base = state.key;
  const title = $("#ov-title").value.trim();
  if (title) state.overlay.overlay.title = { zh: title, en: title };
  const { text } = await api("/workbench/api/yaml", { json: { overlay: state.overlay } });
  $("#yaml").value = text;
  if (forms) renderRuleForms();
  await checkYaml();
}

function checkSoon(delay = 400) {
  clearTimeout(state.checkTimer);
  state.checkTimer = setTimeout(() => checkYaml(true), delay);
}

async function checkYaml(fromEditor = false) {
  const seq = ++state.checkSeq;
  const status = $("#yaml-status");
  status.className = "status";
  status.textContent = t("checking");
  let result;
  try {
    result = await api("/workbench/api/overlay", { json: { text: $("#yaml").value, lang: state.lang } });
  } catch (err) {
    result = { ok: false, message: err.message, findings: [] };
  }
  if (seq !== state.checkSeq) return;  // a newer check is on its way
  const schema = result.findings.filter((f) => f.kind === "schema");
  state.yamlOk = result.overlay !== null && schema.length === 0;
  if (state.yamlOk) {
    state.overlay = result.overlay;
    if (fromEditor && state.view) renderRuleForms();  // the forms show the values the hand-edited text sets
  }
  if (!state.yamlOk) {
    status.className = "status error";
    const where = result.line ? t("at", result.line, result.column) : "";
    status.textContent = where + (result.message || (schema[0] && schema[0].message) || "");
  } else if (result.findings.length) {
    status.className = "status warn";
    status.replaceChildren(t("check_findings", result.findings.length),
      el("ul", {}, result.findings.map((f) => el("li", {}, f.text || f.message))));
  } else {
    status.className = "status ok";
    status.textContent = t("check_ok") + (result.drafts && result.drafts.length ? t("drafts", result.drafts) : "");
  }
}

function downloadOverlay() {
  const blob = new Blob([$("#yaml").value], { type: "application/yaml" });
  const a = el("a", { href: URL.createObjectURL(blob), download: `${state.key}-proposal.yaml` });
  document.body.append(a);
  a.click();
  a.remove();
}

// -- measure ----------------------------------------------------------------------------------------

const PRESETS = {
  transfer: { fixes: [["decision.measures", ["transfer"]]] },
  county: { fixes: [["subject.is_leading_cadre", true], ["subject.administrative_level", "county"]] },
  clear: { fixes: [] },
};

state.fixes = [];
state.weights = [];

function renderFixes() {
  if (!state.facts.length) return;
  const fixRows = state.fixes.map(([fact, value], i) => {
    const row = el("div", { class: "cond-row", "data-fix": fact });
    const factSel = el("select", { "data-role": "fact" }, factOptions(fact));
    factSel.addEventListener("change", () => { state.fixes[i] = [factSel.value, undefined]; renderFixes(); });
    const input = valueInput(fact, value);
    input.addEventListener("change", () => { state.fixes[i] = [fact, readValue(row)]; });
    row.append(factSel, input, el("button", { type: "button", class: "small", onclick: () => { state.fixes.splice(i, 1); renderFixes(); } }, t("remove_item")));
    return row;
  });
  $("#fixes").replaceChildren(...fixRows);
  const weightRows = state.weights.map(([fact, value, weight], i) => {
    const row = el("div", { class: "cond-row", "data-weight": fact });
    const factSel = el("select", { "data-role": "fact" }, factOptions(fact));
    factSel.addEventListener("change", () => { state.weights[i] = [factSel.value, undefined, weight]; renderFixes(); });
    const input = valueInput(fact, value);
    const weightInput = el("input", { type: "number", min: 0, max: 1, step: 0.05, value: weight, title: t("weight") });
    const sync = () => { state.weights[i] = [fact, readValue(row), Number(weightInput.value)]; };
    input.addEventListener("change", sync);
    weightInput.addEventListener("change", sync);
    row.append(factSel, input, el("label", {}, t("weight"), " ", weightInput),
      el("button", { type: "button", class: "small", onclick: () => { state.weights.splice(i, 1); renderFixes(); } }, t("remove_item")));
    return row;
  });
  $("#weights").replaceChildren(...weightRows);
}

function syncFixes() {
  $$("#fixes .cond-row").forEach((row, i) => { state.fixes[i] = [state.fixes[i][0], readValue(row)]; });
  $$("#weights .cond-row").forEach((row, i) => {
    state.weights[i] = [state.weights[i][0], readValue(row), Number($("input[type=number]", row).value)];
  });
}

function population() {
  syncFixes();
  const generate = { n: Number($("#gen-n").value), seed: Number($("#gen-seed").value), known: Number($("#gen-known").value) };
  if (state.fixes.length) generate.fix = Object.fromEntries(state.fixes);
  if (state.weights.length) {
    generate.weight = {};
    for (const [fact, value, weight] of state.weights) {
      generate.weight[fact] = { value, p: weight };
    }
  }
  return generate;
}

async function readFiles() {
  const files = Array.from($("#upload").files);
  return Promise.all(files.map((file) => new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve({ name: file.name, data: reader.result.split(",", 2)[1] || "" });
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  })));
}

async function run() {
  const status = $("#run-status");
  const progress = $("#progress");
  status.className = "status";
  await checkYaml();
  if (!state.yamlOk) {
    status.className = "status error";
    status.textContent = t("no_overlay");
    return;
  }
  const overlayText = $("#yaml").value;
  let job;
  try {
    if ($("input[name=mode]:checked").value === "upload") {
      const files = await readFiles();
      if (!files.length) {
        status.textContent = t("no_files");
        return;
      }
      job = await api("/workbench/api/diff", { json: { base: state.key, overlays: [overlayText], files, examples: 3 } });
    } else {
      job = await api("/diff", { json: { base: state.key, changed: { key: state.key, overlays: [overlayText] }, generate: population(), examples: 3 } });
    }
  } catch (err) {
    status.className = "status error";
    status.textContent = t("failed") + problemText(err);
    return;
  }
  progress.hidden = false;
  progress.value = 0;
  status.textContent = t("queued");
  for (;;) {
    job = await api(`/jobs/${job.id}`);
    progress.value = job.total ? job.done / job.total : 0;
    if (job.status === "running") status.textContent = t("running", job.done, job.total);
    if (job.status === "done" || job.status === "failed") break;
    await new Promise((r) => setTimeout(r, 250));
  }
  progress.hidden = true;
  if (job.status === "failed") {
    status.className = "status error";
    status.textContent = t("failed") + job.error.detail;
    return;
  }
  status.className = "status ok";
  status.textContent = t("done");
  state.job = job;
  await loadReport();
  showTab("see");
}

function problemText(err) {
  const body = err.body;
  if (body && body.errors && body.errors.length) return body.errors.map((e) => `${e.path}: ${e.message}`).join("; ");
  return err.message;
}

// -- see --------------------------------------------------------------------------------------------

async function loadReport() {
  state.report = await api(`/workbench/api/jobs/${state.job.id}/view?lang=${state.lang}`);
  state.reportLang = state.lang;
  renderSee();
}

function dirWord(name) {
  const words = state.report && state.report.direction_words;
  return words && words[name] ? w(words[name]) : name;
}

function barChart(rows) {
  // The labels' column as wide as the longest label (a Chinese character about twice a Latin letter).
  const textWidth = (str) => [...str].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 13 : 7), 0);
  const left = Math.min(340, Math.max(...rows.map((r) => textWidth(dirWord(r.name)))) + 16);
  const width = left + 360, bar = 24, gap = 8;
  const max = Math.max(1, ...rows.map((r) => r.cases));
  const height = rows.length * (bar + gap) + gap;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", width);
  svg.setAttribute("role", "img");
  svg.setAttribute("class", "chart directions");
  rows.forEach((r, i) => {
    const y = gap + i * (bar + gap);
    const g = document.createElementNS(ns, "g");
    g.setAttribute("data-direction", r.name);
    g.setAttribute("data-count", r.cases);
    const label = document.createElementNS(ns, "text");
    label.setAttribute("x", left - 8);
    label.setAttribute("y", y + bar * 0.7);
    label.setAttribute("text-anchor", "end");
    label.textContent = dirWord(r.name);
    const rect = document.createElementNS(ns, "rect");
    rect.setAttribute("x", left);
    rect.setAttribute("y", y);
    rect.setAttribute("height", bar);
    rect.setAttribute("width", Math.max(r.cases ? 2 : 0, ((width - left - 60) * r.cases) / max));
    rect.setAttribute("class", `bar dir-${r.name}`);
    const count = document.createElementNS(ns, "text");
    count.setAttribute("x", left + Math.max(r.cases ? 2 : 0, ((width - left - 60) * r.cases) / max) + 6);
    count.setAttribute("y", y + bar * 0.7);
    count.setAttribute("class", "count");
    count.textContent = r.cases;
    g.append(label, rect, count);
    svg.append(g);
  });
  return svg;
}

function matrixChart(report) {
  // One before → after matrix per dimension of the report's transitions (band, exemption, freezes)
  // that has a case moving off the diagonal.
  const out = [];
  for (const dimension of ["band", "exemption", "freeze"]) {
    const rows = (report.transitions || []).filter((r) => r.dimension === dimension && r.cases > 0);
    if (!rows.some((r) => r.base !== r.changed)) continue;
    out.push(el("div", { class: "matrix-block", "data-dimension": dimension }, el("h5", {}, t("dimensions")[dimension]), matrixSvg(rows)));
  }
  return out.length ? el("div", {}, out) : el("p", { class: "muted" }, t("no_matrix"));
}

function wrapText(svg, x, y, s, anchor, width, cls) {
  // SVG text does not wrap: break a long label into lines of about `width` characters.
  const ns = "http://www.w3.org/2000/svg";
  const n = document.createElementNS(ns, "text");
  n.setAttribute("x", x); n.setAttribute("y", y); n.setAttribute("text-anchor", anchor);
  if (cls) n.setAttribute("class", cls);
  const chunks = [];
  for (const part of s.split(/(?<=[：:；;])\s*/)) {  // a break after a colon or semicolon first, then by length
    if (/[\u2e80-\u9fff]/.test(part)) {
      for (let i = 0; i < part.length; i += width) chunks.push(part.slice(i, i + width));
      continue;
    }
    let line = "";  // Latin text breaks between words
    for (const word of part.split(" ")) {
      if (line && line.length + word.length + 1 > width) {
        chunks.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) chunks.push(line);
  }
  chunks.forEach((c, i) => {
    const span = document.createElementNS(ns, "tspan");
    span.setAttribute("x", x);
    span.setAttribute("dy", i ? "1.2em" : `${-(chunks.length - 1) * 0.6}em`);
    span.textContent = c;
    n.append(span);
  });
  svg.append(n);
}

function matrixSvg(rows) {
  const ns = "http://www.w3.org/2000/svg";
  const words = (r, side) => (r.words ? w(r.words[side]) : r[side]);
  const befores = [...new Set(rows.map((r) => words(r, "base")))];
  const afters = [...new Set(rows.map((r) => words(r, "changed")))];
  const cell = 150, left = 230, top = 80;
  const width = left + afters.length * cell + 10, height = top + befores.length * 56 + 10;
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", width);
  svg.setAttribute("class", "chart matrix");
  const max = Math.max(...rows.map((r) => r.cases));
  wrapText(svg, left - 8, 22, `${t("before")} ↓   ${t("after")} →`, "end", 40, "axis");
  afters.forEach((a, j) => wrapText(svg, left + j * cell + cell / 2, top - 24, a, "middle", state.lang === "zh" ? 11 : 22, "head"));
  befores.forEach((b, i) => wrapText(svg, left - 8, top + i * 56 + 28, b, "end", state.lang === "zh" ? 16 : 32, "head"));
  for (const r of rows) {
    const i = befores.indexOf(words(r, "base")), j = afters.indexOf(words(r, "changed"));
    const g = document.createElementNS(ns, "g");
    g.setAttribute("data-before", r.base);
    g.setAttribute("data-after", r.changed);
    g.setAttribute("data-count", r.cases);
    const rect = document.createElementNS(ns, "rect");
    rect.setAttribute("x", left + j * cell + 2); rect.setAttribute("y", top + i * 56 + 2);
    rect.setAttribute("width", cell - 4); rect.setAttribute("height", 52);
    rect.setAttribute("class", r.base === r.changed ? "cell same" : "cell");
    rect.setAttribute("fill-opacity", (0.2 + (0.8 * r.cases) / max).toFixed(2));
    const n = document.createElementNS(ns, "text");
    n.setAttribute("x", left + j * cell + cell / 2); n.setAttribute("y", top + i * 56 + 34);
    n.setAttribute("text-anchor", "middle"); n.setAttribute("class", "cell-count");
    n.textContent = r.cases;
    g.append(rect, n);
    svg.append(g);
  }
  return svg;
}

function label(value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "object") return value[state.lang] ?? value.zh ?? JSON.stringify(value);
  return String(value);
}

function renderSee() {
  const r = state.report;
  if (state.reportLang !== state.lang && state.job) {
    loadReport();
    return;
  }
  $("#see-empty").hidden = true;
  $("#see-body").hidden = false;
  $("#summary").textContent = t("summary", r);
  $("#chart-directions").replaceChildren(barChart(r.directions));
  $("#chart-matrix").replaceChildren(matrixChart(r));
  const head = el("tr", {}, el("th", {}, t("rule")), el("th", {}, t("citation")), el("th", {}, t("cases")), el("th", {}, t("directions")));
  const rows = r.rules.map((x) => el("tr", { "data-rule": x.rule_id },
    el("td", {}, el("code", {}, x.rule_id), " ", label(x.label)),
    el("td", { class: x.citation && x.citation.draft ? "draft" : null, title: x.citation && x.citation.draft ? t("draft_title") : null },
      x.where || "", x.citation && x.citation.quote ? el("div", { class: "quote" }, x.citation.quote) : null),
    el("td", { class: "num" }, x.cases),
    el("td", {}, x.directions.filter((d) => d.cases).map((d) => `${dirWord(d.name)} ${d.cases}`).join("，"))));
  $("#rules-table").replaceChildren(el("thead", {}, head), el("tbody", {}, rows));
  $("#examples").replaceChildren(...r.examples.map((ex, i) => el("section", { class: "example", "data-direction": ex.direction },
    el("h4", {}, `${t("case_label", i)} · ${dirWord(ex.direction)}`),
    el("div", { class: "side-by-side" },
      el("div", {}, el("h5", {}, t("before")), lines(ex.base)),
      el("div", {}, el("h5", {}, t("after")), lines(ex.changed))))));
  $("#download-report").href = `/workbench/api/jobs/${state.job.id}/report.html?lang=${state.lang}`;
}

const CONTEXT = 2;

function lines(list) {
  // The lines that differ, each with a little context; the whole determination folds out below.
  const keep = new Set();
  list.forEach((l, i) => {
    if (l.differs && !l.trace) for (let k = i - CONTEXT; k <= i + CONTEXT; k++) if (!(list[k] || {}).trace) keep.add(k);
  });
  const shown = [];
  let gap = false;
  list.forEach((l, i) => {
    if (!keep.has(i)) {
      gap = true;
      return;
    }
    if (gap && shown.length) shown.push(el("span", { class: "line gap" }, "⋯"));
    gap = false;
    shown.push(el("span", { class: l.differs ? "line differs" : "line" }, l.text || " "));
  });
  return el("div", {},
    el("pre", { class: "determination excerpt" }, shown),
    el("details", {}, el("summary", {}, t("full_text")),
      el("pre", { class: "determination" }, list.map((l) => el("span", { class: l.differs ? "line differs" : "line" }, l.text || " ")))));
}

// -- tabs and start ---------------------------------------------------------------------------------

function showTab(name) {
  for (const b of $$("#tabs button")) b.classList.toggle("active", b.dataset.tab === name);
  for (const s of $$("main > section.tab")) s.classList.toggle("active", s.id === name);
}

function start() {
  for (const b of $$("#tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));
  $("#lang").addEventListener("click", () => {
    state.lang = state.lang === "zh" ? "en" : "zh";
    localStorage.setItem("guanzhi-lang", state.lang);
    applyLang();
  });
  $("#search").addEventListener("input", () => renderRead());
  $("#yaml").addEventListener("input", () => {
    state.checkSeq++;  // what is on screen no longer describes the text
    $("#yaml-status").className = "status";
    $("#yaml-status").textContent = t("checking");
    checkSoon();
  });
  $("#ov-title").addEventListener("change", () => writeYaml({ forms: false }));
  $("#download-overlay").addEventListener("click", downloadOverlay);
  $("#download-overlay-2").addEventListener("click", downloadOverlay);
  $("#reset-overlay").addEventListener("click", () => { state.overlay = emptyOverlay(); writeYaml(); });
  $("#new-rule").addEventListener("submit", addNewRule);
  $("#new-rule").elements.stage.addEventListener("change", renderNewRuleForm);
  for (const radio of $$("input[name=mode]")) {
    radio.addEventListener("change", () => {
      const mode = $("input[name=mode]:checked").value;
      $("#generate-form").hidden = mode !== "generate";
      $("#upload-form").hidden = mode !== "upload";
    });
  }
  for (const b of $$("[data-preset]")) {
    b.addEventListener("click", () => { state.fixes = PRESETS[b.dataset.preset].fixes.map((f) => [...f]); renderFixes(); });
  }
  $("#add-fix").addEventListener("click", () => { syncFixes(); state.fixes.push(["subject.is_leading_cadre", true]); renderFixes(); });
  $("#add-weight").addEventListener("click", () => { syncFixes(); state.weights.push(["conduct.gravity", "serious", 0.5]); renderFixes(); });
  $("#run").addEventListener("click", run);
  applyLang();
  loadRulesets().then(() => { renderFixes(); document.body.dataset.ready = "true"; });
}

start();
