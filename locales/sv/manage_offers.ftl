# The managers' offer pages (/manage/offers).

manage-offers-title = Era erbjudanden
manage-offers-heading = Klustrets erbjudanden
manage-offers-new = Skapa ett erbjudande
manage-offers-filter = Visa erbjudanden som är
manage-offers-all-states = i alla lägen
manage-offers-filter-submit = Visa
manage-offers-col-title = Erbjudande
manage-offers-col-kind = Typ
manage-offers-col-capacity = Platser per dag
manage-offers-col-window = Tillgängligt
manage-offers-none = Klustret har inga erbjudanden ännu. Skapa ett: det börjar som ett utkast som bara klustrets ansvariga ser.
manage-offers-none-in-state = Inget av era erbjudanden är i det här läget.
offer-state-draft = Utkast
offer-state-published = Publicerat
offer-state-paused = Pausat
offer-state-archived = Arkiverat

manage-offer-new-title = Skapa ett erbjudande
manage-offer-new-hint = Erbjudandet börjar som ett utkast: ingen utanför klustret ser det förrän ni publicerar det.
manage-offer-create = Skapa utkastet
manage-offer-field-kind = Typ av erbjudande
manage-offer-field-title = Rubrik
manage-offer-field-description = Beskrivning
manage-offer-field-city = Ort
manage-offer-field-address = Adress
manage-offer-field-capacity = Besökare per öppen dag
manage-offer-field-capacity-hint = Hur många besökare erbjudandet tar emot varje öppen dag (1 till 10 000).
manage-offer-field-available-from = Tillgängligt från
manage-offer-field-available-until = Tillgängligt till och med
manage-offer-date-hint = En dag i klustrets tidszon, till exempel 2027-03-01.
manage-offer-field-max-stay = Längsta vistelse, i öppna dagar
manage-offer-field-max-stay-hint = Från 1 till 90 öppna dagar.
manage-offer-field-weekdays = Öppet på
manage-offer-field-languages = Språk
manage-offer-field-languages-hint = Koder med två bokstäver åtskilda med kommatecken, till exempel sv, en.
manage-offer-field-sectors = Branscher
manage-offer-field-sectors-hint = Åtskilda med kommatecken, till exempel fintech, hälsa. Får lämnas tomt.

manage-offer-public-page = Se den offentliga sidan
manage-offer-state-hint-draft = Ett utkast: bara klustrets ansvariga ser det. Publicera det för att visa det i sökningen.
manage-offer-state-hint-published = Publicerat: företag i partnerkluster hittar det och kan begära en landning.
manage-offer-state-hint-paused = Pausat: det syns inte i sökningen förrän ni publicerar det igen. Godkända landningar står kvar.
manage-offer-state-hint-archived = Arkiverat: erbjudandet är stängt för gott och ändras inte längre.
manage-offer-publish = Publicera
manage-offer-pause = Pausa
manage-offer-archive = Arkivera för gott

manage-offer-blackouts = Stängda perioder
manage-offer-blackouts-hint = Under en stängd period tar erbjudandet inte emot besökare, oavsett veckodagar.
manage-offer-no-blackouts = Inga stängda perioder.
manage-offer-blackout-remove = Ta bort
manage-offer-blackout-remove-label = Ta bort den stängda perioden { $from } – { $to }
manage-offer-blackout-add-heading = Stäng erbjudandet några dagar
manage-offer-blackout-from = Första stängda dagen
manage-offer-blackout-until = Sista stängda dagen
manage-offer-blackout-reason = Anledning
manage-offer-blackout-add = Stäng dagarna

manage-offer-edit = Ändra erbjudandet
manage-offer-archived-notice = Ett arkiverat erbjudande ändras inte längre.
manage-offer-conflict = Någon annan ändrade erbjudandet efter att ni öppnade det. Era ändringar sparades inte. Formuläret visar nu erbjudandet som det är; gör ändringarna igen och spara.

manage-offer-calendar-heading = Bokningar i { $month } { $year }
manage-offer-calendar-hint = Varje öppen dag visar platserna som godkända landningar håller och platserna som är lediga. Dagarna är i klustrets tidszon ({ $timezone }).
manage-offer-calendar-caption = Bokade och lediga platser per dag
manage-offer-calendar-booked = { $booked } bokade, { $free } lediga
manage-offer-calendar-blackout = stängd period

manage-offer-err-kind = Välj en typ av erbjudande.
manage-offer-err-title = Ange en rubrik på högst 200 tecken.
manage-offer-err-description = Ange en beskrivning på högst 5 000 tecken.
manage-offer-err-city = Ange orten, med högst 120 tecken.
manage-offer-err-address = Ange en adress på högst 500 tecken.
manage-offer-err-capacity = Ange ett antal besökare från 1 till 10 000.
manage-offer-err-available-from = Ange den första dagen som ett datum, till exempel 2027-03-01.
manage-offer-err-available-until = Ange en sista dag samma dag som den första eller senare, högst tre år senare.
manage-offer-err-max-stay = Ange en längsta vistelse från 1 till 90 öppna dagar.
manage-offer-err-weekdays = Välj minst en veckodag.
manage-offer-err-languages = Ange minst ett språk som en kod med två bokstäver, till exempel sv.
manage-offer-err-sectors = Ange branscher med bokstäver, siffror, mellanslag och bindestreck, åtskilda med kommatecken.
manage-offer-err-start-date = Ange den första stängda dagen som ett datum, till exempel 2027-03-01.
manage-offer-err-end-date = Ange den sista stängda dagen som ett datum, till exempel 2027-03-05.
manage-offer-err-reason = Ange en anledning på högst 500 tecken.
manage-offer-err-capacity-booked = Godkända landningar håller redan fler platser än så den { $day }. Ange minst lika många platser som de håller.
manage-offer-err-closes-booked = Godkända landningar håller platser den { $day }, som ändringen skulle stänga. Låt den dagen vara öppen.
manage-offer-err-blackout-booked = Godkända landningar håller platser den { $day }, så den dagen kan inte stängas. Välj dagar utan bokningar.
manage-offer-err-archived = Ett arkiverat erbjudande ändras inte längre.
manage-offer-err-transition = Erbjudandets läge har ändrats under tiden, så detta går inte längre. Sidan visar vad ni kan göra nu.

flash-manage-offer-created = Erbjudandet är skapat som ett utkast.
flash-manage-offer-saved = Erbjudandet är sparat.
flash-manage-offer-published = Erbjudandet är publicerat.
flash-manage-offer-paused = Erbjudandet är pausat.
flash-manage-offer-archived = Erbjudandet är arkiverat.
flash-manage-blackout-added = Dagarna är stängda.
flash-manage-blackout-removed = Den stängda perioden är borttagen: dagarna är öppna igen.
