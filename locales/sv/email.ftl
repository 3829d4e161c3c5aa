# softlanding's emails (sv). Keys match across languages.

## Shared by every email

email-hello = Hej,
email-hello-name = Hej { $name },
email-signature = — softlanding
email-footer = softlanding — Business Roaming Agreement mellan europeiska IKT-kluster.
email-before-link = { $text }:
email-link-once = Länken fungerar en gång och slutar gälla om { $unit ->
        [days] { $count ->
            [one] en dag
           *[other] { $count } dagar
        }
       *[hours] { $count ->
            [one] en timme
           *[other] { $count } timmar
        }
    }.

## Account links

email-invitation-subject = Du är inbjuden till { $organisation } på softlanding
email-invitation-title = Inbjudan till { $organisation }
email-invitation-intro = Du har bjudits in till softlanding som { $role ->
        [admin] samordnare
        [cluster_manager] klusteransvarig
       *[sme_member] medlem
    } i { $organisation }.
email-invitation-action = Välj ditt lösenord för att aktivera ditt konto

email-confirmation-subject = Bekräfta din e-postadress för softlanding
email-confirmation-title = Bekräfta din e-postadress
email-confirmation-intro = Ditt företag har registrerat sig på softlanding med den här adressen.
email-confirmation-action = Bekräfta att den är din, så att du kan logga in
email-confirmation-ignore = Om det inte var du som registrerade dig kan du bortse från det här mejlet: ingen kan logga in med adressen förrän den är bekräftad.

email-reset-subject = Återställ ditt lösenord för softlanding
email-reset-title = Återställ ditt lösenord
email-reset-intro = Någon har bett om att få återställa lösenordet till ditt konto på softlanding.
email-reset-action = Om det var du, välj ett nytt lösenord
email-reset-ignore = Om det inte var du kan du bortse från det här mejlet: ditt lösenord förblir oförändrat.

## Partnerships

email-partnership-subject = { $action ->
        [proposed] Partnerskap föreslaget
        [accepted] Partnerskap godkänt
        [declined] Partnerskap avböjt
        [suspended] Partnerskap pausat
        [resumed] Partnerskap återupptaget
       *[terminated] Partnerskap avslutat
    }: { $proposer } och { $partner }
email-partnership-changed = Business Roaming Agreement mellan { $proposer } och { $partner } har { $action ->
        [proposed] föreslagits
        [accepted] godkänts
        [declined] avböjts
        [suspended] pausats
        [resumed] återupptagits
       *[terminated] avslutats
    } av { $actor }.
email-partnership-state = Aktuell status: { $state ->
        [proposed] föreslaget
        [active] aktivt
        [declined] avböjt
        [suspended] pausat
       *[terminated] avslutat
    }.
email-partnership-terms = Villkor:
email-partnership-free-days = kostnadsfria arbetsdagar per soft landing: { $count }
email-partnership-services = tjänster:
email-partnership-endorsement = tillstyrkan från hemmaklustret krävs: { $required ->
        [yes] ja
       *[no] nej
    }
email-partnership-notes = anteckningar: { $notes }
email-partnership-note = Meddelande från { $actor }: { $note }
email-partnership-action = Visa partnerskapet

email-offer-kind = { $kind ->
        [desk_space] arbetsplats
        [introductions] introduktioner
        [market_briefing] marknadsgenomgång
        [event_access] tillträde till evenemang
        [meeting_room] mötesrum
       *[mentoring] mentorskap
    }

## SMEs

email-sme-signed-up-subject = { $sme } vill gå med i { $cluster } och väntar på verifiering
email-sme-signed-up-title = { $sme } vill gå med i { $cluster }
email-sme-signed-up-intro = { $sme } har registrerat sig på softlanding som medlem i { $cluster }.
email-sme-country = Land: { $country }
email-sme-sector = Bransch: { $sector }
email-sme-website = Webbplats: { $website }
email-sme-employees = Anställda: { $count }
email-sme-contact = Kontaktperson: { $name } <{ $email }>
email-sme-signed-up-check = Kontrollera att företaget är medlem i ert kluster.
email-sme-signed-up-action = Verifiera eller avslå { $sme }
email-sme-signed-up-until = Tills ni har verifierat företaget kan dess medlemmar inte ansöka om soft landings.

email-sme-verified-subject = { $sme } är nu verifierad medlem i { $cluster }
email-sme-verified-intro = { $cluster } har verifierat { $sme } som medlem.
email-sme-verified-action = Ditt team kan nu ansöka om soft landings hos partnerklustren till { $cluster }

email-sme-declined-subject = { $cluster } har avslagit medlemskapet för { $sme }
email-sme-declined-intro = { $cluster } har avböjt att verifiera { $sme } som medlem, så ditt team kan inte ansöka om soft landings genom klustret.
email-sme-declined-reason = Angiven anledning:
email-sme-declined-mistake = Om du tror att det är ett misstag, kontakta { $cluster }.
email-sme-declined-action = Ditt konto finns kvar

## Landings

email-landing-submitted = { $sme } ansöker om en soft landing hos { $host }
email-landing-endorsed = { $home } har tillstyrkt soft landing för { $sme } hos { $host }
email-landing-approved = { $host } har godkänt soft landing för { $sme }
email-landing-declined = { $home } har avböjt att tillstyrka soft landing för { $sme } hos { $host }
email-landing-rejected = { $host } har avslagit soft landing för { $sme }
email-landing-withdrawn = { $sme } har dragit tillbaka sin ansökan om soft landing hos { $host }
email-landing-cancelled-by-sme = { $sme } har ställt in sin soft landing hos { $host }
email-landing-cancelled-by-host = { $host } har ställt in soft landing för { $sme }
email-landing-expired = Ansökan om soft landing för { $sme } hos { $host } har löpt ut utan beslut
email-landing-reminder = Påminnelse: { $sme } kommer till { $host } den { $start }

email-landing-receipt-subject = Vi har tagit emot din ansökan: soft landing hos { $host }, { $start }
email-landing-receipt = Vi har tagit emot ansökan om soft landing för { $sme } hos { $host }. { $first ->
        [home] Först ska { $home } tillstyrka den, sedan beslutar { $host }.
       *[host] { $host } fattar beslut om den.
    } Vi mejlar dig när det har skett.

email-landing-offer = Erbjudande: { $title }, { $location }
email-landing-dates = Datum: { $start } till { $end } ({ $days ->
        [one] { $days } öppen dag
       *[other] { $days } öppna dagar
    }; dagar enligt tidszonen { $timezone })
email-landing-visitors = Besökare: { $count }
email-landing-home = Hemmakluster: { $home }
email-landing-now = Status: { $state ->
        [pending_endorsement] väntar på hemmaklustrets tillstyrkan
        [pending_approval] väntar på värdens godkännande
        [approved] godkänd
        [rejected] avslagen
        [declined] ej tillstyrkt
        [withdrawn] tillbakadragen
        [cancelled] inställd
        [completed] genomförd
        [no_show] uteblev
       *[expired] utgången
    }

email-landing-purpose = Syfte: { $text }
email-landing-note = Anteckning: { $text }
email-landing-host-message = Meddelande från värden: { $text }
email-landing-reason = Anledning: { $text }
email-landing-expired-reason = inget beslut fattades före startdatumet { $start }

email-landing-calendar = Med den bifogade filen landing.ics lägger du in datumen i din kalender.
email-landing-action = Visa i portalen

email-landing-reminder-host = { $sme } kommer till { $host } för sin soft landing den { $start }.
email-landing-reminder-sme = Din soft landing hos { $host } börjar den { $start }.

## En webhook som tjänsten har stängt av
email-webhook-disabled-subject = En webhook för { $cluster } har stängts av
email-webhook-disabled-gone = Partnerportalen på { $url } svarade ”410 Gone”, vilket betyder att adressen inte längre tar emot leveranser, så softlanding har stängt av dess webhook.
email-webhook-disabled-failing = Alla leveranser till { $url } har misslyckats i fem dagar, så softlanding har stängt av dess webhook.
email-webhook-disabled-missed = Tills den slås på igen levereras inga händelser till den. Leveransloggen visar varje försök och svaret det fick.
email-webhook-disabled-action = Se leveransloggen och slå på webhooken igen
