days-count = { $count ->
    [one] { $count } Tag
   *[other] { $count } Tage
}
