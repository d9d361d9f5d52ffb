"""The floor for batch pre-checks: the same output as ``intake check --batch``, in plain Python.

Reads JSONL of {"region": ..., "answers": {...}} and writes, a line, exactly
what ``intake check --batch FILE --lang nl`` (brief detail) writes: the line
number, region, ruleset version, whether the case is complete and the next
question if not, the path (the questions asked, in order), the facts taken
from their defaults, and the recommendation: the outcome, its route and kinds
(form, level, tlv, domain, group offer), the hours a week, the facts missing
and the warnings as their Dutch texts, numbers put in as the product writes
them. No summary on stderr (the product's is a few lines at the end).

Each region's decision is written by hand as if/else from its dialog
(``dialogs/*.toml``), asking the questions in the dialog's order: ``q`` puts a
question on the path and reads its answer (an answer not given ends the case
as incomplete, the question being the next one), ``qd`` does so for a
question with a default. A fact the path does not ask counts as unanswered
(``None``: falsy, never ``is False``), as in the dialog's conditions. The
warnings are the Dutch texts of the catalog (``locales/nl``) as literals. No
validation, no gettext, no models: one ``json.loads`` and one ``json.dumps`` a
line. ``tests/benchmarks/test_floor.py`` holds its output equal, byte for
byte, to ``intake check --batch`` on every path case and neighbour of every
region, so it cannot quietly do less. Its input is what the benchmark feeds
both (``mixed_cases.py``): valid answers to the region's own questions. It
does not do what only other input needs: the product's sentence for a bad
value, and the ``ignored`` list it adds for a fact the region does not ask.
"""

import json
import sys

VERSION = {"liemers": "2025.1", "breda": "2024.1", "meierij": "2022-2026.1", "utrecht": "2022.1", "berseba": "2019-06"}

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

GROUPS = ("Groepsarrangementen zijn beschikbaar voor alle kinderen binnen het samenwerkingsverband, maar mogelijk "
          "(nog) niet in alle drie de eenheden; sommige zijn nog in ontwikkeling.")
YOUNG_GROUP = ("De Jonge kind groep is bedoeld voor jonge kinderen; vraag de toelatingscriteria, waaronder de "
               "leeftijd, na bij het samenwerkingsverband.")
OTHER_SCHOOL = ("Als de extra ondersteuning in het OPP de mogelijkheden van deze school overstijgt, bespreek dan met "
                "de ouders de optie van plaatsing op een andere basisschool.")
UTRECHT_OPP = ("De school is wettelijk verplicht om binnen 6 weken na toekenning van de extra ondersteuning samen met "
               "de ouders een OPP op te stellen.")
AGES = "Dit samenwerkingsverband is er alleen voor kinderen en leerlingen van 2 tot en met 14 jaar."
# The warnings every case of an outcome carries (the dialogs' ``warnings``, in Dutch): Berséba's (many: each
# arrangement names its own amounts and durations) as the nl catalog gives them, then the other regions'.
BERSEBA_WARNINGS = {'arr_behaviour_intensive': [('Het model is een groeimodel: de urenmarges, periodes en bedragen kunnen in de loop '
                             'van de tijd worden bijgesteld.')],
 'arr_behaviour_light': [('Het model is een groeimodel: de urenmarges, periodes en bedragen kunnen in de loop van '
                         'de tijd worden bijgesteld.')],
 'arr_behaviour_medium': [('Het model is een groeimodel: de urenmarges, periodes en bedragen kunnen in de loop van '
                          'de tijd worden bijgesteld.')],
 'arr_cognitive_intensive': [('De overzichtstabel en de uitwerking noemen verschillende bedragen: tot € 13.200,00 '
                             '(tabel) tegenover tot € 12.600,00 (uitwerking). Vraag het Loket welk bedrag geldt.'),
                             ('Het model is een groeimodel: de urenmarges, periodes en bedragen kunnen in de loop '
                             'van de tijd worden bijgesteld.')],
 'arr_cognitive_medium': [('De overzichtstabel en de uitwerking noemen verschillende bedragen: tot € 6.600,00 '
                          '(tabel) tegenover tot € 6.300,00 (uitwerking). Vraag het Loket welk bedrag geldt.'),
                          ('Het model is een groeimodel: de urenmarges, periodes en bedragen kunnen in de loop van '
                          'de tijd worden bijgesteld.')],
 'arr_gifted_intensive': [('De overzichtstabel en de uitwerking noemen verschillende bedragen: tot € 4.400,00 '
                          '(tabel) tegenover tot € 4.000,00 (uitwerking). Vraag het Loket welk bedrag geldt.'),
                          ('Het model is een groeimodel: de urenmarges, periodes en bedragen kunnen in de loop van '
                          'de tijd worden bijgesteld.')],
 'arr_gifted_medium': [('De overzichtstabel en de uitwerking noemen verschillende bedragen: tot € 2.200,00 (tabel) '
                       'tegenover tot € 2.000,00 (uitwerking). Vraag het Loket welk bedrag geldt.'),
                       ('De overzichtstabel en de uitwerking noemen een verschillende duur: minimaal 1 jaar (tabel) '
                       'tegenover maximaal 1 jaar (uitwerking). Vraag het Loket welke periode geldt.'),
                       ('Het model is een groeimodel: de urenmarges, periodes en bedragen kunnen in de loop van de '
                       'tijd worden bijgesteld.')],
 'arr_learning_intensive': [('Leerproblemen (SBO-problematiek) hebben geen eigen tabel; dit arrangement volgt de '
                            'tabel voor gedrag, werkhouding en sociaal-emotioneel functioneren, die ook '
                            'SBO-problematiek omvat.'),
                            ('Het model is een groeimodel: de urenmarges, periodes en bedragen kunnen in de loop '
                            'van de tijd worden bijgesteld.')],
 'arr_learning_light': [('Leerproblemen (SBO-problematiek) hebben geen eigen tabel; dit arrangement volgt de tabel '
                        'voor gedrag, werkhouding en sociaal-emotioneel functioneren, die ook SBO-problematiek '
                        'omvat.'),
                        ('Het model is een groeimodel: de urenmarges, periodes en bedragen kunnen in de loop van de '
                        'tijd worden bijgesteld.')],
 'arr_learning_medium': [('Leerproblemen (SBO-problematiek) hebben geen eigen tabel; dit arrangement volgt de tabel '
                         'voor gedrag, werkhouding en sociaal-emotioneel functioneren, die ook SBO-problematiek '
                         'omvat.'),
                         ('Het model is een groeimodel: de urenmarges, periodes en bedragen kunnen in de loop van '
                         'de tijd worden bijgesteld.')],
 'arr_medical_intensive': [('De overzichtstabel en de uitwerking noemen verschillende bedragen: tot € 8.800,00 '
                           '(tabel) tegenover tot € 8.400,00 (uitwerking). Vraag het Loket welk bedrag geldt.'),
                           ('Het model is een groeimodel: de urenmarges, periodes en bedragen kunnen in de loop van '
                           'de tijd worden bijgesteld.')],
 'arr_medical_light': [('De overzichtstabel en de uitwerking noemen een verschillende duur: maximaal 1 jaar (tabel) '
                       'tegenover maximaal een half jaar (uitwerking). Vraag het Loket welke periode geldt.'),
                       ('Het model is een groeimodel: de urenmarges, periodes en bedragen kunnen in de loop van de '
                       'tijd worden bijgesteld.')],
 'arr_medical_medium': [('De overzichtstabel en de uitwerking noemen verschillende bedragen: tot € 4.400,00 (tabel) '
                        'tegenover tot € 4.200,00 (uitwerking). Vraag het Loket welk bedrag geldt.'),
                        ('Het model is een groeimodel: de urenmarges, periodes en bedragen kunnen in de loop van de '
                        'tijd worden bijgesteld.')],
 'arr_physical_intensive': [('De overzichtstabel en de uitwerking noemen verschillende bedragen: tot € 8.800,00 '
                            '(tabel) tegenover tot € 8.400,00 (uitwerking). Vraag het Loket welk bedrag geldt.'),
                            ('Het model is een groeimodel: de urenmarges, periodes en bedragen kunnen in de loop '
                            'van de tijd worden bijgesteld.')],
 'arr_physical_light': [('De overzichtstabel en de uitwerking noemen een verschillende duur: maximaal 1 jaar '
                        '(tabel) tegenover maximaal een half jaar (uitwerking). Vraag het Loket welke periode '
                        'geldt.'),
                        ('Het model is een groeimodel: de urenmarges, periodes en bedragen kunnen in de loop van de '
                        'tijd worden bijgesteld.')],
 'arr_physical_medium': [('De overzichtstabel en de uitwerking noemen verschillende bedragen: tot € 4.400,00 '
                         '(tabel) tegenover tot € 4.200,00 (uitwerking). Vraag het Loket welk bedrag geldt.'),
                         ('Het model is een groeimodel: de urenmarges, periodes en bedragen kunnen in de loop van '
                         'de tijd worden bijgesteld.')],
 'arr_young_risk_intensive': [('De overzichtstabel en de uitwerking noemen verschillende bedragen: tot € 5.500,00 '
                              '(tabel) tegenover tot € 5.250,00 (uitwerking). Vraag het Loket welk bedrag geldt.'),
                              ('Het model is een groeimodel: de urenmarges, periodes en bedragen kunnen in de loop '
                              'van de tijd worden bijgesteld.')],
 'arr_young_risk_medium': [('Het model is een groeimodel: de urenmarges, periodes en bedragen kunnen in de loop van '
                           'de tijd worden bijgesteld.')],
 'arrangement_multiple': ['Een TLV voor MG kan niet worden omgezet in een extra ondersteuningsarrangement.']}

WARNINGS = {
    "liemers": {"arrangement": ["Het arrangement is nadrukkelijk geen RT-instrument: zet de juiste mensen in."]},
    "breda": {
        "group_arrangement": [
            ("De leerling moet aansluiting houden bij de eigen school en groep; de school monitort of zij voldoende "
            "tegemoet komt aan de ondersteuningsbehoefte, zowel didactisch als sociaal-emotioneel."),
            ("De bekostiging is gebaseerd op SO-bekostiging categorie 1 voor het aantal leerlingen dat het "
            "samenwerkingsverband op basis van de OPP's vaststelt; meer leerlingen, ook leerlingen met een lichtere "
            "ondersteuningsbehoefte, kunnen binnen dezelfde bekostiging meedoen.")],
        "individual_arrangement": [
            ("Een individueel arrangement wordt alleen toegekend als goed kan worden aangetoond dat aansluiten bij een "
            "groepsarrangement om praktische of inhoudelijke redenen niet mogelijk is."),
            ("De bekostiging is maatwerk, gebaseerd op de betrokken inzet en de CAO PO, tot maximaal het niveau van de "
            "SO-bekostiging.")],
        "tlv_so": [
            ("Een TLV wordt alleen toegekend als goed kan worden aangetoond dat aansluiten bij een groepsarrangement, "
            "en een individueel arrangement, niet mogelijk zijn."),
            ("De ondersteuningsketen moet goed doorlopen zijn: alle mogelijkheden op school- en bestuursniveau, "
            "waaronder een verwijzing naar een andere basisschool (BAO-BAO), zijn benut.")],
    },
    "meierij": {
        "basis": [("Als de school of de leerkracht handelingsverlegen is, is er kennelijk iets nodig: de ondersteuning "
                  "van de leerling en de leerkracht gaat voor op de afweging of het om basis- of extra ondersteuning "
                  "gaat.")],
        "outside_too_young": [AGES],
        "outside_too_old": [AGES],
        "tlv_so": [("Zoveel mogelijk kinderen ontwikkelen zich in het regulier onderwijs: zorg dat plaatsing op een "
                   "andere basisschool met de ouders is besproken.")],
        "individual": [OTHER_SCHOOL],
        "cluster": [OTHER_SCHOOL],
        **{f"group_top_{length}": [GROUPS] for length in ("short", "medium", "long")},
        **{f"group_jonge_kind_{length}": [GROUPS, YOUNG_GROUP] for length in ("short", "medium", "long")},
        **{f"group_{offer}": [GROUPS] for offer in ("doen", "impuls", "doe_en_leer")},
    },
    "utrecht": {
        "individual": [UTRECHT_OPP],
        "individual_each": [UTRECHT_OPP],
        "cluster": [("Binnen 6 weken na toekenning moet de school voor elke leerling in het cluster een OPP opstellen en "
                    "dit met de ouders van elke leerling bespreken; ouders hebben instemmingsrecht op het "
                    "handelingsdeel.")],
    },
    "berseba": BERSEBA_WARNINGS,
}

# Each outcome's recommendation when nothing of the case changes it: the keys in the product's order.
OUT = {
    region: {name: {"outcome": name, "route": kinds["route"], "form": kinds.get("form"), "level": kinds.get("level"),
                    "tlv": kinds.get("tlv"), "domain": kinds.get("domain"), "group_offer": kinds.get("group_offer"),
                    "hours_per_week": None, "missing": [], "warnings": WARNINGS[region].get(name, [])}
             for name, kinds in outcomes.items()}
    for region, outcomes in ROUTE.items()
}


def nl(value):
    """A number as the product writes it in Dutch (rounded to 2 decimals, 1.234,5)."""
    value = round(value, 2)
    if type(value) is float and not value.is_integer():
        whole, _, fraction = repr(value).partition(".")
        return f"{int(whole):,}".replace(",", ".") + "," + fraction
    return f"{int(value):,}".replace(",", ".")


def money(value):
    """An amount in euros as the product writes it in Dutch (€ 1.234,50, a no-break space after the sign)."""
    return "€\xa0" + f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def missing_of(checks):
    """The facts of the failed checks, in the order the checks name them, each once."""
    missing = []
    for fact, ok in checks:
        if not ok and fact not in missing:
            missing.append(fact)
    return missing


# -- liemers ---------------------------------------------------------------------------------------
def liemers(q, qd):
    out = OUT["liemers"]
    if not q("needs_exceed_basic"):
        return out["basis"]
    ab = q("ab_involved")
    ab_supports = q("ab_supports_request") if ab else None
    opp = q("opp_present")
    signed = q("opp_signed_by_parents") if opp else None
    parents = q("parents_support_request")
    hgw = q("hgw_months")
    share = q("school_share_pct")
    justified = q("school_share_justified") if 0 < share < 50 else None
    zware = q("zware_middelen_used")
    if ab and ab_supports and opp and signed and parents and hgw >= 6 and (share >= 50 or justified) and zware:
        hours = q("hours_requested_per_week")
        if hours > 0:
            warnings = [*out["arrangement"]["warnings"]]
            if hours > 3:
                warnings.append(f"Er is {nl(hours)} uur per week aangevraagd; het arrangement omvat maximaal 3 uur per week.")
            if share < 50:
                warnings.append(f"De school biedt zelf {nl(share)} % van de uren, minder dan de richtlijn van 50 %; de "
                                "aanvraag moet dit goed onderbouwen en de directeur beoordeelt of de onderbouwing "
                                "voldoende is.")
            return {**out["arrangement"], "hours_per_week": float(min(hours, 3)), "warnings": warnings}
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
def breda(q, qd):
    out = OUT["breda"]
    if not q("needs_exceed_light"):
        return out["basis"]
    if not q("so_indicated"):
        return {**out["basis"], "warnings": [
            ("De behoeften overstijgen de lichte ondersteuning, maar het afwegingskader wijst niet naar het SO: zware "
            "ondersteuning kan niet worden aangevraagd. Toets het afwegingskader opnieuw met de BPO als de situatie "
            "verandert.")]}
    available = q("group_arrangement_available")
    feasible = q("group_arrangement_feasible") if available else None
    argued = None
    if not feasible:
        argued = q("group_exclusion_argued")
        if not q("regular_school_feasible"):
            if argued:
                return out["tlv_so"]
            return {**out["not_yet_tlv"], "missing": ["group_exclusion_argued"]}
    opp = q("opp_present")
    if feasible:
        if not opp:
            return {**out["group_arrangement"], "warnings": [
                *out["group_arrangement"]["warnings"],
                ("Er is nog geen OPP voor deze leerling. De school moet er een opstellen voordat de CTLV de deelname "
                "van de leerling beoordeelt.")]}
        return out["group_arrangement"]
    complete = q("opp_complete") if opp else None
    signed = q("opp_signed_by_parents") if opp else None
    parents = q("parents_involved")
    expert = q("external_expert_consulted")
    hgw = q("hgw_months")
    if argued and opp and complete and signed and parents and expert and hgw >= 1:
        if available:
            return {**out["individual_arrangement"], "warnings": [
                *out["individual_arrangement"]["warnings"],
                ("Er is in de buurt een passend groepsarrangement: de aanvraag moet duidelijk onderbouwen waarom deze "
                "leerling daar niet bij kan aansluiten.")]}
        return out["individual_arrangement"]
    missing = [fact for fact, ok in (
        ("group_exclusion_argued", argued), ("opp_present", opp), ("opp_complete", complete),
        ("opp_signed_by_parents", signed), ("parents_involved", parents),
        ("external_expert_consulted", expert), ("hgw_months", hgw >= 1)) if not ok]
    return {**out["not_yet_individual"], "missing": missing}


# -- meierij ---------------------------------------------------------------------------------------
EXTENSION = "Dit is een bijstelling of verlenging: voeg een evaluatie van het voorgaande proces toe aan de nieuwe aanvraag."
NO_HGW = ("De school heeft geen maanden eigen ondersteuning voor deze ondersteuningsbehoefte in HGW-cycli vastgelegd. "
          "Beschrijf in het OPP wat de school zelf heeft gedaan (fase 1) en waarom zij de ondersteuning niet (meer) "
          "zelf kan bieden.")


def meierij(q, qd):
    out = OUT["meierij"]
    if not q("needs_exceed_basic"):
        return out["basis"]
    age = q("age_years")
    if age < 2:
        return {**out["outside_too_young"], "missing": ["age_years"]}
    if age > 14:
        return {**out["outside_too_old"], "missing": ["age_years"]}
    hgw = q("hgw_months")
    parents = q("parents_involved")
    opp = q("opp_present")
    with_parents = q("opp_with_parents") if opp else None
    if not (parents and opp and with_parents):
        missing = [fact for fact, ok in (("parents_involved", parents), ("opp_present", opp),
                                         ("opp_with_parents", with_parents)) if not ok]
        return {**out["not_yet"], "missing": missing}
    if q("so_better_fit"):
        if hgw == 0:
            return {**out["tlv_so"], "warnings": [*out["tlv_so"]["warnings"], NO_HGW]}
        return out["tlv_so"]
    extension = qd("extension_request", False)
    comparable = q("comparable_pupils")
    offer = q("group_offer")
    if comparable:
        result = out["cluster"]
        warnings = [*result["warnings"]]
        if offer != "none":
            warnings.append("Een van de groepsarrangementen van het samenwerkingsverband zou ook bij deze leerling "
                            "passen. Het cluster op de eigen school gaat voor; komt het onvoldoende tegemoet aan de "
                            "ondersteuningsbehoefte, dan is dat groepsarrangement de volgende stap.")
    else:
        if offer == "top" or offer == "jonge_kind":
            result = out[f"group_{offer}_{qd('replacement_length', 'medium')}"]
        elif offer == "none":
            result = out["individual"]
        else:
            result = out[f"group_{offer}"]
        warnings = [*result["warnings"]]
    if extension:
        warnings.append(EXTENSION)
    if hgw == 0:
        warnings.append(NO_HGW)
    return {**result, "warnings": warnings}


# -- utrecht ---------------------------------------------------------------------------------------
def d9(value):
    """A sum, product or quotient as the dialogs' arithmetic gives it: a float to 9 decimals."""
    return round(value, 9) if type(value) is float else value


def utrecht(q, qd):
    out = OUT["utrecht"]
    pupils = q("pupils_count")
    if not q("needs_exceed_basic"):
        return out["basis"]
    if pupils < 2:
        return out["individual"]
    if not q("comparable_needs"):
        return out["individual_each"]
    group = qd("cluster_type", "pupils") == "group_approach"
    prior = q("prior_intervention_done")
    parents = informed = None
    if not group:
        parents = q("parents_involved")
        informed = q("parents_informed")
    anonymised = q("request_anonymised")
    if not (prior and (group or (parents and informed)) and anonymised):
        missing = [fact for fact, ok in (("prior_intervention_done", prior), ("parents_involved", parents or group),
                                         ("parents_informed", informed or group),
                                         ("request_anonymised", anonymised)) if not ok]
        return {**out["not_yet"], "missing": missing}
    outside = q("hours_outside_class_per_week")
    direct = d9(outside + qd("other_direct_hours_per_week", 0))
    indirect = qd("indirect_hours_per_week", 0)
    rate = q("hourly_rate")
    total = d9(direct + indirect)
    cap = d9(d9(3 * direct) / 10)
    warnings = [*out["cluster"]["warnings"]]
    if direct == 0:
        warnings.append("Er zijn nog geen directe uren gepland. Een arrangement zonder uren voor begeleiding van de "
                        "leerkracht en de leerlingen voegt niets toe aan de sterke basis: maak in het driegesprek "
                        "afspraken over de uren, zodat de consulent zicht krijgt op de kosten.")
    if group:
        warnings.append("Groepsaanpak: de ouders hoeven nog niet op de hoogte te zijn van de aanvraag. In het "
                        "startgesprek stellen de school en de consulent vast welke leerlingen meer nodig hebben dan de "
                        "sterke basis en hoe hun ouders worden betrokken; de school informeert die ouders over het "
                        "voorgenomen besluit en stelt het OPP van elke leerling met hen op.")
    if outside > 2.5:
        warnings.append(f"Er is {nl(outside)} uur per week begeleiding buiten de klas gepland; het SWV adviseert niet "
                        "meer dan 2,5 uur per week.")
    if rate > 100:
        warnings.append(f"Het uurtarief van de uitvoerder van {money(rate)} ligt boven het geaccepteerde maximum van "
                        f"€ 100,00. Tegen € 100,00 per uur zouden de geplande uren {money(d9(total * 100))} per "
                        "week kosten.")
    if direct > 0 and indirect > cap:
        pct = d9(d9(indirect * 100) / direct)
        warnings.append(f"Er is {nl(indirect)} uur per week indirecte tijd gepland, {nl(pct)}% van de {nl(direct)} "
                        f"directe uren; het uitgangspunt is maximaal 30% ({nl(cap)} uur per week).")
    if direct == 0 and indirect > 0:
        warnings.append(f"Er is {nl(indirect)} uur per week indirecte tijd gepland zonder directe uren; indirecte tijd "
                        "is maximaal 30% van de directe begeleidingsuren.")
    if rate > 0 and total > 0:
        warnings.append(f"Geschatte kosten: {nl(total)} uur per week ({nl(direct)} direct, {nl(indirect)} indirect) "
                        f"tegen {money(rate)} per uur is {money(d9(total * rate))} per week. De consulent moet zicht "
                        "hebben op de te verwachten kosten voordat het arrangement kan starten.")
    return {**out["cluster"], "hours_per_week": float(direct), "warnings": warnings}


B = OUT["berseba"]


# -- berseba ---------------------------------------------------------------------------------------
def _not_yet(outcome, checks, *warnings):
    return {**B[outcome], "missing": missing_of(checks), "warnings": [*warnings]}


def _warned(result, *warnings):
    return {**result, "warnings": [*result["warnings"], *warnings]}


NO_TLV_GIFTED = ("Voor hoogbegaafdheid bestaat geen TLV ('niet van toepassing' in de overzichtstabel); de intake heeft "
                 "in plaats daarvan een HB-arrangement beoordeeld.")
NO_SCHOOL = ("De leerling heeft nog geen schoolervaring (bijvoorbeeld vanuit een MKD): niet alle criteria zijn "
             "toepasbaar, en het zorgloket/de indicatiecommissie beoordeelt de aanvraag, niet de commissie van "
             "toekenning van het Loket.")
IQ_70 = ("Een IQ van precies 70 past niet bij een TLV LG ('hoger dan 70') en niet bij een TLV MG ('lager dan 70'); ga "
         "na of een TLV ZML past (een IQ van 55 tot en met 70 met een zeer geringe sociale redzaamheid).")


def berseba(q, qd):
    out = B
    tlv = q("request") == "tlv"
    domain = q("domain")
    if domain == "multiple" and not tlv:
        return out["arrangement_multiple"]
    if domain == "gifted":
        return _gifted(q, qd, tlv)
    if not tlv:
        if domain == "young_risk":
            return _young_risk(q, qd)
        if domain == "cognitive":
            return _cognitive_arrangement(q, qd)
        if domain == "medical" or domain == "physical":
            return _medical_arrangement(q, qd, domain)
        return _arrangement(q, qd, domain)  # learning, behaviour
    age = q("age_years")
    if domain == "young_risk":
        if not q("zeeland"):
            return _not_yet("not_yet_observation_region", (("zeeland", False),))
        return _observation(q, qd, domain, age)
    if domain == "learning":
        if age < 7:
            zeeland = q("zeeland")
            if zeeland:
                return _observation(q, qd, domain, age)
            return _sbo(q, qd, age, q("school_experience"))
        return _sbo(q, qd, age, None)
    if domain == "behaviour":
        return _tlv_behaviour(q, qd)
    school = q("school_experience")
    if domain == "medical":
        return _lzk(q, qd, school)
    if domain == "cognitive":
        return _zml(q, qd, age, school)
    return _lg_mg(q, qd, domain, school)  # physical, multiple


def _gifted(q, qd, tlv):
    iq = q("iq")
    areas = q("areas_affected")
    diagnosis = q("diagnosis")
    ggz = q("psychiatric_ggz")
    staff = q("extra_staff")
    hgw = q("hgw_months")
    opp = q("opp_present")
    if opp and iq > 130 and areas != "one" and diagnosis and ggz and staff == "daily" and hgw >= 12:
        return _warned(B["arr_gifted_intensive"], NO_TLV_GIFTED) if tlv else B["arr_gifted_intensive"]
    if opp and iq > 130 and hgw >= 6 and staff != "none":
        warnings = [NO_TLV_GIFTED] if tlv else []
        if areas != "one" and diagnosis and ggz and staff == "daily" and hgw < 12:
            warnings.append("De kenmerken wijzen op een intensief arrangement, maar daarvoor is minimaal een jaar "
                            f"planmatige inzet nodig; tot nu toe {nl(hgw)} maanden.")
        return _warned(B["arr_gifted_medium"], *warnings)
    return _not_yet("not_yet_arr_gifted", (("opp_present", opp), ("iq", iq > 130), ("hgw_months", hgw >= 6),
                                           ("extra_staff", staff != "none")), *([NO_TLV_GIFTED] if tlv else ()))


def _arrangement(q, qd, domain):
    """Learning or behaviour, an arrangement."""
    dsm = q("dsm_or_youth_care")
    areas = q("areas_affected")
    diagnosis = q("diagnosis")
    ggz = q("psychiatric_ggz")
    staff = q("extra_staff")
    if q("opp_present"):
        if (diagnosis or dsm) and ggz and staff == "daily":
            return B[f"arr_{domain}_intensive"]
        if areas != "one" and staff != "none":
            if (diagnosis or dsm) and ggz:
                return _warned(B[f"arr_{domain}_medium"], "Er is een diagnose met betrokkenheid van de GGZ; een "
                               "intensief arrangement vraagt dat de school dagelijks extra personele ondersteuning "
                               "inzet.")
            return B[f"arr_{domain}_medium"]
        if areas != "one":  # and no extra staff
            return _warned(B[f"arr_{domain}_light"], "De problemen doen zich op meerdere gebieden voor, maar een "
                           "medium arrangement vraagt dat de school naast de leerkracht minimaal 2 keer per week "
                           "extra personele ondersteuning inzet.")
        return B[f"arr_{domain}_light"]
    return _not_yet(f"not_yet_arr_{domain}", (("opp_present", False),))


def _medical_arrangement(q, qd, domain):
    areas = q("areas_affected")
    diagnosis = q("diagnosis")
    absence = None
    if not diagnosis and areas != "one":
        absence = qd("illness_absence", "none")
    if q("opp_present"):
        if areas == "all" and (diagnosis or absence == "structural"):
            return B[f"arr_{domain}_intensive"]
        if areas != "one" and (diagnosis or absence == "regular" or absence == "structural"):
            return B[f"arr_{domain}_medium"]
        if areas != "one":
            return _warned(B[f"arr_{domain}_light"], "De problemen spelen op meerdere gebieden, maar een medium "
                           "arrangement vraagt ook een vastgestelde diagnose en/of regelmatig verzuim door de ziekte "
                           "of aandoening ('Er moet diagnose vastgesteld zijn en/of regelmatig schoolverzuim'). "
                           "Zonder die twee kan het lichte, adviserende arrangement helpen de "
                           "ondersteuningsbehoeften te verhelderen.")
        return B[f"arr_{domain}_light"]
    return _not_yet(f"not_yet_arr_{domain}", (("opp_present", False),))


def _cognitive_arrangement(q, qd):
    iq = q("iq")
    down = social = adl = diagnosis = delay = None
    if iq >= 60:
        down = q("down_syndrome")
        if not down and iq <= 70:
            social = q("social_selfreliance_very_low")
            if not social:
                adl = q("adl_selfreliance_very_low")
    areas = q("areas_affected")
    if 60 <= iq <= 70 and not down and not social and not adl:
        diagnosis = q("diagnosis")
        if not diagnosis:
            delay = qd("didactic_delay_year", False)
    opp = q("opp_present")
    band = iq < 60 or down or (60 <= iq <= 70 and (social or adl or diagnosis or delay))
    if opp and band:
        if areas == "all":
            return B["arr_cognitive_intensive"]
        if areas == "one":
            return _warned(B["arr_cognitive_medium"], "Een licht arrangement is voor ZML-leerlingen niet mogelijk, "
                           "omdat de problemen vaak op alle ontwikkelingsgebieden liggen; het medium arrangement is "
                           "het lichtste niveau.")
        return B["arr_cognitive_medium"]
    checks = [("opp_present", opp)]
    if not band:
        checks += [(fact, False) for fact in ("iq", "down_syndrome", "social_selfreliance_very_low",
                                              "adl_selfreliance_very_low", "diagnosis", "didactic_delay_year")]
    if iq > 70 and not down:
        return _not_yet("not_yet_arr_cognitive", checks, "Bij een IQ hoger dan 70 past een ZML-arrangement niet; "
                        "overweeg een arrangement voor leren of gedrag.")
    return _not_yet("not_yet_arr_cognitive", checks)


def _young_risk(q, qd):
    age = q("age_years")
    zeeland = q("zeeland")
    if not zeeland or age < 4 or age > 6:
        return _not_yet("not_yet_jrk_scope", (("zeeland", zeeland), ("age_years", 4 <= age <= 6)))
    school = q("school_experience")
    iq = q("iq")
    margin = qd("iq_margin_in_band", False) if iq < 60 or iq > 80 else None
    areas = q("areas_affected")
    staff = q("extra_staff")
    consent = q("parents_written_consent")
    weeks = sessions = evaluated = internal = None
    if school:
        weeks = q("extra_help_weeks")
        sessions = q("help_sessions_per_week")
    team = q("support_team_hgw")
    if school:
        evaluated = q("interventions_evaluated")
    described = q("support_needs_described")
    at_a_loss = q("school_handelingsverlegen")
    parents = q("parents_involved")
    small = q("needs_small_setting")
    delay = q("delay_several_areas")
    assistant = q("qualified_assistant")
    teacher = q("teacher_skills_sufficient")
    if school:
        internal = q("internal_steps_done")
    ortho = q("orthopedagoog_involved")
    neglect = q("neglect_delay")
    severe = q("severe_developmental_disorder")
    in_band = 60 <= iq <= 80 or margin
    staffed = staff != "none"
    cause = in_band or neglect or severe
    if (consent and (not school or (weeks >= 13 and sessions >= 2 and evaluated)) and team and described and at_a_loss
            and parents and small and delay and assistant and teacher and (not school or internal) and ortho and cause
            and staffed):
        return _warned(B["arr_young_risk_intensive"], NO_SCHOOL) if school is False else B["arr_young_risk_intensive"]
    if (in_band or at_a_loss) and areas != "one" and staffed:
        return _warned(B["arr_young_risk_medium"], NO_SCHOOL) if school is False else B["arr_young_risk_medium"]
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
    ), *([NO_SCHOOL] if school is False else ()))


def _prior_steps(q, qd, school):
    """The steps before a TLV (tlv_prior_steps): the facts they ask, unasked ones None."""
    team = expert = evaluated = at_a_loss = parents = placement = unable = None
    if school is False:
        placement = q("placement_checked")
        described = q("support_needs_described")
        unable = q("school_unable_argued")
    else:
        team = q("support_team_hgw")
        expert = q("external_expert_consulted")
        evaluated = q("interventions_evaluated")
        described = q("support_needs_described")
        at_a_loss = q("school_handelingsverlegen")
        parents = q("parents_involved")
    return team, expert, evaluated, described, at_a_loss, parents, placement, unable


def _prior_checks(school, steps):
    team, expert, evaluated, described, at_a_loss, parents, placement, unable = steps
    without = school is False
    return [("support_team_hgw", without or team), ("external_expert_consulted", without or expert),
            ("interventions_evaluated", without or evaluated), ("support_needs_described", described),
            ("school_handelingsverlegen", without or at_a_loss), ("parents_involved", without or parents),
            ("placement_checked", not without or placement), ("school_unable_argued", not without or unable)]


def _observation(q, qd, domain, age):
    """A TLV for an observation centre (Zeeland): young children at risk, or a young learner."""
    school = q("school_experience")
    team = expert = insufficient = placement = preschool = unable = at_a_loss = day = zml = None
    if school:
        team = q("support_team_hgw")
        expert = q("external_expert_consulted")
    else:
        placement = q("placement_checked")
    described = q("support_needs_described")
    if school:
        at_a_loss = q("school_handelingsverlegen")
    else:
        unable = q("school_unable_argued")
    parents = q("parents_involved")
    # the centre's own points last, when the shared ones are met
    if school and team and expert and described and at_a_loss and parents:
        insufficient = q("jrk_arrangement_insufficient")
    elif not school and placement and described and unable and parents:
        preschool = q("preschool_trajectory_done")
    if insufficient is not None or preschool is not None:
        day = q("day_treatment_not_better")
        zml = q("zml_not_better")
    warnings = []
    if domain == "learning":
        warnings.append("Zeeland kent geen voorziening voor kinderen van 4 tot en met 6 jaar op het speciaal "
                        "basisonderwijs; een TLV SBO voor een jong kind in Zeeland is daarom een plaatsing in een "
                        "observatiecentrum.")
    if age >= 7:
        warnings.append(f"Het observatiecentrum is bedoeld voor jonge kinderen; ga na of het past bij een leerling "
                        f"van {nl(age)}.")
    if ((school and team and expert and insufficient and day and zml and described and at_a_loss and parents)
            or (not school and placement and preschool and unable and day and zml and described and parents)):
        return _warned(B["tlv_observation_centre"], *warnings)
    return _not_yet("not_yet_observation", (
        ("support_team_hgw", not school or team), ("external_expert_consulted", not school or expert),
        ("jrk_arrangement_insufficient", not school or insufficient), ("placement_checked", school or placement),
        ("preschool_trajectory_done", school or preschool), ("school_unable_argued", school or unable),
        ("day_treatment_not_better", day), ("zml_not_better", zml), ("support_needs_described", described),
        ("school_handelingsverlegen", not school or at_a_loss), ("parents_involved", parents)), *warnings)


def _sbo(q, qd, age, school):
    """A TLV for SBO (learning), outside the observation route; ``school`` None: not asked (age 7 or over)."""
    iq = proof = None
    if school is not False:
        iq = q("iq")
    steps = _prior_steps(q, qd, school)
    team, expert, evaluated, described, at_a_loss, parents, placement, unable = steps
    done = team and expert and evaluated and described and at_a_loss and parents
    if iq is not None and iq < 55 and age < 8 and done:
        proof = q("young_extra_proof")
    if iq is not None and iq < 55 and done and (age >= 8 or proof):
        return _warned(B["tlv_so_zml"], f"De school vroeg een TLV SBO aan; die vraagt een IQ van ten minste 55. Met een "
                       f"IQ van {nl(iq)} en hetzelfde voortraject is aan de criteria van de TLV ZML voldaan; daarom "
                       "wordt die TLV geadviseerd.")
    if school and done and iq >= 55:
        return B["tlv_sbo_young"]
    if school is False and placement and described and unable:
        return B["tlv_sbo_young"]
    if done and iq >= 55:
        return B["tlv_sbo"]
    checks = [*_prior_checks(school, steps), ("iq", school is False or (iq is not None and iq >= 55))]
    if iq is not None and iq < 55:
        return _not_yet("not_yet_sbo", checks, "Met een IQ lager dan 55 is een TLV SBO niet mogelijk; een TLV ZML wel, "
                        "zodra het voortraject compleet is.")
    return _not_yet("not_yet_sbo", checks)


def _tlv_behaviour(q, qd):
    dsm = q("dsm_or_youth_care")
    milieus = q("milieus")
    team = q("support_team_hgw")
    expert = q("external_expert_consulted")
    evaluated = q("interventions_evaluated")
    described = q("support_needs_described")
    at_a_loss = q("school_handelingsverlegen")
    parents = q("parents_involved")
    settings = len(milieus) >= 2 and "school" in milieus
    if team and expert and evaluated and described and at_a_loss and parents and dsm and settings:
        return B["tlv_so_behaviour"]
    return _not_yet("not_yet_tlv_behaviour", (
        ("support_team_hgw", team), ("external_expert_consulted", expert), ("interventions_evaluated", evaluated),
        ("support_needs_described", described), ("school_handelingsverlegen", at_a_loss),
        ("parents_involved", parents), ("dsm_or_youth_care", dsm), ("milieus", settings)))


def _zml(q, qd, age, school):
    iq = q("iq")
    down = social = proof = None
    if iq >= 55:
        down = q("down_syndrome")
        if not down and iq <= 70:
            social = q("social_selfreliance_very_low")
    steps = _prior_steps(q, qd, school)
    team, expert, evaluated, described, at_a_loss, parents, placement, unable = steps
    band = iq < 55 or down or (55 <= iq <= 70 and social)
    met = ((school and team and expert and evaluated and described and at_a_loss and parents)
           or (school is False and placement and described and unable))
    if age < 8 and band and met:  # the report is asked last, when it can still decide
        proof = q("young_extra_proof")
    young = age >= 8 or proof
    if band and young and met:
        return B["tlv_so_zml"]
    checks = [*_prior_checks(school, steps), ("iq", band), ("down_syndrome", band),
              ("social_selfreliance_very_low", band), ("young_extra_proof", young)]
    if iq >= 55 and not down and not social:
        return _not_yet("not_yet_zml", checks, "Met een IQ van 55 of hoger en zonder zeer geringe sociale redzaamheid "
                        "past een TLV SBO mogelijk beter ('geen IQ lager dan 55').")
    return _not_yet("not_yet_zml", checks)


def _lzk(q, qd, school):
    condition = q("medical_condition")
    absence = q("absence_or_delay")
    steps = _prior_steps(q, qd, school)
    team, expert, evaluated, described, at_a_loss, parents, placement, unable = steps
    if condition and absence:
        if school and team and expert and evaluated and described and at_a_loss and parents:
            return B["tlv_so_lzk"]
        if school is False and placement and described and unable:
            return B["tlv_so_lzk"]
    return _not_yet("not_yet_lzk", [*_prior_checks(school, steps), ("medical_condition", condition),
                                    ("absence_or_delay", absence)])


def _lg_mg(q, qd, domain, school):
    """A TLV for LG (physical) or MG (multiple): the motor route."""
    multiple = domain == "multiple"
    iq = q("iq")
    adl = q("adl_selfreliance_very_low")
    motor = q("motor_impairment")
    band = q("mg_band_reports") if iq < 55 and motor and adl else None
    absence = None
    steps = (None,) * 8
    if not (multiple and iq <= 70):
        if school is not False:
            absence = q("absence_or_delay")
        steps = _prior_steps(q, qd, school)
    team, expert, evaluated, described, at_a_loss, parents, placement, unable = steps
    if motor and adl and iq < 70 and (iq >= 55 or band):
        if multiple:
            return B["tlv_so_mg"]
        return _warned(B["tlv_so_mg"], f"De school vroeg een TLV LG aan; die vraagt een IQ hoger dan 70. Met een "
                       f"totaal-IQ van {nl(iq)}, een lichamelijke beperking en een zeer geringe zelfredzaamheid is aan "
                       "de criteria van de TLV MG voldaan; daarom wordt die TLV geadviseerd.")
    if motor and iq > 70 and (
            (school and team and expert and evaluated and described and at_a_loss and parents and (adl or absence))
            or (school is False and placement and described and unable and adl)):
        if multiple:
            return _warned(B["tlv_so_lg"], f"De school vroeg een TLV MG aan; die vraagt een totaal-IQ lager dan 70. "
                           f"Met een IQ van {nl(iq)} is aan de criteria van de TLV LG voldaan; daarom wordt die TLV "
                           "geadviseerd.")
        return B["tlv_so_lg"]
    if multiple:
        checks = (("motor_impairment", motor), ("iq", iq < 70), ("adl_selfreliance_very_low", adl),
                  ("mg_band_reports", iq >= 55 or band))
        if iq > 70:
            return _not_yet("not_yet_mg", checks, "Met een IQ hoger dan 70 is een TLV MG niet mogelijk; een TLV LG wel, "
                            "zodra aan de criteria daarvan is voldaan.")
        if iq == 70:
            return _not_yet("not_yet_mg", checks, IQ_70)
        return _not_yet("not_yet_mg", checks)
    without = school is False
    either = without or adl or absence
    checks = [*_prior_checks(school, steps), ("motor_impairment", motor), ("adl_selfreliance_very_low", either),
              ("absence_or_delay", either), ("adl_selfreliance_very_low", not without or adl), ("iq", iq > 70)]
    if iq < 70:
        return _not_yet("not_yet_lg", checks, "Met een totaal-IQ lager dan 70 is een TLV LG niet mogelijk; een TLV MG "
                        "wel, als een verslag de lichamelijke beperking aantoont en de zelfredzaamheid bij ADL zeer "
                        "gering is (onder de 55 met de verslagen die bij het IQ horen).")
    if iq == 70:
        return _not_yet("not_yet_lg", checks, IQ_70)
    return _not_yet("not_yet_lg", checks)


# -- the batch -------------------------------------------------------------------------------------
DECIDE = {"liemers": liemers, "breda": breda, "meierij": meierij, "utrecht": utrecht, "berseba": berseba}


def main() -> None:
    out = sys.stdout
    loads, dumps = json.loads, json.dumps
    for number, line in enumerate(sys.stdin, 1):
        case = loads(line)
        region = case["region"]
        answers = case["answers"]
        path = []
        assumed = []

        def q(fact, path=path, answers=answers):
            path.append(fact)
            return answers[fact]

        def qd(fact, default, path=path, answers=answers, assumed=assumed):
            path.append(fact)
            if fact in answers:
                return answers[fact]
            assumed.append(fact)
            return default

        try:
            recommendation = DECIDE[region](q, qd)
            complete, next_question = True, None
        except KeyError:  # a question on the path is not answered: the case stops there
            recommendation, complete, next_question = None, False, path.pop()
        out.write(dumps({"line": number, "region": region, "ruleset_version": VERSION[region], "complete": complete,
                         "next_question": next_question, "path": path, "assumed": assumed,
                         "recommendation": recommendation}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
