# A micromanager who calls the VA unreliable (English).
TITLE="Controlling client calls me unreliable"
CLIENT="Olivia Brown"
CLIENT_ARGS=(--lang en)
AGREEMENT_ARGS=(--scope "Calendar management; Travel booking" --updates "mon,thu" --availability "mon-fri 09:00-17:00")
MESSAGE="I asked three times on Sunday whether the flights were booked and got no answer. Honestly, that makes you unreliable. From now on I want to approve everything first."
STEP1=(--reaction defensive)
STEP2=(--reflect "3=Being called unreliable stings; I keep every agreement." --reflect "5=She writes from worry: the trip matters a lot to her." --reflect "6=I work within the agreed hours and give fixed updates; I want to find with her what gives her peace of mind.")
STEP3=(--summary "You wanted to know on Sunday whether the flights were booked, got no answer, and want more say in what I do." --question "What would reassure you most: an update on fixed days or a shared overview?" --fact "I am available on weekdays from 9 to 5|availability|1" --proposal "Besides the Monday and Thursday updates, I set up a shared booking overview you can check at any time." --max "One extra short update on Wednesdays" --max-hours 0.5)
STEP4=(--outcome resolved --action "Set up a shared booking overview|me|2026-11-25" --action "Keep questions outside working hours for the next update|client" --follow-up 2026-12-07)
