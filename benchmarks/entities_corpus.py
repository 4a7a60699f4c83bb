"""A labelled multilingual war-news corpus for the entity evaluation (issue 22).

Generates realistic 2022 war-news articles in the styles that broke entity
identity on real text: English wire copy with datelines (``MINSK, BelTA -``,
``KYIV, March 3 (Reuters) -``), photo and agency credit lines
(``Photo: Dmytro Larin/Shutterstock``), page furniture (``WATCH:``,
``READ MORE:``), English machine-translated from Polish (``Siergiej Ławrow``,
``Zełenskiego``), and articles in Russian, Ukrainian and Polish with inflected
names (``Путина``, ``Лавровым``, ``Łukaszenki``). People appear with a full name
first, then bare surnames (``Xi`` after ``Xi Jinping``), in case forms of their
language. Platforms (Twitter, Telegram), weapons (Patriot, HIMARS) and cities
(Melitopol) appear where a small English model tags them PERSON.

Every article comes with its gold labels: each person's surface forms and gold id
(the gazetteer id, or ``gold:<name>`` for people outside it), and the junk strings
that must not become PERSON entities. The same seed gives the same corpus; the
evaluation tunes on seed 1 and reports on the held-out seed 2.

    python benchmarks/entities_corpus.py 320 build/entities-eval --seed 2
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

# ---------------------------------------------------------------- people
# gold id -> forms per language: full name, and the surname in nominative, genitive, dative, instrumental
# (English: full, surname). Gazetteer people use the gazetteer id; others "gold:".
PEOPLE: dict[str, dict[str, list[str]]] = {
    "person:vladimir_putin": {
        "en": ["Vladimir Putin", "Putin"], "pl": ["Władimir Putin", "Putin", "Putina", "Putinowi", "Putinem"],
        "ru": ["Владимир Путин", "Путин", "Путина", "Путину", "Путиным"],
        "uk": ["Володимир Путін", "Путін", "Путіна", "Путіну", "Путіним"],
    },
    "person:sergey_lavrov": {
        "en": ["Sergei Lavrov", "Lavrov"], "pl": ["Siergiej Ławrow", "Ławrow", "Ławrowa", "Ławrowowi", "Ławrowem"],
        "ru": ["Сергей Лавров", "Лавров", "Лаврова", "Лаврову", "Лавровым"],
        "uk": ["Сергій Лавров", "Лавров", "Лаврова", "Лаврову", "Лавровим"],
    },
    "person:volodymyr_zelenskyy": {
        "en": ["Volodymyr Zelenskyy", "Zelenskyy"],
        "pl": ["Wołodymyr Zełenski", "Zełenski", "Zełenskiego", "Zełenskiemu", "Zełenskim"],
        "ru": ["Владимир Зеленский", "Зеленский", "Зеленского", "Зеленскому", "Зеленским"],
        "uk": ["Володимир Зеленський", "Зеленський", "Зеленського", "Зеленському", "Зеленським"],
    },
    "person:dmytro_kuleba": {
        "en": ["Dmytro Kuleba", "Kuleba"], "pl": ["Dmytro Kułeba", "Kułeba", "Kułeby", "Kułebie", "Kułebą"],
        "ru": ["Дмитрий Кулеба", "Кулеба", "Кулебы", "Кулебе", "Кулебой"],
        "uk": ["Дмитро Кулеба", "Кулеба", "Кулеби", "Кулебі", "Кулебою"],
    },
    "person:sergei_shoigu": {
        "en": ["Sergei Shoigu", "Shoigu"], "pl": ["Siergiej Szojgu", "Szojgu", "Szojgu", "Szojgu", "Szojgu"],
        "ru": ["Сергей Шойгу", "Шойгу", "Шойгу", "Шойгу", "Шойгу"],
        "uk": ["Сергій Шойгу", "Шойгу", "Шойгу", "Шойгу", "Шойгу"],
    },
    "person:alexander_lukashenko": {
        "en": ["Alexander Lukashenko", "Lukashenko"],
        "pl": ["Aleksandr Łukaszenka", "Łukaszenka", "Łukaszenki", "Łukaszence", "Łukaszenką"],
        "ru": ["Александр Лукашенко", "Лукашенко", "Лукашенко", "Лукашенко", "Лукашенко"],
        "uk": ["Олександр Лукашенко", "Лукашенко", "Лукашенка", "Лукашенку", "Лукашенком"],
    },
    "person:dmitry_peskov": {
        "en": ["Dmitry Peskov", "Peskov"], "pl": ["Dmitrij Pieskow", "Pieskow", "Pieskowa", "Pieskowowi", "Pieskowem"],
        "ru": ["Дмитрий Песков", "Песков", "Пескова", "Пескову", "Песковым"],
        "uk": ["Дмитро Пєсков", "Пєсков", "Пєскова", "Пєскову", "Пєсковим"],
    },
    "person:yevgeny_prigozhin": {
        "en": ["Yevgeny Prigozhin", "Prigozhin"],
        "pl": ["Jewgienij Prigożyn", "Prigożyn", "Prigożyna", "Prigożynowi", "Prigożynem"],
        "ru": ["Евгений Пригожин", "Пригожин", "Пригожина", "Пригожину", "Пригожиным"],
        "uk": ["Євген Пригожин", "Пригожин", "Пригожина", "Пригожину", "Пригожиним"],
    },
    "person:xi_jinping": {
        "en": ["Xi Jinping", "Xi"], "pl": ["Xi Jinping", "Xi", "Xi", "Xi", "Xi"],
        "ru": ["Си Цзиньпин", "Си Цзиньпин", "Си Цзиньпина", "Си Цзиньпину", "Си Цзиньпином"],
        "uk": ["Сі Цзіньпін", "Сі Цзіньпін", "Сі Цзіньпіна", "Сі Цзіньпіну", "Сі Цзіньпіном"],
    },
    "person:antony_blinken": {
        "en": ["Antony Blinken", "Blinken"], "pl": ["Antony Blinken", "Blinken", "Blinkena", "Blinkenowi", "Blinkenem"],
        "ru": ["Энтони Блинкен", "Блинкен", "Блинкена", "Блинкену", "Блинкеном"],
        "uk": ["Ентоні Блінкен", "Блінкен", "Блінкена", "Блінкену", "Блінкеном"],
    },
    "person:andrzej_duda": {
        "en": ["Andrzej Duda", "Duda"], "pl": ["Andrzej Duda", "Duda", "Dudy", "Dudzie", "Dudą"],
        "ru": ["Анджей Дуда", "Дуда", "Дуды", "Дуде", "Дудой"],
        "uk": ["Анджей Дуда", "Дуда", "Дуди", "Дуді", "Дудою"],
    },
    "person:olaf_scholz": {
        "en": ["Olaf Scholz", "Scholz"], "pl": ["Olaf Scholz", "Scholz", "Scholza", "Scholzowi", "Scholzem"],
        "ru": ["Олаф Шольц", "Шольц", "Шольца", "Шольцу", "Шольцем"],
        "uk": ["Олаф Шольц", "Шольц", "Шольца", "Шольцу", "Шольцем"],
    },
    "person:olena_zelenska": {
        "en": ["Olena Zelenska", "Zelenska"], "pl": ["Ołena Zełenska", "Zełenska", "Zełenskiej", "Zełenskiej", "Zełenską"],
        "ru": ["Елена Зеленская", "Зеленская", "Зеленской", "Зеленской", "Зеленской"],
        "uk": ["Олена Зеленська", "Зеленська", "Зеленської", "Зеленській", "Зеленською"],
    },
    # outside the gazetteer: regional officials, spokespeople
    "gold:ivan_fedorov": {
        "en": ["Ivan Fedorov", "Fedorov"], "pl": ["Iwan Fiodorow", "Fiodorow", "Fiodorowa", "Fiodorowowi", "Fiodorowem"],
        "ru": ["Иван Федоров", "Федоров", "Федорова", "Федорову", "Федоровым"],
        "uk": ["Іван Федоров", "Федоров", "Федорова", "Федорову", "Федоровим"],
    },
    "gold:serhiy_haidai": {
        "en": ["Serhiy Haidai", "Haidai"], "pl": ["Serhij Hajdaj", "Hajdaj", "Hajdaja", "Hajdajowi", "Hajdajem"],
        "ru": ["Сергей Гайдай", "Гайдай", "Гайдая", "Гайдаю", "Гайдаем"],
        "uk": ["Сергій Гайдай", "Гайдай", "Гайдая", "Гайдаю", "Гайдаєм"],
    },
    "gold:oleh_syniehubov": {
        "en": ["Oleh Syniehubov", "Syniehubov"],
        "pl": ["Ołeh Synjehubow", "Synjehubow", "Synjehubowa", "Synjehubowowi", "Synjehubowem"],
        "ru": ["Олег Синегубов", "Синегубов", "Синегубова", "Синегубову", "Синегубовым"],
        "uk": ["Олег Синєгубов", "Синєгубов", "Синєгубова", "Синєгубову", "Синєгубовим"],
    },
    "gold:vitaliy_kim": {
        "en": ["Vitaliy Kim", "Kim"], "pl": ["Witalij Kim", "Kim", "Kima", "Kimowi", "Kimem"],
        "ru": ["Виталий Ким", "Ким", "Кима", "Киму", "Кимом"],
        "uk": ["Віталій Кім", "Кім", "Кіма", "Кіму", "Кімом"],
    },
    "gold:igor_konashenkov": {
        "en": ["Igor Konashenkov", "Konashenkov"],
        "pl": ["Igor Konaszenkow", "Konaszenkow", "Konaszenkowa", "Konaszenkowowi", "Konaszenkowem"],
        "ru": ["Игорь Конашенков", "Конашенков", "Конашенкова", "Конашенкову", "Конашенковым"],
        "uk": ["Ігор Конашенков", "Конашенков", "Конашенкова", "Конашенкову", "Конашенковим"],
    },
    "gold:pavlo_kyrylenko": {
        "en": ["Pavlo Kyrylenko", "Kyrylenko"],
        "pl": ["Pawło Kyryłenko", "Kyryłenko", "Kyryłenki", "Kyryłence", "Kyryłenką"],
        "ru": ["Павел Кириленко", "Кириленко", "Кириленко", "Кириленко", "Кириленко"],
        "uk": ["Павло Кириленко", "Кириленко", "Кириленка", "Кириленку", "Кириленком"],
    },
}

# ---------------------------------------------------------------- junk that is not a person
PHOTOGRAPHERS = ["Dmytro Larin", "Sergei Supinsky", "Genya Savilov", "Aris Messinis", "Leszek Szymański",
                 "Alexander Ermochenko", "Oleksandr Ratushniak", "Evgeniy Maloletka"]
PHOTO_AGENCIES = ["Shutterstock", "AFP via Getty Images", "Reuters", "AP", "PAP", "Anadolu Agency", "EPA-EFE"]
DATELINES = {
    "en": ["MINSK, BelTA -", "KYIV, Ukrinform -", "MOSCOW, March {d} (Reuters) -", "WARSAW (PAP) -",
           "KYIV, March {d} (AP) -", "MOSCOW, TASS -"],
    "ru": ["МОСКВА, {d} марта. /ТАСС/.", "МИНСК, БЕЛТА -", "КИЕВ, {d} марта - РИА Новости."],
    "uk": ["КИЇВ, Укрінформ -", "ХАРКІВ, {d} березня -"],
    "pl": ["WARSZAWA (PAP) -", "KIJÓW, {d} marca (PAP) -"],
}
PLATFORMS = ["Twitter", "Telegram", "Facebook"]
WEAPONS = ["Patriot", "HIMARS", "Javelin", "Bayraktar", "Iskander", "Kalibr", "Stinger", "NLAW"]
CITIES = ["Melitopol", "Mariupol", "Kherson", "Bakhmut", "Izium", "Sievierodonetsk", "Kramatorsk", "Zaporizhzhia"]
JUNK_AGENCIES = ["BelTA", "Ukrinform", "TASS", "PAP", "Interfax", "RIA Novosti"]

OUTLETS = {"en_wire": ["reuters-like", "belta-en", "ukrinform-en", "kyiv-post-like"],
           "en_mt_pl": ["notes-from-poland-mt", "tvp-world-mt"], "ru": ["tass-ru", "ria-ru"],
           "uk": ["ukrinform-uk", "pravda-uk"], "pl": ["pap-pl", "rzeczpospolita-pl"]}

# ---------------------------------------------------------------- sentence templates
# {P} full name, {S} surname (nominative), {G} genitive, {D} dative, {I} instrumental,
# {Q} a second person's full name, {QS}/{QG}/{QI} its surname forms; {C} city, {W} weapon, {X} platform
EN = [
    "{P} said on {X} that the situation around {C} remained difficult.",
    "\"We will not give up our land,\" {S} told reporters in Kyiv.",
    "{S} added that more {W} systems were needed to protect {C}.",
    "{P} held talks with {Q} on Tuesday, according to a statement.",
    "{QS} said after the meeting that {S} had asked for more air defence.",
    "In a video posted on {X}, {S} thanked allies for the {W} deliveries.",
    "{C} came under heavy shelling overnight, {P} said.",
    "According to {S}, Russian troops had been pushed back from {C}.",
    "{S} also accused Moscow of blocking the evacuation of civilians.",
    "The {W} was used to destroy a Russian depot near {C}, {QS} said.",
]
EN_MT = [  # English machine-translated from Polish: Polish spellings, some left inflected
    "{P} said that the talks with {Q} had brought no result.",
    "The words of {G} were commented on by {QS}.",
    "{S} met with {QI} in {C}, the agency reported.",
    "According to {G}, the {W} systems will reach Ukraine within weeks.",
    "Earlier, {S} wrote on {X} that Russia would not back down.",
    "The spokesman of {G} did not comment on the report.",
]
RU = [
    "{P} заявил, что ситуация вокруг {C_ru} остается сложной.",
    "Об этом {S} сообщил в своем {X_ru}-канале.",
    "{P} провел переговоры с {QI} во вторник.",
    "По словам {G}, переговоры с {QI} не дали результата.",
    "{QS} ответил, что Москва не откажется от своих целей.",
    "Ранее {S} встречался с {QI} в Минске.",
    "Заявление {G} прокомментировал {QS}.",
    "{S} также передал {QD} приглашение посетить Москву.",
]
UK = [
    "{P} заявив, що ситуація навколо {C_uk} залишається складною.",
    "Про це {S} повідомив у своєму {X_ru}-каналі.",
    "{P} провів переговори з {QI} у вівторок.",
    "За словами {G}, переговори з {QI} не дали результату.",
    "{QS} відповів, що Україна не віддасть жодного міста.",
    "Заяву {G} прокоментував {QS}.",
]
PL = [
    "{P} oświadczył, że sytuacja w {C_pl} pozostaje trudna.",
    "O rozmowie z {QI} poinformował {S} na {X}.",
    "{P} spotkał się z {QI} we wtorek.",
    "Według {G}, rozmowy z {QI} nie przyniosły rezultatu.",
    "{QS} odpowiedział, że Ukraina nie odda żadnego miasta.",
    "Słowa {G} skomentował {QS}.",
    "{S} przekazał {QD} zaproszenie do Kijowa.",
]
CITY_FORMS = {"Melitopol": ("Мелитополя", "Мелітополя", "Melitopolu"), "Mariupol": ("Мариуполя", "Маріуполя", "Mariupolu"),
              "Kherson": ("Херсона", "Херсона", "Chersoniu"), "Bakhmut": ("Бахмута", "Бахмута", "Bachmucie"),
              "Izium": ("Изюма", "Ізюма", "Iziumie"), "Sievierodonetsk": ("Северодонецка", "Сєвєродонецька", "Siewierodoniecku"),
              "Kramatorsk": ("Краматорска", "Краматорська", "Kramatorsku"), "Zaporizhzhia": ("Запорожья", "Запоріжжя", "Zaporożu")}
FURNITURE = ["WATCH: {t}", "READ MORE: {t}", "Related: {t}", "Read also: {t}"]
TEASERS = ["Russian strikes hit power plants across Ukraine", "Kyiv residents queue for water after shelling",
           "EU agrees new package of sanctions", "Grain ships leave Odesa under UN deal"]

STYLE_LANG = {"en_wire": "en", "en_mt_pl": "pl", "ru": "ru", "uk": "uk", "pl": "pl"}


def _forms(pid: str, style: str) -> dict[str, str]:
    f = PEOPLE[pid][STYLE_LANG[style]]
    if style == "en_wire":
        f = PEOPLE[pid]["en"]
        return {"P": f[0], "S": f[1], "G": f[1], "D": f[1], "I": f[1]}
    return {"P": f[0], "S": f[1], "G": f[2], "D": f[3], "I": f[4]}


def article(rng: random.Random, n: int) -> tuple[str, dict]:
    """One article and its gold labels."""
    style = rng.choice(["en_wire", "en_wire", "en_wire", "en_mt_pl", "ru", "uk", "pl"])
    lang = {"en_wire": "en", "en_mt_pl": "en"}.get(style, style)
    a, b = rng.sample(sorted(PEOPLE), 2)
    fa, fb = _forms(a, style), _forms(b, style)
    city, weapon, platform = rng.choice(CITIES), rng.choice(WEAPONS), rng.choice(PLATFORMS)
    c_ru, c_uk, c_pl = CITY_FORMS[city]
    vals = {**fa, "Q": fb["P"], "QS": fb["S"], "QG": fb["G"], "QD": fb["D"], "QI": fb["I"], "C": city, "W": weapon,
            "X": platform, "C_ru": c_ru, "C_uk": c_uk, "C_pl": c_pl, "X_ru": platform}
    templates = {"en_wire": EN, "en_mt_pl": EN_MT, "ru": RU, "uk": UK, "pl": PL}[style]
    # the first sentence names person a in full; the others use any template
    first = next(t for t in templates if t.startswith("{P}"))
    body = [first] + rng.sample([t for t in templates if t != first], k=min(len(templates) - 1, rng.randint(3, 5)))
    # person b is named in full before any bare surname form of b
    if not any("{Q}" in t for t in body):
        body.insert(1, next(t for t in templates if "{Q}" in t or "{QI}" in t))
    sentences = [t.format(**vals) for t in body]
    if not any(fb["P"] in s for s in sentences):
        sentences.insert(1, {"en_mt_pl": "{Q} was also present.", "en_wire": "{Q} was also present.", "ru": "На встрече присутствовал {Q}.",
                             "uk": "На зустрічі був присутній {Q}.", "pl": "W spotkaniu uczestniczył {Q}."}[style].format(**vals))
    d = rng.randint(1, 28)
    dateline = rng.choice(DATELINES["en" if lang == "en" else lang]).format(d=d)
    title = {"en": f"{fa['S']} and {fb['S']} discuss situation in {city}", "ru": f"{fa['S']} и {fb['S']}: главное за день",
             "uk": f"{fa['S']} і {fb['S']}: головне за день", "pl": f"{fa['S']} i {fb['S']}: najważniejsze informacje"}[lang]
    paras = [title, dateline + " " + sentences[0]]
    photographer, agency = rng.choice(PHOTOGRAPHERS), rng.choice(PHOTO_AGENCIES)
    credit = rng.choice([f"Photo: {photographer}/{agency}", f"{fa['P']}. Photo: {photographer}/{agency}",
                         f"(Photo by {photographer}/{agency})", f"{photographer}/{agency}"])
    paras.append(credit)
    rest = sentences[1:]
    for i, s in enumerate(rest):
        paras.append(s)
        if i == 1 and rng.random() < 0.5:
            paras.append(rng.choice(FURNITURE).format(t=rng.choice(TEASERS)))
    if rng.random() < 0.4:
        paras.append("READ MORE:")
        paras.extend(rng.sample(TEASERS, 2))
    text = "\n\n".join(paras) + "\n"
    gold = {
        "doc_id": f"ent{n:04d}",
        "style": style,
        "language": lang,
        "people": {a: sorted({v for k, v in fa.items() if v in text}), b: sorted({v for k, v in fb.items() if v in text})},
        "junk": sorted({photographer, agency, platform, weapon, city, *[j for j in JUNK_AGENCIES if j in text]}),
    }
    return text, gold


def generate(n: int, out: Path, seed: int) -> list[dict]:
    """Write ``n`` articles (``out/text/<doc_id>.txt``) and ``out/gold.jsonl``; return the gold rows."""
    rng = random.Random(seed)
    (out / "text").mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(n):
        text, gold = article(rng, i)
        (out / "text" / f"{gold['doc_id']}.txt").write_text(text, encoding="utf-8")
        rows.append(gold)
    with open(out / "gold.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=1, help="1: tuning; 2: held out for the figures reported")
    args = ap.parse_args()
    generate(args.n, args.out, args.seed)


if __name__ == "__main__":
    main()
