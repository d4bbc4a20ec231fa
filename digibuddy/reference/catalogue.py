"""The central default topic catalogue: what residents can ask a digibuddy for help with.

This module is the single, central default. `flask refdata load` seeds it into the
`topic_groups` and `topics` tables (idempotently, matching on `code`). After seeding, the
catalogue is managed by the central administrator in the application; this file is only the
starting point, and changing it here only affects what the next `flask refdata load` writes.

Structure:

* ``DIGCOMP_COMPETENCES`` maps the 21 DigComp 2.2 competence codes ("1.1" ... "5.4") to their
  official English title with faithful Dutch and French translations.
* ``TOPIC_CATALOGUE`` is an ordered list of groups. Each group is
  ``{"code", "labels", "topics"}`` and each topic is ``{"code", "digcomp", "labels"}``.
  Labels use plain everyday words (around CEFR B1), phrased the way a resident would say it,
  in six locales: "nl" (Flemish Dutch, the default), "fr", "en", "ar", "tr" and "uk".
  ``digcomp`` holds one or more competence codes separated by spaces, the primary one first.

This module is plain Python on purpose: it imports nothing from Flask or SQLAlchemy.
"""

import re

DEFAULT_LOCALE = "nl"
LOCALES = ("nl", "fr", "en", "ar", "tr", "uk")
DIGCOMP_LOCALES = ("en", "nl", "fr")
CODE_MAX_LENGTH = 40
DIGCOMP_MAX_LENGTH = 40  # size of Topic.digcomp in the database
CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# DigComp 2.2: The Digital Competence Framework for Citizens (European Commission, JRC, 2022).
DIGCOMP_COMPETENCES = {
    # Area 1: Information and data literacy
    "1.1": {
        "en": "Browsing, searching and filtering data, information and digital content",
        "nl": "Browsen, zoeken en filteren van data, informatie en digitale inhoud",
        "fr": "Naviguer, rechercher et filtrer des données, des informations et des contenus numériques",
    },
    "1.2": {
        "en": "Evaluating data, information and digital content",
        "nl": "Evalueren van data, informatie en digitale inhoud",
        "fr": "Évaluer des données, des informations et des contenus numériques",
    },
    "1.3": {
        "en": "Managing data, information and digital content",
        "nl": "Beheren van data, informatie en digitale inhoud",
        "fr": "Gérer des données, des informations et des contenus numériques",
    },
    # Area 2: Communication and collaboration
    "2.1": {
        "en": "Interacting through digital technologies",
        "nl": "Interageren via digitale technologieën",
        "fr": "Interagir au moyen des technologies numériques",
    },
    "2.2": {
        "en": "Sharing through digital technologies",
        "nl": "Delen via digitale technologieën",
        "fr": "Partager au moyen des technologies numériques",
    },
    "2.3": {
        "en": "Engaging in citizenship through digital technologies",
        "nl": "Burgerschap uitoefenen via digitale technologieën",
        "fr": "S'engager dans la citoyenneté au moyen des technologies numériques",
    },
    "2.4": {
        "en": "Collaborating through digital technologies",
        "nl": "Samenwerken via digitale technologieën",
        "fr": "Collaborer au moyen des technologies numériques",
    },
    "2.5": {
        "en": "Netiquette",
        "nl": "Netiquette",
        "fr": "Nétiquette",
    },
    "2.6": {
        "en": "Managing digital identity",
        "nl": "Beheren van de digitale identiteit",
        "fr": "Gérer son identité numérique",
    },
    # Area 3: Digital content creation
    "3.1": {
        "en": "Developing digital content",
        "nl": "Ontwikkelen van digitale inhoud",
        "fr": "Développer des contenus numériques",
    },
    "3.2": {
        "en": "Integrating and re-elaborating digital content",
        "nl": "Integreren en herwerken van digitale inhoud",
        "fr": "Intégrer et réélaborer des contenus numériques",
    },
    "3.3": {
        "en": "Copyright and licences",
        "nl": "Auteursrecht en licenties",
        "fr": "Droits d'auteur et licences",
    },
    "3.4": {
        "en": "Programming",
        "nl": "Programmeren",
        "fr": "Programmation",
    },
    # Area 4: Safety
    "4.1": {
        "en": "Protecting devices",
        "nl": "Beschermen van apparaten",
        "fr": "Protéger les appareils",
    },
    "4.2": {
        "en": "Protecting personal data and privacy",
        "nl": "Beschermen van persoonsgegevens en privacy",
        "fr": "Protéger les données personnelles et la vie privée",
    },
    "4.3": {
        "en": "Protecting health and well-being",
        "nl": "Beschermen van gezondheid en welzijn",
        "fr": "Protéger la santé et le bien-être",
    },
    "4.4": {
        "en": "Protecting the environment",
        "nl": "Beschermen van het milieu",
        "fr": "Protéger l'environnement",
    },
    # Area 5: Problem solving
    "5.1": {
        "en": "Solving technical problems",
        "nl": "Oplossen van technische problemen",
        "fr": "Résoudre des problèmes techniques",
    },
    "5.2": {
        "en": "Identifying needs and technological responses",
        "nl": "Identificeren van behoeften en technologische antwoorden",
        "fr": "Identifier les besoins et les réponses technologiques",
    },
    "5.3": {
        "en": "Creatively using digital technologies",
        "nl": "Creatief gebruiken van digitale technologieën",
        "fr": "Utiliser les technologies numériques de manière créative",
    },
    "5.4": {
        "en": "Identifying digital competence gaps",
        "nl": "Identificeren van hiaten in digitale competenties",
        "fr": "Identifier les lacunes en matière de compétences numériques",
    },
}


# DigComp 2.2 proficiency levels: 1-2 foundation, 3-4 intermediate, 5-6 advanced, 7-8 highly specialised.
DIGCOMP_LEVELS = range(1, 9)
# What a resident can do after a digibuddy's help, for most topics: simple tasks, on their own with some
# guidance where needed (level 2). A topic below has a different level.
DEFAULT_LEVEL = 2
TOPIC_LEVELS = {
    "internet-reliable-information": 3,
    "internet-ai-chatbot": 3,
    "safety-password-manager": 3,
    "safety-two-step-verification": 3,
    "safety-privacy-settings": 3,
}


def topic_level(code: str) -> int:
    return TOPIC_LEVELS.get(code, DEFAULT_LEVEL)


TOPIC_CATALOGUE = [
    # ------------------------------------------------------------------ smartphone and tablet
    {
        "code": "smartphone",
        "labels": {
            "nl": "Smartphone en tablet",
            "fr": "Smartphone et tablette",
            "en": "Smartphone and tablet",
            "ar": "الهاتف الذكي والجهاز اللوحي",
            "tr": "Akıllı telefon ve tablet",
            "uk": "Смартфон і планшет",
        },
        "topics": [
            {
                "code": "smartphone-basics",
                "digcomp": "5.1 4.1",
                "labels": {
                    "nl": "Mijn smartphone of tablet gebruiken: aanzetten, knoppen en scherm",
                    "fr": "Utiliser mon smartphone ou ma tablette : allumer, boutons et écran",
                    "en": "Using my smartphone or tablet: switching on, buttons and screen",
                    "ar": "استخدام هاتفي الذكي أو جهازي اللوحي: التشغيل والأزرار والشاشة",
                    "tr": "Akıllı telefonumu veya tabletimi kullanmak: açma, tuşlar ve ekran",
                    "uk": "Користуватися смартфоном або планшетом: увімкнення, кнопки та екран",
                },
            },
            {
                "code": "smartphone-settings",
                "digcomp": "5.1 4.1",
                "labels": {
                    "nl": "De instellingen van mijn toestel aanpassen (geluid, beltoon, helderheid, taal)",
                    "fr": "Régler mon appareil (son, sonnerie, luminosité, langue)",
                    "en": "Changing the settings on my device (sound, ringtone, brightness, language)",
                    "ar": "تغيير إعدادات جهازي (الصوت، نغمة الرنين، سطوع الشاشة، اللغة)",
                    "tr": "Cihazımın ayarlarını değiştirmek (ses, zil sesi, parlaklık, dil)",
                    "uk": "Змінювати налаштування пристрою (звук, мелодія дзвінка, яскравість, мова)",
                },
            },
            {
                "code": "smartphone-wifi",
                "digcomp": "5.1 4.1",
                "labels": {
                    "nl": "Verbinding maken met wifi en mobiele data",
                    "fr": "Me connecter au wifi et aux données mobiles",
                    "en": "Connecting to wifi and mobile data",
                    "ar": "الاتصال بشبكة الواي فاي وبيانات الهاتف المحمول",
                    "tr": "Wi-Fi'ye ve mobil veriye bağlanmak",
                    "uk": "Підключатися до Wi-Fi та мобільного інтернету",
                },
            },
            {
                "code": "smartphone-updates",
                "digcomp": "5.1 4.1",
                "labels": {
                    "nl": "Updates installeren op mijn smartphone of tablet",
                    "fr": "Installer les mises à jour sur mon smartphone ou ma tablette",
                    "en": "Installing updates on my smartphone or tablet",
                    "ar": "تثبيت التحديثات على هاتفي الذكي أو جهازي اللوحي",
                    "tr": "Akıllı telefonuma veya tabletime güncellemeleri yüklemek",
                    "uk": "Встановлювати оновлення на смартфон або планшет",
                },
            },
            {
                "code": "apps-install",
                "digcomp": "5.2 5.1",
                "labels": {
                    "nl": "Apps zoeken, installeren en verwijderen",
                    "fr": "Trouver, installer et supprimer des applications",
                    "en": "Finding, installing and removing apps",
                    "ar": "البحث عن التطبيقات وتثبيتها وحذفها",
                    "tr": "Uygulama bulmak, yüklemek ve silmek",
                    "uk": "Шукати, встановлювати та видаляти застосунки",
                },
            },
            {
                "code": "smartphone-storage",
                "digcomp": "5.1 1.3",
                "labels": {
                    "nl": "Mijn geheugen is vol: ruimte vrijmaken",
                    "fr": "Ma mémoire est pleine : libérer de l'espace",
                    "en": "My storage is full: freeing up space",
                    "ar": "ذاكرة جهازي ممتلئة: كيف أوفّر مساحة",
                    "tr": "Telefonumun hafızası doldu: yer açmak",
                    "uk": "Пам'ять заповнена: як звільнити місце",
                },
            },
            {
                "code": "smartphone-accessibility",
                "digcomp": "5.2 4.3",
                "labels": {
                    "nl": "Mijn toestel makkelijker gebruiken als ik slecht zie of hoor",
                    "fr": "Utiliser mon appareil plus facilement si je vois ou j'entends mal",
                    "en": "Making my device easier to use if I don't see or hear well",
                    "ar": "تسهيل استخدام جهازي إذا كان بصري أو سمعي ضعيفًا",
                    "tr": "İyi göremiyor veya duyamıyorsam cihazımı daha kolay kullanmak",
                    "uk": "Зручніше користуватися пристроєм, якщо я погано бачу чи чую",
                },
            },
        ],
    },
    # ------------------------------------------------------------------ computer and laptop
    {
        "code": "computer",
        "labels": {
            "nl": "Computer en laptop",
            "fr": "Ordinateur et ordinateur portable",
            "en": "Computer and laptop",
            "ar": "الحاسوب والحاسوب المحمول",
            "tr": "Bilgisayar ve dizüstü bilgisayar",
            "uk": "Комп'ютер і ноутбук",
        },
        "topics": [
            {
                "code": "computer-basics",
                "digcomp": "5.1 4.1",
                "labels": {
                    "nl": "Werken met mijn computer of laptop: muis, toetsenbord en vensters",
                    "fr": "Utiliser mon ordinateur : souris, clavier et fenêtres",
                    "en": "Using my computer or laptop: mouse, keyboard and windows",
                    "ar": "استخدام حاسوبي: الفأرة ولوحة المفاتيح والنوافذ",
                    "tr": "Bilgisayarımı kullanmak: fare, klavye ve pencereler",
                    "uk": "Користуватися комп'ютером або ноутбуком: миша, клавіатура та вікна",
                },
            },
            {
                "code": "computer-letter",
                "digcomp": "3.1 1.3",
                "labels": {
                    "nl": "Een brief of document typen en bewaren",
                    "fr": "Taper et enregistrer une lettre ou un document",
                    "en": "Typing and saving a letter or document",
                    "ar": "كتابة رسالة أو مستند على الحاسوب وحفظه",
                    "tr": "Bir mektup veya belge yazmak ve kaydetmek",
                    "uk": "Набирати й зберігати лист або документ",
                },
            },
        ],
    },
    # ------------------------------------------------------------------ e-mail
    {
        "code": "email",
        "labels": {
            "nl": "E-mail",
            "fr": "E-mail",
            "en": "E-mail",
            "ar": "البريد الإلكتروني",
            "tr": "E-posta",
            "uk": "Електронна пошта",
        },
        "topics": [
            {
                "code": "email-account",
                "digcomp": "2.1 2.6",
                "labels": {
                    "nl": "Een e-mailadres aanmaken",
                    "fr": "Créer une adresse e-mail",
                    "en": "Creating an e-mail address",
                    "ar": "إنشاء عنوان بريد إلكتروني",
                    "tr": "E-posta adresi oluşturmak",
                    "uk": "Створити адресу електронної пошти",
                },
            },
            {
                "code": "email-read-write",
                "digcomp": "2.1",
                "labels": {
                    "nl": "E-mails lezen, schrijven en beantwoorden",
                    "fr": "Lire, écrire et répondre à des e-mails",
                    "en": "Reading, writing and answering e-mails",
                    "ar": "قراءة الرسائل الإلكترونية وكتابتها والرد عليها",
                    "tr": "E-postaları okumak, yazmak ve yanıtlamak",
                    "uk": "Читати, писати й відповідати на електронні листи",
                },
            },
            {
                "code": "email-attachments",
                "digcomp": "2.1 2.2",
                "labels": {
                    "nl": "Een foto of document meesturen met een e-mail",
                    "fr": "Joindre une photo ou un document à un e-mail",
                    "en": "Sending a photo or document with an e-mail",
                    "ar": "إرفاق صورة أو مستند برسالة إلكترونية",
                    "tr": "E-postaya fotoğraf veya belge eklemek",
                    "uk": "Додавати фото чи документ до електронного листа",
                },
            },
            {
                "code": "email-organise",
                "digcomp": "1.3 2.1",
                "labels": {
                    "nl": "Mijn mailbox op orde houden: mappen, contacten en spam",
                    "fr": "Organiser ma boîte mail : dossiers, contacts et spams",
                    "en": "Keeping my mailbox tidy: folders, contacts and spam",
                    "ar": "تنظيم بريدي الإلكتروني: المجلدات وجهات الاتصال والرسائل المزعجة",
                    "tr": "E-posta kutumu düzenlemek: klasörler, kişiler ve istenmeyen e-postalar",
                    "uk": "Наводити лад у поштовій скриньці: папки, контакти та спам",
                },
            },
        ],
    },
    # ------------------------------------------------------------------ internet and searching
    {
        "code": "internet",
        "labels": {
            "nl": "Internet en opzoeken",
            "fr": "Internet et recherches",
            "en": "Internet and searching",
            "ar": "الإنترنت والبحث",
            "tr": "İnternet ve arama",
            "uk": "Інтернет і пошук",
        },
        "topics": [
            {
                "code": "internet-browsing",
                "digcomp": "1.1",
                "labels": {
                    "nl": "Een website openen en surfen op het internet",
                    "fr": "Ouvrir un site web et surfer sur internet",
                    "en": "Opening a website and browsing the internet",
                    "ar": "فتح موقع إلكتروني وتصفّح الإنترنت",
                    "tr": "Bir web sitesini açmak ve internette gezinmek",
                    "uk": "Відкривати вебсайти й користуватися інтернетом",
                },
            },
            {
                "code": "internet-search",
                "digcomp": "1.1",
                "labels": {
                    "nl": "Iets opzoeken op het internet",
                    "fr": "Chercher quelque chose sur internet",
                    "en": "Looking something up on the internet",
                    "ar": "البحث عن معلومة على الإنترنت",
                    "tr": "İnternette bir şey aramak",
                    "uk": "Шукати щось в інтернеті",
                },
            },
            {
                "code": "internet-reliable-information",
                "digcomp": "1.2",
                "labels": {
                    "nl": "Weten of informatie op het internet klopt (nepnieuws herkennen)",
                    "fr": "Savoir si une information sur internet est fiable (repérer les fausses infos)",
                    "en": "Knowing if information on the internet is true (spotting fake news)",
                    "ar": "معرفة ما إذا كانت المعلومات على الإنترنت صحيحة (التعرّف على الأخبار الكاذبة)",
                    "tr": "İnternetteki bilginin doğru olup olmadığını anlamak (sahte haberleri fark etmek)",
                    "uk": "Розуміти, чи правдива інформація в інтернеті (розпізнавати фейки)",
                },
            },
            {
                "code": "internet-translate",
                "digcomp": "5.2 1.1",
                "labels": {
                    "nl": "Een tekst of brief vertalen met mijn smartphone",
                    "fr": "Traduire un texte ou une lettre avec mon smartphone",
                    "en": "Translating a text or letter with my smartphone",
                    "ar": "ترجمة نص أو رسالة باستخدام هاتفي الذكي",
                    "tr": "Akıllı telefonumla bir metni veya mektubu çevirmek",
                    "uk": "Перекладати текст або лист за допомогою смартфона",
                },
            },
            {
                "code": "internet-ai-chatbot",
                "digcomp": "1.1 1.2",
                "labels": {
                    "nl": "Vragen stellen aan een AI-chatbot zoals ChatGPT",
                    "fr": "Poser des questions à un chatbot d'IA comme ChatGPT",
                    "en": "Asking an AI chatbot like ChatGPT questions",
                    "ar": "طرح الأسئلة على روبوت محادثة بالذكاء الاصطناعي مثل ChatGPT",
                    "tr": "ChatGPT gibi bir yapay zekâ sohbet robotuna soru sormak",
                    "uk": "Ставити запитання чат-боту зі штучним інтелектом, як-от ChatGPT",
                },
            },
        ],
    },
    # ------------------------------------------------------------------ online safety
    {
        "code": "online-safety",
        "labels": {
            "nl": "Veilig online",
            "fr": "Sécurité en ligne",
            "en": "Staying safe online",
            "ar": "الأمان على الإنترنت",
            "tr": "İnternette güvenlik",
            "uk": "Безпека в інтернеті",
        },
        "topics": [
            {
                "code": "safety-phishing",
                "digcomp": "4.2",
                "labels": {
                    "nl": "Valse berichten en phishing herkennen (sms, e-mail, WhatsApp)",
                    "fr": "Reconnaître les faux messages et le phishing (SMS, e-mail, WhatsApp)",
                    "en": "Spotting fake messages and phishing (text message, e-mail, WhatsApp)",
                    "ar": (
                        "التعرّف على الرسائل المزيّفة والتصيّد الاحتيالي "
                        "(الرسائل القصيرة، البريد الإلكتروني، واتساب)"
                    ),
                    "tr": "Sahte mesajları ve oltalama dolandırıcılığını tanımak (SMS, e-posta, WhatsApp)",
                    "uk": "Розпізнавати фальшиві повідомлення та фішинг (SMS, електронна пошта, WhatsApp)",
                },
            },
            {
                "code": "safety-scams",
                "digcomp": "4.2",
                "labels": {
                    "nl": "Oplichting herkennen: valse telefoontjes en 'hallo mama'-berichten",
                    "fr": "Reconnaître les arnaques : faux appels et messages « Salut maman »",
                    "en": "Spotting scams: fake phone calls and 'Hi Mum' messages",
                    "ar": "التعرّف على عمليات الاحتيال: المكالمات المزيّفة ورسائل «مرحبًا يا أمي»",
                    "tr": "Dolandırıcılığı tanımak: sahte aramalar ve “Merhaba anne” mesajları",
                    "uk": "Розпізнавати шахрайство: фальшиві дзвінки та повідомлення «Привіт, мамо»",
                },
            },
            {
                "code": "safety-strong-passwords",
                "digcomp": "4.2",
                "labels": {
                    "nl": "Sterke wachtwoorden maken en onthouden",
                    "fr": "Créer et retenir des mots de passe solides",
                    "en": "Creating and remembering strong passwords",
                    "ar": "إنشاء كلمات مرور قوية وتذكّرها",
                    "tr": "Güçlü şifreler oluşturmak ve hatırlamak",
                    "uk": "Створювати й запам'ятовувати надійні паролі",
                },
            },
            {
                "code": "safety-password-manager",
                "digcomp": "4.2 4.1",
                "labels": {
                    "nl": "Een wachtwoordmanager gebruiken",
                    "fr": "Utiliser un gestionnaire de mots de passe",
                    "en": "Using a password manager",
                    "ar": "استخدام برنامج لإدارة كلمات المرور",
                    "tr": "Şifre yöneticisi kullanmak",
                    "uk": "Користуватися менеджером паролів",
                },
            },
            {
                "code": "safety-two-step-verification",
                "digcomp": "4.2 2.6",
                "labels": {
                    "nl": "Inloggen in twee stappen instellen (tweestapsverificatie)",
                    "fr": "Activer la connexion en deux étapes (validation en deux étapes)",
                    "en": "Setting up two-step verification",
                    "ar": "تفعيل التحقق بخطوتين",
                    "tr": "İki adımlı doğrulamayı açmak",
                    "uk": "Увімкнути двоетапну перевірку",
                },
            },
            {
                "code": "safety-protect-device",
                "digcomp": "4.1",
                "labels": {
                    "nl": "Mijn toestel beveiligen: schermslot, updates en antivirus",
                    "fr": "Protéger mon appareil : verrouillage de l'écran, mises à jour et antivirus",
                    "en": "Protecting my device: screen lock, updates and antivirus",
                    "ar": "حماية جهازي: قفل الشاشة والتحديثات وبرنامج مكافحة الفيروسات",
                    "tr": "Cihazımı korumak: ekran kilidi, güncellemeler ve virüs koruması",
                    "uk": "Захищати пристрій: блокування екрана, оновлення та антивірус",
                },
            },
            {
                "code": "safety-privacy-settings",
                "digcomp": "4.2 2.6",
                "labels": {
                    "nl": "Mijn privacy beschermen: instellingen in apps en op sociale media",
                    "fr": "Protéger ma vie privée : paramètres des applications et des réseaux sociaux",
                    "en": "Protecting my privacy: settings in apps and on social media",
                    "ar": "حماية خصوصيتي: الإعدادات في التطبيقات ووسائل التواصل الاجتماعي",
                    "tr": "Gizliliğimi korumak: uygulamalarda ve sosyal medyada ayarlar",
                    "uk": "Захищати свою приватність: налаштування в застосунках і соцмережах",
                },
            },
        ],
    },
    # ------------------------------------------------------------------ eID and itsme
    {
        "code": "eid-itsme",
        "labels": {
            "nl": "eID en itsme",
            "fr": "eID et itsme",
            "en": "eID and itsme",
            "ar": "بطاقة الهوية الإلكترونية (eID) وتطبيق itsme",
            "tr": "Elektronik kimlik kartı (eID) ve itsme",
            "uk": "Електронна ID-картка (eID) та itsme",
        },
        "topics": [
            {
                "code": "itsme-install",
                "digcomp": "2.6 4.2",
                "labels": {
                    "nl": "De itsme-app installeren en activeren",
                    "fr": "Installer et activer l'application itsme",
                    "en": "Installing and activating the itsme app",
                    "ar": "تثبيت تطبيق itsme وتفعيله",
                    "tr": "itsme uygulamasını yüklemek ve etkinleştirmek",
                    "uk": "Встановити й активувати застосунок itsme",
                },
            },
            {
                "code": "itsme-new-phone",
                "digcomp": "2.6 4.2",
                "labels": {
                    "nl": "itsme overzetten naar een nieuwe smartphone",
                    "fr": "Transférer itsme sur un nouveau smartphone",
                    "en": "Moving itsme to a new smartphone",
                    "ar": "نقل تطبيق itsme إلى هاتف ذكي جديد",
                    "tr": "itsme'yi yeni bir akıllı telefona taşımak",
                    "uk": "Перенести itsme на новий смартфон",
                },
            },
            {
                "code": "eid-card-reader",
                "digcomp": "2.6 4.2",
                "labels": {
                    "nl": "Mijn eID gebruiken met een kaartlezer",
                    "fr": "Utiliser ma carte eID avec un lecteur de carte",
                    "en": "Using my eID card with a card reader",
                    "ar": "استخدام بطاقة الهوية الإلكترونية مع قارئ البطاقات",
                    "tr": "eID kartımı kart okuyucuyla kullanmak",
                    "uk": "Користуватися eID-карткою через кардрідер",
                },
            },
            {
                "code": "eid-itsme-login",
                "digcomp": "2.6 4.2",
                "labels": {
                    "nl": "Inloggen met itsme of mijn eID (bijvoorbeeld op Mijn Burgerprofiel)",
                    "fr": "Me connecter avec itsme ou ma carte eID (par exemple sur Mijn Burgerprofiel)",
                    "en": "Logging in with itsme or my eID (for example on Mijn Burgerprofiel)",
                    "ar": (
                        "تسجيل الدخول باستخدام itsme أو بطاقة الهوية الإلكترونية "
                        "(مثلًا على Mijn Burgerprofiel)"
                    ),
                    "tr": "itsme veya eID ile giriş yapmak (örneğin Mijn Burgerprofiel'de)",
                    "uk": "Входити через itsme або eID (наприклад, у Mijn Burgerprofiel)",
                },
            },
            {
                "code": "eid-pin-puk",
                "digcomp": "2.6 4.2",
                "labels": {
                    "nl": "De pincode of pukcode van mijn eID kwijt: wat nu?",
                    "fr": "J'ai oublié ou perdu le code PIN ou PUK de ma carte eID : que faire ?",
                    "en": "I've lost or forgotten the PIN or PUK code of my eID: what now?",
                    "ar": "نسيت رمز PIN أو PUK لبطاقة هويتي الإلكترونية: ماذا أفعل؟",
                    "tr": "eID kartımın PIN veya PUK kodunu unuttum: ne yapmalıyım?",
                    "uk": "Не пам'ятаю PIN- або PUK-код від eID: що робити?",
                },
            },
        ],
    },
    # ------------------------------------------------------------------ government services
    {
        "code": "government",
        "labels": {
            "nl": "Overheid online",
            "fr": "Services publics en ligne",
            "en": "Government services online",
            "ar": "الخدمات الحكومية عبر الإنترنت",
            "tr": "İnternette kamu hizmetleri",
            "uk": "Державні послуги онлайн",
        },
        "topics": [
            {
                "code": "gov-burgerprofiel",
                "digcomp": "2.3 2.6",
                "labels": {
                    "nl": "Mijn Burgerprofiel gebruiken (mijn gegevens en attesten van de Vlaamse overheid)",
                    "fr": "Utiliser Mijn Burgerprofiel (mes données et attestations du gouvernement flamand)",
                    "en": (
                        "Using Mijn Burgerprofiel (my details and certificates from the Flemish government)"
                    ),
                    "ar": "استخدام Mijn Burgerprofiel (بياناتي وشهاداتي لدى الحكومة الفلمنكية)",
                    "tr": "Mijn Burgerprofiel'i kullanmak (Flaman hükümetindeki bilgilerim ve belgelerim)",
                    "uk": "Користуватися Mijn Burgerprofiel (мої дані та довідки від уряду Фландрії)",
                },
            },
            {
                "code": "gov-tax-on-web",
                "digcomp": "2.3 2.6",
                "labels": {
                    "nl": "Mijn belastingaangifte invullen met Tax-on-web",
                    "fr": "Remplir ma déclaration d'impôts avec Tax-on-web",
                    "en": "Filling in my tax return with Tax-on-web",
                    "ar": "تعبئة إقراري الضريبي عبر Tax-on-web",
                    "tr": "Vergi beyannamemi Tax-on-web ile doldurmak",
                    "uk": "Заповнювати податкову декларацію в Tax-on-web",
                },
            },
            {
                "code": "gov-mypension",
                "digcomp": "2.3 2.6",
                "labels": {
                    "nl": "Mijn pensioen bekijken op MyPension",
                    "fr": "Consulter ma pension sur MyPension",
                    "en": "Checking my pension on MyPension",
                    "ar": "الاطلاع على معاشي التقاعدي عبر MyPension",
                    "tr": "Emekli maaşımı MyPension'da kontrol etmek",
                    "uk": "Переглядати свою пенсію на MyPension",
                },
            },
            {
                "code": "gov-municipality-eloket",
                "digcomp": "2.3",
                "labels": {
                    "nl": "Formulieren van mijn gemeente online invullen (e-loket)",
                    "fr": "Remplir en ligne les formulaires de ma commune (guichet électronique)",
                    "en": "Filling in my municipality's forms online (e-loket)",
                    "ar": "تعبئة استمارات البلدية عبر الإنترنت (الشباك الإلكتروني e-loket)",
                    "tr": "Belediyemin formlarını internetten doldurmak (e-loket)",
                    "uk": "Заповнювати онлайн-форми свого муніципалітету (e-loket)",
                },
            },
            {
                "code": "gov-ebox",
                "digcomp": "2.3 2.1",
                "labels": {
                    "nl": "Officiële brieven ontvangen in Mijn eBox",
                    "fr": "Recevoir mes courriers officiels dans l'eBox",
                    "en": "Receiving official letters in My eBox",
                    "ar": "استلام الرسائل الرسمية في صندوق eBox",
                    "tr": "Resmi mektupları eBox'ta almak",
                    "uk": "Отримувати офіційні листи в eBox",
                },
            },
        ],
    },
    # ------------------------------------------------------------------ banking and payments
    {
        "code": "banking",
        "labels": {
            "nl": "Bankieren en betalen",
            "fr": "Banque et paiements",
            "en": "Banking and payments",
            "ar": "الخدمات المصرفية والدفع",
            "tr": "Bankacılık ve ödemeler",
            "uk": "Банківські послуги та платежі",
        },
        "topics": [
            {
                "code": "banking-app",
                "digcomp": "2.6 4.2",
                "labels": {
                    "nl": "De app van mijn bank gebruiken",
                    "fr": "Utiliser l'application de ma banque",
                    "en": "Using my bank's app",
                    "ar": "استخدام تطبيق البنك الخاص بي",
                    "tr": "Bankamın uygulamasını kullanmak",
                    "uk": "Користуватися застосунком свого банку",
                },
            },
            {
                "code": "banking-transfer",
                "digcomp": "2.6 4.2",
                "labels": {
                    "nl": "Een overschrijving doen en rekeningen betalen",
                    "fr": "Faire un virement et payer mes factures",
                    "en": "Making a transfer and paying my bills",
                    "ar": "إجراء تحويل مصرفي ودفع فواتيري",
                    "tr": "Havale yapmak ve faturalarımı ödemek",
                    "uk": "Робити переказ і оплачувати рахунки",
                },
            },
            {
                "code": "banking-qr-code",
                "digcomp": "2.6 4.2",
                "labels": {
                    "nl": "Betalen door een QR-code te scannen",
                    "fr": "Payer en scannant un code QR",
                    "en": "Paying by scanning a QR code",
                    "ar": "الدفع عن طريق مسح رمز QR",
                    "tr": "QR kodu okutarak ödeme yapmak",
                    "uk": "Оплачувати, відсканувавши QR-код",
                },
            },
            {
                "code": "banking-mobile-payments",
                "digcomp": "2.6 4.2",
                "labels": {
                    "nl": "Betalen en geld sturen met mijn gsm (Payconiq, Wero)",
                    "fr": "Payer et envoyer de l'argent avec mon GSM (Payconiq, Wero)",
                    "en": "Paying and sending money with my phone (Payconiq, Wero)",
                    "ar": "الدفع وإرسال الأموال بهاتفي (Payconiq وWero)",
                    "tr": "Telefonumla ödeme yapmak ve para göndermek (Payconiq, Wero)",
                    "uk": "Платити й надсилати гроші телефоном (Payconiq, Wero)",
                },
            },
            {
                "code": "banking-fraud",
                "digcomp": "4.2 2.6",
                "labels": {
                    "nl": "Bankfraude herkennen en weten wat ik moet doen (Card Stop)",
                    "fr": "Reconnaître la fraude bancaire et savoir quoi faire (Card Stop)",
                    "en": "Spotting bank fraud and knowing what to do (Card Stop)",
                    "ar": "التعرّف على الاحتيال المصرفي ومعرفة ما يجب فعله (Card Stop)",
                    "tr": "Banka dolandırıcılığını tanımak ve ne yapacağımı bilmek (Card Stop)",
                    "uk": "Розпізнавати банківське шахрайство і знати, що робити (Card Stop)",
                },
            },
        ],
    },
    # ------------------------------------------------------------------ health and care
    {
        "code": "health",
        "labels": {
            "nl": "Gezondheid en zorg online",
            "fr": "Santé et soins en ligne",
            "en": "Health and care online",
            "ar": "الصحة والرعاية عبر الإنترنت",
            "tr": "İnternette sağlık ve bakım",
            "uk": "Здоров'я та медичні послуги онлайн",
        },
        "topics": [
            {
                "code": "health-portal",
                "digcomp": "2.3 4.3",
                "labels": {
                    "nl": "Mijn gezondheidsgegevens bekijken (Mijn Gezondheid)",
                    "fr": "Consulter mes données de santé (Ma Santé)",
                    "en": "Viewing my health information (Mijn Gezondheid)",
                    "ar": "الاطلاع على بياناتي الصحية (Mijn Gezondheid)",
                    "tr": "Sağlık bilgilerimi görüntülemek (Mijn Gezondheid)",
                    "uk": "Переглядати свої медичні дані (Mijn Gezondheid)",
                },
            },
            {
                "code": "health-doctor-appointment",
                "digcomp": "2.3 4.3",
                "labels": {
                    "nl": "Online een afspraak maken bij de dokter",
                    "fr": "Prendre rendez-vous chez le médecin en ligne",
                    "en": "Booking a doctor's appointment online",
                    "ar": "حجز موعد عند الطبيب عبر الإنترنت",
                    "tr": "İnternetten doktor randevusu almak",
                    "uk": "Записуватися до лікаря онлайн",
                },
            },
            {
                "code": "health-e-prescription",
                "digcomp": "2.3 4.3",
                "labels": {
                    "nl": "Mijn elektronisch voorschrift gebruiken bij de apotheek",
                    "fr": "Utiliser ma prescription électronique à la pharmacie",
                    "en": "Using my electronic prescription at the pharmacy",
                    "ar": "استخدام وصفتي الطبية الإلكترونية في الصيدلية",
                    "tr": "Elektronik reçetemi eczanede kullanmak",
                    "uk": "Користуватися електронним рецептом в аптеці",
                },
            },
            {
                "code": "health-mutualiteit-app",
                "digcomp": "2.3 4.3",
                "labels": {
                    "nl": "De app van mijn ziekenfonds (mutualiteit) gebruiken",
                    "fr": "Utiliser l'application de ma mutualité",
                    "en": "Using the app of my health insurance fund (mutualiteit)",
                    "ar": "استخدام تطبيق صندوق التأمين الصحي الخاص بي (mutualiteit)",
                    "tr": "Sağlık sigortası kurumumun (mutualiteit) uygulamasını kullanmak",
                    "uk": "Користуватися застосунком своєї лікарняної каси (mutualiteit)",
                },
            },
            {
                "code": "health-screen-time",
                "digcomp": "4.3",
                "labels": {
                    "nl": "Gezond omgaan met schermen: schermtijd, ogen en slaap",
                    "fr": "Utiliser les écrans sainement : temps d'écran, yeux et sommeil",
                    "en": "Healthy screen use: screen time, eyes and sleep",
                    "ar": "الاستخدام الصحي للشاشات: وقت الشاشة والعينان والنوم",
                    "tr": "Ekranları sağlıklı kullanmak: ekran süresi, gözler ve uyku",
                    "uk": "Здорове користування екранами: екранний час, очі та сон",
                },
            },
        ],
    },
    # ------------------------------------------------------------------ video calling
    {
        "code": "video-calling",
        "labels": {
            "nl": "Videobellen",
            "fr": "Appels vidéo",
            "en": "Video calling",
            "ar": "مكالمات الفيديو",
            "tr": "Görüntülü arama",
            "uk": "Відеодзвінки",
        },
        "topics": [
            {
                "code": "video-whatsapp",
                "digcomp": "2.1",
                "labels": {
                    "nl": "Videobellen met mijn familie of kleinkinderen via WhatsApp",
                    "fr": "Faire un appel vidéo avec ma famille ou mes petits-enfants sur WhatsApp",
                    "en": "Making a video call with my family or grandchildren on WhatsApp",
                    "ar": "إجراء مكالمة فيديو مع عائلتي أو أحفادي عبر واتساب",
                    "tr": "WhatsApp'ta ailemle veya torunlarımla görüntülü görüşmek",
                    "uk": "Дзвонити рідним або онукам по відео у WhatsApp",
                },
            },
            {
                "code": "video-meetings",
                "digcomp": "2.1 2.4",
                "labels": {
                    "nl": "Deelnemen aan een online vergadering met Zoom, Teams of Jitsi",
                    "fr": "Participer à une réunion en ligne avec Zoom, Teams ou Jitsi",
                    "en": "Joining an online meeting with Zoom, Teams or Jitsi",
                    "ar": "المشاركة في اجتماع عبر الإنترنت باستخدام Zoom أو Teams أو Jitsi",
                    "tr": "Zoom, Teams veya Jitsi ile çevrim içi bir toplantıya katılmak",
                    "uk": "Приєднуватися до онлайн-зустрічі в Zoom, Teams або Jitsi",
                },
            },
            {
                "code": "video-camera-microphone",
                "digcomp": "5.1 2.1",
                "labels": {
                    "nl": "Mijn camera of micro werkt niet tijdens het videobellen",
                    "fr": "Ma caméra ou mon micro ne marche pas pendant un appel vidéo",
                    "en": "My camera or microphone doesn't work during a video call",
                    "ar": "الكاميرا أو الميكروفون لا يعمل أثناء مكالمة الفيديو",
                    "tr": "Görüntülü görüşmede kameram veya mikrofonum çalışmıyor",
                    "uk": "Під час відеодзвінка не працює камера чи мікрофон",
                },
            },
        ],
    },
    # ------------------------------------------------------------------ social media
    {
        "code": "social-media",
        "labels": {
            "nl": "Sociale media en berichten",
            "fr": "Réseaux sociaux et messagerie",
            "en": "Social media and messaging",
            "ar": "وسائل التواصل الاجتماعي والرسائل",
            "tr": "Sosyal medya ve mesajlaşma",
            "uk": "Соцмережі та месенджери",
        },
        "topics": [
            {
                "code": "social-whatsapp-messages",
                "digcomp": "2.1 2.2",
                "labels": {
                    "nl": "Berichten, foto's en spraakberichten sturen met WhatsApp",
                    "fr": "Envoyer des messages, des photos et des messages vocaux avec WhatsApp",
                    "en": "Sending messages, photos and voice messages with WhatsApp",
                    "ar": "إرسال الرسائل والصور والرسائل الصوتية عبر واتساب",
                    "tr": "WhatsApp ile mesaj, fotoğraf ve sesli mesaj göndermek",
                    "uk": "Надсилати повідомлення, фото та голосові повідомлення у WhatsApp",
                },
            },
            {
                "code": "social-whatsapp-groups",
                "digcomp": "2.2 2.5",
                "labels": {
                    "nl": "Een WhatsApp-groep gebruiken (familie, buurt, school)",
                    "fr": "Utiliser un groupe WhatsApp (famille, quartier, école)",
                    "en": "Using a WhatsApp group (family, neighbourhood, school)",
                    "ar": "استخدام مجموعة واتساب (العائلة، الحي، المدرسة)",
                    "tr": "WhatsApp grubu kullanmak (aile, mahalle, okul)",
                    "uk": "Користуватися групою у WhatsApp (сім'я, сусіди, школа)",
                },
            },
            {
                "code": "social-facebook",
                "digcomp": "2.2 2.5",
                "labels": {
                    "nl": "Facebook gebruiken: berichten lezen, delen en reageren",
                    "fr": "Utiliser Facebook : lire, partager et réagir",
                    "en": "Using Facebook: reading, sharing and reacting to posts",
                    "ar": "استخدام فيسبوك: قراءة المنشورات ومشاركتها والتفاعل معها",
                    "tr": "Facebook kullanmak: gönderileri okumak, paylaşmak ve yorum yapmak",
                    "uk": "Користуватися Facebook: читати, поширювати й коментувати дописи",
                },
            },
            {
                "code": "social-safe-use",
                "digcomp": "2.5 4.2",
                "labels": {
                    "nl": "Veilig en vriendelijk omgaan met sociale media",
                    "fr": "Utiliser les réseaux sociaux en toute sécurité et avec respect",
                    "en": "Using social media safely and respectfully",
                    "ar": "استخدام وسائل التواصل الاجتماعي بأمان واحترام",
                    "tr": "Sosyal medyayı güvenli ve saygılı kullanmak",
                    "uk": "Безпечно й ввічливо користуватися соцмережами",
                },
            },
        ],
    },
    # ------------------------------------------------------------------ shopping and tickets
    {
        "code": "shopping-tickets",
        "labels": {
            "nl": "Online winkelen en tickets",
            "fr": "Achats et billets en ligne",
            "en": "Online shopping and tickets",
            "ar": "التسوّق والتذاكر عبر الإنترنت",
            "tr": "İnternetten alışveriş ve biletler",
            "uk": "Онлайн-покупки та квитки",
        },
        "topics": [
            {
                "code": "shopping-safe",
                "digcomp": "2.1 4.2",
                "labels": {
                    "nl": "Veilig iets kopen op het internet",
                    "fr": "Acheter en ligne en toute sécurité",
                    "en": "Buying something online safely",
                    "ar": "الشراء عبر الإنترنت بأمان",
                    "tr": "İnternetten güvenli alışveriş yapmak",
                    "uk": "Безпечно купувати в інтернеті",
                },
            },
            {
                "code": "shopping-returns",
                "digcomp": "2.1 4.2",
                "labels": {
                    "nl": "Een online aankoop terugsturen of ruilen",
                    "fr": "Renvoyer ou échanger un achat fait en ligne",
                    "en": "Returning or exchanging something I bought online",
                    "ar": "إرجاع منتج اشتريته عبر الإنترنت أو استبداله",
                    "tr": "İnternetten aldığım bir ürünü iade etmek veya değiştirmek",
                    "uk": "Повернути або обміняти покупку з інтернету",
                },
            },
            {
                "code": "tickets-train-nmbs",
                "digcomp": "2.1 4.2",
                "labels": {
                    "nl": "Een treinticket kopen met de NMBS-app",
                    "fr": "Acheter un billet de train avec l'application SNCB",
                    "en": "Buying a train ticket with the SNCB/NMBS app",
                    "ar": "شراء تذكرة قطار عبر تطبيق SNCB/NMBS",
                    "tr": "SNCB/NMBS uygulamasıyla tren bileti almak",
                    "uk": "Купувати квиток на потяг у застосунку SNCB/NMBS",
                },
            },
            {
                "code": "tickets-bus-de-lijn",
                "digcomp": "2.1 4.2",
                "labels": {
                    "nl": "Een bus- of tramticket kopen met de app van De Lijn",
                    "fr": "Acheter un ticket de bus ou de tram avec l'application De Lijn",
                    "en": "Buying a bus or tram ticket with the De Lijn app",
                    "ar": "شراء تذكرة حافلة أو ترام عبر تطبيق De Lijn",
                    "tr": "De Lijn uygulamasıyla otobüs veya tramvay bileti almak",
                    "uk": "Купувати квиток на автобус чи трамвай у застосунку De Lijn",
                },
            },
            {
                "code": "tickets-events",
                "digcomp": "2.1 4.2",
                "labels": {
                    "nl": "Tickets voor een concert of uitstap kopen en tonen op mijn smartphone",
                    "fr": (
                        "Acheter des billets pour un concert ou une sortie et les montrer sur mon smartphone"
                    ),
                    "en": "Buying tickets for a concert or day out and showing them on my phone",
                    "ar": "شراء تذاكر حفلة أو نزهة وعرضها على هاتفي",
                    "tr": "Konser veya gezi bileti alıp telefonumda göstermek",
                    "uk": "Купувати квитки на концерт чи екскурсію та показувати їх на телефоні",
                },
            },
        ],
    },
    # ------------------------------------------------------------------ photos and files
    {
        "code": "photos-files",
        "labels": {
            "nl": "Foto's en bestanden",
            "fr": "Photos et fichiers",
            "en": "Photos and files",
            "ar": "الصور والملفات",
            "tr": "Fotoğraflar ve dosyalar",
            "uk": "Фото та файли",
        },
        "topics": [
            {
                "code": "photos-take-send",
                "digcomp": "1.3 2.2",
                "labels": {
                    "nl": "Foto's nemen en doorsturen",
                    "fr": "Prendre des photos et les envoyer",
                    "en": "Taking photos and sending them",
                    "ar": "التقاط الصور وإرسالها",
                    "tr": "Fotoğraf çekmek ve göndermek",
                    "uk": "Фотографувати й надсилати фото",
                },
            },
            {
                "code": "photos-backup",
                "digcomp": "1.3 4.1",
                "labels": {
                    "nl": "Mijn foto's en bestanden bewaren en er een back-up van maken",
                    "fr": "Conserver mes photos et mes fichiers et en faire une sauvegarde",
                    "en": "Storing my photos and files and making a backup",
                    "ar": "حفظ صوري وملفاتي وعمل نسخة احتياطية منها",
                    "tr": "Fotoğraflarımı ve dosyalarımı saklamak ve yedeklemek",
                    "uk": "Зберігати фото й файли та робити резервну копію",
                },
            },
            {
                "code": "files-organise",
                "digcomp": "1.3",
                "labels": {
                    "nl": "Mijn bestanden terugvinden en ordenen in mappen",
                    "fr": "Retrouver mes fichiers et les ranger dans des dossiers",
                    "en": "Finding my files and sorting them into folders",
                    "ar": "العثور على ملفاتي وترتيبها في مجلدات",
                    "tr": "Dosyalarımı bulmak ve klasörlerde düzenlemek",
                    "uk": "Знаходити свої файли й упорядковувати їх у папках",
                },
            },
            {
                "code": "files-scan-send",
                "digcomp": "1.3 2.2",
                "labels": {
                    "nl": "Een document scannen met mijn smartphone en doorsturen",
                    "fr": "Scanner un document avec mon smartphone et l'envoyer",
                    "en": "Scanning a document with my phone and sending it",
                    "ar": "مسح مستند ضوئيًا بهاتفي وإرساله",
                    "tr": "Telefonumla bir belgeyi taramak ve göndermek",
                    "uk": "Сканувати документ смартфоном і надсилати його",
                },
            },
            {
                "code": "files-print-pdf",
                "digcomp": "1.3 5.1",
                "labels": {
                    "nl": "Een pdf openen en afdrukken",
                    "fr": "Ouvrir et imprimer un PDF",
                    "en": "Opening and printing a PDF",
                    "ar": "فتح ملف PDF وطباعته",
                    "tr": "PDF dosyasını açmak ve yazdırmak",
                    "uk": "Відкривати й друкувати PDF-файл",
                },
            },
        ],
    },
    # ------------------------------------------------------------------ job seeking
    {
        "code": "job-seeking",
        "labels": {
            "nl": "Online werk zoeken",
            "fr": "Chercher un emploi en ligne",
            "en": "Looking for a job online",
            "ar": "البحث عن عمل عبر الإنترنت",
            "tr": "İnternette iş aramak",
            "uk": "Пошук роботи онлайн",
        },
        "topics": [
            {
                "code": "jobs-vdab-profile",
                "digcomp": "2.3 2.6",
                "labels": {
                    "nl": "Mijn profiel bij VDAB (of Forem) aanmaken en bijwerken",
                    "fr": "Créer et mettre à jour mon profil au Forem (ou au VDAB)",
                    "en": "Creating and updating my profile with VDAB (or Forem)",
                    "ar": "إنشاء ملفي الشخصي لدى VDAB (أو Forem) وتحديثه",
                    "tr": "VDAB'de (veya Forem'de) profilimi oluşturmak ve güncel tutmak",
                    "uk": "Створювати й оновлювати свій профіль у VDAB (або Forem)",
                },
            },
            {
                "code": "jobs-cv-letter",
                "digcomp": "3.1 1.3",
                "labels": {
                    "nl": "Een cv en sollicitatiebrief maken op de computer",
                    "fr": "Rédiger un CV et une lettre de motivation sur l'ordinateur",
                    "en": "Making a CV and cover letter on the computer",
                    "ar": "إعداد سيرة ذاتية وخطاب تقديم على الحاسوب",
                    "tr": "Bilgisayarda özgeçmiş ve ön yazı hazırlamak",
                    "uk": "Складати резюме й супровідний лист на комп'ютері",
                },
            },
            {
                "code": "jobs-apply-online",
                "digcomp": "2.1 2.6",
                "labels": {
                    "nl": "Online solliciteren op een vacature",
                    "fr": "Postuler en ligne à une offre d'emploi",
                    "en": "Applying for a job online",
                    "ar": "التقدّم لوظيفة عبر الإنترنت",
                    "tr": "Bir iş ilanına internetten başvurmak",
                    "uk": "Подавати заявку на вакансію онлайн",
                },
            },
        ],
    },
]


def _check_code(code, where: str, seen: dict, errors: list) -> None:
    if not isinstance(code, str) or not code:
        errors.append(f"{where}: missing code")
        return
    if len(code) > CODE_MAX_LENGTH:
        errors.append(f"{where}: code {code!r} is {len(code)} characters long (maximum {CODE_MAX_LENGTH})")
    if not CODE_PATTERN.match(code):
        errors.append(f"{where}: code {code!r} must be lowercase ascii letters/digits joined by hyphens")
    if code in seen:
        errors.append(f"{where}: code {code!r} is already used by {seen[code]}")
    else:
        seen[code] = where


def _check_labels(labels, where: str, locales, errors: list) -> None:
    if not isinstance(labels, dict):
        errors.append(f"{where}: labels must be a dict of {{locale: text}}")
        return
    for locale in locales:
        text = labels.get(locale)
        if not isinstance(text, str) or not text.strip():
            errors.append(f"{where}: label for locale {locale!r} is missing or empty")
    unknown = sorted(set(labels) - set(locales))
    if unknown:
        errors.append(f"{where}: unknown locale(s) {', '.join(unknown)}")


def validate_catalogue() -> None:
    """Check DIGCOMP_COMPETENCES and TOPIC_CATALOGUE; raise ValueError listing every problem.

    Checks: group and topic codes are unique (across groups and topics), at most 40 characters,
    lowercase ascii with hyphens; every group and topic has a non-empty label in each of the six
    locales; every topic's digcomp codes are keys of DIGCOMP_COMPETENCES, without duplicates.
    """
    errors: list[str] = []

    if len(DIGCOMP_COMPETENCES) != 21:
        errors.append(f"DIGCOMP_COMPETENCES: expected 21 competences, found {len(DIGCOMP_COMPETENCES)}")
    for code, labels in DIGCOMP_COMPETENCES.items():
        _check_labels(labels, f"DigComp {code}", DIGCOMP_LOCALES, errors)

    if not isinstance(TOPIC_CATALOGUE, list) or not TOPIC_CATALOGUE:
        raise ValueError("Topic catalogue is invalid: TOPIC_CATALOGUE must be a non-empty list of groups")

    seen: dict[str, str] = {}
    for group_index, group in enumerate(TOPIC_CATALOGUE):
        group_where = f"group #{group_index + 1} ({group.get('code', '?')!s})"
        _check_code(group.get("code"), group_where, seen, errors)
        _check_labels(group.get("labels"), group_where, LOCALES, errors)
        topics = group.get("topics")
        if not isinstance(topics, list) or not topics:
            errors.append(f"{group_where}: must have a non-empty list of topics")
            continue
        for topic in topics:
            topic_where = f"topic {topic.get('code', '?')!s} in {group_where}"
            _check_code(topic.get("code"), topic_where, seen, errors)
            _check_labels(topic.get("labels"), topic_where, LOCALES, errors)
            digcomp = topic.get("digcomp")
            if not isinstance(digcomp, str) or not digcomp.split():
                errors.append(f"{topic_where}: digcomp must list at least one competence code")
                continue
            if len(digcomp) > DIGCOMP_MAX_LENGTH:
                errors.append(f"{topic_where}: digcomp {digcomp!r} exceeds {DIGCOMP_MAX_LENGTH} characters")
            codes = digcomp.split()
            for code in codes:
                if code not in DIGCOMP_COMPETENCES:
                    errors.append(f"{topic_where}: unknown DigComp competence {code!r}")
            if len(set(codes)) != len(codes):
                errors.append(f"{topic_where}: digcomp {digcomp!r} repeats a competence code")

    if errors:
        raise ValueError("Topic catalogue is invalid:\n  - " + "\n  - ".join(errors))
