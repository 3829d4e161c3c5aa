# Portail softlanding — français. Chaque fichier de langue contient exactement ces identifiants de message.

days-count = { $count ->
    [one] { $count } jour
   *[other] { $count } jours
}

## Mise en page
skip-to-content = Aller au contenu
nav-label = Menu principal
nav-offers = Offres
nav-clusters = Clusters
nav-landings = Soft landings
nav-sme = Mon entreprise
nav-account = Compte
nav-sign-in = Se connecter
nav-sign-up = S’inscrire
nav-sign-out = Se déconnecter
footer-about = softlanding gère le Business Roaming Agreement entre clusters TIC européens : des soft landings gratuits à l’étranger pour les PME des clusters partenaires.
language-label = Langue
language-submit = Changer
choose = Choisir…
save = Enregistrer
form-has-errors = Le formulaire contient des erreurs

## Messages d’information
flash-signed-out = Votre session est fermée.
flash-signed-out-everywhere = Vos sessions sont fermées sur tous vos appareils.
flash-password-set = Votre mot de passe est enregistré. Connectez-vous avec celui-ci.
flash-password-changed = Votre mot de passe a été modifié. Vos autres sessions ont été fermées.
flash-account-saved = Votre compte a été enregistré.
flash-profile-saved = Le profil a été enregistré.
flash-colleague-invited = Invitation envoyée. Votre collègue va recevoir un e-mail pour définir son mot de passe.
flash-landing-requested = Votre demande a été envoyée. Nous vous informerons par e-mail dès qu’une décision sera prise.
flash-landing-withdrawn = La demande a été retirée.
flash-landing-cancelled = Le soft landing a été annulé.
flash-feedback-thanks = Merci pour votre avis.

## Erreurs de saisie
err-required = Veuillez renseigner ce champ.
err-number = Saisissez un nombre entier.
err-email = Saisissez une adresse e-mail, par exemple nom@example.org.
err-email-taken = Un compte existe déjà avec cette adresse e-mail. Connectez-vous plutôt.
err-search = La recherche n’a pas pu être interprétée. Vérifiez les filtres.
err-sign-in-missing = Saisissez votre adresse e-mail et votre mot de passe.
err-sign-in-wrong = L’adresse e-mail ou le mot de passe est incorrect.
err-confirm-first = Confirmez d’abord votre adresse e-mail : suivez le lien de l’e-mail que nous vous avons envoyé.
err-password-short = Le mot de passe doit comporter au moins 12 caractères.
err-password-mismatch = Les deux mots de passe ne sont pas identiques.
err-current-password = Le mot de passe actuel est incorrect.
err-link-invalid = Ce lien n’est pas valide, a déjà été utilisé ou a expiré. Demandez-en un nouveau.
err-locale = Choisissez l’une des langues proposées.
err-headcount = Saisissez un nombre de personnes compris entre 1 et la capacité de l’offre.
err-purpose-length = Décrivez l’objectif en 20 à 2000 caractères (actuellement { $count }).
err-end-before-start = Le dernier jour ne peut pas précéder le premier.
err-start-in-past = Le premier jour est déjà passé : nous sommes le { $today } dans le fuseau horaire de l’hôte ({ $timezone }).
err-before-window = L’offre commence le { $date }. Choisissez un premier jour ultérieur.
err-after-window = L’offre se termine le { $date }. Choisissez un dernier jour antérieur.
err-blackout = Ces jours empiètent sur une période de fermeture de l’offre, du { $start } au { $end } ({ $reason }).
err-no-open-day = L’offre n’est ouverte aucun de ces jours.
err-too-many-days = Cette période compte { $days } jours d’ouverture ; vous pouvez en demander { $max } au maximum (l’offre en permet { $offer }, le partenariat { $terms }).
err-over-capacity = La capacité de l’offre est de { $capacity } par jour.
err-service-not-covered = Le partenariat ne couvre que ces services : { $covered }.
err-offer-not-published = Cette offre n’accepte pas de demandes pour le moment.
err-no-partnership = Votre cluster d’origine n’a pas de partenariat actif avec cet hôte.
err-kind-not-covered = Le partenariat entre votre cluster d’origine et cet hôte ne couvre pas ce type d’offre.
err-sme-not-verified = Votre cluster d’origine n’a pas encore vérifié votre entreprise.
err-request-refused = Cette demande n’est pas possible.
err-action-not-possible = Ce n’est plus possible : le soft landing a changé entre-temps. Voici où il en est.

## Pages d’erreur
error-home = Aller à la page d’accueil
error-400-title = La requête n’a pas pu être comprise
error-400-text = Quelque chose n’allait pas dans l’adresse ou le formulaire. Revenez en arrière et réessayez.
error-403-title = Accès refusé
error-403-text = Cette page ou cette action n’est pas accessible à votre compte.
error-404-title = Page introuvable
error-404-text = Il n’y a rien ici, ou ce contenu ne vous est pas accessible.
error-405-title = Impossible ici
error-405-text = Cette page ne peut pas être utilisée de cette façon.
error-409-title = Quelque chose a changé
error-409-text = Ce que vous avez vu a changé entre-temps. Revenez en arrière et regardez à nouveau.
error-413-title = Trop volumineux
error-413-text = Ce que vous avez envoyé est trop volumineux.
error-422-title = Cela n’a pas fonctionné
error-422-text = Des informations manquaient ou étaient incorrectes. Revenez en arrière et vérifiez le formulaire.
error-429-title = Trop de tentatives
error-429-text = Patientez quelques minutes, puis réessayez.
error-500-title = Un problème est survenu de notre côté
error-500-text = Nous l’avons noté. Réessayez dans un instant.
error-503-title = Service très sollicité
error-503-text = Le service est très sollicité en ce moment. Réessayez dans un instant.

## Accueil
home-title = Soft landings à l’étranger
home-heading = Prenez pied à l’étranger avec un cluster partenaire
home-lead = Partout en Europe, des clusters TIC accueillent gratuitement les PME de leurs partenaires : un poste de travail pour quelques jours, des mises en relation avec des contacts locaux, des briefings marché et des événements.
home-search-placeholder = bureau, Stockholm, fintech…
home-how-heading = Comment ça marche
home-how-1 = Votre entreprise s’inscrit auprès de son cluster d’origine, qui confirme votre adhésion.
home-how-2 = Trouvez l’offre d’un cluster partenaire et demandez les jours dont vous avez besoin.
home-how-3 = L’hôte donne son accord, et vous ajoutez le soft landing à votre agenda.
home-clusters-heading = Les clusters du réseau

## Recherche
offers-title = Offres
offers-heading = Trouver un soft landing
search-words = Mots-clés
search-country = Pays
search-country-hint = Deux lettres, par exemple SE
search-city = Ville
search-kind = Type
search-any = Tous
search-sector = Secteur
search-language = Langue
search-language-hint = Deux lettres, par exemple fr
search-from = Premier jour
search-to = Dernier jour
search-headcount = Personnes
search-submit = Rechercher
results-heading = { $count ->
    [0] Aucune offre
    [one] { $count } offre
   *[other] { $count } offres
}
results-none = Aucune offre ne correspond. Essayez avec moins de filtres.
results-next = Plus d’offres

kind-desk_space = Poste de travail
kind-introductions = Mises en relation
kind-market_briefing = Briefing marché
kind-event_access = Accès aux événements
kind-meeting_room = Salle de réunion
kind-mentoring = Mentorat

## Offre
offer-host = Hôte
offer-address = Adresse
offer-languages = Langues
offer-sectors = Secteurs
offer-window = Disponibilité
offer-places = Places
offer-stay = Durée maximale
offer-timezone = Fuseau horaire
offer-capacity = { $count ->
    [one] { $count } personne par jour
   *[other] { $count } personnes par jour
}
offer-max-stay = { $count ->
    [one] { $count } jour au maximum
   *[other] { $count } jours au maximum
}
offer-request = Demander un soft landing
offer-request-hint = Connectez-vous d’abord. Votre entreprise doit être membre vérifié d’un cluster partenaire.
calendar-heading = Places libres en { $month } { $year }
calendar-hint = Chaque jour indique les places libres. Les jours s’entendent dans le fuseau horaire de l’hôte ({ $timezone }).
calendar-caption = Places libres par jour
calendar-prev = Plus tôt
calendar-next = Plus tard
calendar-full = complet
calendar-closed = fermé
calendar-free = { $count ->
    [one] { $count } libre
   *[other] { $count } libres
}
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
weekday-1 = lundi
weekday-2 = mardi
weekday-3 = mercredi
weekday-4 = jeudi
weekday-5 = vendredi
weekday-6 = samedi
weekday-7 = dimanche
weekday-short-1 = Lu
weekday-short-2 = Ma
weekday-short-3 = Me
weekday-short-4 = Je
weekday-short-5 = Ve
weekday-short-6 = Sa
weekday-short-7 = Di

## Clusters
clusters-title = Clusters
clusters-heading = Les clusters du réseau
clusters-none = Aucun cluster pour l’instant.
cluster-offers = Offres
cluster-no-offers = Ce cluster n’a aucune offre publiée pour le moment.

## Comptes
sign-in-title = Connexion
sign-in-heading = Connexion
sign-in-expired = Votre session a expiré. Reconnectez-vous.
sign-in-submit = Se connecter
sign-in-forgot = Mot de passe oublié ?
sign-in-no-account = Pas encore de compte ?
sign-up-title = Inscription
sign-up-heading = Inscrivez votre entreprise
sign-up-lead = Votre cluster d’origine confirme votre adhésion ; vous pouvez ensuite demander des soft landings auprès de ses clusters partenaires.
sign-up-company = Votre entreprise
sign-up-you = Vous
sign-up-submit = S’inscrire
sign-up-done-title = Consultez vos e-mails
sign-up-done-heading = Consultez vos e-mails
sign-up-done-text = Nous vous avons envoyé un lien pour confirmer votre adresse e-mail. Suivez-le, puis connectez-vous.
sign-up-done-next = Votre cluster d’origine a été prévenu et va vérifier votre entreprise.
confirm-title = Confirmez votre adresse e-mail
confirm-heading = Confirmez votre adresse e-mail
confirm-text = Cliquez sur le bouton pour confirmer que cette adresse est bien la vôtre.
confirm-submit = Confirmer mon adresse
confirm-done = Votre adresse e-mail est confirmée. Vous pouvez maintenant vous connecter.
confirm-failed = Ce lien n’est pas valide, a déjà été utilisé ou a expiré.
forgot-title = Mot de passe oublié
forgot-heading = Mot de passe oublié ?
forgot-text = Saisissez l’adresse e-mail de votre compte. Nous vous enverrons un lien pour définir un nouveau mot de passe.
forgot-submit = Envoyer le lien
forgot-sent = Si un compte utilise cette adresse, un lien pour définir un nouveau mot de passe est en route. Il est valable une heure.
set-password-title = Définir votre mot de passe
set-password-heading = Définissez votre mot de passe
set-password-submit = Définir le mot de passe
field-email = Adresse e-mail
field-password = Mot de passe
field-password-hint = Au moins 12 caractères.
field-new-password = Nouveau mot de passe
field-confirm-password = Confirmer le nouveau mot de passe
field-current-password = Mot de passe actuel
field-company-name = Nom de l’entreprise
field-country = Pays
field-sector = Secteur
field-sector-hint = Un mot, par exemple logiciel ou fintech.
field-website = Site web
field-employees = Effectif
field-home-cluster = Cluster d’origine
field-home-cluster-hint = Le cluster dont votre entreprise est membre.
field-your-name = Votre nom
field-colleague-name = Nom
field-invite-locale = Sa langue
field-invite-locale-hint = L’invitation est écrite dans cette langue, et le portail la parle avec la personne ; elle peut la changer ensuite.
field-locale = Langue
field-locale-hint = La langue du portail et des e-mails que vous recevez.

## Demandes de soft landing
request-title = Demander un soft landing
request-heading = Demander un soft landing
request-lead = { $offer }, chez { $host }.
request-days-hint = Les jours s’entendent dans le fuseau horaire de l’hôte ({ $timezone }) ; là-bas, nous sommes le { $today }.
request-submit = Envoyer la demande
field-start-date = Premier jour
field-end-date = Dernier jour
field-headcount = Personnes
field-headcount-hint = Nombre de personnes qui viennent, { $capacity } au maximum.
field-purpose = Objectif
field-purpose-hint = Ce que vous souhaitez accomplir, en 20 à 2000 caractères.
field-target-market = Marché cible
field-target-market-hint = Facultatif, par exemple fintech nordique.
field-services = Services souhaités
field-cancel-reason = Motif de l’annulation
field-rating = Note
field-comment = Commentaire

landings-title = Soft landings
landings-heading = Vos soft landings
landings-filter-state = Statut
landings-filter-side = Lesquels
landings-side-both = Accueillis et envoyés
landings-side-hosted = Accueillis chez nous
landings-side-sent = Envoyés par nos PME
landings-col-side = Côté
landings-filter-submit = Afficher
landings-col-dates = Dates
landings-col-state = Statut
landings-col-visitors = Personnes
landings-col-requested = Demandé le
landings-none = Aucun soft landing pour l’instant.
landings-none-older = Aucun soft landing plus ancien.
landings-find = Trouver une offre
landings-pages-label = Pages des soft landings
landings-page-newest = Les plus récents
landings-page-older = Soft landings plus anciens

landing-title = Soft landing : { $offer }
landing-facts = Détails
landing-dates = Dates
landing-visitors = Personnes
landing-sme = Entreprise
landing-home = Cluster d’origine
landing-endorsement-note = Note du cluster d’origine
landing-message = Message de l’hôte
landing-reason = Motif
landing-outcome = Résultat
landing-rating = Votre note
landing-rating-value = { $rating } sur 5
landing-ics = Ajouter à l’agenda (.ics)
landing-actions = Ce que vous pouvez faire
landing-withdraw-text = Vous pouvez retirer la demande tant qu’elle est en attente de décision.
landing-withdraw = Retirer la demande
landing-cancel = Annuler le soft landing
landing-feedback-submit = Envoyer l’avis
landing-timeline = Historique

state-pending_endorsement = En attente du cluster d’origine
state-pending_approval = En attente de l’hôte
state-approved = Approuvé
state-rejected = Rejeté
state-declined = Refusé par le cluster d’origine
state-withdrawn = Retiré
state-cancelled = Annulé
state-completed = Terminé
state-no_show = Non-présentation
state-expired = Expiré

action-submit = Demande envoyée
action-endorse = Soutenu
action-decline = Refusé
action-approve = Approuvé
action-reject = Rejeté
action-withdraw = Retiré
action-cancel = Annulé
action-complete = Terminé
action-no-show = Non-présentation constatée
action-expire = Expiré
action-feedback = Avis donné

actor-sme_member = par l’entreprise
actor-cluster_manager = par un responsable de cluster
actor-admin = par la coordination
actor-user = par une personne
actor-api_client = par un portail partenaire
actor-system = automatiquement

## La PME
sme-home = Cluster d’origine : { $home }
membership-pending = En attente de vérification
membership-verified = Membre vérifié
membership-declined = Adhésion refusée
sme-pending = Votre cluster d’origine n’a pas encore vérifié votre entreprise. Vous pouvez déjà explorer le portail ; les demandes seront possibles une fois la vérification faite.
sme-profile = Profil
sme-conflict = Quelqu’un d’autre a modifié ce profil pendant que vous le modifiiez. Le voici dans son état actuel ; refaites votre modification.
field-target-markets = Marchés cibles
field-target-markets-hint = Codes pays séparés par des virgules, par exemple SE, FI.
field-languages = Langues
field-languages-hint = Codes de langue séparés par des virgules, par exemple en, sv.
sme-colleagues = Collègues
sme-invited = invitation envoyée
sme-invite = Inviter un collègue
sme-invite-after-verification = Les invitations seront possibles une fois que votre cluster d’origine aura vérifié votre entreprise.
sme-invite-submit = Envoyer l’invitation

## Compte
account-title = Compte
account-heading = Votre compte
account-settings = Nom et langue
account-password = Mot de passe
account-password-submit = Changer le mot de passe
account-sessions = Sessions
account-sessions-text = Fermez votre session sur tous les ordinateurs et téléphones où elle est ouverte.
account-sign-out-everywhere = Se déconnecter partout
role-admin = Coordination
role-cluster_manager = Responsable de cluster
role-sme_member = Membre d’entreprise

## En attente de vous (gestionnaires d’un cluster)
nav-manage = En attente
nav-waiting-count = ({ $count })
manage-title = En attente de vous
manage-heading = En attente de vous
manage-sections = Ce qui attend
manage-section-approvals = Demandes à accepter ({ $count })
manage-section-endorsements = Demandes à appuyer ({ $count })
manage-section-sign-ups = PME à valider ({ $count })
manage-section-proposals = Propositions de partenariat ({ $count })
manage-section-empty = Rien ici.
manage-page-range = { $from }–{ $to } sur { $count }
manage-page-previous = Précédent
manage-page-next = Suivant
manage-pages-label = Pages : { $list }
manage-none = Rien ne vous attend. Les nouvelles demandes, inscriptions et propositions apparaissent ici.
manage-request-title = { $sme } demande une place pour { $count ->
    [one] une personne
   *[other] { $count } personnes
} à « { $offer } »
manage-request-dates = Du { $from } au { $to }, { $days ->
    [one] un jour d’ouverture
   *[other] { $days } jours d’ouverture
}
manage-free-places = Places libres par jour
manage-day-free = { $day } : { $count } libres
manage-day-short = { $day } : seulement { $count } libres, trop peu
manage-sme-details = { $country }, { $sector }. Inscrite par { $contact } ({ $email }).
manage-proposal-title = { $cluster } propose un partenariat
manage-proposal-terms = Jusqu’à { $days } jours gratuits par séjour ; couvre { $services }.
manage-approve = Accepter
manage-reject = Refuser
manage-endorse = Appuyer
manage-decline = Décliner
manage-verify = Valider
manage-accept = Accepter
manage-reason = Motif (l’autre partie le lit)
flash-manage-approved = Acceptée. La PME a été prévenue.
flash-manage-rejected = Refusée. La PME a reçu le motif.
flash-manage-endorsed = Appuyée. L’hôte décide maintenant.
flash-manage-declined = Déclinée. La PME a reçu le motif.
flash-manage-verified = Validée. Ses membres peuvent maintenant demander des séjours.
flash-manage-sme-declined = Déclinée. Son contact a été prévenu.
flash-manage-accepted = Accepté. Le partenariat est actif.
flash-manage-partnership-declined = Décliné. Le cluster qui l’a proposé a été prévenu.
err-manage-reason = Indiquez un motif : l’autre partie le lit.
err-manage-full = Il reste trop peu de places le { $day } pour ces personnes : la demande ne peut pas être acceptée.
err-manage-changed = Quelqu’un a déjà décidé entre-temps ; ce n’est plus en attente.
err-manage-not-yours = Cette décision revient à un autre cluster.

## Les PME et partenariats d’un cluster (gestionnaires)
manage-smes-title = Nos PME
manage-smes-heading = Nos PME membres
manage-smes-filter = Adhésion
manage-smes-none = Aucune PME pour l’instant.
manage-partnerships-title = Partenariats
manage-partnerships-heading = Nos partenariats
manage-partnerships-none = Aucun partenariat pour l’instant. Proposez-en un ci-dessous.
manage-partnerships-col-partner = Partenaire
manage-partnerships-col-terms = Conditions
manage-partnerships-col-since = Depuis
manage-propose-heading = Proposer un partenariat
manage-propose-partner = Cluster partenaire
manage-propose-choose = Choisir un cluster
manage-propose-days = Jours gratuits par séjour
manage-propose-days-hint = Jours ouvrés, de 1 à 90.
manage-propose-services = Ce que couvre l’accord
manage-propose-endorsement = Le cluster d’origine du visiteur appuie chaque demande avant notre décision
manage-propose-notes = Remarques sur les conditions (facultatif)
manage-propose-submit = Proposer
manage-partnership-title = Partenariat avec { $cluster }
manage-partnership-proposed-by-us = Nous l’avons proposé le { $date }.
manage-partnership-proposed-by-them = { $cluster } l’a proposé le { $date }.
manage-partnership-terms = Conditions
manage-partnership-days = Jusqu’à { $days } jours gratuits par séjour
manage-partnership-services = Couvre :
manage-partnership-endorsed = le cluster d’origine appuie chaque demande
manage-partnership-not-endorsed = Aucun appui du cluster d’origine n’est nécessaire.
manage-partnership-note = Remarque (facultative ; l’autre cluster la lit)
manage-partnership-accept = Accepter
manage-partnership-decline = Décliner
manage-partnership-suspend = Suspendre
manage-partnership-resume = Reprendre
manage-partnership-terminate = Mettre fin
manage-partnership-trail = Historique
partnership-state-proposed = Proposé
partnership-state-active = Actif
partnership-state-declined = Décliné
partnership-state-suspended = Suspendu
partnership-state-terminated = Terminé
flash-manage-proposed = Proposé. Les gestionnaires de l’autre cluster ont été prévenus.
flash-manage-suspended = Suspendu. Aucune nouvelle demande n’est possible avant la reprise.
flash-manage-resumed = Repris. Le partenariat est de nouveau actif.
flash-manage-terminated = Terminé.
err-partnership-exists = Vous avez déjà avec ce cluster un partenariat proposé, actif ou suspendu.
manage-nav-label = Gérer le cluster
