"""What the demo municipality's report form says: category descriptions and extra questions,
and the Open311 groups and keywords other apps list the categories by.

Idempotent: a description, a group or keywords are written only where a category has none,
and a question only where its category has no question of that code (a question an admin
removed stays removed).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.questions import QuestionKind
from feedbackgis.models import Category
from feedbackgis.services.catalog.parties_and_categories import CategoryTexts, update_category
from feedbackgis.services.catalog.questions import OptionFields, QuestionFields, add_question

DESCRIPTIONS = {
    "streetlight": ("Pimeä tai vilkkuva katuvalo, vaurioitunut valaisinpylväs.",
                    "Släckt eller blinkande gatlykta, skadad belysningsstolpe.",
                    "A street light that is out or flickering, a damaged lamp post."),
    "pothole": ("Kuopat ja vauriot ajoradalla, pyörätiellä tai jalkakäytävällä.",
                "Gropar och skador i körbanan, på cykelbanan eller trottoaren.",
                "Potholes and damage on the road, cycle path or pavement."),
    "snow": ("Auraamaton katu, liukas kulkuväylä tai hiekoitusta kaipaava kohta.",
             "Oplogad gata, halt gångväg eller en plats som behöver sandas.",
             "An unploughed street, a slippery path or a spot that needs gritting."),
    "litter": ("Roskat, täydet roska-astiat ja luvattomat kaatopaikat.",
               "Skräp, fulla papperskorgar och olaglig dumpning.",
               "Litter, full bins and illegal dumping."),
    "park": ("Puistojen ja leikkipaikkojen sekä niiden välineiden viat.",
             "Fel i parker och på lekplatser och i deras redskap.",
             "Faults in parks, playgrounds and their equipment."),
    "graffiti": ("Töhryt ja tarrat seinissä, laitteissa ja rakenteissa.",
                 "Klotter och klistermärken på väggar, anordningar och konstruktioner.",
                 "Graffiti and stickers on walls, equipment and structures."),
    "other": ("Palaute, joka ei sovi muihin aiheisiin.",
              "Respons som inte passar under de andra ämnena.",
              "Feedback that fits none of the other topics."),
}

_STREETS = ("Kadut ja liikenne", "Gator och trafik", "Streets and traffic")
_CLEANLINESS = ("Jätehuolto ja siisteys", "Avfallshantering och renhållning",
                "Waste and cleanliness")
GROUPS = {
    "streetlight": ("Valaistus", "Belysning", "Lighting"),
    "pothole": _STREETS,
    "snow": _STREETS,
    "litter": _CLEANLINESS,
    "park": ("Puistot ja viheralueet", "Parker och grönområden", "Parks and green areas"),
    "graffiti": _CLEANLINESS,
    "other": ("Muut", "Övrigt", "Other"),
}

# The words a resident would type to find the category, in each language.
KEYWORDS = {
    "streetlight": ("katuvalo, lamppu, pimeä, valaisin, valopylväs, vilkkuu",
                    "gatubelysning, gatlykta, lampa, mörk, belysningsstolpe, blinkar",
                    "streetlight, lamp, dark, lamp post, flickering"),
    "pothole": ("kuoppa, reikä, asfaltti, tie, katu, pyörätie",
                "grop, hål, asfalt, väg, gata, cykelbana",
                "pothole, hole, asphalt, road, street, cycle path"),
    "snow": ("lumi, auraus, liukas, jää, hiekoitus, polanne",
             "snö, plogning, halt, is, sandning, halka",
             "snow, ploughing, slippery, ice, gritting"),
    "litter": ("roskat, roska-astia, jätteet, kaatopaikka, täynnä",
               "skräp, papperskorg, avfall, dumpning, full",
               "litter, rubbish, bin, waste, dumping, full"),
    "park": ("puisto, leikkipaikka, keinu, penkki, nurmikko, puu",
             "park, lekplats, gunga, bänk, gräsmatta, träd",
             "park, playground, swing, bench, lawn, tree"),
    "graffiti": ("töhry, graffiti, tarra, spray, seinä",
                 "klotter, graffiti, klistermärke, sprej, vägg",
                 "graffiti, tag, sticker, spray paint, wall"),
    "other": ("palaute, muu, kysymys",
              "respons, annat, fråga",
              "feedback, other, question"),
}

QUESTIONS = [
    ("streetlight", "light_out", QuestionFields(
        QuestionKind.YESNO, "Onko valo kokonaan sammunut?", "Är lampan helt släckt?",
        "Is the light completely out?", required=True)),
    ("streetlight", "number_known", QuestionFields(
        QuestionKind.CHOICE, "Tiedätkö pylvään tai lampun numeron?",
        "Vet du stolpens eller lampans nummer?", "Pole or lamp number known?",
        options=(OptionFields("pole", "Pylvään numero", "Stolpens nummer", "The pole number"),
                 OptionFields("lamp", "Lampun numero", "Lampans nummer", "The lamp number"),
                 OptionFields("no", "Ei", "Nej", "No")))),
    ("streetlight", "number", QuestionFields(
        QuestionKind.TEXT, "Numero, jos tiedät sen", "Numret, om du vet det",
        "The number, if you know it")),
]


def ensure_descriptions(session: Session) -> None:
    categories = session.scalars(select(Category).where(Category.code.in_(DESCRIPTIONS)))
    undescribed = [c.code for c in categories if not c.description_fi]
    for code in undescribed:
        fi, sv, en = DESCRIPTIONS[code]
        update_category(session, code, CategoryTexts(description_fi=fi, description_sv=sv,
                                                     description_en=en))


def _trilingual(prefix: str, texts: tuple[str, str, str]) -> dict[str, str]:
    return {f"{prefix}_{language}": text for language, text in zip(("fi", "sv", "en"), texts,
                                                                   strict=True)}


def ensure_groups_and_keywords(session: Session) -> None:
    """Give each demo category its group and keywords where it has none (an admin's own
    stay)."""
    categories = session.scalars(select(Category).where(Category.code.in_(GROUPS))).all()
    for category in categories:
        texts: dict[str, str] = {}
        if not category.group_fi:
            texts.update(_trilingual("group", GROUPS[category.code]))
        if not category.keywords_fi and category.code in KEYWORDS:
            texts.update(_trilingual("keywords", KEYWORDS[category.code]))
        if texts:
            update_category(session, category.code, CategoryTexts(**texts))


def ensure_questions(session: Session) -> int:
    """Add the demo questions their categories lack; returns how many were added."""
    added = 0
    for category_code, code, fields in QUESTIONS:
        category = session.scalar(select(Category).where(Category.code == category_code))
        if category is None or any(q.code == code for q in category.questions):
            continue
        add_question(session, category_code, code, fields)
        added += 1
    return added
