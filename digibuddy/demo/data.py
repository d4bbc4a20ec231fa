"""The demo network's fixed material: its networks and places, names by origin, what residents ask
for and how often, and the small texts people write. Plain data, read by the plan."""

from __future__ import annotations

from ..requests.enums import RequestStatus

DEMO_PASSWORD = "demo-digibuddy-2026"
CONSENT_VERSION = "2026-01"
DAY = 24 * 60
FLANDERS = "02000"
OFFER_TIMEOUT_HOURS = 24
MAX_OFFER_ROUNDS = 3

STATUSES = tuple(status.value for status in RequestStatus)
NEEDS_VOLUNTEER = ("offered", "matched", "scheduled", "completed", "unresolved")
OPEN_WITH_VOLUNTEER = ("offered", "matched", "scheduled")
NOW_ANCHORED = ("new", "matching", "offered")
CHANNEL_KEYS = {
    "home": "offers_home_visits",
    "location": "offers_location",
    "phone": "offers_phone",
    "video": "offers_video",
}

# ---------------------------------------------------------------------------------------------
# The networks
# ---------------------------------------------------------------------------------------------

ACCESS_NOTES = {
    "library": "Vlot toegankelijk met een rolstoel, lift naar alle verdiepingen, aangepast toilet. "
    "Ringleiding aan de onthaalbalie.",
    "town_hall": "Ingang zonder trappen aan de zijkant. Wachtzone met zitplaatsen. "
    "Assistentiehonden zijn welkom.",
    "service_centre": "Alles gelijkvloers. Parkeerplaatsen voor mensen met een handicap vlak voor "
    "de deur. Koffie en thee zijn gratis.",
    "computer_room": "Gelijkvloers, brede deur. Computers met groot scherm en vergrootsoftware; "
    "hoofdtelefoons liggen klaar.",
    "community_centre": "Eén trede aan de ingang; een oprijplaat is er. Bel aan als u hulp nodig hebt.",
}

# (weekday, opens, closes); weekday 0 is Monday.
OPENING_HOURS = {
    "library": [
        (0, "13:00", "18:00"),
        (1, "09:00", "18:00"),
        (2, "10:00", "18:00"),
        (3, "10:00", "18:00"),
        (4, "10:00", "18:00"),
        (5, "10:00", "16:00"),
    ],
    "town_hall": [
        (0, "08:30", "12:30"),
        (0, "13:30", "16:00"),
        (1, "08:30", "12:30"),
        (2, "08:30", "12:30"),
        (2, "13:30", "16:00"),
        (3, "08:30", "12:30"),
        (3, "13:30", "19:00"),
        (4, "08:30", "12:30"),
    ],
    "service_centre": [
        (day, opens, closes) for day in range(5) for opens, closes in (("09:00", "12:00"), ("13:00", "16:30"))
    ],
    "computer_room": [
        (1, "13:00", "17:00"),
        (2, "09:00", "12:00"),
        (3, "13:00", "17:00"),
        (5, "10:00", "12:30"),
    ],
    "community_centre": [(0, "13:30", "17:00"), (2, "13:30", "17:00"), (4, "09:30", "12:00")],
}

NETWORK_SPECS = (
    {
        "key": "gent",
        "label": "Gent",
        "name": "Digibuddy Gent",
        "nis": ("44021",),
        "required": True,
        "phone": "09 210 10 10",
        "area_code": "09",
        "email": "info@gent.digibuddy.demo",
        "address": "Botermarkt 1",
        "postcode": "9000",
        "allow_overflow": False,
        "postcode_weights": {"9000": 8, "9040": 3, "9050": 3, "9030": 2, "9032": 2, "9031": 1},
        "volunteers": 42,
        "residents": 92,
        "locations": (
            ("library", "Bibliotheek De Krook", "Miriam Makebaplein 1", "9000", "09 323 68 00"),
            ("town_hall", "Stadskantoor Gent (balie Zuid)", "Woodrow Wilsonplein 1", "9000", "09 210 10 10"),
            (
                "service_centre",
                "Lokaal dienstencentrum Ledeberg",
                "Hovenierstraat 41",
                "9050",
                "09 235 39 40",
            ),
            ("computer_room", "Openbare computerruimte Brugse Poort", "Phoenixstraat 2", "9000", None),
            ("community_centre", "Buurtcentrum Sint-Amandsberg", "Achtersikkelstraat 12", "9040", None),
        ),
        "streets": (
            "Kortrijksesteenweg",
            "Dampoortstraat",
            "Sleepstraat",
            "Wondelgemstraat",
            "Brusselsesteenweg",
            "Antwerpsesteenweg",
            "Bevrijdingslaan",
            "Forelstraat",
            "Drongensesteenweg",
            "Zwijnaardsesteenweg",
            "Oudenaardsesteenweg",
            "Meulestedesteenweg",
            "Heiststraat",
            "Rabotstraat",
            "Victor Braeckmanlaan",
            "Jos Verdegemstraat",
        ),
    },
    {
        "key": "mechelen",
        "label": "Mechelen",
        "name": "Digibuddy Mechelen",
        "nis": ("12025",),
        "required": True,
        "phone": "015 29 76 55",
        "area_code": "015",
        "email": "info@mechelen.digibuddy.demo",
        "address": "Grote Markt 21",
        "postcode": "2800",
        "allow_overflow": True,
        "postcode_weights": {"2800": 8, "2801": 1, "2811": 2, "2812": 2},
        "volunteers": 30,
        "residents": 62,
        "locations": (
            ("library", "Bibliotheek Het Predikheren", "Goswin de Stassartstraat 2", "2800", "015 29 76 90"),
            ("town_hall", "Huis van de Mechelaar", "Reuzenpoort 1", "2800", "015 29 76 55"),
            (
                "service_centre",
                "Lokaal dienstencentrum Hanswijk",
                "Hanswijkstraat 63",
                "2800",
                "015 44 51 20",
            ),
            ("computer_room", "Digipunt Nekkerspoel", "Koningin Astridlaan 10", "2800", None),
            ("community_centre", "Buurthuis Heffen", "Heffenstraat 7", "2801", None),
        ),
        "streets": (
            "Bruul",
            "Hanswijkstraat",
            "Koningin Astridlaan",
            "Leuvensesteenweg",
            "Brusselsesteenweg",
            "Tervuursesteenweg",
            "Liersesteenweg",
            "Adegemstraat",
            "Kerkhofweg",
            "Oude Liersebaan",
            "Battelsesteenweg",
            "Hombeeksesteenweg",
            "Nekkerspoelstraat",
            "Gentsesteenweg",
        ),
    },
    {
        "key": "herent-kortenberg",
        "label": "Herent-Kortenberg",
        "name": "Digibuddy Herent-Kortenberg",
        "nis": ("24038", "24055"),
        # Nearby small municipalities in Flemish Brabant, used only if one of the two is missing.
        "alternatives": ("24009", "24104", "24066"),
        "required": False,
        "phone": "016 85 30 00",
        "area_code": "016",
        "email": "info@herent-kortenberg.digibuddy.demo",
        "address": "Wilselsesteenweg 28",
        "postcode": "3020",
        "allow_overflow": True,
        "postcode_weights": {"3020": 5, "3070": 4, "3071": 2, "3078": 2},
        "volunteers": 20,
        "residents": 36,
        "locations": (
            ("library", "Bibliotheek Herent", "Wilselsesteenweg 28", "3020", "016 85 31 00"),
            ("library", "Bibliotheek Kortenberg", "Vredestraat 2", "3070", "02 755 30 50"),
            (
                "town_hall",
                "Gemeentehuis Kortenberg (loket Burgerzaken)",
                "Diestsesteenweg 55",
                "3070",
                "02 755 30 00",
            ),
            ("service_centre", "Lokaal dienstencentrum De Wilg", "Molenstraat 3", "3020", "016 85 32 40"),
            ("computer_room", "Openbare computerruimte Erps-Kwerps", "Dorpsplein 1", "3071", None),
        ),
        "streets": (
            "Wilselsesteenweg",
            "Mechelsesteenweg",
            "Brusselsesteenweg",
            "Leuvensesteenweg",
            "Dorpsstraat",
            "Kerkstraat",
            "Stationsstraat",
            "Molenstraat",
            "Veldstraat",
            "Schoolstraat",
            "Diestsesteenweg",
            "Everbergstraat",
            "Kwerpsebaan",
        ),
    },
)

# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------

NAMES = {
    "flemish": {
        "first": (
            "An",
            "Annelies",
            "Els",
            "Ine",
            "Katrien",
            "Lien",
            "Marleen",
            "Nele",
            "Sofie",
            "Sarah",
            "Hilde",
            "Greet",
            "Veerle",
            "Liesbeth",
            "Femke",
            "Lotte",
            "Jana",
            "Eline",
            "Griet",
            "Mieke",
            "Ria",
            "Martine",
            "Linda",
            "Kristien",
            "Inge",
            "Leen",
            "Tine",
            "Hanne",
            "Jan",
            "Peter",
            "Koen",
            "Bart",
            "Tom",
            "Wim",
            "Dirk",
            "Luc",
            "Geert",
            "Johan",
            "Marc",
            "Stijn",
            "Pieter",
            "Jef",
            "Jonas",
            "Ruben",
            "Wouter",
            "Frank",
            "Filip",
            "Hendrik",
            "Lucas",
            "Arne",
            "Sander",
            "Thomas",
            "Rik",
            "Guido",
            "Patrick",
            "Erik",
            "Dries",
        ),
        "last": (
            "Peeters",
            "Janssens",
            "Maes",
            "Jacobs",
            "Mertens",
            "Willems",
            "Claes",
            "Goossens",
            "Wouters",
            "De Smet",
            "Hermans",
            "Aerts",
            "Van Damme",
            "De Clercq",
            "Vermeulen",
            "Van den Broeck",
            "Pauwels",
            "Verstraete",
            "De Vos",
            "Michiels",
            "Van de Velde",
            "Lambrechts",
            "Cools",
            "Verhoeven",
            "Vandenberghe",
            "De Backer",
            "Claeys",
            "Martens",
            "Smets",
            "Coppens",
            "De Wilde",
            "Van Hecke",
            "Verbeke",
            "Baert",
            "Bogaert",
            "Wuyts",
            "Segers",
            "Van Acker",
            "De Meyer",
            "Vervoort",
            "Stevens",
            "Van Laere",
            "Buysse",
            "De Paepe",
            "Roels",
            "Vanhoutte",
            "Geerts",
            "Van Impe",
            "Dierickx",
            "Moens",
        ),
        "elderly": (
            "Maria",
            "Jozef",
            "Georgette",
            "Roger",
            "Godelieve",
            "Marcel",
            "Rita",
            "Willy",
            "Simonne",
            "Gilbert",
            "Paula",
            "Frans",
            "Lutgarde",
            "André",
            "Denise",
            "Agnes",
            "Julien",
            "Germaine",
            "Yvonne",
            "Lucienne",
            "Hilda",
            "Rosa",
            "Jeanine",
            "Annie",
            "Roland",
            "Etienne",
            "Monique",
            "Christiane",
            "Fernand",
            "Gaston",
            "Irène",
            "Noël",
        ),
    },
    "francophone": {
        "first": (
            "Nathalie",
            "Isabelle",
            "Sophie",
            "Julien",
            "Olivier",
            "Philippe",
            "Céline",
            "François",
            "Amélie",
            "Benoît",
            "Véronique",
            "Laurent",
            "Mathilde",
            "Thibault",
        ),
        "last": (
            "Dubois",
            "Lambert",
            "Dupont",
            "Leclercq",
            "Renard",
            "Lemaire",
            "Fontaine",
            "Denis",
            "Laurent",
            "Mathieu",
            "Simon",
            "Lejeune",
        ),
    },
    "moroccan": {
        "first": (
            "Fatima",
            "Khadija",
            "Nadia",
            "Samira",
            "Yasmina",
            "Imane",
            "Salma",
            "Houda",
            "Mohamed",
            "Youssef",
            "Karim",
            "Hamza",
            "Ilias",
            "Soufiane",
            "Bilal",
            "Zakaria",
            "Rachid",
            "Said",
        ),
        "last": (
            "El Amrani",
            "Benali",
            "El Idrissi",
            "Bouzid",
            "Azzouzi",
            "El Khattabi",
            "Ait Ouali",
            "Haddouchi",
            "Ouardi",
            "Bakkali",
            "Chaouki",
            "El Mansouri",
            "Tahiri",
            "Boukhari",
        ),
    },
    "turkish": {
        "first": (
            "Ayşe",
            "Elif",
            "Zeynep",
            "Fatma",
            "Emine",
            "Hatice",
            "Mehmet",
            "Mustafa",
            "Ahmet",
            "Emre",
            "Burak",
            "Murat",
            "Hüseyin",
            "Selin",
        ),
        "last": (
            "Yılmaz",
            "Kaya",
            "Demir",
            "Şahin",
            "Çelik",
            "Yıldız",
            "Öztürk",
            "Aydın",
            "Arslan",
            "Doğan",
            "Koç",
            "Kurt",
        ),
    },
    "ukrainian": {
        "first": (
            "Olena",
            "Iryna",
            "Oksana",
            "Tetiana",
            "Nataliia",
            "Yuliia",
            "Andrii",
            "Oleksandr",
            "Dmytro",
            "Serhii",
            "Mykola",
            "Viktoriia",
        ),
        "last": (
            "Shevchenko",
            "Kovalenko",
            "Bondarenko",
            "Tkachenko",
            "Kravchenko",
            "Melnyk",
            "Boiko",
            "Koval",
            "Oliinyk",
            "Marchenko",
            "Savchenko",
            "Rudenko",
        ),
    },
    "polish": {
        "first": ("Agnieszka", "Katarzyna", "Magdalena", "Piotr", "Tomasz", "Krzysztof", "Anna", "Paweł"),
        "last": ("Nowak", "Wójcik", "Kowalczyk", "Mazur", "Krawczyk", "Zając"),
    },
    "romanian": {
        "first": ("Andreea", "Ioana", "Elena", "Mihai", "Andrei", "Florin", "Cristina", "Bogdan"),
        "last": ("Popescu", "Ionescu", "Dumitru", "Stan", "Munteanu", "Constantin"),
    },
    "spanish": {
        "first": ("Lucía", "Carmen", "María", "Javier", "Carlos", "Alejandro", "Elena", "Pablo"),
        "last": ("García", "Fernández", "López", "Martínez", "Sánchez", "Romero"),
    },
    "eritrean": {
        "first": ("Semhar", "Helen", "Senait", "Yonas", "Tesfay", "Dawit", "Filmon", "Saba"),
        "last": ("Tesfamariam", "Gebremedhin", "Haile", "Berhane", "Kidane", "Tekle"),
    },
    "afghan": {
        "first": ("Ahmad", "Farid", "Mariam", "Zahra", "Hamid", "Sahar", "Mohammad", "Nilofar", "Rahim"),
        "last": ("Ahmadi", "Rahimi", "Karimi", "Hashimi", "Sultani", "Noori", "Wardak"),
    },
    "somali": {
        "first": ("Hodan", "Amina", "Faadumo", "Abdi", "Ahmed", "Ayaan", "Hassan"),
        "last": ("Farah", "Hassan", "Abdullahi", "Warsame", "Osman", "Jama"),
    },
    "english": {
        "first": ("Emma", "Olivia", "James", "David", "Siobhan", "Michael"),
        "last": ("Smith", "O'Brien", "Murphy", "Wilson", "Taylor"),
    },
}

VOLUNTEER_ORIGINS = {
    "flemish": 60,
    "francophone": 5,
    "moroccan": 10,
    "turkish": 6,
    "ukrainian": 5,
    "polish": 2,
    "romanian": 2,
    "spanish": 2,
    "eritrean": 2,
    "afghan": 3,
    "somali": 2,
    "english": 1,
}
# Every network has a few volunteers from smaller communities, so that every language asked for
# (Tigrinya, Dari, Pashto, Somali, Tamazight, ...) is spoken by somebody somewhere.
RARE_ORIGINS = {
    "gent": ("eritrean", "afghan", "somali", "spanish", "turkish", "moroccan"),
    "mechelen": ("polish", "romanian", "moroccan", "eritrean", "ukrainian"),
    "herent-kortenberg": ("ukrainian", "afghan", "francophone"),
}
RESIDENT_ORIGINS = {
    "flemish": 62,
    "francophone": 5,
    "moroccan": 9,
    "turkish": 6,
    "ukrainian": 5,
    "polish": 2,
    "romanian": 2,
    "spanish": 1,
    "eritrean": 2,
    "afghan": 2,
    "somali": 2,
    "english": 2,
}

# Per origin: (weight, languages the resident speaks, UI locales to pick from).
RESIDENT_LANGUAGES = {
    "flemish": [(1, ["nl"], ["nl"])],
    "francophone": [(3, ["fr"], ["fr"]), (2, ["fr", "nl"], ["fr", "nl"])],
    "moroccan": [
        (3, ["ar"], ["ar"]),
        (3, ["ar", "nl"], ["ar", "nl"]),
        (2, ["ar", "fr"], ["ar", "fr"]),
        (1, ["zgh", "ar"], ["ar"]),
    ],
    "turkish": [(1, ["tr"], ["tr"]), (1, ["tr", "nl"], ["tr", "nl"])],
    "ukrainian": [(2, ["uk"], ["uk"]), (2, ["uk", "ru"], ["uk"]), (1, ["uk", "en"], ["uk", "en"])],
    "polish": [(1, ["pl"], ["en"]), (1, ["pl", "en"], ["en", "nl"])],
    "romanian": [(1, ["ro"], ["en"]), (1, ["ro", "en"], ["en"])],
    "spanish": [(1, ["es"], ["en", "fr"]), (1, ["es", "fr"], ["fr"])],
    "eritrean": [(1, ["ti"], ["en"]), (1, ["ti", "en"], ["en"])],
    "afghan": [(1, ["fa"], ["en"]), (1, ["ps", "fa"], ["en"]), (1, ["fa", "en"], ["en", "nl"])],
    "somali": [(1, ["so"], ["en"]), (1, ["so", "en"], ["en"])],
    "english": [(1, ["en"], ["en"]), (1, ["en", "nl"], ["en"])],
}

LANGUAGE_NAMES_NL = {
    "fr": "Frans",
    "en": "Engels",
    "ar": "Arabisch",
    "tr": "Turks",
    "uk": "Oekraïens",
    "ru": "Russisch",
    "pl": "Pools",
    "ro": "Roemeens",
    "es": "Spaans",
    "ti": "Tigrinya",
    "fa": "Dari",
    "ps": "Pasjtoe",
    "so": "Somalisch",
    "zgh": "Berbers (Tamazight)",
}

MOTIVATIONS = (
    "Ik ben met pensioen en help graag mensen op weg met hun smartphone.",
    "Ik werkte in de IT en wil iets teruggeven aan mijn buurt.",
    "Mijn moeder had het moeilijk met itsme; ik weet hoe frustrerend dat kan zijn.",
    "Ik spreek verschillende talen en wil nieuwkomers helpen met de digitale overheid.",
    "Ik studeer nog en heb elke week een paar uur vrij.",
    "In de bibliotheek zag ik hoeveel mensen vastlopen op formulieren. Daar wil ik helpen.",
    "Ik hou van uitleggen, stap voor stap, met veel geduld.",
)

PAUSE_REASONS = (
    "Op reis tot eind volgende maand.",
    "Zorgt tijdelijk voor een familielid.",
    "Herstelt van een operatie.",
    "Drukke periode op het werk.",
)
SUSPEND_REASONS = (
    "Klacht van een bewoner wordt onderzocht.",
    "Uittreksel uit het strafregister moet opnieuw worden voorgelegd.",
)
LEFT_REASONS = (
    "Verhuisd naar een andere gemeente.",
    "Heeft nu een voltijdse job.",
    "Stopt om gezondheidsredenen.",
    None,
)

# ---------------------------------------------------------------------------------------------
# What residents ask for
# ---------------------------------------------------------------------------------------------

TOPIC_TEXTS = {
    "gov-tax-on-web": (
        "Ik wil mijn belastingaangifte doen via Tax-on-web.",
        "Ik kreeg een brief over mijn belastingen en wil die online nakijken.",
    ),
    "gov-mypension": (
        "Ik wil op MyPension zien wanneer ik met pensioen kan gaan.",
        "Ik wil weten hoeveel pensioen ik krijg. Dat staat op MyPension.",
    ),
    "gov-burgerprofiel": (
        "Ik wil mijn documenten vinden in Mijn Burgerprofiel.",
        "Ik moet een attest downloaden uit Mijn Burgerprofiel.",
    ),
    "gov-municipality-eloket": (
        "Ik wil online een afspraak maken bij de gemeente.",
        "Ik wil via het e-loket een uittreksel uit het bevolkingsregister aanvragen.",
    ),
    "gov-ebox": ("Ik wil mijn brieven van de overheid lezen in mijn eBox.",),
    "itsme-install": (
        "Ik wil itsme installeren op mijn nieuwe smartphone.",
        "Ik heb hulp nodig om itsme aan te maken met mijn identiteitskaart.",
    ),
    "itsme-new-phone": ("Ik heb een nieuwe gsm en itsme werkt niet meer.",),
    "eid-card-reader": ("Mijn kaartlezer werkt niet op mijn computer.",),
    "eid-itsme-login": ("Ik weet niet hoe ik moet inloggen met itsme of met mijn identiteitskaart.",),
    "eid-pin-puk": ("Ik ben de pincode van mijn identiteitskaart vergeten. Wat moet ik doen?",),
    "banking-app": (
        "Ik wil leren werken met de app van mijn bank.",
        "Mijn bank stuurt geen papieren uittreksels meer. Ik wil ze in de app bekijken.",
    ),
    "banking-transfer": ("Ik wil leren hoe ik zelf een overschrijving doe.",),
    "banking-qr-code": ("Ik wil een factuur betalen met de QR-code.",),
    "banking-mobile-payments": ("Ik wil betalen met mijn smartphone in de winkel.",),
    "banking-fraud": ("Ik kreeg een vreemd sms'je van 'mijn bank'. Is dat echt?",),
    "safety-phishing": (
        "Ik krijg veel vreemde e-mails en weet niet welke echt zijn.",
        "Ik heb op een link in een sms geklikt en ben ongerust.",
    ),
    "safety-scams": ("Iemand belde me en vroeg mijn bankgegevens. Ik wil oplichters leren herkennen.",),
    "safety-strong-passwords": ("Ik wil betere wachtwoorden maken en ze niet vergeten.",),
    "safety-two-step-verification": ("Ik wil mijn account beter beveiligen met een extra code.",),
    "smartphone-basics": (
        "Ik heb een nieuwe smartphone gekregen en weet niet hoe hij werkt.",
        "Ik wil leren bellen en berichtjes sturen met mijn smartphone.",
    ),
    "smartphone-settings": ("De letters op mijn gsm zijn te klein. Ik wil ze groter maken.",),
    "smartphone-wifi": ("Ik wil mijn gsm verbinden met de wifi thuis.",),
    "smartphone-updates": ("Mijn gsm vraagt altijd om een update. Moet ik dat doen?",),
    "apps-install": ("Ik wil apps installeren, zoals de app van De Lijn.",),
    "smartphone-storage": ("Mijn gsm zegt dat het geheugen vol is.",),
    "computer-basics": ("Ik wil leren werken met een laptop: de muis, het toetsenbord, programma's openen.",),
    "computer-letter": ("Ik wil een brief typen en afdrukken op de computer.",),
    "email-account": ("Ik heb nog geen e-mailadres en wil er een maken.",),
    "email-read-write": ("Ik wil leren e-mails lezen en sturen.",),
    "email-attachments": ("Ik wil een foto of een document meesturen met een e-mail.",),
    "internet-search": ("Ik wil leren opzoeken op het internet.",),
    "internet-translate": ("Ik wil brieven in het Nederlands laten vertalen op mijn gsm.",),
    "internet-ai-chatbot": ("Ik wil weten wat ChatGPT is en of ik het veilig kan gebruiken.",),
    "health-portal": ("Ik wil mijn gegevens bekijken op Mijn Gezondheid.",),
    "health-doctor-appointment": (
        "Ik wil online een afspraak maken bij de dokter.",
        "Ik wil een afspraak maken in het ziekenhuis via de website.",
    ),
    "health-e-prescription": ("Ik wil mijn voorschriften zien op mijn gsm.",),
    "health-mutualiteit-app": ("Ik wil de app van mijn ziekenfonds gebruiken om attesten op te sturen.",),
    "video-whatsapp": (
        "Ik wil met mijn kleinkinderen videobellen via WhatsApp.",
        "Ik wil mijn familie in het buitenland zien via videobellen.",
    ),
    "video-meetings": ("Ik moet deelnemen aan een online gesprek met Teams en weet niet hoe dat werkt.",),
    "social-whatsapp-messages": ("Ik wil berichtjes en foto's sturen met WhatsApp.",),
    "social-whatsapp-groups": ("Ik wil in de WhatsApp-groep van mijn buurt komen.",),
    "social-facebook": ("Ik wil Facebook gebruiken om mijn familie te volgen.",),
    "shopping-safe": ("Ik wil veilig iets kopen op het internet.",),
    "tickets-train-nmbs": ("Ik wil een treinticket kopen met de app van de NMBS.",),
    "tickets-bus-de-lijn": ("Ik wil een busticket kopen met de app van De Lijn.",),
    "tickets-events": ("Ik wil tickets kopen voor een voorstelling in het cultuurcentrum.",),
    "photos-take-send": ("Ik wil foto's maken en doorsturen naar mijn kinderen.",),
    "photos-backup": ("Ik wil mijn foto's bewaren zodat ik ze niet kwijtraak.",),
    "files-scan-send": (
        "Ik moet een document inscannen en doorsturen naar het OCMW.",
        "Ik moet een attest inscannen met mijn gsm en opsturen.",
    ),
    "files-print-pdf": ("Ik wil een document afdrukken dat ik per e-mail kreeg.",),
    "jobs-vdab-profile": ("Ik wil mijn profiel bij VDAB in orde brengen.",),
    "jobs-cv-letter": ("Ik wil hulp bij het maken van mijn cv.",),
    "jobs-apply-online": ("Ik wil online solliciteren voor een job.",),
}

# How often a topic comes up (default 1): used for requests and for what volunteers know.
TOPIC_POPULARITY = {
    "smartphone-basics": 9,
    "itsme-install": 8,
    "gov-tax-on-web": 7,
    "banking-app": 7,
    "video-whatsapp": 6,
    "social-whatsapp-messages": 6,
    "email-read-write": 6,
    "safety-phishing": 6,
    "itsme-new-phone": 5,
    "gov-burgerprofiel": 5,
    "eid-itsme-login": 4,
    "gov-mypension": 4,
    "health-doctor-appointment": 4,
    "files-scan-send": 4,
    "banking-transfer": 4,
    "smartphone-settings": 4,
    "email-account": 4,
    "health-mutualiteit-app": 3,
    "eid-card-reader": 3,
    "tickets-bus-de-lijn": 3,
    "photos-take-send": 3,
    "gov-ebox": 3,
    "banking-qr-code": 3,
    "gov-municipality-eloket": 3,
    "safety-scams": 3,
    "email-attachments": 3,
    "internet-translate": 2,
    "tickets-train-nmbs": 2,
    "jobs-vdab-profile": 2,
    "computer-basics": 2,
}

REFERRALS = (
    "OCMW",
    "CAW",
    "de bank",
    "het ziekenfonds",
    "de Jobwinkel van VDAB",
    "het Infocenter van FOD Financiën",
    "het Sociaal Huis",
)
DECLINE_REASONS = (
    "Ik ben die week op reis.",
    "Dat is te ver voor mij.",
    "Ik ken dit onderwerp niet goed genoeg.",
    "Mijn agenda zit vol.",
    None,
    None,
)
CANCEL_NOTES = (
    "Bewoner heeft het zelf kunnen oplossen.",
    "Kleinzoon heeft geholpen.",
    "Bewoner is verhuisd.",
    "Bewoner belde af: niet meer nodig.",
    None,
)
SESSION_CANCEL_REASONS = (
    "Bewoner was ziek.",
    "Vrijwilliger kon niet door een staking van De Lijn.",
    "Afspraak verzet op vraag van de bewoner.",
)
FEEDBACK_GOOD = (
    "Heel vriendelijk en geduldig geholpen. Dank u!",
    "Nu kan ik zelf mijn berichten lezen.",
    "Fijn dat iemand bij mij thuis kwam.",
    "Ik durf nu zelf te betalen met de app.",
    "Eindelijk mijn belastingen in orde.",
    "Mijn kleinzoon heeft me al gebeld via WhatsApp!",
    "De digibuddy sprak mijn taal, dat hielp veel.",
    "Goed uitgelegd, stap voor stap.",
)
FEEDBACK_MEH = (
    "Het ging wat snel, maar ik ben geholpen.",
    "Ik had graag nog een tweede keer gehad.",
    "Ik begreep het nog niet helemaal.",
    "Het duurde lang voor er iemand was.",
)

AVAILABILITY_TEMPLATES = (
    ("09:00", "12:00"),
    ("09:30", "12:30"),
    ("10:00", "12:00"),
    ("13:00", "17:00"),
    ("13:30", "16:30"),
    ("14:00", "17:00"),
    ("10:00", "16:00"),
    ("18:00", "20:30"),
)


# Residents who tried to ask for help online from a postcode no demo network covers, for the coverage page:
# (postcode, days ago, how many that day). Brugge, Kortrijk, Aalst, Leuven, Hasselt and Turnhout.
UNCOVERED_ATTEMPTS = (
    ("8000", 3, 2),
    ("8000", 41, 1),
    ("8500", 12, 1),
    ("9300", 5, 3),
    ("9300", 150, 1),
    ("3000", 20, 2),
    ("3500", 60, 1),
    ("3500", 200, 2),
    ("2300", 90, 1),
    ("2300", 400, 1),  # older than a year: the page leaves it out
)

# A message the coordinator of Gent sent to every active digibuddy, three days ago (Messages to digibuddies).
VOLUNTEER_MESSAGES = [
    {
        "network": "gent",
        "by": "coordinator:gent",
        "created": -3 * DAY + 10 * 60,
        "channels": ["email"],
        "subjects": {
            "nl": "Vorming phishing op 15 januari",
            "fr": "Formation hameçonnage le 15 janvier",
        },
        "bodies": {
            "nl": "Dag allemaal,\n\nOp 15 januari om 19 uur geven we in De Krook een vorming over phishing: "
            "hoe herken je een valse sms of e-mail, en wat zeg je tegen een bewoner die al geklikt heeft?\n\n"
            "Schrijf je in door op deze mail te antwoorden. Er is koffie.",
            "fr": "Bonjour à tous,\n\nLe 15 janvier à 19 heures, nous donnons à De Krook une formation sur "
            "l'hameçonnage : comment reconnaître un faux SMS ou e-mail, et que dire à un habitant qui a déjà "
            "cliqué ?\n\nInscrivez-vous en répondant à ce message. Il y aura du café.",
        },
    }
]
