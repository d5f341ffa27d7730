package io.holdfast.server.console;

import io.helidon.http.Status;

/**
 * What a page handler produced: the section it belongs to, its title, its content and status; or,
 * after a form that did something, where to send the browser instead ({@code redirect}).
 */
record View(Layout.Section section, String title, Html main, Status status, String redirect) {

  View(Layout.Section section, String title, Html main) {
    this(section, title, main, Status.OK_200, null);
  }

  View(Layout.Section section, String title, Html main, Status status) {
    this(section, title, main, status, null);
  }

  static View redirect(String location) {
    return new View(null, null, null, Status.SEE_OTHER_303, location);
  }
}
