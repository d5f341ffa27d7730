package io.holdfast.cli.soak.history;

/** One instance's document of one namespace. */
record DocumentKey(String instance, String namespace) {

  @Override
  public String toString() {
    return instance + "/" + namespace;
  }
}
