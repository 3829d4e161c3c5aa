# softlanding's emails (fr). Keys match across languages.

## Shared by every email

email-hello = Bonjour,
email-hello-name = Bonjour { $name },
email-signature = — softlanding
email-footer = softlanding — le Business Roaming Agreement entre clusters TIC européens.
email-before-link = { $text } :
email-link-once = Le lien ne fonctionne qu’une fois et expire dans { $unit ->
        [days] { $count ->
            [one] un jour
           *[other] { $count } jours
        }
       *[hours] { $count ->
            [one] une heure
           *[other] { $count } heures
        }
    }.

## Account links

email-invitation-subject = Votre invitation à rejoindre { $organisation } sur softlanding
email-invitation-title = Invitation à rejoindre { $organisation }
email-invitation-intro = Vous êtes invité à rejoindre softlanding en tant que { $role ->
        [admin] coordinateur
        [cluster_manager] responsable de cluster
       *[sme_member] membre
    } de { $organisation }.
email-invitation-action = Choisissez votre mot de passe pour activer votre compte

email-confirmation-subject = Confirmez votre adresse e-mail pour softlanding
email-confirmation-title = Confirmez votre adresse e-mail
email-confirmation-intro = Votre entreprise s’est inscrite sur softlanding avec cette adresse.
email-confirmation-action = Confirmez qu’elle est bien la vôtre pour pouvoir vous connecter
email-confirmation-ignore = Si vous ne vous êtes pas inscrit, ignorez cet e-mail : personne ne peut se connecter avec cette adresse tant qu’elle n’est pas confirmée.

email-reset-subject = Réinitialisez votre mot de passe softlanding
email-reset-title = Réinitialisez votre mot de passe
email-reset-intro = Quelqu’un a demandé à réinitialiser le mot de passe de votre compte softlanding.
email-reset-action = Si c’était vous, choisissez un nouveau mot de passe
email-reset-ignore = Si vous n’avez rien demandé, ignorez cet e-mail : votre mot de passe reste inchangé.

## Partnerships

email-partnership-subject = { $action ->
        [proposed] Partenariat proposé
        [accepted] Partenariat accepté
        [declined] Partenariat refusé
        [suspended] Partenariat suspendu
        [resumed] Partenariat repris
       *[terminated] Partenariat résilié
    } : { $proposer } et { $partner }
email-partnership-changed = Le Business Roaming Agreement entre { $proposer } et { $partner } a été { $action ->
        [proposed] proposé
        [accepted] accepté
        [declined] refusé
        [suspended] suspendu
        [resumed] repris
       *[terminated] résilié
    } par { $actor }.
email-partnership-state = Statut actuel : { $state ->
        [proposed] proposé
        [active] actif
        [declined] refusé
        [suspended] suspendu
       *[terminated] résilié
    }.
email-partnership-terms = Conditions :
email-partnership-free-days = jours ouvrés gratuits par soft landing : { $count }
email-partnership-services = services :
email-partnership-endorsement = recommandation du cluster d’origine requise : { $required ->
        [yes] oui
       *[no] non
    }
email-partnership-notes = remarques : { $notes }
email-partnership-note = Message de { $actor } : { $note }
email-partnership-action = Voir le partenariat

email-offer-kind = { $kind ->
        [desk_space] poste de travail
        [introductions] mises en relation
        [market_briefing] briefing marché
        [event_access] accès aux événements
        [meeting_room] salle de réunion
       *[mentoring] mentorat
    }

## SMEs

email-sme-signed-up-subject = { $sme } demande à rejoindre { $cluster } et attend sa vérification
email-sme-signed-up-title = { $sme } demande à rejoindre { $cluster }
email-sme-signed-up-intro = { $sme } s’est inscrite sur softlanding en tant que membre de { $cluster }.
email-sme-country = Pays : { $country }
email-sme-sector = Secteur : { $sector }
email-sme-website = Site web : { $website }
email-sme-employees = Salariés : { $count }
email-sme-contact = Contact : { $name } <{ $email }>
email-sme-signed-up-check = Vérifiez qu’elle est bien membre de votre cluster.
email-sme-signed-up-action = Valider ou refuser { $sme }
email-sme-signed-up-until = Tant que vous ne l’avez pas validée, ses membres ne peuvent pas demander de soft landing.

email-sme-verified-subject = { $sme } est désormais membre vérifié de { $cluster }
email-sme-verified-intro = { $cluster } a validé l’adhésion de { $sme }.
email-sme-verified-action = Votre équipe peut désormais demander des soft landings auprès des clusters partenaires de { $cluster }

email-sme-declined-subject = { $cluster } a refusé l’adhésion de { $sme }
email-sme-declined-intro = { $cluster } a refusé de valider l’adhésion de { $sme } : votre équipe ne peut donc pas demander de soft landing par son intermédiaire.
email-sme-declined-reason = Motif indiqué :
email-sme-declined-mistake = Si vous pensez qu’il s’agit d’une erreur, contactez { $cluster }.
email-sme-declined-action = Votre compte reste ouvert

## Landings

email-landing-submitted = { $sme } demande un soft landing chez { $host }
email-landing-endorsed = { $home } a recommandé le soft landing de { $sme } chez { $host }
email-landing-approved = { $host } a accepté le soft landing de { $sme }
email-landing-declined = { $home } a refusé de recommander le soft landing de { $sme } chez { $host }
email-landing-rejected = { $host } a refusé le soft landing de { $sme }
email-landing-withdrawn = { $sme } a retiré sa demande de soft landing chez { $host }
email-landing-cancelled-by-sme = { $sme } a annulé son soft landing chez { $host }
email-landing-cancelled-by-host = { $host } a annulé le soft landing de { $sme }
email-landing-expired = La demande de soft landing de { $sme } chez { $host } a expiré sans décision
email-landing-reminder = Rappel : { $sme } arrive chez { $host } le { $start }

email-landing-receipt-subject = Nous avons bien reçu votre demande : soft landing chez { $host }, { $start }
email-landing-receipt = Nous avons bien reçu la demande de soft landing de { $sme } chez { $host }. { $first ->
        [home] { $home } doit d’abord la recommander, puis { $host } décidera.
       *[host] { $host } va l’examiner.
    } Nous vous écrirons dès qu’une décision sera prise.

email-landing-offer = Offre : { $title }, { $location }
email-landing-dates = Dates : du { $start } au { $end } ({ $days ->
        [one] { $days } jour d’ouverture
       *[other] { $days } jours d’ouverture
    } ; jours selon le fuseau { $timezone })
email-landing-visitors = Visiteurs : { $count }
email-landing-home = Cluster d’origine : { $home }
email-landing-now = Statut : { $state ->
        [pending_endorsement] en attente de la recommandation du cluster d’origine
        [pending_approval] en attente de l’accord de l’hôte
        [approved] accepté
        [rejected] refusé
        [declined] non recommandé
        [withdrawn] retiré
        [cancelled] annulé
        [completed] terminé
        [no_show] absence
       *[expired] expiré
    }

email-landing-purpose = Objectif : { $text }
email-landing-note = Remarque : { $text }
email-landing-host-message = Message de l’hôte : { $text }
email-landing-reason = Motif : { $text }
email-landing-expired-reason = aucune décision n’a été prise avant la date de début, le { $start }

email-landing-calendar = Le fichier landing.ics ci-joint ajoute les dates à votre agenda.
email-landing-action = Voir le soft landing

email-landing-reminder-host = { $sme } arrive chez { $host } pour son soft landing le { $start }.
email-landing-reminder-sme = Votre soft landing chez { $host } commence le { $start }.

## Un webhook désactivé par le service
email-webhook-disabled-subject = Un webhook de { $cluster } a été désactivé
email-webhook-disabled-gone = Le portail partenaire à l’adresse { $url } a répondu « 410 Gone » : l’adresse n’accepte plus de livraisons, softlanding a donc désactivé son webhook.
email-webhook-disabled-failing = Toutes les livraisons vers { $url } échouent depuis cinq jours, softlanding a donc désactivé son webhook.
email-webhook-disabled-missed = Tant qu’il n’est pas réactivé, ses événements ne sont pas livrés. Le journal de livraison montre chaque tentative et la réponse reçue.
email-webhook-disabled-action = Voir le journal de livraison et réactiver le webhook
