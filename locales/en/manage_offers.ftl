# The managers' offer pages (/manage/offers).

manage-offers-title = Your offers
manage-offers-heading = Your cluster's offers
manage-offers-new = Create an offer
manage-offers-filter = Show offers that are
manage-offers-all-states = in any state
manage-offers-filter-submit = Show
manage-offers-col-title = Offer
manage-offers-col-kind = Kind
manage-offers-col-capacity = Places per day
manage-offers-col-window = Available
manage-offers-none = Your cluster has no offers yet. Create one: it starts as a draft that only your cluster's managers see.
manage-offers-none-in-state = None of your offers is in this state.
offer-state-draft = Draft
offer-state-published = Published
offer-state-paused = Paused
offer-state-archived = Archived

manage-offer-new-title = Create an offer
manage-offer-new-hint = The offer starts as a draft: nobody outside your cluster sees it until you publish it.
manage-offer-create = Create the draft
manage-offer-field-kind = Kind of offer
manage-offer-field-title = Title
manage-offer-field-description = Description
manage-offer-field-city = City
manage-offer-field-address = Address
manage-offer-field-capacity = Visitors per open day
manage-offer-field-capacity-hint = How many visitors the offer takes on each open day (1 to 10,000).
manage-offer-field-available-from = Available from
manage-offer-field-available-until = Available until
manage-offer-date-hint = A day in your cluster's time zone, such as 2027-03-01.
manage-offer-field-max-stay = Longest stay, in open days
manage-offer-field-max-stay-hint = From 1 to 90 open days.
manage-offer-field-weekdays = Open on
manage-offer-field-languages = Languages
manage-offer-field-languages-hint = Two-letter codes separated by commas, such as en, sv.
manage-offer-field-sectors = Sectors
manage-offer-field-sectors-hint = Separated by commas, such as fintech, health. May stay empty.

manage-offer-public-page = See the public page
manage-offer-state-hint-draft = A draft: only your cluster's managers see it. Publish it to show it in the search.
manage-offer-state-hint-published = Published: SMEs of partner clusters find it and may request a landing.
manage-offer-state-hint-paused = Paused: it is out of the search until you publish it again. Approved landings stay.
manage-offer-state-hint-archived = Archived: the offer is closed for good and no longer changes.
manage-offer-publish = Publish
manage-offer-pause = Pause
manage-offer-archive = Archive for good

manage-offer-blackouts = Closed periods
manage-offer-blackouts-hint = During a closed period the offer takes no visitors, whatever its weekdays say.
manage-offer-no-blackouts = No closed periods.
manage-offer-blackout-remove = Remove
manage-offer-blackout-remove-label = Remove the closed period from { $from } to { $to }
manage-offer-blackout-add-heading = Close the offer for some days
manage-offer-blackout-from = First closed day
manage-offer-blackout-until = Last closed day
manage-offer-blackout-reason = Reason
manage-offer-blackout-add = Close these days

manage-offer-edit = Edit the offer
manage-offer-archived-notice = An archived offer no longer changes.
manage-offer-conflict = Someone else changed this offer after you opened it. Your changes were not saved. The form now shows the offer as it is; make your changes again and save.

manage-offer-calendar-heading = Bookings in { $month } { $year }
manage-offer-calendar-hint = Each open day shows the places approved landings hold and the places still free. Days are in your cluster's time zone ({ $timezone }).
manage-offer-calendar-caption = Booked and free places per day
manage-offer-calendar-booked = { $booked } booked, { $free } free
manage-offer-calendar-blackout = closed period

manage-offer-err-kind = Choose a kind of offer.
manage-offer-err-title = Enter a title of at most 200 characters.
manage-offer-err-description = Enter a description of at most 5,000 characters.
manage-offer-err-city = Enter the city, in at most 120 characters.
manage-offer-err-address = Enter an address of at most 500 characters.
manage-offer-err-capacity = Enter a number of visitors from 1 to 10,000.
manage-offer-err-available-from = Enter the first day as a date, such as 2027-03-01.
manage-offer-err-available-until = Enter a last day on or after the first day, at most three years later.
manage-offer-err-max-stay = Enter a longest stay from 1 to 90 open days.
manage-offer-err-weekdays = Choose at least one day of the week.
manage-offer-err-languages = Enter at least one language as a two-letter code, such as en.
manage-offer-err-sectors = Enter sectors of letters, digits, spaces and dashes, separated by commas.
manage-offer-err-start-date = Enter the first closed day as a date, such as 2027-03-01.
manage-offer-err-end-date = Enter the last closed day as a date, such as 2027-03-05.
manage-offer-err-reason = Enter a reason of at most 500 characters.
manage-offer-err-capacity-booked = Approved landings already hold more places than that on { $day }. Enter at least as many places as they hold.
manage-offer-err-closes-booked = Approved landings hold places on { $day }, which this change would close. Keep that day open.
manage-offer-err-blackout-booked = Approved landings hold places on { $day }, so that day cannot be closed. Choose days without bookings.
manage-offer-err-archived = An archived offer no longer changes.
manage-offer-err-transition = The offer's state changed meanwhile, so this is no longer possible. The page shows what you can do now.

flash-manage-offer-created = The offer is created as a draft.
flash-manage-offer-saved = The offer is saved.
flash-manage-offer-published = The offer is published.
flash-manage-offer-paused = The offer is paused.
flash-manage-offer-archived = The offer is archived.
flash-manage-blackout-added = The days are closed.
flash-manage-blackout-removed = The closed period is removed: its days are open again.
