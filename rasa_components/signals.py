"""Signals that a customer's message needs a person, read from the text alone.

Plain functions (no Rasa, no I/O), used by the Rasa pipeline's `HandoffSignals`
component (`rasa_components.handoff`) beside the trained intent classifier, and tested
on their own (`tests/unit/test_handoff_signals.py`):

- **frustration**: a negative sentiment score from VADER (the `vaderSentiment` package,
  an offline lexicon), shouting in capitals, runs of "!!!" or "?!?", insults VADER's
  lexicon lacks, and the word "complaint" itself;
- **hazard**: words for smoke, flames, sparks, shocks received, burning smells, melting,
  leaking gas — a safety report must never depend on the classifier alone;
- **person**: an explicit request for a human, also phrased around "contact", "reach",
  "operator", a helpline or "you're not helping" (issue 16); a declined call ("don't call
  me"), a call from the technician and an opt-out ("stop texting me") are not;
- **not for a person**: such a declined call or opt-out, "i'll reply later", or praise
  ("you've been very helpful"): it overrules a classifier that read the message as
  `request_human` or `complain` when no other signal says a person is needed (the gateway
  handles opt-outs before Rasa).

Serial numbers and references are upper case by nature: tokens with digits never count
as shouting. Customer messages here are short SMS/WhatsApp texts in English, Hindi in
Devanagari and romanised Hindi / Hinglish, often mixed (issue 17). VADER reads English
only, so each signal has Hindi rules of its own (the `_HI` patterns, matched on
`_hindi(text)`), and Hindi words of unhappiness ("tang aa gaya", "बहुत परेशान हो गया हूं")
count like a negative score (`Signals.unhappy`); English is read exactly as before.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

NEGATIVE = -0.5  # VADER compound score at or below which a message reads as unhappy
NEGATIVE_WITH_EMPHASIS = -0.25  # ... when it also shouts or piles up punctuation
SHOUTING_SHARE = 0.7  # share of upper-case letters among the letters of word tokens
SHOUTING_MIN_LETTERS = 8

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_TOKEN = re.compile(r"\S+")
_EMPHASIS = re.compile(r"(?:[!?]\s*){3,}|!{2,}")
# Insults, threats and explicit complaints VADER's lexicon scores mildly or not at all.
_COMPLAINT_WORDS = re.compile(
    r"\b(idiots?|stupid|morons?|useless|pathetic|rubbish|garbage|nonsense|hopeless|bakwas|bekar|"
    r"cheat(?:s|ed|ers?|ing)?|frauds?|scam(?:mers?)?|liars?|incompetent|disgust(?:ing|ed)|disgrace(?:ful)?|"
    r"shameful|shame on|worst|ridiculous|unacceptable|ruined|fed up|waste of (?:time|money)|"
    r"complain(?:t|ts|ing)?|sue you|consumer (?:court|forum)|lawyer|legal action)\b",
    re.IGNORECASE,
)
# Words for something happening, not for a risk asked about: "could it catch fire?" and
# "is there a risk of shock?" are questions (ask_safety); "it caught fire" and "i got a
# shock" are reports.
_HAZARD = re.compile(
    r"\b(smok(?:e|es|ed|ing|y)|dhuan|spark(?:s|ed|ing|ling)?|melt(?:s|ed|ing)|burn(?:t|ing|ed)|"
    r"charred|scorch(?:ed|ing)|sizzl\w*|crackl\w*|flames?|caught fire|on fire|catching fire|"
    r"(?:got|get|getting|gave me|giving|gives)\b.{0,15}\bshock|shocked|electrocuted|blast|explo(?:ded|sion)|"
    r"short[- ]?circuit\w*|gas (?:leak|smell)\w*|leaking gas)\b",
    re.IGNORECASE,
)
# Melting is a hazard when a part melts ("the plug melted"), not the food in a fridge that
# stopped cooling ("all the ice cream melted"): the words just before say which.
_FOOD_BEFORE_MELT = re.compile(
    r"\b(food|ice ?creams?|ice|kulfi|butter|chocolates?|ghee|chicken|meat|fish|paneer|frozen \w+|everything|"
    r"stuff|items?|things)\b"
    r"[^.!?]{0,30}$",
    re.IGNORECASE,
)


_PART_BEFORE_MELT = re.compile(
    r"\b(plug|wire|wires|wiring|cable|cord|socket|switch|board|compressor|motor|panel|insulation|plastic|"
    r"back|light|bulb|fan|thermostat)\b[^.!?]{0,20}$",
    re.IGNORECASE,
)


def _hazard_reported(text: str) -> bool:
    for match in _HAZARD.finditer(text):
        before = text[: match.start()]
        food = match.group(0).lower().startswith("melt") and _FOOD_BEFORE_MELT.search(before)
        if food and not _PART_BEFORE_MELT.search(before):
            continue
        return True
    return False


_PERSON = re.compile(
    r"\b((?:real |actual |live |a |an |some )?(?:human|person|people|agent|executive|representative|"
    r"somebody|someone|officer|manager|supervisor|staff)\b.{0,20}\b(?:talk|speak|call|chat|connect|"
    r"transfer|want|need)|(?:talk|speak|chat|connect|transfer)\w*\b.{0,25}\b(?:human|person|agent|executive|"
    r"representative|someone|somebody|manager|supervisor|customer care|customer service|support team)|"
    r"call me(?: back)?|callback|call back|not a bot|stop the bot|no (?:more )?bots?\b|"
    r"(?:don'?t|do not) want .{0,20}\bbot\b|"
    # issue 16: "contact" / "reach" / "operator" / helplines / "you're not helping"
    r"(?:contact|reach|get in touch with|get hold of)\b.{0,25}\b(?:human|person|people|someone|somebody|agent|"
    r"executive|representative|customer care|customer service|support|help ?desk|team|company|arctica)|"
    r"(?:someone|somebody|anyone|agent|executive|team)\b.{0,20}\b(?:contact|reach|get in touch with) (?:me|us)\b|"
    r"who (?:do|should|can|could) i (?:contact|call|ring|talk to|speak to|write to)|"
    r"contact (?:details|number|no|info)\b.{0,20}\b(?:customer care|customer service|support|helpline|team|company)|"
    r"(?:give|send|share|need|want|what'?s|what is)\b.{0,12}\bcontact (?:details|number|no|info)|"
    r"op(?:e)?r(?:a)?t[oe]rs?|help ?lines?|hotline|toll[- ]?free|"  # operator, oprator, operater
    r"number (?:i|we) (?:can|could|should) (?:call|ring|dial)|number to (?:call|ring|dial)|"
    r"(?:someone|somebody|anyone|person|human)\b.{0,10}\b(?:who|that) (?:can|could|will|knows)|"
    r"escalat(?:e|ed|ing|ion)|"
    r"(?:get|give|find) me (?:a |an |some |your |ur )?(?:real |actual |live )?(?:human|person|agent|operator|"
    r"representative|executive|manager|supervisor)|"
    r"(?:need|want) (?:a |an )?(?:real |actual |live )?(?:human|agent)s?\b|"
    r"(?:not|isn'?t|aren'?t|are not|is not|no)\s+(?:really\s+)?(?:helping|helpful|of (?:any )?help)|unhelpful|"
    r"no help\b(?! (?:needed|required)))",
    re.IGNORECASE,
)
# Not a request for a person: a declined call, the technician's call before the visit
# ("the technician can call me"), and an opt-out ("stop texting me") — the gateway treats
# opt-outs before Rasa; a handoff would only ask a person to write to someone who said stop.
_DECLINED_CALL = re.compile(
    r"\b(?:(?:don'?t|do not|dont|never|no need to|not|without)\s+(?:to\s+)?(?:call|ring|phone|contact)\w*|"
    r"(?:technician|engineer|he|she|they)\s+(?:can|will|should|could|may|must|pls|please|to)?\s*"
    r"(?:call|ring|phone|contact)\w*)\b",
    re.IGNORECASE,
)
_OPT_OUT = re.compile(
    r"\b(?:(?:stop|quit)\s+(?:texting|messaging|msging|sending|contacting|calling|spamming)|"
    r"(?:don'?t|do not|dont|never)\s+(?:text|message|msg|sms|whatsapp|contact|call)\s+(?:me|us)\b|"
    r"unsubscribe|leave me alone|remove my (?:number|no)|no more (?:messages|texts|msgs))",
    re.IGNORECASE,
)
# The customer will write again later: "will reply later", "i'll contact you once i'm home".
_LATER = re.compile(
    r"\b(?:i'?ll|i will|will)\s+(?:reply|respond|text|message|msg|write|contact you|get back|revert)\b"
    r".{0,30}\b(?:later|once|when|after|tomorrow|tonight|soon|in a bit)\b",
    re.IGNORECASE,
)
_PRAISE = re.compile(r"\b(?:helpful|appreciate(?:d)?)\b", re.IGNORECASE)
# Questions, not accusations or requests (answered from the campaign, actions/questions.py):
# "is this a scam??", "r u legit or fraud", "does someone need to be home for the visit".
_TRUST_QUESTION = re.compile(
    r"\b(?:is (?:this|it|that|dis)|(?:are|r) (?:you|u)|sounds like|looks like|kya (?:ye|yeh))\b.{0,25}?"
    r"\b(?:a |an )?(?:scam|fraud|fake|spam)\b|^\W*(?:scam|fraud|fake)\W*\?+\W*$|"
    r"\b(?:this|it) (?:is|looks|seems) (?:a |an |like )?(?:scam|fraud|fake)\b(?=.{0,12}(?:\?|\bright\b|\bor not\b))",
    re.IGNORECASE,
)
_SOMEONE_AT_HOME = re.compile(
    r"\b(?:someone|somebody|anyone|anybody|person)\s+(?:needs?|has|have|must|should)\s+(?:to\s+)?(?:be\s+)?"
    r"(?:at\s+)?(?:home|there|present|in)\b",
    re.IGNORECASE,
)


# Hindi in Devanagari and romanised Hindi / Hinglish (issue 17). VADER reads English only,
# so each signal above gets its Hindi words, matched on `_hindi(text)`: lower case, nukta
# and zero-width joiners dropped, chandrabindu written as anusvara ("धुआँ" = "धुआं"). Python's
# `\b` does not work inside Devanagari (vowel signs are not `\w`): `_B`/`_E` mark word edges.
_DEVA = "\u0900-\u0963\u0966-\u097f"
_B = rf"(?<![\w{_DEVA}])"
_E = rf"(?![\w{_DEVA}])"


_DEVANAGARI = re.compile(r"[\u0900-\u097f]")


def _hindi(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    text = text.replace("\u093c", "").replace("\u200c", "").replace("\u200d", "").replace("\u0901", "\u0902")
    text = re.sub(r"([a-z])\1{2,}", r"\1\1", text)  # "bakwaaaas", "chorrr"
    return re.sub(r"\s+", " ", text)


def _hi(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"{_B}(?:{pattern}){_E}")


# Verb forms of an event that happened or is happening ("lag gayi", "लग रही"), never of a
# risk asked about ("lag sakti hai?", "lagne ka khatra", "आग का खतरा"): those are ask_safety.
_HAPPENED = (
    r"(?:lag|lg)\s*(?:gay[ia]|gai|gyi|gya|gaye|gye|chuki|chuka|rah[ia]|rh[ia]|rahe)|laga|lagaa|lagi|lga|lgi|"
    r"lagta|lagti|lgta|lgti|लग\s*(?:गया|गई|गयी|गए|चुकी|चुका|रहा|रही|रहे)|लगा|लगी|लगता|लगती"
)
_SHOCK_NOUN = r"current|karant|karent|currant|shock|shok|jhatka|jhatke|jhtka|करंट|करेंट|करन्ट|शॉक|झटका|झटके"
_GIVES = (
    r"maa?r\s*(?:raha|rha|rahi|rhi|diya|dia)|maa?rta|maa?rti|maa?ra|de\s*(?:raha|rha|rahi|rhi|diya|dia)|deta|deti|"
    r"मार\s*(?:रहा|रही|दिया)|मारता|मारती|मारा|दे\s*(?:रहा|रही|दिया)|देता|देती"
)
_HAZARD_HI = _hi(
    # smoke, sparks: the words themselves are reports
    r"dh(?:u|oo)n?w?aa?n?|ध[ुू]ं?(?:आ|वा)ं?|chin?gaa?r(?:i|ee|iya|iyan|iyaan|iyon)|चि[ंन]?गार(?:ी|ियां|िया|ियों)|"
    r"sparking|स्पार्क\w*|स्पार्किंग|"
    # fire
    rf"(?:aag|आग)\s+(?:{_HAPPENED}|nikal\w*|nikl\w*|pakad\w*|pakd\w*|निकल\S*|पकड\S*)|"
    r"(?:aag|आग)\s+(?:ki|की)\s+(?:lapat\w*|lapet\w*|लपट\S*)|lapat(?:e|en|ein)?|lapte\w*|लपट\S*|"
    # a shock received, a live body
    rf"(?:{_SHOCK_NOUN})\s+(?:{_HAPPENED}|{_GIVES})|"
    r"(?:body|handle|door|darwaz\w*|steel|metal|upar|bahar|बॉडी|हैंडल|दरवाज\S*|डोर|ऊपर|बाहर)\s+"
    r"(?:me|mein|mai|main|mei|se|par|pe|pr|में|मे|से|पर|पे)\s+(?:bhi\s+|भी\s+)?"
    r"(?:current|karant|karent|करंट|करेंट)\s+(?:aa|aata|aati|a|आ|आता|आती)(?!.{0,12}(?:nahi|nhi|nahin|नहीं|नही))|"
    # burning smells, something burnt
    r"jal(?:ne|ene)\s+(?:ki|jaisi|jesi|jaisa|wali|vali|ka)|jali\s+(?:hui|huyi|hue|si)|"
    r"जलने\s+(?:की|जैसी|जैसा|वाली|का)|जली\s+(?:हुई|सी)|"
    r"jal\s*(?:gay[ia]|gai|gyi|gya|gaye|gye|rah[ia]|rh[ia]|rahe|chuka|chuki)|"
    r"(?:jal|जल)\s*(?:ke|kar|के|कर)\s+(?:kala|kaala|kali|raakh|rakh|काला|काली|राख)|"
    r"जल\s*(?:गया|गई|गयी|गए|रहा|रही|रहे|चुका|चुकी)|"
    # melting
    r"pighal\w*|pighl\w*|पिघल\S*|"
    # short circuit, gas, explosions
    r"(?:shot|sort|shart|short)\s*(?:circuit|sircuit|circit|sarkit)\w*|(?:शॉर्ट|शार्ट)\s*सर्किट|"
    r"gas\s+(?:ki|ka)\s+(?:smell|badbu|badboo|boo|bu|gandh)|gas\s+(?:nikal|leak|lik)\w*|"
    r"गैस\s+(?:लीक|निकल\S*|की\s+(?:बदबू|गंध|स्मेल|बू))|dhamaa?ka|dhamake|धमाका|धमाके|ब्लास्ट"
)
# Extreme heat and anger are "aag" too: "aag jaisi garmi", "garmi me aag lag rahi hai".
_NOT_FIRE_HI = re.compile(r"garmi|garmee|dhoop|dhup|mausam|weather|gussa|गर्मी|धूप|मौसम|गुस्स")
# A lamp that is on "burns" ("light jal rahi hai"): not a fire.
_LIGHT_BEFORE = re.compile(
    rf"{_B}(?:light|lite|bulb|batti|led|lamp|candle|mombatti|लाइट|बल्ब|बत्ती|दीया|दीपक|मोमबत्ती){_E}(?:\s+\S+){{0,2}}\s*$"
)
_FOOD_BEFORE_MELT_HI = re.compile(
    rf"{_B}(?:khana|khaana|barf|baraf|baraff|ice\s?creams?|icecream|kulfi|makhan|makkhan|ghee|chocolates?|doodh|"
    r"dudh|dahi|paneer|sabzi|sabji|meat|chicken|fish|machli|machhli|sab|sabkuch|saman|samaan|saaman|cheez\w*|"
    rf"items?|खाना|बर्फ|आइसक्रीम|आइस\s+क्रीम|कुल्फी|मक्खन|घी|चॉकलेट|दूध|दही|पनीर|सब्जी|सब्ज़ी|सामान|सब|चीज\S*){_E}"
    r"[^.!?।]{0,30}$"
)
_PART_BEFORE_MELT_HI = re.compile(
    rf"{_B}(?:plug|wire|wires|wiring|taar|tar|cable|socket|switch|board|compressor|motor|panel|plastic|back|"
    rf"light|bulb|प्लग|तार|वायर|केबल|सॉकेट|स्विच|बोर्ड|कंप्रेसर|मोटर|प्लास्टिक){_E}[^.!?।]{{0,20}}$"
)


# "agar dhuan nikle to kya karein?", "अगर आग लग जाए तो": a hazard supposed, not reported
# (a question about a risk: ask_safety). Only a condition before the word counts.
_SUPPOSED_HI = re.compile(rf"{_B}(?:agar|agr|yadi|yedi|अगर|यदि){_E}")


def _hazard_reported_hi(text: str) -> bool:
    for match in _HAZARD_HI.finditer(text):
        word, before = match.group(0), text[: match.start()]
        if _SUPPOSED_HI.search(before):
            continue
        if word.startswith(("aag", "आग")) and _NOT_FIRE_HI.search(text):
            continue
        if word.startswith(("jal", "जल")) and _LIGHT_BEFORE.search(before):
            continue
        melt = word.startswith(("pighal", "pighl", "पिघल"))
        if melt and _FOOD_BEFORE_MELT_HI.search(before) and not _PART_BEFORE_MELT_HI.search(before):
            continue
        return True
    return False


# Complaints, insults and threats; "kharab" alone is a fault ("fridge kharab ho gaya",
# "khana kharab ho gaya"), "kharab service" is a complaint; "chor do" is "chhod do" (leave it).
_COMPLAINT_HI = _hi(
    r"shik(?:aa|a)y(?:aa|a|e)t\w*|bakw?aa?s+|bakv?aa?s|bekaa?r|bekkar|ghatiy[ae]|ghatia|ghateya|"
    r"chor\s+(?:company|compny|kampani|kampni|log|ho|hai|hain|h|brand|kahi\w*|sale|saale|sala)|"
    r"(?:tum|aap|ap|sab|sabhi|saare|sare|ye|yeh|tumlog|aaplog|log)\s+(?:log\s+|sab\s+)?chor"
    r"(?!\s+(?:do|de|dena|diya|dia|dijiye|ke|kar|chuka|chuki))|"
    r"dhokh?aa?|dhokh?e\s*baa?z\w*|dhokh?aa?\s*dhadi|dhoke\s+se|"
    r"pagal\s+(?:bana|banaa|samajh|samjh|ho\s+kya|hai\s+kya)\w*|(?:bew?a?k(?:oo|ou|u|o)f|bevkoof|ullu|buddhu|murkh)"
    r"(?:\s+bana\w*)?|nalaa?yak|nikamm[eai]|kamin[ea]|harami|haraamkhor|chutiy\w*|besharam|"
    r"sharam\s+(?:nahi|nhi|karo|aani|aati)|faa?ltu\s+(?:service|company|log|brand|product|cheez|saman|system|ki|ka|ke)|"
    r"chor(?:o|on|ro)\s+(?:ki|ka|ke)|jh(?:oo|u)th?e?\s+(?:log|ho|hai|company|kampani)|jh(?:oo|u)th\s+bol\w*|"
    r"laa?nat|badtameez\w*|badtamiz\w*|kisi\s+kaam\s+(?:ke|ka|ki)\s+(?:nahi|nhi)|"
    r"(?:kharab|kharaab|bekar|bura|buri|ganda|gandi|worst)\s+(?:service|servise|sarvis|company|kampani|experience|"
    r"support|brand)|sabse\s+(?:kharab|kharaab|ghatiya|bekar|bekaar|bura|buri|bakwas)|"
    r"thag\w*|loo?t\s*(?:rahe|rhe|liya|lia|macha\w*)|lootere|lutere|"
    r"(?:case|kes|mukadma|mukadama)\s+(?:kar|thok)\w*|court\s+(?:me|mein|jaunga|jaungi|le\s+jaunga)|"
    r"legal\s+notice|police\s+(?:me|mein|complaint|case)|"
    r"शिकायत\S*|बकवास|बेकार|घटिया|चोर|चोरों|झूठे|झूठा|झूठ\s+बोल\S*|लानत|बदतमीज\S*|फ्रॉड|फ्रोड|स्कैम|"
    r"फालतू\s+(?:का|की|के|सर्विस|कंपनी|बॉट)|किसी\s+काम\s+(?:के|का|की)\s+नहीं|धोखा|धोखे\S*|धोखाधडी|ठग\S*|लूट\s*(?:रहे|लिया|ली)|लुटेरे|"
    r"पागल\s+(?:बना|समझ)\S*|बेवकूफ\S*|उल्लू\s+बना\S*|नालायक|निकम्म\S*|कमीने|बेशर्म|शर्म\s+(?:नहीं|करो)|"
    r"(?:खराब|बेकार|बुरी|गंदी|बकवास)\s+(?:सर्विस|सेवा|कंपनी|सपोर्ट)|सबसे\s+(?:खराब|घटिया|बेकार|बुरी|बुरा)|"
    r"(?:कंज्यूमर|उपभोक्ता)\s+(?:कोर्ट|फोरम|अदालत|न्यायालय)|केस\s+कर\S*|कोर्ट\s+(?:में|जाऊंगा)|कंप्लेंट|कंप्लेन"
)
# A trust question is not an accusation: "kya ye dhokha hai?", "क्या ये फ्रॉड है?".
_TRUST_QUESTION_HI = re.compile(
    rf"{_B}(?:kya|kia|क्या){_E}.{{0,25}}?{_B}(?:dhokh?aa?|fraud|froud|fake|scam|farzi|nakli|धोखा|फ्रॉड|फ्रोड|फर्जी|"
    rf"नकली|स्कैम|फेक){_E}|{_B}(?:dhokh?aa?|fraud|fake|scam|farzi|nakli|धोखा|फ्रॉड|फर्जी|नकली)\s+(?:to\s+|तो\s+)?"
    r"(?:nahi|nhi|नहीं|नही)(?:\s+(?:hai|h|है))?\s*\?|"
    # "asli hai ya fraud?", "सच है या फ्रॉड": real or a fraud, asked
    rf"{_B}(?:asli|asal|sach|sachchi|sahi|real|genuine|असली|सच|सही){_E}.{{0,30}}?{_B}(?:ya|or|या){_E}\s+"
    rf"(?:koi\s+|कोई\s+)?(?:dhokh?aa?|fraud|froud|fake|scam|farzi|nakli|धोखा|फ्रॉड|फ्रोड|फर्जी|नकली|स्कैम|फेक){_E}|"
    # "kahin ye scam to nahi", "कहीं यह फ्रॉड तो नहीं": a worry, asked
    rf"{_B}(?:kahi|kahin|kahi\s+na|कहीं){_E}.{{0,20}}?{_B}(?:dhokh?aa?|fraud|fake|scam|farzi|nakli|धोखा|फ्रॉड|फर्जी|"
    r"नकली|स्कैम|फेक)\s+(?:to\s+|तो\s+)?(?:nahi|nhi|नहीं|नही)",
    re.IGNORECASE,
)
# Unhappiness VADER cannot read in Hindi: as strong as a sentiment score at NEGATIVE.
_UNHAPPY_HI = _hi(
    r"tang\s+(?:aa|a)\s*(?:gaya|gayi|gya|gyi|gai|chuka|chuki)|tang\s+(?:ho\s+gaya|ho\s+gayi|ho\s+gya|kar\s+diya)|"
    r"pare?shaa?n\s+(?:ho\s+(?:gaya|gayi|gya|gyi|gai|chuka|chuki)|hoon|hu|hun|kar\s+(?:diya|dia|rakha|rahe|rhe))|"
    r"bahut\s+pare?shaa?n|presh?aa?n\s+(?:ho\s+gaya|hoon)|hadd?\s+(?:ho\s+gayi|ho\s+gai|ho\s+gyi|hai|kar\s+di)|"
    r"gussa|gussaa|gusse|naraa?z|dukhi|niraa?sh|thak\s+(?:gaya|gayi|gya|gyi|gai|chuka|chuki)|bura\s+(?:lag|laga)\w*|"
    r"mazaa?k\s+(?:bana|bna|kar)\w*|kitni\s+(?:baar|bar|bari)\s+(?:bol|bata|kah|samjha|likh|message|call)\w*|"
    r"kab\s+se\s+(?:wait|intezaar|intzar|intjar|intezar)|(?:dimag|dimaag|दिमाग)\s+(?:kharab|kharaab|खराब)|"
    r"(?:time|samay|waqt|टाइम|समय|वक्त)\s+(?:waste|barbaa?d|kharab|वेस्ट|बर्बाद|खराब)|"
    r"तंग\s+आ\S*|परेशान\s+(?:हो\s+(?:गया|गई|गयी|चुका|चुकी)|हूं|हु|कर\s+(?:दिया|रखा|रहे))|बहुत\s+परेशान|"
    r"हद\s+(?:हो|है|कर)\S*|गुस्सा|गुस्से|नाराज|दुखी|निराश|थक\s+(?:गया|गई|गयी|चुका|चुकी)|बुरा\s+लग\S*|मजाक\s+बना\S*|"
    r"कितनी\s+बार\s+(?:बोल|बता|कह|समझा|लिख)\S*"
)
_PERSON_NOUN_HI = (
    r"insaa?n|insan|aadmi|admi|banda|bande|vyakti|person|human|agent|executive|manager|maneger|manejar|supervisor|"
    r"senior|adhikari|officer|staff|kisi|customer\s*care|costumer\s*care|customer\s*service|customer\s*support|"
    r"support\s*team|team|company|office|operator|oprator|operater|call\s*cent(?:er|re)|service\s*cent(?:er|re)|"
    r"ऑपरेटर|एग्जीक्यूटिव|एक्जीक्यूटिव|टीम|सपोर्ट\s*टीम|कॉल\s*सेंटर|सर्विस\s*सेंटर|इंसान|इन्सान|आदमी|व्यक्ति|बंदे|बंदा|एजेंट|मैनेजर|मेनेजर|सुपरवाइजर|सीनियर|अधिकारी|"
    r"किसी|कस्टमर\s*केयर|कस्टमर\s*सर्विस|कंपनी|ऑफिस"
)
_ASK_VERB_HI = (
    r"karao|karaao|krao|karwao|karvao|krwao|karwa\s*do|karva\s*do|krwa\s*do|kara\s*do|karwaiye|karvaiye|karaiye|"
    r"karaye|karwaye|karwa\s*dijiye|karni|krni|karna|krna|kar\s*(?:sakta|sakti|sakte|skta|skte|sku|sakun)|kardo|"
    r"kar\s*do|karo|kro|kijiye|chahiye|chaiye|chahta|chahti|"
    r"कराओ|कराइए|करवाओ|करवा\s*दो|करवाइए|करवा\s*दीजिए|करा\s*दो|करनी|करना|कर\s*(?:सकता|सकती|सकते|सकूं)|करो|कीजिए|चाहिए|चाहता|चाहती"
)
_CALL_VERB_HI = (
    r"karo|kro|kar\s*do|kardo|krdo|kariye|kijiye|kijie|karein|karen|karna|kar\s*dena|kar\s*lo|kar\s*lena|"
    r"kar\s*(?:sakte|skte|sakti|sakta)|kar\s*dijiye|karwao|karwa\s*do|"
    r"करो|करें|कीजिए|कीजिये|कर\s*दो|कर\s*दीजिए|करना|कर\s*दें|कर\s*लो|करवाओ|कर\s*सकते"
)
_PERSON_HI = _hi(
    rf"(?:{_PERSON_NOUN_HI})\s+(?:se|sey|ko|से|को)\s+(?:\S+\s+){{0,2}}?(?:baa?t|connect|transfer|contact|बात|कनेक्ट|"
    rf"ट्रांसफर|कॉन्टैक्ट)\s*(?:{_ASK_VERB_HI})|"
    rf"(?:baa?t|बात)\s+(?:\S+\s+){{0,2}}?(?:{_PERSON_NOUN_HI})\s+(?:se|से)\s+(?:{_ASK_VERB_HI})|"
    rf"(?:{_PERSON_NOUN_HI})\s+(?:se|ko|से|को)\s+(?:(?:kaise|kese|कैसे)\s+(?:contact|sampark|baa?t|कॉन्टैक्ट|संपर्क|बात)"
    r"|(?:contact|sampark|कॉन्टैक्ट|संपर्क)\s+(?:kaise|kese|कैसे))|"
    r"(?:koi|कोई)\s+(?:\S+\s+){0,2}?(?:mujhe|mujhse|humse|hume|hamein|मुझे|मुझसे|हमसे|हमें)\s+(?:call|phone|fone|contact|"
    r"sampark|कॉल|फोन|संपर्क|कॉन्टैक्ट)\s+(?:kare|karein|karo|kar\s+sakta|kar\s+sake|karega|करे|करें|कर\s+सकता|कर\s+सके)|"
    r"(?:call|phone|कॉल|फोन)\s*(?:back|बैक)\s+(?:chahiye|chaiye|चाहिए)|ऑपरेटर|"
    r"(?:apna|aapka|apka|अपना|आपका)\s+(?:phone\s+|contact\s+|mobile\s+|फोन\s+)?(?:number|nmbr|नंबर)\s+"
    r"(?:do|de|dijiye|bhejo|batao|दो|दीजिए|भेजो|बताओ)|"
    r"(?:customer\s*care|customer\s*service|call\s*cent(?:er|re)|service\s*cent(?:er|re))\s+(?:ka|का)\s+"
    r"(?:phone\s+|फोन\s+)?(?:number|no|nmbr|numbr|contact|नंबर|नम्बर)|"
    r"(?:कस्टमर\s*केयर|कस्टमर\s*सर्विस|कॉल\s*सेंटर|सर्विस\s*सेंटर)\s+(?:ka\s+|का\s+)?(?:phone\s+|फोन\s+)?"
    r"(?:number|no|contact|नंबर|नम्बर)|"
    r"(?:manager|supervisor|senior|insaa?n|aadmi|मैनेजर|सीनियर|इंसान)\s+(?:ko\s+|को\s+)?(?:bulao|bula\s*do|bulaiye|बुलाओ|बुला\s*दो|बुलाइए)|"
    r"(?:asli|sachch?a|zinda|jinda|असली|रियल|सच्चे|सच्चा)\s+(?:insaa?n|insan|aadmi|admi|banda|bande|person|"
    r"human|vyakti|इंसान|इन्सान|आदमी|व्यक्ति|बंदे)|"
    r"(?:real|live)\s+(?:insaa?n|insan|aadmi|admi|banda|bande|vyakti|इंसान|इन्सान|आदमी|व्यक्ति|बंदे)|"
    r"(?:insaa?n|insan|aadmi|admi|human|agent|इंसान|आदमी|एजेंट)\s+(?:chahiye|chaiye|chahie|चाहिए)|"
    r"koi\s+(?:insaa?n|human|person|agent)\s+(?:hai|h|he|nahi|nhi|chahiye)|कोई\s+इंसान\s+(?:है|नहीं|चाहिए)|"
    r"हेल्पलाइन|टोल\s*फ्री|"
    rf"(?:mujhe|muje|mujhko|mjhe|hume|humein|hamein|hame|mereko|mere\s+ko|मुझे|हमें)?\s*(?:ek\s+|एक\s+)?"
    rf"(?:call|phone|fone|kol|कॉल|काल|फोन)\s+(?:back\s+|बैक\s+)?(?:{_CALL_VERB_HI})|"
    r"(?:bot|robot|बॉट|रोबोट)\s+(?:se\s+|से\s+)?(?:baa?t\s+|बात\s+)?(?:nahi|nhi|नहीं)\s*(?:karni|karna|chahiye|करनी|करना|चाहिए)|"
    r"(?:aap|ap|tum|tu|आप|तुम)\s+(?:log\s+|लोग\s+)?(?:koi\s+|कोई\s+)?(?:madad|maddat|help|मदद|हेल्प)\s+(?:nahi|nhi|nahin|नहीं)\s+"
    r"(?:kar|kr|कर)|koi\s+(?:madad|help)\s+(?:nahi|nhi)\s+(?:mil|ho|kar)\w*|कोई\s+मदद\s+नहीं"
)
# Not a request for a person: a declined call, the technician's call, an opt-out, "later".
_DECLINED_CALL_HI = re.compile(
    rf"{_B}(?:(?:mat|mt|na|nahi|nhi|मत|न|ना|नहीं)\s+(?:call|phone|fone|कॉल|फोन){_E}\s*\S*|"
    rf"(?:call|phone|fone|कॉल|फोन)\s+(?:mat|mt|na|nahi|nhi|मत|न|ना|नहीं){_E}(?:\s+\S+)?|"
    r"(?:call|phone|कॉल|फोन)\s+(?:ki|की)\s+(?:zaa?ru?rat|jaa?ru?rat|zaroorat|jaroorat|जरूरत)\s+(?:nahi|nhi|नहीं)|"
    rf"(?:technician|tecnician|technicion|mechanic|mistri|engineer|टेक्नीशियन|मैकेनिक|मिस्त्री|इंजीनियर){_E}.{{0,25}}?"
    r"(?:call|phone|fone|कॉल|फोन)\s+\S+)"
)
_OPT_OUT_HI = _hi(
    r"(?:message|messages|msg|msgs|mesage|massage|sms|text|txt|whatsapp|मैसेज|मेसेज|संदेश|एसएमएस)\s+"
    r"(?:(?:bilkul|kabhi|ab|bhi|fir|phir|dobara|aur|बिल्कुल|कभी|अब|भी|फिर|दोबारा)\s+)*(?:mat|mt|matt|na|मत|न|ना)\s+"
    r"(?:karo|kro|karna|karein|karen|kijiye|kare|bhejo|bhejna|bhejiye|bhejein|bhejen|bhej|भेजो|भेजें|भेजिए|भेजना|"
    r"करो|करें|करना|कीजिए)|"
    r"(?:message|messages|msg|msgs|sms|text|मैसेज|मेसेज|संदेश)\s+(?:bhejna\s+|भेजना\s+)?(?:band|bandh|bnd|stop|बंद|बन्द)\s+"
    r"(?:karo|kro|kar\s*do|kardo|krdo|kijiye|karein|karen|करो|करें|कीजिए|कर\s*दो|कर\s*दें)|"
    r"(?:pare?shaa?n|preshan|tang|disturb|परेशान|तंग|डिस्टर्ब)\s+(?:mat|mt|na|मत|न|ना)\s+(?:karo|kro|karna|kijiye|"
    r"karein|करो|करें|करना|कीजिए)|"
    r"(?:number|mera\s+no|नंबर|नम्बर)\s+(?:\S+\s+){0,2}?(?:hata|hta|hatao|hatado|हटा|हटाओ|हटाइए|हटाइये)\w*"
)
_LATER_HI = _hi(
    r"(?:baad|bad)\s+(?:me|mein|mai|main)\s+(?:reply|message|msg|baat|bataunga|batata|bataungi|contact|jawab|likh)\w*|"
    r"बाद\s+(?:में|मे)\s+(?:रिप्लाई|मैसेज|बात|बताऊंगा|बताऊंगी|जवाब)\S*"
)
_PRAISE_HI = _hi(
    r"(?:bahut|bahot|kaafi|kafi)\s+(?:madad|help)\s+(?:ki|hui|mili)|madad\s+(?:ke\s+liye|ka)\s+(?:shukriya|dhanyavaa?d|"
    r"thanks|thank\s+you)|(?:बहुत|काफी)\s+मदद\s+(?:की|हुई|मिली)|मदद\s+(?:के\s+लिए|का)\s+(?:शुक्रिया|धन्यवाद)"
)


# Hinglish words VADER reads as English: "ban" (ban rahi = is forming), "lag" (lag raha = seems).
# Masked only in a message with Hindi function words, so English is scored as before.
_HINGLISH_MARKERS = re.compile(
    r"\b(?:hai|hain|nahi|nhi|nahin|raha|rahi|rahe|rha|rhi|kya|mera|meri|mere|mujhe|aap|tum|ka|ki|ke|ko|se|hoon|hu|"
    r"tha|thi|gaya|gayi|bhi|kuch|bahut|karo|kar|ho)\b",
    re.IGNORECASE,
)
_HINGLISH_HOMOGRAPHS = re.compile(r"\b(?:ban|lag)\b", re.IGNORECASE)


def _for_vader(text: str) -> str:
    return _HINGLISH_HOMOGRAPHS.sub(" ", text) if _HINGLISH_MARKERS.search(text) else text


def _asks_for_person_hi(text: str) -> bool:
    return bool(_PERSON_HI.search(_OPT_OUT_HI.sub(" ", _DECLINED_CALL_HI.sub(" ", text))))


def _not_for_person_hi(text: str) -> bool:
    return any(rule.search(text) for rule in (_DECLINED_CALL_HI, _OPT_OUT_HI, _LATER_HI, _PRAISE_HI))


def asks_for_person(text: str) -> bool:
    """An explicit request for a human, once declined calls and opt-outs are taken out."""
    if _PERSON.search(_OPT_OUT.sub(" ", _DECLINED_CALL.sub(" ", _SOMEONE_AT_HOME.sub(" ", text)))):
        return True
    return _asks_for_person_hi(_hindi(text))


def not_for_person(text: str, sentiment_score: float) -> bool:
    """A declined call, an opt-out, "i'll reply later" or praise: no reason to hand the
    customer to a person (unless another signal says so)."""
    if _DECLINED_CALL.search(text) or _OPT_OUT.search(text) or _LATER.search(text):
        return True
    if _not_for_person_hi(_hindi(text)):
        return True
    return sentiment_score > 0 and bool(_PRAISE.search(text))


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def sentiment(text: str) -> float:
    """VADER's compound score, -1 (most negative) to +1."""
    return float(_analyzer().polarity_scores(text)["compound"])


def is_shouting(text: str) -> bool:
    """Mostly capitals, counting only tokens without digits (serials are upper case)."""
    letters = "".join(
        w for token in _TOKEN.findall(text) if not any(c.isdigit() for c in token) for w in _WORD.findall(token)
    )
    if len(letters) < SHOUTING_MIN_LETTERS:
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= SHOUTING_SHARE


def has_emphasis(text: str) -> bool:
    return bool(_EMPHASIS.search(text))


@dataclass(frozen=True)
class Signals:
    sentiment: float
    shouting: bool
    emphasis: bool
    insult: bool
    hazard: bool
    person: bool
    not_for_person: bool = False
    unhappy: bool = False  # Hindi / Hinglish words of unhappiness, which VADER cannot score
    hindi: bool = False  # written in Devanagari or romanised Hindi (VADER cannot read it)

    @property
    def frustrated(self) -> bool:
        if self.insult or self.unhappy or self.sentiment <= NEGATIVE:
            return True
        if self.shouting and self.emphasis:
            return True
        return (self.shouting or self.emphasis) and self.sentiment <= NEGATIVE_WITH_EMPHASIS

    def reasons(self) -> list[str]:
        """What was seen, for the escalation's record (most telling first)."""
        seen = [
            name
            for name, on in (
                ("hazard words", self.hazard),
                ("asks for a person", self.person),
                ("insult", self.insult),
                ("shouting", self.shouting),
                ("!!!", self.emphasis),
                ("unhappy words", self.unhappy),
            )
            if on
        ]
        if self.sentiment <= NEGATIVE_WITH_EMPHASIS:
            seen.append(f"sentiment {self.sentiment:+.2f}")
        return seen


def read_signals(text: str) -> Signals:
    text = text or ""
    score = sentiment(_for_vader(text))
    hindi = _hindi(text)
    return Signals(
        sentiment=score,
        shouting=is_shouting(text),
        emphasis=has_emphasis(text),
        insult=bool(
            _COMPLAINT_WORDS.search(_TRUST_QUESTION.sub(" ", _TRUST_QUESTION_HI.sub(" ", text)))
            or _COMPLAINT_HI.search(_TRUST_QUESTION_HI.sub(" ", hindi))
        ),
        hazard=_hazard_reported(text) or _hazard_reported_hi(hindi),
        person=asks_for_person(text),
        not_for_person=not_for_person(text, score),
        unhappy=bool(_UNHAPPY_HI.search(hindi)),
        hindi=bool(_DEVANAGARI.search(text) or _HINGLISH_MARKERS.search(text)),
    )


ESCALATING_INTENTS = frozenset({"request_human", "complain", "report_hazard"})
# Messages the conversation expects, which often carry negative words ("no", "wrong",
# "is there a risk of shock?"): sentiment alone does not turn them into a complaint.
EXPECTED_INTENTS = frozenset(
    {
        "deny",
        "affirm",
        "inform_serial",
        "choose_option",
        "inform_address",
        "choose_repair",
        "choose_replacement",
        "choose_refund",
        "ask_safety",
        "ask_defect",
        "cancel_booking",
        "reschedule",
        "wrong_person",
        # trust questions: "is this a scam??" (answered with the brand's official contact)
        "ask_is_it_real",
        "ask_how_got_number",
        "ask_about_data",
        "ask_who_is_this",  # "who the hell are you": answered with who we are
        # "will you pay for the stuff that went bad": the goodwill answer and the claim
        # (which reaches the agents' queue with its own reason), not a complaint
        "ask_compensation",
    }
)
CONFIDENT = 0.6


def escalation_intent(intent: str | None, confidence: float, signals: Signals) -> str | None:
    """The escalating intent the message should carry instead of the classifier's, or None
    to keep the classifier's. Hazard first (safety), then a request for a person, then
    frustration."""
    if intent in ESCALATING_INTENTS:
        # The classifier's own escalation stands; an unsure one (which the FallbackClassifier
        # after this component would drop) is made firm when the signals agree.
        if confidence >= CONFIDENT:
            return None
        if signals.hazard:
            return "report_hazard"
        return intent if signals.person or signals.frustrated else None
    if signals.hazard:  # event words only (see _HAZARD): a report, even phrased as a question
        return "report_hazard"
    if signals.person:
        return "request_human"
    if not signals.frustrated:
        return None
    expected = intent in EXPECTED_INTENTS and confidence >= CONFIDENT
    if expected and not (signals.insult or (signals.shouting and signals.emphasis)):
        return None
    return "complain"


def doubts_complaint(intent: str | None, confidence: float, signals: Signals) -> bool:
    """True when the classifier's unsure `complain` of a Hindi or Hinglish message should
    not stand: no word of the message shows unhappiness, asks for a person or reports a
    hazard, and sentiment cannot be read (VADER is English only). Measured on the Hindi
    and Hinglish handoff sets (docs/languages.md): unsure complaints without such words are
    mostly faults told ("freezer me barf jamti hai") and praise, sure ones real complaints."""
    if intent != "complain" or confidence >= CONFIDENT or not signals.hindi:
        return False
    return not (signals.person or signals.hazard or signals.frustrated)


def drops_escalation(intent: str | None, signals: Signals) -> bool:
    """True when the classifier's `request_human` or `complain` should not stand: the
    message is not for a person ("dont call me, just text", "stop texting me", "will reply
    later", "very helpful") and asks for nobody, reports no hazard and shows no frustration."""
    if intent not in ("request_human", "complain") or not signals.not_for_person:
        return False
    return not (signals.person or signals.hazard or signals.frustrated)
