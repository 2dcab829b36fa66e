"""Red flags: signs in a message that call for emergency care now, not for information.

Deterministic and negation-aware: a message is read as signs (swollen leg, face drooping,
cannot pee, ...) in chat or formal Indonesian, Javanese, Sundanese or English (safety.normalize);
a sign shortly after "tidak", "tanpa", "no", "not", ... is denied, and so is every sign listed
after it ("tidak ada bengkak atau nyeri dada", "no swelling, redness or pain"), until the clause
ends ("..., cuma kram"). A category is raised by a combination of present signs. This is the
floor of the triage: safety.meaning reads the same message by its meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from safety.normalize import normalized

CATEGORIES = (
    "dvt_pe",  # deep vein thrombosis, pulmonary embolism
    "stroke",
    "cauda_equina",
    "limb_ischaemia",
    "seizure",  # convulsions of the whole body
    "collapse",  # fainting, collapse, unconsciousness
    "compartment",  # acute compartment syndrome after an injury
    "prolonged_cramp",  # a cramp that has lasted more than 10 minutes
    "heat_illness",  # heat exhaustion or heat stroke after exertion in the heat
)

_NEGATORS = (
    r"(?:tidak|tanpa|bukan|belum|no|not|never|without|didn'?t|don'?t|doesn'?t|isn'?t|wasn'?t|aren'?t|hasn'?t"
    r"|haven'?t|nor|can(?= (?:sembuh|berhenti|hilang|reda)))"  # Sundanese "can cageur": not yet healed
)
# Up to three words between two parts of a sign, none of them a negation.
_GAP = rf"(?:(?!{_NEGATORS}\b)[\w'-]+ ){{0,3}}"

_SIGNS: Dict[str, str] = {
    "leg": r"betis\w*|kaki\w*|tungkai\w*|paha\w*|telapak\w*|calf|calves|legs?|thighs?|foot|feet|toes?",
    "swelling": r"bengkak\w*|membengkak|gede sebelah|besar sebelah|swollen|swelling|swells?",
    "red_warm": r"merah\w*|kemerahan|hangat|panas|red|redness|warm|hot",
    # "sore" only in English: in Indonesian it is the afternoon.
    "pain": r"nyeri\w*|sakit\w*|nyut-nyut\w*|ngilu|tender|pain\w*|hurts?|(?:is|are|feels?|very|so) sore"
    r"|sore (?=calf|calves|leg|legs|muscle|foot|feet)",
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
    "one_side_body": r"(?:separuh|sebelah|setengah|satu sisi) (?:badan|tubuh|wajah|muka)"
    r"|(?:badan|tubuh|wajah|muka)\w* (?:sebelah|separuh)"
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
    "limb_weak": r"lemah|lemas|lumpuh|lunglai|tidak bisa (?:di)?gerak\w*|tidak bisa (?:menggerakkan|gerakin)"
    r"|weak\w*|paraly\w*|(?:can'?t|cannot) move",
    "stroke_word": r"stroke|struk|strok|stroke ringan|mini stroke|tia",
    "sudden": r"tiba-tiba|suddenly|sudden|out of nowhere|barusan|just now|came on",
    "saddle": r"selangkangan|kemaluan|dubur|anus|pantat|bokong|area intim|membersihkan diri|cebok|groin|saddle"
    r"|between (?:my|the|his|her) legs|around (?:my|the|his|her) (?:bottom|backside)|buttocks?|genitals?",
    "numb": r"mati rasa|kebas|baal|tebal|tidak (?:bisa )?(?:terasa|kerasa|merasakan|merasa)\w*|numb\w*|no feeling"
    r"|can'?t feel",
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
    "seizure": r"kejang-kejang|kejang seluruh (?:badan|tubuh)|kelojotan|ayan|seizure|seizing|convuls\w*"
    r"|(?:having|had) a fit|fits",
    "collapse": r"pingsan|tak sadarkan diri|kolaps"
    r"|tidak sadar\w*(?! (?:kalau|kalo|klo|bahwa|jika|apa|kapan|sejak))"
    r"|hilang kesadaran|tidak (?:me|nge|nga)?respon\w*"
    r"|(?:dipanggil|dibangunkan)[\w-]* (?:[\w-]+ )?tidak (?:bangun|menjawab|nyahut|merespons)"
    r"|passed out|pass(?:ing)? out|fainted|fainting|collapsed|collapsing|unconscious|unresponsive"
    r"|(?:isn'?t|not) responding|black(?:ed)? out|blacking out",
    "near_faint": r"(?:mau|hampir|nyaris|seperti mau|rasanya mau) pingsan|kliyengan|berkunang-kunang|gelap mata"
    r"|(?:nearly|almost) (?:fainted|passed out|collapsed)|about to (?:faint|pass out)|feel(?:ing)? faint"
    r"|light-?headed|dizzy",
    "palpitations": rf"jantung\w* {_GAP}(?:berdebar\w*|berdetak (?:kencang|cepat)|deg-degan)|berdebar-debar|deg-degan"
    r"|(?:heart|pulse) (?:is )?(?:racing|pounding)|palpitations?|racing heart",
    "heat": r"panas terik|terik|siang bolong|cuaca panas|kepanasan|matahari|kena panas|di (?:bawah )?panas|udara panas"
    r"|gerah|heat|hot (?:day|weather|sun)|in the sun|sunny|midday sun|heatwave|heatstroke|heat stroke"
    r"|sengatan panas|serangan panas|kelelahan panas|heat exhaustion",
    "exertion": r"lari\w*|berlari|maraton|marathon|jogging|half marathon|olahraga\w*|latihan|bersepeda|futsal"
    r"|sepak bola|main bola|mendaki|hiking|upacara|baris-berbaris|kerja (?:di )?(?:sawah|kebun|lapangan|proyek)"
    r"|ran|running|race|run|exercis\w*|training|workout|cycling|football|soccer",
    "confusion": r"bingung(?! (?:kenapa|mengapa|bagaimana|apa|harus|mau|sama|dengan|soal|karena|kalau|antara|mana))"
    r"|linglung|ngelantur|meracau|mengigau|ngaco|ngawur|disorientasi|tidak (?:nyambung|jelas) (?:diajak )?bicara"
    r"|tidak mengenali|tidak kenal (?:orang|saya|kami)|tidak tahu (?:di mana|dimana) (?:dia|saya)"
    r"|confus\w*|disoriented|talking nonsense|not making sense|delirious|doesn'?t know where",
    "no_sweat": r"tidak (?:ber)?keringat\w*|(?:ber)?keringat\w* (?:berhenti|tidak keluar)|kering kerontang"
    r"|kulit\w* kering"
    r"|(?:stopped|not|isn'?t|no longer|wasn'?t) sweating|no sweat\w*|dry skin|skin (?:is )?dry",
    "hot_skin": rf"(?:kulit|badan|tubuh|suhu)\w* {_GAP}(?:panas|hangat sekali|merah panas|terbakar|tinggi)|demam tinggi"
    r"|(?:skin|body)\w* {_GAP}(?:hot|burning)|very hot|burning up|high temperature|temperature of (?:39|40|41)",
    "vomit": r"muntah\w*|vomit\w*|throwing up|threw up",
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
    "cramp": r"kram\w*|keram\w*|kejang|cramp\w*|mengeras|kaku|mengunci|ngunci|terkunci|locked",
    # The complaint has passed: no emergency, whatever a classifier guessed.
    "emergency_word": r"darurat|gawat|ambulans|ambulance|igd|ugd|emergency|112|119|911",
    "resolved": r"hilang|normal lagi|normal kembali|membaik|mereda|reda|enakan|sembuh|lepas|went away|goes away|gone"
    r"|eased|better now|resolved|passed",
}
_PATTERNS = {name: re.compile(rf"\b(?:{pattern})\b") for name, pattern in _SIGNS.items()}
_NEGATOR = re.compile(rf"\b{_NEGATORS}\b")
# A denial reaches the signs listed after it ("tidak ada bengkak atau nyeri dada", "no swelling,
# redness or pain") and no further than its clause: a stop, "dan"/"and", "tapi"/"but", "cuma"/"just".
_CLAUSE_BREAK = re.compile(
    r"[.;:!?()\n]"
    r"|\b(?:dan|and|serta|tapi|tetapi|namun|but|however|yet|padahal|cuma|hanya|just|only|except|kecuali|melainkan"
    r"|sekarang|now|trs|terus|lalu|then|malah|justru)\b"
)
_DISJUNCTION = re.compile(r"\b(?:atau|ataupun|maupun|or|nor)\b|/")  # a list whose items are all denied
_LIST_SEPARATOR = re.compile(r",|/|\b(?:atau|ataupun|maupun|or|nor)\b")
# Words between a negation and its sign that do not stop it ("tidak ada tanda-tanda seperti bengkak").
_FILLERS = frozenset(
    """
    ada rasa terasa merasa merasakan mengalami yang juga pernah lagi begitu terlalu kok sih sama sekali
    tanda tanda-tanda gejala seperti semacam di pada any a an the sign signs symptom symptoms of some at all
    feel feeling have having got there is are in on my his her its
    """.split()
)
_NEGATION_WINDOW_WORDS = 3  # words that are not fillers, from a negation to the first sign it denies
_LIST_ITEM_WORDS = 4  # words of each further item of a denied list
_NEXT_SEPARATOR = re.compile(r"\s*(?:,|/|\b(?:atau|ataupun|maupun|or|nor)\b)\s*")
# A negation of knowing or of being able, not of a sign: "tidak tahu kenapa", "not sure if",
# "tidak bisa merasakan selangkangan" (an inability is a sign itself).
_KNOWING = re.compile(
    r"\s+(?:tahu|tau|yakin|ingat|paham|mengerti|tentu|pasti|bisa|dapat|mampu|sanggup"
    r"|know|sure|remember|understand|able)\b"
)
# What a cut leaves behind: "a , . b" -> "a. b", "a. . b" -> "a. b".
_LEFT_BEHIND = re.compile(r"(?<=[.!?])\s*[.,;:]+(?!\w)|\s*[,;:](?=\s*[,.;:!?])|\s+(?=[,.;:!?])")
_WORD = re.compile(r"[\w'-]+")


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
        (("leg",), ("one_side", "one_side_body"), ("sudden",), ("limb_weak",)),
        (("stroke_word",), ("sudden", "one_side", "one_side_body"), ("weak_numb", "face", "speech", "vision")),
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
    "seizure": (
        (("seizure",),),
        (("kejang",), ("whole_body",)),
    ),
    "collapse": (
        (("collapse",),),
        (("near_faint",), ("chest", "palpitations", "breathless")),
    ),
    "heat_illness": (
        (("heat", "exertion"), ("confusion",)),
        (("heat",), ("exertion",), ("no_sweat", "vomit")),
        (("heat", "exertion"), ("hot_skin",), ("no_sweat", "vomit", "near_faint", "collapse")),
        (("no_sweat",), ("hot_skin",)),
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
     "collapse", "confusion", "no_sweat", "worsening", "disproportionate", "emergency_word"}
)

LONG_CRAMP_MINUTES = 10
_STILL = re.compile(
    r"\b(?:sampai sekarang|masih|belum|(?:tidak|can) (?:berhenti|hilang|reda|sembuh|selesai)|tidak sudah-sudah|still"
    r"|won'?t (?:stop|let go))\b"
)
_NUMBER_WORDS = {"se": 1, "satu": 1, "a": 1, "an": 1, "one": 1, "dua": 2, "two": 2, "tiga": 3, "three": 3,
                 "sepuluh": 10, "ten": 10, "lima belas": 15, "fifteen": 15, "dua puluh": 20, "twenty": 20,
                 "tiga puluh": 30, "thirty": 30, "setengah": 0.5, "half an": 0.5, "half": 0.5}
_DURATION = re.compile(
    r"\b(\d+|lima belas|dua puluh|tiga puluh|sepuluh|setengah|satu|dua|tiga|half an|half|an|a|one|two|three|ten"
    r"|fifteen|twenty|thirty)\s*-?\s*(jam|menit|hours?|minutes?|mins?)\b|\bse(jam|menit)\b"
    r"|\b(berjam-jam|(?:for|selama) hours"
    r"|(?:sejak|dari) (?:tadi |mau |jam \d+ )?(?:pagi|subuh|siang|sore|malam|semalam|kemarin)"
    r"|since (?:this )?morning|all (?:night|day))\b"
)
_PERSISTING = re.compile(
    r"\b(sudah|lebih|sejak|dari|selama|hampir|belum|masih|for|over|lasted|lasting|has been|more than|ago|lalu|straight"
    r"|still|(?:tidak|can) (?:berhenti|hilang|reda|sembuh|selesai|sudah-sudah)[\w-]*|sampai sekarang|non-?stop"
    r"|won'?t (?:stop|let go))\b"
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
    affirmed: str = ""  # the message without its denials of serious signs ("hamil 30 minggu, tidak ada
    # bengkak, cuma kram" -> "hamil 30 minggu, cuma kram"): what it says is there

    @property
    def emergency(self) -> bool:
        return bool(self.red_flags)

    @property
    def category(self) -> Optional[str]:
        return self.red_flags[0].category if self.red_flags else None


def triage(text: str) -> Triage:
    """The red flags of `text`, in CATEGORIES order, the signs it mentions only to deny them,
    whether it says the complaint has passed, and what it says without its denials."""
    reading = normalized(text)
    present, denied, denials = _signs(reading.text)
    flags: List[RedFlag] = []
    for category in CATEGORIES:
        signs = _raised(category, present, reading.text)
        if signs:
            flags.append(RedFlag(category, signs))
    return Triage(
        tuple(flags),
        frozenset(denied - present),
        "resolved" in present,
        bool(present & _ALARMING),
        _without(text, [reading.raw_span(start, end) for start, end in denials]),
    )


def _without(text: str, spans: Sequence[Tuple[int, int]]) -> str:
    """`text` with `spans` cut out, and the spaces and commas they leave behind tidied."""
    kept, position = [], 0
    for start, end in sorted(spans):
        kept.append(text[position:start])
        position = max(position, end)
    kept.append(text[position:])
    return _LEFT_BEHIND.sub("", " ".join("".join(kept).split())).strip(" ,;:")


def _signs(text: str) -> Tuple[FrozenSet[str], FrozenSet[str], Tuple[Tuple[int, int], ...]]:
    """The signs `text` names, those it denies, and the spans of its denials of serious signs (from
    the negation to the last sign it denies)."""
    matches = [(name, match) for name, pattern in _PATTERNS.items() for match in pattern.finditer(text)]
    scopes = _negation_scopes(text, {match.start() for _, match in matches})
    present: Set[str] = set()
    denied: Set[str] = set()
    last_denied: Dict[int, int] = {}  # scope number -> end of the last sign it denies
    serious: Set[int] = set()  # scopes that deny a serious sign
    for name, match in matches:
        scope = next((n for n, (start, end) in enumerate(scopes) if start < match.start() < end), None)
        if scope is None:
            present.add(name)
        else:
            denied.add(name)
            last_denied[scope] = max(last_denied.get(scope, 0), match.end())
            if name in _ALARMING:
                serious.add(scope)
    # Only denials of serious signs are cut: "supaya tidak kram" asks how to prevent a cramp.
    spans = tuple((scopes[n][0], end) for n, end in sorted(last_denied.items()) if n in serious)
    return frozenset(present), frozenset(denied), spans


def _negation_scopes(text: str, sign_starts: Set[int]) -> List[Tuple[int, int]]:
    """Where each negation reaches: its first item (up to three words that are not fillers), then
    every item of a list that follows ("tidak ada pusing, jantung berdebar, atau hilang kesadaran"),
    up to the end of its clause. A comma continues the list only when an "atau"/"or" closes it. A
    negation that begins a sign ("tidak merasakan", "tidak berkeringat") is that sign, and one of
    knowing or being able ("tidak tahu", "tidak bisa") denies nothing."""
    scopes = []
    for negator in _NEGATOR.finditer(text):
        if negator.start() in sign_starts or _KNOWING.match(text, negator.end()):
            continue
        clause = _CLAUSE_BREAK.search(text, negator.end())
        clause_end = clause.start() if clause else len(text)
        end = _item_end(text, negator.end(), clause_end, _NEGATION_WINDOW_WORDS, fillers_free=True)
        while True:
            separator = _NEXT_SEPARATOR.match(text, end, clause_end)
            if not separator:
                break
            if separator.group(0).strip() == "," and not _DISJUNCTION.search(text, separator.end(), clause_end):
                break
            end = _item_end(text, separator.end(), clause_end, _LIST_ITEM_WORDS, fillers_free=False)
        scopes.append((negator.start(), end))
    return scopes


def _item_end(text: str, start: int, limit: int, words: int, fillers_free: bool) -> int:
    """The end of the item starting at `start`: at most `words` words (fillers not counted when
    `fillers_free`), before the next list separator and before `limit`."""
    end, counted = start, 0
    for match in _WORD.finditer(text, start, limit):
        if _LIST_SEPARATOR.match(text, _skip_spaces(text, end)) and end > start:
            break
        if not (fillers_free and match.group(0) in _FILLERS):
            counted += 1
        if counted > words:
            break
        end = match.end()
        if _LIST_SEPARATOR.fullmatch(match.group(0)):
            end = match.start()
            break
    return end


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] == " ":
        position += 1
    return position


def _raised(category: str, present: FrozenSet[str], text: str) -> Tuple[str, ...]:
    if category == "compartment":
        groups = [group for group in _COMPARTMENT_GROUPS if present.intersection(group)]
        if "injury" in present and len(groups) >= 2:
            return tuple(sorted({"injury"}.union(*(present.intersection(group) for group in groups))))
        return ()
    if category == "prolonged_cramp":  # and has not eased ("... lalu hilang" is not one)
        lasting = "cramp" in present and "resolved" not in present and _long_duration(text)
        return ("cramp", "duration") if lasting else ()
    for combination in _RULES[category]:
        if all(present.intersection(group) for group in combination):
            return tuple(sorted(set().union(*(present.intersection(group) for group in combination))))
    return ()


def _long_duration(text: str) -> bool:
    """A duration of at least LONG_CRAMP_MINUTES that the clause says is still going on or over."""
    position = 0
    for clause in re.split(r"[,.;!?]", text):
        position += len(clause) + 1
        if not _PERSISTING.search(clause):
            continue
        for match in _DURATION.finditer(clause):
            # "since this morning": only if still going, said then or after ("..., sekarang belum sembuh")
            since = match.group(0).startswith(("sejak", "dari", "since"))
            if _minutes(match) >= LONG_CRAMP_MINUTES and (not since or _STILL.search(clause + text[position:])):
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

