# softlanding-Portal — Deutsch. Jede Sprachdatei hat genau diese Nachrichten-IDs.

days-count = { $count ->
    [one] { $count } Tag
   *[other] { $count } Tage
}

## Layout
skip-to-content = Zum Inhalt springen
nav-label = Hauptmenü
nav-offers = Angebote
nav-clusters = Cluster
nav-landings = Soft Landings
nav-sme = Mein Unternehmen
nav-account = Konto
nav-sign-in = Anmelden
nav-sign-up = Registrieren
nav-sign-out = Abmelden
footer-about = softlanding betreibt das Business Roaming Agreement zwischen europäischen IKT-Clustern: kostenlose Soft Landings im Ausland für die KMU der Partnercluster.
language-label = Sprache
language-submit = Ändern
choose = Bitte wählen…
save = Speichern
form-has-errors = Bitte prüfen Sie Ihre Angaben

## Hinweismeldungen
flash-signed-out = Sie sind abgemeldet.
flash-signed-out-everywhere = Sie sind auf allen Geräten abgemeldet.
flash-password-set = Ihr Passwort ist festgelegt. Melden Sie sich damit an.
flash-password-changed = Ihr Passwort wurde geändert. Ihre anderen Sitzungen wurden beendet.
flash-account-saved = Ihr Konto wurde gespeichert.
flash-profile-saved = Das Profil wurde gespeichert.
flash-colleague-invited = Einladung gesendet. Die eingeladene Person erhält eine E-Mail, um ein Passwort festzulegen.
flash-landing-requested = Ihre Anfrage wurde gesendet. Wir benachrichtigen Sie per E-Mail, sobald darüber entschieden ist.
flash-landing-withdrawn = Die Anfrage wurde zurückgezogen.
flash-landing-cancelled = Das Soft Landing wurde abgesagt.
flash-feedback-thanks = Vielen Dank für Ihr Feedback.

## Fehler an Feldern
err-required = Bitte füllen Sie dieses Feld aus.
err-number = Geben Sie eine ganze Zahl ein.
err-email = Geben Sie eine E-Mail-Adresse ein, z. B. name@example.org.
err-email-taken = Es gibt bereits ein Konto mit dieser E-Mail-Adresse. Melden Sie sich stattdessen an.
err-search = Die Suche konnte nicht verarbeitet werden. Prüfen Sie die Filter.
err-sign-in-missing = Geben Sie Ihre E-Mail-Adresse und Ihr Passwort ein.
err-sign-in-wrong = E-Mail-Adresse oder Passwort ist falsch.
err-confirm-first = Bestätigen Sie zuerst Ihre E-Mail-Adresse: Folgen Sie dem Link in der E-Mail, die wir Ihnen geschickt haben.
err-password-short = Das Passwort muss mindestens 12 Zeichen lang sein.
err-password-mismatch = Die beiden Passwörter stimmen nicht überein.
err-current-password = Das aktuelle Passwort ist falsch.
err-link-invalid = Dieser Link ist ungültig, wurde bereits verwendet oder ist abgelaufen. Fordern Sie einen neuen an.
err-locale = Wählen Sie eine der angebotenen Sprachen.
err-headcount = Geben Sie eine Personenzahl von 1 bis zur Kapazität des Angebots ein.
err-purpose-length = Beschreiben Sie den Zweck in 20 bis 2000 Zeichen (derzeit { $count }).
err-end-before-start = Der letzte Tag darf nicht vor dem ersten Tag liegen.
err-start-in-past = Der erste Tag liegt in der Vergangenheit: In der Zeitzone des Gastgebers ({ $timezone }) ist heute der { $today }.
err-before-window = Das Angebot beginnt am { $date }. Wählen Sie einen späteren ersten Tag.
err-after-window = Das Angebot endet am { $date }. Wählen Sie einen früheren letzten Tag.
err-blackout = Diese Tage überschneiden sich mit einer Schließzeit des Angebots vom { $start } bis { $end } ({ $reason }).
err-no-open-day = An keinem dieser Tage ist das Angebot geöffnet.
err-too-many-days = Dieser Zeitraum umfasst { $days } Öffnungstage; möglich sind höchstens { $max } (das Angebot erlaubt { $offer }, die Partnerschaft { $terms }).
err-over-capacity = Die Kapazität des Angebots beträgt { $capacity } pro Tag.
err-service-not-covered = Die Partnerschaft umfasst nur diese Leistungen: { $covered }.
err-offer-not-published = Für dieses Angebot sind derzeit keine Anfragen möglich.
err-no-partnership = Ihr Heimatcluster hat keine aktive Partnerschaft mit diesem Gastgeber.
err-kind-not-covered = Die Partnerschaft zwischen Ihrem Heimatcluster und diesem Gastgeber umfasst diese Art von Angebot nicht.
err-sme-not-verified = Ihr Heimatcluster hat Ihr Unternehmen noch nicht verifiziert.
err-request-refused = Diese Anfrage ist nicht möglich.
err-action-not-possible = Das ist nicht mehr möglich: Das Soft Landing hat sich geändert. Hier ist der aktuelle Stand.

## Fehlerseiten
error-home = Zur Startseite
error-400-title = Die Anfrage konnte nicht verarbeitet werden
error-400-text = In der Adresse oder im Formular stimmte etwas nicht. Gehen Sie zurück und versuchen Sie es erneut.
error-403-title = Kein Zugriff
error-403-text = Diese Seite oder Aktion steht Ihrem Konto nicht zur Verfügung.
error-404-title = Seite nicht gefunden
error-404-text = Hier gibt es nichts, oder es ist für Sie nicht sichtbar.
error-405-title = Hier nicht möglich
error-405-text = Diese Seite lässt sich so nicht verwenden.
error-409-title = Etwas hat sich geändert
error-409-text = Was Sie gesehen haben, hat sich inzwischen geändert. Gehen Sie zurück und sehen Sie es sich noch einmal an.
error-413-title = Zu groß
error-413-text = Was Sie gesendet haben, ist zu groß.
error-422-title = Das hat nicht geklappt
error-422-text = Einige Angaben fehlten oder waren falsch. Gehen Sie zurück und prüfen Sie das Formular.
error-429-title = Zu viele Versuche
error-429-text = Warten Sie einige Minuten und versuchen Sie es dann erneut.
error-500-title = Bei uns ist etwas schiefgelaufen
error-500-text = Wir haben den Fehler vermerkt. Versuchen Sie es gleich noch einmal.
error-503-title = Gerade ausgelastet
error-503-text = Der Dienst ist im Moment ausgelastet. Versuchen Sie es gleich noch einmal.

## Startseite
home-title = Soft Landings im Ausland
home-heading = Mit einem Partnercluster im Ausland Fuß fassen
home-lead = IKT-Cluster in ganz Europa nehmen gegenseitig ihre KMU kostenlos auf: ein Arbeitsplatz für ein paar Tage, Kontakte vor Ort, Marktbriefings und Veranstaltungen.
home-search-placeholder = Arbeitsplatz, Stockholm, Fintech…
home-how-heading = So funktioniert es
home-how-1 = Ihr Unternehmen registriert sich bei seinem Heimatcluster, der Ihre Mitgliedschaft bestätigt.
home-how-2 = Sie finden ein Angebot eines Partnerclusters und fragen die Tage an, die Sie brauchen.
home-how-3 = Der Gastgeber sagt zu, und Sie tragen das Soft Landing in Ihren Kalender ein.
home-clusters-heading = Die Cluster des Netzwerks

## Suche
offers-title = Angebote
offers-heading = Soft Landing finden
search-words = Suchbegriffe
search-country = Land
search-country-hint = Zwei Buchstaben, z. B. SE
search-city = Stadt
search-kind = Art
search-any = Alle
search-sector = Branche
search-language = Sprache
search-language-hint = Zwei Buchstaben, z. B. de
search-from = Erster Tag
search-to = Letzter Tag
search-headcount = Personen
search-submit = Suchen
results-heading = { $count ->
    [0] Keine Angebote
    [one] { $count } Angebot
   *[other] { $count } Angebote
}
results-none = Kein Angebot passt. Versuchen Sie es mit weniger Filtern.
results-next = Weitere Angebote

kind-desk_space = Arbeitsplatz
kind-introductions = Kontaktvermittlung
kind-market_briefing = Marktbriefing
kind-event_access = Zugang zu Veranstaltungen
kind-meeting_room = Besprechungsraum
kind-mentoring = Mentoring

## Angebot
offer-host = Gastgeber
offer-address = Adresse
offer-languages = Sprachen
offer-sectors = Branchen
offer-window = Verfügbar
offer-places = Plätze
offer-stay = Maximale Dauer
offer-timezone = Zeitzone
offer-capacity = { $count ->
    [one] { $count } Person pro Tag
   *[other] { $count } Personen pro Tag
}
offer-max-stay = { $count ->
    [one] höchstens { $count } Tag
   *[other] höchstens { $count } Tage
}
offer-request = Soft Landing anfragen
offer-request-hint = Dazu melden Sie sich zuerst an. Ihr Unternehmen muss verifiziertes Mitglied eines Partnerclusters sein.
calendar-heading = Freie Plätze im { $month } { $year }
calendar-hint = Für jeden Tag sehen Sie die freien Plätze. Die Tage gelten in der Zeitzone des Gastgebers ({ $timezone }).
calendar-caption = Freie Plätze pro Tag
calendar-prev = Früher
calendar-next = Später
calendar-full = ausgebucht
calendar-closed = geschlossen
calendar-free = { $count } frei
month-1 = Januar
month-2 = Februar
month-3 = März
month-4 = April
month-5 = Mai
month-6 = Juni
month-7 = Juli
month-8 = August
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Dezember
weekday-1 = Montag
weekday-2 = Dienstag
weekday-3 = Mittwoch
weekday-4 = Donnerstag
weekday-5 = Freitag
weekday-6 = Samstag
weekday-7 = Sonntag
weekday-short-1 = Mo
weekday-short-2 = Di
weekday-short-3 = Mi
weekday-short-4 = Do
weekday-short-5 = Fr
weekday-short-6 = Sa
weekday-short-7 = So

## Cluster
clusters-title = Cluster
clusters-heading = Die Cluster des Netzwerks
clusters-none = Noch keine Cluster.
cluster-offers = Angebote
cluster-no-offers = Dieser Cluster hat derzeit keine veröffentlichten Angebote.

## Konten
sign-in-title = Anmelden
sign-in-heading = Anmelden
sign-in-expired = Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an.
sign-in-submit = Anmelden
sign-in-forgot = Passwort vergessen?
sign-in-no-account = Neu hier?
sign-up-title = Registrieren
sign-up-heading = Unternehmen registrieren
sign-up-lead = Ihr Heimatcluster bestätigt Ihre Mitgliedschaft; danach können Sie Soft Landings bei seinen Partnerclustern anfragen.
sign-up-company = Ihr Unternehmen
sign-up-you = Zu Ihrer Person
sign-up-submit = Registrieren
sign-up-done-title = Prüfen Sie Ihre E-Mails
sign-up-done-heading = Prüfen Sie Ihre E-Mails
sign-up-done-text = Wir haben Ihnen einen Link geschickt, mit dem Sie Ihre E-Mail-Adresse bestätigen. Folgen Sie ihm und melden Sie sich dann an.
sign-up-done-next = Ihr Heimatcluster ist informiert und wird Ihr Unternehmen verifizieren.
confirm-title = E-Mail-Adresse bestätigen
confirm-heading = E-Mail-Adresse bestätigen
confirm-text = Klicken Sie auf die Schaltfläche, um zu bestätigen, dass diese Adresse Ihnen gehört.
confirm-submit = Meine Adresse bestätigen
confirm-done = Ihre E-Mail-Adresse ist bestätigt. Sie können sich jetzt anmelden.
confirm-failed = Dieser Link ist ungültig, wurde bereits verwendet oder ist abgelaufen.
forgot-title = Passwort vergessen
forgot-heading = Passwort vergessen?
forgot-text = Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir senden Ihnen einen Link, mit dem Sie ein neues Passwort festlegen können.
forgot-submit = Link senden
forgot-sent = Falls ein Konto diese Adresse verwendet, ist ein Link zum Festlegen eines neuen Passworts unterwegs. Er ist eine Stunde lang gültig.
set-password-title = Passwort festlegen
set-password-heading = Passwort festlegen
set-password-submit = Passwort festlegen
field-email = E-Mail-Adresse
field-password = Passwort
field-password-hint = Mindestens 12 Zeichen.
field-new-password = Neues Passwort
field-confirm-password = Neues Passwort wiederholen
field-current-password = Aktuelles Passwort
field-company-name = Name des Unternehmens
field-country = Land
field-sector = Branche
field-sector-hint = Ein Wort, z. B. Software oder Fintech.
field-website = Website
field-employees = Beschäftigte
field-home-cluster = Heimatcluster
field-home-cluster-hint = Der Cluster, in dem Ihr Unternehmen Mitglied ist.
field-your-name = Ihr Name
field-colleague-name = Name
field-invite-locale = Sprache der Person
field-invite-locale-hint = Darin ist die Einladung geschrieben, und so spricht das Portal mit der Person; sie kann es später ändern.
field-locale = Sprache
field-locale-hint = Die Sprache des Portals und der E-Mails, die Sie erhalten.

## Anfragen
request-title = Soft Landing anfragen
request-heading = Soft Landing anfragen
request-lead = Für { $offer } bei { $host }.
request-days-hint = Die Tage gelten in der Zeitzone des Gastgebers ({ $timezone }); dort ist heute der { $today }.
request-submit = Anfrage senden
field-start-date = Erster Tag
field-end-date = Letzter Tag
field-headcount = Personen
field-headcount-hint = Wie viele Personen kommen, höchstens { $capacity }.
field-purpose = Zweck
field-purpose-hint = Was Sie erreichen möchten, in 20 bis 2000 Zeichen.
field-target-market = Zielmarkt
field-target-market-hint = Optional, z. B. Fintech in Skandinavien.
field-services = Gewünschte Leistungen
field-cancel-reason = Grund der Absage
field-rating = Bewertung
field-comment = Kommentar

landings-title = Soft Landings
landings-heading = Ihre Soft Landings
landings-filter-state = Status
landings-filter-side = Welche
landings-side-both = Empfangen und entsandt
landings-side-hosted = Bei uns zu Gast
landings-side-sent = Von unseren KMU entsandt
landings-col-side = Seite
landings-filter-submit = Anzeigen
landings-col-dates = Zeitraum
landings-col-state = Status
landings-col-visitors = Personen
landings-col-requested = Angefragt
landings-none = Noch keine Soft Landings.
landings-none-older = Keine älteren Soft Landings.
landings-find = Angebot finden
landings-pages-label = Seiten der Soft Landings
landings-page-newest = Neueste
landings-page-older = Ältere Soft Landings

landing-title = Soft Landing: { $offer }
landing-facts = Details
landing-dates = Zeitraum
landing-visitors = Personen
landing-sme = Unternehmen
landing-home = Heimatcluster
landing-endorsement-note = Notiz des Heimatclusters
landing-message = Nachricht des Gastgebers
landing-reason = Grund
landing-outcome = Ergebnis
landing-rating = Ihre Bewertung
landing-rating-value = { $rating } von 5
landing-ics = Zum Kalender hinzufügen (.ics)
landing-actions = Was Sie tun können
landing-withdraw-text = Sie können die Anfrage zurückziehen, solange noch nicht darüber entschieden ist.
landing-withdraw = Anfrage zurückziehen
landing-cancel = Soft Landing absagen
landing-feedback-submit = Feedback senden
landing-timeline = Verlauf

state-pending_endorsement = Wartet auf den Heimatcluster
state-pending_approval = Wartet auf den Gastgeber
state-approved = Genehmigt
state-rejected = Abgelehnt
state-declined = Vom Heimatcluster abgelehnt
state-withdrawn = Zurückgezogen
state-cancelled = Abgesagt
state-completed = Abgeschlossen
state-no_show = Nicht erschienen
state-expired = Abgelaufen

action-submit = Angefragt
action-endorse = Befürwortet
action-decline = Abgelehnt
action-approve = Genehmigt
action-reject = Abgelehnt
action-withdraw = Zurückgezogen
action-cancel = Abgesagt
action-complete = Abgeschlossen
action-no-show = Als nicht erschienen markiert
action-expire = Abgelaufen
action-feedback = Feedback gegeben

actor-sme_member = vom Unternehmen
actor-cluster_manager = vom Clustermanagement
actor-admin = von der Koordination
actor-user = von einer Person
actor-api_client = von einem Partnerportal
actor-system = automatisch

## Das KMU
sme-home = Heimatcluster: { $home }
membership-pending = Wartet auf Verifizierung
membership-verified = Verifiziertes Mitglied
membership-declined = Abgelehnt
sme-pending = Ihr Heimatcluster hat Ihr Unternehmen noch nicht verifiziert. Sie können sich schon umsehen; Anfragen sind möglich, sobald die Verifizierung erfolgt ist.
sme-profile = Profil
sme-conflict = Jemand anderes hat dieses Profil geändert, während Sie es bearbeitet haben. Hier ist der aktuelle Stand; nehmen Sie Ihre Änderung bitte erneut vor.
field-target-markets = Zielmärkte
field-target-markets-hint = Ländercodes, durch Kommas getrennt, z. B. SE, FI.
field-languages = Sprachen
field-languages-hint = Sprachcodes, durch Kommas getrennt, z. B. en, sv.
sme-colleagues = Team
sme-invited = eingeladen
sme-invite = Teammitglied einladen
sme-invite-after-verification = Einladungen sind möglich, sobald Ihr Heimatcluster Ihr Unternehmen verifiziert hat.
sme-invite-submit = Einladung senden

## Konto
account-title = Konto
account-heading = Ihr Konto
account-settings = Name und Sprache
account-password = Passwort
account-password-submit = Passwort ändern
account-sessions = Sitzungen
account-sessions-text = Melden Sie sich auf allen Computern und Telefonen ab, auf denen Sie angemeldet sind.
account-sign-out-everywhere = Überall abmelden
role-admin = Koordination
role-cluster_manager = Clustermanagement
role-sme_member = Unternehmensmitglied

## Wartet auf Sie (Manager eines Clusters)
nav-manage = Wartet auf Sie
nav-waiting-count = ({ $count })
manage-title = Wartet auf Sie
manage-heading = Wartet auf Sie
manage-sections = Was wartet
manage-section-approvals = Anfragen zur Zusage ({ $count })
manage-section-endorsements = Zu befürwortende Anfragen ({ $count })
manage-section-sign-ups = Zu bestätigende KMU ({ $count })
manage-section-proposals = Partnerschaftsvorschläge ({ $count })
manage-section-empty = Nichts.
manage-page-range = { $from }–{ $to } von { $count }
manage-page-previous = Zurück
manage-page-next = Weiter
manage-pages-label = Seiten: { $list }
manage-none = Nichts wartet auf Sie. Neue Anfragen, Registrierungen und Vorschläge erscheinen hier.
manage-request-title = { $sme } fragt für { $count ->
    [one] eine Person
   *[other] { $count } Personen
} bei „{ $offer }“ an
manage-request-dates = { $from } bis { $to }, { $days ->
    [one] ein Öffnungstag
   *[other] { $days } Öffnungstage
}
manage-free-places = Freie Plätze je Tag
manage-day-free = { $day }: { $count } frei
manage-day-short = { $day }: nur { $count } frei, zu wenig
manage-sme-details = { $country }, { $sector }. Registriert von { $contact } ({ $email }).
manage-proposal-title = { $cluster } schlägt eine Partnerschaft vor
manage-proposal-terms = Bis zu { $days } freie Tage je Aufenthalt; umfasst { $services }.
manage-approve = Zusagen
manage-reject = Ablehnen
manage-endorse = Befürworten
manage-decline = Ablehnen
manage-verify = Bestätigen
manage-accept = Annehmen
manage-reason = Begründung (die andere Seite liest sie)
flash-manage-approved = Zugesagt. Das KMU ist benachrichtigt.
flash-manage-rejected = Abgelehnt. Das KMU hat die Begründung erhalten.
flash-manage-endorsed = Befürwortet. Nun entscheidet der Gastgeber.
flash-manage-declined = Abgelehnt. Das KMU hat die Begründung erhalten.
flash-manage-verified = Bestätigt. Seine Mitglieder können jetzt Aufenthalte anfragen.
flash-manage-sme-declined = Abgelehnt. Die Kontaktperson ist benachrichtigt.
flash-manage-accepted = Angenommen. Die Partnerschaft ist aktiv.
flash-manage-partnership-declined = Abgelehnt. Der vorschlagende Cluster ist benachrichtigt.
err-manage-reason = Geben Sie eine Begründung an: Die andere Seite liest sie.
err-manage-full = Am { $day } sind für diese Besucher zu wenige Plätze frei, die Anfrage kann nicht zugesagt werden.
err-manage-changed = Jemand hat inzwischen entschieden; es wartet nicht mehr.
err-manage-not-yours = Diese Entscheidung liegt bei einem anderen Cluster.

## KMU und Partnerschaften eines Clusters (Manager)
manage-smes-title = Unsere KMU
manage-smes-heading = Unsere Mitglieds-KMU
manage-smes-filter = Mitgliedschaft
manage-smes-none = Noch keine KMU.
manage-partnerships-title = Partnerschaften
manage-partnerships-heading = Unsere Partnerschaften
manage-partnerships-none = Noch keine Partnerschaften. Schlagen Sie unten eine vor.
manage-partnerships-col-partner = Partner
manage-partnerships-col-terms = Bedingungen
manage-partnerships-col-since = Seit
manage-propose-heading = Partnerschaft vorschlagen
manage-propose-partner = Partnercluster
manage-propose-choose = Cluster wählen
manage-propose-days = Freie Tage je Aufenthalt
manage-propose-days-hint = Arbeitstage, 1 bis 90.
manage-propose-services = Was die Vereinbarung umfasst
manage-propose-endorsement = Der Heimatcluster befürwortet jede Anfrage, bevor wir entscheiden
manage-propose-notes = Anmerkungen zu den Bedingungen (optional)
manage-propose-submit = Vorschlagen
manage-partnership-title = Partnerschaft mit { $cluster }
manage-partnership-proposed-by-us = Von uns vorgeschlagen am { $date }.
manage-partnership-proposed-by-them = Von { $cluster } vorgeschlagen am { $date }.
manage-partnership-terms = Bedingungen
manage-partnership-days = Bis zu { $days } freie Tage je Aufenthalt
manage-partnership-services = Umfasst:
manage-partnership-endorsed = der Heimatcluster befürwortet jede Anfrage
manage-partnership-not-endorsed = Eine Befürwortung durch den Heimatcluster ist nicht nötig.
manage-partnership-note = Anmerkung (optional; der andere Cluster liest sie)
manage-partnership-accept = Annehmen
manage-partnership-decline = Ablehnen
manage-partnership-suspend = Aussetzen
manage-partnership-resume = Fortsetzen
manage-partnership-terminate = Beenden
manage-partnership-trail = Verlauf
partnership-state-proposed = Vorgeschlagen
partnership-state-active = Aktiv
partnership-state-declined = Abgelehnt
partnership-state-suspended = Ausgesetzt
partnership-state-terminated = Beendet
flash-manage-proposed = Vorgeschlagen. Die Manager des anderen Clusters sind benachrichtigt.
flash-manage-suspended = Ausgesetzt. Bis zur Fortsetzung sind keine neuen Anfragen möglich.
flash-manage-resumed = Fortgesetzt. Die Partnerschaft ist wieder aktiv.
flash-manage-terminated = Beendet.
err-partnership-exists = Mit diesem Cluster besteht bereits eine vorgeschlagene, aktive oder ausgesetzte Partnerschaft.
manage-nav-label = Cluster verwalten
