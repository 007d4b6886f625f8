"""The handoff signals (rasa_components.signals) in Hindi written in Devanagari (`hi`) and
in romanised Hindi / Hinglish (`hi-Latn`), issue 17: hazards, complaints and insults,
requests for a person and unhappiness escalate; faults, spoiled food, the weather, a
power cut, safety questions and ordinary answers do not. Each row: the message, the
classifier's intent and confidence, and the escalating intent expected (None: keep the
classifier's)."""

import pytest

from rasa_components.signals import doubts_complaint, drops_escalation, escalation_intent, read_signals

H, P, C = "report_hazard", "request_human", "complain"

HINGLISH_ESCALATING = [
    # hazards: smoke, sparks, fire, shocks, burning, melting parts
    ("fridge se dhuan nikal raha hai", "tell_problem", 0.6, H),
    ("dhua aa raha piche se", "nlu_fallback", 0.3, H),
    ("bhaiya fridge se dhuaan", "out_of_scope", 0.4, H),
    ("plug me chingari nikli", "out_of_scope", 0.4, H),
    ("switch on karte hi chingariyan nikal rahi hai", "tell_problem", 0.5, H),
    ("fridge me aag lag gayi", "nlu_fallback", 0.4, H),
    ("aag lagi hai jaldi kuch karo", "out_of_scope", 0.3, H),
    ("back side se aag nikal rahi thi", "tell_problem", 0.5, H),
    ("kya karu fridge me aag lag gayi?", "ask_safety", 0.8, H),  # a report, phrased as a question
    ("fridge chhune pe current laga", "ask_safety", 0.6, H),
    ("current maar raha hai handle me", "ask_safety", 0.7, H),
    ("door kholte hi current lagta hai", "tell_problem", 0.6, H),
    ("mujhe shock laga fridge se", "out_of_scope", 0.4, H),
    ("fridge ki body me current aa raha hai", "tell_problem", 0.5, H),
    ("jhatka laga darwaza kholte waqt", "nlu_fallback", 0.3, H),
    ("jalne ki smell aa rahi hai", "tell_problem", 0.6, H),
    ("kuch jal raha hai andar se", "tell_problem", 0.5, H),
    ("compressor ke paas se jali hui smell", "tell_problem", 0.5, H),
    ("plug pighal gaya", "tell_problem", 0.6, H),
    ("wire pighal gayi hai peeche ki", "tell_problem", 0.5, H),
    ("ice cream pighal gayi aur plug bhi pighal gaya", "tell_problem", 0.6, H),
    ("shot circuit ho gaya", "tell_problem", 0.5, H),
    ("socket me sparking ho rahi hai", "tell_problem", 0.5, H),
    # complaints, insults, threats
    ("shikayat karni hai", "out_of_scope", 0.4, C),
    ("consumer court jaunga main", "out_of_scope", 0.4, C),
    ("bakwas service hai tumhari", "out_of_scope", 0.5, C),
    ("ghatiya service", "nlu_fallback", 0.3, C),
    ("chor company hai ye", "out_of_scope", 0.4, C),
    ("dhokha hai ye sab", "out_of_scope", 0.4, C),
    ("pagal bana rahe ho kya", "bot_challenge", 0.5, C),
    ("ekdum bekar fridge diya", "tell_problem", 0.5, C),
    ("tum log chor ho", "out_of_scope", 0.4, C),
    ("sharam nahi aati aapko", "out_of_scope", 0.4, C),
    ("sabse ghatiya brand", "out_of_scope", 0.4, C),
    ("case kar dunga tum pe", "out_of_scope", 0.4, C),
    ("ullu bana rahe ho", "bot_challenge", 0.5, C),
    ("BAKWAAS!!!", "nlu_fallback", 0.3, C),
    ("nalayak log ho aap", "out_of_scope", 0.4, C),
    ("nahi chahiye, bakwas", "deny", 0.9, C),  # an insult escalates even a confident answer
    # a person
    ("kisi insaan se baat karao", "bot_challenge", 0.6, P),
    ("customer care se baat karao", "out_of_scope", 0.5, P),
    ("asli aadmi se baat karni hai", "bot_challenge", 0.7, P),
    ("manager se baat karni hai", "out_of_scope", 0.5, P),
    ("mujhe call karo", "nlu_fallback", 0.4, P),
    ("koi insaan hai kya?", "bot_challenge", 0.8, P),
    ("customer care ka number do", "ask_cost", 0.4, P),
    ("bot se baat nahi karni", "bot_challenge", 0.7, P),
    ("aap koi madad nahi kar rahe", "out_of_scope", 0.5, P),
    ("manager ko bulao", "out_of_scope", 0.4, P),
    ("call back kar do please", "ask_duration", 0.5, P),
    # unhappiness
    ("bahut pareshan ho gaya hoon", "out_of_scope", 0.4, C),
    ("tang aa gaya hoon is fridge se", "tell_problem", 0.5, C),
    ("had ho gayi yaar, 3 din se koi nahi aaya", "ask_duration", 0.5, C),
    ("kitni baar bataun serial number", "inform_serial", 0.5, C),
    ("kab se wait kar raha hoon", "ask_duration", 0.5, C),
    ("bahut gussa aa raha hai", "out_of_scope", 0.3, C),
    # more wording of the same
    ("fridge ke neeche se lapten nikal rahi", "tell_problem", 0.5, H),
    ("socket jal kar kala pad gaya", "tell_problem", 0.5, H),
    ("operator se baat karwa do", "out_of_scope", 0.4, P),
    ("meri baat manager se karao", "out_of_scope", 0.4, P),
    ("koi mujhe call kare please", "out_of_scope", 0.4, P),
    ("mujhe call back chahiye", "ask_duration", 0.5, P),
    ("service center ka number kya hai", "ask_cost", 0.4, P),
    ("support team se kaise baat karu", "nlu_fallback", 0.3, P),
    ("jhoothe log ho aap", "out_of_scope", 0.4, C),
    ("bewakoof bana rahe ho customers ko", "out_of_scope", 0.4, C),
    ("choro ki company hai", "out_of_scope", 0.4, C),
    ("lanat hai aise service pe", "out_of_scope", 0.4, C),
    ("technician ne badtameezi ki", "out_of_scope", 0.4, C),
    ("mera time waste kar diya", "out_of_scope", 0.4, C),
    ("dimag kharab kar diya tumne", "out_of_scope", 0.4, C),
]

HINGLISH_ORDINARY = [
    # real or a fraud, asked: a trust question, not an accusation
    ("ye message asli hai ya fraud?", "ask_is_it_real", 0.7),
    ("kahin ye fraud to nahi", "ask_is_it_real", 0.7),
    ("sach me recall hai ya koi scam", "ask_is_it_real", 0.7),
    ("thanda nahi kar raha", "tell_problem", 0.7),
    ("mera fridge thanda nahi kar raha", "tell_problem", 0.8),
    ("khana kharab ho gaya", "ask_compensation", 0.6),
    ("saara khana kharab ho gaya, fridge band hai", "tell_problem", 0.5),
    ("aag jaisi garmi hai aur fridge cooling nahi kar raha", "tell_problem", 0.5),
    ("itni garmi hai ki aag lag rahi hai", "tell_problem", 0.4),
    ("current bill bahut aa raha hai", "out_of_scope", 0.4),
    ("light nahi hai abhi", "out_of_scope", 0.4),
    ("current nahi hai ghar me", "out_of_scope", 0.4),
    ("current aa gaya ab, fridge chal raha hai", "tell_problem", 0.5),
    ("main manager hoon is shop ka", "out_of_scope", 0.4),
    ("mera bhai manager hai bank me", "out_of_scope", 0.4),
    ("kya isme aag ka khatra hai?", "ask_safety", 0.8),
    ("aag lag sakti hai kya?", "ask_safety", 0.8),
    ("current lagne ka dar hai kya", "ask_safety", 0.7),
    ("kya ye safe hai?", "ask_safety", 0.9),
    ("compressor bahut garam hai, normal hai kya?", "ask_safety", 0.8),
    ("ice cream pighal gayi, fridge thanda nahi", "tell_problem", 0.6),
    ("sab kuch pighal gaya freezer me", "tell_problem", 0.6),
    ("kulfi pighal gayi", "tell_problem", 0.5),
    ("fridge ki light jal rahi hai par cooling nahi", "tell_problem", 0.6),
    ("bulb nahi jal raha", "tell_problem", 0.5),
    ("haan", "affirm", 0.9),
    ("nahi", "deny", 0.9),
    ("nahi galat hai, AR26D004512 hai", "inform_serial", 0.9),
    ("repair karwa do", "choose_repair", 0.8),
    ("replacement chahiye", "choose_replacement", 0.8),
    ("kal subah aa jao", "reschedule", 0.7),
    ("technician mujhe call kar lega", "out_of_scope", 0.5),
    ("call mat karo, message karo", "deny", 0.5),
    ("message mat karo", "out_of_scope", 0.5),
    ("baad me reply karunga", "goodbye", 0.5),
    ("dhanyavaad, bahut madad ki", "thank", 0.9),
    ("kya ye dhokha hai?", "ask_is_it_real", 0.7),
    ("ye fraud to nahi hai?", "ask_is_it_real", 0.7),
    ("fridge band ho gaya", "tell_problem", 0.7),
    ("booking cancel karo", "cancel_booking", 0.8),
    ("pani nikal raha hai fridge se", "tell_problem", 0.7),
    ("kab tak aayega technician?", "ask_duration", 0.8),
    ("serial number kaha milega?", "nlu_fallback", 0.4),
    ("chor do, baad me dekhte hai", "deny", 0.5),  # "chhod do": leave it
    ("ye sab chor do", "deny", 0.5),
    ("aage ka kya plan hai", "nlu_fallback", 0.3),
    ("technician aa gaya, thanks", "thank", 0.8),
    ("mujhe ghar pe puchna padega, kisi se baat karke bataunga", "out_of_scope", 0.4),
    ("mera naam Ramesh hai", "inform_address", 0.5),
    ("12 MG road pune", "inform_address", 0.9),
    ("fridge ka door thik se band nahi hota", "tell_problem", 0.6),
    ("shukriya", "thank", 0.9),
    ("pehle wala fridge bhi kharab tha", "tell_problem", 0.5),
    ("koi aadmi aaya tha kal", "out_of_scope", 0.4),
    ("thoda garam ho raha hai side se", "tell_problem", 0.5),
    # Hinglish words VADER would read as English ("ban", "lag")
    ("freezer me bahut barf ban rahi hai", "tell_problem", 0.5),
    ("thanda nahi lag raha", "tell_problem", 0.5),
    ("lag raha hai compressor kharab hai", "tell_problem", 0.5),
    ("service center paas me hai kya?", "nlu_fallback", 0.4),
    ("mera phone number badal gaya hai", "inform_address", 0.5),
]

HINDI_ESCALATING = [
    # a condition after a reported hazard does not take the report back
    ("धुआं निकल रहा है, अगर आग लगी तो?", "ask_safety", 0.6, "report_hazard"),
    # hazards
    ("फ्रिज से धुआँ निकल रहा है", "tell_problem", 0.6, H),
    ("पीछे से धुंआ आ रहा है", "nlu_fallback", 0.3, H),
    ("fridge से धुआं आ रहा है", "tell_problem", 0.5, H),
    ("प्लग में चिंगारी निकली", "out_of_scope", 0.4, H),
    ("स्विच ऑन करते ही चिंगारियाँ निकल रही हैं", "tell_problem", 0.5, H),
    ("फ्रिज में आग लग गई", "nlu_fallback", 0.4, H),
    ("आग लगी है जल्दी आओ", "out_of_scope", 0.3, H),
    ("पीछे से आग निकल रही थी", "tell_problem", 0.5, H),
    ("क्या करूं फ्रिज में आग लग गई?", "ask_safety", 0.8, H),
    ("फ्रिज छूने पर करंट लगा", "ask_safety", 0.6, H),
    ("हैंडल में करंट मार रहा है", "ask_safety", 0.7, H),
    ("दरवाजा खोलते ही करंट लगता है", "tell_problem", 0.6, H),
    ("plug में करंट लग रहा है", "tell_problem", 0.5, H),
    ("मुझे झटका लगा फ्रिज से", "out_of_scope", 0.4, H),
    ("मुझे शॉक लगा", "out_of_scope", 0.4, H),
    ("बॉडी में करंट आ रहा है", "tell_problem", 0.5, H),
    ("जलने की बदबू आ रही है", "tell_problem", 0.6, H),
    ("कुछ जल रहा है अंदर", "tell_problem", 0.5, H),
    ("कंप्रेसर से जली हुई गंध आ रही है", "tell_problem", 0.5, H),
    ("प्लग पिघल गया", "tell_problem", 0.6, H),
    ("तार पिघल गई है पीछे की", "tell_problem", 0.5, H),
    ("शॉर्ट सर्किट हो गया", "tell_problem", 0.5, H),
    # complaints, insults, threats
    ("मुझे शिकायत करनी है", "out_of_scope", 0.4, C),
    ("बकवास सर्विस है", "out_of_scope", 0.5, C),
    ("घटिया कंपनी", "nlu_fallback", 0.3, C),
    ("चोर कंपनी है ये", "out_of_scope", 0.4, C),
    ("ये धोखा है", "out_of_scope", 0.4, C),
    ("तुम लोग चोर हो", "out_of_scope", 0.4, C),
    ("पागल बना रहे हो क्या", "bot_challenge", 0.5, C),
    ("एकदम बेकार फ्रिज दिया", "tell_problem", 0.5, C),
    ("कंज्यूमर कोर्ट जाऊंगा", "out_of_scope", 0.4, C),
    ("शर्म नहीं आती आपको", "out_of_scope", 0.4, C),
    ("सबसे घटिया ब्रांड", "out_of_scope", 0.4, C),
    ("उल्लू बना रहे हो", "bot_challenge", 0.5, C),
    ("केस करूंगा मैं", "out_of_scope", 0.4, C),
    ("नहीं चाहिए, बकवास", "deny", 0.9, C),
    # a person
    ("किसी इंसान से बात कराओ", "bot_challenge", 0.6, P),
    ("कस्टमर केयर से बात करवाओ", "out_of_scope", 0.5, P),
    ("असली आदमी से बात करनी है", "bot_challenge", 0.7, P),
    ("मैनेजर से बात करनी है", "out_of_scope", 0.5, P),
    ("मुझे कॉल करो", "nlu_fallback", 0.4, P),
    ("कोई इंसान है?", "bot_challenge", 0.8, P),
    ("कस्टमर केयर का नंबर दो", "ask_cost", 0.4, P),
    ("आप कोई मदद नहीं कर रहे", "out_of_scope", 0.5, P),
    ("बॉट से बात नहीं करनी", "bot_challenge", 0.7, P),
    ("मैनेजर को बुलाओ", "out_of_scope", 0.4, P),
    ("customer care से बात कराओ", "out_of_scope", 0.5, P),
    # unhappiness
    ("बहुत परेशान हो गया हूँ", "out_of_scope", 0.4, C),
    ("तंग आ गया हूं इस फ्रिज से", "tell_problem", 0.5, C),
    ("हद हो गई, तीन दिन से कोई नहीं आया", "ask_duration", 0.5, C),
    ("कितनी बार बताऊं", "inform_serial", 0.5, C),
    ("बहुत गुस्सा आ रहा है", "out_of_scope", 0.3, C),
    ("पीछे से लपटें उठ रही हैं", "tell_problem", 0.5, H),
    ("सॉकेट जल के काला हो गया", "tell_problem", 0.5, H),
    ("ऑपरेटर से बात कराओ", "out_of_scope", 0.4, P),
    ("मेरी बात मैनेजर से करवाओ", "out_of_scope", 0.4, P),
    ("कोई मुझे फोन करे", "out_of_scope", 0.4, P),
    ("मुझे कॉल बैक चाहिए", "ask_duration", 0.5, P),
    ("सर्विस सेंटर का नंबर क्या है", "ask_cost", 0.4, P),
    ("झूठे लोग हो आप", "out_of_scope", 0.4, C),
    ("चोरों की कंपनी है", "out_of_scope", 0.4, C),
    ("फ्रॉड कंपनी है", "out_of_scope", 0.4, C),
    ("टेक्नीशियन ने बदतमीज़ी की", "out_of_scope", 0.4, C),
    ("मेरा टाइम बर्बाद कर दिया", "out_of_scope", 0.4, C),
    ("दिमाग खराब कर दिया", "out_of_scope", 0.4, C),
]

HINDI_ORDINARY = [
    ("ठंडा नहीं कर रहा", "tell_problem", 0.7),
    ("मेरा फ्रिज ठंडा नहीं कर रहा", "tell_problem", 0.8),
    ("खाना खराब हो गया", "ask_compensation", 0.6),
    ("आग जैसी गर्मी है और फ्रिज काम नहीं कर रहा", "tell_problem", 0.5),
    ("करंट बिल बहुत आ रहा है", "out_of_scope", 0.4),
    ("लाइट नहीं है", "out_of_scope", 0.4),
    ("बिजली नहीं है अभी", "out_of_scope", 0.4),
    ("करंट आ गया अब, फ्रिज चल रहा है", "tell_problem", 0.5),
    ("मैं मैनेजर हूं", "out_of_scope", 0.4),
    ("मेरा भाई बैंक में मैनेजर है", "out_of_scope", 0.4),
    ("क्या इसमें आग का खतरा है?", "ask_safety", 0.8),
    ("आग लग सकती है क्या?", "ask_safety", 0.8),
    ("करंट लगने का डर है क्या", "ask_safety", 0.7),
    ("क्या ये सेफ है?", "ask_safety", 0.9),
    ("कंप्रेसर बहुत गरम है, नॉर्मल है क्या?", "ask_safety", 0.8),
    ("आइसक्रीम पिघल गई, फ्रिज ठंडा नहीं", "tell_problem", 0.6),
    ("सब कुछ पिघल गया फ्रीजर में", "tell_problem", 0.6),
    ("कुल्फी पिघल गई", "tell_problem", 0.5),
    ("फ्रिज की लाइट जल रही है पर कूलिंग नहीं", "tell_problem", 0.6),
    ("बल्ब नहीं जल रहा", "tell_problem", 0.5),
    ("हां", "affirm", 0.9),
    ("नहीं", "deny", 0.9),
    ("नहीं गलत है, AR26D004512 है", "inform_serial", 0.9),
    ("रिपेयर करवा दो", "choose_repair", 0.8),
    ("रिप्लेसमेंट चाहिए", "choose_replacement", 0.8),
    ("कल सुबह आ जाओ", "reschedule", 0.7),
    ("टेक्नीशियन मुझे कॉल कर लेगा", "out_of_scope", 0.5),
    ("कॉल मत करो, मैसेज करो", "deny", 0.5),
    ("मैसेज मत भेजो", "out_of_scope", 0.5),
    ("बाद में रिप्लाई करूंगा", "goodbye", 0.5),
    ("धन्यवाद, बहुत मदद की", "thank", 0.9),
    ("क्या ये धोखा है?", "ask_is_it_real", 0.7),
    ("क्या ये फ्रॉड है?", "ask_is_it_real", 0.7),
    ("फ्रिज बंद हो गया", "tell_problem", 0.7),
    ("बुकिंग कैंसल करो", "cancel_booking", 0.8),
    ("फ्रिज से पानी निकल रहा है", "tell_problem", 0.7),
    ("टेक्नीशियन कब तक आएगा?", "ask_duration", 0.8),
    ("सीरियल नंबर कहां मिलेगा?", "nlu_fallback", 0.4),
    ("छोड़ दो, बाद में देखते हैं", "deny", 0.5),
    ("आगे क्या करना है", "nlu_fallback", 0.3),
    ("मेरा पुराना फ्रिज चोरी हो गया था", "out_of_scope", 0.4),  # चोरी (theft), not चोर
    ("मुझे किसी से बात करके बताना होगा", "out_of_scope", 0.4),
    ("मेरा नाम रमेश है", "inform_address", 0.5),
    ("पता: 12 एमजी रोड पुणे", "inform_address", 0.9),
    ("दरवाजा ठीक से बंद नहीं होता", "tell_problem", 0.6),
    ("शुक्रिया", "thank", 0.9),
    ("पहले वाला फ्रिज भी खराब था", "tell_problem", 0.5),
    ("कोई आदमी आया था कल", "out_of_scope", 0.4),
    ("फ्रिज से आवाज़ आ रही है", "tell_problem", 0.7),
    ("दीया जल रहा है, लाइट नहीं है", "out_of_scope", 0.4),
    ("सर्विस सेंटर पास में है क्या?", "nlu_fallback", 0.4),
    ("मेरा फोन नंबर बदल गया है", "inform_address", 0.5),
    ("पानी जल्दी गरम हो जाता है", "tell_problem", 0.4),
    # a hazard supposed ("if ... then what"), not reported: a safety question
    ("अगर आग लग जाए तो क्या करें", "ask_safety", 0.5),
    ("यदि करंट लगा तो कौन जिम्मेदार होगा?", "ask_safety", 0.5),
    # real or a fraud, asked: a trust question, not an accusation
    ("सच में रिकॉल है या कोई फ्रॉड", "ask_is_it_real", 0.7),
    ("कहीं ये धोखा तो नहीं", "ask_is_it_real", 0.7),
    ("ये मैसेज असली है या फेक?", "ask_is_it_real", 0.5),
]


@pytest.mark.parametrize(("text", "intent", "confidence", "escalate_as"), HINGLISH_ESCALATING + HINDI_ESCALATING)
def test_hindi_messages_that_need_a_person_escalate(text, intent, confidence, escalate_as):
    assert escalation_intent(intent, confidence, read_signals(text)) == escalate_as, text


@pytest.mark.parametrize(("text", "intent", "confidence"), HINGLISH_ORDINARY + HINDI_ORDINARY)
def test_ordinary_hindi_messages_do_not_escalate(text, intent, confidence):
    assert escalation_intent(intent, confidence, read_signals(text)) is None, text


def test_each_language_has_forty_rows_each_way():
    for table in (HINGLISH_ESCALATING, HINGLISH_ORDINARY, HINDI_ESCALATING, HINDI_ORDINARY):
        assert len(table) >= 40
        assert len({row[0] for row in table}) == len(table)  # no duplicate messages


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "escalate_as"),
    [
        # English words inside the Hindi rules ("real", "customer care") leave English as it was
        ("whats your customer care number", "nlu_fallback", 0.4, None),
        ("is this a real person", "bot_challenge", 0.8, None),
        ("real person pls", "nlu_fallback", 0.3, None),
        ("i need someone to talk to", "out_of_scope", 0.4, P),
    ],
)
def test_english_is_read_as_before(text, intent, confidence, escalate_as):
    assert escalation_intent(intent, confidence, read_signals(text)) == escalate_as


def test_the_reasons_name_hindi_unhappiness():
    assert "unhappy words" in read_signals("बहुत परेशान हो गया हूं").reasons()


@pytest.mark.parametrize(
    ("text", "intent", "dropped"),
    [
        # the classifier's escalation gives way when the message is plainly not for a person
        ("call mat karo, sirf message karo", "request_human", True),
        ("mujhe message mat karo", "request_human", True),
        ("technician call kar lega", "request_human", True),
        ("baad me reply karunga, office me hoon", "complain", True),
        ("मैसेज मत भेजो", "request_human", True),
        ("कॉल मत करो", "request_human", True),
        ("बाद में बात करूंगा", "complain", True),
        # ... unless another signal says a person is needed
        ("call mat karo, plug se chingari nikal rahi hai", "request_human", False),
        ("message mat karo, manager se baat karao", "request_human", False),
        ("message mat karo chor company", "complain", False),
        ("कॉल मत करो, धुआँ निकल रहा है", "request_human", False),
    ],
)
def test_hindi_drops_escalation(text, intent, dropped):
    assert drops_escalation(intent, read_signals(text)) is dropped


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "doubted"),
    [
        # an unsure complaint in Hindi or Hinglish with no telling word: not trusted
        ("freezer me barf bahut jamti hai", "complain", 0.5, True),
        ("फ्रिज रात में आवाज़ करता है", "complain", 0.45, True),
        ("acchi service hai", "complain", 0.4, True),
        # a sure one, or one the words back, stands
        ("freezer me barf bahut jamti hai", "complain", 0.8, False),
        ("bakwas service hai, koi nahi aaya", "complain", 0.5, False),
        ("बहुत परेशान हो गया हूं", "complain", 0.5, False),
        ("kisi insaan se baat karao", "complain", 0.5, False),
        ("fridge se dhuan nikal raha hai", "complain", 0.5, False),
        # English is read by VADER: nothing changes there
        ("the freezer makes a lot of ice", "complain", 0.5, False),
        # another intent is not a complaint to doubt
        ("freezer me barf bahut jamti hai", "ask_defect", 0.5, False),
    ],
)
def test_an_unsure_hindi_complaint_without_telling_words_is_doubted(text, intent, confidence, doubted):
    assert doubts_complaint(intent, confidence, read_signals(text)) is doubted
