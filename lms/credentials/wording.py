"""What the credential says in words. Polish literals, not catalogue entries: a credential is a signed
document in Polish whose wording must not change with the interface's translation."""

from lms.content.models import Programme

ACHIEVEMENT_TYPE = {"person": "Certificate", "institution": "Certification"}


def description(kind: str, programme: Programme, level: int | None) -> str:
    """One sentence about the achievement."""
    if kind == "institution":
        return (
            f"Certyfikat Jakości pracy metodą Centrum Aktywności Lokalnej, przyznany instytucji przez komisję "
            f"certyfikacyjną programu „{programme.title}” po wizytacji."
        )
    return f"Ukończenie Poziomu {level} programu „{programme.title}” metodą aktywnego uczestnictwa."


def criteria(kind: str, programme: Programme, level: int | None) -> str:
    """The criteria, in Polish, from the programme's certificate rules."""
    rules = programme.certificates or {}
    if kind == "institution":
        rule = rules.get("institution") or {}
        parts = [
            f"pracownicy z zaświadczeniem ukończenia Poziomu I: co najmniej {rule.get('min_certified_staff', 0)}",
            "zaakceptowane wszystkie wymagane zadania instytucji",
            f"konsultacje Poziomu II: co najmniej {rule.get('min_consultations', 0)}",
        ]
        if rule.get("indicator_report_required"):
            parts.append("zaakceptowany raport wskaźników")
        parts.append("wizytacja w instytucji i decyzja komisji certyfikacyjnej")
        years = rule.get("valid_years")
        validity = f" Certyfikat jest ważny {years} {_years(years)} i można go odnowić." if years else ""
        return "Instytucja spełniła wszystkie warunki: " + "; ".join(parts) + "." + validity
    return (
        f"Każde wymagane zadanie Poziomu {level} wykonane we własnej społeczności lokalnej "
        "i zaakceptowane przez trenera: wszystkie kryteria oceny spełnione."
    )


def module_evidence(module_title: str, module_version: int, assignment_title: str | None = None) -> str:
    """One piece of evidence: the module version (and assignment) the certificate was earned on."""
    if assignment_title:
        return f"Zadanie „{assignment_title}” z modułu „{module_title}”, wersja treści {module_version}"
    return f"Moduł „{module_title}”, wersja treści {module_version}"


def _years(number: int) -> str:
    if number == 1:
        return "rok"
    if number % 10 in (2, 3, 4) and number % 100 not in (12, 13, 14):
        return "lata"
    return "lat"
