days-count = { $count ->
    [one] { $count } jour
   *[other] { $count } jours
}
