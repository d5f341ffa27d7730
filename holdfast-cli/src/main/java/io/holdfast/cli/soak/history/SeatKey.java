package io.holdfast.cli.soak.history;

/** One instance's seats of one application. */
record SeatKey(String instance, String application) {

  @Override
  public String toString() {
    return instance + "/" + application;
  }
}
