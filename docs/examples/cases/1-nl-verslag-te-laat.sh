# A disappointed client about a late deliverable (Dutch, je).
TITLE="Teleurgesteld over een te laat verslag"
CLIENT="Sanne de Vries"
CLIENT_ARGS=(--lang nl --register je)
AGREEMENT_ARGS=(--scope "Maandverslag maken; Inbox bijhouden" --reaction-hours 24 --rate 45)
MESSAGE="Hoi Eva, ik had het maandverslag echt vrijdag verwacht en nu is het dinsdag. Ik ben eerlijk gezegd teleurgesteld, ik moest mijn overleg zonder cijfers doen."
STEP1=(--reaction defensive --receipt-sent)
STEP2=(--reflect "1=Ze schrijft dat het verslag vrijdag verwacht werd en nu dinsdag komt." --reflect "4=Ik heb niet gemeld dat het later werd." --reflect "6=Het verslag was te laat en ik had dat eerder moeten melden; de cijfers kwamen zelf ook pas donderdag.")
STEP3=(--summary "Het maandverslag kwam vier dagen later dan je verwachtte, en daardoor had je geen cijfers voor je overleg." --question "Wanneer is je volgende overleg, zodat ik het verslag daarop kan plannen?" --fact "De cijfers kwamen donderdagmiddag binnen|late_delivery|1" --proposal "Voortaan lever ik het verslag op de tweede werkdag van de maand, en als het later wordt hoor je het een dag van tevoren." --max "Het verslag van deze maand zonder kosten" --max-eur 90)
STEP4=(--outcome resolved --action "Het verslag voortaan op de tweede werkdag opleveren|me|2026-12-02" --action "De cijfers op de laatste werkdag van de maand aanleveren|client|2026-11-30" --follow-up 2026-12-04)
