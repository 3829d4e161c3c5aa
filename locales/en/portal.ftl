# softlanding portal — English. Every language file has exactly these message ids.

days-count = { $count ->
    [one] { $count } day
   *[other] { $count } days
}

## Layout
skip-to-content = Skip to content
nav-label = Main
nav-offers = Offers
nav-clusters = Clusters
nav-landings = Landings
nav-sme = My company
nav-account = Account
nav-sign-in = Sign in
nav-sign-up = Sign up
nav-sign-out = Sign out
footer-about = softlanding runs the Business Roaming Agreement between European ICT clusters: free soft landings abroad for the SMEs of partner clusters.
language-label = Language
language-submit = Change
choose = Choose…
save = Save
form-has-errors = There is a problem

## Flash messages
flash-signed-out = You are signed out.
flash-signed-out-everywhere = You are signed out on every device.
flash-password-set = Your password is set. Sign in with it.
flash-password-changed = Your password is changed. Your other sessions have ended.
flash-account-saved = Your account is saved.
flash-profile-saved = The profile is saved.
flash-colleague-invited = Invitation sent. Your colleague gets an email to set a password.
flash-landing-requested = Your request is sent. We will email you when it is decided.
flash-landing-withdrawn = The request is withdrawn.
flash-landing-cancelled = The landing is cancelled.
flash-feedback-thanks = Thank you for your feedback.

## Errors at fields
err-required = Enter this information.
err-number = Enter a whole number.
err-email = Enter an email address, such as name@example.org.
err-email-taken = An account with this email address already exists. Sign in instead.
err-search = The search could not be understood. Check the filters.
err-sign-in-missing = Enter your email address and password.
err-sign-in-wrong = The email address or password is wrong.
err-confirm-first = Confirm your email address first: follow the link in the email we sent you.
err-password-short = The password needs at least 12 characters.
err-password-mismatch = The two passwords are not the same.
err-current-password = The current password is wrong.
err-link-invalid = This link is invalid, already used or expired. Ask for a new one.
err-locale = Choose one of the languages offered.
err-headcount = Enter a number of visitors from 1 to the offer's capacity.
err-purpose-length = Describe the purpose in 20 to 2000 characters (now { $count }).
err-end-before-start = The last day cannot be before the first day.
err-start-in-past = The first day is in the past: today is { $today } in the host's time zone ({ $timezone }).
err-before-window = The offer opens on { $date }. Choose a later first day.
err-after-window = The offer ends on { $date }. Choose an earlier last day.
err-blackout = These days touch a closure of the offer from { $start } to { $end } ({ $reason }).
err-no-open-day = These days hold no open day of the offer.
err-too-many-days = These days hold { $days } open days; at most { $max } are possible (the offer allows { $offer }, the partnership { $terms }).
err-over-capacity = The offer takes at most { $capacity } visitors a day.
err-service-not-covered = The partnership covers only these services: { $covered }.
err-offer-not-published = This offer takes no requests at the moment.
err-no-partnership = Your home cluster has no active partnership with this host.
err-kind-not-covered = The partnership between your home cluster and this host does not cover this kind of offer.
err-sme-not-verified = Your home cluster has not verified your company yet.
err-request-refused = This request cannot be made.
err-action-not-possible = This is no longer possible: the landing has changed. Here is how it stands now.

## Error pages
error-home = Go to the front page
error-400-title = The request could not be understood
error-400-text = Something in the address or the form was not right. Go back and try again.
error-403-title = You cannot do this
error-403-text = This page or action is not open to your account.
error-404-title = Page not found
error-404-text = There is nothing here, or it is not visible to you.
error-405-title = Not possible here
error-405-text = This page cannot be used that way.
error-409-title = Something changed
error-409-text = What you saw has changed in the meantime. Go back and look again.
error-413-title = Too much
error-413-text = What you sent is too large.
error-422-title = That did not work
error-422-text = Some information was missing or wrong. Go back and check the form.
error-429-title = Too many attempts
error-429-text = Wait a few minutes, then try again.
error-500-title = Something went wrong on our side
error-500-text = We have noted it. Try again in a moment.
error-503-title = Busy right now
error-503-text = The service is busy. Try again in a moment.

## Home
home-title = Soft landings abroad
home-heading = Land abroad with a partner cluster
home-lead = ICT clusters across Europe host each other's SMEs for free: a desk for a few days, introductions to local contacts, market briefings and events.
home-search-placeholder = desk, Stockholm, fintech…
home-how-heading = How it works
home-how-1 = Your company signs up with its home cluster, which confirms you are a member.
home-how-2 = Find an offer of a partner cluster and ask for the days you need.
home-how-3 = The host approves, and you add the landing to your calendar.
home-clusters-heading = The clusters of the network

## Search
offers-title = Offers
offers-heading = Find a soft landing
search-words = Words
search-country = Country
search-country-hint = Two letters, such as SE
search-city = City
search-kind = Kind
search-any = Any
search-sector = Sector
search-language = Language
search-language-hint = Two letters, such as en
search-from = First day
search-to = Last day
search-headcount = Visitors
search-submit = Search
results-heading = { $count ->
    [0] No offers
    [one] { $count } offer
   *[other] { $count } offers
}
results-none = No offer matches. Try fewer filters.
results-next = More offers

kind-desk_space = Desk space
kind-introductions = Introductions
kind-market_briefing = Market briefing
kind-event_access = Event access
kind-meeting_room = Meeting room
kind-mentoring = Mentoring

## Offer
offer-host = Host
offer-address = Address
offer-languages = Languages
offer-sectors = Sectors
offer-window = Available
offer-places = Places
offer-stay = Longest stay
offer-timezone = Days are in
offer-capacity = { $count ->
    [one] { $count } visitor a day
   *[other] { $count } visitors a day
}
offer-max-stay = { $count ->
    [one] at most { $count } day
   *[other] at most { $count } days
}
offer-request = Request a landing
offer-request-hint = You sign in first. Your company must be a verified member of a partner cluster.
calendar-heading = Free places in { $month } { $year }
calendar-hint = Each day shows the free places. Days are in the host's time zone ({ $timezone }).
calendar-caption = Free places per day
calendar-prev = Earlier
calendar-next = Later
calendar-full = full
calendar-closed = closed
calendar-free = { $count } free
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
weekday-short-1 = Mo
weekday-short-2 = Tu
weekday-short-3 = We
weekday-short-4 = Th
weekday-short-5 = Fr
weekday-short-6 = Sa
weekday-short-7 = Su

## Clusters
clusters-title = Clusters
clusters-heading = The clusters of the network
clusters-none = No clusters yet.
cluster-offers = Offers
cluster-no-offers = This cluster has no published offers at the moment.

## Accounts
sign-in-title = Sign in
sign-in-heading = Sign in
sign-in-expired = Your session has ended. Sign in again.
sign-in-submit = Sign in
sign-in-forgot = Forgot your password?
sign-in-no-account = New here?
sign-up-title = Sign up
sign-up-heading = Sign your company up
sign-up-lead = Your home cluster confirms your membership; then you can request soft landings at its partner clusters.
sign-up-company = Your company
sign-up-you = You
sign-up-submit = Sign up
sign-up-done-title = Check your email
sign-up-done-heading = Check your email
sign-up-done-text = We sent you a link to confirm your email address. Follow it, then sign in.
sign-up-done-next = Your home cluster has been told and will verify your company.
confirm-title = Confirm your email address
confirm-heading = Confirm your email address
confirm-text = Press the button to confirm that this address is yours.
confirm-submit = Confirm my address
confirm-done = Your email address is confirmed. You can sign in now.
confirm-failed = This link is invalid, already used or expired.
forgot-title = Forgot your password
forgot-heading = Forgot your password?
forgot-text = Enter the email address of your account. We will send a link to set a new password.
forgot-submit = Send the link
forgot-sent = If an account uses this address, a link to set a new password is on its way. It works for one hour.
set-password-title = Set your password
set-password-heading = Set your password
set-password-submit = Set password
field-email = Email address
field-password = Password
field-password-hint = At least 12 characters.
field-new-password = New password
field-confirm-password = New password again
field-current-password = Current password
field-company-name = Company name
field-country = Country
field-sector = Sector
field-sector-hint = One word, such as software or fintech.
field-website = Website
field-employees = Employees
field-home-cluster = Home cluster
field-home-cluster-hint = The cluster your company is a member of.
field-your-name = Your name
field-colleague-name = Name
field-invite-locale = Their language
field-invite-locale-hint = The invitation email is written in it, and the portal speaks it to them; they can change it later.
field-locale = Language
field-locale-hint = The language of the portal and of the emails you receive.

## Landing requests
request-title = Request a landing
request-heading = Request a soft landing
request-lead = { $offer }, hosted by { $host }.
request-days-hint = Days are in the host's time zone ({ $timezone }), where today is { $today }.
request-submit = Send the request
field-start-date = First day
field-end-date = Last day
field-headcount = Visitors
field-headcount-hint = How many of you come, at most { $capacity }.
field-purpose = Purpose
field-purpose-hint = What you want to achieve, in 20 to 2000 characters.
field-target-market = Target market
field-target-market-hint = Optional, such as Nordic fintech.
field-services = Services you hope to use
field-cancel-reason = Reason for cancelling
field-rating = Rating
field-comment = Comment

landings-title = Landings
landings-heading = Your landings
landings-filter-state = State
landings-filter-side = Whose
landings-side-both = Hosted and sent
landings-side-hosted = Hosted by us
landings-side-sent = Sent by our SMEs
landings-col-side = Side
landings-filter-submit = Show
landings-col-dates = Days
landings-col-state = State
landings-col-visitors = Visitors
landings-col-requested = Requested
landings-none = No landings yet.
landings-none-older = No older landings.
landings-find = Find an offer
landings-pages-label = Pages of landings
landings-page-newest = Newest
landings-page-older = Older landings

landing-title = Landing at { $offer }
landing-facts = Details
landing-dates = Days
landing-visitors = Visitors
landing-sme = Company
landing-home = Home cluster
landing-endorsement-note = Note from the home cluster
landing-message = Message from the host
landing-reason = Reason
landing-outcome = Outcome
landing-rating = Your rating
landing-rating-value = { $rating } of 5
landing-ics = Add to calendar (.ics)
landing-actions = What you can do
landing-withdraw-text = Withdraw the request while it waits for a decision.
landing-withdraw = Withdraw the request
landing-cancel = Cancel the landing
landing-feedback-submit = Send feedback
landing-timeline = Timeline

state-pending_endorsement = Waiting for the home cluster
state-pending_approval = Waiting for the host
state-approved = Approved
state-rejected = Rejected
state-declined = Declined by the home cluster
state-withdrawn = Withdrawn
state-cancelled = Cancelled
state-completed = Completed
state-no_show = No-show
state-expired = Expired

action-submit = Requested
action-endorse = Endorsed
action-decline = Declined
action-approve = Approved
action-reject = Rejected
action-withdraw = Withdrawn
action-cancel = Cancelled
action-complete = Completed
action-no-show = Marked as no-show
action-expire = Expired
action-feedback = Feedback given

actor-sme_member = by the company
actor-cluster_manager = by a cluster manager
actor-admin = by the coordinator
actor-user = by a person
actor-api_client = by a partner portal
actor-system = automatically

## The SME
sme-home = Home cluster: { $home }
membership-pending = Waiting for verification
membership-verified = Verified member
membership-declined = Declined
sme-pending = Your home cluster has not verified your company yet. You can look around; requests open once it has.
sme-profile = Profile
sme-conflict = Someone else changed this profile while you were editing it. Here it is as it stands now; make your change again.
field-target-markets = Target markets
field-target-markets-hint = Country codes separated by commas, such as SE, FI.
field-languages = Languages
field-languages-hint = Language codes separated by commas, such as en, sv.
sme-colleagues = Colleagues
sme-invited = invited
sme-invite = Invite a colleague
sme-invite-after-verification = Invitations open once your home cluster has verified your company.
sme-invite-submit = Send the invitation

## Account
account-title = Account
account-heading = Your account
account-settings = Name and language
account-password = Password
account-password-submit = Change password
account-sessions = Sessions
account-sessions-text = Sign out on every computer and phone where you are signed in.
account-sign-out-everywhere = Sign out everywhere
role-admin = Coordinator
role-cluster_manager = Cluster manager
role-sme_member = Company member

## Waiting for you (a cluster's managers)
nav-manage = Waiting for you
nav-waiting-count = ({ $count })
manage-title = Waiting for you
manage-heading = Waiting for you
manage-sections = What waits
manage-section-approvals = Requests to approve ({ $count })
manage-section-endorsements = Endorsements to give ({ $count })
manage-section-sign-ups = SMEs to verify ({ $count })
manage-section-proposals = Partnership proposals ({ $count })
manage-section-empty = Nothing here.
manage-page-range = { $from }–{ $to } of { $count }
manage-page-previous = Previous
manage-page-next = Next
manage-pages-label = Pages of { $list }
manage-none = Nothing waits for you. New requests, sign-ups and proposals appear here.
manage-request-title = { $sme } asks for { $count ->
    [one] one visitor
   *[other] { $count } visitors
} at “{ $offer }”
manage-request-dates = { $from } to { $to }, { $days ->
    [one] one open day
   *[other] { $days } open days
}
manage-free-places = Free places by day
manage-day-free = { $day }: { $count } free
manage-day-short = { $day }: only { $count } free, too few
manage-sme-details = { $country }, { $sector }. Signed up by { $contact } ({ $email }).
manage-proposal-title = { $cluster } proposes a partnership
manage-proposal-terms = Up to { $days } free days a landing; covers { $services }.
manage-approve = Approve
manage-reject = Reject
manage-endorse = Endorse
manage-decline = Decline
manage-verify = Verify
manage-accept = Accept
manage-reason = Reason (the other side reads it)
flash-manage-approved = Approved. The SME has been told.
flash-manage-rejected = Rejected. The SME has been told why.
flash-manage-endorsed = Endorsed. The host decides next.
flash-manage-declined = Declined. The SME has been told why.
flash-manage-verified = Verified. Its members can now request landings.
flash-manage-sme-declined = Declined. Its contact has been told.
flash-manage-accepted = Accepted. The partnership is active.
flash-manage-partnership-declined = Declined. The proposing cluster has been told.
err-manage-reason = Give a reason: the other side reads it.
err-manage-full = Too few places are left on { $day } for these visitors, so this request cannot be approved.
err-manage-changed = Someone decided this meanwhile; it no longer waits.
err-manage-not-yours = This decision belongs to another cluster.

## A cluster's SMEs and partnerships (managers)
manage-smes-title = Our SMEs
manage-smes-heading = Our member SMEs
manage-smes-filter = Membership
manage-smes-none = No SMEs yet.
manage-partnerships-title = Partnerships
manage-partnerships-heading = Our partnerships
manage-partnerships-none = No partnerships yet. Propose one below.
manage-partnerships-col-partner = Partner
manage-partnerships-col-terms = Terms
manage-partnerships-col-since = Since
manage-propose-heading = Propose a partnership
manage-propose-partner = Partner cluster
manage-propose-choose = Choose a cluster
manage-propose-days = Free days a landing may last
manage-propose-days-hint = Working days, 1 to 90.
manage-propose-services = What the agreement covers
manage-propose-endorsement = The visitor's home cluster endorses each request before we decide
manage-propose-notes = Notes on the terms (optional)
manage-propose-submit = Propose
manage-partnership-title = Partnership with { $cluster }
manage-partnership-proposed-by-us = We proposed it on { $date }.
manage-partnership-proposed-by-them = { $cluster } proposed it on { $date }.
manage-partnership-terms = Terms
manage-partnership-days = Up to { $days } free days a landing
manage-partnership-services = Covers:
manage-partnership-endorsed = the home cluster endorses each request
manage-partnership-not-endorsed = No endorsement by the home cluster is needed.
manage-partnership-note = Note (optional; the other cluster reads it)
manage-partnership-accept = Accept
manage-partnership-decline = Decline
manage-partnership-suspend = Suspend
manage-partnership-resume = Resume
manage-partnership-terminate = Terminate
manage-partnership-trail = History
partnership-state-proposed = Proposed
partnership-state-active = Active
partnership-state-declined = Declined
partnership-state-suspended = Suspended
partnership-state-terminated = Terminated
flash-manage-proposed = Proposed. The other cluster's managers have been told.
flash-manage-suspended = Suspended. No new requests can be made until it is resumed.
flash-manage-resumed = Resumed. The partnership is active again.
flash-manage-terminated = Terminated.
err-partnership-exists = You already have a partnership with this cluster that is proposed, active or suspended.
manage-nav-label = Managing the cluster
