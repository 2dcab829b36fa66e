"""Red flags: signs in a message that call for emergency care now, not for information.

Deterministic and negation-aware: a message is read as signs (swollen leg, face drooping,
cannot pee, ...) in chat or formal Indonesian or English; a sign right after "tidak", "tanpa",
"no", "not", ... is denied, not present. A category is raised by a combination of present signs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

from safety.normalize import normalize

CATEGORIES = (
    "dvt_pe",  # deep vein thrombosis, pulmonary embolism
    "stroke",
    "cauda_equina",
    "limb_ischaemia",
    "seizure_unconscious",
    "compartment",  # acute compartment syndrome after an injury
    "prolonged_cramp",  # a cramp that has lasted more than 10 minutes
)

_NEGATORS = (
    r"(?:tidak|tanpa|bukan|belum|no|not|never|without|didn'?t|don'?t|doesn'?t|isn'?t|wasn'?t|aren'?t|hasn'?t"
    r"|haven'?t|nor)"
)
# Up to three words between two parts of a sign, none of them a negation.
_GAP = rf"(?:(?!{_NEGATORS}\b)[\w'-]+ ){{0,3}}"

_SIGNS: Dict[str, str] = {
    "leg": r"betis\w*|kaki\w*|tungkai\w*|paha\w*|telapak\w*|calf|calves|legs?|thighs?|foot|feet|toes?",
    "swelling": r"bengkak\w*|membengkak|gede sebelah|besar sebelah|swollen|swelling|swells?",
    "red_warm": r"merah\w*|kemerahan|hangat|panas|red|redness|warm|hot",
    "pain": r"nyeri\w*|sakit\w*|nyut-nyut\w*|ngilu|tender|pain\w*|hurts?|sore",
    "one_side": r"kiri\w*|kanan\w*|sebelah|one leg|one calf|left|right",
    "breathless": r"sesak(?: napas)?|napas\w* sesak|(?:susah|sulit) (?:ber)?napas|short(?:ness)? of breath"
    r"|breathless\w*"
    r"|can'?t catch (?:my|his|her) breath|can'?t breathe|struggling to breathe",
    "chest": rf"(?:nyeri|sakit) dada|dada\w* {_GAP}(?:nyeri|sakit|sesak|berat|tertekan)|chest pain"
    r"|pain in (?:my|the) chest"
    r"|chest (?:hurts|tightness)",
    "blood_cough": r"batuk (?:mengeluarkan )?darah|batuk berdarah|(?:coughing|cough|coughed) (?:up )?blood",
    "face": rf"mencong|perot|pencong|(?:face|smile)\w* {_GAP}(?:drooped|drooping|droops|droop)|droopy face"
    rf"|(?:mulut|bibir|wajah|muka|senyum)\w* {_GAP}(?:miring|turun|mencong|perot)",
    "speech": rf"pelo|celat|slurred|slurring|(?:bicara|berbicara|ngomong|omong|speech|talking|jawab)\w* {_GAP}"
    r"(?:cadel|tidak jelas|tidak nyambung|kacau|rancu|garbled|slurred)",
    "one_side_body": r"(?:separuh|sebelah|setengah|satu sisi) (?:badan|tubuh)|(?:badan|tubuh)\w* (?:sebelah|separuh)"
    r"|(?:tangan|lengan) (?:dan )?kaki (?:sebelah|kiri|kanan)|kaki (?:kiri|kanan) dan (?:tangan|lengan) (?:kiri|kanan)"
    r"|(?:one|right|left) side of (?:my|his|her|the|their) (?:body|face)",
    "weak_numb": r"lemah|lemas|lemes|lumpuh|lunglai|mati rasa|kebas|baal|kesemutan|tebal|berat|weak\w*|numb\w*"
    r"|paraly\w*"
    r"|tidak bisa (?:di)?gerak\w*|sulit (?:di)?gerak\w*|can'?t move",
    "arm_weak": r"tidak bisa (?:meng|ng)angkat (?:tangan|lengan|gelas)\w*|(?:tangan|lengan)\w* (?:kiri\w* |kanan\w* )?"
    r"(?:lemah|lemas|lemes|lunglai|tidak bisa)|arms? (?:is |went |feels )?(?:weak|limp|numb)",
    "vision": rf"(?:penglihatan|pandangan|mata)\w* {_GAP}(?:hilang|gelap|buta|kabur|dobel|ganda|tidak bisa (?:melihat"
    r"|lihat|liat))"
    r"|lost (?:the )?(?:vision|sight)|vision loss|went blind|can'?t see|double vision|blurred vision",
    "severe_headache": rf"(?:kepala|pala)\w* {_GAP}(?:hebat|parah|banget|mau pecah|dipukul|luar biasa)|worst headache"
    r"|severe headache|thunderclap",
    "sudden": r"tiba-tiba|suddenly|sudden|out of nowhere|barusan|just now|came on",
    "saddle": r"selangkangan|kemaluan|dubur|anus|pantat|bokong|area intim|membersihkan diri|cebok|groin|saddle"
    r"|between (?:my|the|his|her) legs|around (?:my|the|his|her) (?:bottom|backside)|buttocks?|genitals?",
    "numb": r"mati rasa|kebas|baal|tebal|tidak (?:terasa|kerasa|merasakan)\w*|numb\w*|no feeling|can'?t feel",
    "bladder": r"tidak bisa (?:menahan|nahan) (?:buang air|kencing|pipis|bab|bak|berak)\w*"
    r"|tidak bisa (?:buang air kecil|buang air besar|kencing|pipis|bak|bab)|ngompol|mengompol"
    r"|(?:kencing|pipis)\w* (?:tidak|tanpa) (?:terasa|kerasa)|celana basah|incontinen\w*"
    r"|(?:can'?t|unable to) (?:pee|urinate)|wet (?:myself|himself|herself)"
    r"|lost control of (?:my |his |her )?(?:bladder|bowels?)",
    "back": r"pinggang|punggung|tulang belakang|saraf kejepit|hnp|encok|back|spine|disc|sciatica|siatik|herniated",
    "both_legs": r"kedua (?:kaki|tungkai)|kaki (?:dua-duanya|kanan (?:dan )?kiri|kiri (?:dan )?kanan)"
    r"|both (?:of my )?legs",
    "cold_pale": r"pucat|dingin|biru\w*|kebiruan|keunguan|putih|pale|white|cold|blue|bluish|icy",
    "severe_pain": rf"(?:nyeri|sakit|nyut-nyut)\w* {_GAP}(?:hebat|parah|luar biasa|sekali|banget|tidak ketulungan"
    r"|tidak tertahankan)"
    r"|sangat (?:sakit|nyeri)|kesakitan|(?:extremely|very) painful|severe(?:ly)? pain\w*|agony|excruciating|unbearable",
    "cannot_move": r"tidak bisa (?:di)?gerak\w*|tidak bisa (?:menggerakkan|gerakin)|sulit (?:di)?gerak\w*"
    r"|(?:can'?t|cannot|unable to) move",
    "seizure": r"kejang-kejang|kejang seluruh (?:badan|tubuh)|kelojotan|ayan|pingsan|tak sadarkan diri"
    r"|tidak sadar\w*(?! (?:kalau|kalo|klo|bahwa|jika|apa|kapan|sejak))"
    r"|hilang kesadaran|tidak merespons|tidak respon\w*"
    r"|(?:dipanggil|dibangunkan)[\w-]* (?:[\w-]+ )?tidak (?:bangun|menjawab)"
    r"|seizure|seizing|convuls\w*|passed out|pass(?:ing)? out|fainted|fainting|collapsed|unconscious|unresponsive"
    r"|(?:isn'?t|not) responding|black(?:ed)? out|blacking out",
    "kejang": r"kejang",
    "whole_body": r"badan\w*|tubuh\w*|mendelik|berbusa|nyentak\w*|kelojotan",
    "injury": r"gips|digips|patah\w*|retak|fraktur|terlindas|tertimpa|ketimpa|terjepit|ketendang|tertendang|terbentur"
    r"|kebentur|cedera|jatuh|jatoh|kecelakaan|crushed|crush|cast|broke|broken|fracture\w*|injur\w*|kicked|run over",
    "worsening": r"(?:makin|semakin|tambah|lebih) (?:parah|hebat|sakit|nyeri|tegang)|getting (?:much )?worse|much worse"
    r"|worse and worse",
    "tense": r"tegang|keras|kencang|kenceng|ketat|rock hard|tense|tight|hard",
    "tingling": r"kesemutan|tingl\w*|pins and needles",
    "disproportionate": r"tidak mempan|tidak ngefek|tidak sebanding|out of proportion|(?:sakit|nyeri)\w* tidak hilang"
    r"|(?:padahal|walaupun|meskipun) sudah minum obat|painkillers? (?:don'?t|do not|doesn'?t) help",
    "cramp": r"kram\w*|keram\w*|kejang|cramp\w*|mengeras|kaku",
    # The complaint has passed: no emergency, whatever a classifier guessed.
    "emergency_word": r"darurat|gawat|ambulans|ambulance|igd|ugd|emergency|112|119|911",
    "resolved": r"hilang|normal lagi|normal kembali|membaik|mereda|reda|enakan|sembuh|lepas|went away|goes away|gone"
    r"|eased|better now|resolved|passed",
}
_PATTERNS = {name: re.compile(rf"\b(?:{pattern})\b") for name, pattern in _SIGNS.items()}
_NEGATOR = re.compile(rf"\b{_NEGATORS}\b")
# Negation reaches over "atau"/"or" ("not warm or red") but stops at a clause or "dan"/"but".
_CLAUSE_BREAK = re.compile(
    r"[,.;:!?()\n]"
    r"|\b(?:dan|and|tapi|tetapi|namun|but|however|padahal|cuma|hanya|trs|terus|lalu)\b"
)
_NEGATION_WINDOW_WORDS = 3

# Each category is raised by any of its combinations; a combination needs all of its groups,
# and a group is any of its signs.
_RULES: Dict[str, Tuple[Tuple[Tuple[str, ...], ...], ...]] = {
    "dvt_pe": (
        (("leg",), ("swelling",), ("red_warm", "pain", "one_side")),
        (("breathless",), ("sudden", "swelling", "chest")),
        (("chest",),),
        (("blood_cough",),),
    ),
    "stroke": (
        (("face",),),
        (("speech",),),
        (("one_side_body",), ("weak_numb",)),
        (("arm_weak",), ("sudden", "leg")),
        (("vision",), ("sudden",)),
        (("severe_headache",), ("sudden",)),
    ),
    "cauda_equina": (
        (("saddle",), ("numb",)),
        (("bladder",), ("back", "saddle", "both_legs", "weak_numb")),
        (("both_legs",), ("weak_numb",), ("back",)),
    ),
    "limb_ischaemia": (
        (("leg",), ("cold_pale",), ("severe_pain", "numb", "cannot_move", "sudden")),
        (("leg",), ("severe_pain",), ("numb",), ("sudden", "one_side")),
    ),
    "seizure_unconscious": (
        (("seizure",),),
        (("kejang",), ("whole_body",)),
    ),
}
# After an injury, at least two of these groups of signs.
_COMPARTMENT_GROUPS = (
    ("severe_pain", "worsening"),
    ("tense", "swelling"),
    ("numb", "tingling", "cold_pale", "cannot_move"),
    ("disproportionate",),
)

# Signs serious enough that a classifier's "emergency" is believed even without a combination.
_ALARMING = frozenset(
    {"swelling", "breathless", "chest", "blood_cough", "face", "speech", "one_side_body", "arm_weak", "vision",
     "severe_headache", "saddle", "bladder", "both_legs", "cold_pale", "severe_pain", "cannot_move", "seizure",
     "worsening", "disproportionate", "emergency_word"}
)

LONG_CRAMP_MINUTES = 10
_NUMBER_WORDS = {"se": 1, "satu": 1, "a": 1, "an": 1, "one": 1, "dua": 2, "two": 2, "tiga": 3, "three": 3,
                 "sepuluh": 10, "ten": 10, "lima belas": 15, "fifteen": 15, "dua puluh": 20, "twenty": 20,
                 "tiga puluh": 30, "thirty": 30, "setengah": 0.5, "half an": 0.5, "half": 0.5}
_DURATION = re.compile(
    r"\b(\d+|lima belas|dua puluh|tiga puluh|sepuluh|setengah|satu|dua|tiga|half an|half|an|a|one|two|three|ten"
    r"|fifteen|twenty|thirty)\s*-?\s*(jam|menit|hours?|minutes?|mins?)\b|\bse(jam|menit)\b|\b(berjam-jam)\b"
)
_PERSISTING = re.compile(
    r"\b(sudah|lebih|sejak|dari|selama|hampir|belum|masih|for|over|lasted|lasting|has been|more than|ago|lalu|straight"
    r"|still)\b"
)


@dataclass(frozen=True)
class RedFlag:
    category: str  # one of CATEGORIES
    signs: Tuple[str, ...]  # the signs that raised it


@dataclass(frozen=True)
class Triage:
    """What a message says about urgency: the red flags it raises and the signs it denies."""

    red_flags: Tuple[RedFlag, ...] = ()
    denied: FrozenSet[str] = frozenset()
    resolved: bool = False  # the message says the complaint has passed ("lalu hilang")
    alarming: bool = False  # it names a serious sign or an emergency, if no combination of them

    @property
    def emergency(self) -> bool:
        return bool(self.red_flags)

    @property
    def category(self) -> Optional[str]:
        return self.red_flags[0].category if self.red_flags else None


def triage(text: str) -> Triage:
    """The red flags of `text`, in CATEGORIES order, the signs it mentions only to deny them, and
    whether it says the complaint has passed."""
    normalized = normalize(text)
    present, denied = _signs(normalized)
    flags: List[RedFlag] = []
    for category in CATEGORIES:
        signs = _raised(category, present, normalized)
        if signs:
            flags.append(RedFlag(category, signs))
    return Triage(tuple(flags), frozenset(denied - present), "resolved" in present, bool(present & _ALARMING))


def _signs(text: str) -> Tuple[FrozenSet[str], FrozenSet[str]]:
    present: Set[str] = set()
    denied: Set[str] = set()
    for name, pattern in _PATTERNS.items():
        for match in pattern.finditer(text):
            (denied if _is_negated(text, match.start()) else present).add(name)
    return frozenset(present), frozenset(denied)


def _is_negated(text: str, start: int) -> bool:
    before = text[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end() :] if breaks else before
    return any(_NEGATOR.fullmatch(word) for word in clause.split()[-_NEGATION_WINDOW_WORDS:])


def _raised(category: str, present: FrozenSet[str], text: str) -> Tuple[str, ...]:
    if category == "compartment":
        groups = [group for group in _COMPARTMENT_GROUPS if present.intersection(group)]
        if "injury" in present and len(groups) >= 2:
            return tuple(sorted({"injury"}.union(*(present.intersection(group) for group in groups))))
        return ()
    if category == "prolonged_cramp":
        return ("cramp", "duration") if "cramp" in present and _long_duration(text) else ()
    for combination in _RULES[category]:
        if all(present.intersection(group) for group in combination):
            return tuple(sorted(set().union(*(present.intersection(group) for group in combination))))
    return ()


def _long_duration(text: str) -> bool:
    """A duration of at least LONG_CRAMP_MINUTES that the clause says is still going on or over."""
    for clause in re.split(r"[,.;!?]", text):
        if not _PERSISTING.search(clause):
            continue
        for match in _DURATION.finditer(clause):
            if _minutes(match) >= LONG_CRAMP_MINUTES:
                return True
    return False


def _minutes(match: "re.Match[str]") -> float:
    number, unit, single, hours = match.groups()
    if hours:
        return 120.0
    if single:
        return 60.0 if single == "jam" else 1.0
    amount = float(number) if number.isdigit() else float(_NUMBER_WORDS[number])
    return amount * (60 if unit.startswith(("jam", "hour")) else 1)

