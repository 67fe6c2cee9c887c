# An angry refund demand (Dutch, u).
TITLE="Boze klant eist geld terug"
CLIENT="Peter Jansen"
CLIENT_ARGS=(--lang nl --register u)
AGREEMENT_ARGS=(--scope "Nieuwsbrief maken; Social media inplannen" --rate 50 --extra-rate 65)
MESSAGE="Dit is echt belachelijk. De nieuwsbrief staat vol fouten en is naar de verkeerde lijst gestuurd. Ik wil mijn geld terug voor deze maand, anders stop ik ermee."
STEP1=(--reaction pleasing)
STEP2=(--reflect "2=Er stonden twee typefouten in, niet vol fouten; de lijst had hij zelf zo gekozen." --reflect "4=Ik heb de lijst niet nog eens gecontroleerd voor verzending." --reflect "5=Hij schrijft uit boosheid en schaamte tegenover zijn klanten." --reflect "6=De fout in de lijst neem ik op me; het hele bedrag terug past niet bij wat er misging.")
STEP3=(--summary "De nieuwsbrief had fouten en ging naar de verkeerde lijst, en daardoor voelt u zich tegenover uw klanten in verlegenheid gebracht." --question "Welke klanten hebben de nieuwsbrief ontvangen die hem niet hadden mogen krijgen?" --fact "De verzendlijst is gekozen in het akkoord van dinsdag|scope|1" --proposal "Ik stuur vandaag een correctie naar de juiste lijst en reken de uren van deze nieuwsbrief niet." --proposal-eur 100 --max "De helft van deze maand terug" --max-eur 200)
STEP4=(--outcome partly --action "Een correctie naar de juiste lijst sturen|me|2026-11-24" --action "Een controlemoment voor elke verzending inbouwen|both|2026-12-01" --follow-up 2026-12-08)
