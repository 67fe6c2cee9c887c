# A micromanager who calls the VA unreliable (Dutch, je).
TITLE="Controlerende klant noemt me onbetrouwbaar"
CLIENT="Mark Peeters"
CLIENT_ARGS=(--lang nl --register je)
AGREEMENT_ARGS=(--scope "Offertes nalopen; Planning maken" --updates "ma,do" --availability "ma-vr 09:00-17:00")
MESSAGE="Ik heb je gisteravond drie keer gevraagd hoe het ervoor staat en ik hoor niks. Zo ben je echt onbetrouwbaar. Ik wil voortaan alles zien voordat het de deur uitgaat."
STEP1=(--reaction defensive)
STEP2=(--reflect "1=Hij noemt me onbetrouwbaar omdat ik 's avonds niet antwoordde." --reflect "3=Het woord onbetrouwbaar raakt me, ik doe juist alles volgens afspraak." --reflect "5=Hij schrijft uit onzekerheid: hij wil grip." --reflect "6=Ik werk binnen de afgesproken tijden en geef vaste updates; daar wil ik met hem naar kijken.")
STEP3=(--summary "Je wilde gisteravond weten hoe het ervoor stond, kreeg geen antwoord en wilt meer zicht op wat ik doe." --question "Wat zou je het meeste rust geven: een update op vaste dagen of een gedeeld overzicht?" --fact "Ik ben bereikbaar op werkdagen van 9 tot 17 uur|availability|1" --fact "Op maandag en donderdag krijg je een update|updates|1" --proposal "Naast de vaste updates zet ik een gedeeld takenbord op dat je altijd kunt bekijken." --max "Een extra korte update op woensdag" --max-hours 0.5)
STEP4=(--outcome resolved --action "Een gedeeld takenbord opzetten|me|2026-11-25" --action "Vragen buiten werktijd bewaren voor de volgende update|client" --follow-up 2026-12-07)
