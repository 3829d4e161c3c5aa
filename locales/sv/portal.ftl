days-count = { $count ->
    [one] { $count } dag
   *[other] { $count } dagar
}
