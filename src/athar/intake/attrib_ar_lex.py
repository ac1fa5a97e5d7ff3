"""The Arabic reporting-verb lexicon: every person and form of the verbs of saying,
asserting, accusing, denying and warning (folded spellings), their participles, and the
compiled pattern that finds them with an optional و/ف/قد/كما before."""

from __future__ import annotations

import re

from athar.intake.attrib_ar_np import NP_VERB_FORMS
from athar.intake.rx import trie

__all__ = ["PARTICIPLES", "VERBS", "VERB_RE"]

_VERBS = """
قال قالت قالوا يقول تقول يقولون قايلا قايله
اكد اكدت اكدوا يوكد توكد يوكدون موكدا موكده
اعلن اعلنت اعلنوا يعلن تعلن معلنا معلنه
اوضح اوضحت اوضحوا يوضح توضح موضحا موضحه
افاد افادت افادوا يفيد تفيد مفيدا مفيده
اضاف اضافت اضافوا يضيف تضيف مضيفا مضيفه
ذكر ذكرت ذكروا يذكر تذكر ذاكرا
صرح صرحت صرحوا يصرح تصرح مصرحا مصرحه
كشف كشفت يكشف تكشف كاشفا كاشفه
اورد اوردت
اعتبر اعتبرت اعتبروا يعتبر تعتبر معتبرا معتبره
راي رات راوا يري تري
شدد شددت شددوا يشدد تشدد مشددا مشدده
تابع تابعت اردف اردفت
ختم ختمت اختتم اختتمت مختتما مختتمه
كتب كتبت وثق وثقت رجح رجحت يرجح ترجح مرجحا مرجحه
لاحظ لاحظت غرد غردت افصح افصحت
زعم زعمت زعموا يزعم تزعم زاعما زاعمه
ادعي ادعت ادعوا يدعي تدعي مدعيا مدعيه
لفت لفتت يلفت تلفت لافتا لافته
اشار اشارت اشاروا يشير تشير مشيرا مشيره
نوه نوهت منوها منوهه
ابلغ ابلغت
اعترف اعترفت
رجح رجحت
حذر حذرت حذروا يحذر تحذر محذرا محذره
نفي نفت نفوا ينفي تنفي نافيا نافيه
اتهم اتهمت اتهموا يتهم تتهم متهما متهمه
طالب طالبت طالبوا يطالب تطالب مطالبا مطالبه
دعا دعت دعوا يدعو تدعو داعيا داعيه
ادان ادانت ادانوا يدين تدين
ندد نددت يندد تندد منددا مندده
اعرب اعربت معربا معربه
وصف وصفت وصفه وصفها وصفته وصفتها وصفوا واصفا واصفه
ذكر تذكر يذكر مذكرا مذكرين
""".split() + list(NP_VERB_FORMS)  # NP_VERB_FORMS holds the multiword 'تلقي باللوم' too
_VERBS = sorted(set(_VERBS) | {"مشيرين", "مضيفين", "موكدين", "معتبرين", "محذرين", "لافتين"})
_PARTICIPLES = {v for v in _VERBS if v[0] in "مقلذكزدن" and v.endswith(("ا", "ه")) and len(v) >= 5
                and not v.endswith("وا")}  # قالوا، ذكروا: plural perfects, not participles
_PARTICIPLES -= {"ذكروا", "اكدوا"}
_PARTICIPLES |= {"واصفا", "واصفه", "مذكرا", "مذكرين", "متوعدا", "مشككا", "معتبرين", "مشيرين"}
VERB_RE = re.compile(
    r"(?<![^\W_])(?:[وف]|فقد|وقد|ولقد|كما|وكما)?\s?(?P<v>" + trie(_VERBS) + r")(?![^\W_])"
)
VERBS = tuple(_VERBS)
PARTICIPLES = frozenset(_PARTICIPLES)
