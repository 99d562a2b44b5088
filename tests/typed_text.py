"""Strings people really type (letters with placeholders, names, arrows, e-mails in brackets): each must be
shown literally wherever it is shown (tests/test_rendering.py, tests/e2e/test_typed_text.py)."""

TYPED = [
    "Szanowny Panie <imię i nazwisko>, zapraszamy",
    "<b>x</b>",
    "a<b>c",
    "Kocham nasz CAL <3",
    "Kowalski & Syn",
    'Fundacja „Razem” & Stowarzyszenie "Dobro"',
    "napisz do nas: <biuro@cal-testowo.pl>",
    "diagnoza -> plan -> działanie",
    "spotkanie dnia <data spotkania> o godz. <godzina>",
    "Droga <imię>!",
    "x < y > z",
    "5 < 10 & 10 > 5",
    "'pojedyncze' cudzysłowy",
    'Koło Gospodyń Wiejskich "Pod Lipą"',
    "AT&T oraz C&A",
    "&amp; zostaje &amp;",
    "&copy; 2026 &nbsp; &#169;",
    "<https://cal.org.pl>",
    "<!-- uwaga -->",
    "<div>blok</div>",
    "<p>akapit</p>",
    "Dzień dobry <<imię>>",
    "<3 <3 <3",
    "a<b>c</b>d",
    "=> wynik",
    "<- wstecz",
    "<=> równoważne",
    "<tel. 123 456 789>",
    "[imię] <nazwisko>",
    "Ośrodek Pomocy Społecznej w Łodzi <OPS>",
    "linia<br>dalej",
    "Jan Kowalski <jan.kowalski@example.pl>",
    "100% zaangażowania, %(name)s i {{ imię }}",
    "<script>to tylko słowo</script>",
]

# Short enough for a person's or an institution's name.
TYPED_NAMES = [text for text in TYPED if len(text) <= 60]
