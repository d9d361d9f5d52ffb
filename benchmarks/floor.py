"""The floor for batch pre-checks: plain Python, the five regions' rules as if/else.

Reads JSONL of {"region": ..., "answers": {...}}, writes one JSON result a
line: the outcome, its route and kinds (form, level, tlv, domain, group offer),
the hours a week and the facts still missing. No validation, no translations,
no why, no warnings (they are texts): the least work possible. It reads
complete cases with answers in their JSON types, as ``run.py`` writes them.

Each region's decision is written by hand from its dialog (``dialogs/*.toml``),
following the dialog's branches: a fact the path does not ask counts as
unanswered (``None``: falsy, never ``is False``, compared with nothing), as in
the dialog's conditions. ``tests/check/test_floor.py`` holds it equal to
``intake check`` on many cases of every region, so it cannot quietly do less.
"""

import json
import sys

ROUTE = {  # each outcome: its route and kinds, as the dialogs give them
    "liemers": {
        "basis": {"route": "basis"},
        "not_yet": {"route": "not_yet"},
        "not_yet_hours": {"route": "not_yet"},
        "arrangement": {"route": "arrangement", "form": "individual"},
    },
    "breda": {
        "basis": {"route": "basis"},
        "group_arrangement": {"route": "arrangement", "form": "group"},
        "individual_arrangement": {"route": "arrangement", "form": "individual"},
        "tlv_so": {"route": "tlv", "tlv": "so"},
        "not_yet_individual": {"route": "not_yet", "form": "individual"},
        "not_yet_tlv": {"route": "not_yet"},
    },
    "meierij": {
        "basis": {"route": "basis"},
        "not_yet": {"route": "not_yet"},
        "outside_too_young": {"route": "not_yet"},
        "outside_too_old": {"route": "not_yet"},
        "tlv_so": {"route": "tlv", "tlv": "so"},
        "individual": {"route": "arrangement", "form": "individual"},
        "cluster": {"route": "arrangement", "form": "cluster"},
        **{f"group_{offer}_{length}": {"route": "arrangement", "form": "group", "group_offer": offer}
           for offer in ("top", "jonge_kind") for length in ("short", "medium", "long")},
        **{f"group_{offer}": {"route": "arrangement", "form": "group", "group_offer": offer}
           for offer in ("doen", "impuls", "doe_en_leer")},
    },
    "utrecht": {
        "basis": {"route": "basis"},
        "individual": {"route": "arrangement", "form": "individual"},
        "individual_each": {"route": "arrangement", "form": "individual"},
        "not_yet": {"route": "not_yet"},
        "cluster": {"route": "arrangement", "form": "cluster"},
    },
    "berseba": {
        "tlv_sbo": {"route": "tlv", "tlv": "sbo"},
        "tlv_sbo_young": {"route": "tlv", "tlv": "sbo_young"},
        "tlv_observation_centre": {"route": "tlv", "tlv": "observation_centre"},
        "tlv_so_behaviour": {"route": "tlv", "tlv": "so_behaviour"},
        "tlv_so_zml": {"route": "tlv", "tlv": "so_zml"},
        "tlv_so_lzk": {"route": "tlv", "tlv": "so_lzk"},
        "tlv_so_lg": {"route": "tlv", "tlv": "so_lg"},
        "tlv_so_mg": {"route": "tlv", "tlv": "so_mg"},
        **{name: {"route": "not_yet"} for name in (
            "not_yet_sbo", "not_yet_observation", "not_yet_tlv_behaviour", "not_yet_zml", "not_yet_lzk",
            "not_yet_lg", "not_yet_mg", "not_yet_observation_region")},
        "not_yet_jrk_scope": {"route": "not_yet", "domain": "young_risk"},
        **{f"arr_{domain}_{level}": {"route": "arrangement", "level": level, "domain": domain}
           for domain in ("behaviour", "learning", "medical", "physical")
           for level in ("light", "medium", "intensive")},
        **{f"arr_{domain}_{level}": {"route": "arrangement", "level": level, "domain": domain}
           for domain in ("cognitive", "gifted", "young_risk") for level in ("medium", "intensive")},
        "arrangement_multiple": {"route": "arrangement", "domain": "multiple"},
        **{f"not_yet_arr_{domain}": {"route": "not_yet", "domain": domain}
           for domain in ("behaviour", "learning", "medical", "physical", "cognitive", "gifted", "young_risk")},
    },
}
for _region, _outcomes in ROUTE.items():
    for _name, _kinds in _outcomes.items():
        _kinds["outcome"] = _name


# -- liemers ---------------------------------------------------------------------------------------
def liemers(a):
    out = ROUTE["liemers"]
    if not a["needs_exceed_basic"]:
        return out["basis"]
    ab = a["ab_involved"]
    ab_supports = a["ab_supports_request"] if ab else None
    opp = a["opp_present"]
    signed = a["opp_signed_by_parents"] if opp else None
    parents = a["parents_support_request"]
    hgw = a["hgw_months"]
    share = a["school_share_pct"]
    justified = a["school_share_justified"] if 0 < share < 50 else None
    zware = a["zware_middelen_used"]
    if ab and ab_supports and opp and signed and parents and hgw >= 6 and (share >= 50 or justified) and zware:
        hours = a["hours_requested_per_week"]
        if hours > 0:
            return {**out["arrangement"], "hours_per_week": min(hours, 3)}
        return {**out["not_yet_hours"], "missing": ["hours_requested_per_week"]}
    missing = []
    if not ab:
        missing.append("ab_involved")
    if not ab_supports:
        missing.append("ab_supports_request")
    if not opp:
        missing.append("opp_present")
    if not signed:
        missing.append("opp_signed_by_parents")
    if not parents:
        missing.append("parents_support_request")
    if hgw < 6:
        missing.append("hgw_months")
    if share == 0:
        missing.append("school_share_pct")
    elif share < 50 and not justified:
        missing.append("school_share_pct")
        missing.append("school_share_justified")
    if not zware:
        missing.append("zware_middelen_used")
    return {**out["not_yet"], "missing": missing}


# -- breda -----------------------------------------------------------------------------------------
def breda(a):
    out = ROUTE["breda"]
    if not a["needs_exceed_light"] or not a["so_indicated"]:
        return out["basis"]
    available = a["group_arrangement_available"]
    feasible = a["group_arrangement_feasible"] if available else None
    argued = None
    if not feasible:
        argued = a["group_exclusion_argued"]
        if not a["regular_school_feasible"]:
            if argued:
                return out["tlv_so"]
            return {**out["not_yet_tlv"], "missing": ["group_exclusion_argued"]}
    opp = a["opp_present"]
    if feasible:
        return out["group_arrangement"]
    complete = a["opp_complete"] if opp else None
    signed = a["opp_signed_by_parents"] if opp else None
    parents = a["parents_involved"]
    expert = a["external_expert_consulted"]
    hgw = a["hgw_months"]
    if argued and opp and complete and signed and parents and expert and hgw >= 1:
        return out["individual_arrangement"]
    missing = [fact for fact, ok in (
        ("group_exclusion_argued", argued), ("opp_present", opp), ("opp_complete", complete),
        ("opp_signed_by_parents", signed), ("parents_involved", parents),
        ("external_expert_consulted", expert), ("hgw_months", hgw >= 1)) if not ok]
    return {**out["not_yet_individual"], "missing": missing}


# -- meierij ---------------------------------------------------------------------------------------
def meierij(a):
    out = ROUTE["meierij"]
    if not a["needs_exceed_basic"]:
        return out["basis"]
    age = a["age_years"]
    if age < 2:
        return {**out["outside_too_young"], "missing": ["age_years"]}
    if age > 14:
        return {**out["outside_too_old"], "missing": ["age_years"]}
    parents = a["parents_involved"]
    opp = a["opp_present"]
    with_parents = a["opp_with_parents"] if opp else None
    if not (parents and opp and with_parents):
        missing = [fact for fact, ok in (("parents_involved", parents), ("opp_present", opp),
                                         ("opp_with_parents", with_parents)) if not ok]
        return {**out["not_yet"], "missing": missing}
    if a["so_better_fit"]:
        return out["tlv_so"]
    offer = a["group_offer"]
    if a["comparable_pupils"]:
        return out["cluster"]
    if offer == "top" or offer == "jonge_kind":
        length = a.get("replacement_length") or "medium"
        return out[f"group_{offer}_{length}"]
    if offer == "none":
        return out["individual"]
    return out[f"group_{offer}"]


# -- utrecht ---------------------------------------------------------------------------------------
def utrecht(a):
    out = ROUTE["utrecht"]
    pupils = a["pupils_count"]
    if not a["needs_exceed_basic"]:
        return out["basis"]
    if pupils < 2:
        return out["individual"]
    if not a["comparable_needs"]:
        return out["individual_each"]
    group = (a.get("cluster_type") or "pupils") == "group_approach"
    prior = a["prior_intervention_done"]
    parents = informed = None
    if not group:
        parents = a["parents_involved"]
        informed = a["parents_informed"]
    anonymised = a["request_anonymised"]
    if prior and (group or (parents and informed)) and anonymised:
        return {**out["cluster"], "hours_per_week": a["hours_outside_class_per_week"] + (a.get("other_direct_hours_per_week") or 0)}
    missing = [fact for fact, ok in (("prior_intervention_done", prior), ("parents_involved", parents or group),
                                     ("parents_informed", informed or group), ("request_anonymised", anonymised)) if not ok]
    return {**out["not_yet"], "missing": missing}


# -- berseba ---------------------------------------------------------------------------------------
def _not_yet(outcome, checks):
    return {**ROUTE["berseba"][outcome], "missing": [fact for fact, ok in checks if not ok]}


def berseba(a):
    out = ROUTE["berseba"]
    tlv = a["request"] == "tlv"
    domain = a["domain"]
    if domain == "multiple" and not tlv:
        return out["arrangement_multiple"]
    if domain == "gifted":
        return _gifted(a)
    if not tlv:
        if domain == "young_risk":
            return _young_risk(a)
        if domain == "cognitive":
            return _cognitive_arrangement(a)
        if domain == "medical" or domain == "physical":
            return _medical_arrangement(a, domain)
        return _arrangement(a, domain)  # learning, behaviour
    age = a["age_years"]
    if domain == "young_risk":
        if not a["zeeland"]:
            return _not_yet("not_yet_observation_region", (("zeeland", False),))
        return _observation(a)
    if domain == "learning":
        if age < 7:
            zeeland = a["zeeland"]
            if zeeland:
                return _observation(a)
            return _sbo(a, age, a["school_experience"])
        return _sbo(a, age, None)
    if domain == "behaviour":
        return _tlv_behaviour(a)
    school = a["school_experience"]
    if domain == "medical":
        return _lzk(a, school)
    if domain == "cognitive":
        return _zml(a, age, school)
    return _lg_mg(a, domain, school)  # physical, multiple


def _gifted(a):
    iq = a["iq"]
    areas = a["areas_affected"]
    diagnosis = a["diagnosis"]
    ggz = a["psychiatric_ggz"]
    staff = a["extra_staff"]
    hgw = a["hgw_months"]
    opp = a["opp_present"]
    if opp and iq > 130 and areas != "one" and diagnosis and ggz and staff == "daily" and hgw >= 12:
        return ROUTE["berseba"]["arr_gifted_intensive"]
    if opp and iq > 130 and hgw >= 6 and staff != "none":
        return ROUTE["berseba"]["arr_gifted_medium"]
    return _not_yet("not_yet_arr_gifted", (("opp_present", opp), ("iq", iq > 130), ("hgw_months", hgw >= 6),
                                           ("extra_staff", staff != "none")))


def _arrangement(a, domain):
    """Learning or behaviour, an arrangement."""
    dsm = a["dsm_or_youth_care"]
    areas = a["areas_affected"]
    diagnosis = a["diagnosis"]
    ggz = a["psychiatric_ggz"]
    staff = a["extra_staff"]
    if a["opp_present"]:
        if (diagnosis or dsm) and ggz and staff == "daily":
            return ROUTE["berseba"][f"arr_{domain}_intensive"]
        if areas != "one" and staff != "none":
            return ROUTE["berseba"][f"arr_{domain}_medium"]
        return ROUTE["berseba"][f"arr_{domain}_light"]
    return _not_yet(f"not_yet_arr_{domain}", (("opp_present", False),))


def _medical_arrangement(a, domain):
    areas = a["areas_affected"]
    diagnosis = a["diagnosis"]
    absence = None
    if not diagnosis and areas != "one":
        absence = a.get("illness_absence") or "none"
    if a["opp_present"]:
        if areas == "all" and (diagnosis or absence == "structural"):
            return ROUTE["berseba"][f"arr_{domain}_intensive"]
        if areas != "one" and (diagnosis or absence == "regular" or absence == "structural"):
            return ROUTE["berseba"][f"arr_{domain}_medium"]
        return ROUTE["berseba"][f"arr_{domain}_light"]
    return _not_yet(f"not_yet_arr_{domain}", (("opp_present", False),))


def _cognitive_arrangement(a):
    iq = a["iq"]
    down = social = adl = diagnosis = delay = None
    if iq >= 60:
        down = a["down_syndrome"]
        if not down and iq <= 70:
            social = a["social_selfreliance_very_low"]
            if not social:
                adl = a["adl_selfreliance_very_low"]
    areas = a["areas_affected"]
    if 60 <= iq <= 70 and not down and not social and not adl:
        diagnosis = a["diagnosis"]
        if not diagnosis:
            delay = a.get("didactic_delay_year") or False
    opp = a["opp_present"]
    band = iq < 60 or down or (60 <= iq <= 70 and (social or adl or diagnosis or delay))
    if opp and band:
        return ROUTE["berseba"]["arr_cognitive_intensive" if areas == "all" else "arr_cognitive_medium"]
    checks = [("opp_present", opp)]
    if not band:
        checks += [(fact, False) for fact in ("iq", "down_syndrome", "social_selfreliance_very_low",
                                              "adl_selfreliance_very_low", "diagnosis", "didactic_delay_year")]
    return _not_yet("not_yet_arr_cognitive", checks)


def _young_risk(a):
    age = a["age_years"]
    zeeland = a["zeeland"]
    if not zeeland or age < 4 or age > 6:
        return _not_yet("not_yet_jrk_scope", (("zeeland", zeeland), ("age_years", 4 <= age <= 6)))
    school = a["school_experience"]
    iq = a["iq"]
    margin = (a.get("iq_margin_in_band") or False) if iq < 60 or iq > 80 else None
    areas = a["areas_affected"]
    staff = a["extra_staff"]
    consent = a["parents_written_consent"]
    weeks = sessions = evaluated = internal = None
    if school:
        weeks = a["extra_help_weeks"]
        sessions = a["help_sessions_per_week"]
    team = a["support_team_hgw"]
    if school:
        evaluated = a["interventions_evaluated"]
    described = a["support_needs_described"]
    at_a_loss = a["school_handelingsverlegen"]
    parents = a["parents_involved"]
    small = a["needs_small_setting"]
    delay = a["delay_several_areas"]
    assistant = a["qualified_assistant"]
    teacher = a["teacher_skills_sufficient"]
    if school:
        internal = a["internal_steps_done"]
    ortho = a["orthopedagoog_involved"]
    neglect = a["neglect_delay"]
    severe = a["severe_developmental_disorder"]
    in_band = 60 <= iq <= 80 or margin
    staffed = staff != "none"
    cause = in_band or neglect or severe
    if (consent and (not school or (weeks >= 13 and sessions >= 2 and evaluated)) and team and described and at_a_loss
            and parents and small and delay and assistant and teacher and (not school or internal) and ortho and cause
            and staffed):
        return ROUTE["berseba"]["arr_young_risk_intensive"]
    if (in_band or at_a_loss) and areas != "one" and staffed:
        return ROUTE["berseba"]["arr_young_risk_medium"]
    return _not_yet("not_yet_arr_young_risk", (
        ("iq", in_band or at_a_loss), ("iq_margin_in_band", in_band or at_a_loss),
        ("school_handelingsverlegen", in_band or at_a_loss), ("areas_affected", areas != "one"),
        ("extra_staff", staffed), ("parents_written_consent", consent),
        ("extra_help_weeks", not school or weeks >= 13), ("help_sessions_per_week", not school or sessions >= 2),
        ("interventions_evaluated", not school or evaluated), ("support_team_hgw", team),
        ("support_needs_described", described), ("school_handelingsverlegen", at_a_loss),
        ("parents_involved", parents), ("needs_small_setting", small), ("delay_several_areas", delay),
        ("qualified_assistant", assistant), ("teacher_skills_sufficient", teacher),
        ("internal_steps_done", not school or internal), ("orthopedagoog_involved", ortho),
        ("iq", cause), ("iq_margin_in_band", cause), ("neglect_delay", cause),
        ("severe_developmental_disorder", cause),
    ))


def _prior_steps(a, school):
    """The steps before a TLV (tlv_prior_steps): the facts they ask, unasked ones None."""
    team = expert = evaluated = at_a_loss = parents = placement = unable = None
    if school is False:
        placement = a["placement_checked"]
        described = a["support_needs_described"]
        unable = a["school_unable_argued"]
    else:
        team = a["support_team_hgw"]
        expert = a["external_expert_consulted"]
        evaluated = a["interventions_evaluated"]
        described = a["support_needs_described"]
        at_a_loss = a["school_handelingsverlegen"]
        parents = a["parents_involved"]
    return team, expert, evaluated, described, at_a_loss, parents, placement, unable


def _prior_checks(school, steps):
    team, expert, evaluated, described, at_a_loss, parents, placement, unable = steps
    without = school is False
    return [("support_team_hgw", without or team), ("external_expert_consulted", without or expert),
            ("interventions_evaluated", without or evaluated), ("support_needs_described", described),
            ("school_handelingsverlegen", without or at_a_loss), ("parents_involved", without or parents),
            ("placement_checked", not without or placement), ("school_unable_argued", not without or unable)]


def _observation(a):
    """A TLV for an observation centre (Zeeland): young children at risk, or a young learner."""
    school = a["school_experience"]
    team = expert = insufficient = placement = preschool = unable = at_a_loss = None
    if school:
        team = a["support_team_hgw"]
        expert = a["external_expert_consulted"]
        insufficient = a["jrk_arrangement_insufficient"]
    else:
        placement = a["placement_checked"]
        preschool = a["preschool_trajectory_done"]
    day = a["day_treatment_not_better"]
    zml = a["zml_not_better"]
    described = a["support_needs_described"]
    if school:
        at_a_loss = a["school_handelingsverlegen"]
    else:
        unable = a["school_unable_argued"]
    parents = a["parents_involved"]
    if school and team and expert and insufficient and day and zml and described and at_a_loss and parents:
        return ROUTE["berseba"]["tlv_observation_centre"]
    if not school and placement and preschool and unable and day and zml and described and parents:
        return ROUTE["berseba"]["tlv_observation_centre"]
    return _not_yet("not_yet_observation", (
        ("support_team_hgw", not school or team), ("external_expert_consulted", not school or expert),
        ("jrk_arrangement_insufficient", not school or insufficient), ("placement_checked", school or placement),
        ("preschool_trajectory_done", school or preschool), ("school_unable_argued", school or unable),
        ("day_treatment_not_better", day), ("zml_not_better", zml), ("support_needs_described", described),
        ("school_handelingsverlegen", not school or at_a_loss), ("parents_involved", parents)))


def _sbo(a, age, school):
    """A TLV for SBO (learning), outside the observation route; ``school`` None: not asked (age 7 or over)."""
    iq = proof = None
    if school is not False:
        iq = a["iq"]
        if iq < 55 and age < 8:
            proof = a["young_extra_proof"]
    steps = _prior_steps(a, school)
    team, expert, evaluated, described, at_a_loss, parents, placement, unable = steps
    done = team and expert and evaluated and described and at_a_loss and parents
    if iq is not None and iq < 55 and done and (age >= 8 or proof):
        return ROUTE["berseba"]["tlv_so_zml"]
    if school and done and iq >= 55:
        return ROUTE["berseba"]["tlv_sbo_young"]
    if school is False and placement and described and unable:
        return ROUTE["berseba"]["tlv_sbo_young"]
    if done and iq >= 55:
        return ROUTE["berseba"]["tlv_sbo"]
    return _not_yet("not_yet_sbo", [*_prior_checks(school, steps), ("iq", school is False or (iq is not None and iq >= 55))])


def _tlv_behaviour(a):
    dsm = a["dsm_or_youth_care"]
    milieus = a["milieus"]
    team = a["support_team_hgw"]
    expert = a["external_expert_consulted"]
    evaluated = a["interventions_evaluated"]
    described = a["support_needs_described"]
    at_a_loss = a["school_handelingsverlegen"]
    parents = a["parents_involved"]
    settings = len(milieus) >= 2 and "school" in milieus
    if team and expert and evaluated and described and at_a_loss and parents and dsm and settings:
        return ROUTE["berseba"]["tlv_so_behaviour"]
    return _not_yet("not_yet_tlv_behaviour", (
        ("support_team_hgw", team), ("external_expert_consulted", expert), ("interventions_evaluated", evaluated),
        ("support_needs_described", described), ("school_handelingsverlegen", at_a_loss),
        ("parents_involved", parents), ("dsm_or_youth_care", dsm), ("milieus", settings)))


def _zml(a, age, school):
    iq = a["iq"]
    down = social = proof = None
    if iq >= 55:
        down = a["down_syndrome"]
        if not down and iq <= 70:
            social = a["social_selfreliance_very_low"]
    if age < 8:
        proof = a["young_extra_proof"]
    steps = _prior_steps(a, school)
    team, expert, evaluated, described, at_a_loss, parents, placement, unable = steps
    band = iq < 55 or down or (55 <= iq <= 70 and social)
    young = age >= 8 or proof
    if band and young:
        if school and team and expert and evaluated and described and at_a_loss and parents:
            return ROUTE["berseba"]["tlv_so_zml"]
        if school is False and placement and described and unable:
            return ROUTE["berseba"]["tlv_so_zml"]
    return _not_yet("not_yet_zml", [*_prior_checks(school, steps), ("iq", band), ("down_syndrome", band),
                                    ("social_selfreliance_very_low", band), ("young_extra_proof", young)])


def _lzk(a, school):
    condition = a["medical_condition"]
    absence = a["absence_or_delay"]
    steps = _prior_steps(a, school)
    team, expert, evaluated, described, at_a_loss, parents, placement, unable = steps
    if condition and absence:
        if school and team and expert and evaluated and described and at_a_loss and parents:
            return ROUTE["berseba"]["tlv_so_lzk"]
        if school is False and placement and described and unable:
            return ROUTE["berseba"]["tlv_so_lzk"]
    return _not_yet("not_yet_lzk", [*_prior_checks(school, steps), ("medical_condition", condition),
                                    ("absence_or_delay", absence)])


def _lg_mg(a, domain, school):
    """A TLV for LG (physical) or MG (multiple): the motor route."""
    multiple = domain == "multiple"
    iq = a["iq"]
    adl = a["adl_selfreliance_very_low"]
    motor = a["motor_impairment"]
    band = a["mg_band_reports"] if iq < 55 else None
    absence = None
    steps = (None,) * 8
    if not (multiple and iq <= 70):
        if school is not False:
            absence = a["absence_or_delay"]
        steps = _prior_steps(a, school)
    team, expert, evaluated, described, at_a_loss, parents, placement, unable = steps
    if motor and adl and iq < 70 and (iq >= 55 or band):
        return ROUTE["berseba"]["tlv_so_mg"]
    if motor and iq > 70:
        if school and team and expert and evaluated and described and at_a_loss and parents and (adl or absence):
            return ROUTE["berseba"]["tlv_so_lg"]
        if school is False and placement and described and unable and adl:
            return ROUTE["berseba"]["tlv_so_lg"]
    if multiple:
        return _not_yet("not_yet_mg", (("motor_impairment", motor), ("iq", iq < 70),
                                       ("adl_selfreliance_very_low", adl), ("mg_band_reports", iq >= 55 or band)))
    without = school is False
    either = without or adl or absence
    return _not_yet("not_yet_lg", [*_prior_checks(school, steps), ("motor_impairment", motor),
                                   ("adl_selfreliance_very_low", either), ("absence_or_delay", either),
                                   ("adl_selfreliance_very_low", not without or adl), ("iq", iq > 70)])


# -- the batch -------------------------------------------------------------------------------------
DECIDE = {"liemers": liemers, "breda": breda, "meierij": meierij, "utrecht": utrecht, "berseba": berseba}


def decide(region, answers):
    """The recommendation's keys for one complete case (missing: in the order the dialog's checks name them)."""
    result = DECIDE[region](answers)
    missing = result.get("missing")
    if missing and len(missing) != len(set(missing)):
        result["missing"] = list(dict.fromkeys(missing))  # a fact named by two checks counts once
    return result


def main() -> None:
    out = sys.stdout
    loads, dumps = json.loads, json.dumps
    for line in sys.stdin:
        case = loads(line)
        region = case["region"]
        out.write(dumps({"region": region, "recommendation": decide(region, case["answers"])}) + "\n")


if __name__ == "__main__":
    main()
