days-count = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
