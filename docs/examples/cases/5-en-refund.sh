# An angry refund demand (English).
TITLE="Angry client demands a refund"
CLIENT="James Carter"
CLIENT_ARGS=(--lang en)
AGREEMENT_ARGS=(--scope "Newsletter; Social media scheduling" --rate 50)
MESSAGE="This is ridiculous. The newsletter went out with the wrong date and my customers are confused. I want a full refund for this month or we are done."
STEP1=(--reaction pleasing)
STEP2=(--reflect "2=One date was wrong, the rest was right; a full refund does not fit that." --reflect "4=I copied the date from last month's template and did not check it." --reflect "5=He is angry and embarrassed in front of his customers." --reflect "6=I own the wrong date and will fix it today; a full refund is more than the mistake.")
STEP3=(--summary "The newsletter went out with the wrong date, and your customers were confused by it." --proposal "I send a short correction to all subscribers today and do not charge the hours for this issue." --proposal-eur 120 --max "Half of this month's invoice" --max-eur 250)
STEP4=(--outcome partly --action "Send a correction to all subscribers|me|2026-11-23" --action "Approve the final draft before every send|client" --follow-up 2026-12-01)
