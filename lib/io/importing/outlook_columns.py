"""The column names Outlook writes in its CSV export, in each language it is read in.

Outlook names its columns in the user's language. The names below are the ones Outlook's
own export writes (Exchange's Outlook-CSV importer lists them per language) for English,
German, French, Spanish, Italian, Dutch and Portuguese (Brazil and Portugal), lower-case as
`text.normalise_header` leaves them. Some localised exports keep an English name for a
column ("E-mail Address" in Spanish and Brazilian Portuguese, "Notes" in French and
Italian), so each field lists every name it goes by; a header uses one language's set.
A few names desktop Outlook writes where Exchange's list differs ("Compañía", "Móvil",
"Note", "Endereço de email") are listed too.
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = (
    "English",
    "German",
    "French",
    "Spanish",
    "Italian",
    "Dutch",
    "Portuguese (Brazil)",
    "Portuguese (Portugal)",
)

FIRST_NAME = (
    "first name", "vorname", "prénom", "nombre", "nome", "voornaam", "primeiro nome",
)  # fmt: skip
MIDDLE_NAME = (
    "middle name", "weitere vornamen", "zweiter vorname", "deuxième prénom", "segundo nombre",
    "secondo nome", "middelste naam", "segundo nome", "outros nomes/apelidos",
)  # fmt: skip
LAST_NAME = (
    "last name", "nachname", "nom", "apellidos", "cognome", "achternaam", "sobrenome", "apelido",
)  # fmt: skip
SUFFIX = (
    "suffix", "namenszusatz", "suffixe", "sufijo", "titolo straniero", "achtervoegsel", "sufixo",
)  # fmt: skip
COMPANY = (
    "company", "firma", "société", "organización", "compañía", "società", "bedrijf", "empresa",
)  # fmt: skip
JOB_TITLE = ("job title", "position", "titre", "puesto", "posizione", "functie", "cargo")
NOTES = ("notes", "notizen", "notas", "note", "notities", "anotações")
WEB_PAGE = (
    "web page", "personal web page", "webseite", "page web", "página web", "pagina web",
    "webpagina", "página da web", "página na web",
)  # fmt: skip
NICKNAME = ("nickname",)
EMAIL_DISPLAY_NAME = (
    "e-mail display name", "e-mail: angezeigter name", "nom complet de l'adresse de messagerie",
    "nombre de pantalla de correo electrónico", "nome visualizzato posta elettronica",
    "weergavenaam voor e-mail", "nome para exibição do email",
    "nome a apresentar para o correio electrónico",
)  # fmt: skip
EMAIL_TYPE = (
    "e-mail type", "e-mail-typ", "type de messagerie", "tipo posta elettronica", "e-mailtype",
    "tipo de email", "tipo de correio electrónico",
)  # fmt: skip
# The first, second and third e-mail, in that order.
EMAILS: tuple[tuple[str, ...], ...] = (
    (
        "e-mail address", "e-mail-adresse", "adresse de messagerie",
        "dirección de correo electrónico", "indirizzo posta elettronica", "e-mailadres",
        "endereço de email", "endereço de correio electrónico",
    ),
    (
        "e-mail 2 address", "e-mail 2: adresse", "adresse de messagerie 2",
        "dirección de correo electrónico 2", "indirizzo posta elettronica 2", "e-mailadres 2",
        "endereço de email 2", "endereço do correio electrónico 2",
    ),
    (
        "e-mail 3 address", "e-mail 3: adresse", "adresse de messagerie 3",
        "dirección del correo electrónico 3", "dirección de correo electrónico 3",
        "indirizzo posta elettronica 3", "e-mailadres 3", "endereço de email 3",
        "endereço do correio electrónico 3",
    ),
)  # fmt: skip
# The number a person is most likely reached on first; fax, pager and telex are not kept.
PHONES: tuple[tuple[str, ...], ...] = (
    (
        "mobile phone", "mobiltelefon", "tél. mobile", "teléfono móvil", "móvil", "cellulare",
        "mobiele telefoon", "telefone celular", "celular", "telemóvel",
    ),
    (
        "business phone", "telefon geschäftlich", "téléphone (bureau)", "teléfono del trabajo",
        "ufficio", "telefoon op werk", "telefone comercial", "telefone da empresa",
    ),
    (
        "primary phone", "haupttelefon", "téléphone principal", "teléfono principal",
        "telefono principale", "hoofdtelefoon", "telefone principal",
    ),
    (
        "home phone", "telefon privat", "telefon (privat)", "téléphone (domicile)", "particular",
        "abitazione", "telefoon thuis", "telefone residencial", "telefone da residência",
    ),
    (
        "business phone 2", "telefon geschäftlich 2", "téléphone 2 (bureau)", "ufficio 2",
        "telefoon op werk 2", "telefone comercial 2", "2º telefone da empresa",
    ),
    (
        "home phone 2", "telefon privat 2", "téléphone 2 (domicile)", "abitazione 2",
        "telefoon thuis 2", "telefone residencial 2", "2º telefone da residência",
    ),
    (
        "company main phone", "telefon firma", "téléphone société",
        "número de centralita de la organización", "telefono principale società",
        "hoofdtelefoon bedrijf", "telefone principal da empresa",
    ),
    (
        "other phone", "weiteres telefon", "téléphone (autre)", "otro teléfono", "altro telefono",
        "andere telefoon", "outro telefone",
    ),
    (
        "car phone", "autotelefon", "téléphone (voiture)", "telefono auto", "autotelefoon",
        "telefone do carro",
    ),
    (
        "assistant's phone", "telefon assistent", "téléphone de l'assistant(e)",
        "telefono assistente", "telefoon assistent", "telefone do assistente",
    ),
    (
        "callback", "rückmeldung", "rappel", "devolución de llamada", "richiamata automatica",
        "terugbellen", "retorno de chamada", "tel. de resposta",
    ),
    (
        "radio phone", "mobiltelefon 2", "radio téléphone", "radioteléfono", "radiotelefono",
        "radiotelefoon", "radiofone", "radiotelefone",
    ),
)  # fmt: skip


def is_outlook_header(header: set[str]) -> bool:
    """Outlook's CSV in any language above: names with an e-mail, title or phone column, or
    Outlook's e-mail columns alone (a file of addresses without names)."""
    named = bool(header & set(FIRST_NAME)) and bool(header & set(LAST_NAME))
    first_email = bool(header & set(EMAILS[0]))
    contact = first_email or bool(header & set(JOB_TITLE + PHONES[0] + PHONES[1]))
    outlook_only = set(EMAILS[1] + EMAILS[2] + EMAIL_DISPLAY_NAME + EMAIL_TYPE)
    return (named and contact) or (first_email and bool(header & outlook_only))
