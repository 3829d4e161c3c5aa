# The managers' offer pages (/manage/offers).

manage-offers-title = Vos offres
manage-offers-heading = Les offres de votre cluster
manage-offers-new = Créer une offre
manage-offers-filter = Afficher les offres à l’état
manage-offers-all-states = tous les états
manage-offers-filter-submit = Afficher
manage-offers-col-title = Offre
manage-offers-col-kind = Type
manage-offers-col-capacity = Places par jour
manage-offers-col-window = Disponible
manage-offers-none = Votre cluster n’a encore aucune offre. Créez-en une : elle commence comme un brouillon que seuls les gestionnaires de votre cluster voient.
manage-offers-none-in-state = Aucune de vos offres n’est dans cet état.
offer-state-draft = Brouillon
offer-state-published = Publiée
offer-state-paused = En pause
offer-state-archived = Archivée

manage-offer-new-title = Créer une offre
manage-offer-new-hint = L’offre commence comme un brouillon : personne hors de votre cluster ne la voit avant que vous la publiiez.
manage-offer-create = Créer le brouillon
manage-offer-field-kind = Type d’offre
manage-offer-field-title = Titre
manage-offer-field-description = Description
manage-offer-field-city = Ville
manage-offer-field-address = Adresse
manage-offer-field-capacity = Visiteurs par jour d’ouverture
manage-offer-field-capacity-hint = Combien de visiteurs l’offre accueille chaque jour d’ouverture (de 1 à 10 000).
manage-offer-field-available-from = Disponible à partir du
manage-offer-field-available-until = Disponible jusqu’au
manage-offer-date-hint = Un jour dans le fuseau horaire de votre cluster, par exemple 2027-03-01.
manage-offer-field-max-stay = Séjour le plus long, en jours d’ouverture
manage-offer-field-max-stay-hint = De 1 à 90 jours d’ouverture.
manage-offer-field-weekdays = Ouvert le
manage-offer-field-languages = Langues
manage-offer-field-languages-hint = Codes à deux lettres séparés par des virgules, par exemple fr, en.
manage-offer-field-sectors = Secteurs
manage-offer-field-sectors-hint = Séparés par des virgules, par exemple fintech, santé. Peut rester vide.

manage-offer-public-page = Voir la page publique
manage-offer-state-hint-draft = Un brouillon : seuls les gestionnaires de votre cluster le voient. Publiez-le pour qu’il apparaisse dans la recherche.
manage-offer-state-hint-published = Publiée : les PME des clusters partenaires la trouvent et peuvent demander un atterrissage.
manage-offer-state-hint-paused = En pause : elle n’apparaît plus dans la recherche jusqu’à ce que vous la publiiez à nouveau. Les atterrissages approuvés restent.
manage-offer-state-hint-archived = Archivée : l’offre est fermée pour de bon et ne change plus.
manage-offer-publish = Publier
manage-offer-pause = Mettre en pause
manage-offer-archive = Archiver pour de bon

manage-offer-blackouts = Périodes de fermeture
manage-offer-blackouts-hint = Pendant une période de fermeture, l’offre n’accueille aucun visiteur, quels que soient ses jours d’ouverture.
manage-offer-no-blackouts = Aucune période de fermeture.
manage-offer-blackout-remove = Retirer
manage-offer-blackout-remove-label = Retirer la période de fermeture du { $from } au { $to }
manage-offer-blackout-add-heading = Fermer l’offre quelques jours
manage-offer-blackout-from = Premier jour fermé
manage-offer-blackout-until = Dernier jour fermé
manage-offer-blackout-reason = Motif
manage-offer-blackout-add = Fermer ces jours

manage-offer-edit = Modifier l’offre
manage-offer-archived-notice = Une offre archivée ne change plus.
manage-offer-conflict = Quelqu’un d’autre a modifié cette offre après que vous l’avez ouverte. Vos modifications n’ont pas été enregistrées. Le formulaire montre maintenant l’offre telle qu’elle est ; refaites vos modifications et enregistrez.

manage-offer-calendar-heading = Réservations en { $month } { $year }
manage-offer-calendar-hint = Chaque jour d’ouverture montre les places que tiennent les atterrissages approuvés et les places encore libres. Les jours sont dans le fuseau horaire de votre cluster ({ $timezone }).
manage-offer-calendar-caption = Places réservées et libres par jour
manage-offer-calendar-booked = { $booked } réservées, { $free } libres
manage-offer-calendar-blackout = fermé

manage-offer-err-kind = Choisissez un type d’offre.
manage-offer-err-title = Saisissez un titre de 200 caractères au plus.
manage-offer-err-description = Saisissez une description de 5 000 caractères au plus.
manage-offer-err-city = Saisissez la ville, en 120 caractères au plus.
manage-offer-err-address = Saisissez une adresse de 500 caractères au plus.
manage-offer-err-capacity = Saisissez un nombre de visiteurs de 1 à 10 000.
manage-offer-err-available-from = Saisissez le premier jour sous forme de date, par exemple 2027-03-01.
manage-offer-err-available-until = Saisissez un dernier jour qui ne précède pas le premier, trois ans plus tard au plus.
manage-offer-err-max-stay = Saisissez un séjour le plus long de 1 à 90 jours d’ouverture.
manage-offer-err-weekdays = Choisissez au moins un jour de la semaine.
manage-offer-err-languages = Saisissez au moins une langue sous forme de code à deux lettres, par exemple fr.
manage-offer-err-sectors = Saisissez des secteurs faits de lettres, chiffres, espaces et tirets, séparés par des virgules.
manage-offer-err-start-date = Saisissez le premier jour fermé sous forme de date, par exemple 2027-03-01.
manage-offer-err-end-date = Saisissez le dernier jour fermé sous forme de date, par exemple 2027-03-05.
manage-offer-err-reason = Saisissez un motif de 500 caractères au plus.
manage-offer-err-capacity-booked = Des atterrissages approuvés tiennent déjà plus de places le { $day }. Saisissez au moins autant de places qu’ils en tiennent.
manage-offer-err-closes-booked = Des atterrissages approuvés tiennent des places le { $day }, que cette modification fermerait. Laissez ce jour ouvert.
manage-offer-err-blackout-booked = Des atterrissages approuvés tiennent des places le { $day } : ce jour ne peut pas être fermé. Choisissez des jours sans réservation.
manage-offer-err-archived = Une offre archivée ne change plus.
manage-offer-err-transition = L’état de l’offre a changé entre-temps, ce n’est donc plus possible. La page montre ce que vous pouvez faire maintenant.

flash-manage-offer-created = L’offre est créée comme brouillon.
flash-manage-offer-saved = L’offre est enregistrée.
flash-manage-offer-published = L’offre est publiée.
flash-manage-offer-paused = L’offre est en pause.
flash-manage-offer-archived = L’offre est archivée.
flash-manage-blackout-added = Les jours sont fermés.
flash-manage-blackout-removed = La période de fermeture est retirée : ses jours sont de nouveau ouverts.
