# softlanding-portalen — svenska. Varje språkfil har exakt dessa meddelande-id:n.

days-count = { $count ->
    [one] { $count } dag
   *[other] { $count } dagar
}

## Layout
skip-to-content = Hoppa till innehållet
nav-label = Huvudmeny
nav-offers = Erbjudanden
nav-clusters = Kluster
nav-landings = Landningar
nav-sme = Mitt företag
nav-account = Konto
nav-sign-in = Logga in
nav-sign-up = Registrera dig
nav-sign-out = Logga ut
footer-about = softlanding driver Business Roaming Agreement mellan europeiska IKT-kluster: kostnadsfri soft landing utomlands för små och medelstora företag i partnerklustren.
language-label = Språk
language-submit = Byt
choose = Välj…
save = Spara
form-has-errors = Något behöver rättas till

## Meddelanden
flash-signed-out = Du är utloggad.
flash-signed-out-everywhere = Du är utloggad på alla enheter.
flash-password-set = Ditt lösenord är sparat. Logga in med det.
flash-password-changed = Ditt lösenord är ändrat. Dina andra sessioner har avslutats.
flash-account-saved = Ditt konto är sparat.
flash-profile-saved = Profilen är sparad.
flash-colleague-invited = Inbjudan är skickad. Din kollega får ett mejl för att välja ett lösenord.
flash-landing-requested = Din förfrågan är skickad. Vi mejlar dig när den är avgjord.
flash-landing-withdrawn = Förfrågan är återkallad.
flash-landing-cancelled = Landningen är avbokad.
flash-feedback-thanks = Tack för din feedback.

## Fel i fält
err-required = Fyll i den här uppgiften.
err-number = Ange ett heltal.
err-email = Ange en e-postadress, till exempel namn@example.org.
err-email-taken = Det finns redan ett konto med den här e-postadressen. Logga in i stället.
err-search = Sökningen gick inte att tolka. Kontrollera filtren.
err-sign-in-missing = Ange din e-postadress och ditt lösenord.
err-sign-in-wrong = E-postadressen eller lösenordet är fel.
err-confirm-first = Bekräfta din e-postadress först: följ länken i mejlet som vi skickade till dig.
err-password-short = Lösenordet måste ha minst 12 tecken.
err-password-mismatch = Lösenorden stämmer inte överens.
err-current-password = Det nuvarande lösenordet är fel.
err-link-invalid = Länken är ogiltig, redan använd eller har gått ut. Begär en ny.
err-locale = Välj ett av de språk som finns.
err-headcount = Ange ett antal besökare från 1 upp till erbjudandets kapacitet.
err-purpose-length = Beskriv syftet med 20 till 2000 tecken (nu { $count }).
err-end-before-start = Den sista dagen kan inte ligga före den första.
err-start-in-past = Den första dagen har redan passerat: i dag är det { $today } i värdens tidszon ({ $timezone }).
err-before-window = Erbjudandet öppnar { $date }. Välj en senare första dag.
err-after-window = Erbjudandet slutar { $date }. Välj en tidigare sista dag.
err-blackout = Dagarna överlappar en period då erbjudandet är stängt, från { $start } till { $end } ({ $reason }).
err-no-open-day = Erbjudandet är inte öppet någon av de här dagarna.
err-too-many-days = Perioden omfattar { $days } öppna dagar, men du kan begära högst { $max } (erbjudandet tillåter { $offer }, partnerskapet { $terms }).
err-over-capacity = Erbjudandet tar emot högst { $capacity } besökare per dag.
err-service-not-covered = Partnerskapet omfattar bara de här tjänsterna: { $covered }.
err-offer-not-published = Erbjudandet tar inte emot förfrågningar just nu.
err-no-partnership = Ditt hemkluster har inget aktivt partnerskap med den här värden.
err-kind-not-covered = Partnerskapet mellan ditt hemkluster och den här värden omfattar inte den här typen av erbjudande.
err-sme-not-verified = Ditt hemkluster har inte verifierat ditt företag än.
err-request-refused = Den här förfrågan går inte att skicka.
err-action-not-possible = Det här går inte längre: landningen har ändrats. Så här ser den ut nu.

## Felsidor
error-home = Till startsidan
error-400-title = Begäran gick inte att tolka
error-400-text = Något i adressen eller formuläret stämde inte. Gå tillbaka och försök igen.
error-403-title = Ingen behörighet
error-403-text = Den här sidan eller åtgärden är inte tillgänglig för ditt konto.
error-404-title = Sidan hittades inte
error-404-text = Det finns inget här, eller så är det inte synligt för dig.
error-405-title = Inte möjligt här
error-405-text = Sidan kan inte användas på det sättet.
error-409-title = Något har ändrats
error-409-text = Det du såg har ändrats under tiden. Gå tillbaka och titta igen.
error-413-title = För stort
error-413-text = Det du skickade är för stort.
error-422-title = Det fungerade inte
error-422-text = Vissa uppgifter saknades eller var felaktiga. Gå tillbaka och kontrollera formuläret.
error-429-title = För många försök
error-429-text = Vänta några minuter och försök sedan igen.
error-500-title = Något gick fel hos oss
error-500-text = Vi har noterat felet. Försök igen om en stund.
error-503-title = Hög belastning just nu
error-503-text = Tjänsten är hårt belastad. Försök igen om en stund.

## Startsida
home-title = Soft landing utomlands
home-heading = Landa utomlands med ett partnerkluster
home-lead = IKT-kluster i hela Europa tar kostnadsfritt emot varandras små och medelstora företag: en arbetsplats i några dagar, introduktioner till lokala kontakter, marknadsgenomgångar och evenemang.
home-search-placeholder = arbetsplats, Stockholm, fintech…
home-how-heading = Så fungerar det
home-how-1 = Ditt företag registrerar sig hos sitt hemkluster, som bekräftar att ni är medlemmar.
home-how-2 = Hitta ett erbjudande från ett partnerkluster och skicka en förfrågan om de dagar du behöver.
home-how-3 = Värden godkänner, och du lägger in landningen i din kalender.
home-clusters-heading = Klustren i nätverket

## Sök
offers-title = Erbjudanden
offers-heading = Hitta en soft landing
search-words = Sökord
search-country = Land
search-country-hint = Två bokstäver, till exempel SE
search-city = Stad
search-kind = Typ
search-any = Alla
search-sector = Bransch
search-language = Språk
search-language-hint = Två bokstäver, till exempel sv
search-from = Första dag
search-to = Sista dag
search-headcount = Besökare
search-submit = Sök
results-heading = { $count ->
    [0] Inga erbjudanden
    [one] { $count } erbjudande
   *[other] { $count } erbjudanden
}
results-none = Inget erbjudande matchar. Prova med färre filter.
results-next = Fler erbjudanden

kind-desk_space = Arbetsplats
kind-introductions = Introduktioner
kind-market_briefing = Marknadsgenomgång
kind-event_access = Tillgång till evenemang
kind-meeting_room = Mötesrum
kind-mentoring = Mentorskap

## Erbjudande
offer-host = Värd
offer-address = Adress
offer-languages = Språk
offer-sectors = Branscher
offer-window = Tillgängligt
offer-places = Platser
offer-stay = Längsta vistelse
offer-timezone = Tidszon
offer-capacity = { $count ->
    [one] { $count } besökare per dag
   *[other] { $count } besökare per dag
}
offer-max-stay = { $count ->
    [one] högst { $count } dag
   *[other] högst { $count } dagar
}
offer-request = Begär en landning
offer-request-hint = Du loggar in först. Ditt företag måste vara verifierad medlem i ett partnerkluster.
calendar-heading = Lediga platser i { $month } { $year }
calendar-hint = Varje dag visar antalet lediga platser. Dagarna gäller i värdens tidszon ({ $timezone }).
calendar-caption = Lediga platser per dag
calendar-prev = Tidigare
calendar-next = Senare
calendar-full = fullt
calendar-closed = stängt
calendar-free = { $count ->
    [one] { $count } ledig
   *[other] { $count } lediga
}
month-1 = januari
month-2 = februari
month-3 = mars
month-4 = april
month-5 = maj
month-6 = juni
month-7 = juli
month-8 = augusti
month-9 = september
month-10 = oktober
month-11 = november
month-12 = december
weekday-1 = måndag
weekday-2 = tisdag
weekday-3 = onsdag
weekday-4 = torsdag
weekday-5 = fredag
weekday-6 = lördag
weekday-7 = söndag
weekday-short-1 = Må
weekday-short-2 = Ti
weekday-short-3 = On
weekday-short-4 = To
weekday-short-5 = Fr
weekday-short-6 = Lö
weekday-short-7 = Sö

## Kluster
clusters-title = Kluster
clusters-heading = Klustren i nätverket
clusters-none = Inga kluster än.
cluster-offers = Erbjudanden
cluster-no-offers = Klustret har inga publicerade erbjudanden just nu.

## Konton
sign-in-title = Logga in
sign-in-heading = Logga in
sign-in-expired = Din session har gått ut. Logga in igen.
sign-in-submit = Logga in
sign-in-forgot = Glömt lösenordet?
sign-in-no-account = Ny här?
sign-up-title = Registrera dig
sign-up-heading = Registrera ditt företag
sign-up-lead = Ditt hemkluster bekräftar ert medlemskap; sedan kan du begära soft landing hos dess partnerkluster.
sign-up-company = Ditt företag
sign-up-you = Du
sign-up-submit = Registrera
sign-up-done-title = Kolla din e-post
sign-up-done-heading = Kolla din e-post
sign-up-done-text = Vi har skickat en länk för att bekräfta din e-postadress. Följ den och logga sedan in.
sign-up-done-next = Ditt hemkluster har fått besked och kommer att verifiera ditt företag.
confirm-title = Bekräfta din e-postadress
confirm-heading = Bekräfta din e-postadress
confirm-text = Tryck på knappen för att bekräfta att adressen är din.
confirm-submit = Bekräfta min adress
confirm-done = Din e-postadress är bekräftad. Nu kan du logga in.
confirm-failed = Länken är ogiltig, redan använd eller har gått ut.
forgot-title = Glömt lösenordet
forgot-heading = Glömt lösenordet?
forgot-text = Ange e-postadressen till ditt konto. Vi skickar en länk där du kan välja ett nytt lösenord.
forgot-submit = Skicka länken
forgot-sent = Om ett konto använder den här adressen är en länk för att välja ett nytt lösenord på väg. Den gäller i en timme.
set-password-title = Välj lösenord
set-password-heading = Välj ditt lösenord
set-password-submit = Spara lösenordet
field-email = E-postadress
field-password = Lösenord
field-password-hint = Minst 12 tecken.
field-new-password = Nytt lösenord
field-confirm-password = Upprepa det nya lösenordet
field-current-password = Nuvarande lösenord
field-company-name = Företagets namn
field-country = Land
field-sector = Bransch
field-sector-hint = Ett ord, till exempel mjukvara eller fintech.
field-website = Webbplats
field-employees = Anställda
field-home-cluster = Hemkluster
field-home-cluster-hint = Klustret som ditt företag är medlem i.
field-your-name = Ditt namn
field-colleague-name = Namn
field-invite-locale = Personens språk
field-invite-locale-hint = Inbjudan skrivs på det språket, och portalen talar det med personen; det går att ändra senare.
field-locale = Språk
field-locale-hint = Språket i portalen och i de mejl du får.

## Förfrågningar om landning
request-title = Begär en landning
request-heading = Begär en soft landing
request-lead = Gäller { $offer } hos { $host }.
request-days-hint = Dagarna gäller i värdens tidszon ({ $timezone }); där är det i dag { $today }.
request-submit = Skicka förfrågan
field-start-date = Första dag
field-end-date = Sista dag
field-headcount = Besökare
field-headcount-hint = Hur många ni blir, högst { $capacity }.
field-purpose = Syfte
field-purpose-hint = Vad du vill uppnå, med 20 till 2000 tecken.
field-target-market = Målmarknad
field-target-market-hint = Valfritt, till exempel nordisk fintech.
field-services = Tjänster du vill använda
field-cancel-reason = Orsak till avbokningen
field-rating = Betyg
field-comment = Kommentar

landings-title = Landningar
landings-heading = Dina landningar
landings-filter-state = Status
landings-filter-side = Vilka
landings-side-both = Värdskap och utsända
landings-side-hosted = Hos oss
landings-side-sent = Från våra företag
landings-col-side = Sida
landings-filter-submit = Visa
landings-col-dates = Dagar
landings-col-state = Status
landings-col-visitors = Besökare
landings-col-requested = Skickad
landings-none = Inga landningar än.
landings-none-older = Inga äldre landningar.
landings-find = Hitta ett erbjudande
landings-pages-label = Sidor med landningar
landings-page-newest = Senaste
landings-page-older = Äldre landningar

landing-title = Landning: { $offer }
landing-facts = Uppgifter
landing-dates = Dagar
landing-visitors = Besökare
landing-sme = Företag
landing-home = Hemkluster
landing-endorsement-note = Anteckning från hemklustret
landing-message = Meddelande från värden
landing-reason = Orsak
landing-outcome = Resultat
landing-rating = Ditt betyg
landing-rating-value = { $rating } av 5
landing-ics = Lägg till i kalendern (.ics)
landing-actions = Det här kan du göra
landing-withdraw-text = Du kan dra tillbaka förfrågan så länge den väntar på beslut.
landing-withdraw = Dra tillbaka förfrågan
landing-cancel = Avboka landningen
landing-feedback-submit = Skicka feedback
landing-timeline = Händelser

state-pending_endorsement = Väntar på hemklustret
state-pending_approval = Väntar på värden
state-approved = Godkänd
state-rejected = Avslagen
state-declined = Avböjd av hemklustret
state-withdrawn = Återkallad
state-cancelled = Avbokad
state-completed = Genomförd
state-no_show = Uteblev
state-expired = Utgången

action-submit = Förfrågan skickad
action-endorse = Tillstyrkt
action-decline = Avböjd
action-approve = Godkänd
action-reject = Avslagen
action-withdraw = Återkallad
action-cancel = Avbokad
action-complete = Genomförd
action-no-show = Markerad som utebliven
action-expire = Utgången
action-feedback = Feedback lämnad

actor-sme_member = av företaget
actor-cluster_manager = av en klusteransvarig
actor-admin = av samordnaren
actor-user = av en person
actor-api_client = av en partnerportal
actor-system = automatiskt

## Företaget
sme-home = Hemkluster: { $home }
membership-pending = Väntar på verifiering
membership-verified = Verifierad medlem
membership-declined = Avböjd
sme-pending = Ditt hemkluster har inte verifierat ditt företag än. Du kan redan titta runt; förfrågningar blir möjliga när verifieringen är klar.
sme-profile = Profil
sme-conflict = Någon annan ändrade profilen medan du redigerade den. Så här ser den ut nu; gör din ändring igen.
field-target-markets = Målmarknader
field-target-markets-hint = Landskoder åtskilda med kommatecken, till exempel SE, FI.
field-languages = Språk
field-languages-hint = Språkkoder åtskilda med kommatecken, till exempel en, sv.
sme-colleagues = Kollegor
sme-invited = inbjuden
sme-invite = Bjud in en kollega
sme-invite-after-verification = Du kan bjuda in kollegor när ditt hemkluster har verifierat ditt företag.
sme-invite-submit = Skicka inbjudan

## Konto
account-title = Konto
account-heading = Ditt konto
account-settings = Namn och språk
account-password = Lösenord
account-password-submit = Byt lösenord
account-sessions = Sessioner
account-sessions-text = Logga ut på alla datorer och telefoner där du är inloggad.
account-sign-out-everywhere = Logga ut överallt
role-admin = Samordnare
role-cluster_manager = Klusteransvarig
role-sme_member = Företagsanvändare

## Väntar på dig (ett klusters ansvariga)
nav-manage = Väntar på dig
nav-waiting-count = ({ $count })
manage-title = Väntar på dig
manage-heading = Väntar på dig
manage-sections = Det som väntar
manage-section-approvals = Förfrågningar att godkänna ({ $count })
manage-section-endorsements = Förfrågningar att tillstyrka ({ $count })
manage-section-sign-ups = Företag att verifiera ({ $count })
manage-section-proposals = Förslag om partnerskap ({ $count })
manage-section-empty = Inget här.
manage-page-range = { $from }–{ $to } av { $count }
manage-page-previous = Föregående
manage-page-next = Nästa
manage-pages-label = Sidor: { $list }
manage-none = Inget väntar på dig. Nya förfrågningar, registreringar och förslag visas här.
manage-request-title = { $sme } ber om plats för { $count ->
    [one] en besökare
   *[other] { $count } besökare
} på ”{ $offer }”
manage-request-dates = { $from } till { $to }, { $days ->
    [one] en öppen dag
   *[other] { $days } öppna dagar
}
manage-free-places = Lediga platser per dag
manage-day-free = { $day }: { $count } lediga
manage-day-short = { $day }: bara { $count } lediga, för få
manage-sme-details = { $country }, { $sector }. Registrerat av { $contact } ({ $email }).
manage-proposal-title = { $cluster } föreslår ett partnerskap
manage-proposal-terms = Upp till { $days } fria dagar per besök; omfattar { $services }.
manage-approve = Godkänn
manage-reject = Avslå
manage-endorse = Tillstyrk
manage-decline = Avböj
manage-verify = Verifiera
manage-accept = Acceptera
manage-reason = Anledning (den andra parten läser den)
flash-manage-approved = Godkänt. Företaget har fått besked.
flash-manage-rejected = Avslaget. Företaget har fått veta varför.
flash-manage-endorsed = Tillstyrkt. Värden beslutar nu.
flash-manage-declined = Avböjt. Företaget har fått veta varför.
flash-manage-verified = Verifierat. Dess medlemmar kan nu ansöka om besök.
flash-manage-sme-declined = Avböjt. Kontaktpersonen har fått besked.
flash-manage-accepted = Accepterat. Partnerskapet är aktivt.
flash-manage-partnership-declined = Avböjt. Det föreslående klustret har fått besked.
err-manage-reason = Ange en anledning: den andra parten läser den.
err-manage-full = Det finns för få lediga platser den { $day } för dessa besökare, så förfrågan kan inte godkännas.
err-manage-changed = Någon har redan beslutat om detta; det väntar inte längre.
err-manage-not-yours = Det här beslutet tillhör ett annat kluster.

## Ett klusters företag och partnerskap (ansvariga)
manage-smes-title = Våra företag
manage-smes-heading = Våra medlemsföretag
manage-smes-filter = Medlemskap
manage-smes-none = Inga företag ännu.
manage-partnerships-title = Partnerskap
manage-partnerships-heading = Våra partnerskap
manage-partnerships-none = Inga partnerskap ännu. Föreslå ett nedan.
manage-partnerships-col-partner = Partner
manage-partnerships-col-terms = Villkor
manage-partnerships-col-since = Sedan
manage-propose-heading = Föreslå ett partnerskap
manage-propose-partner = Partnerkluster
manage-propose-choose = Välj ett kluster
manage-propose-days = Fria dagar per besök
manage-propose-days-hint = Arbetsdagar, 1 till 90.
manage-propose-services = Vad avtalet omfattar
manage-propose-endorsement = Besökarens hemkluster tillstyrker varje förfrågan innan vi beslutar
manage-propose-notes = Anteckningar om villkoren (valfritt)
manage-propose-submit = Föreslå
manage-partnership-title = Partnerskap med { $cluster }
manage-partnership-proposed-by-us = Vi föreslog det den { $date }.
manage-partnership-proposed-by-them = { $cluster } föreslog det den { $date }.
manage-partnership-terms = Villkor
manage-partnership-days = Upp till { $days } fria dagar per besök
manage-partnership-services = Omfattar:
manage-partnership-endorsed = hemklustret tillstyrker varje förfrågan
manage-partnership-not-endorsed = Ingen tillstyrkan från hemklustret behövs.
manage-partnership-note = Anteckning (valfri; det andra klustret läser den)
manage-partnership-accept = Acceptera
manage-partnership-decline = Avböj
manage-partnership-suspend = Pausa
manage-partnership-resume = Återuppta
manage-partnership-terminate = Avsluta
manage-partnership-trail = Historik
partnership-state-proposed = Föreslaget
partnership-state-active = Aktivt
partnership-state-declined = Avböjt
partnership-state-suspended = Pausat
partnership-state-terminated = Avslutat
flash-manage-proposed = Föreslaget. Det andra klustrets ansvariga har fått besked.
flash-manage-suspended = Pausat. Inga nya förfrågningar kan göras förrän det återupptas.
flash-manage-resumed = Återupptaget. Partnerskapet är aktivt igen.
flash-manage-terminated = Avslutat.
err-partnership-exists = Ni har redan ett föreslaget, aktivt eller pausat partnerskap med det här klustret.
manage-nav-label = Hantera klustret
