# softlanding's emails (en). Keys match across languages.
# Names of organisations and people, titles, addresses and dates are filled in as they are;
# dates are ISO days (2027-03-08) in the host's time zone.

## Shared by every email

email-hello = Hello,
email-hello-name = Hello { $name },
email-signature = — softlanding
email-footer = softlanding — the Business Roaming Agreement between European ICT clusters.
# A sentence of the text part that the link follows.
email-before-link = { $text }:
# $unit is "days" or "hours".
email-link-once = The link works once and expires in { $unit ->
        [days] { $count ->
            [one] one day
           *[other] { $count } days
        }
       *[hours] { $count ->
            [one] one hour
           *[other] { $count } hours
        }
    }.

## Account links

email-invitation-subject = You are invited to { $organisation } on softlanding
email-invitation-title = Invitation to { $organisation }
email-invitation-intro = You have been invited to softlanding as { $role ->
        [admin] coordinator
        [cluster_manager] cluster manager
       *[sme_member] member
    } of { $organisation }.
email-invitation-action = Choose your password to activate your account

email-confirmation-subject = Confirm your email address for softlanding
email-confirmation-title = Confirm your email address
email-confirmation-intro = Your company signed up to softlanding with this address.
email-confirmation-action = Confirm that it is yours, so you can sign in
email-confirmation-ignore = If you did not sign up, ignore this email: no one can sign in with this address until it is confirmed.

email-reset-subject = Reset your softlanding password
email-reset-title = Reset your password
email-reset-intro = Someone asked to reset the password of your softlanding account.
email-reset-action = If it was you, choose a new password
email-reset-ignore = If you did not ask, ignore this email: your password stays as it is.

## Partnerships

# $action: proposed, accepted, declined, suspended, resumed or terminated.
email-partnership-subject = { $action ->
        [proposed] Partnership proposed
        [accepted] Partnership accepted
        [declined] Partnership declined
        [suspended] Partnership suspended
        [resumed] Partnership resumed
       *[terminated] Partnership terminated
    }: { $proposer } and { $partner }
email-partnership-changed = The Business Roaming Agreement between { $proposer } and { $partner } was { $action ->
        [proposed] proposed
        [accepted] accepted
        [declined] declined
        [suspended] suspended
        [resumed] resumed
       *[terminated] terminated
    } by { $actor }.
email-partnership-state = It is now { $state ->
        [proposed] proposed
        [active] active
        [declined] declined
        [suspended] suspended
       *[terminated] terminated
    }.
email-partnership-terms = Terms:
email-partnership-free-days = free working days per landing: { $count }
email-partnership-services = services:
# $required is "yes" or "no".
email-partnership-endorsement = home cluster endorsement required: { $required ->
        [yes] yes
       *[no] no
    }
email-partnership-notes = notes: { $notes }
email-partnership-note = Note from { $actor }: { $note }
email-partnership-action = See the partnership

# The kinds of offer, as a partnership's services list them.
email-offer-kind = { $kind ->
        [desk_space] desk space
        [introductions] introductions
        [market_briefing] market briefing
        [event_access] event access
        [meeting_room] meeting room
       *[mentoring] mentoring
    }

## SMEs

email-sme-signed-up-subject = { $sme } signed up to join { $cluster } and awaits verification
email-sme-signed-up-title = { $sme } signed up to join { $cluster }
email-sme-signed-up-intro = { $sme } signed up on softlanding as a member of { $cluster }.
email-sme-country = Country: { $country }
email-sme-sector = Sector: { $sector }
email-sme-website = Website: { $website }
email-sme-employees = Employees: { $count }
email-sme-contact = Contact: { $name } <{ $email }>
email-sme-signed-up-check = Please check that it is a member of your cluster.
email-sme-signed-up-action = Verify or decline { $sme }
email-sme-signed-up-until = Until you verify it, its members cannot request soft landings.

email-sme-verified-subject = { $sme } is now a verified member of { $cluster }
email-sme-verified-intro = { $cluster } verified { $sme } as its member.
email-sme-verified-action = Your team can now request soft landings at the partner clusters of { $cluster }

email-sme-declined-subject = { $cluster } declined the membership of { $sme }
email-sme-declined-intro = { $cluster } declined to verify { $sme } as its member, so your team cannot request soft landings through it.
email-sme-declined-reason = The reason given:
email-sme-declined-mistake = If you think this is a mistake, please contact { $cluster }.
email-sme-declined-action = Your account stays open

## Landings

# What happened, as the subject and first line say it.
email-landing-submitted = { $sme } asks for a soft landing at { $host }
email-landing-endorsed = { $home } endorsed the soft landing of { $sme } at { $host }
email-landing-approved = { $host } approved the soft landing of { $sme }
email-landing-declined = { $home } declined to endorse the soft landing of { $sme } at { $host }
email-landing-rejected = { $host } rejected the soft landing of { $sme }
email-landing-withdrawn = { $sme } withdrew its soft-landing request at { $host }
email-landing-cancelled-by-sme = { $sme } cancelled its soft landing at { $host }
email-landing-cancelled-by-host = { $host } cancelled the soft landing of { $sme }
email-landing-expired = The soft-landing request of { $sme } at { $host } expired undecided
email-landing-reminder = Reminder: { $sme } lands at { $host } on { $start }

# The receipt the SME gets for its request. $first is "home" when the home cluster endorses
# it first, else "host".
email-landing-receipt-subject = We received your request: soft landing at { $host }, { $start }
email-landing-receipt = We received the soft-landing request of { $sme } at { $host }. { $first ->
        [home] { $home } endorses it first; then { $host } decides.
       *[host] { $host } decides on it.
    } We will email you when that happens.

email-landing-offer = Offer: { $title }, { $location }
email-landing-dates = Dates: { $start } to { $end } ({ $days ->
        [one] { $days } open day
       *[other] { $days } open days
    }; days in { $timezone })
email-landing-visitors = Visitors: { $count }
email-landing-home = Home cluster: { $home }
email-landing-now = Now: { $state ->
        [pending_endorsement] waiting for the home cluster's endorsement
        [pending_approval] waiting for the host's approval
        [approved] approved
        [rejected] rejected
        [declined] declined
        [withdrawn] withdrawn
        [cancelled] cancelled
        [completed] completed
        [no_show] no-show
       *[expired] expired
    }

# What the person who acted wrote, under the label that fits the event.
email-landing-purpose = Purpose: { $text }
email-landing-note = Note: { $text }
email-landing-host-message = Message from the host: { $text }
email-landing-reason = Reason: { $text }
email-landing-expired-reason = no decision was taken before the start date, { $start }

email-landing-calendar = The attached landing.ics puts the dates in your calendar.
email-landing-action = See the landing

email-landing-reminder-host = { $sme } arrives for its soft landing at { $host } on { $start }.
email-landing-reminder-sme = Your soft landing at { $host } begins on { $start }.

## A webhook the service turned off
email-webhook-disabled-subject = A webhook of { $cluster } was turned off
email-webhook-disabled-gone = The partner portal at { $url } answered “410 Gone”, which says the address no longer takes deliveries, so softlanding turned its webhook off.
email-webhook-disabled-failing = Every delivery to { $url } has failed for five days, so softlanding turned its webhook off.
email-webhook-disabled-missed = Until it is turned on again, its events are not delivered. Its delivery log shows each attempt and the answer it got.
email-webhook-disabled-action = See the delivery log and turn the webhook on again
