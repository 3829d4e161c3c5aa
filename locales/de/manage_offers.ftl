# The managers' offer pages (/manage/offers).

manage-offers-title = Ihre Angebote
manage-offers-heading = Die Angebote Ihres Clusters
manage-offers-new = Angebot anlegen
manage-offers-filter = Angebote zeigen, die
manage-offers-all-states = in jedem Status sind
manage-offers-filter-submit = Zeigen
manage-offers-col-title = Angebot
manage-offers-col-kind = Art
manage-offers-col-capacity = Plätze pro Tag
manage-offers-col-window = Verfügbar
manage-offers-none = Ihr Cluster hat noch keine Angebote. Legen Sie eines an: Es beginnt als Entwurf, den nur die Manager Ihres Clusters sehen.
manage-offers-none-in-state = Keines Ihrer Angebote hat diesen Status.
offer-state-draft = Entwurf
offer-state-published = Veröffentlicht
offer-state-paused = Pausiert
offer-state-archived = Archiviert

manage-offer-new-title = Angebot anlegen
manage-offer-new-hint = Das Angebot beginnt als Entwurf: Außerhalb Ihres Clusters sieht es niemand, bis Sie es veröffentlichen.
manage-offer-create = Entwurf anlegen
manage-offer-field-kind = Art des Angebots
manage-offer-field-title = Titel
manage-offer-field-description = Beschreibung
manage-offer-field-city = Stadt
manage-offer-field-address = Adresse
manage-offer-field-capacity = Besucher pro offenem Tag
manage-offer-field-capacity-hint = Wie viele Besucher das Angebot an jedem offenen Tag aufnimmt (1 bis 10.000).
manage-offer-field-available-from = Verfügbar ab
manage-offer-field-available-until = Verfügbar bis
manage-offer-date-hint = Ein Tag in der Zeitzone Ihres Clusters, etwa 2027-03-01.
manage-offer-field-max-stay = Längster Aufenthalt, in offenen Tagen
manage-offer-field-max-stay-hint = Von 1 bis 90 offenen Tagen.
manage-offer-field-weekdays = Geöffnet am
manage-offer-field-languages = Sprachen
manage-offer-field-languages-hint = Zweibuchstabige Codes, durch Kommas getrennt, etwa de, en.
manage-offer-field-sectors = Branchen
manage-offer-field-sectors-hint = Durch Kommas getrennt, etwa fintech, gesundheit. Darf leer bleiben.

manage-offer-public-page = Öffentliche Seite ansehen
manage-offer-state-hint-draft = Ein Entwurf: Nur die Manager Ihres Clusters sehen ihn. Veröffentlichen Sie ihn, damit er in der Suche erscheint.
manage-offer-state-hint-published = Veröffentlicht: KMU aus Partnerclustern finden es und können eine Landung anfragen.
manage-offer-state-hint-paused = Pausiert: Es erscheint nicht in der Suche, bis Sie es wieder veröffentlichen. Genehmigte Landungen bleiben bestehen.
manage-offer-state-hint-archived = Archiviert: Das Angebot ist endgültig geschlossen und ändert sich nicht mehr.
manage-offer-publish = Veröffentlichen
manage-offer-pause = Pausieren
manage-offer-archive = Endgültig archivieren

manage-offer-blackouts = Geschlossene Zeiträume
manage-offer-blackouts-hint = In einem geschlossenen Zeitraum nimmt das Angebot keine Besucher auf, gleich an welchem Wochentag.
manage-offer-no-blackouts = Keine geschlossenen Zeiträume.
manage-offer-blackout-remove = Entfernen
manage-offer-blackout-remove-label = Den geschlossenen Zeitraum vom { $from } bis { $to } entfernen
manage-offer-blackout-add-heading = Das Angebot für einige Tage schließen
manage-offer-blackout-from = Erster geschlossener Tag
manage-offer-blackout-until = Letzter geschlossener Tag
manage-offer-blackout-reason = Grund
manage-offer-blackout-add = Diese Tage schließen

manage-offer-edit = Angebot bearbeiten
manage-offer-archived-notice = Ein archiviertes Angebot ändert sich nicht mehr.
manage-offer-conflict = Jemand anderes hat dieses Angebot geändert, nachdem Sie es geöffnet hatten. Ihre Änderungen wurden nicht gespeichert. Das Formular zeigt jetzt das Angebot, wie es ist; nehmen Sie Ihre Änderungen erneut vor und speichern Sie.

manage-offer-calendar-heading = Buchungen im { $month } { $year }
manage-offer-calendar-hint = Jeder offene Tag zeigt die Plätze, die genehmigte Landungen belegen, und die noch freien Plätze. Die Tage sind in der Zeitzone Ihres Clusters ({ $timezone }).
manage-offer-calendar-caption = Gebuchte und freie Plätze pro Tag
manage-offer-calendar-booked = { $booked } gebucht, { $free } frei
manage-offer-calendar-blackout = geschlossen

manage-offer-err-kind = Wählen Sie eine Art des Angebots.
manage-offer-err-title = Geben Sie einen Titel mit höchstens 200 Zeichen ein.
manage-offer-err-description = Geben Sie eine Beschreibung mit höchstens 5.000 Zeichen ein.
manage-offer-err-city = Geben Sie die Stadt mit höchstens 120 Zeichen ein.
manage-offer-err-address = Geben Sie eine Adresse mit höchstens 500 Zeichen ein.
manage-offer-err-capacity = Geben Sie eine Besucherzahl von 1 bis 10.000 ein.
manage-offer-err-available-from = Geben Sie den ersten Tag als Datum ein, etwa 2027-03-01.
manage-offer-err-available-until = Geben Sie einen letzten Tag ein, der nicht vor dem ersten liegt und höchstens drei Jahre später.
manage-offer-err-max-stay = Geben Sie einen längsten Aufenthalt von 1 bis 90 offenen Tagen ein.
manage-offer-err-weekdays = Wählen Sie mindestens einen Wochentag.
manage-offer-err-languages = Geben Sie mindestens eine Sprache als zweibuchstabigen Code ein, etwa de.
manage-offer-err-sectors = Geben Sie Branchen aus Buchstaben, Ziffern, Leerzeichen und Bindestrichen ein, durch Kommas getrennt.
manage-offer-err-start-date = Geben Sie den ersten geschlossenen Tag als Datum ein, etwa 2027-03-01.
manage-offer-err-end-date = Geben Sie den letzten geschlossenen Tag als Datum ein, etwa 2027-03-05.
manage-offer-err-reason = Geben Sie einen Grund mit höchstens 500 Zeichen ein.
manage-offer-err-capacity-booked = Genehmigte Landungen belegen am { $day } schon mehr Plätze. Geben Sie mindestens so viele Plätze ein, wie sie belegen.
manage-offer-err-closes-booked = Genehmigte Landungen belegen Plätze am { $day }, den diese Änderung schließen würde. Lassen Sie diesen Tag offen.
manage-offer-err-blackout-booked = Genehmigte Landungen belegen Plätze am { $day }, daher kann dieser Tag nicht geschlossen werden. Wählen Sie Tage ohne Buchungen.
manage-offer-err-archived = Ein archiviertes Angebot ändert sich nicht mehr.
manage-offer-err-transition = Der Status des Angebots hat sich inzwischen geändert, daher ist das nicht mehr möglich. Die Seite zeigt, was Sie jetzt tun können.

flash-manage-offer-created = Das Angebot ist als Entwurf angelegt.
flash-manage-offer-saved = Das Angebot ist gespeichert.
flash-manage-offer-published = Das Angebot ist veröffentlicht.
flash-manage-offer-paused = Das Angebot ist pausiert.
flash-manage-offer-archived = Das Angebot ist archiviert.
flash-manage-blackout-added = Die Tage sind geschlossen.
flash-manage-blackout-removed = Der geschlossene Zeitraum ist entfernt: Seine Tage sind wieder offen.
