# softlanding's emails (de). Keys match across languages.

## Shared by every email

email-hello = Guten Tag,
email-hello-name = Guten Tag { $name },
email-signature = — softlanding
email-footer = softlanding — das Business Roaming Agreement zwischen europäischen IKT-Clustern.
email-before-link = { $text }:
email-link-once = Der Link funktioniert einmal und läuft in { $unit ->
        [days] { $count ->
            [one] einem Tag
           *[other] { $count } Tagen
        }
       *[hours] { $count ->
            [one] einer Stunde
           *[other] { $count } Stunden
        }
    } ab.

## Account links

email-invitation-subject = Ihre Einladung zu { $organisation } auf softlanding
email-invitation-title = Einladung zu { $organisation }
email-invitation-intro = Sie wurden als { $role ->
        [admin] Koordinator:in
        [cluster_manager] Cluster-Manager:in
       *[sme_member] Mitglied
    } von { $organisation } zu softlanding eingeladen.
email-invitation-action = Wählen Sie Ihr Passwort, um Ihr Konto zu aktivieren

email-confirmation-subject = Bestätigen Sie Ihre E-Mail-Adresse für softlanding
email-confirmation-title = Bestätigen Sie Ihre E-Mail-Adresse
email-confirmation-intro = Ihr Unternehmen hat sich mit dieser Adresse bei softlanding registriert.
email-confirmation-action = Bestätigen Sie, dass es Ihre Adresse ist, damit Sie sich anmelden können
email-confirmation-ignore = Falls Sie sich nicht registriert haben, ignorieren Sie diese E-Mail: Niemand kann sich mit dieser Adresse anmelden, solange sie nicht bestätigt ist.

email-reset-subject = Setzen Sie Ihr softlanding-Passwort zurück
email-reset-title = Passwort zurücksetzen
email-reset-intro = Jemand hat angefragt, das Passwort Ihres softlanding-Kontos zurückzusetzen.
email-reset-action = Wenn Sie das waren, wählen Sie ein neues Passwort
email-reset-ignore = Falls Sie das nicht angefragt haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.

## Partnerships

email-partnership-subject = { $action ->
        [proposed] Partnerschaft vorgeschlagen
        [accepted] Partnerschaft angenommen
        [declined] Partnerschaft abgelehnt
        [suspended] Partnerschaft ausgesetzt
        [resumed] Partnerschaft wieder aufgenommen
       *[terminated] Partnerschaft beendet
    }: { $proposer } und { $partner }
email-partnership-changed = Das Business Roaming Agreement zwischen { $proposer } und { $partner } wurde von { $actor } { $action ->
        [proposed] vorgeschlagen
        [accepted] angenommen
        [declined] abgelehnt
        [suspended] ausgesetzt
        [resumed] wieder aufgenommen
       *[terminated] beendet
    }.
email-partnership-state = Aktueller Status: { $state ->
        [proposed] vorgeschlagen
        [active] aktiv
        [declined] abgelehnt
        [suspended] ausgesetzt
       *[terminated] beendet
    }.
email-partnership-terms = Bedingungen:
email-partnership-free-days = kostenlose Arbeitstage pro Soft Landing: { $count }
email-partnership-services = Leistungen:
email-partnership-endorsement = Befürwortung durch den Heimatcluster erforderlich: { $required ->
        [yes] ja
       *[no] nein
    }
email-partnership-notes = Anmerkungen: { $notes }
email-partnership-note = Anmerkung von { $actor }: { $note }
email-partnership-action = Zur Partnerschaft

email-offer-kind = { $kind ->
        [desk_space] Arbeitsplatz
        [introductions] Kontaktvermittlung
        [market_briefing] Marktbriefing
        [event_access] Zugang zu Veranstaltungen
        [meeting_room] Besprechungsraum
       *[mentoring] Mentoring
    }

## SMEs

email-sme-signed-up-subject = { $sme } möchte Mitglied von { $cluster } werden und wartet auf Bestätigung
email-sme-signed-up-title = { $sme } möchte Mitglied von { $cluster } werden
email-sme-signed-up-intro = { $sme } hat sich bei softlanding als Mitglied von { $cluster } registriert.
email-sme-country = Land: { $country }
email-sme-sector = Branche: { $sector }
email-sme-website = Website: { $website }
email-sme-employees = Beschäftigte: { $count }
email-sme-contact = Kontakt: { $name } <{ $email }>
email-sme-signed-up-check = Bitte prüfen Sie, ob das Unternehmen Mitglied Ihres Clusters ist.
email-sme-signed-up-action = { $sme } bestätigen oder ablehnen
email-sme-signed-up-until = Solange Sie es nicht bestätigt haben, können seine Mitglieder keine Soft Landings anfragen.

email-sme-verified-subject = { $sme } ist jetzt bestätigtes Mitglied von { $cluster }
email-sme-verified-intro = { $cluster } hat { $sme } als Mitglied bestätigt.
email-sme-verified-action = Ihr Team kann jetzt Soft Landings bei den Partnerclustern von { $cluster } anfragen

email-sme-declined-subject = { $cluster } hat die Mitgliedschaft von { $sme } abgelehnt
email-sme-declined-intro = { $cluster } hat abgelehnt, { $sme } als Mitglied zu bestätigen. Ihr Team kann daher über diesen Cluster keine Soft Landings anfragen.
email-sme-declined-reason = Die angegebene Begründung:
email-sme-declined-mistake = Wenn Sie das für einen Irrtum halten, wenden Sie sich bitte an { $cluster }.
email-sme-declined-action = Ihr Konto bleibt bestehen

## Landings

email-landing-submitted = { $sme } fragt ein Soft Landing bei { $host } an
email-landing-endorsed = { $home } hat das Soft Landing von { $sme } bei { $host } befürwortet
email-landing-approved = { $host } hat das Soft Landing von { $sme } genehmigt
email-landing-declined = { $home } hat die Befürwortung des Soft Landings von { $sme } bei { $host } abgelehnt
email-landing-rejected = { $host } hat das Soft Landing von { $sme } abgelehnt
email-landing-withdrawn = { $sme } hat die Soft-Landing-Anfrage bei { $host } zurückgezogen
email-landing-cancelled-by-sme = { $sme } hat das Soft Landing bei { $host } abgesagt
email-landing-cancelled-by-host = { $host } hat das Soft Landing von { $sme } abgesagt
email-landing-expired = Die Soft-Landing-Anfrage von { $sme } bei { $host } ist ohne Entscheidung abgelaufen
email-landing-reminder = Erinnerung: { $sme } kommt am { $start } zu { $host }

email-landing-receipt-subject = Ihre Anfrage ist eingegangen: Soft Landing bei { $host }, { $start }
email-landing-receipt = Die Soft-Landing-Anfrage von { $sme } bei { $host } ist bei uns eingegangen. { $first ->
        [home] Zuerst befürwortet { $home } sie, danach entscheidet { $host }.
       *[host] { $host } entscheidet darüber.
    } Wir benachrichtigen Sie per E-Mail, sobald es so weit ist.

email-landing-offer = Angebot: { $title }, { $location }
email-landing-dates = Zeitraum: { $start } bis { $end } ({ $days ->
        [one] { $days } Öffnungstag
       *[other] { $days } Öffnungstage
    }; Tage nach der Zeitzone { $timezone })
email-landing-visitors = Besucher:innen: { $count }
email-landing-home = Heimatcluster: { $home }
email-landing-now = Stand: { $state ->
        [pending_endorsement] wartet auf die Befürwortung des Heimatclusters
        [pending_approval] wartet auf die Genehmigung des Gastgebers
        [approved] genehmigt
        [rejected] abgelehnt
        [declined] nicht befürwortet
        [withdrawn] zurückgezogen
        [cancelled] abgesagt
        [completed] abgeschlossen
        [no_show] nicht erschienen
       *[expired] abgelaufen
    }

email-landing-purpose = Zweck: { $text }
email-landing-note = Anmerkung: { $text }
email-landing-host-message = Nachricht des Gastgebers: { $text }
email-landing-reason = Grund: { $text }
email-landing-expired-reason = bis zum Beginn am { $start } wurde nicht entschieden

email-landing-calendar = Mit der angehängten Datei landing.ics übernehmen Sie die Termine in Ihren Kalender.
email-landing-action = Zum Soft Landing

email-landing-reminder-host = { $sme } kommt am { $start } zum Soft Landing zu { $host }.
email-landing-reminder-sme = Ihr Soft Landing bei { $host } beginnt am { $start }.

## Ein Webhook, den der Dienst abgeschaltet hat
email-webhook-disabled-subject = Ein Webhook von { $cluster } wurde abgeschaltet
email-webhook-disabled-gone = Das Partnerportal unter { $url } hat mit „410 Gone“ geantwortet, die Adresse nimmt also keine Zustellungen mehr an. softlanding hat den Webhook deshalb abgeschaltet.
email-webhook-disabled-failing = Seit fünf Tagen ist jede Zustellung an { $url } fehlgeschlagen. softlanding hat den Webhook deshalb abgeschaltet.
email-webhook-disabled-missed = Bis er wieder eingeschaltet ist, werden seine Ereignisse nicht zugestellt. Das Zustellprotokoll zeigt jeden Versuch und die erhaltene Antwort.
email-webhook-disabled-action = Zustellprotokoll ansehen und den Webhook wieder einschalten
