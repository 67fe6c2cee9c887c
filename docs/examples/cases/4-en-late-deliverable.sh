# A disappointed client about a late deliverable (English).
TITLE="Disappointed about a late presentation"
CLIENT="Laura Smith"
CLIENT_ARGS=(--lang en)
AGREEMENT_ARGS=(--scope "Slide decks; Inbox management" --reaction-hours 24)
MESSAGE="Hi Eva, I was expecting the investor deck on Monday and it is now Wednesday. I am honestly disappointed, I had to postpone my meeting."
STEP1=(--reaction calm --receipt-sent)
STEP2=(--reflect "1=She expected the deck on Monday and got it on Wednesday." --reflect "4=I did not tell her early that the design would take longer." --reflect "6=The deck was late and I should have warned her on Friday; the final figures came in on Tuesday.")
STEP3=(--summary "The investor deck arrived two days later than you expected, and you had to postpone your meeting." --question "When is the new meeting, so I can plan the final check around it?" --fact "The final figures arrived on Tuesday|late_delivery|1" --proposal "From now on I send a status note two days before every deadline, and this time I add the speaker notes at no cost." --proposal-hours 1 --max "Two hours of free work" --max-hours 2)
STEP4=(--outcome resolved --action "Add the speaker notes to the deck|me|2026-11-26" --action "Send the final figures two days before a deadline|client" --follow-up 2026-12-03)
