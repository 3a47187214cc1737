"""The words the site itself adds to pages, kept in one catalog per language.

Editors' words come from content; everything the generator writes around them (menu titles,
answer labels, the self-check script's messages) comes from here, so a
translation is one more catalog and never a hunt through code. Headings and lead-ins the
topic page adds are here too (`part.*`); editors can give each part a heading of their own.
"""

from __future__ import annotations

from types import MappingProxyType

ENGLISH = MappingProxyType({
    "menu.home": "Home",
    "menu.a-z": "A to Z",
    "menu.about": "About this site",
    "menu.privacy": "Privacy",
    "menu.accessibility": "Accessibility",
    "page.a-z": "A to Z of health topics",
    "page.a-z.description": "Every health topic and the other names people use for it.",
    "publisher": "Published by {publisher}",
    "answer.yes": "Yes",
    "answer.no": "No",
    "answer.not-sure": "Not sure",
    "answer.none": "None of these",
    "answer.or": "or",
    "check.say-result": "Your result is below your answers:",
    "check.say-cleared": "You changed an answer, so the result was removed. Answer the next "
                         "question to see what to do.",
    "check.why": "You see this because you answered:",
    # When a long list of answers would all say the same ("No", ten times), one line says so.
    "check.why-all": "\u201c{answer}\u201d to all {count} questions",
    "check.number-error": "Enter a number from {lowest} to {highest}.",
    "check.number-error-open": "Enter a number.",
    "check.choose-all": "Choose all that apply.",
    "check.number-hint": "Write a number from {lowest} to {highest}.",
    "check.number-hint-unit": "Write the number in {unit}, from {lowest} to {highest}.",
    "check.number-hint-open": "Write a number.",
    "part.key-message": "Key message",
    "part.warning-signs": "Warning signs",
    "part.what-to-do-now": "What to do now",
    "part.self-checks": "Check yourself",
    "part.risks": "Risks",
    "part.other-names": "Other names for this topic",
    "part.references": "References",
    "part.review": "When we checked this page",
    "names.show": "Show the {count} other names, some of them medical words",
    "signs.lead-in": "If you have any of these:",
    "advice.mark": "Our advice",
    "advice.note": "The advice on where to get care, and how soon, comes from {site_name}, "
                   "not from the references. So does text marked \u201cOur advice\u201d.",
    "check.questions": "Questions to ask yourself",
    "check.answer": "Answer the questions",
    "check.what-to-do": "What to do",
    "check.summary": "From your answers, do each of these:",
    "check.link": "{title}: answer a few questions",
    "review.checked-by": "Checked against its sources by",
    "review.last-checked": "Last checked",
    "review.source-reviewed": "The source\u2019s own review date",
    "review.no-source-date": "The source does not give one.",
    "review.next-check": "Next check due",
    "months": "January February March April May June July August September October "
              "November December",
})

CATALOGS = MappingProxyType({"en": ENGLISH})


def catalog(language: str) -> MappingProxyType:
    """The catalog for a language code such as 'en' or 'en-GB' (English when there is none)."""
    return CATALOGS.get(language.split("-")[0], ENGLISH)
