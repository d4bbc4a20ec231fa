"""The default training modules for digibuddies, in Dutch, French and English.

Plain data, seeded idempotently by `flask refdata load` (`load_training_modules` in volunteers/services.py,
matching on `code`). Bodies are Markdown (rendered without HTML). Each quiz question has options per locale
and the index of the right answer. Modules marked `required` must be passed before a volunteer is active.
"""

LOCALES = ("nl", "fr", "en")

SAFEGUARDING = {
    "code": "safeguarding",
    "required": True,
    "titles": {
        "nl": "Veilig en discreet helpen",
        "fr": "Aider en toute sécurité et avec discrétion",
        "en": "Safeguarding and privacy",
    },
    "bodies": {
        "nl": """\
Als digibuddy kom je dicht bij iemands leven: hun gsm, hun bankzaken, hun brieven van de overheid.
Mensen vertrouwen je. Deze afspraken beschermen hen, en ook jou.

## Codes zijn van de bewoner

- Je vraagt **nooit** naar een wachtwoord, pincode, itsme-code, antwoord van de kaartlezer of bankcode.
- Je typt zulke codes nooit zelf in en je schrijft ze nooit op, ook niet "even" op een briefje.
- Moet er een code ingetikt worden? Draai het scherm naar de bewoner en kijk weg. Zeg: "Dit typt u zelf."
- Weet de bewoner de code niet meer? Help hen een nieuwe te vragen via de officiële weg (de bank, itsme, de
  gemeente).

## Persoonlijke gegevens

- Je neemt geen foto's van documenten, schermen of identiteitskaarten, en je bewaart niets op je eigen
  toestel.
- Wat je hoort of ziet, blijft tussen jou en de bewoner. Je praat er niet over met anderen.
- Op een gedeelde computer (bibliotheek, OCMW): meld af, sluit de browser en verwijder gedownloade bestanden.
- Je noteert nooit codes of wachtwoorden in het platform, ook niet in een verslag.

## Geld, contracten en beslissingen

- De bewoner beslist. Jij legt uit wat er op het scherm staat; de bewoner kiest en bevestigt.
- Je doet geen betalingen in naam van iemand anders en je sluit geen contracten af voor hen.
- Gaat het over schulden, uitkeringen of juridische vragen? Verwijs door: naar het OCMW, het CAW of de sociale
  dienst.
- Je aanvaardt geen geld of geschenken, behalve iets symbolisch zoals een kop koffie.

## Huisbezoeken

- Alleen digibuddy's van wie de screening volledig is, gaan op huisbezoek.
- Het adres van de bewoner krijg je alleen als de vraag aan jou is toegewezen. Je geeft het aan niemand door.

## Als je je zorgen maakt

Merk je iets dat je ongerust maakt over de veiligheid of het welzijn van een bewoner? Bijvoorbeeld
iemand die onder druk wordt gezet om geld over te maken, of iemand die er alleen voor staat?
Meld het aan je coördinator, als opvolging bij de sessie. Schrijf het niet in vrije notities.
""",
        "fr": """\
En tant que digibuddy, vous entrez dans la vie privée des gens : leur smartphone, leurs affaires bancaires,
leurs courriers de l'administration. Ils vous font confiance. Ces règles les protègent, et vous aussi.

## Les codes appartiennent à l'habitant

- Vous ne demandez **jamais** un mot de passe, un code PIN, un code itsme, une réponse du lecteur de carte ou
  un code bancaire.
- Vous ne tapez jamais ces codes vous-même et vous ne les notez jamais, même « juste » sur un bout de papier.
- Un code doit être tapé ? Tournez l'écran vers l'habitant et regardez ailleurs. Dites : « Ceci, vous le tapez
  vous-même. »
- L'habitant a oublié son code ? Aidez-le à en demander un nouveau par la voie officielle (la banque, itsme,
  la commune).

## Données personnelles

- Vous ne photographiez pas de documents, d'écrans ou de cartes d'identité, et vous ne gardez rien sur votre
  propre appareil.
- Ce que vous entendez ou voyez reste entre vous et l'habitant. Vous n'en parlez pas à d'autres.
- Sur un ordinateur partagé (bibliothèque, CPAS) : déconnectez-vous, fermez le navigateur et supprimez les
  fichiers téléchargés.
- Vous n'écrivez jamais de codes ou de mots de passe dans la plateforme, pas même dans un compte rendu.

## Argent, contrats et décisions

- C'est l'habitant qui décide. Vous expliquez ce qui est à l'écran ; l'habitant choisit et confirme.
- Vous ne faites pas de paiements au nom d'une autre personne et vous ne signez pas de contrats pour elle.
- Il s'agit de dettes, d'allocations ou de questions juridiques ? Orientez vers le CPAS, le CAW ou le service
  social.
- Vous n'acceptez ni argent ni cadeaux, sauf quelque chose de symbolique comme une tasse de café.

## Visites à domicile

- Seuls les digibuddies dont la vérification est complète font des visites à domicile.
- Vous ne recevez l'adresse de l'habitant que si la demande vous est attribuée. Vous ne la transmettez à
  personne.

## Si quelque chose vous inquiète

Vous remarquez quelque chose d'inquiétant pour la sécurité ou le bien-être d'un habitant ? Par exemple
quelqu'un qu'on pousse à virer de l'argent, ou quelqu'un de très isolé ? Signalez-le à votre
coordinateur, comme suivi de la séance. Ne l'écrivez pas dans des notes libres.
""",
        "en": """\
As a digibuddy you come close to people's lives: their phone, their banking, their letters from the
government. People trust you. These rules protect them, and they protect you too.

## Codes belong to the resident

- You **never** ask for a password, PIN code, itsme code, card reader response or bank code.
- You never type such codes yourself and you never write them down, not even "just" on a scrap of paper.
- Does a code need to be typed? Turn the screen towards the resident and look away. Say: "You type this
  yourself."
- Has the resident forgotten the code? Help them ask for a new one the official way (the bank, itsme, the
  municipality).

## Personal data

- You take no photos of documents, screens or identity cards, and you keep nothing on your own device.
- What you hear or see stays between you and the resident. You do not talk about it with others.
- On a shared computer (library, social welfare centre): log out, close the browser and delete downloaded
  files.
- You never write codes or passwords in the platform, not even in a session report.

## Money, contracts and decisions

- The resident decides. You explain what is on the screen; the resident chooses and confirms.
- You make no payments on someone else's behalf and you sign no contracts for them.
- Is it about debts, benefits or legal questions? Refer: to the OCMW/CPAS, the CAW or the social service.
- You accept no money or gifts, apart from something symbolic such as a cup of coffee.

## Home visits

- Only digibuddies whose vetting is complete make home visits.
- You only get the resident's address when the request is assigned to you. You pass it on to nobody.

## When something worries you

Do you notice something that worries you about a resident's safety or well-being? For example someone
who is being pushed to transfer money, or someone who is very isolated? Tell your coordinator, as a
follow-up of the session. Do not write it in free-text notes.
""",
    },
    "quiz": [
        {
            "question": {
                "nl": 'Een bewoner zegt: "Typ jij mijn pincode maar even, dat gaat sneller." Wat doe je?',
                "fr": "Un habitant dit : « Tapez mon code PIN, ça ira plus vite. » Que faites-vous ?",
                "en": 'A resident says: "You type my PIN code, it\'s quicker." What do you do?',
            },
            "options": [
                {
                    "nl": "Ik typ hem in en vergeet hem meteen.",
                    "fr": "Je le tape et je l'oublie tout de suite.",
                    "en": "I type it and forget it straight away.",
                },
                {
                    "nl": "Ik draai het scherm naar de bewoner, kijk weg en laat hen de code zelf typen.",
                    "fr": (
                        "Je tourne l'écran vers l'habitant, je regarde ailleurs et il tape le code lui-même."
                    ),
                    "en": (
                        "I turn the screen to the resident, look away and let them type the code themselves."
                    ),
                },
                {
                    "nl": "Ik schrijf de code op een briefje zodat ze hem niet vergeten.",
                    "fr": "J'écris le code sur un papier pour qu'il ne l'oublie pas.",
                    "en": "I write the code on a note so they will not forget it.",
                },
            ],
            "answer": 1,
        },
        {
            "question": {
                "nl": (
                    "Mag je een foto nemen van de identiteitskaart van een bewoner om later verder te helpen?"
                ),
                "fr": "Pouvez-vous photographier la carte d'identité d'un habitant pour l'aider plus tard ?",
                "en": "May you take a photo of a resident's identity card to help them later?",
            },
            "options": [
                {
                    "nl": "Ja, als ik de foto nadien wis.",
                    "fr": "Oui, si j'efface la photo après.",
                    "en": "Yes, if I delete the photo afterwards.",
                },
                {
                    "nl": "Ja, als de bewoner het goed vindt.",
                    "fr": "Oui, si l'habitant est d'accord.",
                    "en": "Yes, if the resident agrees.",
                },
                {
                    "nl": "Nee, ik bewaar geen documenten of gegevens op mijn eigen toestel.",
                    "fr": "Non, je ne garde aucun document ni donnée sur mon propre appareil.",
                    "en": "No, I keep no documents or data on my own device.",
                },
            ],
            "answer": 2,
        },
        {
            "question": {
                "nl": (
                    "Een bewoner vertelt dat iemand hen onder druk zet om geld over te schrijven. Wat doe je?"
                ),
                "fr": "Un habitant raconte que quelqu'un le pousse à virer de l'argent. Que faites-vous ?",
                "en": "A resident tells you someone is pushing them to transfer money. What do you do?",
            },
            "options": [
                {
                    "nl": "Ik meld het aan mijn coördinator als opvolging bij de sessie.",
                    "fr": "Je le signale à mon coordinateur comme suivi de la séance.",
                    "en": "I tell my coordinator, as a follow-up of the session.",
                },
                {
                    "nl": "Ik schrijf alles op in de vrije notities.",
                    "fr": "J'écris tout dans les notes libres.",
                    "en": "I write everything in the free-text notes.",
                },
                {
                    "nl": "Ik doe de overschrijving zelf, dan is het snel opgelost.",
                    "fr": "Je fais le virement moi-même, comme ça c'est réglé.",
                    "en": "I make the transfer myself, so it is sorted quickly.",
                },
            ],
            "answer": 0,
        },
    ],
}

WITHOUT_TAKING_OVER = {
    "code": "without-taking-over",
    "required": True,
    "titles": {
        "nl": "Helpen zonder over te nemen",
        "fr": "Aider sans faire à la place",
        "en": "How to help without taking over",
    },
    "bodies": {
        "nl": """\
Het doel van een digibuddy is niet dat het formulier ingevuld is, maar dat de bewoner het de volgende
keer (een beetje meer) zelf kan. Dat lukt alleen als de bewoner zelf aan de knoppen zit.

## Handen thuis

- Het toestel blijft in de handen van de bewoner. Jij wijst en legt uit; de bewoner tikt en typt.
- Moet je toch even iets tonen? Vraag eerst: "Mag ik even?" Geef het toestel daarna meteen terug.
- Doe niets stilletjes "even snel" zelf. Wat de bewoner niet zag, kan hij niet herhalen.

## Stap voor stap

- Vraag eerst wat de bewoner wil bereiken en wat hij al kan.
- Eén stap tegelijk. Gebruik gewone woorden: "de knop met het huisje" in plaats van "het startscherm".
- Laat stiltes toe. Wie nadenkt, leert. Neem het niet over omdat het traag gaat.
- Schrijf samen de stappen op papier, in de woorden van de bewoner. Codes en wachtwoorden schrijf je nooit op.

## Controleer of het begrepen is

- Vraag niet "Begrijpt u het?" (het antwoord is bijna altijd ja). Vraag: "Kunt u het mij nu eens tonen?"
- Laat de bewoner de stappen nog een keer zelf doen, zonder jouw hulp.
- Zeg wat goed ging. Zelfvertrouwen is minstens zo belangrijk als de vaardigheid.

## Grenzen

- De bewoner beslist: over een aankoop, een contract, een aanvraag bij de overheid. Jij legt uit, je kiest
  niet.
- Lukt het vandaag niet? Dat is niet erg. Spreek een nieuwe sessie af of verwijs door naar een inloopmoment.
""",
        "fr": """\
Le but d'un digibuddy n'est pas que le formulaire soit rempli, mais que l'habitant sache le faire
(un peu plus) lui-même la prochaine fois. Cela ne marche que si c'est l'habitant qui a les mains sur
l'appareil.

## Les mains dans les poches

- L'appareil reste dans les mains de l'habitant. Vous montrez et expliquez ; l'habitant touche et tape.
- Vous devez vraiment montrer quelque chose ? Demandez d'abord : « Je peux ? » Rendez l'appareil tout de suite
  après.
- Ne faites rien « vite fait » en silence. Ce que l'habitant n'a pas vu, il ne pourra pas le refaire.

## Pas à pas

- Demandez d'abord ce que l'habitant veut faire et ce qu'il sait déjà faire.
- Une étape à la fois. Utilisez des mots simples : « le bouton avec la petite maison » plutôt que « l'écran
  d'accueil ».
- Laissez des silences. Celui qui réfléchit apprend. Ne prenez pas la main parce que ça va lentement.
- Écrivez ensemble les étapes sur papier, avec les mots de l'habitant. Les codes et mots de passe, jamais.

## Vérifiez que c'est compris

- Ne demandez pas « Vous avez compris ? » (la réponse est presque toujours oui). Demandez : « Vous pouvez me
  montrer ? »
- Laissez l'habitant refaire les étapes lui-même, sans votre aide.
- Dites ce qui s'est bien passé. La confiance en soi compte autant que la compétence.

## Limites

- C'est l'habitant qui décide : d'un achat, d'un contrat, d'une demande à l'administration. Vous expliquez,
  vous ne choisissez pas.
- Ça ne marche pas aujourd'hui ? Ce n'est pas grave. Prévoyez une nouvelle séance ou orientez vers une
  permanence.
""",
        "en": """\
The aim of a digibuddy is not that the form gets filled in, but that the resident can do it (a bit
more) on their own next time. That only works when the resident's hands are on the device.

## Hands off

- The device stays in the resident's hands. You point and explain; the resident taps and types.
- Do you really need to show something? Ask first: "May I?" Then give the device back straight away.
- Never do something "quickly" yourself without saying. What the resident did not see, they cannot repeat.

## Step by step

- First ask what the resident wants to do and what they can already do.
- One step at a time. Use everyday words: "the button with the little house" rather than "the home screen".
- Allow silences. Someone who is thinking is learning. Do not take over because it goes slowly.
- Write the steps down together on paper, in the resident's own words. Never codes or passwords.

## Check that it is understood

- Do not ask "Do you understand?" (the answer is nearly always yes). Ask: "Can you show me now?"
- Let the resident do the steps once more on their own, without your help.
- Say what went well. Confidence matters as much as the skill.

## Limits

- The resident decides: about a purchase, a contract, an application to the government. You explain, you do
  not choose.
- It does not work out today? That is fine. Plan another session or refer them to a drop-in moment.
""",
    },
    "quiz": [
        {
            "question": {
                "nl": "Wie tikt en typt er tijdens een sessie?",
                "fr": "Qui touche l'écran et tape pendant une séance ?",
                "en": "Who taps and types during a session?",
            },
            "options": [
                {
                    "nl": "De digibuddy, dat gaat sneller.",
                    "fr": "Le digibuddy, ça va plus vite.",
                    "en": "The digibuddy, it is quicker.",
                },
                {
                    "nl": "De bewoner; de digibuddy wijst en legt uit.",
                    "fr": "L'habitant ; le digibuddy montre et explique.",
                    "en": "The resident; the digibuddy points and explains.",
                },
                {
                    "nl": "Om beurten, wie het eerst klaar is.",
                    "fr": "Chacun son tour, le premier prêt.",
                    "en": "Taking turns, whoever is ready first.",
                },
            ],
            "answer": 1,
        },
        {
            "question": {
                "nl": "Hoe controleer je het best of de bewoner het begrepen heeft?",
                "fr": "Quelle est la meilleure façon de vérifier que l'habitant a compris ?",
                "en": "What is the best way to check that the resident understood?",
            },
            "options": [
                {
                    "nl": 'Vragen: "Begrijpt u het?"',
                    "fr": "Demander : « Vous avez compris ? »",
                    "en": 'Ask: "Do you understand?"',
                },
                {
                    "nl": "De bewoner het zelf nog eens laten tonen.",
                    "fr": "Laisser l'habitant le refaire et me le montrer.",
                    "en": "Let the resident show it to me on their own.",
                },
                {
                    "nl": "Een handleiding van de bank meegeven.",
                    "fr": "Donner un mode d'emploi de la banque.",
                    "en": "Hand over a manual from the bank.",
                },
            ],
            "answer": 1,
        },
        {
            "question": {
                "nl": "Wat schrijf je samen met de bewoner op papier?",
                "fr": "Qu'écrivez-vous sur papier avec l'habitant ?",
                "en": "What do you write down on paper with the resident?",
            },
            "options": [
                {
                    "nl": "De stappen, in de woorden van de bewoner.",
                    "fr": "Les étapes, avec les mots de l'habitant.",
                    "en": "The steps, in the resident's own words.",
                },
                {
                    "nl": "Het wachtwoord, zodat het niet verloren gaat.",
                    "fr": "Le mot de passe, pour ne pas le perdre.",
                    "en": "The password, so it does not get lost.",
                },
                {
                    "nl": "De pincode van de bankkaart.",
                    "fr": "Le code PIN de la carte bancaire.",
                    "en": "The PIN code of the bank card.",
                },
            ],
            "answer": 0,
        },
    ],
}

PHISHING = {
    "code": "phishing",
    "required": True,
    "titles": {
        "nl": "Phishing herkennen",
        "fr": "Reconnaître le phishing",
        "en": "Recognising phishing",
    },
    "bodies": {
        "nl": """\
Phishing is oplichting via e-mail, sms, WhatsApp of telefoon. De oplichter doet zich voor als de bank,
itsme, de post, de overheid of een familielid, om codes of geld los te krijgen. Veel bewoners die je
helpt, zijn er al eens mee in aanraking gekomen. Leer hen de signalen herkennen.

## Signalen

- **Haast of dreiging**: "Uw rekening wordt vandaag geblokkeerd", "Betaal binnen 24 uur".
- **Vraag naar codes**: een bank, itsme of de overheid vraagt **nooit** per mail, sms of telefoon naar je
  pincode, wachtwoord of de code van je kaartlezer.
- **Een vreemde link**: het adres lijkt op dat van de bank, maar klopt net niet (bijvoorbeeld een extra woord
  of een rare extensie).
- **Onverwacht**: een pakje dat je niet besteld hebt, een terugbetaling die je niet verwacht.
- **"Hallo mama, dit is mijn nieuwe nummer"**: een "familielid" dat dringend geld vraagt.

## Wat doe je samen met de bewoner?

- Klik niet op de link. Open de app of de website van de bank zelf, zoals altijd.
- Bel bij twijfel de organisatie op het nummer dat je zelf opzoekt, niet op het nummer in het bericht.
- Stuur een verdachte e-mail door naar **suspicious@safeonweb.be**. Een verdachte sms kun je als
  schermafbeelding doorsturen naar hetzelfde adres.
- Verwijder het bericht daarna.

## Is het al gebeurd?

- Codes of bankgegevens doorgegeven? Bel meteen **Card Stop op 078 170 170** om de kaart te blokkeren, en
  verwittig de bank.
- Doe aangifte bij de politie.
- Verander het wachtwoord van de betrokken dienst (de bewoner typt het zelf).
- Stel de bewoner gerust: iedereen kan erin trappen. Schaamte helpt de oplichter, praten helpt de bewoner.
""",
        "fr": """\
Le phishing (hameçonnage) est une escroquerie par e-mail, SMS, WhatsApp ou téléphone. L'escroc se fait
passer pour la banque, itsme, la poste, l'administration ou un membre de la famille, pour obtenir des
codes ou de l'argent. Beaucoup d'habitants que vous aidez y ont déjà été confrontés. Apprenez-leur à
reconnaître les signaux.

## Signaux

- **Urgence ou menace** : « Votre compte sera bloqué aujourd'hui », « Payez dans les 24 heures ».
- **Demande de codes** : une banque, itsme ou l'administration ne demande **jamais** votre code PIN, votre mot
  de passe ou le code du lecteur de carte par e-mail, SMS ou téléphone.
- **Un lien étrange** : l'adresse ressemble à celle de la banque, mais pas tout à fait (un mot en plus, une
  extension bizarre).
- **Inattendu** : un colis que vous n'avez pas commandé, un remboursement que vous n'attendiez pas.
- **« Coucou maman, c'est mon nouveau numéro »** : un « membre de la famille » qui demande de l'argent en
  urgence.

## Que faire avec l'habitant ?

- Ne cliquez pas sur le lien. Ouvrez vous-même l'application ou le site de la banque, comme d'habitude.
- En cas de doute, appelez l'organisation au numéro que vous cherchez vous-même, pas celui du message.
- Transférez un e-mail suspect à **suspicious@safeonweb.be**. Un SMS suspect peut être envoyé en capture
  d'écran à la même adresse.
- Supprimez ensuite le message.

## C'est déjà arrivé ?

- Des codes ou des données bancaires ont été donnés ? Appelez tout de suite **Card Stop au 078 170 170** pour
  bloquer la carte, et prévenez la banque.
- Portez plainte à la police.
- Changez le mot de passe du service concerné (l'habitant le tape lui-même).
- Rassurez l'habitant : tout le monde peut se faire avoir. La honte aide l'escroc, en parler aide l'habitant.
""",
        "en": """\
Phishing is fraud by e-mail, text message, WhatsApp or phone. The fraudster pretends to be the bank,
itsme, the post office, the government or a relative, to get codes or money. Many residents you help
have come across it already. Teach them to recognise the signs.

## Signs

- **Hurry or threats**: "Your account will be blocked today", "Pay within 24 hours".
- **Asking for codes**: a bank, itsme or the government **never** asks for your PIN, password or card reader
  code by e-mail, text message or phone.
- **An odd link**: the address looks like the bank's, but is not quite right (an extra word, a strange
  ending).
- **Unexpected**: a parcel you did not order, a refund you were not expecting.
- **"Hi mum, this is my new number"**: a "relative" who urgently needs money.

## What do you do together with the resident?

- Do not click the link. Open the bank's app or website yourself, as always.
- When in doubt, call the organisation on a number you look up yourself, not the number in the message.
- Forward a suspicious e-mail to **suspicious@safeonweb.be**. A suspicious text message can be sent there as a
  screenshot.
- Then delete the message.

## Has it already happened?

- Codes or bank details given away? Call **Card Stop on 078 170 170** at once to block the card, and tell the
  bank.
- Report it to the police.
- Change the password of the service concerned (the resident types it).
- Reassure the resident: anyone can fall for it. Shame helps the fraudster, talking helps the resident.
""",
    },
    "quiz": [
        {
            "question": {
                "nl": (
                    'Een sms van "de bank" vraagt om binnen het uur je kaartlezercode in te vullen via een '
                    "link. Wat is dit?"
                ),
                "fr": (
                    "Un SMS de « la banque » demande d'entrer le code du lecteur de carte via un lien dans "
                    "l'heure. Qu'est-ce que c'est ?"
                ),
                "en": (
                    'A text from "the bank" asks you to enter your card reader code through a link within '
                    "the hour. What is this?"
                ),
            },
            "options": [
                {
                    "nl": "Een gewone vraag van de bank.",
                    "fr": "Une demande normale de la banque.",
                    "en": "A normal request from the bank.",
                },
                {
                    "nl": "Phishing: de bank vraagt nooit codes via sms.",
                    "fr": "Du phishing : la banque ne demande jamais de codes par SMS.",
                    "en": "Phishing: the bank never asks for codes by text message.",
                },
                {"nl": "Een update van itsme.", "fr": "Une mise à jour d'itsme.", "en": "An itsme update."},
            ],
            "answer": 1,
        },
        {
            "question": {
                "nl": "Waar stuur je een verdachte e-mail naartoe?",
                "fr": "Où transférez-vous un e-mail suspect ?",
                "en": "Where do you forward a suspicious e-mail?",
            },
            "options": [
                {
                    "nl": "Naar suspicious@safeonweb.be",
                    "fr": "À suspicious@safeonweb.be",
                    "en": "To suspicious@safeonweb.be",
                },
                {
                    "nl": "Terug naar de afzender, met de vraag of het echt is.",
                    "fr": "À l'expéditeur, pour demander si c'est vrai.",
                    "en": "Back to the sender, asking whether it is real.",
                },
                {
                    "nl": "Naar alle contacten, als waarschuwing.",
                    "fr": "À tous les contacts, pour les prévenir.",
                    "en": "To all contacts, as a warning.",
                },
            ],
            "answer": 0,
        },
        {
            "question": {
                "nl": "Een bewoner heeft zijn bankgegevens doorgegeven aan een oplichter. Wat doe je eerst?",
                "fr": "Un habitant a donné ses données bancaires à un escroc. Que faites-vous d'abord ?",
                "en": "A resident gave their bank details to a fraudster. What do you do first?",
            },
            "options": [
                {
                    "nl": "Afwachten of er iets gebeurt.",
                    "fr": "Attendre de voir s'il se passe quelque chose.",
                    "en": "Wait and see whether anything happens.",
                },
                {
                    "nl": "Zelf inloggen op de bankapp om te kijken.",
                    "fr": "Se connecter soi-même à l'appli bancaire pour vérifier.",
                    "en": "Log in to the banking app yourself to check.",
                },
                {
                    "nl": "Samen Card Stop bellen (078 170 170) en de bank verwittigen.",
                    "fr": "Appeler ensemble Card Stop (078 170 170) et prévenir la banque.",
                    "en": "Call Card Stop together (078 170 170) and tell the bank.",
                },
            ],
            "answer": 2,
        },
    ],
}

FIRST_SESSION = {
    "code": "first-session",
    "required": False,
    "titles": {
        "nl": "Je eerste sessie, stap voor stap",
        "fr": "Votre première séance, pas à pas",
        "en": "Your first session, step by step",
    },
    "bodies": {
        "nl": """\
Een eerste sessie is voor de bewoner vaak spannend. Met een goede voorbereiding verloopt ze rustig.

## Vooraf

1. Bel de bewoner kort op. Stel je voor en vraag wat ze willen leren.
2. Spreek af waar en wanneer, en wat ze moeten meebrengen: het toestel, de oplader, hun identiteitskaart als
   itsme nodig is, een bril.
3. Zeg erbij dat ze hun codes zelf moeten kennen: jij vraagt er nooit naar.

## Tijdens de sessie

1. Neem de tijd om kennis te maken. Vraag wat goed lukt, niet alleen wat niet lukt.
2. Werk aan één doel per sessie, bijvoorbeeld "een foto doorsturen via WhatsApp".
3. Een uur is lang genoeg. Las een pauze in als het zwaar wordt.

## Achteraf

1. Spreek af of er een volgende keer komt.
2. Vul kort het verslag in op het platform: wat er gelukt is, hoelang het duurde. Nooit codes of wachtwoorden.
3. Maakte iets je ongerust? Meld het als opvolging aan je coördinator.
""",
        "fr": """\
Une première séance est souvent stressante pour l'habitant. Avec une bonne préparation, elle se passe
sereinement.

## Avant

1. Téléphonez brièvement à l'habitant. Présentez-vous et demandez ce qu'il veut apprendre.
2. Convenez du lieu et de l'heure, et de ce qu'il doit apporter : l'appareil, le chargeur, sa carte d'identité
   si itsme est nécessaire, ses lunettes.
3. Précisez qu'il doit connaître ses codes lui-même : vous ne les demandez jamais.

## Pendant la séance

1. Prenez le temps de faire connaissance. Demandez ce qui marche bien, pas seulement ce qui ne marche pas.
2. Travaillez sur un seul objectif par séance, par exemple « envoyer une photo par WhatsApp ».
3. Une heure suffit. Faites une pause si c'est fatigant.

## Après

1. Convenez s'il y aura une prochaine fois.
2. Remplissez brièvement le compte rendu sur la plateforme : ce qui a réussi, combien de temps cela a pris.
   Jamais de codes ni de mots de passe.
3. Quelque chose vous a inquiété ? Signalez-le comme suivi à votre coordinateur.
""",
        "en": """\
A first session is often exciting, even stressful, for the resident. With good preparation it goes calmly.

## Before

1. Give the resident a short call. Introduce yourself and ask what they want to learn.
2. Agree where and when, and what to bring: the device, the charger, their identity card if itsme is needed,
   their glasses.
3. Tell them they need to know their own codes: you never ask for them.

## During the session

1. Take time to get to know each other. Ask what goes well, not only what does not.
2. Work on one goal per session, for example "send a photo on WhatsApp".
3. An hour is long enough. Take a break when it gets tiring.

## Afterwards

1. Agree whether there will be a next time.
2. Fill in the short report on the platform: what worked, how long it took. Never codes or passwords.
3. Did something worry you? Tell your coordinator as a follow-up.
""",
    },
    "quiz": [
        {
            "question": {
                "nl": "Hoeveel doelen neem je best voor in één sessie?",
                "fr": "Combien d'objectifs vaut-il mieux prévoir pour une séance ?",
                "en": "How many goals is it best to plan for one session?",
            },
            "options": [
                {"nl": "Eén.", "fr": "Un seul.", "en": "One."},
                {"nl": "Zoveel mogelijk.", "fr": "Le plus possible.", "en": "As many as possible."},
                {"nl": "Minstens vijf.", "fr": "Au moins cinq.", "en": "At least five."},
            ],
            "answer": 0,
        },
        {
            "question": {
                "nl": "Wat schrijf je in het verslag na de sessie?",
                "fr": "Qu'écrivez-vous dans le compte rendu après la séance ?",
                "en": "What do you write in the report after the session?",
            },
            "options": [
                {
                    "nl": "Het wachtwoord dat we samen gemaakt hebben.",
                    "fr": "Le mot de passe que nous avons créé ensemble.",
                    "en": "The password we made together.",
                },
                {
                    "nl": "Wat er gelukt is en hoelang het duurde.",
                    "fr": "Ce qui a réussi et combien de temps cela a pris.",
                    "en": "What worked and how long it took.",
                },
                {"nl": "Niets.", "fr": "Rien.", "en": "Nothing."},
            ],
            "answer": 1,
        },
    ],
}

TRAINING_MODULES = [SAFEGUARDING, WITHOUT_TAKING_OVER, PHISHING, FIRST_SESSION]


def validate_training_modules(modules=TRAINING_MODULES) -> None:
    """Raise ValueError when a module lacks a locale, has an empty quiz or an answer out of range."""
    errors, seen = [], set()
    for module in modules:
        code = module.get("code")
        if not code or len(code) > 40 or code in seen:
            errors.append(f"module code {code!r} is missing, too long or used twice")
        seen.add(code)
        for key in ("titles", "bodies"):
            missing = [loc for loc in LOCALES if not (module.get(key) or {}).get(loc, "").strip()]
            if missing:
                errors.append(f"{code}: {key} missing for {', '.join(missing)}")
        if not module.get("quiz"):
            errors.append(f"{code}: the quiz has no questions")
        for number, question in enumerate(module.get("quiz") or [], start=1):
            options = question.get("options") or []
            if len(options) < 2 or not 0 <= question.get("answer", -1) < len(options):
                errors.append(f"{code} question {number}: needs two options and a valid answer")
            for text in [question.get("question") or {}, *options]:
                if any(not text.get(loc) for loc in LOCALES):
                    errors.append(f"{code} question {number}: a text is missing a locale")
    if errors:
        raise ValueError("Training modules are invalid: " + "; ".join(errors))
